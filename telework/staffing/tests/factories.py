"""A few special units around the test city, with their heads and agency heads, for staffing-round tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from telework.accounts.models import Role, User
from telework.core import clock
from telework.demo.testing import City
from telework.organization.models import ServicePointKind, Staff, Unit
from telework.organization.tests.factories import ServicePointFactory, StaffFactory, UnitFactory


@dataclass
class StaffingCity:
    """The test city's unit (with its desk) plus a ward's unit with a duty post; each unit has a head, each
    agency an agency head."""

    units: list[Unit]
    heads: list[User]
    agency_heads: list[User]


def local(hour: int, minute: int = 0, day: dt.date | None = None) -> dt.datetime:
    """A moment today (or on ``day``) in Ho Chi Minh City."""
    return timezone.make_aware(dt.datetime.combine(day or clock.today(), dt.time(hour, minute)))


def staffing_city(city: City) -> StaffingCity:
    ward_unit = UnitFactory(name="Bộ phận Một cửa phường", agency__name="UBND phường Bến Thành")
    ServicePointFactory(unit=ward_unit, name="Trực phường", kind=ServicePointKind.DUTY_POST)
    ward_head = StaffFactory(unit=ward_unit, is_leader=True, full_name="Võ Văn Phường", user__role=Role.UNIT_HEAD)
    for index in range(5):
        StaffFactory(unit=ward_unit, full_name=f"Đỗ Thị {index}")
    city_agency_head = StaffFactory(unit=city.unit, is_leader=True, full_name="Giám Đốc Sở", user__role=Role.AGENCY_HEAD)
    ward_agency_head = StaffFactory(unit=ward_unit, is_leader=True, full_name="Chủ Tịch Phường", user__role=Role.AGENCY_HEAD)
    heads = [city.head_user, ward_head.user]
    return StaffingCity(
        units=[city.unit, ward_unit],
        heads=[user for user in heads if user is not None],
        agency_heads=[user for user in (city_agency_head.user, ward_agency_head.user) if user is not None],
    )


def unit_total(unit: Unit) -> int:
    return Staff.objects.filter(unit=unit, is_active=True).count()
