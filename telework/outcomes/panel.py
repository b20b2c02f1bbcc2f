"""Building the outcome panel: set-based SQL over the other apps' records, one statement per family of indicators.

Each family is one ``INSERT … SELECT … GROUP BY`` that reads its source once and writes the family's indicators
(``UNION ALL`` over one aggregate), upserting on (unit, week, indicator) with ``ON CONFLICT … DO UPDATE``: the same
text runs on SQLite and PostgreSQL; only a handful of expressions differ (the week of a timestamp, seconds between
two moments, a number inside a JSON document), see ``_Dialect``. Nothing is computed row by row in Python.

A refresh recomputes whole weeks: it deletes the panel's rows of those weeks and writes them again in one transaction,
so it is idempotent and a week that lost its data loses its figures. ``refresh(day)`` recomputes the week of a day
(the nightly job passes yesterday); ``rebuild()`` recomputes every week from the first record to this week.

Weeks are ISO weeks named by their Monday, in the city's time (Asia/Ho_Chi_Minh, UTC+7 all year: Vietnam has kept no
daylight saving time since 1975). Where a source has no data for a unit and week, there is no value — never a zero
standing for "unknown". Counts that are naturally zero (apology letters, overdue dossiers, staff leaving) are written
as zero for the weeks in which the unit has records in that source.
"""

# ruff: noqa: S608 - the SQL text holds only table names from the models, codes and expressions built here; every
# value (dates, moments, the minimum group) is a query parameter.
from __future__ import annotations

import datetime as dt
import time
import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Min

from telework.accounts.models import User
from telework.assignments.models import WorkItem, WorkStatus
from telework.attendance.models import CheckIn
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.models import AuditEvent
from telework.dossiers import indicators as dossier_levels
from telework.dossiers.models import ApologyLetter, Dossier, DossierStatus, Rating
from telework.evaluations.models import Evaluation, EvaluationPeriod, LevelChoice, PeriodStatus
from telework.organization.models import Staff, Unit
from telework.outcomes.indicators import INDICATORS
from telework.outcomes.models import OutcomeValue, PanelRefresh, RefreshKind
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterStatus
from telework.surveys import scales
from telework.surveys.models import PulseResponse, PulseWave

WEEK = dt.timedelta(days=7)
# A rebuild covers at most ten years of weeks (the first record to this week): a bound on rows and statement size.
MAX_WEEKS = 520


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@dataclass(frozen=True)
class Window:
    """Whole weeks ``first_week``…``last_week`` (Mondays, inclusive)."""

    first_week: dt.date
    last_week: dt.date

    def __post_init__(self) -> None:
        if self.first_week.weekday() != 0 or self.last_week.weekday() != 0 or self.last_week < self.first_week:
            raise ValueError("a window runs from a Monday to a later or the same Monday")
        if self.weeks_count > MAX_WEEKS:
            raise ValueError(f"a window holds at most {MAX_WEEKS} weeks")

    @property
    def weeks_count(self) -> int:
        return (self.last_week - self.first_week).days // 7 + 1

    def weeks(self) -> list[dt.date]:
        return [self.first_week + WEEK * index for index in range(self.weeks_count)]

    @property
    def end_day(self) -> dt.date:
        """The Monday after the window (exclusive)."""
        return self.last_week + WEEK


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _local_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=_zone())


class _Dialect:
    """The few expressions SQLite and PostgreSQL write differently."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        offset = _local_midnight(dt.date(2026, 1, 1)).utcoffset() or dt.timedelta()
        self.offset_hours = int(offset.total_seconds() // 3600)

    def week_of_moment(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"CAST(date_trunc('week', {column} AT TIME ZONE '{settings.TIME_ZONE}') AS date)"
        return f"date({column}, '{self.offset_hours:+d} hours', 'weekday 0', '-6 days')"

    def local_day(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"CAST({column} AT TIME ZONE '{settings.TIME_ZONE}' AS date)"
        return f"date({column}, '{self.offset_hours:+d} hours')"

    def week_of_day(self, column: str) -> str:
        if self.vendor == "postgresql":
            return f"CAST(date_trunc('week', {column}) AS date)"
        return f"date({column}, 'weekday 0', '-6 days')"

    def seconds_between(self, start: str, end: str) -> str:
        if self.vendor == "postgresql":
            return f"EXTRACT(EPOCH FROM ({end} - {start}))"
        return f"((julianday({end}) - julianday({start})) * 86400.0)"

    def json_number(self, column: str, key: str) -> str:
        assert key.isidentifier(), key
        if self.vendor == "postgresql":
            return f"CAST(({column} ->> '{key}') AS double precision)"
        return f"CAST(json_extract({column}, '$.{key}') AS REAL)"

    def id_text(self, column: str) -> str:
        return f"CAST({column} AS {'varchar' if self.vendor == 'postgresql' else 'TEXT'})"

    def moment(self, value: dt.datetime) -> Any:
        return connection.ops.adapt_datetimefield_value(value)

    def day(self, value: dt.date) -> Any:
        return connection.ops.adapt_datefield_value(value)

    def true(self) -> str:
        return "TRUE" if self.vendor == "postgresql" else "1"


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _weeks_cte(sql: _Dialect, window: Window) -> tuple[str, list[Any]]:
    """``weeks(week, last_day, starts_at, ends_at)``: one row per week of the window."""
    rows, params = [], []
    for week in window.weeks():
        rows.append(
            "(%s, %s, %s, %s)" if sql.vendor != "postgresql" else "(CAST(%s AS date), CAST(%s AS date), CAST(%s AS timestamptz), CAST(%s AS timestamptz))"
        )
        params += [sql.day(week), sql.day(week + dt.timedelta(days=6)), sql.moment(_local_midnight(week)), sql.moment(_local_midnight(week + WEEK))]
    return f"weeks (week, last_day, starts_at, ends_at) AS (VALUES {', '.join(rows)})", params


def _rows(select: str) -> str:
    """Wrap a SELECT of (unit_id, week, indicator, value, numerator, denominator) as an upsert into the panel. The
    outer ``WHERE`` drops undefined values and lets SQLite tell the upsert's ON CONFLICT from a join's ON."""
    table = _table(OutcomeValue)
    return (
        f"INSERT INTO {table} (unit_id, week, indicator, value, numerator, denominator, updated_at) "
        f"SELECT computed.unit_id, computed.week, computed.indicator, computed.value, computed.numerator, computed.denominator, %s "
        f"FROM ({select}) AS computed WHERE computed.value IS NOT NULL "
        f"ON CONFLICT (unit_id, week, indicator) DO UPDATE SET value = excluded.value, numerator = excluded.numerator, "
        f"denominator = excluded.denominator, updated_at = excluded.updated_at"
    )


_NULL = "CAST(NULL AS DOUBLE PRECISION)"


def _ratio(numerator: str, denominator: str) -> str:
    return f"CASE WHEN {denominator} > 0 THEN (1.0 * {numerator}) / {denominator} END"


def _union(cte: str, source: str, parts: Sequence[tuple[str, str, str, str]]) -> str:
    """``WITH …`` one aggregate, then one SELECT per indicator (code, value, numerator, denominator)."""
    selects = [
        f"SELECT unit_id, week, '{code}' AS indicator, {value} AS value, {numerator} AS numerator, {denominator} AS denominator FROM {source}"
        for code, value, numerator, denominator in parts
    ]
    for code, *_ in parts:
        assert code in INDICATORS, code
    return f"WITH {cte} " + " UNION ALL ".join(selects)


@dataclass(frozen=True)
class _Statement:
    family: str
    sql: str
    params: list[Any]


def _statements(window: Window, today: dt.date) -> list[_Statement]:
    sql = _Dialect()
    start_at, end_at = sql.moment(_local_midnight(window.first_week)), sql.moment(_local_midnight(window.end_day))
    first_day, end_day = sql.day(window.first_week), sql.day(window.end_day)
    dossier, apology, rating, unit = _table(Dossier), _table(ApologyLetter), _table(Rating), _table(Unit)
    statements: list[_Statement] = []

    # --- Dossiers returned in the week: on time, and time used against the legal deadline. -----------------------
    returned_week = sql.week_of_moment("d.returned_at")
    statements.append(
        _Statement(
            "dossiers_returned",
            _union(
                "agg AS (SELECT d.unit_id AS unit_id, "
                f"{returned_week} AS week, COUNT(*) AS returned, "
                "SUM(CASE WHEN d.returned_at <= d.legal_due_at THEN 1 ELSE 0 END) AS on_time, "
                f"SUM({sql.seconds_between('d.received_at', 'd.returned_at')}) AS used, "
                f"SUM({sql.seconds_between('d.received_at', 'd.legal_due_at')}) AS allowed "
                f"FROM {dossier} d WHERE d.returned_at >= %s AND d.returned_at < %s GROUP BY d.unit_id, {returned_week})",
                "agg",
                [
                    ("dossier_on_time_rate", _ratio("on_time", "returned"), "on_time", "returned"),
                    ("dossier_handling_time_ratio", _ratio("used", "allowed"), "used", "allowed"),
                ],
            ),
            [start_at, end_at],
        )
    )
    # --- Dossiers received in the week: the online share. ------------------------------------------------------------
    received_week = sql.week_of_moment("d.received_at")
    statements.append(
        _Statement(
            "dossiers_received",
            _union(
                f"agg AS (SELECT d.unit_id AS unit_id, {received_week} AS week, COUNT(*) AS received, "
                "SUM(CASE WHEN d.channel = 'online' THEN 1 ELSE 0 END) AS online "
                # Through the units, so that the (unit, received_at) index can serve a week's range.
                f"FROM {unit} u JOIN {dossier} d ON d.unit_id = u.id AND d.received_at >= %s AND d.received_at < %s "
                f"GROUP BY d.unit_id, {received_week})",
                "agg",
                [("dossier_online_share", _ratio("online", "received"), "online", "received")],
            ),
            [start_at, end_at],
        )
    )
    # --- Overdue dossiers and apology letters: counts, zero in the weeks after the unit's first dossier. -----------
    weeks_cte, weeks_params = _weeks_cte(sql, window)
    closed = ", ".join(f"'{status}'" for status in (DossierStatus.WITHDRAWN, DossierStatus.REFUSED))
    statements.append(
        _Statement(
            "dossiers_overdue",
            _union(
                f"{weeks_cte}, "
                # The unit's weeks from its first dossier on (one probe of the (unit, received_at) index per unit and week).
                f"base AS (SELECT u.id AS unit_id, w.week AS week FROM {unit} u JOIN weeks w "
                f"ON EXISTS (SELECT 1 FROM {dossier} f WHERE f.unit_id = u.id AND f.received_at < w.ends_at)), "
                # Late at some moment of the week: past the legal due date before the week ended, not returned before it
                # began, and returned late (or not yet).
                "late AS (SELECT d.unit_id AS unit_id, w.week AS week, COUNT(*) AS overdue "
                f"FROM {dossier} d JOIN weeks w ON d.legal_due_at < w.ends_at AND (d.returned_at IS NULL OR d.returned_at >= w.starts_at) "
                f"WHERE d.legal_due_at < %s AND d.status NOT IN ({closed}) AND (d.returned_at IS NULL OR d.returned_at > d.legal_due_at) "
                "GROUP BY d.unit_id, w.week), "
                f"letters AS (SELECT d.unit_id AS unit_id, {sql.week_of_moment('a.issued_at')} AS week, COUNT(*) AS issued "
                f"FROM {apology} a JOIN {dossier} d ON d.id = a.dossier_id WHERE a.issued_at >= %s AND a.issued_at < %s "
                f"GROUP BY d.unit_id, {sql.week_of_moment('a.issued_at')}), "
                "agg AS (SELECT base.unit_id AS unit_id, base.week AS week, COALESCE(late.overdue, 0) AS overdue, COALESCE(letters.issued, 0) AS issued "
                "FROM base LEFT JOIN late ON late.unit_id = base.unit_id AND late.week = base.week "
                "LEFT JOIN letters ON letters.unit_id = base.unit_id AND letters.week = base.week)",
                "agg",
                [
                    ("dossier_overdue", "overdue", "overdue", _NULL),
                    ("dossier_apology_letters", "issued", "issued", _NULL),
                ],
            ),
            [*weeks_params, end_at, start_at, end_at],
        )
    )
    # --- Citizens' and businesses' ratings submitted in the week. ---------------------------------------------------
    rated_week = sql.week_of_moment("r.submitted_at")
    satisfied = ", ".join(f"'{level}'" for level in (dossier_levels.SATISFIED, dossier_levels.VERY_SATISFIED))
    statements.append(
        _Statement(
            "ratings",
            _union(
                f"agg AS (SELECT d.unit_id AS unit_id, {rated_week} AS week, COUNT(*) AS rated, "
                f"SUM(CASE WHEN r.level IN ({satisfied}) THEN 1 ELSE 0 END) AS satisfied, "
                f"SUM(CASE WHEN r.level = '{dossier_levels.NOT_SATISFIED}' THEN 1 ELSE 0 END) AS dissatisfied "
                f"FROM {rating} r JOIN {dossier} d ON d.id = r.dossier_id WHERE r.submitted_at >= %s AND r.submitted_at < %s "
                f"GROUP BY d.unit_id, {rated_week})",
                "agg",
                [
                    ("citizen_satisfied_share", _ratio("satisfied", "rated"), "satisfied", "rated"),
                    ("citizen_dissatisfied", "dissatisfied", "dissatisfied", "rated"),
                ],
            ),
            [start_at, end_at],
        )
    )
    # --- Work items accepted in the week; throughput per person in post. ---------------------------------------------
    work, audit, staff = _table(WorkItem), _table(AuditEvent), _table(Staff)
    accepted_week = sql.week_of_moment("i.accepted_at")
    statements.append(
        _Statement(
            "work",
            _union(
                f"{weeks_cte}, "
                f"returned_items AS (SELECT DISTINCT a.object_id AS object_id FROM {audit} a WHERE a.object_type = 'assignments.workitem' AND a.action = 'work_item.return'), "
                f"done AS (SELECT i.unit_id AS unit_id, {accepted_week} AS week, COUNT(*) AS completed, "
                f"SUM(CASE WHEN {sql.local_day('i.accepted_at')} <= i.due_on THEN 1 ELSE 0 END) AS on_time, "
                "SUM(CASE WHEN r.object_id IS NOT NULL THEN 1 ELSE 0 END) AS reworked, "
                "SUM(CASE WHEN i.quality_rating IS NOT NULL THEN 1 ELSE 0 END) AS rated, SUM(i.quality_rating) AS rating_sum "
                f"FROM {work} i LEFT JOIN returned_items r ON r.object_id = {sql.id_text('i.id')} "
                f"WHERE i.status = '{WorkStatus.ACCEPTED}' AND i.accepted_at >= %s AND i.accepted_at < %s GROUP BY i.unit_id, {accepted_week}), "
                f"work_units AS (SELECT u.id AS unit_id FROM {unit} u WHERE EXISTS (SELECT 1 FROM {work} i WHERE i.unit_id = u.id)), "
                "headcount AS (SELECT s.unit_id AS unit_id, w.week AS week, COUNT(*) AS people "
                f"FROM {staff} s JOIN work_units u ON u.unit_id = s.unit_id JOIN weeks w ON (s.started_on IS NULL OR s.started_on <= w.last_day) "
                "AND (s.ended_on IS NULL OR s.ended_on >= w.week) GROUP BY s.unit_id, w.week), "
                "agg AS (SELECT h.unit_id AS unit_id, h.week AS week, h.people AS people, COALESCE(done.completed, 0) AS completed, "
                "done.on_time AS on_time, done.reworked AS reworked, done.rated AS rated, done.rating_sum AS rating_sum "
                "FROM headcount h LEFT JOIN done ON done.unit_id = h.unit_id AND done.week = h.week)",
                "agg",
                [
                    ("work_on_time_rate", _ratio("on_time", "completed"), "on_time", "completed"),
                    ("work_throughput_per_fte", _ratio("completed", "people"), "completed", "people"),
                    ("work_returned_share", _ratio("reworked", "completed"), "reworked", "completed"),
                    ("work_quality_rating", _ratio("rating_sum", "rated"), "rating_sum", "rated"),
                ],
            ),
            [*weeks_params, start_at, end_at],
        )
    )
    # --- Staff leaving: end dates in the week against those in post on its Monday. ----------------------------------
    statements.append(
        _Statement(
            "staff",
            _union(
                f"{weeks_cte}, "
                "agg AS (SELECT s.unit_id AS unit_id, w.week AS week, COUNT(*) AS people, "
                "SUM(CASE WHEN s.ended_on IS NOT NULL AND s.ended_on <= w.last_day AND s.ended_on <= %s THEN 1 ELSE 0 END) AS leaving "
                f"FROM {staff} s JOIN weeks w ON (s.started_on IS NULL OR s.started_on <= w.week) AND (s.ended_on IS NULL OR s.ended_on >= w.week) "
                "GROUP BY s.unit_id, w.week)",
                "agg",
                [("attrition", _ratio("leaving", "people"), "leaving", "people")],
            ),
            [*weeks_params, sql.day(today)],
        )
    )
    # --- Published rosters: home days, leave, participation by frequency band; attendance against the roster. -----
    roster, entry, check_in = _table(Roster), _table(RosterEntry), _table(CheckIn)
    working = ", ".join(f"'{status}'" for status in (EntryStatus.OFFICE, EntryStatus.HOME, EntryStatus.DESK))
    on_site = ", ".join(f"'{status}'" for status in (EntryStatus.OFFICE, EntryStatus.DESK))
    statements.append(
        _Statement(
            "rosters",
            _union(
                "per_person AS (SELECT r.unit_id AS unit_id, r.week_start AS week, e.staff_id AS staff_id, COUNT(*) AS days, "
                f"SUM(CASE WHEN e.status = '{EntryStatus.HOME}' THEN 1 ELSE 0 END) AS home, "
                f"SUM(CASE WHEN e.status = '{EntryStatus.LEAVE}' THEN 1 ELSE 0 END) AS on_leave "
                f"FROM {entry} e JOIN {roster} r ON r.id = e.roster_id WHERE r.status = '{RosterStatus.PUBLISHED}' AND r.is_current = {sql.true()} "
                "AND r.week_start >= %s AND r.week_start < %s GROUP BY r.unit_id, r.week_start, e.staff_id), "
                "agg AS (SELECT unit_id, week, SUM(days) AS days, SUM(home) AS home, SUM(on_leave) AS on_leave, COUNT(*) AS people, "
                "SUM(CASE WHEN home >= 1 THEN 1 ELSE 0 END) AS at_home, SUM(CASE WHEN home = 1 THEN 1 ELSE 0 END) AS one_day, "
                "SUM(CASE WHEN home = 2 THEN 1 ELSE 0 END) AS two_days, SUM(CASE WHEN home >= 3 THEN 1 ELSE 0 END) AS three_plus "
                "FROM per_person GROUP BY unit_id, week)",
                "agg",
                [
                    ("home_day_share", _ratio("home", "days"), "home", "days"),
                    ("leave_share", _ratio("on_leave", "days"), "on_leave", "days"),
                    ("participation_share", _ratio("at_home", "people"), "at_home", "people"),
                    ("participation_one_day", _ratio("one_day", "people"), "one_day", "people"),
                    ("participation_two_days", _ratio("two_days", "people"), "two_days", "people"),
                    ("participation_three_plus_days", _ratio("three_plus", "people"), "three_plus", "people"),
                ],
            ),
            [first_day, end_day],
        )
    )
    statements.append(
        _Statement(
            "attendance",
            _union(
                # The window's check-ins first, through the units and the (unit, day) index, then matched by person and day.
                f"week_check_ins AS (SELECT c.staff_id AS staff_id, c.day AS day, c.mode AS mode FROM {unit} u JOIN {check_in} c "
                "ON c.unit_id = u.id AND c.day >= %s AND c.day < %s), "
                "agg AS (SELECT r.unit_id AS unit_id, r.week_start AS week, COUNT(*) AS rostered, "
                f"SUM(CASE WHEN (e.status = '{EntryStatus.HOME}' AND c.mode = 'home') OR (e.status IN ({on_site}) AND c.mode = 'office') THEN 1 ELSE 0 END) AS matched "
                f"FROM {entry} e JOIN {roster} r ON r.id = e.roster_id LEFT JOIN week_check_ins c ON c.staff_id = e.staff_id AND c.day = e.day "
                f"WHERE r.status = '{RosterStatus.PUBLISHED}' AND r.is_current = {sql.true()} AND e.status IN ({working}) "
                "AND r.week_start >= %s AND r.week_start < %s AND e.day < %s GROUP BY r.unit_id, r.week_start)",
                "agg",
                [("attendance_roster_match", _ratio("matched", "rostered"), "matched", "rostered")],
            ),
            [first_day, end_day, first_day, end_day, sql.day(today)],
        )
    )
    checked_week = sql.week_of_day("c.day")
    statements.append(
        _Statement(
            "reachability",
            _union(
                f"agg AS (SELECT c.unit_id AS unit_id, {checked_week} AS week, COUNT(*) AS at_home, "
                "SUM(CASE WHEN c.reachability <> '' THEN 1 ELSE 0 END) AS reachable "
                f"FROM {unit} u JOIN {check_in} c ON c.unit_id = u.id AND c.day >= %s AND c.day < %s WHERE c.mode = 'home' "
                f"GROUP BY c.unit_id, {checked_week})",
                "agg",
                [("reachability_share", _ratio("reachable", "at_home"), "reachable", "at_home")],
            ),
            [first_day, end_day],
        )
    )
    # --- The staff pulse survey: waves closed before today, groups at or above the minimum size only. ---------------
    response, wave = _table(PulseResponse), _table(PulseWave)
    who5 = " + ".join(sql.json_number("p.answers", item.key) for item in scales.WHO5_ITEMS)
    stress = " + ".join(sql.json_number("p.answers", item.key) for item in scales.STRESS_ITEMS)
    items = len(scales.STRESS_ITEMS)
    stress_score = f"((({stress}) / {float(items)}) - {scales.SCALE_LOW}) * 100.0 / {scales.SCALE_HIGH - scales.SCALE_LOW}"
    closed_week = sql.week_of_day("v.closes_on")
    statements.append(
        _Statement(
            "pulse",
            _union(
                # Per wave and unit, the groups the surveys app would show (``scales.fold_groups``): a unit under the
                # minimum is not shown, and when the units not shown in an agency hold some answers but fewer than the
                # minimum, the smallest shown unit is not shown either (else its answers follow by subtraction).
                f"sizes AS (SELECT p.wave_id AS wave_id, p.agency_id AS agency_id, p.unit_id AS unit_id, COUNT(*) AS answers "
                f"FROM {response} p JOIN {wave} v ON v.id = p.wave_id WHERE v.closes_on >= %s AND v.closes_on < %s AND v.closes_on < %s "
                "GROUP BY p.wave_id, p.agency_id, p.unit_id), "
                "ranked AS (SELECT wave_id, unit_id, answers, "
                "SUM(CASE WHEN answers < %s THEN answers ELSE 0 END) OVER (PARTITION BY wave_id, agency_id) AS hidden, "
                "ROW_NUMBER() OVER (PARTITION BY wave_id, agency_id, CASE WHEN answers >= %s THEN 1 ELSE 0 END ORDER BY answers, unit_id) AS smallest "
                "FROM sizes), "
                "shown AS (SELECT wave_id, unit_id FROM ranked WHERE answers >= %s AND NOT (hidden > 0 AND hidden < %s AND smallest = 1)), "
                f"agg AS (SELECT p.unit_id AS unit_id, {closed_week} AS week, COUNT(*) AS answers, "
                f"SUM(({who5}) * {scales.WHO5_MULTIPLIER}) AS who5, SUM({stress_score}) AS stress, "
                f"SUM(CASE WHEN {sql.json_number('p.answers', scales.STAY_ITEM.key)} >= {scales.SATISFIED_FROM} THEN 1 ELSE 0 END) AS staying "
                f"FROM {response} p JOIN shown ON shown.wave_id = p.wave_id AND shown.unit_id = p.unit_id JOIN {wave} v ON v.id = p.wave_id "
                f"GROUP BY p.unit_id, {closed_week})",
                "agg",
                [
                    ("staff_wellbeing", _ratio("who5", "answers"), "who5", "answers"),
                    ("staff_stress", _ratio("stress", "answers"), "stress", "answers"),
                    ("staff_intention_to_stay", _ratio("staying", "answers"), "staying", "answers"),
                ],
            ),
            [first_day, end_day, sql.day(today), *[minimum_group()] * 4],
        )
    )
    # --- Evaluations of published periods, in the week the period ended. ---------------------------------------------
    evaluation, period = _table(Evaluation), _table(EvaluationPeriod)
    ended_week = sql.week_of_day("p.ends_on")
    level = "COALESCE(NULLIF(e.final_level, ''), e.proposed_level)"
    good = ", ".join(f"'{choice}'" for choice in (LevelChoice.EXCELLENT, LevelChoice.GOOD))
    statements.append(
        _Statement(
            "evaluations",
            _union(
                f"agg AS (SELECT e.unit_id AS unit_id, {ended_week} AS week, COUNT(*) AS classified, "
                f"SUM(CASE WHEN {level} IN ({good}) THEN 1 ELSE 0 END) AS good "
                f"FROM {evaluation} e JOIN {period} p ON p.id = e.period_id WHERE p.status = '{PeriodStatus.PUBLISHED}' "
                f"AND {level} <> '' AND p.ends_on >= %s AND p.ends_on < %s GROUP BY e.unit_id, {ended_week})",
                "agg",
                [("evaluation_excellent_share", _ratio("good", "classified"), "good", "classified")],
            ),
            [first_day, end_day],
        )
    )
    return statements


def minimum_group() -> int:
    """The smallest group of pulse answers the panel shows (``TELEWORK_SURVEY_MIN_GROUP``, as the surveys app)."""
    return int(getattr(settings, "SURVEY_MIN_GROUP", 5))


@dataclass(frozen=True)
class RefreshResult:
    refresh: PanelRefresh
    seconds: float
    seconds_by_family: dict[str, float] = field(default_factory=dict)


def _compute(window: Window, *, delete_all: bool, timings: dict[str, float]) -> dict[str, int]:
    """Delete and recompute the window's weeks in one transaction; the rows written per indicator (and the seconds
    each family took, in ``timings``)."""
    sql = _Dialect()
    now = sql.moment(clock.now())
    today = clock.today()
    with transaction.atomic():
        with connection.cursor() as cursor:
            if delete_all:
                cursor.execute(f"DELETE FROM {_table(OutcomeValue)}")
            else:
                cursor.execute(f"DELETE FROM {_table(OutcomeValue)} WHERE week >= %s AND week <= %s", [sql.day(window.first_week), sql.day(window.last_week)])
            for statement in _statements(window, today):
                started = time.perf_counter()
                cursor.execute(_rows(statement.sql), [now, *statement.params])
                timings[statement.family] = round(time.perf_counter() - started, 3)
        counts = {
            row["indicator"]: row["rows"]
            for row in OutcomeValue.objects.filter(week__gte=window.first_week, week__lte=window.last_week)
            .values("indicator")
            .annotate(rows=Count("pk"))
            .order_by()
        }
    return counts


def _run(kind: str, window: Window | None, *, actor: User | None, delete_all: bool) -> RefreshResult:
    started = time.perf_counter()
    refresh = PanelRefresh.objects.create(
        kind=kind, first_week=window.first_week if window else None, last_week=window.last_week if window else None, requested_by=actor, started_at=clock.now()
    )
    timings: dict[str, float] = {}
    counts = _compute(window, delete_all=delete_all, timings=timings) if window is not None else {}
    if window is None and delete_all:
        OutcomeValue.objects.all().delete()
    refresh.finished_at = clock.now()
    refresh.rows = sum(counts.values())
    refresh.counts = counts
    refresh.save(update_fields=["finished_at", "rows", "counts"])
    return RefreshResult(refresh=refresh, seconds=time.perf_counter() - started, seconds_by_family=timings)


def refresh(day: dt.date, *, actor: User | None = None) -> RefreshResult:
    """Recompute the week of ``day`` (and only that week)."""
    week = monday(day)
    return _run(RefreshKind.DAY, Window(week, week), actor=actor, delete_all=False)


# After a long holiday the nightly job catches up at most this many weeks (older gaps need a rebuild).
CATCH_UP_WEEKS = 8


def refresh_since_last(day: dt.date) -> list[RefreshResult]:
    """The nightly job: recompute the week of ``day`` and every week since the last refresh that finished (the
    in-process scheduler skips weekends and public holidays, so after Tết the week before them is still partial),
    oldest first, at most ``CATCH_UP_WEEKS``."""
    target = monday(day)
    last = PanelRefresh.objects.filter(finished_at__isnull=False, last_week__isnull=False).order_by("-finished_at", "-pk").first()
    start = target
    if last is not None and last.last_week is not None and last.last_week < target:
        start = max(last.last_week, target - WEEK * (CATCH_UP_WEEKS - 1))
    results = []
    week = start
    while week <= target:
        results.append(refresh(week))
        week += WEEK
    return results


def first_data_week() -> dt.date | None:
    """The Monday of the earliest record any indicator reads (None when there is none)."""
    candidates: list[dt.date] = []
    moments = [
        Dossier.objects.aggregate(first=Min("received_at"))["first"],
        WorkItem.objects.filter(status=WorkStatus.ACCEPTED).aggregate(first=Min("accepted_at"))["first"],
        Rating.objects.aggregate(first=Min("submitted_at"))["first"],
    ]
    candidates += [moment.astimezone(_zone()).date() for moment in moments if moment is not None]
    days = [
        Roster.objects.aggregate(first=Min("week_start"))["first"],
        CheckIn.objects.aggregate(first=Min("day"))["first"],
        PulseWave.objects.aggregate(first=Min("closes_on"))["first"],
        EvaluationPeriod.objects.filter(status=PeriodStatus.PUBLISHED).aggregate(first=Min("ends_on"))["first"],
    ]
    candidates += [day for day in days if day is not None]
    return monday(min(candidates)) if candidates else None


# What the panel's queries read. A rebuild follows bulk loads (an import, the demo's seed) that autovacuum may not
# have analysed yet: without statistics PostgreSQL takes a year of check-ins for a handful of rows and joins them
# to the rosters by nested loops, and a rebuild of minutes ran for hours.
_SOURCES = (CheckIn, RosterEntry, Roster, WorkItem, Dossier, Rating, ApologyLetter, Evaluation, EvaluationPeriod, PulseResponse, Staff, Unit)


def _analyze_sources() -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(_table(model) for model in _SOURCES))


def rebuild(*, actor: User | None = None) -> RefreshResult:
    """Recompute the whole panel: every week from the first record (at most ``MAX_WEEKS`` back) to this week.
    Audited (who, when, how many values)."""
    this_week = monday(clock.today())
    first = first_data_week()
    window = None
    if first is not None and first <= this_week:
        window = Window(max(first, this_week - WEEK * (MAX_WEEKS - 1)), this_week)
    _analyze_sources()
    result = _run(RefreshKind.REBUILD, window, actor=actor, delete_all=True)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="outcome_panel.rebuild",
            target=result.refresh,
            after={
                "first_week": result.refresh.first_week,
                "last_week": result.refresh.last_week,
                "rows": result.refresh.rows,
                "seconds": round(result.seconds, 1),
            },
        )
    return result
