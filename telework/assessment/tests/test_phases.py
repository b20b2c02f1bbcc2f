"""Phases widen only after a review, designs are recorded before launch and locked after (issue 13, points 1–2)."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.assessment import selectors, services
from telework.assessment.models import Arm, DesignAllocation, DesignChange, PhaseDesign, PhaseReview, ReviewDecision
from telework.assessment.services import DesignInputs
from telework.assessment.tests.factories import build_phased_pilot
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent
from telework.organization.tests.factories import UnitFactory
from telework.policy import services as policy_services
from telework.policy.models import Pilot, PilotPhase, PilotStatus

RANDOMISED = DesignInputs(method="randomised", seed=2026, primary_outcomes=("dossier_on_time_rate",), smallest_effect=0.03)


@pytest.fixture
def world(db):
    return build_phased_pilot()


def _launch_first(world):
    services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    return services.phase_launch(actor=world.home_affairs, phase=world.first)


def test_candidates_are_the_phase_scope_units_with_their_headcount(world):
    rows = selectors.phase_candidates(world.first)
    assert [row.unit_name for row in rows] == [f"Phòng 1.{i}" for i in range(1, 7)]
    assert [row.candidate.staff for row in rows] == [3, 5, 7, 9, 11, 13]
    assert all(row.candidate.pre_outcome is None for row in rows)


def test_recording_a_design_stores_the_seeded_allocation_and_the_mde(world):
    design = services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    arms = dict(DesignAllocation.objects.filter(design=design).values_list("unit__name", "arm"))
    assert len(arms) == 6
    assert sorted(arms.values()).count(Arm.PILOT) == 3
    assert design.mde > 0
    assert design.mde_inputs["pilot_clusters"] == 3
    assert design.mde_inputs["comparison_clusters"] == 3
    assert design.mde_inputs["icc"] == 0.05
    # Recording again with the same seed before launch reproduces the same allocation.
    again = services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    assert dict(DesignAllocation.objects.filter(design=again).values_list("unit__name", "arm")) == arms
    assert AuditEvent.objects.filter(action="design.record").count() == 2
    assert not DesignChange.objects.exists()


def test_stepped_wedge_sets_wave_start_dates(world):
    inputs = DesignInputs(method="stepped_wedge", seed=1, waves=3, wave_weeks=4, primary_outcomes=("work_on_time_rate",), smallest_effect=0.05)
    design = services.design_record(actor=world.home_affairs, phase=world.first, inputs=inputs)
    starts = sorted(set(design.allocations.values_list("wave", "wave_starts_on")))
    begin = world.first.starts_on
    assert starts == [(1, begin), (2, begin + dt.timedelta(weeks=4)), (3, begin + dt.timedelta(weeks=8))]


def test_matched_design_pairs_each_pilot_unit_with_a_comparison_unit(world):
    pilots = frozenset(world.units[i].pk for i in (0, 2))
    inputs = DesignInputs(method="matched", seed=0, pilot_unit_ids=pilots, primary_outcomes=("dossier_on_time_rate",), smallest_effect=0.03)
    design = services.design_record(actor=world.home_affairs, phase=world.first, inputs=inputs)
    matched = dict(design.allocations.filter(arm=Arm.COMPARISON).values_list("matched_to__name", "unit__name"))
    assert matched == {"Phòng 1.1": "Phòng 1.2", "Phòng 1.3": "Phòng 1.4"}


def test_matched_design_may_draw_its_comparison_units_from_outside_the_phase(world):
    # The pilot chose its units (phase 1: the first agency); the comparison comes from units it does not cover.
    pilots = frozenset(world.units[i].pk for i in (0, 2))
    pool = frozenset(unit.pk for unit in world.units[6:])
    inputs = DesignInputs(
        method="matched", seed=0, pilot_unit_ids=pilots, comparison_unit_ids=pool, primary_outcomes=("dossier_on_time_rate",), smallest_effect=0.03
    )
    design = services.design_record(actor=world.home_affairs, phase=world.first, inputs=inputs)
    matched = dict(design.allocations.filter(arm=Arm.COMPARISON).values_list("matched_to__name", "unit__name"))
    # Same headcount, same function: Phòng 1.1 (3 staff) ↔ Phòng 2.1 (3), Phòng 1.3 (7) ↔ Phòng 2.3 (7).
    assert matched == {"Phòng 1.1": "Phòng 2.1", "Phòng 1.3": "Phòng 2.3"}
    assert set(design.allocations.filter(arm=Arm.PILOT).values_list("unit_id", flat=True)) == pilots


@pytest.mark.parametrize("method", ["matched", "randomised"])
def test_a_comparison_pool_inside_the_phase_or_for_another_method_is_refused(world, method):
    inside = frozenset({world.units[1].pk})
    inputs = DesignInputs(
        method=method,
        seed=0,
        pilot_unit_ids=frozenset({world.units[0].pk}) if method == "matched" else frozenset(),
        comparison_unit_ids=inside,
        primary_outcomes=("dossier_on_time_rate",),
        smallest_effect=0.03,
    )
    with pytest.raises(ValidationFailed) as refused:
        services.design_record(actor=world.home_affairs, phase=world.first, inputs=inputs)
    assert refused.value.rule == "design.comparison_pool"
    assert not PhaseDesign.objects.exists()


def test_unknown_primary_outcome_is_refused(world):
    inputs = DesignInputs(method="randomised", seed=1, primary_outcomes=("office_desks",), smallest_effect=0.03)
    with pytest.raises(ValidationFailed) as refused:
        services.design_record(actor=world.home_affairs, phase=world.first, inputs=inputs)
    assert refused.value.rule == "design.primary_outcomes"
    assert not PhaseDesign.objects.exists()


def test_only_home_affairs_records_a_design(world):
    with pytest.raises(NotPermitted):
        services.design_record(actor=world.leadership, phase=world.first, inputs=RANDOMISED)


def test_a_phase_cannot_launch_without_a_design(world):
    with pytest.raises(RuleViolation) as refused:
        services.phase_launch(actor=world.home_affairs, phase=world.first)
    assert refused.value.rule == "phase.design_required"
    assert PilotPhase.objects.get(pk=world.first.pk).started_at is None


def test_launch_locks_the_design_and_sets_the_pilot_running(world):
    _launch_first(world)
    design = PhaseDesign.objects.get(phase=world.first)
    assert design.locked_at is not None
    assert Pilot.objects.get(pk=world.pilot.pk).status == PilotStatus.RUNNING
    assert AuditEvent.objects.filter(action="phase.launch").count() == 1


def test_a_locked_design_changes_only_with_a_reason_and_the_change_is_kept(world):
    _launch_first(world)
    with pytest.raises(ValidationFailed) as refused:
        services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    assert refused.value.rule == "design.locked_change_reason"
    changed = DesignInputs(method="randomised", seed=7, primary_outcomes=("dossier_on_time_rate", "citizen_satisfied_share"), smallest_effect=0.03)
    design = services.design_record(actor=world.home_affairs, phase=world.first, inputs=changed, why="Thêm chỉ số hài lòng theo chỉ đạo")
    assert design.changed_after_launch
    change = DesignChange.objects.get(design=design)
    assert change.why == "Thêm chỉ số hài lòng theo chỉ đạo"
    assert change.changed_by == world.home_affairs
    assert change.what == "hạt giống ngẫu nhiên, chỉ số kết quả chính, phân bổ đơn vị"
    assert AuditEvent.objects.filter(action="design.change", reason="Thêm chỉ số hài lòng theo chỉ đạo").count() == 1


def test_second_phase_waits_for_the_review_of_the_first(world):
    _launch_first(world)
    services.design_record(actor=world.home_affairs, phase=world.second, inputs=RANDOMISED)
    with pytest.raises(RuleViolation) as refused:
        services.phase_launch(actor=world.home_affairs, phase=world.second)
    assert refused.value.rule == "phase.review_required"
    assert "Giai đoạn 1" in str(refused.value.message)
    assert PilotPhase.objects.get(pk=world.second.pk).started_at is None


def test_second_phase_launches_after_a_widen_review(world):
    _launch_first(world)
    services.phase_review_record(actor=world.leadership, phase=world.first, decision=ReviewDecision.WIDEN, reasons="Đạt chỉ tiêu", report_reference="15/BC-SNV")
    services.design_record(actor=world.home_affairs, phase=world.second, inputs=RANDOMISED)
    services.phase_launch(actor=world.home_affairs, phase=world.second)
    assert PilotPhase.objects.get(pk=world.second.pk).started_at is not None


def test_widening_must_cover_the_previous_scope(world):
    _launch_first(world)
    services.phase_review_record(actor=world.leadership, phase=world.first, decision=ReviewDecision.WIDEN, reasons="Đạt")
    policy_services.phase_scope_set(actor=world.home_affairs, phase=world.second, agencies=world.agencies[1:], units=[], positions=[])
    services.design_record(actor=world.home_affairs, phase=world.second, inputs=RANDOMISED)
    with pytest.raises(RuleViolation) as refused:
        services.phase_launch(actor=world.home_affairs, phase=world.second)
    assert refused.value.rule == "phase.widen_must_contain"


def test_adjust_allows_no_wider_scope_and_stop_allows_nothing(world):
    _launch_first(world)
    services.phase_review_record(actor=world.leadership, phase=world.first, decision=ReviewDecision.ADJUST, reasons="Cần điều chỉnh")
    services.design_record(actor=world.home_affairs, phase=world.second, inputs=RANDOMISED)
    with pytest.raises(RuleViolation) as refused:
        services.phase_launch(actor=world.home_affairs, phase=world.second)
    assert refused.value.rule == "phase.adjust_not_wider"
    policy_services.phase_scope_set(actor=world.home_affairs, phase=world.second, agencies=world.agencies[:1], units=world.units[:3], positions=[])
    services.design_record(actor=world.home_affairs, phase=world.second, inputs=RANDOMISED)
    services.phase_launch(actor=world.home_affairs, phase=world.second)


def test_stop_review_refuses_the_next_phase(world):
    _launch_first(world)
    services.phase_review_record(actor=world.leadership, phase=world.first, decision=ReviewDecision.STOP, reasons="Không hiệu quả")
    services.design_record(actor=world.home_affairs, phase=world.second, inputs=RANDOMISED)
    with pytest.raises(RuleViolation) as refused:
        services.phase_launch(actor=world.home_affairs, phase=world.second)
    assert refused.value.rule == "phase.review_stopped"


def test_review_needs_reasons_a_launched_phase_and_happens_once(world):
    with pytest.raises(InvalidTransition):
        services.phase_review_record(actor=world.leadership, phase=world.first, decision=ReviewDecision.WIDEN, reasons="x")
    _launch_first(world)
    with pytest.raises(ValidationFailed):
        services.phase_review_record(actor=world.leadership, phase=world.first, decision=ReviewDecision.WIDEN, reasons="   ")
    with pytest.raises(NotPermitted):
        services.phase_review_record(actor=world.staff_user, phase=world.first, decision=ReviewDecision.WIDEN, reasons="x")
    services.phase_review_record(actor=world.leadership, phase=world.first, decision=ReviewDecision.WIDEN, reasons="Đạt")
    with pytest.raises(InvalidTransition):
        services.phase_review_record(actor=world.home_affairs, phase=world.first, decision=ReviewDecision.STOP, reasons="Khác")
    assert PhaseReview.objects.get().decision == ReviewDecision.WIDEN
    assert AuditEvent.objects.filter(action="phase.review").count() == 1


def test_phase_scope_must_stay_within_the_pilot(world):
    stranger = UnitFactory(name="Phòng ngoài")
    with pytest.raises(ValidationFailed):
        policy_services.phase_scope_set(actor=world.home_affairs, phase=world.first, agencies=world.agencies[:1], units=[stranger], positions=[])
    with pytest.raises(RuleViolation) as refused:
        policy_services.phase_scope_set(actor=world.home_affairs, phase=world.first, agencies=[stranger.agency], units=[], positions=[])
    assert refused.value.rule == "phase.within_pilot"
    assert list(world.first.agencies.all()) == world.agencies[:1]


def test_launched_phase_scope_is_fixed(world):
    _launch_first(world)
    with pytest.raises(InvalidTransition):
        policy_services.phase_scope_set(actor=world.home_affairs, phase=world.first, agencies=world.agencies, units=[], positions=[])


def test_launch_refused_when_another_running_pilot_covers_the_scope(world):
    other = Pilot.objects.create(code="OTHER", name="Thí điểm khác", status=PilotStatus.RUNNING)
    other.agencies.set(world.agencies[:1])
    PilotPhase.objects.create(pilot=other, name="Đợt 1", starts_on=world.first.starts_on, ends_on=world.first.ends_on)
    services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    with pytest.raises(RuleViolation) as refused:
        services.phase_launch(actor=world.home_affairs, phase=world.first)
    assert refused.value.rule == "pilot.no_overlap"
    assert "Thí điểm khác" in str(refused.value.message)
    assert PilotPhase.objects.get(pk=world.first.pk).started_at is None


def test_editing_the_pilot_keeps_phases_their_designs_and_own_scopes(world):
    design = services.design_record(actor=world.home_affairs, phase=world.first, inputs=RANDOMISED)
    policy_services.pilot_save(
        actor=world.home_affairs,
        pilot=world.pilot,
        code="PHASED",
        name="Thí điểm theo giai đoạn (sửa)",
        description="",
        status=PilotStatus.PLANNED,
        agencies=world.agencies,
        units=[],
        positions=[],
        phases=[(p.name, p.starts_on, p.ends_on) for p in (world.first, world.second)],
    )
    assert PhaseDesign.objects.filter(pk=design.pk, phase_id=world.first.pk).exists()
    assert list(PilotPhase.objects.get(pk=world.first.pk).agencies.all()) == world.agencies[:1]


def test_a_launched_phase_cannot_be_removed_from_the_pilot(world):
    services.design_record(actor=world.home_affairs, phase=world.second, inputs=RANDOMISED)
    _launch_first(world)
    with pytest.raises(RuleViolation):
        policy_services.pilot_save(
            actor=world.home_affairs,
            pilot=world.pilot,
            code="PHASED",
            name="x",
            description="",
            status=PilotStatus.RUNNING,
            agencies=world.agencies,
            units=[],
            positions=[],
            phases=[(world.second.name, world.second.starts_on, world.second.ends_on)],
        )
    assert PilotPhase.objects.filter(pk=world.first.pk).exists()


def test_a_phase_without_its_own_scope_reads_its_pilot_s(city):
    phase = city.pilot.phases.get()
    assert not phase.agencies.exists()
    rows = selectors.phase_candidates(phase)
    assert city.unit.name in [row.unit_name for row in rows]
    assert next(row for row in rows if row.unit_name == city.unit.name).candidate.staff >= 10
