"""Each shipped regime, applied as the city policy, makes eligibility and the caps behave as its source says."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from telework.core import calendar
from telework.core.exceptions import RuleViolation
from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.organization.tests.factories import PositionFactory, StaffFactory
from telework.policy import services
from telework.policy.models import Policy, PolicyLevel, PolicySwitch, SwitchKind
from telework.policy.selectors import PolicyResolver, eligibility_for
from telework.registrations import services as registrations
from telework.registrations.models import RegistrationDay, RegistrationMode, RegistrationStatus

ALL_EQUIPMENT = ["computer", "internet", "phone", "printer"]


def apply(city, preset):
    """Make ``preset`` the city policy from today (the test city's HCMC version started a month ago)."""
    return services.policy_apply_preset(actor=city.home_affairs, preset=preset, effective_from=timezone.localdate())


def submit(staff, monday, weekdays=(0,), **kwargs):
    return registrations.registration_submit(
        staff=staff,
        actor=staff.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=list(weekdays),
        equipment_attested=ALL_EQUIPMENT,
        commitment_accepted=True,
        **kwargs,
    )


def failed(decision):
    return {rule.code: rule for rule in decision.failed_rules}


def citizen_facing_officer(city):
    """An officer who receives citizens but handles no dossiers and staffs no one-stop desk."""
    position = PositionFactory(agency=city.agency, name="Cán bộ tiếp công dân", faces_citizens=True)
    return StaffFactory(unit=city.unit, position=position, direct_superior=city.head, full_name="Đỗ Tiếp Dân")


# --- HCMC pilot --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_hcmc_pilot_refuses_citizen_facing_positions(city):
    policy = apply(city, "hcmc_pilot")
    officer = citizen_facing_officer(city)
    decision = eligibility_for(officer, next_monday())
    assert policy.preset == "hcmc_pilot"
    assert decision.is_eligible is False
    assert failed(decision)["not_citizen_facing"].parameter == "exclude_citizen_facing"
    assert eligibility_for(city.staff[0], next_monday()).is_eligible is True


@pytest.mark.django_db
def test_hcmc_pilot_allows_two_home_days_a_week_and_refuses_a_third(city):
    apply(city, "hcmc_pilot")
    monday = next_monday()
    assert submit(city.staff[0], monday, weekdays=(0, 2)).status == RegistrationStatus.SUBMITTED
    with pytest.raises(RuleViolation) as refused:
        submit(city.staff[1], monday, weekdays=(0, 2, 4))
    assert refused.value.rule == "max_home_days_per_week"
    assert not city.staff[1].registrations.exists()


@pytest.mark.django_db
def test_hcmc_pilot_caps_a_unit_of_ten_at_three_at_home(city):
    apply(city, "hcmc_pilot")
    monday = next_monday()
    pending = [submit(member, monday) for member in city.staff[:4]]
    for registration in pending[:3]:
        registrations.registration_approve(registration=registration, actor=city.head_user)
    with pytest.raises(RuleViolation) as refused:
        registrations.registration_approve(registration=pending[3], actor=city.head_user)
    assert refused.value.rule == "max_home_share"
    pending[3].refresh_from_db()
    assert pending[3].status == RegistrationStatus.SUBMITTED
    assert RegistrationDay.objects.filter(day=monday, is_counted=True).count() == 3


# --- Emergency 2021 ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_emergency_2021_allows_half_the_unit_at_home_and_no_more(city):
    apply(city, "emergency_2021")
    monday = next_monday()
    pending = [submit(member, monday) for member in city.staff[:6]]
    for registration in pending[:5]:
        registrations.registration_approve(registration=registration, actor=city.head_user)
    with pytest.raises(RuleViolation) as refused:
        registrations.registration_approve(registration=pending[5], actor=city.head_user)
    assert refused.value.rule in {"max_home_share", "min_onsite_share"}
    assert RegistrationDay.objects.filter(day=monday, is_counted=True).count() == 5


@pytest.mark.django_db
def test_emergency_2021_makes_a_citizen_facing_officer_eligible_because_reception_is_suspended(city):
    officer = citizen_facing_officer(city)
    assert eligibility_for(officer, next_monday()).is_eligible is False
    apply(city, "emergency_2021")
    decision = eligibility_for(officer, next_monday())
    rule = {rule.code: rule for rule in decision.rules}["not_citizen_facing"]
    assert decision.is_eligible is True
    assert rule.passed is True
    assert rule.parameter == "citizen_reception_suspended"


@pytest.mark.django_db
def test_emergency_2021_lifts_the_weekly_day_limit(city):
    apply(city, "emergency_2021")
    registration = submit(city.staff[0], next_monday(), weekdays=(0, 1, 2, 3))
    assert registration.days.count() == 4


# --- France-like -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_france_accepts_three_home_days_a_week(city):
    apply(city, "france")
    registration = submit(city.staff[0], next_monday(), weekdays=(0, 2, 4))
    assert registration.days.count() == 3


@pytest.mark.django_db
def test_france_refuses_a_fourth_home_day_by_the_weekly_maximum(city):
    apply(city, "france")
    with pytest.raises(RuleViolation) as refused:
        submit(city.staff[0], next_monday(), weekdays=(0, 1, 2, 4))
    assert refused.value.rule == "max_home_days_per_week"
    assert {detail["rule"] for detail in refused.value.details} >= {"max_home_days_per_week", "min_office_days_per_week"}
    assert not city.staff[0].registrations.exists()


@pytest.mark.django_db
def test_france_keeps_two_office_days_in_a_week_shortened_by_a_holiday(city):
    # In a week with a public holiday there are four working days: three at home would leave one at the office.
    apply(city, "france")
    monday = timezone.localdate() + dt.timedelta(days=7 - timezone.localdate().weekday())
    while len(calendar.working_days(monday, monday + dt.timedelta(days=4))) != 4:
        monday += dt.timedelta(days=7)
    working = calendar.working_days(monday, monday + dt.timedelta(days=4))
    with pytest.raises(RuleViolation) as refused:
        registrations.registration_submit(
            staff=city.staff[0],
            actor=city.staff[0].user,
            starts_on=monday,
            ends_on=monday + dt.timedelta(days=4),
            mode=RegistrationMode.DATES,
            dates=working[:3],
            weekdays=[],
            equipment_attested=ALL_EQUIPMENT,
            commitment_accepted=True,
        )
    # Scaled to four working days (3 × 4 / 5 = 2.4 home days at most, 2 × 4 / 5 = 1.6 office days at least), both limits
    # refuse, and the office minimum stays at two days.
    assert [(detail["rule"], detail["params"]["limit"]) for detail in refused.value.details] == [
        ("max_home_days_per_week", 2),
        ("min_office_days_per_week", 2),
    ]
    assert not city.staff[0].registrations.exists()


# --- US-like -----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_us_requires_training_before_starting(city):
    apply(city, "us")
    member = city.staff[0]
    decision = eligibility_for(member, next_monday())
    assert decision.is_eligible is False
    assert set(failed(decision)) == {"training"}
    assert failed(decision)["training"].parameter == "training_required"
    member.training_completed_on = timezone.localdate() - dt.timedelta(days=10)
    member.save(update_fields=["training_completed_on"])
    assert eligibility_for(member, next_monday()).is_eligible is True


@pytest.mark.django_db
def test_us_bars_staff_under_discipline(city):
    apply(city, "us")
    member = city.staff[0]
    member.training_completed_on = timezone.localdate() - dt.timedelta(days=10)
    member.disciplined_until = next_monday() + dt.timedelta(days=30)
    member.save(update_fields=["training_completed_on", "disciplined_until"])
    decision = eligibility_for(member, next_monday())
    assert decision.is_eligible is False
    assert set(failed(decision)) == {"discipline"}
    assert failed(decision)["discipline"].parameter == "exclude_disciplined"


@pytest.mark.django_db
def test_us_considers_every_position_including_citizen_facing_ones(city):
    apply(city, "us")
    officer = citizen_facing_officer(city)
    officer.training_completed_on = timezone.localdate() - dt.timedelta(days=1)
    officer.save(update_fields=["training_completed_on"])
    assert eligibility_for(officer, next_monday()).is_eligible is True


# --- Suspension --------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_suspension_preset_as_city_policy_leaves_nobody_eligible(city):
    apply(city, "suspension")
    for member in city.staff:
        decision = eligibility_for(member, next_monday())
        assert decision.is_eligible is False
        assert failed(decision)["not_suspended"].parameter == "telework_suspended"


@pytest.mark.django_db
def test_suspension_switch_leaves_only_the_named_exemption_eligible_and_reverts_when_off(city):
    exempt, other = city.staff[0], city.staff[1]
    services.switch_set(actor=city.home_affairs, kind=SwitchKind.SUSPENSION, is_active=True, reason="Return to office", exempted_staff=[exempt])
    assert eligibility_for(exempt, next_monday()).is_eligible is True
    assert [member.code for member in city.staff if eligibility_for(member, next_monday()).is_eligible] == [exempt.code]
    assert set(failed(eligibility_for(other, next_monday()))) == {"not_suspended"}

    services.switch_set(actor=city.home_affairs, kind=SwitchKind.SUSPENSION, is_active=False, reason="Pilot resumes")
    assert all(eligibility_for(member, next_monday()).is_eligible for member in city.staff)

    on, off = AuditEvent.objects.filter(object_type="policy.policyswitch").order_by("id")
    assert (on.action, on.before, on.after, on.reason) == (
        "switch.on",
        {"is_active": False, "exempted_staff": []},
        {"is_active": True, "exempted_staff": [exempt.code]},
        "Return to office",
    )
    assert (off.action, off.before, off.after, off.reason) == (
        "switch.off",
        {"is_active": True, "exempted_staff": [exempt.code]},
        {"is_active": False, "exempted_staff": [exempt.code]},
        "Pilot resumes",
    )


@pytest.mark.django_db
def test_emergency_switch_overrides_a_stricter_agency_override_and_reverts(city):
    services.policy_override_create(
        actor=city.home_affairs, agency=city.agency, unit=None, parameters={"max_home_share": 0.1}, effective_from=timezone.localdate(), name="Chặt hơn"
    )
    assert PolicyResolver().resolve(city.unit, next_monday()).parameters.max_home_share == 0.1
    services.switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Dịch bệnh")
    resolved = PolicyResolver().resolve(city.unit, next_monday())
    assert (resolved.parameters.max_home_share, resolved.parameters.citizen_reception_suspended, resolved.active_switches) == (0.5, True, ("emergency",))
    services.switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=False, reason="Hết dịch")
    assert PolicyResolver().resolve(city.unit, next_monday()).parameters.max_home_share == 0.1
    assert PolicySwitch.objects.get(kind=SwitchKind.EMERGENCY).is_active is False


@pytest.mark.django_db
def test_each_preset_becomes_a_new_city_version_that_closes_the_previous_one(city):
    today = timezone.localdate()
    for offset, preset in enumerate(["hcmc_pilot", "emergency_2021", "france", "us", "suspension"], start=1):
        policy = services.policy_apply_preset(actor=city.home_affairs, preset=preset, effective_from=today + dt.timedelta(days=offset))
        assert (policy.version, policy.preset, policy.level) == (offset + 1, preset, PolicyLevel.CITY)
    versions = list(Policy.objects.filter(level=PolicyLevel.CITY).order_by("version"))
    for earlier, later in zip(versions, versions[1:], strict=False):
        assert earlier.effective_to == later.effective_from - dt.timedelta(days=1)
    assert versions[-1].effective_to is None
    assert AuditEvent.objects.filter(action="policy.create").count() == 5
