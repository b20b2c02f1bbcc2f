"""What every roster service shares: the working days of a roster week, and the user behind an actor."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.accounts.types import signed_in
from telework.core import calendar
from telework.core.exceptions import ValidationFailed
from telework.rosters import selectors


def week_days(week_start: dt.date) -> list[dt.date]:
    """The working days of the roster week starting ``week_start`` (a Monday); refused when there are none."""
    if week_start.weekday() != 0:
        raise ValidationFailed(_("A roster week starts on a Monday."), rule="week", params={"week_start": week_start})
    days = calendar.working_days(week_start, week_start + dt.timedelta(days=4))
    if not days:
        raise ValidationFailed(
            _("Week %(week)s has no working day (public holidays); there is nothing to roster.") % {"week": selectors.iso_week_of(week_start)},
            rule="week",
            params={"week": selectors.iso_week_of(week_start)},
        )
    return days


def actor_user(actor: User | None) -> Any:
    """The signed-in user behind ``actor``; None for the system (a task, a command)."""
    return signed_in(actor)
