"""The presence cap (issue 14 pt 1): percent in, a fraction stored, empty = no cap; a lower cap is tighter; combinations
that cannot all hold are refused with the rule named, in Vietnamese; the distancing switch on the switch screens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core import clock
from telework.core.exceptions import ValidationFailed
from telework.policy import services
from telework.policy.models import Policy, PolicyLevel, SwitchKind
from telework.policy.parameters import PRESETS, validate_values
from telework.policy.tests.test_views import city_form_post, state

# --- The pure rule ------------------------------------------------------------------------------------------------


def test_a_presence_cap_below_the_on_site_minimum_is_refused():
    problems = validate_values({"min_onsite_share": 0.5, "max_onsite_share": 0.3})
    assert [(problem.name, problem.code, problem.bound) for problem in problems] == [("max_onsite_share", "onsite_cap_below_minimum", 0.5)]


def test_a_presence_cap_in_people_below_desks_duty_posts_and_leader_is_refused():
    values = {"max_onsite_headcount": 2, "desk_staff_on_site": 1, "duty_staff_on_site": 1, "leader_on_site_each_day": True}
    problems = validate_values(values)
    assert [(problem.name, problem.code, problem.bound) for problem in problems] == [("max_onsite_headcount", "onsite_cap_below_staffing", 3)]
    assert validate_values({**values, "max_onsite_headcount": 3}) == []


def test_assigned_home_days_while_telework_is_suspended_is_refused():
    problems = validate_values({"home_days_assigned": True, "telework_suspended": True})
    assert [problem.code for problem in problems] == ["assigned_with_suspension"]


def test_every_shipped_preset_is_consistent():
    for preset in PRESETS.values():
        assert validate_values(preset.parameters.as_dict()) == [], preset.key


def test_the_service_names_the_rule_in_vietnamese(city):
    parameters = {**city.policy.parameters, "min_onsite_share": 0.5, "max_onsite_share": 0.3}
    with pytest.raises(ValidationFailed) as refused:
        services.policy_version_create(actor=city.home_affairs, level=PolicyLevel.CITY, parameters=parameters, effective_from=clock.today(), name="Sai")
    assert refused.value.rule == "max_onsite_share"
    assert "Mức trần có mặt 30 %" in refused.value.details[0]["message"] or "Mức trần có mặt 30%" in refused.value.details[0]["message"]


# --- The forms ----------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_empty_presence_cap_is_saved_as_no_cap_and_a_percent_as_a_fraction(client, city):
    client.force_login(city.home_affairs)
    data = city_form_post(city.policy.parameters, p_max_onsite_share="", p_max_onsite_headcount="")
    response = client.post(reverse("policy:policy_city_new"), data)
    assert response.status_code == 302
    saved = Policy.objects.filter(level=PolicyLevel.CITY).order_by("-version").first()
    assert saved.parameters["max_onsite_share"] is None
    assert saved.parameters["max_onsite_headcount"] is None

    data = city_form_post(saved.parameters, p_max_onsite_share="40", p_min_onsite_share="40", p_max_home_share="30")
    data["effective_from"] = (clock.today() + dt.timedelta(days=2)).isoformat()
    response = client.post(reverse("policy:policy_city_new"), data)
    assert response.status_code == 302
    assert Policy.objects.filter(level=PolicyLevel.CITY).order_by("-version").first().parameters["max_onsite_share"] == 0.4


@pytest.mark.django_db
def test_a_cap_below_the_on_site_minimum_is_refused_next_to_the_cap_in_words(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    response = client.post(reverse("policy:policy_city_new"), city_form_post(city.policy.parameters, p_max_onsite_share="20", p_min_onsite_share="50"))
    assert response.status_code == 200
    content = response.content.decode()
    error = content.split('data-field-error="p_max_onsite_share"')[1].split("</div>")[0]
    assert "Mức trần có mặt thấp hơn tỷ lệ tối thiểu có mặt tại cơ quan" in error
    assert "onsite_cap_below_minimum" not in content
    assert state(city) == before


@pytest.mark.django_db
def test_a_headcount_cap_below_what_desks_and_leaders_need_is_explained(client, city):
    before = state(city)
    client.force_login(city.home_affairs)
    data = city_form_post(city.policy.parameters, p_max_onsite_headcount="1", p_desk_staff_on_site="1", p_duty_staff_on_site="1")
    data["p_leader_on_site_each_day"] = "on"
    response = client.post(reverse("policy:policy_city_new"), data)
    content = response.content.decode()
    error = content.split('data-field-error="p_max_onsite_headcount"')[1].split("</div>")[0]
    assert "bộ phận một cửa, vị trí trực và lãnh đạo" in error
    assert "3 người" in error
    assert state(city) == before


@pytest.mark.django_db
def test_an_override_cap_that_clashes_with_the_citys_on_site_minimum_is_refused(client, city):
    """The HCMC pilot keeps at least 50 % of those present on site: a unit override capping presence at 30 % is
    consistent alone and impossible together with the city's minimum."""
    before = state(city)
    client.force_login(city.home_affairs)
    data = {
        "agency": city.agency.pk,
        "unit": city.unit.pk,
        "name": "Giãn cách riêng",
        "effective_from": clock.today().isoformat(),
        "o_max_onsite_share": "on",
        "p_max_onsite_share": "30",
    }
    response = client.post(reverse("policy:policy_override_new"), data)
    assert response.status_code == 200
    assert 'data-rule="max_onsite_share"' in response.content.decode()
    assert state(city) == before


@pytest.mark.django_db
def test_an_override_may_lower_a_city_cap_but_not_raise_it(client, city):
    parameters = {**city.policy.parameters, "min_onsite_share": 0.2, "max_onsite_share": 0.5}
    services.policy_version_create(actor=city.home_affairs, level=PolicyLevel.CITY, parameters=parameters, effective_from=clock.today(), name="Trần")
    with pytest.raises(ValidationFailed) as refused:
        services.policy_override_create(
            actor=city.home_affairs, agency=city.agency, unit=None, parameters={"max_onsite_share": 0.6}, effective_from=clock.today(), name="Lỏng"
        )
    assert refused.value.details[0]["code"] == "exceeds_city_bound"
    lowered = services.policy_override_create(
        actor=city.home_affairs, agency=city.agency, unit=None, parameters={"max_onsite_share": 0.3}, effective_from=clock.today(), name="Chặt"
    )
    assert lowered.parameters == {"max_onsite_share": 0.3}


# --- The switch screens ------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_switches_page_lists_distancing_with_its_regime(client, city):
    client.force_login(city.home_affairs)
    content = client.get(reverse("policy:policies")).content.decode()
    card = content.split('data-switch="distancing"')[1].split('data-switch="suspension"')[0]
    assert "Chế độ giãn cách" in card
    assert "Chỉ thị 16/CT-TTg" in card
    assert reverse("policy:switch_change", args=[SwitchKind.DISTANCING]) + "?turn=on" in card


@pytest.mark.django_db
def test_distancing_is_refused_on_the_first_step_while_telework_is_suspended(client, city):
    services.switch_set(actor=city.home_affairs, kind=SwitchKind.SUSPENSION, is_active=True, reason="Tạm dừng")
    before = state(city)
    client.force_login(city.home_affairs)
    url = reverse("policy:switch_change", args=[SwitchKind.DISTANCING]) + "?turn=on"
    page = client.get(url).content.decode()
    assert 'id="switch-refused"' in page
    assert 'name="reason"' not in page
    response = client.post(url, {"turn": "on", "reason": "Giãn cách", "confirm": "yes"})
    assert response.status_code == 409
    assert state(city) == before
    card = client.get(reverse("policy:policies")).content.decode().split('data-switch="distancing"')[1].split('data-switch="suspension"')[0]
    assert 'data-refused="switch.distancing_with_suspension"' in card


@pytest.mark.django_db
def test_the_confirmation_says_distancing_holds_over_emergency_mode_and_what_it_replans(client, city):
    services.switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Khẩn cấp")
    client.force_login(city.home_affairs)
    url = reverse("policy:switch_change", args=[SwitchKind.DISTANCING])
    page = client.post(url, {"turn": "on", "reason": "Chỉ thị 16"}).content.decode()
    assert 'id="switch-overrides"' in page
    assert "các quy định chặt hơn của chế độ giãn cách được áp dụng" in page
    assert 'id="impact-days"' in page
    assert "công bố ngay" in page.split('id="impact-rosters"')[1].split("</li>")[0]
