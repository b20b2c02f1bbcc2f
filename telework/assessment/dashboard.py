"""The pilot dashboards (``/assessment/``): city → agency → unit, for one indicator over a period and one phase.

Reads only, scoped by the outcome panel's rule (``outcomes.permissions``): a unit head their subtree, agency heads and
HR their agency, Home Affairs, leadership and administrators the city. Every figure is pooled in SQL as Σ numerators ÷
Σ denominators over the units and weeks it covers (never an average of averages); arms come from the phase's
``DesignAllocation`` (analysed as assigned). A page costs a fixed number of queries whatever the city's size: the
weekly figures of every indicator shown in one grouped query, the breakdown by agency or unit in another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from telework.accounts.types import Viewer
from telework.assessment import estimates
from telework.assessment.estimation import EventTimeEstimate
from telework.assessment.models import Arm, DesignAllocation, Estimate, PhaseDesign, PhaseReview
from telework.assessment.verdict import Verdict
from telework.core import clock, db
from telework.core.exceptions import NotFound
from telework.organization import scope
from telework.organization.models import Agency, Unit
from telework.outcomes import indicators, permissions
from telework.outcomes.indicators import INDICATORS, Indicator
from telework.outcomes.models import OutcomeValue
from telework.outcomes.selectors import display
from telework.policy.models import PilotPhase

DEFAULT_INDICATOR = "dossier_on_time_rate"
SATISFACTION = "citizen_satisfied_share"
PARTICIPATION = ("participation_share", "participation_one_day", "participation_two_days", "participation_three_plus_days")
DEFAULT_WEEKS = 52
WEEKS_BEFORE_START = 12  # the default period shows at least this much before the phase's start
MAX_WEEKS = 260  # five years of weeks in one page
MAX_PHASES = 200
MAX_BREAKDOWN_ROWS = 500
MAX_UNIT_CHOICES = 2_000
MAX_LISTED_UNITS = 5_000  # the units of one agency or subtree (HCMC's largest agency has a few hundred)
ALL = "all"  # the series of every unit in view, when the phase has no design


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def may_read(viewer: Viewer) -> bool:
    """Whoever reads some unit's outcome panel reads the dashboard of what they may see; staff do not."""
    return permissions.panel_units(viewer).exists()


class FilterForm(forms.Form):
    """The query string, validated at the edge: ids bounded, the indicator one of the dictionary's, ISO dates."""

    agency = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    unit = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)
    indicator = forms.ChoiceField(required=False, choices=[])
    date_from = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    date_to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    phase = forms.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    def __init__(self, params: Mapping[str, str]) -> None:
        data = {name: str(params.get(key, ""))[:40] for name, key in self.PARAMS.items()}
        super().__init__(data)
        field_ = self.fields["indicator"]
        assert isinstance(field_, forms.ChoiceField)  # noqa: S101 - declared above
        field_.choices = [(code, str(item.name)) for code, item in INDICATORS.items()]

    # form field → query-string key (``from`` and ``to`` are what the links and the benchmark use)
    PARAMS = {"agency": "agency", "unit": "unit", "indicator": "indicator", "date_from": "from", "date_to": "to", "phase": "phase"}


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str  # "" for the current level


@dataclass(frozen=True)
class Marker:
    """A vertical line on the weekly charts: the phase's first day or a wave's."""

    week: dt.date
    label: str


@dataclass(frozen=True)
class Pooled:
    """Σ numerators, Σ denominators and the pooled value of one series in one week (or period)."""

    numerator: float | None
    denominator: float | None
    value: float | None


@dataclass(frozen=True)
class Series:
    key: str  # "pilot" | "comparison" | "all"
    label: str
    points: list[Pooled]  # one per week


@dataclass(frozen=True)
class WeeklyFigure:
    """One indicator's weekly figures in the dashboard's period, by arm (or for every unit in view)."""

    indicator: Indicator
    weeks: list[dt.date]
    series: list[Series]

    @property
    def has_data(self) -> bool:
        return any(point.value is not None for series in self.series for point in series.points)

    def rows(self) -> list[tuple[dt.date, list[str]]]:
        return [(week, [display(self.indicator, series.points[index].value) for series in self.series]) for index, week in enumerate(self.weeks)]

    def chart(self, markers: list[Marker]) -> dict[str, Any]:
        """What the page's script draws (shares in percent), passed with ``json_script``."""
        scale = 100.0 if self.indicator.unit == indicators.SHARE else 1.0
        positions = {week: index for index, week in enumerate(self.weeks)}
        return {
            "labels": [week.strftime("%d/%m/%Y") for week in self.weeks],
            "unit": str(self.indicator.unit_label),
            "series": [
                {"key": series.key, "label": series.label, "values": [None if p.value is None else round(p.value * scale, 3) for p in series.points]}
                for series in self.series
            ],
            "markers": [{"index": positions[marker.week], "label": marker.label} for marker in markers if marker.week in positions],
        }


@dataclass(frozen=True)
class BreakdownRow:
    """An agency (city level) or a unit (agency and unit levels): the indicator before and since the phase's start."""

    label: str
    url: str  # drill-down link, "" when there is nothing below
    arm: str  # words: pilot / comparison / "pilot 3 · comparison 4" / ""
    before: Pooled
    since: Pooled


@dataclass(frozen=True)
class ParticipationWeek:
    week: dt.date
    people: float | None  # staff in the week's rosters
    at_home: float | None  # with at least one day at home
    one_day: float | None
    two_days: float | None
    three_plus: float | None

    @property
    def share(self) -> float | None:
        return self.at_home / self.people if self.people and self.at_home is not None else None


@dataclass
class Dashboard:
    level: str  # "city" | "agency" | "unit"
    title: str
    crumbs: list[Crumb]
    agency: Agency | None
    unit: Unit | None
    indicator: Indicator
    date_from: dt.date
    date_to: dt.date
    phases: list[PilotPhase]
    phase: PilotPhase | None
    design: PhaseDesign | None
    markers: list[Marker]
    trend: WeeklyFigure
    satisfaction: WeeklyFigure
    participation: list[ParticipationWeek]
    breakdown: list[BreakdownRow]
    breakdown_truncated: bool
    start: dt.date | None  # the split of the breakdown: the phase's first week
    agencies: list[Agency]
    units: list[Unit]
    arm_counts: dict[str, int] = field(default_factory=dict)
    estimate: Estimate | None = None  # the latest stored estimate of the indicator for the phase
    verdict: Verdict | None = None
    event_study: list[EventTimeEstimate] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    query: dict[str, str] = field(default_factory=dict)

    @property
    def query_string(self) -> str:
        return urlencode(self.query)

    def event_study_chart(self) -> dict[str, Any]:
        """Each four-week period's estimate and its 95 % interval (shares in percentage points)."""
        if not self.event_study:
            return {}
        scale = 100.0 if self.indicator.unit == indicators.SHARE else 1.0
        return {
            "labels": [f"{row.period:+d}" if row.period else "0" for row in self.event_study],
            "unit": str(pgettext_lazy("effect unit", "percentage points")) if scale == 100.0 else str(self.indicator.unit_label),
            "estimates": [round(row.estimate * scale, 4) for row in self.event_study],
            "intervals": [[round(row.ci_low * scale, 4), round(row.ci_high * scale, 4)] for row in self.event_study],
            "estimateLabel": str(pgettext_lazy("dashboard", "Estimate")),
            "intervalLabel": str(pgettext_lazy("dashboard", "95% interval")),
            "markers": [{"index": index, "label": str(pgettext_lazy("dashboard", "Start"))} for index, row in enumerate(self.event_study) if row.period == 0],
        }

    def participation_chart(self) -> dict[str, Any]:
        def percent(part: float | None, row: ParticipationWeek) -> float | None:
            return round(100 * part / row.people, 3) if part is not None and row.people else None

        return {
            "labels": [row.week.strftime("%d/%m/%Y") for row in self.participation],
            "unit": "%",
            "series": [
                {"key": "one", "label": str(_("One day a week")), "values": [percent(row.one_day, row) for row in self.participation]},
                {"key": "two", "label": str(_("Two days a week")), "values": [percent(row.two_days, row) for row in self.participation]},
                {"key": "three", "label": str(_("Three or more days")), "values": [percent(row.three_plus, row) for row in self.participation]},
            ],
            "markers": [],
        }


def _pool(indicator: Indicator, numerator: float | None, denominator: float | None, total: float | None, cells: int) -> Pooled:
    """Σ numerators ÷ Σ denominators; a count without a denominator is summed; else (a value without its counts) the
    mean of the cells, the only figure left."""
    if not cells:
        return Pooled(None, None, None)
    if denominator:
        return Pooled(numerator, denominator, (numerator or 0.0) / denominator)
    if indicator.unit == indicators.COUNT:
        value = numerator if numerator is not None else total
        return Pooled(value, None, value)
    if indicator.unit == indicators.SHARE or denominator == 0:
        return Pooled(numerator, denominator, None)  # shares of nothing: no value
    return Pooled(numerator, denominator, None if total is None else total / cells)


def _series_keys(design: PhaseDesign | None) -> list[tuple[str, str]]:
    if design is None:
        return [(ALL, str(_("All units in view")))]
    return [
        (str(Arm.PILOT), str(pgettext_lazy("dashboard series", "Pilot units"))),
        (str(Arm.COMPARISON), str(pgettext_lazy("dashboard series", "Comparison units"))),
    ]


def _scope_clause(unit_ids: list[int] | None) -> tuple[str, list[Any]]:
    """``AND v.unit_id IN (…the units in view…)``, or nothing when the whole city is in view. The ids are listed (an
    agency's or a subtree's units, bounded) so that the database reads each unit's rows through the panel's unique
    (unit, week, indicator) index instead of every unit's rows of the indicator."""
    if unit_ids is None:
        return "", []
    if not unit_ids:
        return " AND 1 = 0", []
    return f" AND v.unit_id IN ({', '.join(['%s'] * len(unit_ids))})", list(unit_ids)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _weekly(unit_ids: list[int] | None, codes: list[str], weeks: list[dt.date], design: PhaseDesign | None) -> dict[str, dict[dt.date, dict[str, Any]]]:
    """One grouped query: per indicator, week and arm, Σ numerator, Σ denominator, Σ value and the cells; the arm is
    joined from the design's allocation (one index probe per value), and every unit in view adds to "all".

    Raw SQL because the allocation has no relation the ORM could join from the panel; the same text runs on SQLite
    and PostgreSQL (the panel's index on (indicator, week) serves the city, the unique (unit, week, indicator) a unit).
    """
    table, allocation = OutcomeValue._meta.db_table, DesignAllocation._meta.db_table
    params: list[Any] = []
    join, arm, group_arm = "", "''", ""  # PostgreSQL refuses a constant in GROUP BY
    if design is not None:
        join, arm = f" LEFT JOIN {allocation} a ON a.unit_id = v.unit_id AND a.design_id = %s", "COALESCE(a.arm, '')"
        group_arm = f", {arm}"
        params.append(design.pk)
    scope_sql, scope_params = _scope_clause(unit_ids)
    placeholders = ", ".join(["%s"] * len(codes))
    # Only table names and placeholders are formatted in; every value is a parameter.
    sql = (
        f"SELECT v.indicator, v.week, {arm}, SUM(v.numerator), SUM(v.denominator), SUM(v.value), COUNT(*) FROM {table} v{join} "  # noqa: S608
        f"WHERE v.indicator IN ({placeholders}) AND v.week >= %s AND v.week <= %s{scope_sql} GROUP BY v.indicator, v.week{group_arm}"
    )
    params += [*codes, weeks[0], weeks[-1], *scope_params]
    found: dict[str, dict[dt.date, dict[str, Any]]] = {code: {} for code in codes}
    with connections[db.reading_alias()].cursor() as cursor:  # the replica when the view reads reports from it
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for code, week, arm_code, numerator, denominator, total, cells in rows:
        sums = found[code].setdefault(_as_date(week), {})
        for key in {ALL, arm_code} - {""}:
            for part, value in (("num", numerator), ("den", denominator), ("sum", total), ("cells", cells)):
                previous = sums.get(f"{key}_{part}")
                sums[f"{key}_{part}"] = value if previous is None else previous if value is None else previous + value
    return found


def _figure(indicator: Indicator, found: dict[dt.date, dict[str, Any]], weeks: list[dt.date], design: PhaseDesign | None) -> WeeklyFigure:
    series = []
    for key, label in _series_keys(design):
        points = []
        for week in weeks:
            row = found.get(week, {})
            points.append(_pool(indicator, row.get(f"{key}_num"), row.get(f"{key}_den"), row.get(f"{key}_sum"), row.get(f"{key}_cells") or 0))
        series.append(Series(key=key, label=label, points=points))
    return WeeklyFigure(indicator=indicator, weeks=weeks, series=series)


def _participation(found: dict[str, dict[dt.date, dict[str, Any]]], weeks: list[dt.date]) -> list[ParticipationWeek]:
    """People in the week's rosters and how many were at home 1, 2, 3+ days (the numerators share one denominator)."""
    rows = []
    for week in weeks:
        share = found[PARTICIPATION[0]].get(week)
        if share is None or not share.get(f"{ALL}_den"):
            continue

        def count(code: str, week: dt.date = week) -> float | None:
            row = found[code].get(week)
            return None if row is None else row.get(f"{ALL}_num")

        rows.append(ParticipationWeek(week, share[f"{ALL}_den"], share[f"{ALL}_num"], *(count(code) for code in PARTICIPATION[1:])))
    return rows


def _link(query: dict[str, str], **changes: str) -> str:
    """A link to another level with the same indicator, period and phase."""
    merged = {key: value for key, value in query.items() if key not in {"agency", "unit"}}
    merged.update(changes)
    return "?" + urlencode(merged)


def _default_phase(phases: list[PilotPhase]) -> PilotPhase | None:
    """The latest launched phase, else the latest with a design, else the latest."""
    for phase in phases:
        if phase.started_at is not None:
            return phase
    for phase in phases:
        if getattr(phase, "has_design", False):
            return phase
    return phases[0] if phases else None


def build(viewer: Viewer, params: Mapping[str, str]) -> Dashboard:  # noqa: C901, PLR0912, PLR0915 - one page, read top to bottom
    """The dashboard ``viewer`` asked for with ``params`` (the query string). Invalid filters fall back to their
    defaults with an error in words; a unit or agency outside the viewer's scope raises ``NotFound``."""
    scope_units = permissions.panel_units(viewer)
    whole_city = permissions.reads_whole_city(viewer)
    form = FilterForm(params)
    form.is_valid()
    errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
    data = form.cleaned_data
    agency: Agency | None = None
    unit: Unit | None = None
    if data.get("unit"):
        unit = scope_units.select_related("agency").filter(pk=data["unit"]).first()
        if unit is None:
            raise NotFound(_("No such unit."), rule="dashboard.unit")
        agency = unit.agency
    elif data.get("agency"):
        agency = Agency.objects.filter(pk=data["agency"]).filter(Exists(scope_units.filter(agency_id=OuterRef("pk")))).first()
        if agency is None:
            raise NotFound(_("No such agency."), rule="dashboard.agency")
    elif not whole_city:
        me = scope.own_staff(viewer)
        if viewer.is_authenticated and viewer.role in scope.AGENCY_ROLES and me is not None:
            agency = Agency.objects.get(pk=me.unit.agency_id)
        else:
            unit = scope_units.select_related("agency").filter(pk=me.unit_id).first() if me is not None else None
            unit = unit or scope_units.select_related("agency").order_by("path").first()
            agency = unit.agency if unit is not None else None
    if unit is not None:
        level, in_view = "unit", scope_units.filter(path__startswith=unit.path)
    elif agency is not None:
        level, in_view = "agency", scope_units.filter(agency=agency)
    else:
        level, in_view = "city", scope_units
    in_view_or_city = None if level == "city" and whole_city else in_view
    # The units in view, listed for the weekly query (an agency's or a subtree's; a city-wide reader's city needs none).
    unit_ids = None if in_view_or_city is None else list(in_view_or_city.order_by().values_list("pk", flat=True)[:MAX_LISTED_UNITS])

    phases: list[PilotPhase] = list(
        PilotPhase.objects.select_related("pilot")
        .annotate(has_design=Exists(PhaseDesign.objects.filter(phase=OuterRef("pk"))), has_review=Exists(PhaseReview.objects.filter(phase=OuterRef("pk"))))
        .order_by("-starts_on", "-pk")[:MAX_PHASES]
    )
    phase: PilotPhase | None = next((p for p in phases if p.pk == data.get("phase")), None) if data.get("phase") else None
    if data.get("phase") and phase is None:
        errors.append(str(_("No such phase: the latest phase is shown.")))
    phase = phase or _default_phase(phases)
    design = PhaseDesign.objects.filter(phase=phase).first() if phase is not None else None
    allocations: list[dict[str, Any]] = []
    if design is not None:
        allocations = [
            dict(row) for row in DesignAllocation.objects.filter(design=design).values("unit_id", "unit__agency_id", "arm", "wave", "wave_starts_on")
        ]

    code = data.get("indicator") or (design.primary_outcomes[0] if design is not None and design.primary_outcomes else DEFAULT_INDICATOR)
    indicator = INDICATORS.get(code) or INDICATORS[DEFAULT_INDICATOR]

    this_monday = monday(clock.today())
    date_to = monday(data["date_to"]) if data.get("date_to") else this_monday
    default_from = date_to - dt.timedelta(weeks=DEFAULT_WEEKS - 1)
    if phase is not None:
        default_from = min(default_from, monday(phase.starts_on) - dt.timedelta(weeks=WEEKS_BEFORE_START))
    date_from = monday(data["date_from"]) if data.get("date_from") else default_from
    if date_from > date_to:
        errors.append(str(_("The period's start is after its end: the default period is shown.")))
        date_from, date_to = default_from, this_monday
    if (date_to - date_from).days // 7 + 1 > MAX_WEEKS:
        errors.append(str(_("At most %(weeks)s weeks are shown at once: the period was shortened.") % {"weeks": MAX_WEEKS}))
        date_from = date_to - dt.timedelta(weeks=MAX_WEEKS - 1)
    weeks = [date_from + dt.timedelta(weeks=index) for index in range((date_to - date_from).days // 7 + 1)]

    markers: list[Marker] = []
    start: dt.date | None = None
    if phase is not None:
        start = monday(phase.starts_on)
        markers.append(Marker(start, str(_("%(phase)s starts") % {"phase": phase.name})))
        waves = sorted({(row["wave"], row["wave_starts_on"]) for row in allocations if row["wave"] and row["wave_starts_on"]})
        for wave, starts_on in waves:
            if monday(starts_on) != start:
                markers.append(Marker(monday(starts_on), str(_("Wave %(wave)s starts") % {"wave": wave})))

    codes = list(dict.fromkeys([indicator.code, SATISFACTION, *PARTICIPATION]))
    found = _weekly(unit_ids, codes, weeks, design)
    trend = _figure(indicator, found[indicator.code], weeks, design)
    satisfaction = _figure(INDICATORS[SATISFACTION], found[SATISFACTION], weeks, design)
    participation = _participation(found, weeks)

    query = {"indicator": indicator.code, "from": date_from.isoformat(), "to": date_to.isoformat()}
    if phase is not None:
        query["phase"] = str(phase.pk)
    crumbs, breakdown, truncated = _breakdown(
        level=level,
        whole_city=whole_city,
        agency=agency,
        unit=unit,
        in_view=in_view_or_city,
        scope_units=scope_units,
        indicator=indicator,
        weeks=weeks,
        start=start,
        allocations=allocations,
        query=query,
    )
    if agency is not None:
        query["agency"] = str(agency.pk)
    if unit is not None:
        query["unit"] = str(unit.pk)

    estimate: Estimate | None = None
    verdict: Verdict | None = None
    event_study: list[EventTimeEstimate] = []
    if phase is not None and design is not None:
        latest = estimates.latest_estimates(phase)
        estimate = latest.get(indicator.code)
        if estimate is not None and estimate.result is not None:
            event_study = sorted(estimates.result_of(estimate).event_study, key=lambda row: row.period)
            verdict = estimates.verdict_of(estimate, latest=latest)

    agencies = list(Agency.objects.filter(Exists(scope_units.filter(agency_id=OuterRef("pk")))).order_by("name")) if whole_city or agency is None else [agency]
    units = list(scope_units.filter(agency=agency).order_by("path")[:MAX_UNIT_CHOICES]) if agency is not None else []
    title = unit.name if unit is not None else agency.name if agency is not None else str(_("The whole city"))
    return Dashboard(
        level=level,
        title=title,
        crumbs=crumbs,
        agency=agency,
        unit=unit,
        indicator=indicator,
        date_from=date_from,
        date_to=date_to,
        phases=phases,
        phase=phase,
        design=design,
        markers=markers,
        trend=trend,
        satisfaction=satisfaction,
        participation=participation,
        breakdown=breakdown,
        breakdown_truncated=truncated,
        start=start,
        agencies=agencies,
        units=units,
        arm_counts={str(arm): sum(1 for row in allocations if row["arm"] == arm) for arm in (Arm.PILOT, Arm.COMPARISON)},
        estimate=estimate,
        verdict=verdict,
        event_study=event_study,
        errors=errors,
        query=query,
    )


def _breakdown(
    *,
    level: str,
    whole_city: bool,
    agency: Agency | None,
    unit: Unit | None,
    in_view: QuerySet[Unit] | None,
    scope_units: QuerySet[Unit],
    indicator: Indicator,
    weeks: list[dt.date],
    start: dt.date | None,
    allocations: list[dict[str, Any]],
    query: dict[str, str],
) -> tuple[list[Crumb], list[BreakdownRow], bool]:
    """The breadcrumb and the table one level down (agencies of the city, units of an agency or of a subtree), with the
    indicator pooled before and since the phase's first week — one grouped query."""
    crumbs: list[Crumb] = []
    if whole_city:
        crumbs.append(Crumb(str(_("The whole city")), "" if level == "city" else _link(query)))
    if agency is not None:
        crumbs.append(Crumb(agency.name, "" if level == "agency" else _link(query, agency=str(agency.pk))))
    if unit is not None:
        ancestors = [int(part) for part in unit.path.strip("/").split("/")[:-1] if part.isdigit()]
        names = dict(scope_units.filter(pk__in=ancestors).values_list("pk", "name")) if ancestors else {}
        crumbs.extend(Crumb(names[pk], _link(query, unit=str(pk))) for pk in ancestors if pk in names)
        crumbs.append(Crumb(unit.name, ""))

    before = Q(week__lt=start) if start is not None else Q(pk__in=[])
    since = Q(week__gte=start) if start is not None else Q()
    sums = {
        "before_num": Sum("numerator", filter=before),
        "before_den": Sum("denominator", filter=before),
        "before_sum": Sum("value", filter=before),
        "before_cells": Count("pk", filter=before),
        "since_num": Sum("numerator", filter=since) if start is not None else Sum("numerator"),
        "since_den": Sum("denominator", filter=since) if start is not None else Sum("denominator"),
        "since_sum": Sum("value", filter=since) if start is not None else Sum("value"),
        "since_cells": Count("pk", filter=since) if start is not None else Count("pk"),
    }
    values = OutcomeValue.objects.all() if in_view is None else OutcomeValue.objects.filter(unit_id__in=in_view.values("pk"))
    period = values.filter(indicator=indicator.code, week__gte=weeks[0], week__lte=weeks[-1])
    rows: list[BreakdownRow] = []
    if level == "city":
        grouped: list[dict[str, Any]] = [
            dict(row)
            for row in period.values("unit__agency_id", "unit__agency__name").annotate(**sums).order_by("unit__agency__name")[: MAX_BREAKDOWN_ROWS + 1]
        ]
        arms: dict[int, dict[str, int]] = {}
        for row in allocations:
            arms.setdefault(row["unit__agency_id"], {}).setdefault(row["arm"], 0)
            arms[row["unit__agency_id"]][row["arm"]] += 1
        for row in grouped:
            counts = arms.get(row["unit__agency_id"], {})
            arm = (
                str(_("pilot %(pilot)s · comparison %(comparison)s") % {"pilot": counts.get(Arm.PILOT, 0), "comparison": counts.get(Arm.COMPARISON, 0)})
                if counts
                else ""
            )
            rows.append(_row(indicator, row, row["unit__agency__name"], _link(query, agency=str(row["unit__agency_id"])), arm))
    else:
        grouped = [dict(row) for row in period.values("unit_id", "unit__name", "unit__path").annotate(**sums).order_by("unit__path")[: MAX_BREAKDOWN_ROWS + 1]]
        arm_of = {row["unit_id"]: row["arm"] for row in allocations}
        labels = dict(Arm.choices)
        for row in grouped:
            current = unit is not None and row["unit_id"] == unit.pk
            arm_code = arm_of.get(row["unit_id"])
            rows.append(
                _row(indicator, row, row["unit__name"], "" if current else _link(query, unit=str(row["unit_id"])), str(labels[arm_code]) if arm_code else "")
            )
    truncated = len(rows) > MAX_BREAKDOWN_ROWS
    return crumbs, rows[:MAX_BREAKDOWN_ROWS], truncated


def _row(indicator: Indicator, row: dict[str, Any], label: str, url: str, arm: str) -> BreakdownRow:
    return BreakdownRow(
        label=label,
        url=url,
        arm=arm,
        before=_pool(indicator, row["before_num"], row["before_den"], row["before_sum"], row["before_cells"]),
        since=_pool(indicator, row["since_num"], row["since_den"], row["since_sum"], row["since_cells"]),
    )
