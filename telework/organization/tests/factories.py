"""factory_boy factories for the organisation."""

from __future__ import annotations

import factory

from telework.accounts.models import Role, User
from telework.organization.models import Agency, AgencyKind, Position, ServicePoint, ServicePointKind, Staff, StaffType, Unit


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.STAFF
    password = factory.django.Password("password123")


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"AG{n:03d}")
    name = factory.Sequence(lambda n: f"Sở thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"U{n:04d}")
    name = factory.Sequence(lambda n: f"Phòng {n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    agency = factory.SubFactory(AgencyFactory)
    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Chuyên viên {n}")


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Staff

    code = factory.Sequence(lambda n: f"CB{n:05d}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn {n}")
    staff_type = StaffType.CONG_CHUC
    unit = factory.SubFactory(UnitFactory)
    position = factory.LazyAttribute(lambda staff: PositionFactory(agency=staff.unit.agency))
    equipment = factory.LazyFunction(lambda: ["computer", "internet", "phone", "printer"])
    email = factory.LazyAttribute(lambda staff: f"{staff.code.lower()}@example.gov.vn")
    user = factory.SubFactory(UserFactory, username=factory.SelfAttribute("..code"))


class ServicePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ServicePoint

    unit = factory.SubFactory(UnitFactory)
    code = factory.Sequence(lambda n: f"SP{n:03d}")
    name = factory.Sequence(lambda n: f"Bàn một cửa {n}")
    kind = ServicePointKind.ONE_STOP_DESK
