"""Background work for attendance. Tasks take ids or ISO dates, call a service or send messages, and are idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from telework.attendance.models import CheckInCorrection, MissedCheckIn
from telework.attendance.selectors import ROSTER_STATUS_LABELS
from telework.attendance.services import missed_check_ins_detect
from telework.core import clock
from telework.core.notifications import NotificationCategory, notify_user
from telework.organization.heads import heads_by_staff


@shared_task(name="attendance.detect_missed_check_ins")
def detect_missed_check_ins(day: str | None = None, cutoff: str = "09:00") -> dict[str, Any]:
    """The periodic job (Celery beat, working days after the cut-off): record and alert today's missed check-ins."""
    target = dt.date.fromisoformat(day) if day else clock.today()
    return missed_check_ins_detect(day=target, cutoff=dt.time.fromisoformat(cutoff)).as_dict()


@shared_task(name="attendance.notify_missed_check_ins")
def notify_missed_check_ins(day: str) -> int:
    """Alert every person recorded as missed on ``day`` and not yet alerted, and each of their heads once with the
    list of their people. Keys make a retry send nothing twice; rows are marked alerted afterwards. Returns the
    number of rows alerted."""
    target = dt.date.fromisoformat(day)
    rows = list(
        MissedCheckIn.objects.filter(day=target, notified_at__isnull=True, cleared_by__isnull=True)
        .select_related("staff__user", "staff__unit", "staff__direct_superior__user", "unit")
        .order_by("id")
    )
    if not rows:
        return 0
    batch = rows[0].pk
    # Who answers for each person: one rule for every notification (organization.heads), in a few queries.
    heads_by_person = heads_by_staff(row.staff for row in rows)
    heads: dict[int, tuple[Any, list[MissedCheckIn]]] = {}
    with translation.override("vi"):
        when = formats.date_format(target, "d/m/Y")
        my_page = reverse("attendance:mine")
        for row in rows:
            person = row.staff
            if person.user is not None:
                notify_user(
                    person.user,
                    key=f"attendance:missed:{row.pk}",
                    title=_("You have not checked in today (%(date)s)") % {"date": when},
                    body=_("The roster has you %(status)s today and no check-in was recorded by %(cutoff)s. Check in now, or tell your head why.")
                    % {"status": ROSTER_STATUS_LABELS.get(row.rostered, row.rostered), "cutoff": row.cutoff.strftime("%H:%M")},
                    url=my_page,
                    category=NotificationCategory.ATTENDANCE,
                )
            for user in heads_by_person.get(person.pk, []):
                if user.pk != (person.user_id or 0):
                    heads.setdefault(user.pk, (user, []))[1].append(row)
        for user, missed in heads.values():
            names = ", ".join(f"{row.staff.full_name} ({row.unit.name})" for row in missed)
            notify_user(
                user,
                key=f"attendance:missed-digest:{target.isoformat()}:{batch}",
                title=_("%(count)s of your staff have not checked in (%(date)s)") % {"count": len(missed), "date": when},
                body=_("Not checked in by %(cutoff)s although the roster expects them: %(names)s.")
                % {"cutoff": missed[0].cutoff.strftime("%H:%M"), "names": names},
                url=f"{reverse('attendance:board')}?unit={missed[0].unit_id}",
                category=NotificationCategory.ATTENDANCE,
            )
    MissedCheckIn.objects.filter(pk__in=[row.pk for row in rows]).update(notified_at=clock.now())
    return len(rows)


@shared_task(name="attendance.notify_check_in_corrected")
def notify_check_in_corrected(correction_id: int) -> bool:
    """Tell the person that a head corrected their working day: who, which day, what it says now, and why. Keyed by
    the correction, so a retry sends nothing twice. False when there is nobody to tell (no account)."""
    correction = CheckInCorrection.objects.select_related("check_in__staff__user", "corrected_by__staff").filter(pk=correction_id).first()
    if correction is None or correction.check_in.staff.user is None:
        return False
    check_in = correction.check_in
    person = correction.check_in.staff.user
    with translation.override("vi"):
        times = timezone.localtime(correction.checked_in_at).strftime("%H:%M")
        if correction.checked_out_at is not None:
            times += " – " + timezone.localtime(correction.checked_out_at).strftime("%H:%M")
        notify_user(
            person,
            key=f"attendance:correction:{correction.pk}",
            title=_("%(head)s corrected your check-in of %(date)s")
            % {"head": correction.corrected_by_name, "date": formats.date_format(check_in.day, "d/m/Y")},
            body=_("Now: %(mode)s, %(times)s. Reason: %(reason)s") % {"mode": correction.get_mode_display(), "times": times, "reason": correction.reason},
            url=reverse("attendance:mine"),
            category=NotificationCategory.ATTENDANCE,
        )
    return True
