"""API shapes for attendance: check-in, check-out, reachable status and today's status, designed for a phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Schema

from telework.accounts.api_inputs import BodyIn
from telework.attendance import rules
from telework.attendance.models import CheckIn, Reachability, WorkMode
from telework.attendance.selectors import finding_label
from telework.attendance.services import NOTE_MAX_LENGTH


class CheckInIn(BodyIn):
    """Where you work today ("office" or "home") and an optional note. No location is sent or stored."""

    mode: WorkMode
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class CheckOutIn(BodyIn):
    note: str = Field("", max_length=NOTE_MAX_LENGTH)


class ReachabilityIn(BodyIn):
    """At home: "reachable", "in_meeting" or "away" (briefly away)."""

    status: Reachability


class CheckInOut(Schema):
    id: int
    day: dt.date
    mode: WorkMode
    mode_label: str
    checked_in_at: dt.datetime
    checked_out_at: dt.datetime | None
    minutes_worked: int | None = Field(description="From check-in to check-out; null until checked out")
    hours: str = Field(description='Hours worked with one decimal, as the timesheet writes them ("7,5"); empty until checked out')
    note: str
    check_out_note: str
    rostered: str | None = Field(description="The status in the published roster at check-in: office, desk, home, leave; null without a roster")
    finding: str = Field(
        description="matches, home_while_rostered_on_site, office_while_rostered_at_home, checked_in_on_leave, no_published_roster, not_a_working_day"
    )
    finding_label: str
    is_mismatch: bool = Field(description="True when the head sees this check-in flagged: not where the published roster says")
    reachability: Reachability | None
    reachability_label: str
    reachability_at: dt.datetime | None


class TodayOut(Schema):
    day: dt.date
    is_working_day: bool
    holiday: str | None
    rostered: str | None = Field(description="Your status in the published roster today (office, desk, home, leave); null without one")
    service_point: str | None = Field(description="The one-stop desk or duty post, when rostered at a desk")
    leave_kind: str | None = Field(description="Recorded leave covering today (annual, sick, maternity, business_trip, other)")
    expects_check_in: bool = Field(description="The roster expects you to check in today")
    check_in: CheckInOut | None


def request_schema(model: type[Schema]) -> dict[str, Any]:
    """The JSON schema of a request body with its definitions written in place (for an operation's
    ``openapi_extra``, where ``#/$defs/…`` references would point nowhere)."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            reference = node.get("$ref", "")
            if reference.startswith("#/$defs/"):
                return inline(definitions[reference.removeprefix("#/$defs/")])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return dict(inline(schema))


# The labels of the answer, looked up directly: ``get_FOO_display`` hashes the whole choice list at every call.
_MODE_LABELS = dict(WorkMode.choices)
_REACHABILITY_LABELS = dict(Reachability.choices)


def check_in_out(check_in: CheckIn) -> dict[str, Any]:
    """The check-in as the API returns it (no query: everything is on the row)."""
    minutes = check_in.minutes_worked
    return {
        "id": check_in.pk,
        "day": check_in.day,
        "mode": check_in.mode,
        "mode_label": str(_MODE_LABELS.get(check_in.mode, check_in.mode)),
        "checked_in_at": check_in.checked_in_at,
        "checked_out_at": check_in.checked_out_at,
        "minutes_worked": minutes,
        "hours": rules.hours_text(minutes),
        "note": check_in.note,
        "check_out_note": check_in.check_out_note,
        "rostered": check_in.rostered or None,
        "finding": check_in.finding,
        "finding_label": finding_label(check_in.finding),
        "is_mismatch": check_in.is_mismatch,
        "reachability": check_in.reachability or None,
        "reachability_label": str(_REACHABILITY_LABELS.get(check_in.reachability, check_in.reachability)) if check_in.reachability else "",
        "reachability_at": check_in.reachability_at,
    }
