"""Reads of the dossier register: service-quality figures by desk, unit, agency or the city over a day, week or
month, and each officer's share of the citizens' evaluations (Decree 61/2018: indicators 1, 2, 3, 4, 7).

The figures are computed in the database (one grouped aggregate per screen, plus one for the apology letters), so a
city-month (HCMC: about 260,000 dossiers) costs one pass over the table, not 260,000 Python objects.
``quality.py`` stays the reference definition: ``quality_rows_in_python`` / ``officer_rows_in_python`` feed it
every row, and the tests check that both paths give the same figures on varied data (``bench/quality.py`` times
both)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, F, FloatField, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.expressions import Func
from django.db.models.functions import Coalesce
from django.utils import timezone

from telework.accounts.types import Viewer
from telework.core import calendar, clock
from telework.dossiers import indicators, permissions, quality
from telework.dossiers.models import Dossier, Rating
from telework.organization.models import Staff

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


@dataclass(frozen=True)
class OfficerRow:
    staff_id: int
    code: str
    name: str
    score: quality.OfficerScore


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
    """The dossiers ``viewer`` sees received in the period (local days; a moment range, so the indexes serve it)."""
    start, end = period_bounds(period, day)
    zone = timezone.get_current_timezone()
    since = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    until = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return permissions.visible_dossiers(viewer).filter(received_at__gte=since, received_at__lt=until)


# --- in the database ---------------------------------------------------------------------------------------------


class SecondsBetween(Func):
    """``later - earlier`` in seconds, exact to the microsecond on both databases (as ``timedelta.total_seconds``)."""

    arity = 2
    output_field = FloatField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        later, earlier = self._compiled(compiler)
        return f"(EXTRACT(EPOCH FROM ({later[0]} - {earlier[0]})))::double precision", (*later[1], *earlier[1])

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        # Django's own SQLite function behind datetime subtraction: the difference in microseconds.
        later, earlier = self._compiled(compiler)
        return f"(django_timestamp_diff({later[0]}, {earlier[0]}) / 1000000.0)", (*later[1], *earlier[1])

    def _compiled(self, compiler: Any) -> list[tuple[str, tuple[Any, ...]]]:
        return [(sql, tuple(params)) for sql, params in (compiler.compile(expression) for expression in self.get_source_expressions())]


class IndicatorScore(Func):
    """One indicator of a rating's JSON scores (a list of nine 0/1/2 or null) as an integer; NULL when the citizen
    skipped it or there is no rating. (Django's KeyTextTransform turns a JSON null into the text 'null' on SQLite,
    which casts to 0: a skipped answer must not count as a zero.)"""

    arity = 1
    output_field = IntegerField()

    def __init__(self, scores: F, index: int) -> None:
        super().__init__(scores)
        self.index = int(index)

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"(({sql}) ->> {self.index})::integer", params

    def as_sqlite(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"JSON_EXTRACT({sql}, '$[{self.index}]')", params


def _score(number: int, prefix: str) -> IndicatorScore:
    """Indicator ``number`` (1–9) of the rating's scores, NULL when skipped or not rated."""
    return IndicatorScore(F(f"{prefix}scores"), number - 1)


def _handling_percent() -> Case:
    """quality._handling_percent, row by row: 100 × time used / time the law allowed (NULL while not returned)."""
    used = SecondsBetween(F("returned_at"), F("received_at"))
    allowed = SecondsBetween(F("legal_due_at"), F("received_at"))
    no_time_allowed = Q(legal_due_at__lte=F("received_at"))
    no_time_used = Q(returned_at__lte=F("received_at"))
    return Case(
        When(returned_at__isnull=True, then=Value(None, output_field=FloatField())),
        When(no_time_allowed & no_time_used, then=Value(100.0)),
        When(no_time_allowed, then=Value(200.0)),
        When(no_time_used, then=Value(0.0)),
        default=Value(100.0) * used / allowed,
        output_field=FloatField(),
    )


def _figure_aggregates(now: dt.datetime) -> dict[str, Any]:
    returned = Q(returned_at__isnull=False)
    aggregates: dict[str, Any] = {
        "received": Count("pk"),
        "returned": Count("pk", filter=returned),
        "on_time": Count("pk", filter=returned & Q(returned_at__lte=F("legal_due_at"))),
        "late": Count("pk", filter=returned & Q(returned_at__gt=F("legal_due_at"))),
        "open_overdue": Count("pk", filter=Q(returned_at__isnull=True, due_at__lt=now)),
        "online": Count("pk", filter=Q(online_level__in=(quality.FULLY_ONLINE, quality.PARTLY_ONLINE))),
        "rated": Count("rating"),
        "handling": Sum(_handling_percent()),
    }
    for level in indicators.LEVELS:
        aggregates[f"level_{level}"] = Count("rating", filter=Q(rating__level=level))
    for number in range(1, indicators.INDICATOR_COUNT + 1):
        aggregates[f"sum_{number}"] = Sum(_score(number, "rating__"))
        aggregates[f"answers_{number}"] = Count(_score(number, "rating__"))
    return aggregates


def _figures_of(values: dict[str, object], apologies: int) -> quality.Figures:
    def number(key: str) -> int:
        return int(values[key] or 0)  # type: ignore[call-overload, no-any-return]

    level_counts = {level: number(f"level_{level}") for level in indicators.LEVELS if number(f"level_{level}")}
    return quality.Figures(
        received=number("received"),
        returned=number("returned"),
        on_time=number("on_time"),
        overdue=number("late") + number("open_overdue"),
        open_overdue=number("open_overdue"),
        apologies=apologies,
        online=number("online"),
        rated=number("rated"),
        handling_percent_total=float(values["handling"] or 0.0),  # type: ignore[arg-type]
        level_counts=level_counts,
        indicator_sums=tuple(number(f"sum_{n}") for n in range(1, indicators.INDICATOR_COUNT + 1)),
        indicator_answers=tuple(number(f"answers_{n}") for n in range(1, indicators.INDICATOR_COUNT + 1)),
    )


def quality_rows(viewer: Viewer, *, level: str, period: str, day: dt.date) -> list[QualityRow]:
    """One row per desk, unit or agency (or one for the city) with the dossiers received in the period, computed in
    the database: the same figures as ``quality.figures`` on the same dossiers."""
    dossiers = dossiers_in_period(viewer, period=period, day=day).order_by()
    aggregates = _figure_aggregates(clock.now())
    # Apology letters counted from the dossiers' side, only those with a letter (a join in the main aggregate would
    # multiply its rows; ``ApologyLetter.filter(dossier__in=…)`` measured 2.5 times slower on a city-month).
    with_letters = dossiers.filter(apologies__isnull=False)
    if level == CITY:
        values = dossiers.aggregate(**aggregates)
        if not values["received"]:
            return []
        letters_total = with_letters.aggregate(letters=Count("apologies"))["letters"] or 0
        return [QualityRow(key=None, name="", figures=_figures_of(values, letters_total))]
    group_field, name_field = _GROUP_FIELD[level], _NAME_FIELD[level]
    letters = dict(with_letters.values(group_field).annotate(letters=Count("apologies")).values_list(group_field, "letters"))
    rows = [
        QualityRow(key=values[group_field], name=values[name_field] or "", figures=_figures_of(values, letters.get(values[group_field], 0)))
        for values in dossiers.values(group_field, name_field).annotate(**aggregates)
    ]
    return sorted(rows, key=lambda row: row.name)


def officer_rows(viewer: Viewer, *, period: str, day: dt.date) -> list[OfficerRow]:
    """Each officer who handled dossiers received in the period: how many, how many rated, their points (Decree
    61/2018: indicators 1, 2, 3, 4 and 7), computed in the database as ``quality.officer_score`` defines them."""
    dossiers = dossiers_in_period(viewer, period=period, day=day)
    return officer_rows_of(dossiers)


def officer_rows_of(dossiers: QuerySet[Dossier], *, staff: QuerySet[Staff] | None = None) -> list[OfficerRow]:
    """``officer_rows`` over any set of dossiers (the evaluation passes the period's dossiers and its people). Grouped
    from the dossiers' side by handler (one join to the through table; 1.7 times faster on a city-month than starting
    from the through table with ``dossier__in``), the names read after for the few hundred officers."""
    handled = dossiers.order_by().filter(handlers__isnull=False) if staff is None else dossiers.order_by().filter(handlers__in=staff.order_by().values("pk"))
    scores = [_score(number, "rating__") for number in indicators.OFFICER_INDICATORS]
    earned = sum((Coalesce(Sum(score), 0) for score in scores[1:]), Coalesce(Sum(scores[0]), 0))
    answered = sum((Count(score) for score in scores[1:]), Count(scores[0]))
    grouped = list(handled.values("handlers").annotate(handled=Count("pk"), rated=Count("rating"), earned=earned, answered=answered))
    names = {
        pk: (code, name) for pk, code, name in Staff.objects.filter(pk__in=[values["handlers"] for values in grouped]).values_list("pk", "code", "full_name")
    }
    rows = [
        OfficerRow(
            values["handlers"],
            names[values["handlers"]][0],
            names[values["handlers"]][1],
            quality.OfficerScore(
                dossiers=values["handled"], rated=values["rated"], earned=int(values["earned"]), possible=indicators.MAX_POINTS * values["answered"]
            ),
        )
        for values in grouped
    ]
    return sorted(rows, key=lambda row: row.name)


# --- the reference path: every row through quality.py (tests and bench/quality.py) ----------------------------------


def quality_rows_in_python(viewer: Viewer, *, level: str, period: str, day: dt.date) -> list[QualityRow]:
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


def officer_rows_in_python(viewer: Viewer, *, period: str, day: dt.date) -> list[OfficerRow]:
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
