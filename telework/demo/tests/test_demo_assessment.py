"""The demo city's assessment: phase 1 designed before launch (matched: its one-stop desk units against those of the
wards outside the pilot), launched, the outcome panel built and the estimates computed, so that leadership finds a
verdict that answers — about +3 points of on-time rate, no change in satisfaction — and the review still to make."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from telework.accounts.models import User
from telework.assessment.estimates import latest_estimates, verdict_of
from telework.assessment.models import Arm, DesignMethod, EstimateStatus, PhaseDesign, PhaseReview
from telework.core.models import AuditEvent
from telework.demo.assessment import seed_assessment
from telework.demo.city import build_demo_city
from telework.demo.dossiers import seed_dossiers
from telework.organization.models import ServicePoint
from telework.policy.models import Pilot

TODAY = dt.date(2026, 11, 18)  # the suite's frozen day (root conftest.py)
# The smallest city with at least eight wards outside the pilot (two in five of its nineteen wards): the verdict
# answers only with 20 units and 8 in each arm (``assessment.verdict``), and the desk units are one per ward.
STAFF = 1_700


@pytest.fixture
def assessed(db):
    # The registrations, rosters and work of a lived-in city play no part here: the organisation, the pilot and the
    # dossiers are what the design and the estimates read.
    build_demo_city(staff=STAFF, seed=7, today=TODAY, lived_in=False)
    seed_dossiers(today=TODAY, seed=7)
    return seed_assessment(seed=7)


def test_phase_one_is_designed_before_launch_and_its_estimates_answer_three_points_and_no_change_in_satisfaction(assessed, client):
    # One test, because the city takes about a minute to build.
    design = PhaseDesign.objects.select_related("phase").get()
    phase = design.phase
    start = timezone.make_aware(dt.datetime.combine(phase.starts_on, dt.time(0)))

    assert design.method == DesignMethod.MATCHED
    assert design.recorded_at < start <= design.locked_at == phase.started_at
    assert design.recorded_by == design.phase.started_by == User.objects.get(username="noivu")
    assert not design.changed_after_launch
    trail = list(AuditEvent.objects.filter(object_type="assessment.phasedesign").order_by("occurred_at", "pk").values_list("action", "occurred_at"))
    assert [action for action, _moment in trail] == ["design.record", "phase.launch", "estimate.request"]
    assert trail[0][1] < start <= trail[1][1]
    # As the data were made: the pilot arm is every desk unit of the agencies in the pilot, the comparison arm desk
    # units of agencies outside it — enough of each for the verdict's rules.
    in_pilot = set(Pilot.objects.values_list("agencies", flat=True))
    desk_units = dict(ServicePoint.objects.filter(kind="one_stop_desk").values_list("unit_id", "unit__agency_id"))
    arms = {arm: list(design.allocations.filter(arm=arm).select_related("unit")) for arm in (Arm.PILOT, Arm.COMPARISON)}
    assert {row.unit_id for row in arms[Arm.PILOT]} == {unit_id for unit_id, agency_id in desk_units.items() if agency_id in in_pilot}
    assert all(row.unit.agency_id not in in_pilot and row.unit_id in desk_units and row.matched_to_id for row in arms[Arm.COMPARISON])
    assert len(arms[Arm.COMPARISON]) >= 8
    assert len(arms[Arm.PILOT]) >= 8
    assert len(arms[Arm.PILOT]) + len(arms[Arm.COMPARISON]) >= 20
    assert design.mde < design.smallest_effect
    assert assessed["pilot units"] == len(arms[Arm.PILOT])

    # The estimates answer: about +3 points of on-time rate, no change in satisfaction.
    latest = latest_estimates(design.phase)

    on_time = latest["dossier_on_time_rate"]
    assert on_time.status == EstimateStatus.DONE
    verdict = verdict_of(on_time, latest=latest)
    assert verdict.can_answer
    effect, (low, high) = on_time.result["effect"], on_time.result["ci95"]
    assert effect == pytest.approx(0.03, abs=0.01)
    assert 0 < low < effect < high
    assert on_time.result["n_periods_pre"] >= 8

    satisfaction = latest["citizen_satisfied_share"]
    assert verdict_of(satisfaction, latest=latest).can_answer
    low, high = satisfaction.result["ci95"]
    assert low < 0 < high

    # Leadership's decision is left to leadership.
    assert not PhaseReview.objects.exists()
    client.force_login(User.objects.get(username="lanhdao"))
    assert client.get(reverse("assessment:phase_detail", args=[design.phase.pk])).status_code == 200
    # Leadership reads the verdict in Vietnamese on the estimates page: the on-time rate rose, satisfaction did not move.
    page = client.get(reverse("assessment:phase_estimates", args=[design.phase.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert verdict_of(on_time, latest=latest).headline is not None
    with translation.override("vi"):
        assert escape(verdict_of(on_time, latest=latest).headline) in page
        assert escape(verdict_of(satisfaction, latest=latest).headline) in page
