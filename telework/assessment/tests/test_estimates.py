"""Stored estimates: asked for, run in the background, stored with their inputs, reproduced, read back with a verdict."""

from __future__ import annotations

import pytest

from telework.assessment import estimates
from telework.assessment.models import Estimate, EstimateStatus
from telework.assessment.tests.estimate_world import PLANTED_EFFECT, build_estimate_world
from telework.core.exceptions import NotPermitted, RuleViolation
from telework.core.models import AuditEvent


@pytest.fixture
def launched(db):
    return build_estimate_world()


def test_a_request_queues_the_primary_outcomes_and_their_counter_metrics_then_runs_them(launched, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        requested = estimates.estimates_request(actor=launched.world.home_affairs, phase=launched.phase)
    assert [estimate.indicator for estimate in requested] == ["dossier_on_time_rate", "dossier_overdue", "dossier_apology_letters", "citizen_dissatisfied"]
    stored = {estimate.indicator: estimate for estimate in Estimate.objects.filter(phase=launched.phase)}
    assert {code: estimate.status for code, estimate in stored.items()} == dict.fromkeys(stored, EstimateStatus.DONE)
    on_time = stored["dossier_on_time_rate"]
    result = estimates.result_of(on_time)
    assert result.n_units == 24
    assert result.n_pilot == 12
    assert result.ci95 is not None
    assert result.ci95[0] < PLANTED_EFFECT < result.ci95[1]
    assert result.effect is not None
    assert result.effect > 0.03
    assert on_time.inputs_digest == result.inputs_digest
    assert len(on_time.inputs_digest) == 64
    assert on_time.estimator == "twfe_did"
    assert "pyfixest" in on_time.library
    assert on_time.seed == launched.design.seed
    assert AuditEvent.objects.filter(action="estimate.request").count() == 1


def test_the_stored_inputs_reproduce_the_digest_and_the_result(launched, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (estimate,) = estimates.estimates_request(actor=launched.world.home_affairs, phase=launched.phase, indicators=["dossier_on_time_rate"])
    estimate.refresh_from_db()
    frame, allocation, starts, job_types = estimates.inputs_from_csv(estimates.inputs_of(estimate))
    again = estimates.compute(frame, allocation, starts, job_types, seed=estimate.seed, randomised=True)
    assert again.inputs_digest == estimate.inputs_digest
    assert estimates.result_to_json(again) == estimate.result


def test_a_done_estimate_is_not_recomputed(launched, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (estimate,) = estimates.estimates_request(actor=launched.world.home_affairs, phase=launched.phase, indicators=["dossier_on_time_rate"])
    estimate.refresh_from_db()
    finished = estimate.finished_at
    again = estimates.estimate_run(estimate.pk)
    assert again.finished_at == finished
    assert again.status == EstimateStatus.DONE


def test_the_latest_done_estimate_per_indicator_carries_a_verdict_in_words(launched, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        estimates.estimates_request(actor=launched.world.home_affairs, phase=launched.phase)
    latest = estimates.latest_estimates(launched.phase)
    assert set(latest) == {"dossier_on_time_rate", "dossier_overdue", "dossier_apology_letters", "citizen_dissatisfied"}
    verdict = estimates.verdict_of(latest["dossier_on_time_rate"])
    assert verdict.can_answer
    assert "dossier_" not in " ".join(verdict.paragraphs())


def test_a_phase_without_a_launched_design_is_refused_and_nothing_is_queued(db):
    unlaunched = build_estimate_world(launch=False)
    with pytest.raises(RuleViolation) as refused:
        estimates.estimates_request(actor=unlaunched.world.home_affairs, phase=unlaunched.phase)
    assert refused.value.rule == "estimate.no_launched_design"
    assert not Estimate.objects.exists()


def test_staff_may_not_request_estimates(launched):
    with pytest.raises(NotPermitted):
        estimates.estimates_request(actor=launched.world.staff_user, phase=launched.phase)
    assert not Estimate.objects.exists()


def test_a_run_that_cannot_compute_stores_its_failure_in_words(launched):
    estimate = Estimate.objects.create(
        phase=launched.phase, indicator="no_such_indicator", status=EstimateStatus.QUEUED, requested_at=launched.design.recorded_at, seed=1
    )
    failed = estimates.estimate_run(estimate.pk)
    assert failed.status == EstimateStatus.FAILED
    assert failed.result is None
    assert "Traceback" not in failed.failure
    assert failed.failure
    assert estimates.latest_estimates(launched.phase) == {}
