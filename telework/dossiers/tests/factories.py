import datetime as dt
from zoneinfo import ZoneInfo

import factory

from telework.dossiers.models import Channel, DeskCard, Dossier, DossierSource, DossierStatus, OnlineLevel, Procedure
from telework.organization.tests.factories import ServicePointFactory

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    code = factory.Sequence(lambda n: f"1.00{n:04d}")
    name = factory.Sequence(lambda n: f"Chứng thực bản sao từ bản chính {n}")
    legal_working_days = 3


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    code = factory.Sequence(lambda n: f"000.00.12.H29-261116-{n:04d}")
    procedure = factory.SubFactory(ProcedureFactory)
    service_point = factory.SubFactory(ServicePointFactory)
    unit = factory.LazyAttribute(lambda dossier: dossier.service_point.unit)
    agency = factory.LazyAttribute(lambda dossier: dossier.unit.agency)
    received_at = dt.datetime(2026, 11, 16, 8, 30, tzinfo=HCMC)
    legal_due_at = dt.datetime(2026, 11, 19, 17, 0, tzinfo=HCMC)
    due_at = factory.LazyAttribute(lambda dossier: dossier.legal_due_at)
    returned_at = dt.datetime(2026, 11, 18, 9, 0, tzinfo=HCMC)
    online_level = OnlineLevel.IN_PERSON
    channel = Channel.DESK
    status = DossierStatus.RETURNED
    source = DossierSource.IMPORT


class DeskCardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DeskCard

    service_point = factory.SubFactory(ServicePointFactory)
    token = factory.Sequence(lambda n: f"desk{n:06d}token")
    issued_at = dt.datetime(2026, 11, 2, 8, 0, tzinfo=HCMC)
