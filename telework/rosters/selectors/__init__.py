"""Reads for rosters, scoped by the viewer, and who may act on which unit's rosters.

``permissions`` (who manages which unit, which units a viewer reads), ``labels`` (rules, weeks, days and cells in
words), ``grid`` (the week grid and the stored roster as the engine reads it) and ``queries`` (versions, today,
swaps, leave, events, runs). A roster outside the viewer's scope answers ``NotFound`` (404), never 403, so ids do not
leak. The public names are here: ``from telework.rosters import selectors; selectors.roster_grid(...)``.
"""

from __future__ import annotations

from telework.rosters.selectors.grid import (
    DayTotals,
    GridCell,
    GridFinding,
    GridRow,
    PointStaffing,
    RosterGrid,
    engine_roster,
    entry_map,
    roster_days,
    roster_grid,
    with_leave,
)
from telework.rosters.selectors.labels import (
    RULE_LABELS,
    STATUS_LABELS,
    cell_label,
    certificate_lines,
    describe_finding,
    explanation_lines,
    holiday_label,
    iso_week_of,
    parse_iso_week,
    rule_label,
    week_start_of,
    weekday_name,
)
from telework.rosters.selectors.permissions import can_generate_city, can_manage_unit, can_record_leave, managed_units, roster_units
from telework.rosters.selectors.queries import (
    TodayPerson,
    TodayUnit,
    leave_list,
    roster_for_week,
    roster_get,
    roster_run_get,
    roster_runs,
    roster_today,
    roster_versions,
    swap_get,
    swap_list,
    swaps_awaiting,
    unit_events,
)

__all__ = [
    "DayTotals",
    "GridCell",
    "GridFinding",
    "GridRow",
    "PointStaffing",
    "RULE_LABELS",
    "RosterGrid",
    "STATUS_LABELS",
    "TodayPerson",
    "TodayUnit",
    "can_generate_city",
    "can_manage_unit",
    "can_record_leave",
    "cell_label",
    "certificate_lines",
    "describe_finding",
    "engine_roster",
    "entry_map",
    "explanation_lines",
    "holiday_label",
    "iso_week_of",
    "leave_list",
    "managed_units",
    "parse_iso_week",
    "roster_days",
    "roster_for_week",
    "roster_get",
    "roster_grid",
    "roster_run_get",
    "roster_runs",
    "roster_today",
    "roster_units",
    "roster_versions",
    "rule_label",
    "swap_get",
    "swap_list",
    "swaps_awaiting",
    "unit_events",
    "week_start_of",
    "weekday_name",
    "with_leave",
]
