"""Check-only services of evaluations: they answer with the rule the write would refuse with, and write nothing."""

from __future__ import annotations

import pytest

from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation
from telework.core.models import AuditEvent
from telework.evaluations import services
from telework.evaluations.models import Evaluation, EvaluationPeriod, PeriodStatus
from telework.evaluations.tests.helpers import agency_head, computed_quarter
from telework.evaluations.tests.test_services import evaluation_of, published

pytestmark = pytest.mark.django_db


def period_state(period: EvaluationPeriod) -> tuple:
    period.refresh_from_db()
    return (period.status, period.locked_at, period.published_at, AuditEvent.objects.count())


def test_the_period_check_names_who_runs_it_and_which_state_allows_each_step(city):
    period = computed_quarter(city)
    before = period_state(period)
    assert services.period_check(period=period, actor=city.hr, action="start_review").is_allowed
    assert services.period_check(period=period, actor=city.hr, action="run").is_allowed
    too_early = services.period_check(period=period, actor=city.hr, action="publish")
    assert isinstance(too_early.refusal, InvalidTransition)
    assert (too_early.refusal.rule, too_early.refusal.params) == ("evaluation_period.status", {"status": "self_assessment", "action": "publish"})
    not_theirs = services.period_check(period=period, actor=city.staff[0].user, action="start_review")
    assert isinstance(not_theirs.refusal, NotPermitted)
    assert not_theirs.refusal.rule == "evaluations.run"
    assert period_state(period) == before


def test_the_period_check_refuses_with_the_rule_the_write_refuses_with(city):
    period = computed_quarter(city)
    checked = services.period_check(period=period, actor=city.hr, action="lock")
    with pytest.raises(InvalidTransition) as refused:
        services.period_lock(period=period, actor=city.hr)
    assert (refused.value.rule, refused.value.params, str(refused.value.message)) == (
        checked.refusal.rule,
        checked.refusal.params,
        str(checked.refusal.message),
    )
    assert period_state(period)[0] == PeriodStatus.SELF_ASSESSMENT


def test_enforcing_the_quota_is_checked_against_the_review_states(city):
    period = published(city)
    before = period_state(period)
    checked = services.period_check(period=period, actor=city.hr, action="enforce_quota")
    assert isinstance(checked.refusal, InvalidTransition)
    assert checked.refusal.rule == "evaluation_period.status"
    assert period_state(period) == before


def test_the_evaluation_check_answers_each_form_as_the_write_would_and_writes_nothing(city):
    period = computed_quarter(city)
    mine = evaluation_of(period, city.staff[0])
    events = AuditEvent.objects.count()
    assert services.evaluation_check(evaluation=mine, actor=city.staff[0].user, action="self_assess").is_allowed
    assert isinstance(services.evaluation_check(evaluation=mine, actor=city.staff[1].user, action="self_assess").refusal, NotPermitted)
    assert services.evaluation_check(evaluation=mine, actor=city.head_user, action="review").is_allowed
    assert isinstance(services.evaluation_check(evaluation=mine, actor=city.staff[0].user, action="review").refusal, NotPermitted)
    unpublished = services.evaluation_check(evaluation=mine, actor=city.staff[0].user, action="appeal")
    assert isinstance(unpublished.refusal, InvalidTransition)
    with pytest.raises(InvalidTransition) as refused:
        services.evaluation_appeal(evaluation=mine, actor=city.staff[0].user, text="Chưa đúng")
    assert str(refused.value.message) == str(unpublished.refusal.message)
    assert AuditEvent.objects.count() == events
    mine.refresh_from_db()
    assert (mine.self_assessment, mine.appealed_at) == ("", None)


def test_after_publication_one_appeal_then_only_its_decision(city):
    period = published(city)
    mine = evaluation_of(period, city.staff[0])
    assert services.evaluation_check(evaluation=mine, actor=city.staff[0].user, action="appeal").is_allowed
    assert services.evaluation_check(evaluation=mine, actor=city.staff[0].user, action="comment").is_allowed
    closed = services.evaluation_check(evaluation=mine, actor=city.staff[0].user, action="self_assess")
    assert isinstance(closed.refusal, InvalidTransition)
    nothing_pending = services.evaluation_check(evaluation=mine, actor=agency_head(city), action="decide_appeal")
    assert (type(nothing_pending.refusal), nothing_pending.refusal.rule) == (InvalidTransition, "evaluation.appeal")
    services.evaluation_appeal(evaluation=mine, actor=city.staff[0].user, text="Xin xem lại")
    mine = Evaluation.objects.select_related("period", "unit", "staff").get(pk=mine.pk)
    events = AuditEvent.objects.count()
    again = services.evaluation_check(evaluation=mine, actor=city.staff[0].user, action="appeal")
    assert (type(again.refusal), again.refusal.rule) == (RuleViolation, "evaluation.appeal_once")
    assert services.evaluation_check(evaluation=mine, actor=agency_head(city), action="decide_appeal").is_allowed
    assert isinstance(services.evaluation_check(evaluation=mine, actor=city.head_user, action="decide_appeal").refusal, NotPermitted)
    assert AuditEvent.objects.count() == events
    mine.refresh_from_db()
    assert mine.appeal_decision == ""
