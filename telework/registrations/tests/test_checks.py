"""Check-only services: they answer with the rule the write would refuse with, and write nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.registrations import services
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus

EQUIPMENT = ["computer", "internet", "phone", "printer"]


def request(staff, monday, weekdays=(0,)):
    return {
        "staff": staff,
        "actor": staff.user,
        "starts_on": monday,
        "ends_on": monday + dt.timedelta(days=4),
        "weekdays": list(weekdays),
        "equipment_attested": EQUIPMENT,
        "commitment_accepted": True,
    }


def counts():
    return (Registration.objects.count(), RegistrationDay.objects.count(), AuditEvent.objects.count())


@pytest.mark.django_db
def test_a_request_that_passes_every_rule_is_allowed_with_its_working_days_and_nothing_is_written(city):
    monday = next_monday()
    checked = services.registration_check(**request(city.staff[0], monday, weekdays=(0, 4)))
    assert checked.is_allowed
    assert checked.refusal is None
    assert checked.value == [monday, monday + dt.timedelta(days=4)]
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_check_refuses_with_the_cap_the_submission_would_name_and_writes_nothing(city):
    monday = next_monday()
    checked = services.registration_check(**request(city.staff[0], monday, weekdays=(0, 2, 4)))
    assert not checked.is_allowed
    assert isinstance(checked.refusal, RuleViolation)
    assert checked.refusal.rule == "max_home_days_per_week"
    with pytest.raises(RuleViolation) as refused:
        services.registration_submit(**request(city.staff[0], monday, weekdays=(0, 2, 4)))
    assert (refused.value.rule, refused.value.details) == (checked.refusal.rule, checked.refusal.details)
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_the_check_refuses_someone_registering_for_a_colleague(city):
    checked = services.registration_check(**{**request(city.staff[0], next_monday()), "actor": city.staff[1].user})
    assert isinstance(checked.refusal, NotPermitted)
    assert str(checked.refusal.message) == "Chỉ chính cán bộ mới đăng ký được ngày làm việc tại nhà của mình."
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_shape_problem_is_named_by_the_check(city):
    monday = next_monday()
    checked = services.registration_check(**{**request(city.staff[0], monday), "ends_on": monday - dt.timedelta(days=1)})
    assert isinstance(checked.refusal, ValidationFailed)
    assert checked.refusal.rule == "period"
    assert counts() == (0, 0, 0)


@pytest.mark.django_db
def test_a_resubmission_check_is_refused_unless_changes_were_requested(city):
    monday = next_monday()
    registration = services.registration_submit(**request(city.staff[0], monday))
    before = counts()
    checked = services.registration_check(registration=registration, **request(city.staff[0], monday, weekdays=(0, 4)))
    assert isinstance(checked.refusal, InvalidTransition)
    assert (checked.refusal.rule, checked.refusal.params) == ("registration.status", {"status": "submitted", "action": "resubmit"})
    services.registration_request_changes(registration=registration, actor=city.head_user, comment="Thêm thứ Sáu")
    after_request = counts()
    registration.refresh_from_db()
    checked = services.registration_check(registration=registration, **request(city.staff[0], monday, weekdays=(0, 4)))
    assert checked.is_allowed
    assert checked.value == [monday, monday + dt.timedelta(days=4)]
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHANGES_REQUESTED
    assert sorted(registration.days.values_list("day", flat=True)) == [monday]
    assert counts() == after_request == (before[0], before[1], before[2] + 1)


@pytest.mark.django_db
def test_the_action_check_names_who_may_decide_and_which_state_allows_it(city):
    registration = services.registration_submit(**request(city.staff[0], next_monday()))
    before = counts()
    assert services.registration_action_check(registration=registration, actor=city.head_user, action="approve").is_allowed
    assert services.registration_action_check(registration=registration, actor=city.staff[0].user, action="withdraw").is_allowed
    colleague = services.registration_action_check(registration=registration, actor=city.staff[1].user, action="approve")
    assert isinstance(colleague.refusal, NotPermitted)
    not_yet = services.registration_action_check(registration=registration, actor=city.head_user, action="revoke")
    assert isinstance(not_yet.refusal, InvalidTransition)
    assert not_yet.refusal.params == {"status": "submitted", "action": "revoke"}
    not_theirs = services.registration_action_check(registration=registration, actor=city.head_user, action="withdraw")
    assert isinstance(not_theirs.refusal, NotPermitted)
    assert counts() == before
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_the_approval_check_answers_the_cap_the_approval_would_refuse_with_and_writes_nothing(city):
    monday = next_monday()
    registrations = [services.registration_submit(**request(member, monday)) for member in city.staff[:4]]
    for registration in registrations[:3]:
        services.registration_approve(registration=registration, actor=city.head_user)
    before = counts()
    counted = RegistrationDay.objects.filter(is_counted=True).count()
    checked = services.registration_approve_check(registration=registrations[3], actor=city.head_user)
    assert isinstance(checked.refusal, RuleViolation)
    with pytest.raises(RuleViolation) as refused:
        services.registration_approve(registration=registrations[3], actor=city.head_user)
    assert refused.value.rule == checked.refusal.rule
    assert counts() == before
    assert RegistrationDay.objects.filter(is_counted=True).count() == counted
    registrations[3].refresh_from_db()
    assert registrations[3].status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_the_approval_check_allows_with_the_days_that_would_count(city):
    monday = next_monday()
    registration = services.registration_submit(**request(city.staff[0], monday, weekdays=(0, 4)))
    before = counts()
    checked = services.registration_approve_check(registration=registration, actor=city.head_user)
    assert checked.value == [monday, monday + dt.timedelta(days=4)]
    assert counts() == before
    assert not RegistrationDay.objects.filter(is_counted=True).exists()


@pytest.mark.django_db
def test_only_heads_and_direct_superiors_have_an_inbox(city):
    assert services.decider_check(actor=city.head_user).is_allowed
    refused = services.decider_check(actor=city.staff[1].user)
    assert isinstance(refused.refusal, NotPermitted)


@pytest.mark.django_db
def test_the_check_only_reads_no_insert_no_update_no_savepoint_rolled_back(city):
    monday = next_monday()
    for weekdays in ((0, 4), (0, 2, 4)):  # one allowed, one refused by the weekly cap
        with CaptureQueriesContext(connection) as queries:
            services.registration_check(**request(city.staff[0], monday, weekdays=weekdays))
        statements = [query["sql"].split()[0].upper() for query in queries.captured_queries]
        assert set(statements) == {"SELECT"}, statements
