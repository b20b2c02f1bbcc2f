"""A small city for tests: one agency, one unit of ten, a desk, a running pilot, the HCMC policy.

Used by every app's tests through the ``city`` fixture (root ``conftest.py``), so tests read like the
behaviour: ``city.staff[3]`` registers, ``city.head`` approves.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from telework.accounts.models import Role, User
from telework.organization.models import Agency, Position, ServicePoint, Staff, Unit
from telework.policy.models import Pilot, PilotPhase, PilotStatus, Policy, PolicyLevel
from telework.policy.parameters import PRESETS


@dataclass
class City:
    agency: Agency
    unit: Unit
    head: Staff
    staff: list[Staff]
    desk_position: Position
    clerk: Staff  # a one-stop desk officer: not eligible
    desk: ServicePoint
    pilot: Pilot
    policy: Policy
    other_agency: Agency
    outsider: Staff
    home_affairs: User
    hr: User
    leadership: User
    admin: User
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def head_user(self) -> User:
        assert self.head.user is not None
        return self.head.user


def next_monday(today: dt.date | None = None) -> dt.date:
    """A Monday at least a week ahead, in a week without public holidays."""
    from telework.core import calendar

    day = (today or timezone.localdate()) + dt.timedelta(days=7)
    day -= dt.timedelta(days=day.weekday())
    while len(calendar.working_days(day, day + dt.timedelta(days=4))) < 5:
        day += dt.timedelta(days=7)
    return day


def build_city(*, unit_size: int = 10, policy_overrides: dict[str, Any] | None = None) -> City:
    """Build the test city. ``policy_overrides`` changes the HCMC preset's parameters."""
    from telework.organization.tests.factories import PositionFactory, ServicePointFactory, StaffFactory, UnitFactory, UserFactory

    unit = UnitFactory(name="Phòng Kế hoạch", agency__name="Sở Nội vụ thử nghiệm")
    agency = unit.agency
    officer = PositionFactory(agency=agency, name="Chuyên viên tổng hợp")
    desk_position = PositionFactory(agency=agency, name="Cán bộ một cửa", faces_citizens=True, handles_dossiers=True, is_one_stop_desk=True)
    head = StaffFactory(unit=unit, position=officer, is_leader=True, full_name="Trần Thị Trưởng", user__role=Role.UNIT_HEAD)
    staff = [StaffFactory(unit=unit, position=officer, direct_superior=head, full_name=f"Lê Văn {index}") for index in range(unit_size - 2)]
    clerk = StaffFactory(unit=unit, position=desk_position, direct_superior=head, full_name="Phạm Thị Một Cửa")
    desk = ServicePointFactory(unit=unit, name="Bàn tiếp nhận hồ sơ")
    desk.qualified_staff.set([clerk])
    other_unit = UnitFactory(name="Phòng khác")
    outsider = StaffFactory(unit=other_unit, position=PositionFactory(agency=other_unit.agency), full_name="Người Ngoài")
    start = timezone.localdate() - dt.timedelta(days=30)
    pilot = Pilot.objects.create(code="PILOT", name="Thí điểm TP.HCM", status=PilotStatus.RUNNING)
    pilot.agencies.set([agency])
    PilotPhase.objects.create(pilot=pilot, name="Giai đoạn 1", starts_on=start, ends_on=start + dt.timedelta(days=400))
    parameters = PRESETS["hcmc_pilot"].parameters.as_dict()
    parameters.update(policy_overrides or {})
    policy = Policy.objects.create(level=PolicyLevel.CITY, version=1, name="Thí điểm TP.HCM", preset="hcmc_pilot", parameters=parameters, effective_from=start)
    hr_unit = UnitFactory(agency=agency, name="Phòng Tổ chức cán bộ")
    hr_staff = StaffFactory(unit=hr_unit, position=officer, full_name="Cán Bộ Nhân Sự", user__role=Role.AGENCY_HR)
    return City(
        agency=agency,
        unit=unit,
        head=head,
        staff=staff,
        desk_position=desk_position,
        clerk=clerk,
        desk=desk,
        pilot=pilot,
        policy=policy,
        other_agency=other_unit.agency,
        outsider=outsider,
        home_affairs=UserFactory(username="noivu", role=Role.HOME_AFFAIRS),
        hr=hr_staff.user,
        leadership=UserFactory(username="lanhdao", role=Role.CITY_LEADERSHIP),
        admin=UserFactory(username="quantri", role=Role.SYSTEM_ADMIN),
    )
