"""Reads of the dossier register: service-quality figures by desk, unit, agency or the city over a day, week or
month, and each officer's share of the citizens' evaluations (Decree 61/2018: indicators 1, 2, 3, 4, 7)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from telework.accounts.types import Viewer
from telework.core import calendar, clock
from telework.dossiers import permissions, quality
from telework.dossiers.models import Dossier, Rating

DAY = "day"
WEEK = "week"
MONTH = "month"
PERIODS = (DAY, WEEK, MONTH)
DESK = "desk"
UNIT = "unit"
AGENCY = "agency"
CITY = "city"
LEVELS = (DESK, UNIT, AGENCY, CITY)
_GROUP_FIELD = {DESK: "service_point_id", UNIT: "unit_id", AGENCY: "agency_id"}
_NAME_FIELD = {DESK: "service_point__name", UNIT: "unit__name", AGENCY: "agency__name"}


def period_bounds(period: str, day: dt.date) -> tuple[dt.date, dt.date]:
    if period == WEEK:
        return calendar.iso_week_bounds(day)
    if period == MONTH:
        return calendar.month_bounds(day)
    return day, day


@dataclass(frozen=True)
class QualityRow:
    key: int | None
    name: str
    figures: quality.Figures


def _facts(rows: Iterable[tuple[object, ...]]) -> list[quality.DossierFact]:
    return [
        quality.DossierFact(
            received_at=received_at,  # type: ignore[arg-type]
            legal_due_at=legal_due_at,  # type: ignore[arg-type]
            due_at=due_at,  # type: ignore[arg-type]
            returned_at=returned_at,  # type: ignore[arg-type]
            online_level=str(online_level),
            apologies=int(apologies),  # type: ignore[call-overload]
            level=level,  # type: ignore[arg-type]
            scores=scores,  # type: ignore[arg-type]
        )
        for received_at, legal_due_at, due_at, returned_at, online_level, apologies, level, scores in rows
    ]


def dossiers_in_period(viewer: Viewer, *, period: str, day: dt.date) -> QuerySet[Dossier]:
    start, end = period_bounds(period, day)
    return permissions.visible_dossiers(viewer).filter(received_at__date__gte=start, received_at__date__lte=end)


def quality_rows(viewer: Viewer, *, level: str, period: str, day: dt.date) -> list[QualityRow]:
    """One row per desk, unit or agency (or one for the city) with the dossiers received in the period."""
    dossiers = dossiers_in_period(viewer, period=period, day=day)
    if level == CITY:
        groups: dict[int | None, list[tuple[object, ...]]] = {None: []}
        names: dict[int | None, str] = {None: ""}
        group_field, name_field = None, None
    else:
        groups, names = defaultdict(list), {}
        group_field, name_field = _GROUP_FIELD[level], _NAME_FIELD[level]
    columns = ["received_at", "legal_due_at", "due_at", "returned_at", "online_level", "apology_count", "rating__level", "rating__scores"]
    extra = [group_field, name_field] if group_field and name_field else []
    for values in dossiers.annotate(apology_count=Count("apologies")).values_list(*columns, *extra).order_by().iterator(chunk_size=5000):
        key = values[8] if group_field else None
        if group_field:
            names[key] = values[9] or ""
        groups[key].append(values[:8])
    now = clock.now()
    rows = [QualityRow(key=key, name=names.get(key, ""), figures=quality.figures(_facts(rows), now=now)) for key, rows in groups.items() if rows]
    return sorted(rows, key=lambda row: row.name)


@dataclass(frozen=True)
class OfficerRow:
    staff_id: int
    code: str
    name: str
    score: quality.OfficerScore


def officer_rows(viewer: Viewer, *, period: str, day: dt.date) -> list[OfficerRow]:
    """Each officer who handled dossiers received in the period: how many, how many rated, their points."""
    dossiers = dossiers_in_period(viewer, period=period, day=day)
    by_officer: dict[int, list[list[int | None] | None]] = defaultdict(list)
    people: dict[int, tuple[str, str]] = {}
    through = Dossier.handlers.through.objects.filter(dossier__in=dossiers)
    ratings = dict(Rating.objects.filter(dossier__in=dossiers).values_list("dossier_id", "scores"))
    for dossier_id, staff_id, code, name in through.values_list("dossier_id", "staff_id", "staff__code", "staff__full_name").iterator(chunk_size=5000):
        by_officer[staff_id].append(ratings.get(dossier_id))
        people[staff_id] = (code, name)
    rows = [OfficerRow(staff_id, people[staff_id][0], people[staff_id][1], quality.officer_score(scores)) for staff_id, scores in by_officer.items()]
    return sorted(rows, key=lambda row: row.name)
