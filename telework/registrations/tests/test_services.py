"""The registration workflow: submit, approve, reject, request changes, revoke — and every cap."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.demo.testing import next_monday
from telework.registrations import services
from telework.registrations.models import RegistrationDay, RegistrationStatus


def submit(staff, monday, weekdays=(0,), weeks=1, **kwargs):
    return services.registration_submit(
        staff=staff,
        actor=staff.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=7 * weeks - 3),
        weekdays=list(weekdays),
        equipment_attested=["computer", "internet", "phone", "printer"],
        commitment_accepted=True,
        **kwargs,
    )


@pytest.mark.django_db
def test_submit_then_approve_counts_the_days(city, django_capture_on_commit_callbacks):
    monday = next_monday()
    with django_capture_on_commit_callbacks(execute=True):
        registration = submit(city.staff[0], monday, weekdays=(0, 4))
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.days.count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_approve(registration=registration, actor=city.head_user, comment="OK")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert sorted(registration.days.filter(is_counted=True).values_list("day", flat=True)) == [monday, monday + dt.timedelta(days=4)]
    actions = list(AuditEvent.objects.filter(object_id=str(registration.pk)).values_list("action", flat=True))
    assert sorted(actions) == ["registration.approve", "registration.submit"]
    assert Notification.objects.filter(user=city.head_user, key__contains=":submitted:").count() == 1
    assert Notification.objects.filter(user=city.staff[0].user, key__contains=":approved:").count() == 1


@pytest.mark.django_db
def test_one_stop_desk_clerk_is_refused_with_the_rule(city):
    with pytest.raises(RuleViolation) as refused:
        submit(city.clerk, next_monday())
    rules = {detail["rule"] for detail in refused.value.details}
    assert {"exclude_citizen_facing", "exclude_dossier_handling", "position.is_one_stop_desk"} <= rules
    assert not city.clerk.registrations.exists()


@pytest.mark.django_db
def test_weekly_cap_refuses_a_third_home_day(city):
    with pytest.raises(RuleViolation) as refused:
        submit(city.staff[0], next_monday(), weekdays=(0, 2, 4))
    assert refused.value.rule == "max_home_days_per_week"
    assert "tối đa 2" in refused.value.details[0]["message"] or "at most 2" in refused.value.details[0]["message"]


@pytest.mark.django_db
def test_approval_refused_when_unit_cap_reached(city):
    # 10 staff at most 30 % at home: 3 may be home on a Monday; the fourth approval is refused.
    monday = next_monday()
    registrations = [submit(member, monday) for member in city.staff[:4]]
    for registration in registrations[:3]:
        services.registration_approve(registration=registration, actor=city.head_user)
    with pytest.raises(RuleViolation) as refused:
        services.registration_approve(registration=registrations[3], actor=city.head_user)
    assert refused.value.rule == "max_home_share"
    registrations[3].refresh_from_db()
    assert registrations[3].status == RegistrationStatus.SUBMITTED
    assert RegistrationDay.objects.filter(day=monday, is_counted=True).count() == 3


@pytest.mark.django_db
def test_leader_cannot_leave_the_unit_without_a_leader(city):
    with pytest.raises(RuleViolation) as refused:
        submit(city.head, next_monday())
    assert refused.value.rule == "leader_on_site_each_day"


@pytest.mark.django_db
def test_reject_needs_a_reason_and_records_it(city):
    registration = submit(city.staff[1], next_monday())
    with pytest.raises(ValidationFailed):
        services.registration_reject(registration=registration, actor=city.head_user, reason="  ")
    services.registration_reject(registration=registration, actor=city.head_user, reason="Cần có mặt họp giao ban")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert registration.decision_comment == "Cần có mặt họp giao ban"
    with pytest.raises(InvalidTransition):
        services.registration_approve(registration=registration, actor=city.head_user)


@pytest.mark.django_db
def test_colleague_cannot_approve(city):
    registration = submit(city.staff[1], next_monday())
    with pytest.raises(NotPermitted):
        services.registration_approve(registration=registration, actor=city.staff[2].user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_revoke_keeps_days_within_the_notice(city):
    monday = next_monday()
    registration = submit(city.staff[2], monday, weekdays=(0, 3), weeks=4)
    services.registration_approve(registration=registration, actor=city.head_user)
    today = monday - dt.timedelta(days=3)
    services.registration_revoke(registration=registration, actor=city.head_user, reason="Thay đổi nhiệm vụ", today=today)
    registration.refresh_from_db()
    # Within the 60-day trial the HCMC preset gives 5 days' notice.
    assert registration.revoked_effective_on == today + dt.timedelta(days=5)
    counted = list(registration.days.filter(is_counted=True).values_list("day", flat=True))
    assert counted == [monday]


@pytest.mark.django_db
def test_request_changes_then_resubmit(city):
    monday = next_monday()
    registration = submit(city.staff[3], monday)
    services.registration_request_changes(registration=registration, actor=city.head_user, comment="Chọn thứ Năm")
    services.registration_resubmit(
        registration=registration,
        actor=city.staff[3].user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        mode="weekly",
        weekdays=[3],
        equipment_attested=["computer", "internet", "phone", "printer"],
        commitment_accepted=True,
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert list(registration.days.values_list("day", flat=True)) == [monday + dt.timedelta(days=3)]


@pytest.mark.django_db
@pytest.mark.frozen_at("2026-12-02")
def test_a_four_week_pattern_across_new_year_is_approved(city):
    # 7/12/2026 to 1/1/2027: the last week holds New Year's Day (Friday), four working days; Monday and Thursday at
    # home stays within "at most 2 home, at least 3 office days a week" scaled to 2 and 2.
    monday = dt.date(2026, 12, 7)
    registration = submit(city.staff[2], monday, weekdays=(0, 3), weeks=4)
    services.registration_approve(registration=registration, actor=city.head_user)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.days.filter(is_counted=True).count() == 8


@pytest.mark.django_db
@pytest.mark.frozen_at("2027-01-20")
def test_a_tet_week_conflict_names_the_day_to_drop_and_leaving_it_out_keeps_the_rest(city):
    # Monday and Tuesday at home from 25/1 to 19/2/2027. The week of 1/2 loses Thursday and Friday to Tết: 1 home
    # day at most, 2 office days at least. The week of 8/2 keeps only Thursday and Friday: no pattern day in it.
    monday = dt.date(2027, 1, 25)
    with pytest.raises(RuleViolation) as refusal:
        submit(city.staff[2], monday, weekdays=(0, 1), weeks=4)
    assert [(detail["rule"], detail.get("drop")) for detail in refusal.value.details] == [
        ("max_home_days_per_week", [{"date": "2027-02-02", "label": "02/02/2027"}]),
        ("min_office_days_per_week", [{"date": "2027-02-02", "label": "02/02/2027"}]),
    ]
    assert "Tết" in refusal.value.details[0]["message"] or "Lunar New Year" in refusal.value.details[0]["message"]
    assert not RegistrationDay.objects.exists()
    registration = submit(city.staff[2], monday, weekdays=(0, 1), weeks=4, skipped_dates=[dt.date(2027, 2, 2)])
    assert registration.skipped_dates == ["2027-02-02"]
    assert sorted(registration.days.values_list("day", flat=True)) == [
        dt.date(2027, 1, 25),
        dt.date(2027, 1, 26),
        dt.date(2027, 2, 1),
        dt.date(2027, 2, 15),
        dt.date(2027, 2, 16),
    ]


@pytest.mark.django_db
def test_a_day_left_out_must_lie_in_the_period(city):
    monday = next_monday()
    with pytest.raises(ValidationFailed) as refusal:
        submit(city.staff[2], monday, weekdays=(0,), skipped_dates=[monday - dt.timedelta(days=7)])
    assert refusal.value.rule == "skipped_dates"
    assert not RegistrationDay.objects.exists()
