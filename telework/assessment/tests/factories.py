"""A pilot of two phases over two agencies of six units each, for the design and review tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from telework.accounts.models import Role, User
from telework.core import clock
from telework.organization.models import Agency, Position, Unit
from telework.organization.tests.factories import AgencyFactory, PositionFactory, StaffFactory, UnitFactory, UserFactory
from telework.policy.models import Pilot, PilotPhase, PilotStatus


@dataclass
class PhasedPilot:
    pilot: Pilot
    first: PilotPhase
    second: PilotPhase
    agencies: list[Agency]
    units: list[Unit]
    positions: list[Position]
    home_affairs: User
    leadership: User
    staff_user: User


def build_phased_pilot(*, units_per_agency: int = 6) -> PhasedPilot:
    """Phase 1 covers the first agency, phase 2 is meant to widen to both (its scope starts as the pilot's)."""
    today = clock.today()
    agencies = [AgencyFactory(name="Sở Tư pháp"), AgencyFactory(name="Sở Y tế")]
    positions = [PositionFactory(agency=agency, name=f"Chuyên viên {agency.name}") for agency in agencies]
    units: list[Unit] = []
    for agency_index, agency in enumerate(agencies):
        for index in range(units_per_agency):
            unit = UnitFactory(agency=agency, name=f"Phòng {agency_index + 1}.{index + 1}")
            for _ in range(3 + 2 * index):
                StaffFactory(unit=unit, position=positions[agency_index])
            units.append(unit)
    pilot = Pilot.objects.create(code="PHASED", name="Thí điểm theo giai đoạn", status=PilotStatus.PLANNED)
    pilot.agencies.set(agencies)
    first = PilotPhase.objects.create(pilot=pilot, name="Giai đoạn 1", starts_on=today + dt.timedelta(days=5), ends_on=today + dt.timedelta(days=120))
    second = PilotPhase.objects.create(pilot=pilot, name="Giai đoạn 2", starts_on=today + dt.timedelta(days=121), ends_on=today + dt.timedelta(days=300))
    first.agencies.set(agencies[:1])
    second.agencies.set(agencies)
    return PhasedPilot(
        pilot=pilot,
        first=first,
        second=second,
        agencies=agencies,
        units=units,
        positions=positions,
        home_affairs=UserFactory(username="noivugd", role=Role.HOME_AFFAIRS),
        leadership=UserFactory(username="lanhdaogd", role=Role.CITY_LEADERSHIP),
        staff_user=UserFactory(username="canbogd", role=Role.STAFF),
    )
