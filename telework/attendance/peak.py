"""The phone's check-in in one statement, for the morning peak on PostgreSQL.

A whole city checks in within minutes (MISSION "Scale to plan for"), and every check-in by token needs the same
four things: the token's holder and their facts for the day (staff record, published roster cell, leave), the
token's last use stamped, the check-in inserted under the unique index, and its finding. Done as a read and a write
(``selectors.caller_by_token`` then ``CheckInManager.insert``), that is two round trips and two statements to
plan; ``bench/checkin.py`` measured the check-in at 0.57 of a raw single-row INSERT that way. Here it is one
statement, prepared once per connection (``telework.core.db.hot_cursor``):

    WITH caller AS (the token's holder and their facts),
         used   AS (UPDATE the token's last use),
         added  AS (INSERT … SELECT FROM caller … ON CONFLICT (staff, day) DO NOTHING RETURNING …)
    SELECT … FROM caller LEFT JOIN added

The finding is still decided by ``rules.compare`` alone: before the statement, Python evaluates it for the chosen
mode and day against every status a roster cell can have, and the statement only picks the one that matches the
caller's cell (``findings_for``). A test checks every combination against ``rules.compare``.

Data-modifying WITH is PostgreSQL's; on SQLite ``services.attendance_check_in_with_token`` takes the read-then-write
path, with the same answers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from telework.accounts.models import ApiToken, User
from telework.attendance import rules, selectors
from telework.attendance.models import CheckIn
from telework.core.db import hot_cursor
from telework.organization.models import Staff
from telework.rosters.models import EntryStatus

# Every status a roster cell can have, and "" for no published roster (the statement looks the caller's up here).
CELL_STATUSES: tuple[str, ...] = (*EntryStatus.values, "")


@dataclass(frozen=True)
class Findings:
    """``rules.compare`` for one mode and day, evaluated in advance for each possible plan."""

    by_status: tuple[str, ...]  # aligned with CELL_STATUSES, not on leave
    on_leave: str  # recorded leave covers the day (whatever the roster says)
    other: str  # a cell status outside CELL_STATUSES (none today; kept so the statement can never store NULL)


@cache
def findings_for(mode: str, is_working_day: bool) -> Findings:
    def finding(rostered: str | None, is_on_leave: bool) -> str:
        return rules.compare(mode, rules.DayPlan(rostered=rostered, is_on_leave=is_on_leave, is_working_day=is_working_day))

    return Findings(
        by_status=tuple(finding(status or None, False) for status in CELL_STATUSES),
        on_leave=finding(None, True),
        other=finding("?", False),
    )


@dataclass(frozen=True)
class TokenCheckIn:
    """What the statement did: ``staff_id`` is None when the token's holder has no active staff record (nothing was
    inserted); ``check_in`` is None when the holder had already checked in that day (nothing changed)."""

    staff_id: int | None
    check_in: CheckIn | None


def check_in_by_token(
    *, key: str, mode: str, note: str, now: dt.datetime, day: dt.date, is_working_day: bool, reachability: str, reachability_at: dt.datetime | None
) -> TokenCheckIn | None:
    """Check in the holder of the API token ``key`` for ``day`` in one statement, stamping the token's use.

    None when the token is unknown or revoked or its user inactive: then nothing is written. The values must already
    be valid and decided (``services.attendance_check_in_with_token``); the statement adds the holder's facts.
    """
    findings = findings_for(mode, is_working_day)
    parameters = {
        **selectors.facts_parameters(day),
        "digest": ApiToken.digest(key),
        "now": now,
        "token_now": now,
        "mode": mode,
        "note": note,
        "reachability": reachability,
        "reachability_at": reachability_at,
        # One text parameter rather than an array: it costs the server the same and the client less to send.
        "findings": ",".join(findings.by_status),
        "finding_on_leave": findings.on_leave,
        "finding_other": findings.other,
    }
    with hot_cursor() as cursor:
        cursor.execute(_statement(), parameters)
        row = cursor.fetchone()
    if row is None:
        return None
    staff_id, unit_id, rostered, check_in_id, finding, is_mismatch = row
    if staff_id is None or check_in_id is None:
        return TokenCheckIn(staff_id=staff_id, check_in=None)
    # The row the INSERT stored: the caller's values and the four the statement found (returning every column
    # instead costs the client the parsing of all of them at the peak).
    stored = {
        "id": check_in_id,
        "staff_id": staff_id,
        "unit_id": unit_id,
        "day": day,
        "mode": mode,
        "checked_in_at": now,
        "checked_out_at": None,
        "note": note,
        "check_out_note": "",
        "rostered": rostered or "",
        "finding": finding,
        "is_mismatch": is_mismatch,
        "reachability": reachability,
        "reachability_at": reachability_at,
    }
    return TokenCheckIn(staff_id=staff_id, check_in=CheckIn.from_db(connection.alias, _COLUMNS, [stored[column] for column in _COLUMNS]))


# Every column of a check-in, in the model's order (as ``CheckIn.from_db`` takes them).
_COLUMNS = [field.attname for field in CheckIn._meta.concrete_fields]


def _text_array(values: Any) -> str:
    """``ARRAY['a', 'b']::text[]`` of our own identifiers (checked: lowercase letters and underscores only)."""
    for value in values:
        if not re.fullmatch(r"[a-z_]*", value):
            raise ImproperlyConfigured(f"telework.attendance.peak: {value!r} cannot be written into the statement")
    return "ARRAY[" + ", ".join(f"'{value}'" for value in values) + "]::text[]"


@cache
def _statement() -> str:
    """The statement, built once from the models' tables and columns (``%(name)s`` parameters)."""
    quote = connection.ops.quote_name
    users, tokens, staff, check_ins = (quote(model._meta.db_table) for model in (User, ApiToken, Staff, CheckIn))
    # Constants of the code, written into the statement: the cell statuses (findings are listed in this order) and
    # the findings a head must look at.
    statuses, mismatches = _text_array(CELL_STATUSES), _text_array(sorted(rules.MISMATCHES))
    finding = (
        "CASE WHEN c.is_on_leave THEN CAST(%(finding_on_leave)s AS text) "
        f"ELSE COALESCE((string_to_array(CAST(%(findings)s AS text), ','))[array_position({statuses}, COALESCE(c.rostered, ''))], "
        "CAST(%(finding_other)s AS text)) END"
    )

    def cast(parameter: str, field_name: str) -> str:
        return f"CAST(%({parameter})s AS {CheckIn._meta.get_field(field_name).cast_db_type(connection)})"  # type: ignore[union-attr]

    # The value of every column of a new check-in: a column added to CheckIn must be given one here.
    values = {
        "staff": "c.staff_id",
        "unit": "c.unit_id",
        "day": cast("day", "day"),
        "mode": cast("mode", "mode"),
        "checked_in_at": cast("now", "checked_in_at"),
        "checked_out_at": "NULL",
        "note": cast("note", "note"),
        "check_out_note": "''",
        "rostered": "COALESCE(c.rostered, '')",
        "finding": "f.finding",
        "is_mismatch": f"f.finding = ANY({mismatches})",
        "reachability": cast("reachability", "reachability"),
        "reachability_at": cast("reachability_at", "reachability_at"),
    }
    fields = [field for field in CheckIn._meta.concrete_fields if not field.primary_key]
    if {field.name for field in fields} != set(values):
        raise ImproperlyConfigured("telework.attendance.peak: give every column of CheckIn a value in the check-in statement")
    columns = ", ".join(quote(str(field.column)) for field in fields)
    selected = ", ".join(values[field.name] for field in fields)
    return (
        f"WITH caller AS (SELECT t.id AS token_id, s.id AS staff_id, s.unit_id AS unit_id, {selectors.check_in_facts_sql()} "  # noqa: S608 - names from the models
        f"FROM {tokens} t JOIN {users} u ON u.id = t.user_id LEFT JOIN {staff} s ON s.user_id = u.id AND s.is_active "
        f"WHERE t.key_digest = %(digest)s AND {ApiToken.check_in_sql()} AND u.is_active), "
        f"used AS (UPDATE {tokens} SET last_used_at = %(now)s WHERE id IN (SELECT token_id FROM caller)), "
        f"added AS (INSERT INTO {check_ins} ({columns}) SELECT {selected} "
        f"FROM caller c CROSS JOIN LATERAL (SELECT {finding} AS finding) f WHERE c.staff_id IS NOT NULL "
        "ON CONFLICT (staff_id, day) DO NOTHING RETURNING id, finding, is_mismatch) "
        "SELECT c.staff_id, c.unit_id, c.rostered, a.id, a.finding, a.is_mismatch FROM caller c LEFT JOIN added a ON TRUE"
    )
