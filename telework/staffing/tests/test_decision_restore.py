"""The edges of a staffing decision's period: deciding a unit again replaces the first decision (overrides never
stack), the restore gives the unit back exactly what it had and never hides a later override, a period may not start
in the past, and Home Affairs ends a decision early (the emergency switch turned off does not end it by itself)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from telework.core.exceptions import InvalidTransition, ValidationFailed
from telework.core.models import AuditEvent
from telework.policy.models import Policy, PolicyLevel, SwitchKind
from telework.policy.selectors import policy_for_unit
from telework.policy.services import policy_override_create, switch_set
from telework.staffing import services
from telework.staffing.models import RoundState, UnitDecision
from telework.staffing.tests.factories import local, staffing_city

pytestmark = pytest.mark.django_db
NOV = 11


def day(number: int, month: int = NOV) -> dt.date:
    return dt.date(2026, month, number)


@pytest.fixture
def special(city):  # type: ignore[no-untyped-def]
    return staffing_city(city)


@pytest.fixture
def row(city, special, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """The first special unit's filled row of a closed round (11 staff; the second unit still undecided)."""
    with django_capture_on_commit_callbacks(execute=True):
        report_round = services.round_open(actor=city.home_affairs, title="Nhu cầu nhân sự ngày 18/11", deadline=local(16), units=special.units)
    rows = [report_round.rows.get(unit=unit) for unit in special.units]
    services.row_fill(actor=special.heads[0], row=rows[0], needed_on_site=8, proposed_at_home=3, reason="Luân phiên")
    services.row_fill(actor=special.heads[1], row=rows[1], needed_on_site=6, proposed_at_home=1, reason="Trực")
    services.round_close(actor=city.home_affairs, report_round=report_round)
    rows[0].refresh_from_db()
    return rows[0]


def shares(unit, on: dt.date) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    parameters = policy_for_unit(unit, on).parameters
    return parameters.min_onsite_share, parameters.max_home_share


CITY = (0.7, 0.3)  # the HCMC preset's minimum on site and maximum at home
FIRST = (0.728, 0.272)  # 8 on site and 3 at home of 11
SECOND = (0.819, 0.181)  # 9 on site and 2 at home of 11


def decide(city, row, minimum, cap, starts_on, ends_on):  # type: ignore[no-untyped-def]
    return services.round_decide(actor=city.home_affairs, row=row, on_site_minimum=minimum, home_cap=cap, starts_on=starts_on, ends_on=ends_on)


def open_unit_versions(unit) -> int:  # type: ignore[no-untyped-def]
    return Policy.objects.filter(level=PolicyLevel.UNIT, unit=unit, effective_to__isnull=True).count()


def test_a_unit_without_an_override_of_its_own_follows_its_agency_again_after_the_period(city, row):  # type: ignore[no-untyped-def]
    decision = decide(city, row, 8, 3, day(19), day(30))

    assert shares(row.unit, day(20)) == FIRST
    assert shares(row.unit, day(1, 12)) == CITY
    # Nothing is written for the restore: the decision's version ends with the period.
    assert decision.restore_policy is None
    assert decision.policy.effective_to == day(30)
    assert open_unit_versions(row.unit) == 0


def test_deciding_a_unit_again_in_the_round_replaces_the_first_decision(city, row):  # type: ignore[no-untyped-def]
    decide(city, row, 8, 3, day(19), day(30))

    replaced = decide(city, row, 9, 2, day(20), day(25))

    assert UnitDecision.objects.get() == replaced
    assert (replaced.on_site_minimum, replaced.home_cap, replaced.starts_on, replaced.ends_on) == (9, 2, day(20), day(25))
    # The first decision had not applied yet: withdrawn, not stacked under the second.
    assert [shares(row.unit, on) for on in (day(19), day(22), day(26))] == [CITY, SECOND, CITY]
    assert Policy.objects.filter(level=PolicyLevel.UNIT, unit=row.unit).count() == 1
    event = AuditEvent.objects.get(action="staffing_decision.replace")
    assert (event.before["on_site_minimum"], event.before["withdrawn_versions"], event.after["on_site_minimum"]) == (8, 1, 9)


def test_a_replacement_gives_back_the_units_own_override_around_it(city, row):  # type: ignore[no-untyped-def]
    own = policy_override_create(
        actor=city.home_affairs, agency=row.unit.agency, unit=row.unit, parameters={"max_home_share": 0.2}, effective_from=day(18), name="Riêng của đơn vị"
    )
    decide(city, row, 8, 3, day(19), day(30))
    decide(city, row, 9, 2, day(20), day(25))

    assert [shares(row.unit, on)[1] for on in (day(19), day(22), day(26), day(1, 12))] == [0.2, 0.181, 0.2, 0.2]
    own.refresh_from_db()
    assert own.effective_to == day(19)  # runs again until the replacement starts
    assert open_unit_versions(row.unit) == 1  # one restore, not one per decision


def test_a_decision_already_in_force_is_ended_the_day_before_its_replacement(city, row, clock):  # type: ignore[no-untyped-def]
    first = decide(city, row, 8, 3, day(18), day(30))
    clock.move_to(local(9, day=day(20)))

    decide(city, row, 9, 2, day(20), day(22))

    first_version = Policy.objects.get(pk=first.policy_id)
    assert first_version.effective_to == day(19)  # what applied on 18–19/11 stays on record
    assert [shares(row.unit, on) for on in (day(19), day(21), day(23))] == [FIRST, SECOND, CITY]


def test_an_override_someone_else_makes_after_the_period_stands(city, row, special):  # type: ignore[no-untyped-def]
    decide(city, row, 8, 3, day(19), day(25))
    agency_head = special.agency_heads[0]

    policy_override_create(
        actor=agency_head, agency=row.unit.agency, unit=row.unit, parameters={"max_home_share": 0.1}, effective_from=day(28), name="Của thủ trưởng"
    )
    policy_override_create(
        actor=city.home_affairs, agency=row.unit.agency, unit=None, parameters={"max_home_share": 0.25}, effective_from=day(26), name="Của sở"
    )

    # The agency's change from 26/11 reaches the unit (no restore pins the old values), the unit's from 28/11 too.
    assert [shares(row.unit, on)[1] for on in (day(24), day(26), day(28))] == [0.272, 0.25, 0.1]
    with pytest.raises(InvalidTransition) as refused:
        decide(city, row, 9, 2, day(20), day(22))
    assert refused.value.rule == "staffing.policy_changed_since"


def test_an_override_inside_the_period_is_refused_with_the_periods_end(city, row, special):  # type: ignore[no-untyped-def]
    decide(city, row, 8, 3, day(19), day(25))

    with pytest.raises(ValidationFailed) as refused:
        policy_override_create(
            actor=special.agency_heads[0], agency=row.unit.agency, unit=row.unit, parameters={"max_home_share": 0.1}, effective_from=day(22), name="Giữa kỳ"
        )
    with translation.override("vi"):
        message = str(refused.value.message)
    assert "25/11/2026" in message
    assert "26/11/2026" in message
    assert "không" in message
    assert shares(row.unit, day(22)) == FIRST


def test_a_period_starting_in_the_past_is_refused_and_names_today(city, row):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        decide(city, row, 8, 3, day(17), day(20))
    with translation.override("vi"):
        message = str(refused.value.message)
    assert refused.value.rule == "staffing.period_start"
    assert "18/11/2026" in message
    assert "quá khứ" in message
    assert not UnitDecision.objects.exists()


def test_the_switch_ending_early_does_not_end_a_decision_home_affairs_ends_it(city, row, special, clock):  # type: ignore[no-untyped-def]
    switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Bão số 9")
    decide(city, row, 8, 3, day(18), day(30))
    other = row.report_round.rows.exclude(pk=row.pk).get()
    decide(city, other, 6, 1, day(18), day(30))
    row.report_round.refresh_from_db()
    assert row.report_round.state == RoundState.DECIDED
    clock.move_to(local(9, day=day(20)))
    switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=False, reason="Hết bão")

    assert shares(row.unit, day(21)) == FIRST  # a dated decision: the switch does not end it

    ended = decide(city, row, 8, 3, day(20), day(20))

    assert ended.ends_on == day(20)
    assert shares(row.unit, day(21)) == CITY
    assert UnitDecision.objects.count() == 2


def test_the_api_replaces_a_decision_posted_again(city, row, client):  # type: ignore[no-untyped-def]
    client.force_login(city.home_affairs)
    url = f"/api/staffing/rows/{row.pk}/decision"
    first = {"on_site_minimum": 8, "home_cap": 3, "starts_on": "2026-11-19", "ends_on": "2026-11-30", "note": ""}

    assert client.post(url, first, content_type="application/json").status_code == 201
    again = client.post(url, {**first, "on_site_minimum": 9, "home_cap": 2}, content_type="application/json")

    assert again.status_code == 201
    assert UnitDecision.objects.get().on_site_minimum == 9
    past = client.post(url, {**first, "starts_on": "2026-11-17"}, content_type="application/json")
    assert past.status_code == 422
    assert past.json()["rule"] == "staffing.period_start"
