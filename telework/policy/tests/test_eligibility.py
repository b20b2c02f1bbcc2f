"""The eligibility engine, rule by rule, in both languages."""

from __future__ import annotations

import datetime as dt

from telework.policy.eligibility import PhaseFacts, PilotFacts, PositionFacts, StaffFacts, decide
from telework.policy.parameters import PRESETS

DAY = dt.date(2026, 12, 1)
OFFICER = PositionFacts(id=1, name="Chuyên viên", faces_citizens=False, handles_dossiers=False, is_one_stop_desk=False, is_duty_post=False)
RECEPTION = PositionFacts(id=2, name="Tiếp công dân", faces_citizens=True, handles_dossiers=True, is_one_stop_desk=True, is_duty_post=False)
PILOT = PilotFacts(
    code="P",
    name="Thí điểm",
    agency_ids=frozenset({10}),
    unit_ids=frozenset(),
    position_ids=frozenset(),
    phases=(PhaseFacts("Giai đoạn 1", dt.date(2026, 11, 1), dt.date(2027, 4, 30)),),
)


def staff(**changes):
    values = {
        "code": "CB1",
        "full_name": "Nguyễn Văn A",
        "is_active": True,
        "agency_id": 10,
        "agency_name": "Sở Nội vụ",
        "unit_ids": frozenset({100, 101}),
        "unit_name": "Phòng Tổ chức",
        "position": OFFICER,
        "equipment": frozenset({"phone", "computer", "printer", "internet"}),
    }
    values.update(changes)
    return StaffFacts(**values)


def failed(decision):
    return [rule.code for rule in decision.failed_rules]


def test_officer_with_equipment_in_scope_is_eligible():
    decision = decide(staff=staff(), pilot=PILOT, parameters=PRESETS["hcmc_pilot"].parameters, on=DAY)
    assert decision.is_eligible
    assert len(decision.rules) == 10
    assert all(rule.passed for rule in decision.rules)


def test_citizen_facing_desk_officer_fails_three_rules_with_reasons_in_both_languages():
    decision = decide(staff=staff(position=RECEPTION), pilot=PILOT, parameters=PRESETS["hcmc_pilot"].parameters, on=DAY)
    assert not decision.is_eligible
    assert failed(decision) == ["not_citizen_facing", "not_dossier_handling", "not_one_stop_desk"]
    rule = decision.failed_rules[0]
    assert rule.reason("en") == "Position Tiếp công dân faces citizens or businesses, so it must be done on site."
    assert rule.reason("vi") != rule.reason("en")
    assert "Tiếp công dân" in rule.reason("vi")


def test_reception_suspended_lifts_the_citizen_facing_rule_only():
    parameters = PRESETS["hcmc_pilot"].parameters.with_changes(PRESETS["emergency_2021"].overlay)
    decision = decide(staff=staff(position=RECEPTION), pilot=PILOT, parameters=parameters, on=DAY)
    assert failed(decision) == ["not_dossier_handling", "not_one_stop_desk"]


def test_missing_equipment_is_named():
    decision = decide(staff=staff(equipment=frozenset({"phone", "computer"})), pilot=PILOT, parameters=PRESETS["hcmc_pilot"].parameters, on=DAY)
    assert failed(decision) == ["equipment"]
    assert decision.failed_rules[0].params["missing"] == frozenset({"printer", "internet"})
    assert decision.failed_rules[0].parameter == "required_equipment"


def test_outside_pilot_scope_and_phase():
    other_agency = staff(agency_id=11)
    decision = decide(staff=other_agency, pilot=PILOT, parameters=PRESETS["hcmc_pilot"].parameters, on=dt.date(2027, 6, 1))
    assert failed(decision) == ["pilot_scope", "pilot_phase"]
    assert decide(staff=staff(), pilot=None, parameters=PRESETS["hcmc_pilot"].parameters, on=DAY).is_eligible is False


def test_pilot_scope_by_unit_includes_subunits_and_by_position():
    by_unit = PilotFacts(**{**PILOT.__dict__, "unit_ids": frozenset({100})})
    assert decide(staff=staff(), pilot=by_unit, parameters=PRESETS["hcmc_pilot"].parameters, on=DAY).is_eligible
    by_position = PilotFacts(**{**PILOT.__dict__, "position_ids": frozenset({99})})
    assert failed(decide(staff=staff(), pilot=by_position, parameters=PRESETS["hcmc_pilot"].parameters, on=DAY)) == ["pilot_scope"]


def test_us_regime_requires_training_before_starting_and_bars_discipline():
    parameters = PRESETS["us"].parameters
    assert failed(decide(staff=staff(), pilot=PILOT, parameters=parameters, on=DAY)) == ["training"]
    trained = staff(training_completed_on=dt.date(2026, 10, 1))
    assert decide(staff=trained, pilot=PILOT, parameters=parameters, on=DAY).is_eligible
    disciplined = staff(training_completed_on=dt.date(2026, 10, 1), disciplined_until=dt.date(2026, 12, 31))
    assert failed(decide(staff=disciplined, pilot=PILOT, parameters=parameters, on=DAY)) == ["discipline"]
    # The US regime does not exclude citizen-facing work as such, only on-site dossier duty.
    citizen_facing = PositionFacts(3, "Hỗ trợ", faces_citizens=True, handles_dossiers=False, is_one_stop_desk=False, is_duty_post=False)
    assert decide(staff=staff(position=citizen_facing, training_completed_on=dt.date(2026, 10, 1)), pilot=PILOT, parameters=parameters, on=DAY).is_eligible


def test_suspension_refuses_everyone_but_named_exemptions():
    parameters = PRESETS["hcmc_pilot"].parameters.with_changes(PRESETS["suspension"].overlay)
    assert failed(decide(staff=staff(), pilot=PILOT, parameters=parameters, on=DAY)) == ["not_suspended"]
    assert decide(staff=staff(is_exempt_from_suspension=True), pilot=PILOT, parameters=parameters, on=DAY).is_eligible


def test_inactive_staff_is_refused():
    assert failed(decide(staff=staff(is_active=False), pilot=PILOT, parameters=PRESETS["hcmc_pilot"].parameters, on=DAY)) == ["staff_active"]


def test_decision_serialises_with_both_languages():
    data = decide(staff=staff(), pilot=PILOT, parameters=PRESETS["hcmc_pilot"].parameters, on=DAY).as_dict()
    assert data["is_eligible"] is True
    assert data["date"] == "2026-12-01"
    assert {"code", "passed", "parameter", "params", "reason_vi", "reason_en"} == set(data["rules"][0])
