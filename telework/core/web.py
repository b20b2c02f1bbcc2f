"""Small helpers every app's views share and that know no app: HTMX requests, ISO-week and ISO-date parameters. (The viewer's own
staff record: ``telework.organization.web``.)"""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest

from telework.core import calendar


def is_htmx(request: HttpRequest) -> bool:
    """Whether HTMX sent the request (it then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def week_monday(value: str | None, today: dt.date) -> dt.date:
    """The Monday of an ISO week given as "2026-W49"; this week's Monday when the value is missing or invalid."""
    return calendar.iso_week_monday(value) or today - dt.timedelta(days=today.weekday())


def iso_day(value: str | None) -> dt.date | None:
    """A date given as "2026-11-18" (a ``?day=`` parameter, a path segment); None when missing or impossible."""
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        return None
