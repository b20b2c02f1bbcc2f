"""A head corrects a person's working day: a forgotten check-out, a wrong time or mode, a forgotten check-in. The
reason is required, the original is kept, the correction is audited, the person is told, the missed-check-in alert
is cleared, and every refusal leaves everything as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from telework.accounts.models import Role
from telework.attendance import permissions, rules, selectors, services
from telework.attendance.exports import timesheet_xlsx
from telework.attendance.models import CheckIn, CheckInCorrection, MissedCheckIn
from telework.attendance.services import Correction
from telework.attendance.tests.builders import at, publish_roster, record_leave
from telework.core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.rosters.models import EntryStatus

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)
TUESDAY = MONDAY + dt.timedelta(days=1)


def snapshot():
    """Everything a refused correction must leave as it was."""
    return (
        list(CheckIn.objects.order_by("pk").values()),
        list(CheckInCorrection.objects.values()),
        list(MissedCheckIn.objects.order_by("pk").values()),
        Notification.objects.count(),
        AuditEvent.objects.count(),
    )


def correction(mode="office", start=(8, 0), end=(17, 0), reason="Quên chấm công ra", day=MONDAY):
    return Correction(mode=mode, checked_in_at=at(day, *start), checked_out_at=at(day, *end) if end else None, reason=reason)


@pytest.fixture
def forgotten_check_out(city):
    """A staff member checked in at the office on Monday at 07:50 and never checked out."""
    member = city.staff[0]
    publish_roster(city.unit, MONDAY, {member: EntryStatus.OFFICE})
    services.attendance_check_in(actor=member.user, mode="office", now=at(MONDAY, 7, 50))
    return member


def test_a_head_sets_a_forgotten_check_out_and_the_original_is_kept(city, forgotten_check_out, django_capture_on_commit_callbacks):
    member = forgotten_check_out
    with django_capture_on_commit_callbacks(execute=True):
        record = services.attendance_correct(
            actor=city.head.user, staff=member, day=MONDAY, correction=correction(start=(7, 50), end=(17, 5)), now=at(TUESDAY, 8, 30)
        )
    check_in = CheckIn.objects.get(staff=member, day=MONDAY)
    assert (check_in.mode, check_in.checked_in_at, check_in.checked_out_at, check_in.minutes_worked) == ("office", at(MONDAY, 7, 50), at(MONDAY, 17, 5), 555)
    assert (record.check_in, record.created_check_in, record.reason, record.corrected_by, record.corrected_at) == (
        check_in,
        False,
        "Quên chấm công ra",
        city.head.user,
        at(TUESDAY, 8, 30),
    )
    assert (record.mode_before, record.checked_in_at_before, record.checked_out_at_before) == ("office", at(MONDAY, 7, 50), None)
    event = AuditEvent.objects.get(action="check_in.correct")
    assert (event.actor, event.object_id, event.reason) == (city.head.user, str(check_in.pk), "Quên chấm công ra")
    assert event.before == {"day": "2026-12-07", "mode": "office", "checked_in_at": "07:50", "checked_out_at": ""}
    assert event.after == {
        "day": "2026-12-07",
        "mode": "office",
        "checked_in_at": "07:50",
        "checked_out_at": "17:05",
        "finding": rules.MATCHES,
        "missed_check_in_cleared": False,
    }
    notification = Notification.objects.get(user=member.user)
    assert notification.key == f"attendance:correction:{record.pk}"
    assert notification.title == f"{city.head.full_name} đã sửa chấm công ngày 07/12/2026 của bạn"
    assert notification.body == "Hiện nay: Tại cơ quan, 07:50 – 17:05. Lý do: Quên chấm công ra"
    assert notification.url == "/attendance/"


def test_a_changed_mode_is_compared_with_the_roster_again(city, forgotten_check_out):
    record = services.attendance_correct(
        actor=city.head.user, staff=forgotten_check_out, day=MONDAY, correction=correction(mode="home", end=None), now=at(MONDAY, 10, 0)
    )
    check_in = record.check_in
    check_in.refresh_from_db()
    assert (check_in.mode, check_in.finding, check_in.is_mismatch, check_in.checked_out_at) == ("home", rules.HOME_WHILE_ROSTERED_ON_SITE, True, None)


def test_a_forgotten_check_in_is_recorded_and_clears_the_missed_check_in(city, django_capture_on_commit_callbacks):
    member = city.staff[1]
    publish_roster(city.unit, MONDAY, {member: EntryStatus.HOME})
    services.missed_check_ins_detect(day=MONDAY, now=at(MONDAY, 9, 5))
    missed = MissedCheckIn.objects.get(staff=member, day=MONDAY)
    with django_capture_on_commit_callbacks(execute=True):
        record = services.attendance_correct(
            actor=city.head.user,
            staff=member,
            day=MONDAY,
            correction=correction(mode="home", start=(8, 0), end=(16, 30), reason="Đã gọi điện, làm việc tại nhà từ 8 giờ"),
            now=at(MONDAY, 17, 0),
        )
    check_in = CheckIn.objects.get(staff=member, day=MONDAY)
    assert (check_in.unit, check_in.mode, check_in.rostered, check_in.finding, check_in.note, check_in.minutes_worked) == (
        city.unit,
        "home",
        "home",
        rules.MATCHES,
        "",
        510,
    )
    assert (record.created_check_in, record.mode_before, record.checked_in_at_before) == (True, "", None)
    missed.refresh_from_db()
    assert missed.cleared_by == record
    assert AuditEvent.objects.get(action="check_in.correct").before == {"day": "2026-12-07", "checked_in": False}
    assert AuditEvent.objects.get(action="check_in.correct").after["missed_check_in_cleared"] is True
    # The person's missed-check-in alert, still queued, is not sent once the day is corrected.
    from telework.attendance.tasks import notify_missed_check_ins

    MissedCheckIn.objects.update(notified_at=None)
    assert notify_missed_check_ins(MONDAY.isoformat()) == 9


def test_a_correction_on_a_day_of_leave_is_flagged_as_such(city):
    member = city.staff[2]
    publish_roster(city.unit, MONDAY, {})
    record_leave(member, MONDAY)
    record = services.attendance_correct(actor=city.head.user, staff=member, day=MONDAY, correction=correction(), now=at(MONDAY, 18, 0))
    assert record.check_in.finding == rules.CHECKED_IN_ON_LEAVE


@pytest.mark.parametrize(
    ("change", "now", "rule"),
    [
        pytest.param({"reason": "   "}, at(TUESDAY, 8, 0), "reason", id="no reason"),
        pytest.param({"mode": "cafe"}, at(TUESDAY, 8, 0), "mode", id="unknown mode"),
        pytest.param({"day": TUESDAY + dt.timedelta(days=1)}, at(TUESDAY, 8, 0), rules.CORRECTION_FUTURE_DAY, id="a day to come"),
        pytest.param({"end": (17, 0)}, at(MONDAY, 16, 0), rules.CORRECTION_FUTURE_TIME, id="a check-out to come"),
        pytest.param({"start": (18, 0), "end": (17, 0)}, at(TUESDAY, 8, 0), rules.CORRECTION_CHECK_OUT_BEFORE_CHECK_IN, id="out before in"),
        pytest.param({"start": (5, 0), "end": (21, 30)}, at(TUESDAY, 8, 0), rules.CORRECTION_SHIFT_TOO_LONG, id="longer than sixteen hours"),
        pytest.param({}, at(MONDAY + dt.timedelta(days=36), 8, 0), rules.CORRECTION_TOO_OLD, id="more than 35 days ago"),
    ],
)
def test_a_correction_outside_the_rules_is_refused_and_nothing_changes(city, forgotten_check_out, change, now, rule):
    fields = {"mode": "office", "start": (7, 50), "end": (17, 0), "reason": "Sửa giờ", "day": MONDAY, **change}
    day = fields.pop("day")
    before = snapshot()
    with pytest.raises(ValidationFailed) as refusal:
        services.attendance_correct(actor=city.head.user, staff=forgotten_check_out, day=day, correction=correction(**fields, day=day), now=now)
    assert refusal.value.rule == rule
    assert snapshot() == before


def test_a_time_on_another_day_is_refused(city, forgotten_check_out):
    before = snapshot()
    wrong = Correction(mode="office", checked_in_at=at(MONDAY, 7, 50), checked_out_at=at(TUESDAY, 0, 30), reason="Sửa giờ")
    with pytest.raises(ValidationFailed) as refusal:
        services.attendance_correct(actor=city.head.user, staff=forgotten_check_out, day=MONDAY, correction=wrong, now=at(TUESDAY, 9, 0))
    assert refusal.value.rule == rules.CORRECTION_OTHER_DAY
    assert snapshot() == before


@override_settings(ATTENDANCE_CORRECTION_DAYS=3)
def test_the_correction_window_is_a_setting(city, forgotten_check_out):
    with pytest.raises(ValidationFailed) as refusal:
        services.attendance_correct(
            actor=city.head.user, staff=forgotten_check_out, day=MONDAY, correction=correction(), now=at(MONDAY + dt.timedelta(days=4), 8, 0)
        )
    assert (refusal.value.rule, refusal.value.params) == (rules.CORRECTION_TOO_OLD, {"days": 3})
    services.attendance_correct(
        actor=city.head.user, staff=forgotten_check_out, day=MONDAY, correction=correction(), now=at(MONDAY + dt.timedelta(days=3), 8, 0)
    )


def test_the_same_times_again_are_refused_as_nothing_to_correct(city, forgotten_check_out):
    before = snapshot()
    with pytest.raises(ValidationFailed) as refusal:
        services.attendance_correct(
            actor=city.head.user, staff=forgotten_check_out, day=MONDAY, correction=correction(start=(7, 50), end=None), now=at(MONDAY, 12, 0)
        )
    assert refusal.value.rule == "correction.unchanged"
    assert snapshot() == before


def test_a_correction_from_a_stale_page_is_refused(city, forgotten_check_out):
    seen = selectors.check_in_fingerprint(CheckIn.objects.get(staff=forgotten_check_out))
    # Meanwhile the person checks out themselves.
    services.attendance_check_out(actor=forgotten_check_out.user, now=at(MONDAY, 17, 2))
    before = snapshot()
    with pytest.raises(RuleViolation) as refusal:
        services.attendance_correct(
            actor=city.head.user, staff=forgotten_check_out, day=MONDAY, correction=correction(start=(7, 50), end=(17, 30)), seen=seen, now=at(MONDAY, 18, 0)
        )
    assert refusal.value.rule == "correction.stale"
    assert snapshot() == before


def test_recording_a_day_the_person_has_meanwhile_checked_in_is_refused(city):
    member = city.staff[3]
    seen = selectors.check_in_fingerprint(None)
    services.attendance_check_in(actor=member.user, mode="office", now=at(MONDAY, 8, 40))
    before = snapshot()
    with pytest.raises(RuleViolation) as refusal:
        services.attendance_correct(actor=city.head.user, staff=member, day=MONDAY, correction=correction(end=None), seen=seen, now=at(MONDAY, 9, 0))
    assert refusal.value.rule == "correction.stale"
    assert snapshot() == before


def test_who_may_correct(city):
    member = city.staff[0]
    hr_staff = city.hr.staff
    other_unit_head = StaffFactory(unit=UnitFactory(agency=city.agency), is_leader=True, user__role=Role.UNIT_HEAD)
    assert permissions.can_correct(city.head.user, member)  # the direct superior
    assert permissions.can_correct(city.hr, member)  # the agency's HR office
    assert hr_staff.unit.agency_id == member.unit.agency_id
    assert not permissions.can_correct(member.user, member)  # never one's own
    assert not permissions.can_correct(city.staff[1].user, member)  # a colleague
    assert not permissions.can_correct(other_unit_head.user, member)  # a head of another unit
    assert not permissions.can_correct(city.outsider.user, member)  # another agency
    assert not permissions.can_correct(city.home_affairs, member)  # reads the city, answers for nobody
    assert permissions.correctable(city.head.user, [member, city.head, city.clerk]) == {member.pk, city.clerk.pk}


@pytest.mark.parametrize("who", ["member", "colleague", "outsider"])
def test_someone_who_does_not_answer_for_the_person_is_refused(city, forgotten_check_out, who):
    actor = {"member": forgotten_check_out.user, "colleague": city.staff[1].user, "outsider": city.outsider.user}[who]
    before = snapshot()
    with pytest.raises(NotPermitted):
        services.attendance_correct(actor=actor, staff=forgotten_check_out, day=MONDAY, correction=correction(), now=at(TUESDAY, 8, 0))
    assert snapshot() == before


def test_hr_corrects_and_the_newest_correction_is_what_pages_show(city, forgotten_check_out):
    first = services.attendance_correct(actor=city.head.user, staff=forgotten_check_out, day=MONDAY, correction=correction(end=(17, 0)), now=at(TUESDAY, 8, 0))
    second = services.attendance_correct(
        actor=city.hr, staff=forgotten_check_out, day=MONDAY, correction=correction(end=(16, 0), reason="Về sớm có phép"), now=at(TUESDAY, 9, 0)
    )
    assert (second.mode_before, second.checked_in_at_before, second.checked_out_at_before) == ("office", at(MONDAY, 8, 0), at(MONDAY, 17, 0))
    assert selectors.latest_corrections([first.check_in_id]) == {first.check_in_id: second}


def test_the_timesheet_and_its_export_mark_the_corrected_day(city, forgotten_check_out):
    record = services.attendance_correct(actor=city.head.user, staff=forgotten_check_out, day=MONDAY, correction=correction(), now=at(TUESDAY, 8, 0))
    sheet = selectors.unit_timesheet(viewer=city.head.user, unit=city.unit, month=MONDAY.replace(day=1), today=TUESDAY)
    assert sheet.corrections == {(forgotten_check_out.pk, MONDAY): record}
    from io import BytesIO

    from openpyxl import load_workbook

    worksheet = load_workbook(BytesIO(timesheet_xlsx(sheet))).active
    texts = [str(cell.value) for row in worksheet.iter_rows() for cell in row if cell.value is not None]
    assert "CQ\n9,0*" in texts
    assert f"07/12, {forgotten_check_out.full_name}: sửa bởi {city.head.full_name}: Quên chấm công ra" in texts
