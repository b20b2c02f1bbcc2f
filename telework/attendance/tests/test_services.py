"""Check-in, check-out and the reachable status, against the published roster and recorded leave; missed check-ins
with a controlled clock, public holidays and idempotent alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.db import IntegrityError, transaction

from telework.accounts.models import ApiToken
from telework.attendance import rules, services
from telework.attendance.models import CheckIn, MissedCheckIn, Reachability
from telework.attendance.tests.builders import at, publish_roster, record_leave
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.demo.testing import next_monday
from telework.organization.tests.factories import UserFactory
from telework.rosters.models import EntryStatus

pytestmark = pytest.mark.django_db

NATIONAL_DAY = dt.date(2026, 9, 2)  # a Wednesday and a public holiday


def snapshot():
    """Everything a refused action must leave as it was."""
    rows = list(CheckIn.objects.order_by("pk").values())
    return rows, MissedCheckIn.objects.count(), Notification.objects.count(), AuditEvent.objects.count()


# --- check-in against the roster --------------------------------------------------------------------------------


def test_office_check_in_as_rostered_matches(city):
    monday = next_monday()
    member = city.staff[0]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE})
    check_in = services.attendance_check_in(actor=member.user, mode="office", note="Họp giao ban", now=at(monday, 7, 55))
    check_in.refresh_from_db()
    assert (check_in.staff, check_in.unit, check_in.day, check_in.mode) == (member, city.unit, monday, "office")
    assert check_in.checked_in_at == at(monday, 7, 55)
    assert (check_in.rostered, check_in.finding, check_in.is_mismatch) == ("office", rules.MATCHES, False)
    assert check_in.note == "Họp giao ban"
    assert check_in.reachability == ""


def test_home_check_in_while_rostered_at_the_office_is_recorded_and_flagged(city):
    monday = next_monday()
    member = city.staff[1]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE})
    check_in = services.attendance_check_in(actor=member.user, mode="home", now=at(monday, 8, 1))
    assert (check_in.rostered, check_in.finding, check_in.is_mismatch) == ("office", rules.HOME_WHILE_ROSTERED_ON_SITE, True)
    assert check_in.reachability == Reachability.REACHABLE
    assert check_in.reachability_at == at(monday, 8, 1)


def test_office_check_in_while_rostered_at_home_is_flagged(city):
    monday = next_monday()
    member = city.staff[2]
    publish_roster(city.unit, monday, {member: EntryStatus.HOME})
    check_in = services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 8, 0))
    assert (check_in.rostered, check_in.finding, check_in.is_mismatch) == ("home", rules.OFFICE_WHILE_ROSTERED_AT_HOME, True)


def test_desk_duty_matches_a_check_in_at_the_office(city):
    monday = next_monday()
    publish_roster(city.unit, monday, {city.clerk: EntryStatus.DESK}, service_point=city.desk)
    check_in = services.attendance_check_in(actor=city.clerk.user, mode="office", now=at(monday, 7, 30))
    assert (check_in.rostered, check_in.finding, check_in.is_mismatch) == ("desk", rules.MATCHES, False)


def test_check_in_while_on_recorded_leave_is_flagged(city):
    monday = next_monday()
    member = city.staff[3]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE})
    record_leave(member, monday, monday + dt.timedelta(days=1))
    check_in = services.attendance_check_in(actor=member.user, mode="home", now=at(monday, 9, 30))
    assert (check_in.finding, check_in.is_mismatch) == (rules.CHECKED_IN_ON_LEAVE, True)


def test_cancelled_leave_no_longer_counts(city):
    from django.utils import timezone

    monday = next_monday()
    member = city.staff[3]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE})
    leave = record_leave(member, monday)
    leave.cancelled_at = timezone.now()
    leave.save()
    check_in = services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 8, 0))
    assert check_in.finding == rules.MATCHES


def test_a_draft_roster_is_not_what_staff_follow(city):
    monday = next_monday()
    member = city.staff[0]
    publish_roster(city.unit, monday, {member: EntryStatus.HOME}, published=False)
    check_in = services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 8, 0))
    assert (check_in.rostered, check_in.finding, check_in.is_mismatch) == ("", rules.NO_PUBLISHED_ROSTER, False)


def test_the_newest_published_version_decides_while_the_head_drafts_another(city):
    monday = next_monday()
    member = city.staff[0]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE}, version=1)
    publish_roster(city.unit, monday, {member: EntryStatus.HOME}, version=2)
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE}, version=3, published=False)
    check_in = services.attendance_check_in(actor=member.user, mode="home", now=at(monday, 8, 0))
    assert (check_in.rostered, check_in.finding) == ("home", rules.MATCHES)


def test_a_weekend_check_in_is_noted_not_flagged(city):
    saturday = next_monday() - dt.timedelta(days=2)
    check_in = services.attendance_check_in(actor=city.staff[0].user, mode="home", now=at(saturday, 9, 0))
    assert (check_in.finding, check_in.is_mismatch) == (rules.NOT_A_WORKING_DAY, False)


def test_the_day_is_the_local_day_not_the_utc_day(city):
    monday = next_monday()
    # 06:30 in Ho Chi Minh City is 23:30 UTC the day before.
    check_in = services.attendance_check_in(actor=city.staff[0].user, mode="office", now=at(monday, 6, 30))
    assert check_in.day == monday


# --- refusals ---------------------------------------------------------------------------------------------------


def test_a_second_check_in_the_same_day_is_refused_and_nothing_changes(city):
    monday = next_monday()
    member = city.staff[0]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE})
    services.attendance_check_in(actor=member.user, mode="office", note="first", now=at(monday, 7, 50))
    before = snapshot()
    with pytest.raises(RuleViolation) as refused:
        services.attendance_check_in(actor=member.user, mode="home", note="second", now=at(monday, 10, 0))
    assert refused.value.rule == "one_check_in_per_person_per_day"
    assert "07:50" in str(refused.value.message)
    assert refused.value.params["mode"] == "office"
    assert snapshot() == before
    assert CheckIn.objects.filter(staff=member).count() == 1


@pytest.mark.parametrize("path", ["page", "phone"])
def test_the_same_check_in_sent_again_answers_the_first_and_stores_nothing_more(city, path):
    """A retry (same person, day, mode and note) after the answer was lost: the stored check-in, as acknowledged the
    first time, on the page's path and the phone's (one statement on PostgreSQL, a read and a write on SQLite)."""
    monday = next_monday()
    member = city.staff[0]
    publish_roster(city.unit, monday, {member: EntryStatus.OFFICE})
    _token, key = ApiToken.issue(user=member.user, name="điện thoại")

    def check_in(minute: int) -> CheckIn | None:
        if path == "page":
            return services.attendance_check_in(actor=member.user, mode="office", note="đến sớm", now=at(monday, 7, minute))
        return services.attendance_check_in_with_token(key=key, mode="office", note="đến sớm", now=at(monday, 7, minute))

    first = check_in(50)
    before = snapshot()
    again = check_in(51)
    assert again is not None
    assert first is not None
    assert (again.pk, again.checked_in_at, again.finding, again.mode) == (first.pk, at(monday, 7, 50), first.finding, "office")
    assert snapshot() == before
    assert CheckIn.objects.filter(staff=member).count() == 1


def test_the_unique_index_refuses_a_duplicate_even_without_the_service(city):
    monday = next_monday()
    member = city.staff[0]
    services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 8, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.create(staff=member, unit=city.unit, day=monday, mode="home", checked_in_at=at(monday, 9, 0))


def test_check_in_next_day_is_a_new_check_in(city):
    monday = next_monday()
    member = city.staff[0]
    services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 8, 0))
    services.attendance_check_in(actor=member.user, mode="home", now=at(monday + dt.timedelta(days=1), 8, 0))
    assert list(CheckIn.objects.filter(staff=member).order_by("day").values_list("day", "mode")) == [
        (monday, "office"),
        (monday + dt.timedelta(days=1), "home"),
    ]


@pytest.mark.parametrize(
    ("mode", "note", "rule"),
    [("garden", "", "mode"), ("", "", "mode"), ("office", "x" * 301, "note")],
)
def test_malformed_check_in_is_refused_and_nothing_is_written(city, mode, note, rule):
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.attendance_check_in(actor=city.staff[0].user, mode=mode, note=note, now=at(next_monday(), 8, 0))
    assert refused.value.rule == rule
    assert snapshot() == before


def test_an_account_without_staff_record_cannot_check_in(city):
    with pytest.raises(NotPermitted) as refused:
        services.attendance_check_in(actor=city.home_affairs, mode="office", now=at(next_monday(), 8, 0))
    assert refused.value.rule == "staff_record"
    assert not CheckIn.objects.exists()


def test_an_inactive_staff_member_cannot_check_in(city):
    member = city.staff[0]
    member.is_active = False
    member.save()
    with pytest.raises(NotPermitted):
        services.attendance_check_in(actor=member.user, mode="office", now=at(next_monday(), 8, 0))
    assert not CheckIn.objects.exists()


# --- check-out --------------------------------------------------------------------------------------------------


def test_check_out_records_the_hours_worked(city):
    monday = next_monday()
    member = city.staff[0]
    services.attendance_check_in(actor=member.user, mode="home", now=at(monday, 7, 45))
    check_in = services.attendance_check_out(actor=member.user, note="Xong báo cáo quý", now=at(monday, 16, 15))
    check_in.refresh_from_db()
    assert check_in.checked_out_at == at(monday, 16, 15)
    assert check_in.check_out_note == "Xong báo cáo quý"
    assert check_in.minutes_worked == 510
    assert check_in.hours_text == "8,5"


def test_check_out_without_check_in_is_refused(city):
    before = snapshot()
    with pytest.raises(InvalidTransition) as refused:
        services.attendance_check_out(actor=city.staff[0].user, now=at(next_monday(), 17, 0))
    assert refused.value.rule == "check_out.requires_check_in"
    assert refused.value.details == []
    assert snapshot() == before


def test_check_out_the_next_morning_is_refused_and_names_the_open_check_in(city):
    monday = next_monday()
    member = city.staff[0]
    services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 8, 0))
    before = snapshot()
    with pytest.raises(InvalidTransition) as refused:
        services.attendance_check_out(actor=member.user, now=at(monday + dt.timedelta(days=1), 7, 0))
    assert refused.value.rule == "check_out.requires_check_in"
    assert [(detail["rule"], detail["date"]) for detail in refused.value.details] == [("check_out.same_day", monday.isoformat())]
    assert snapshot() == before


def test_a_second_check_out_is_refused_and_keeps_the_first(city):
    monday = next_monday()
    member = city.staff[0]
    services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 8, 0))
    services.attendance_check_out(actor=member.user, now=at(monday, 17, 0))
    before = snapshot()
    with pytest.raises(InvalidTransition) as refused:
        services.attendance_check_out(actor=member.user, now=at(monday, 18, 0))
    assert refused.value.rule == "check_out.once"
    assert "17:00" in str(refused.value.message)
    assert snapshot() == before


def test_check_out_before_check_in_is_impossible(city):
    monday = next_monday()
    member = city.staff[0]
    services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 9, 0))
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        services.attendance_check_out(actor=member.user, now=at(monday, 8, 59))
    assert refused.value.rule == "check_out_after_check_in"
    assert snapshot() == before


def test_the_database_refuses_a_check_out_before_the_check_in(city):
    monday = next_monday()
    check_in = services.attendance_check_in(actor=city.staff[0].user, mode="office", now=at(monday, 9, 0))
    with pytest.raises(IntegrityError), transaction.atomic():
        CheckIn.objects.filter(pk=check_in.pk).update(checked_out_at=at(monday, 8, 0))


def test_a_working_day_longer_than_sixteen_hours_is_refused(city):
    monday = next_monday()
    member = city.staff[0]
    services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 6, 30))
    with pytest.raises(ValidationFailed) as refused:
        services.attendance_check_out(actor=member.user, now=at(monday, 22, 31))
    assert refused.value.rule == "max_shift_hours"
    assert CheckIn.objects.get().checked_out_at is None


# --- reachable status -------------------------------------------------------------------------------------------


def test_a_person_at_home_sets_their_reachable_status(city):
    monday = next_monday()
    member = city.staff[0]
    services.attendance_check_in(actor=member.user, mode="home", now=at(monday, 8, 0))
    check_in = services.attendance_set_reachability(actor=member.user, status="in_meeting", now=at(monday, 10, 0))
    check_in.refresh_from_db()
    assert (check_in.reachability, check_in.reachability_at) == ("in_meeting", at(monday, 10, 0))


@pytest.mark.parametrize(
    ("setup", "status", "error", "rule"),
    [
        ("none", "away", InvalidTransition, "reachability.requires_check_in"),
        ("office", "away", InvalidTransition, "reachability.home_only"),
        ("home_out", "away", InvalidTransition, "reachability.checked_out"),
        ("home", "sleeping", ValidationFailed, "status"),
    ],
)
def test_reachable_status_is_refused_outside_a_working_day_at_home(city, setup, status, error, rule):
    monday = next_monday()
    member = city.staff[0]
    if setup in {"office", "home", "home_out"}:
        services.attendance_check_in(actor=member.user, mode="office" if setup == "office" else "home", now=at(monday, 8, 0))
    if setup == "home_out":
        services.attendance_check_out(actor=member.user, now=at(monday, 12, 0))
    before = snapshot()
    with pytest.raises(error) as refused:
        services.attendance_set_reachability(actor=member.user, status=status, now=at(monday, 13, 0))
    assert refused.value.rule == rule
    assert snapshot() == before


# --- missed check-ins -------------------------------------------------------------------------------------------


@pytest.fixture
def detect(django_capture_on_commit_callbacks):
    """Run the detection as the job does: the alerts go out when its transaction commits."""

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.missed_check_ins_detect(**kwargs)

    return run


def test_missed_check_ins_are_detected_after_the_cut_off_only(city):
    monday = next_monday()
    publish_roster(city.unit, monday, {city.staff[0]: EntryStatus.HOME, city.clerk: EntryStatus.DESK}, service_point=city.desk)
    early = services.missed_check_ins_detect(day=monday, now=at(monday, 8, 59))
    assert early.skipped == "before_cutoff"
    assert not MissedCheckIn.objects.exists()
    services.attendance_check_in(actor=city.staff[1].user, mode="office", now=at(monday, 8, 30))
    run = services.missed_check_ins_detect(day=monday, now=at(monday, 9, 0))
    assert run.as_dict() == {"day": monday.isoformat(), "cutoff": "09:00", "skipped": "", "expected": 10, "checked_in": 1, "missed": 9, "new": 9}
    missed = {row.staff_id: row.rostered for row in MissedCheckIn.objects.filter(day=monday)}
    assert set(missed) == {member.pk for member in [city.head, *city.staff, city.clerk] if member != city.staff[1]}
    assert missed[city.staff[0].pk] == "home"
    assert missed[city.clerk.pk] == "desk"


def test_people_on_leave_are_not_alerted(city):
    monday = next_monday()
    publish_roster(city.unit, monday, {city.staff[0]: EntryStatus.LEAVE})
    record_leave(city.staff[1], monday - dt.timedelta(days=3), monday + dt.timedelta(days=2))
    services.missed_check_ins_detect(day=monday, now=at(monday, 9, 30))
    alerted = set(MissedCheckIn.objects.values_list("staff_id", flat=True))
    assert city.staff[0].pk not in alerted
    assert city.staff[1].pk not in alerted
    assert city.staff[2].pk in alerted


def test_nobody_is_alerted_without_a_published_roster_or_when_inactive(city):
    monday = next_monday()
    publish_roster(city.unit, monday, {}, published=False)
    assert services.missed_check_ins_detect(day=monday, now=at(monday, 10, 0)).expected == 0
    publish_roster(city.unit, monday, {}, version=2)
    city.staff[0].is_active = False
    city.staff[0].save()
    services.missed_check_ins_detect(day=monday, now=at(monday, 10, 0))
    assert not MissedCheckIn.objects.filter(staff=city.staff[0]).exists()
    assert MissedCheckIn.objects.count() == 9


def test_nobody_is_alerted_on_a_public_holiday_or_a_weekend(city):
    publish_roster(city.unit, NATIONAL_DAY, {})
    holiday = services.missed_check_ins_detect(day=NATIONAL_DAY, now=at(NATIONAL_DAY, 12, 0))
    assert (holiday.skipped, holiday.expected) == ("holiday", 0)
    sunday = next_monday() - dt.timedelta(days=1)
    assert services.missed_check_ins_detect(day=sunday, now=at(sunday, 12, 0)).skipped == "weekend"
    assert not MissedCheckIn.objects.exists()
    assert not Notification.objects.exists()


def test_the_cut_off_is_a_parameter(city):
    monday = next_monday()
    publish_roster(city.unit, monday, {})
    assert services.missed_check_ins_detect(day=monday, now=at(monday, 9, 30), cutoff=dt.time(10, 0)).skipped == "before_cutoff"
    run = services.missed_check_ins_detect(day=monday, now=at(monday, 10, 0), cutoff=dt.time(10, 0))
    assert run.new == 10
    assert set(MissedCheckIn.objects.values_list("cutoff", flat=True)) == {dt.time(10, 0)}


def test_missed_check_ins_alert_the_person_and_their_head_once(city, detect):
    monday = next_monday()
    city.head.user.email = "truong@example.gov.vn"
    city.head.user.save()
    publish_roster(city.unit, monday, {})
    for member in [city.head, *city.staff[2:], city.clerk]:
        services.attendance_check_in(actor=member.user, mode="office", now=at(monday, 8, 0))
    mail.outbox.clear()
    detect(day=monday, now=at(monday, 9, 5))
    late = [city.staff[0], city.staff[1]]
    personal = Notification.objects.filter(key__startswith="attendance:missed:")
    assert sorted(notification.user_id for notification in personal) == sorted(member.user_id for member in late)
    assert all(notification.url == "/attendance/" for notification in personal)
    digest = Notification.objects.get(key__startswith="attendance:missed-digest:")
    assert digest.user == city.head_user
    assert digest.title == f"2 cán bộ của bạn chưa chấm công ({monday:%d/%m/%Y})"
    assert city.staff[0].full_name in digest.body
    assert city.staff[1].full_name in digest.body
    assert digest.url == f"/attendance/board/?unit={city.unit.pk}"
    assert MissedCheckIn.objects.filter(notified_at__isnull=True).count() == 0
    sent = len(mail.outbox)
    # The head at the account's address; the people at the address HR recorded on their staff record.
    assert sorted(message.to[0] for message in mail.outbox) == sorted([city.staff[0].email, city.staff[1].email, "truong@example.gov.vn"])

    again = detect(day=monday, now=at(monday, 11, 0))
    assert (again.missed, again.new) == (2, 0)
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == sent


def test_a_retried_alert_task_sends_nothing_twice(city, detect):
    from telework.attendance.tasks import notify_missed_check_ins

    monday = next_monday()
    publish_roster(city.unit, monday, {})
    detect(day=monday, now=at(monday, 9, 5))
    count = Notification.objects.count()
    MissedCheckIn.objects.update(notified_at=None)  # as if the task had died before marking the rows
    assert notify_missed_check_ins(monday.isoformat()) == 10
    assert Notification.objects.count() == count
    assert notify_missed_check_ins(monday.isoformat()) == 0


def test_without_a_direct_superior_the_unit_leaders_are_alerted(city, detect):
    monday = next_monday()
    member = city.staff[0]
    member.direct_superior = None
    member.save()
    publish_roster(city.unit, monday, {})
    for other in [city.head, *city.staff[1:], city.clerk]:
        services.attendance_check_in(actor=other.user, mode="office", now=at(monday, 8, 0))
    detect(day=monday, now=at(monday, 9, 5))
    digest = Notification.objects.get(key__startswith="attendance:missed-digest:")
    assert digest.user == city.head_user


def test_a_head_who_misses_their_own_check_in_gets_no_digest_about_themselves(city, detect):
    monday = next_monday()
    publish_roster(city.unit, monday, {})
    for other in [*city.staff, city.clerk]:
        services.attendance_check_in(actor=other.user, mode="office", now=at(monday, 8, 0))
    detect(day=monday, now=at(monday, 9, 5))
    assert list(Notification.objects.values_list("user_id", "key")) == [(city.head_user.pk, f"attendance:missed:{MissedCheckIn.objects.get().pk}")]


def test_a_user_without_staff_record_is_never_expected(city):
    UserFactory(username="khach")
    monday = next_monday()
    publish_roster(city.unit, monday, {})
    assert services.missed_check_ins_detect(day=monday, now=at(monday, 9, 5)).expected == 10


# --- the phone's check-in by token (one statement on PostgreSQL) --------------------------------------------------


@pytest.mark.parametrize("on_leave", [False, True], ids=["no leave", "on leave"])
@pytest.mark.parametrize("rostered", [*EntryStatus.values, None], ids=[*EntryStatus.values, "no roster"])
@pytest.mark.parametrize("mode", rules.MODES)
def test_the_phone_check_in_finds_what_the_rules_find(city, mode, rostered, on_leave):
    """Every plan a check-in can meet, through the phone's path (on PostgreSQL the finding is picked inside the
    statement from findings computed by ``rules.compare``): the stored row is the one the web page would store."""
    monday = next_monday()
    member = city.staff[0]
    if rostered is not None:
        publish_roster(city.unit, monday, {member: rostered}, service_point=city.desk)
    if on_leave:
        record_leave(member, monday)
    _token, key = ApiToken.issue(user=member.user, name="điện thoại")
    check_in = services.attendance_check_in_with_token(key=key, mode=mode, note="  ghi chú  ", now=at(monday, 7, 50))
    expected = rules.compare(mode, rules.DayPlan(rostered=rostered, is_on_leave=on_leave, is_working_day=True))
    stored = CheckIn.objects.get(staff=member)
    assert (stored.pk, stored.finding, stored.is_mismatch) == (check_in.pk, expected, rules.is_mismatch(expected))
    assert (stored.mode, stored.day, stored.checked_in_at, stored.note, stored.rostered) == (mode, monday, at(monday, 7, 50), "ghi chú", rostered or "")
    assert (stored.reachability, stored.reachability_at) == (("reachable", at(monday, 7, 50)) if mode == "home" else ("", None))
    assert [getattr(check_in, field.attname) for field in CheckIn._meta.concrete_fields] == [
        getattr(stored, field.attname) for field in CheckIn._meta.concrete_fields
    ]


def test_the_phone_check_in_on_a_holiday_is_noted_not_refused(city):
    member = city.staff[0]
    _token, key = ApiToken.issue(user=member.user, name="điện thoại")
    check_in = services.attendance_check_in_with_token(key=key, mode="home", now=at(NATIONAL_DAY, 9))
    assert CheckIn.objects.get(pk=check_in.pk).finding == rules.NOT_A_WORKING_DAY


def test_the_phone_check_in_refuses_like_the_page(city):
    monday = next_monday()
    member = city.staff[0]
    token, key = ApiToken.issue(user=member.user, name="điện thoại")
    first = services.attendance_check_in_with_token(key=key, mode="office", now=at(monday, 7, 50))
    before = snapshot()
    with pytest.raises(RuleViolation) as refused:
        services.attendance_check_in_with_token(key=key, mode="home", now=at(monday, 8, 10))
    assert (refused.value.rule, refused.value.params["mode"]) == ("one_check_in_per_person_per_day", "office")
    assert snapshot() == before
    token.refresh_from_db()
    assert token.last_used_at == at(monday, 8, 10)  # the refused call still counts as the token's last use
    assert CheckIn.objects.get().pk == first.pk
    with pytest.raises(ValidationFailed):
        services.attendance_check_in_with_token(key=key, mode="garden", now=at(monday, 8, 10))
    assert services.attendance_check_in_with_token(key="tw_nobody", mode="office", now=at(monday, 8, 10)) is None
    _token, stranger = ApiToken.issue(user=UserFactory(), name="không có hồ sơ")
    with pytest.raises(NotPermitted):
        services.attendance_check_in_with_token(key=stranger, mode="office", now=at(monday, 8, 10))
    assert snapshot() == before
