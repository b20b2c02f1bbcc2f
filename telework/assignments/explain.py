"""Alerts and workload in words, in the active language: the same sentence on the board, in the notification and in
the email, naming the rule and its figures."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from telework.assignments import rules
from telework.core import calendar

# The policy parameter this app reads (``telework.policy.labels``): listed here so that this app's catalog carries
# its Vietnamese label too, and the policy screens show it translated whichever catalog is compiled first.
POLICY_LABELS_USED_HERE = (
    gettext_noop("Office norm (hours per working day)"),
    gettext_noop("The hours of work one working day stands for: planned work is compared with it to find who is under- or over-loaded."),
    gettext_noop("Workload"),
)


def _date(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def _working_days(count: int) -> str:
    return ngettext("%(count)s working day", "%(count)s working days", count) % {"count": count}


def describe_alert(kind: str, params: dict[str, Any]) -> str:
    """What an alert says: the finding, its figures, and for a dossier what to do (the apology slip)."""
    if kind == rules.KIND_NO_UPDATE:
        return _("No progress update for %(idle)s (last activity %(last)s); the limit is %(limit)s.") % {
            "idle": _working_days(int(params.get("idle_days", 0))),
            "last": _date(params.get("last_activity_on")),
            "limit": _working_days(int(params.get("limit", rules.STALL_WORKING_DAYS))),
        }
    if kind == rules.KIND_BEHIND_SCHEDULE:
        return _("%(elapsed)s%% of the time has passed but the work is %(progress)s%% done, with %(left)s left before the deadline of %(due)s.") % {
            "elapsed": params.get("elapsed_percent"),
            "progress": params.get("progress_percent"),
            "left": _working_days(int(params.get("days_left", 0))),
            "due": _date(params.get("due_on")),
        }
    if kind == rules.KIND_OVERDUE:
        return _("The deadline of %(due)s passed %(late)s ago and the work is not accepted.") % {
            "due": _date(params.get("due_on")),
            "late": _working_days(int(params.get("days_late", 0))),
        }
    if kind == rules.KIND_LEGAL_AT_RISK:
        sentence = _("Due %(due)s: %(progress)s%% done, %(left)s left.") % {
            "due": _date(params.get("due_on")),
            "progress": params.get("progress_percent"),
            "left": _working_days(int(params.get("days_left", 0))),
        }
        if params.get("awaiting_acceptance"):
            sentence += " " + _("The work awaits the head's acceptance.")
        if params.get("can_issue_apology_slip"):
            sentence += " " + _(
                "If the result cannot be returned on time, issue the apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả) with the reason and a new date no later than %(last)s."
            ) % {"last": _date(params.get("slip_deadline"))}
        elif int(params.get("slips_issued", 0)) > 0:
            sentence += " " + _("The result was already rescheduled once with an apology slip; it cannot be rescheduled again.")
        else:
            sentence += " " + _("The last day to issue an apology slip (%(last)s) has passed.") % {"last": _date(params.get("slip_deadline"))}
        return sentence
    if kind == rules.KIND_LEGAL_OVERDUE:
        if params.get("has_apology_slip"):
            return _("The rescheduled date of %(due)s, given in the apology slip, passed %(late)s ago.") % {
                "due": _date(params.get("due_on")),
                "late": _working_days(int(params.get("days_late", 0))),
            }
        return _("The legal deadline of %(due)s passed %(late)s ago and no apology slip was issued, as Decree 118/2025/NĐ-CP requires for a late dossier.") % {
            "due": _date(params.get("due_on")),
            "late": _working_days(int(params.get("days_late", 0))),
        }
    if kind == "legal_paused":
        return _(
            "The work is paused since %(paused)s by %(switch)s, but its legal deadline of %(due)s does not move: handle the dossier online or "
            "issue an apology slip before it."
        ) % {"paused": _date(params.get("paused_on")), "switch": switch_label(str(params.get("switch", ""))), "due": _date(params.get("due_on"))}
    return kind


def switch_label(kind: str) -> str:
    """The city-wide switch that paused work, as people call it ("Chế độ giãn cách"); a policy when none did."""
    from telework.policy.models import SwitchKind

    if kind in SwitchKind.values:
        return str(SwitchKind(kind).label)
    return _("the policy in force")


def describe_pause(pause: Any, *, today: dt.date) -> str:
    """What a paused item's page, card and notification say: since when, by what, and what happens to its deadline —
    it moves by the working days paused (so far, counting ``today``), or, fixed by law, it does not move."""
    item = pause.item
    since = _("Paused since %(date)s by %(switch)s.") % {"date": _date(pause.paused_on), "switch": switch_label(pause.switch_kind)}
    if pause.legal_deadline_kept:
        return (
            since
            + " "
            + _(
                "The legal deadline of %(due)s does not move: handle the dossier online or issue an apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả) before it."
            )
            % {"due": _date(item.due_on)}
        )
    so_far = rules.paused_working_days(starts_on=item.starts_on, paused_on=pause.paused_on, resumed_on=today + dt.timedelta(days=1))
    return (
        since
        + " "
        + _("When the pause ends, the deadline of %(due)s moves later by the working days paused: %(days)s so far.")
        % {"due": _date(item.due_on), "days": _working_days(so_far)}
    )


def describe_resume(pause: Any) -> str:
    """What the person reads when paused work resumes: the working days paused and the new deadline, or that the
    legal deadline stayed."""
    resumed = _date(pause.resumed_on)
    if pause.legal_deadline_kept:
        return _("Resumed on %(date)s. The legal deadline of %(due)s was not moved.") % {"date": resumed, "due": _date(pause.due_on_after)}
    days = int(pause.working_days_paused or 0)
    if not days or pause.due_on_after == pause.due_on_before:
        return _("Resumed on %(date)s; no working day of the work was lost, the deadline stays %(due)s.") % {"date": resumed, "due": _date(pause.due_on_after)}
    return _("Resumed on %(date)s after %(days)s paused: the deadline moved from %(before)s to %(after)s.") % {
        "date": resumed,
        "days": _working_days(days),
        "before": _date(pause.due_on_before),
        "after": _date(pause.due_on_after),
    }


def describe_load(load: rules.Workload) -> str:
    """ "32 of 40 hours (80 %): balanced" as a head reads it."""
    if load.ratio is None:
        return _("No working day in this period.")
    labels = {"under": _("under-loaded"), "balanced": _("balanced"), "over": _("over-loaded")}
    return _("%(planned)s of %(norm)s norm hours (%(percent)s%%): %(status)s") % {
        "planned": _hours(load.planned_hours),
        "norm": _hours(load.norm_hours),
        "percent": round(load.ratio * 100),
        "status": labels[load.status],
    }


def describe_overload(full_name: str, monday: dt.date, load: rules.Workload) -> str:
    """The warning a head reads after assigning work that puts a person past 120 % of the norm in a week."""
    return _(
        "%(name)s now has %(planned)s hours of work planned in the week of %(monday)s: %(percent)s%% of the office norm "
        "(%(norm)s hours), above the %(limit)s%% that counts as over-loaded."
    ) % {
        "name": full_name,
        "planned": _hours(load.planned_hours),
        "monday": _date(monday),
        "percent": round((load.ratio or 0) * 100),
        "norm": _hours(load.norm_hours),
        "limit": round(rules.OVERLOAD_ABOVE * 100),
    }


def _hours(value: float) -> str:
    """8 → "8", 15.25 → "15,3" in Vietnamese ("15.3" in English): the request's decimal separator."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return formats.number_format(rounded, decimal_pos=1)


def holiday_label(day: dt.date) -> str:
    """The public holiday's name in the active language ("Mùng ba Tết Nguyên Đán" / "Third Day of Lunar New Year")."""
    return calendar.holiday_name(day) or ""
