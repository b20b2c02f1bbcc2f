"""Reads for staffing-needs rounds: the live aggregate, a unit head's rows to fill, an agency head's rows to sign."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from telework.accounts.types import Viewer
from telework.core import clock
from telework.core.exceptions import NotFound
from telework.organization.models import ServicePoint, Unit
from telework.staffing import permissions
from telework.staffing.models import ReportRound, ReportRow, RoundState, RowStatus, UnitDecision


def row_status(row: ReportRow, *, now: dt.datetime, deadline: dt.datetime) -> RowStatus:
    """How a row stands now: waiting before the deadline, missing after it, filled (late), signed off."""
    if row.filled_at is None:
        return RowStatus.MISSING if now > deadline else RowStatus.WAITING
    if row.signed_off_at is not None:
        return RowStatus.SIGNED_LATE if row.is_late else RowStatus.SIGNED
    return RowStatus.LATE if row.is_late else RowStatus.FILLED


@dataclass(frozen=True)
class AggregateLine:
    row: ReportRow
    status: RowStatus
    decision: UnitDecision | None

    @property
    def status_label(self) -> str:
        return str(self.status.label)

    @property
    def is_flagged(self) -> bool:
        return self.status in {RowStatus.MISSING, RowStatus.LATE, RowStatus.SIGNED_LATE}


@dataclass(frozen=True)
class Aggregate:
    """A round's rows with their status, and the city sums over the filled rows."""

    report_round: ReportRound
    lines: list[AggregateLine]
    total_staff: int
    needed_on_site: int
    proposed_at_home: int
    filled: int
    missing: int
    waiting: int
    late: int
    signed: int

    @property
    def units(self) -> int:
        return len(self.lines)


def round_for(viewer: Viewer, pk: int) -> ReportRound:
    """A round ``viewer`` may read, or ``NotFound``."""
    report_round = permissions.visible_rounds(viewer).filter(pk=pk).first()
    if report_round is None:
        raise NotFound
    return report_round


def row_for(viewer: Viewer, pk: int) -> ReportRow:
    row = permissions.visible_rows(viewer).select_related("unit__agency", "report_round").filter(pk=pk).first()
    if row is None:
        raise NotFound
    return row


def round_aggregate(viewer: Viewer, report_round: ReportRound) -> Aggregate:
    """The round as it fills in, limited to the rows ``viewer`` may read (the whole city for Home Affairs)."""
    now = clock.now()
    rows = list(
        permissions.visible_rows(viewer)
        .filter(report_round=report_round)
        .select_related("unit__agency", "filled_by", "signed_off_by", "decision__decided_by")
        .order_by("unit__agency__name", "unit__name")
    )
    lines = [AggregateLine(row, row_status(row, now=now, deadline=report_round.deadline), getattr(row, "decision", None)) for row in rows]
    filled = [row for row in rows if row.is_filled]
    statuses = [line.status for line in lines]
    return Aggregate(
        report_round=report_round,
        lines=lines,
        total_staff=sum(row.total_staff for row in rows),
        needed_on_site=sum(row.needed_on_site or 0 for row in filled),
        proposed_at_home=sum(row.proposed_at_home or 0 for row in filled),
        filled=len(filled),
        missing=statuses.count(RowStatus.MISSING),
        waiting=statuses.count(RowStatus.WAITING),
        late=sum(1 for row in filled if row.is_late),
        signed=sum(1 for row in filled if row.is_signed_off),
    )


def rounds_list(viewer: Viewer) -> QuerySet[ReportRound]:
    return permissions.visible_rounds(viewer).select_related("opened_by")


def rows_to_fill(viewer: Viewer) -> list[ReportRow]:
    """Open rounds' rows ``viewer`` fills as the unit's head, not yet signed off."""
    rows = permissions.visible_rows(viewer).filter(report_round__state=RoundState.OPEN, signed_off_at__isnull=True)
    return [row for row in rows.select_related("unit__agency", "report_round").order_by("report_round__deadline") if permissions.can_fill(viewer, row)]


def rows_to_sign(viewer: Viewer) -> list[ReportRow]:
    """Filled rows of undecided rounds ``viewer`` signs off as the agency head."""
    rows = permissions.visible_rows(viewer).filter(filled_at__isnull=False, signed_off_at__isnull=True).exclude(report_round__state=RoundState.DECIDED)
    return [row for row in rows.select_related("unit__agency", "report_round").order_by("report_round__deadline") if permissions.can_sign_off(viewer, row)]


def special_units() -> QuerySet[Unit]:
    """Units with a one-stop desk or a duty post: the ones that must stay open (the default addressees)."""
    return Unit.objects.filter(pk__in=ServicePoint.objects.values("unit_id")).select_related("agency").order_by("agency__name", "name")
