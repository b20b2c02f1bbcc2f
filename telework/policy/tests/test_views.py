"""The Home Affairs screens: who may see and change pilots, policies and switches, and what each form does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from telework.accounts.models import Role
from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.organization.tests.factories import PositionFactory, StaffFactory, UnitFactory
from telework.policy import services
from telework.policy.models import Pilot, PilotStatus, Policy, PolicyLevel, PolicySwitch, SwitchKind
from telework.policy.parameters import PARAMETER_SPECS, PRESETS
from telework.policy.selectors import PolicyResolver, eligibility_for


@pytest.fixture
def agency_head(city):
    return StaffFactory(unit=city.unit, position=city.staff[0].position, full_name="Võ Thủ Trưởng", user__role=Role.AGENCY_HEAD).user


def user_for(city, role, agency_head=None):
    return {
        "home_affairs": city.home_affairs,
        "admin": city.admin,
        "leadership": city.leadership,
        "agency_head": agency_head,
        "hr": city.hr,
        "unit_head": city.head_user,
        "staff": city.staff[0].user,
    }[role]


def state(city):
    """Everything a refused request must leave untouched."""
    return (
        Pilot.objects.count(),
        Policy.objects.count(),
        AuditEvent.objects.count(),
        # Switch rows are created (off) on first read; what matters is which are on.
        sorted(PolicySwitch.objects.filter(is_active=True).values_list("kind", flat=True)),
        sorted(Policy.objects.values_list("pk", "effective_to")),
    )


def pilot_post(city, **changes):
    data = {
        "code": "HCMC-2",
        "name": "Thí điểm giai đoạn 2",
        "description": "Mở rộng",
        "status": PilotStatus.PLANNED,
        "agencies": [city.agency.pk],
        "phases-TOTAL_FORMS": "2",
        "phases-INITIAL_FORMS": "0",
        "phases-MIN_NUM_FORMS": "1",
        "phases-MAX_NUM_FORMS": "1000",
        "phases-0-name": "Giai đoạn 1",
        "phases-0-starts_on": "2027-01-04",
        "phases-0-ends_on": "2027-06-30",
        "phases-1-name": "Giai đoạn 2",
        "phases-1-starts_on": "2027-07-01",
        "phases-1-ends_on": "2027-12-31",
    }
    data.update(changes)
    return data


def city_form_post(parameters, **changes):
    data = {"name": "Thí điểm điều chỉnh", "effective_from": (timezone.localdate() + dt.timedelta(days=1)).isoformat(), "note": "Quyết định số 1"}
    for spec in PARAMETER_SPECS:
        value = parameters[spec.name]
        key = f"p_{spec.name}"
        if spec.kind is bool:
            if value:
                data[key] = "on"
        elif spec.kind is tuple:
            data[key] = list(value)
        elif spec.kind is float:
            data[key] = "" if value is None else str(round(value * 100, 1))
        else:
            data[key] = "" if value is None else str(value)
    data.update(changes)
    return data


# --- Who may see what --------------------------------------------------------------------------------------------

READ_PAGES = ["pilots", "pilot_detail", "policies", "policy_detail"]
FORM_PAGES = ["pilot_create", "pilot_edit", "policy_city_new", "policy_preset", "policy_override_new", "switch_change"]


def url_for(city, name):
    args = {"pilot_detail": [city.pilot.pk], "pilot_edit": [city.pilot.pk], "policy_detail": [city.policy.pk], "switch_change": [SwitchKind.EMERGENCY]}
    return reverse(f"policy:{name}", args=args.get(name, []))


EXPECTED_GET = {
    # role: {page: status}
    "home_affairs": dict.fromkeys(READ_PAGES + FORM_PAGES, 200),
    "admin": dict.fromkeys(READ_PAGES + FORM_PAGES, 200),
    "leadership": {**dict.fromkeys(READ_PAGES, 200), **dict.fromkeys(FORM_PAGES, 403)},
    "agency_head": {**dict.fromkeys(READ_PAGES + FORM_PAGES, 403), "policies": 200, "policy_detail": 200, "policy_override_new": 200},
    "hr": dict.fromkeys(READ_PAGES + FORM_PAGES, 403),
    "unit_head": dict.fromkeys(READ_PAGES + FORM_PAGES, 403),
    "staff": dict.fromkeys(READ_PAGES + FORM_PAGES, 403),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(EXPECTED_GET))
@pytest.mark.parametrize("page", READ_PAGES + FORM_PAGES)
def test_role_by_page_matrix(client, city, agency_head, role, page):
    client.force_login(user_for(city, role, agency_head))
    response = client.get(url_for(city, page))
    assert response.status_code == EXPECTED_GET[role][page]


@pytest.mark.django_db
@pytest.mark.parametrize("page", READ_PAGES + FORM_PAGES)
def test_anonymous_visitors_are_sent_to_log_in(client, city, page):
    response = client.get(url_for(city, page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.django_db
@pytest.mark.parametrize("page", FORM_PAGES)
def test_city_leadership_gets_403_on_every_post_and_nothing_changes(client, city, page):
    before = state(city)
    client.force_login(city.leadership)
    data = {
        **pilot_post(city),
        **city_form_post(PRESETS["hcmc_pilot"].parameters.as_dict()),
        "preset": "emergency_2021",
        "agency": city.agency.pk,
        "o_max_home_share": "on",
        "p_max_home_share": "10",
        "reason": "Thử",
        "confirm": "yes",
        "turn": "on",
    }
    response = client.post(url_for(city, page), data)
    assert response.status_code == 403
    assert state(city) == before


@pytest.mark.django_db
def test_city_leadership_reads_policies_without_any_form_or_button(client, city):
    client.force_login(city.leadership)
    content = client.get(reverse("policy:policies")).content.decode()
    for name in ["policy_preset", "policy_city_new", "policy_override_new"]:
        assert reverse(f"policy:{name}") not in content
    assert "/policy/switches/" not in content
    assert 'method="post"' not in content.split("<main", 1)[1]
    pilots = client.get(reverse("policy:pilots")).content.decode()
    assert reverse("policy:pilot_create") not in pilots


@pytest.mark.django_db
def test_agency_head_sees_only_their_agency_overrides(client, city, agency_head):
    today = timezone.localdate()
    own = services.policy_override_create(
        actor=city.home_affairs, agency=city.agency, unit=None, parameters={"notice_days": 30}, effective_from=today, name="Own"
    )
    other = services.policy_override_create(
        actor=city.home_affairs, agency=city.other_agency, unit=None, parameters={"notice_days": 45}, effective_from=today, name="Other"
    )
    client.force_login(agency_head)
    content = client.get(reverse("policy:policies")).content.decode()
    assert reverse("policy:policy_detail", args=[own.pk]) in content
    assert reverse("policy:policy_detail", args=[other.pk]) not in content
    assert client.get(reverse("policy:policy_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("policy:policy_detail", args=[own.pk])).status_code == 200


# --- Pilots ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_home_affairs_creates_a_pilot_with_phases_and_scope(client, city):
    client.force_login(city.home_affairs)
    response = client.post(reverse("policy:pilot_create"), pilot_post(city, units=[city.unit.pk], positions=[city.staff[0].position.pk]))
    pilot = Pilot.objects.get(code="HCMC-2")
    assert response.status_code == 302
    assert response["Location"] == reverse("policy:pilot_detail", args=[pilot.pk])
    assert [(p.name, p.starts_on, p.ends_on) for p in pilot.phases.all()] == [
        ("Giai đoạn 1", dt.date(2027, 1, 4), dt.date(2027, 6, 30)),
        ("Giai đoạn 2", dt.date(2027, 7, 1), dt.date(2027, 12, 31)),
    ]
    assert list(pilot.agencies.all()) == [city.agency]
    assert list(pilot.units.all()) == [city.unit]
    event = AuditEvent.objects.get(action="pilot.save", object_id=str(pilot.pk))
    assert event.before is None
    assert event.after["phases"] == [["Giai đoạn 1", "2027-01-04", "2027-06-30"], ["Giai đoạn 2", "2027-07-01", "2027-12-31"]]


@pytest.mark.django_db
def test_a_removed_phase_row_is_not_saved(client, city):
    client.force_login(city.home_affairs)
    client.post(reverse("policy:pilot_create"), pilot_post(city, **{"phases-1-DELETE": "on"}))
    assert list(Pilot.objects.get(code="HCMC-2").phases.values_list("name", flat=True)) == ["Giai đoạn 1"]


@pytest.mark.django_db
def test_overlapping_phases_are_refused_inline_and_nothing_is_saved(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    response = client.post(reverse("policy:pilot_create"), pilot_post(city, **{"phases-1-starts_on": "2027-06-01"}))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-field-error="phases"' in content
    assert "Giai đoạn 1" in content.split('data-field-error="phases"')[1].split("</div>")[0]
    assert 'data-rule="pilot.phases"' in content
    assert state(city) == before


@pytest.mark.django_db
def test_a_unit_outside_the_chosen_agencies_is_refused_next_to_the_units(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    outside = city.outsider.unit
    response = client.post(reverse("policy:pilot_create"), pilot_post(city, units=[outside.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert f'data-field-error="units">{outside.name}' in content or (outside.name in content.split('data-field-error="units"')[1].split("</div>")[0])
    assert state(city) == before


@pytest.mark.django_db
def test_a_duplicate_pilot_code_is_refused_next_to_the_code(client, city):
    client.force_login(city.home_affairs)
    response = client.post(reverse("policy:pilot_create"), pilot_post(city, code="pilot"))
    assert response.status_code == 200
    assert 'data-field-error="code"' in response.content.decode()
    assert Pilot.objects.count() == 1


@pytest.mark.django_db
def test_editing_a_pilot_records_before_and_after(client, city):
    client.force_login(city.home_affairs)
    data = pilot_post(city, code="PILOT", name="Thí điểm TP.HCM (mở rộng)", agencies=[city.agency.pk, city.other_agency.pk], status=PilotStatus.RUNNING)
    response = client.post(reverse("policy:pilot_edit", args=[city.pilot.pk]), data)
    assert response.status_code == 302
    city.pilot.refresh_from_db()
    assert city.pilot.name == "Thí điểm TP.HCM (mở rộng)"
    event = AuditEvent.objects.get(action="pilot.save")
    assert event.before["agencies"] == [city.agency.code]
    assert event.after["agencies"] == sorted([city.agency.code, city.other_agency.code])


@pytest.mark.django_db
def test_pilot_detail_counts_the_staff_in_scope(client, city):
    client.force_login(city.leadership)
    content = client.get(reverse("policy:pilot_detail", args=[city.pilot.pk])).content.decode()
    # Head, eight officers, the desk clerk and the HR officer: the whole agency; the outsider's agency is not in it.
    assert '<p class="display-6 mb-1" id="staff-in-scope">11</p>' in content
    city.pilot.units.set([city.unit])
    content = client.get(reverse("policy:pilot_detail", args=[city.pilot.pk])).content.decode()
    assert '<p class="display-6 mb-1" id="staff-in-scope">10</p>' in content


@pytest.mark.django_db
def test_scope_options_list_units_and_positions_of_the_ticked_agencies_only(client, city):
    child = UnitFactory(agency=city.agency, parent=city.unit, name="Tổ tổng hợp")
    client.force_login(city.home_affairs)
    response = client.get(reverse("policy:pilot_scope_options"), {"agencies": [city.agency.pk], "units": [child.pk]})
    content = response.content.decode()
    assert f'value="{child.pk}" id="unit-{child.pk}" checked' in content
    assert f'value="{city.unit.pk}" id="unit-{city.unit.pk}">' in content
    assert city.outsider.unit.name not in content
    assert city.desk_position.name in content


# --- Policies ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_applying_a_preset_through_the_page_creates_a_city_version(client, city):
    client.force_login(city.home_affairs)
    start = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(reverse("policy:policy_preset"), {"preset": "emergency_2021", "effective_from": start.isoformat(), "note": ""})
    policy = Policy.objects.get(level=PolicyLevel.CITY, version=2)
    assert response.status_code == 302
    assert (policy.preset, policy.effective_from, policy.note) == ("emergency_2021", start, PRESETS["emergency_2021"].source)
    assert policy.parameters == PRESETS["emergency_2021"].parameters.as_dict()
    city.policy.refresh_from_db()
    assert city.policy.effective_to == start - dt.timedelta(days=1)


@pytest.mark.django_db
def test_a_preset_starting_before_the_current_version_is_refused_next_to_the_date(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    response = client.post(reverse("policy:policy_preset"), {"preset": "france", "effective_from": city.policy.effective_from.isoformat()})
    assert response.status_code == 200
    assert 'data-field-error="effective_from"' in response.content.decode()
    assert state(city) == before


@pytest.mark.django_db
def test_editing_parameters_creates_a_city_version_with_percent_converted(client, city):
    client.force_login(city.home_affairs)
    data = city_form_post(city.policy.parameters, p_max_home_share="25", p_min_onsite_share="75", p_max_home_days_per_month="")
    response = client.post(reverse("policy:policy_city_new"), data)
    assert response.status_code == 302
    policy = Policy.objects.get(level=PolicyLevel.CITY, version=2)
    assert (policy.parameters["max_home_share"], policy.parameters["min_onsite_share"], policy.parameters["max_home_days_per_month"]) == (0.25, 0.75, None)
    assert policy.parameters["required_equipment"] == ["computer", "internet", "phone", "printer"]
    detail = client.get(reverse("policy:policy_detail", args=[policy.pk])).content.decode()
    changes = detail.split('id="changes"')[1]
    assert 'data-parameter="max_home_share"' in changes
    assert "30 %" in changes
    assert "25 %" in changes


@pytest.mark.django_db
def test_inconsistent_shares_are_refused_next_to_the_on_site_share(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    response = client.post(reverse("policy:policy_city_new"), city_form_post(city.policy.parameters, p_max_home_share="60", p_min_onsite_share="70"))
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-field-error="p_min_onsite_share"' in content
    assert "40 %" in content.split('data-field-error="p_min_onsite_share"')[1].split("</div>")[0]
    assert state(city) == before


@pytest.mark.django_db
def test_an_override_looser_than_the_city_is_refused_with_the_parameter_and_bound_and_nothing_saved(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    data = {
        "agency": city.agency.pk,
        "unit": "",
        "name": "Lỏng hơn",
        "effective_from": timezone.localdate().isoformat(),
        "o_max_home_share": "on",
        "p_max_home_share": "50",
        "o_notice_days": "on",
        "p_notice_days": "30",
    }
    response = client.post(reverse("policy:policy_override_new"), data)
    assert response.status_code == 200
    content = response.content.decode()
    error = content.split('data-field-error="p_max_home_share"')[1].split("</div>")[0]
    assert "30 %" in error
    assert 'data-rule="max_home_share"' in content
    assert 'data-field-error="p_notice_days"' not in content
    assert state(city) == before


@pytest.mark.django_db
def test_a_stricter_unit_override_is_saved_with_only_the_ticked_parameters(client, city):
    client.force_login(city.home_affairs)
    data = {
        "agency": city.agency.pk,
        "unit": city.unit.pk,
        "name": "Phòng Kế hoạch chặt hơn",
        "effective_from": timezone.localdate().isoformat(),
        "o_max_home_share": "on",
        "p_max_home_share": "20",
        "p_notice_days": "1",  # not ticked: ignored
        "o_required_equipment": "on",
        "p_required_equipment": ["computer", "internet", "phone", "printer"],
    }
    response = client.post(reverse("policy:policy_override_new"), data)
    assert response.status_code == 302
    policy = Policy.objects.get(level=PolicyLevel.UNIT)
    assert (policy.unit, policy.agency, policy.parameters) == (
        city.unit,
        city.agency,
        {"max_home_share": 0.2, "required_equipment": ["computer", "internet", "phone", "printer"]},
    )
    assert PolicyResolver().resolve(city.unit, next_monday()).parameters.max_home_share == 0.2


@pytest.mark.django_db
def test_agency_head_overrides_their_own_agency_but_not_another(client, city, agency_head):
    client.force_login(agency_head)
    data = {"agency": city.agency.pk, "name": "Sở chặt hơn", "effective_from": timezone.localdate().isoformat(), "o_notice_days": "on", "p_notice_days": "20"}
    assert client.post(reverse("policy:policy_override_new"), data).status_code == 302
    assert Policy.objects.get(level=PolicyLevel.AGENCY).agency == city.agency
    before = state(city)
    response = client.post(reverse("policy:policy_override_new"), {**data, "agency": city.other_agency.pk})
    assert response.status_code == 200
    assert 'data-field-error="agency"' in response.content.decode()
    assert state(city) == before


@pytest.mark.django_db
def test_an_override_with_nothing_ticked_is_refused(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    response = client.post(
        reverse("policy:policy_override_new"), {"agency": city.agency.pk, "name": "Trống", "effective_from": timezone.localdate().isoformat()}
    )
    assert response.status_code == 200
    assert 'data-field-error="__all__"' in response.content.decode()
    assert state(city) == before


@pytest.mark.django_db
def test_policies_page_shows_the_version_history_with_its_diff(client, city):
    services.policy_apply_preset(actor=city.home_affairs, preset="france", effective_from=timezone.localdate())
    client.force_login(city.home_affairs)
    client.cookies["django_language"] = "en"
    content = client.get(reverse("policy:policies")).content.decode()
    assert 'data-version="2"' in content
    assert 'data-version="1"' in content
    history = content.split('data-version="2"')[1].split('data-version="1"')[0]
    assert 'data-parameter="max_home_days_per_week"' in history
    assert "2 days/week" in history
    assert "3 days/week" in history


@pytest.mark.django_db
def test_policies_page_reads_in_a_bounded_number_of_queries(client, city, django_assert_max_num_queries):
    for offset in range(1, 6):
        services.policy_apply_preset(actor=city.home_affairs, preset="france", effective_from=timezone.localdate() + dt.timedelta(days=offset))
    client.force_login(city.home_affairs)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("policy:policies")).status_code == 200


# --- Switches ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_switch_needs_a_reason_and_a_confirmation_then_applies_to_every_agency_and_is_audited(client, city):
    services.policy_override_create(
        actor=city.home_affairs, agency=city.other_agency, unit=None, parameters={"max_home_share": 0.1}, effective_from=timezone.localdate(), name="Khác"
    )
    url = reverse("policy:switch_change", args=[SwitchKind.EMERGENCY])
    client.force_login(city.home_affairs)
    before = state(city)

    missing_reason = client.post(url, {"turn": "on", "reason": ""})
    assert 'data-field-error="reason"' in missing_reason.content.decode()
    confirm_page = client.post(url, {"turn": "on", "reason": "Dịch bệnh"})
    assert confirm_page.status_code == 200
    assert 'name="confirm" value="yes"' in confirm_page.content.decode()
    assert state(city) == before

    done = client.post(url, {"turn": "on", "reason": "Dịch bệnh", "confirm": "yes"})
    assert done.status_code == 302
    assert PolicySwitch.objects.get(kind=SwitchKind.EMERGENCY).is_active is True
    resolver = PolicyResolver()
    for unit in (city.unit, city.outsider.unit):
        resolved = resolver.resolve(unit, next_monday())
        assert (resolved.active_switches, resolved.parameters.max_home_share, resolved.parameters.citizen_reception_suspended) == (("emergency",), 0.5, True)
    event = AuditEvent.objects.get(action="switch.on")
    assert (event.actor, event.reason, event.before["is_active"], event.after["is_active"]) == (city.home_affairs, "Dịch bệnh", False, True)

    client.post(url, {"turn": "off", "reason": "Hết dịch", "confirm": "yes"})
    resolver = PolicyResolver()
    assert resolver.resolve(city.unit, next_monday()).active_switches == ()
    assert resolver.resolve(city.outsider.unit, next_monday()).parameters.max_home_share == 0.1
    event = AuditEvent.objects.get(action="switch.off")
    assert (event.reason, event.before["is_active"], event.after["is_active"]) == ("Hết dịch", True, False)


@pytest.mark.django_db
def test_suspension_through_the_page_keeps_only_the_named_exemptions(client, city):
    url = reverse("policy:switch_change", args=[SwitchKind.SUSPENSION])
    client.force_login(city.home_affairs)
    exempt = city.staff[2]
    response = client.post(url, {"turn": "on", "reason": "Tạm dừng", "exempted_codes": f"{exempt.code.lower()}, NOBODY-1", "confirm": "yes"})
    assert response.status_code == 200
    error = response.content.decode().split('data-field-error="exempted_codes"')[1].split("</div>")[0]
    assert "NOBODY-1" in error
    assert PolicySwitch.objects.get(kind=SwitchKind.SUSPENSION).is_active is False

    client.post(url, {"turn": "on", "reason": "Tạm dừng", "exempted_codes": exempt.code.lower(), "confirm": "yes"})
    switch = PolicySwitch.objects.get(kind=SwitchKind.SUSPENSION)
    assert switch.is_active is True
    assert list(switch.exempted_staff.all()) == [exempt]
    assert [member.code for member in city.staff if eligibility_for(member, next_monday()).is_eligible] == [exempt.code]


@pytest.mark.django_db
def test_the_back_button_on_the_confirmation_returns_to_the_form_without_changing_anything(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    response = client.post(reverse("policy:switch_change", args=[SwitchKind.EMERGENCY]), {"turn": "on", "reason": "Dịch bệnh", "confirm": "back"})
    assert response.status_code == 200
    assert "Dịch bệnh</textarea>" in response.content.decode()
    assert state(city) == before


@pytest.mark.django_db
def test_staff_lookup_names_found_codes_and_flags_unknown_ones(client, city):
    client.force_login(city.home_affairs)
    content = client.get(reverse("policy:switch_staff_lookup"), {"exempted_codes": f"{city.staff[0].code} XYZ"}).content.decode()
    assert city.staff[0].full_name in content
    assert "XYZ" in content


@pytest.mark.django_db
def test_an_unknown_switch_is_404(client, city):
    client.force_login(city.home_affairs)
    assert client.get(reverse("policy:switch_change", args=["weather"])).status_code == 404


@pytest.mark.django_db
def test_position_outside_the_chosen_agencies_is_refused_next_to_positions(client, city):
    client.force_login(city.home_affairs)
    foreign = PositionFactory(agency=city.other_agency, name="Vị trí nơi khác")
    response = client.post(reverse("policy:pilot_create"), pilot_post(city, positions=[foreign.pk]))
    assert response.status_code == 200
    assert "Vị trí nơi khác" in response.content.decode().split('data-field-error="positions"')[1].split("</div>")[0]
    assert Pilot.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_city_form_is_prefilled_in_percent_whatever_the_language(client, city, language):
    client.force_login(city.home_affairs)
    client.cookies["django_language"] = language
    content = client.get(reverse("policy:policy_city_new")).content.decode()
    assert 'name="p_max_home_share" id="id_p_max_home_share" value="30.0"' in content
    assert 'name="p_notice_days" id="id_p_notice_days" value="15"' in content


@pytest.mark.django_db
def test_the_override_service_refuses_an_agency_head_outside_their_agency(city, agency_head):
    from telework.core.exceptions import NotPermitted

    before = state(city)
    with pytest.raises(NotPermitted) as refused:
        services.policy_override_create(
            actor=agency_head, agency=city.other_agency, unit=None, parameters={"notice_days": 30}, effective_from=timezone.localdate(), name="Không được"
        )
    assert refused.value.rule == "policy.override_scope"
    assert state(city) == before


@pytest.mark.django_db
def test_override_unit_choices_stay_inside_the_agencies_the_user_may_override(client, city, agency_head):
    client.force_login(agency_head)
    own = client.get(reverse("policy:override_units"), {"agency": city.agency.pk}).content.decode()
    assert f'value="{city.unit.pk}"' in own
    other = client.get(reverse("policy:override_units"), {"agency": city.other_agency.pk}).content.decode()
    assert f'value="{city.outsider.unit.pk}"' not in other
    client.force_login(city.leadership)
    assert client.get(reverse("policy:override_units"), {"agency": city.agency.pk}).status_code == 403


@pytest.mark.django_db
def test_the_presets_name_their_legal_basis_in_words_not_internal_labels(client, city):
    client.force_login(city.home_affairs)
    page = client.get(reverse("policy:policy_preset")).content.decode()
    assert "Đề án thí điểm làm việc tại nhà của TP.HCM giai đoạn 2024–2030" in page
    assert "Hoa Kỳ, Luật Tăng cường làm việc từ xa năm 2010" in page
    assert "domain-rules" not in page


@pytest.mark.django_db
def test_reading_the_switches_writes_nothing(client, city):
    """Selectors never write: the home page reads every switch as off before anyone opened the switch screen."""
    from telework.policy.models import PolicySwitch
    from telework.policy.selectors import switches

    assert [(switch.kind, switch.is_active) for switch in switches()] == [("emergency", False), ("distancing", False), ("suspension", False)]
    client.force_login(city.leadership)
    assert client.get("/").status_code == 200
    assert not PolicySwitch.objects.exists()
