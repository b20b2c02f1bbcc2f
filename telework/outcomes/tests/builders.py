"""A small hand-made week of records for the panel tests: the figures each indicator must give are worked out by hand
in ``test_panel.py``. The week is Monday 9 – Sunday 15 November 2026, before the suite's frozen Wednesday 18/11."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass
from typing import Any

from telework.assignments.models import WorkItem, WorkStatus
from telework.attendance.models import CheckIn
from telework.core.models import AuditEvent
from telework.dossiers import indicators as levels
from telework.dossiers.models import ApologyLetter, Channel, Dossier, DossierStatus, Rating
from telework.dossiers.tests.factories import DossierFactory
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterStatus
from telework.surveys import scales
from telework.surveys.models import PulseResponse, PulseWave, SurveyPhase

SAIGON = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
WEEK = dt.date(2026, 11, 9)
PREVIOUS_WEEK = dt.date(2026, 11, 2)
THIS_WEEK = dt.date(2026, 11, 16)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SAIGON)


def day(offset: int) -> dt.date:
    """A day of the test week: 0 = Monday 9/11."""
    return WEEK + dt.timedelta(days=offset)


@dataclass
class Week:
    a: Any
    b: Any
    late_dossier: Dossier
    returned_item: WorkItem


def dossiers(city: Any) -> Dossier:
    """Four dossiers of the unit (see ``test_dossier_indicators``); returns the late one."""
    on_time = DossierFactory(
        service_point=city.desk, received_at=at(day(0), 8), legal_due_at=at(day(3), 17), returned_at=at(day(2), 17), channel=Channel.ONLINE
    )
    late = DossierFactory(service_point=city.desk, received_at=at(day(0), 8), legal_due_at=at(day(1), 8), returned_at=at(day(2), 14))
    DossierFactory(service_point=city.desk, received_at=at(day(-7), 8), legal_due_at=at(day(-3), 8), returned_at=None, status=DossierStatus.IN_PROGRESS)
    DossierFactory(service_point=city.desk, received_at=at(day(1), 8), legal_due_at=at(day(2), 8), returned_at=None, status=DossierStatus.WITHDRAWN)
    ApologyLetter.objects.create(dossier=late, issued_at=at(day(1), 7), new_due_at=at(day(2), 17))
    Rating.objects.create(dossier=on_time, source="portal", level=levels.VERY_SATISFIED, submitted_at=at(day(3), 9))
    Rating.objects.create(dossier=late, source="portal", level=levels.NOT_SATISFIED, submitted_at=at(day(3), 10))
    return late


def work_items(city: Any) -> WorkItem:
    """Three items accepted in the week: on time (rated 4), late and returned once (rated 2), on time (not rated)."""

    def item(accepted: dt.datetime, due_on: dt.date, rating: int | None) -> WorkItem:
        return WorkItem.objects.create(
            staff=city.staff[0],
            unit=city.unit,
            title="Báo cáo",
            estimated_hours=8,
            starts_on=day(-7),
            due_on=due_on,
            status=WorkStatus.ACCEPTED,
            progress_percent=100,
            last_activity_on=accepted.date(),
            created_by=city.head_user,
            quality_rating=rating,
            accepted_at=accepted,
        )

    item(at(day(2), 10), day(3), 4)
    returned = item(at(day(4), 10), day(3), 2)
    item(at(day(4), 11), day(11), None)
    # Open work does not count.
    WorkItem.objects.create(
        staff=city.staff[1], unit=city.unit, title="Đang làm", estimated_hours=8, starts_on=day(0), due_on=day(4),
        status=WorkStatus.IN_PROGRESS, last_activity_on=day(0), created_by=city.head_user,
    )  # fmt: skip
    AuditEvent.objects.create(
        action="work_item.return", object_type="assignments.workitem", object_id=str(returned.pk), object_label="Báo cáo", actor_label="x"
    )
    return returned


def roster_and_check_ins(city: Any) -> tuple[Any, Any]:
    """Two people rostered Monday–Friday: A home, office, home, office, leave; B home, office, office, desk, office.
    Check-ins: A home Mon (reachable), home Tue (rostered office), home Wed; B home Mon (in a meeting), office Tue–Thu."""
    a, b = city.staff[0], city.staff[1]
    roster = Roster.objects.create(
        unit=city.unit, week_start=WEEK, iso_week="2026-W46", version=1, status=RosterStatus.PUBLISHED, is_current=True,
        days=[day(offset).isoformat() for offset in range(5)],
    )  # fmt: skip
    plan = {
        a: [EntryStatus.HOME, EntryStatus.OFFICE, EntryStatus.HOME, EntryStatus.OFFICE, EntryStatus.LEAVE],
        b: [EntryStatus.HOME, EntryStatus.OFFICE, EntryStatus.OFFICE, EntryStatus.DESK, EntryStatus.OFFICE],
    }
    RosterEntry.objects.bulk_create(
        RosterEntry(roster=roster, staff=person, day=day(offset), status=status, service_point=city.desk if status == EntryStatus.DESK else None)
        for person, statuses in plan.items()
        for offset, status in enumerate(statuses)
    )
    # A superseded version of the same week counts for nothing.
    old = Roster.objects.create(
        unit=city.unit, week_start=WEEK, iso_week="2026-W46", version=0, status=RosterStatus.PUBLISHED, is_current=False, days=[]
    )  # fmt: skip
    RosterEntry.objects.create(roster=old, staff=a, day=day(0), status=EntryStatus.HOME)
    for person, offset, mode, reachable in [
        (a, 0, "home", "reachable"),
        (a, 1, "home", ""),
        (a, 2, "home", ""),
        (b, 0, "home", "in_meeting"),
        (b, 1, "office", ""),
        (b, 2, "office", ""),
        (b, 3, "office", ""),
    ]:
        CheckIn.objects.create(staff=person, unit=city.unit, day=day(offset), mode=mode, checked_in_at=at(day(offset), 8), reachability=reachable)
    return a, b


def pulse_answers(who5: int, stress: int, stay: int) -> dict[str, int]:
    answers = {item.key: who5 for item in scales.WHO5_ITEMS} | {item.key: stress for item in scales.STRESS_ITEMS}
    return answers | {scales.BALANCE_ITEM.key: 3, scales.STAY_ITEM.key: stay}


def pulse(city: Any, *, closes_on: dt.date = WEEK + dt.timedelta(days=4)) -> PulseWave:
    """Five answers in the unit (WHO-5 items 3,3,3,4,4; stress items 2,2,2,4,4; stay 4,4,4,2,2), four in another."""
    wave = PulseWave.objects.create(title="Khảo sát nhanh", phase=SurveyPhase.DURING, opens_on=closes_on - dt.timedelta(days=7), closes_on=closes_on)
    wave.agencies.set([city.agency])
    for who5, stress, stay in [(3, 2, 4), (3, 2, 4), (3, 2, 4), (4, 4, 2), (4, 4, 2)]:
        PulseResponse.objects.create(wave=wave, agency=city.agency, unit=city.unit, answers=pulse_answers(who5, stress, stay))
    for _ in range(4):
        PulseResponse.objects.create(wave=wave, agency=city.outsider.unit.agency, unit=city.outsider.unit, answers=pulse_answers(5, 1, 5))
    return wave
