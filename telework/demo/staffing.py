"""The demo's staffing-needs round (báo cáo nhu cầu nhân sự làm việc trực tiếp, đột xuất): Home Affairs asked every
special unit (a one-stop desk or a duty post) on the working day before today for a same-day report by 16:00. Most
units answered in time and many were signed off by their agency head; some answered after the deadline; some have not
answered yet. The round is still open, so Home Affairs sees the live aggregate with late and missing units flagged and
can close it and record decisions; a unit head whose row is missing can still send it as a late report.

Written as history (the rows and the audit rows the staffing services write), like the registrations of past weeks:
the services refuse a deadline in the past. Deterministic from the seed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Collection

from django.db.models import Count

from telework.accounts.models import Role, User
from telework.core import calendar
from telework.core.audit import audit_record
from telework.demo.plans import aware
from telework.organization.models import Staff, Unit
from telework.staffing.models import ReportRound, ReportRow
from telework.staffing.selectors import special_units

TITLE = "Báo cáo nhu cầu nhân sự làm việc trực tiếp tại cơ quan (đột xuất)"
REFERENCE = "1250/SNV-CCVC"
RECIPIENTS = "Ủy ban nhân dân Thành phố Hồ Chí Minh"
REASONS = (
    "Bộ phận một cửa tiếp nhận hồ sơ trực tiếp, cần đủ người tại quầy; phần việc tổng hợp có thể làm tại nhà.",
    "Lượng hồ sơ đất đai tăng cuối năm; đề nghị giữ đủ cán bộ tiếp nhận, số còn lại làm việc tại nhà theo lịch.",
    "Trực ban và tiếp công dân theo lịch; chuyên viên soạn thảo văn bản có thể làm việc tại nhà.",
)


def working_day_before(day: dt.date) -> dt.date:
    day -= dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def seed_staffing_round(*, today: dt.date, seed: int, keep_open_unit_ids: Collection[int] = (), signable_agency_ids: Collection[int] = ()) -> dict[str, int]:
    """Open, fill and sign off the round as it stands today. ``keep_open_unit_ids``: units left unanswered (the example
    unit head can try a late report); ``signable_agency_ids``: agencies whose filled rows wait for the head's
    signature (the example agency head can sign)."""
    coordinator = User.objects.filter(role=Role.HOME_AFFAIRS, is_active=True).order_by("pk").first()
    units = list(special_units())
    if coordinator is None or not units:
        return {}
    rng = random.Random(f"telework-demo:{seed}:staffing")  # noqa: S311 - demo data
    day = working_day_before(today)
    report_round = ReportRound.objects.create(
        title=TITLE,
        reference_number=REFERENCE,
        recipients=RECIPIENTS,
        deadline=aware(day, 16, 0),
        opened_by=coordinator,
        opened_at=aware(day, 8, 15),
    )
    totals = dict(
        Staff.objects.filter(unit__in=units, is_active=True).values("unit_id").annotate(people=Count("id")).order_by().values_list("unit_id", "people")
    )
    rows = ReportRow.objects.bulk_create([ReportRow(report_round=report_round, unit=unit, total_staff=totals.get(unit.pk, 0)) for unit in units])
    audit_record(
        actor=coordinator,
        action="staffing_round.open",
        target=report_round,
        after={"title": TITLE, "state": report_round.state, "deadline": report_round.deadline, "units": sorted(unit.name for unit in units)},
    )
    heads = _users_by_unit(units, Role.UNIT_HEAD)
    agency_heads = _agency_heads({unit.agency_id for unit in units})
    counts = {"staffing rows": len(rows), "filled on time": 0, "filled late": 0, "signed off": 0, "not answered": 0}
    # About a fifth not answered, a seventh answered late, the rest in time — at least one of each when there are three
    # units or more (a small city shows every status too).
    answerable = [row for row, unit in zip(rows, units, strict=True) if unit.pk not in keep_open_unit_ids and unit.pk in heads and row.total_staff]
    missing_count = max(1, round(0.2 * len(answerable))) if len(answerable) >= 2 else 0
    late_count = max(1, round(0.15 * len(answerable))) if len(answerable) >= 3 else 0
    states = ["missing"] * missing_count + ["late"] * late_count + ["on time"] * (len(answerable) - missing_count - late_count)
    rng.shuffle(states)
    state_of = {row.pk: state for row, state in zip(answerable, states, strict=True)}
    for row, unit in zip(rows, units, strict=True):
        head = heads.get(unit.pk)
        state = state_of.get(row.pk, "missing")
        if head is None or state == "missing":
            counts["not answered"] += 1
            continue
        late = state == "late"
        needed = min(row.total_staff, math.ceil(row.total_staff * rng.uniform(0.5, 0.8)))
        at_home = rng.randint(0, row.total_staff - needed)
        row.needed_on_site, row.proposed_at_home = needed, at_home
        row.reason = rng.choice(REASONS) if at_home else ""
        row.is_late = late
        row.filled_by = head
        row.filled_at = aware(day, 16, 0) + dt.timedelta(minutes=rng.randint(20, 150)) if late else aware(day, 9, 0) + dt.timedelta(minutes=rng.randint(0, 400))
        counts["filled late" if late else "filled on time"] += 1
        signer = agency_heads.get(unit.agency_id)
        if signer is not None and unit.agency_id not in signable_agency_ids and rng.random() < 0.7:
            row.signed_off_by = signer
            row.signed_off_at = row.filled_at + dt.timedelta(minutes=rng.randint(10, 90))
            counts["signed off"] += 1
        row.save(update_fields=["needed_on_site", "proposed_at_home", "reason", "is_late", "filled_by", "filled_at", "signed_off_by", "signed_off_at"])
        snapshot = {
            "total_staff": row.total_staff,
            "needed_on_site": row.needed_on_site,
            "proposed_at_home": row.proposed_at_home,
            "reason": row.reason,
            "is_late": row.is_late,
        }
        audit_record(actor=head, action="staffing_row.fill", target=row, after={**snapshot, "signed_off_at": None}, agency_id=unit.agency_id)
        if row.signed_off_at is not None:
            audit_record(
                actor=row.signed_off_by,
                action="staffing_row.sign_off",
                target=row,
                before={**snapshot, "signed_off_at": None},
                after={**snapshot, "signed_off_at": row.signed_off_at},
                agency_id=unit.agency_id,
            )
    return counts


def _users_by_unit(units: list[Unit], role: str) -> dict[int, User]:
    found: dict[int, User] = {}
    for staff in Staff.objects.filter(unit__in=units, user__role=role, user__is_active=True).select_related("user").order_by("code"):
        if staff.user is not None:
            found.setdefault(staff.unit_id, staff.user)
    return found


def _agency_heads(agency_ids: set[int]) -> dict[int, User]:
    found: dict[int, User] = {}
    for staff in Staff.objects.filter(unit__agency_id__in=agency_ids, user__role=Role.AGENCY_HEAD, user__is_active=True).select_related("user", "unit"):
        if staff.user is not None:
            found.setdefault(staff.unit.agency_id, staff.user)
    return found
