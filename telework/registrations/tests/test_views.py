"""The registration screens: who may open which page, registering (and being refused), and deciding through the views."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.registrations import services
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus

EQUIPMENT = ["computer", "internet", "phone", "printer"]


def submit(staff, monday, weekdays=(0,), weeks=1):
    return services.registration_submit(
        staff=staff,
        actor=staff.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=7 * weeks - 3),
        weekdays=list(weekdays),
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
    )


def form_data(monday, weekdays=(0,), **overrides):
    data = {
        "starts_on": monday.isoformat(),
        "ends_on": (monday + dt.timedelta(days=4)).isoformat(),
        "mode": "weekly",
        "weekdays": [str(day) for day in weekdays],
        "equipment": EQUIPMENT,
        "commitment_accepted": "on",
        "work_plan": "Soạn báo cáo tổng hợp quý",
    }
    data.update(overrides)
    return data


def client_for(user):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def user_for(city, role):
    return {
        "anonymous": None,
        "staff": city.staff[0].user,
        "head": city.head_user,
        "hr": city.hr,
        "home_affairs": city.home_affairs,
        "leadership": city.leadership,
    }[role]


# ----------------------------------------------------------------------------------------------- role × page

PAGE_ACCESS = [
    # (page, role, expected status); 302 = sent to the login page
    ("registrations:mine", "anonymous", 302),
    ("registrations:mine", "staff", 200),
    ("registrations:mine", "head", 200),
    ("registrations:mine", "home_affairs", 403),
    ("registrations:new", "anonymous", 302),
    ("registrations:new", "staff", 200),
    ("registrations:new", "leadership", 403),
    ("registrations:eligibility", "anonymous", 302),
    ("registrations:eligibility", "staff", 200),
    ("registrations:eligibility", "hr", 200),
    ("registrations:eligibility", "home_affairs", 200),
    ("registrations:inbox", "anonymous", 302),
    ("registrations:inbox", "staff", 403),
    ("registrations:inbox", "hr", 403),
    ("registrations:inbox", "home_affairs", 403),
    ("registrations:inbox", "head", 200),
    ("registrations:overview", "anonymous", 302),
    ("registrations:overview", "staff", 403),
    ("registrations:overview", "head", 200),
    ("registrations:overview", "hr", 200),
    ("registrations:overview", "home_affairs", 200),
    ("registrations:overview", "leadership", 200),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("page", "role", "expected"), PAGE_ACCESS)
def test_page_access_by_role(city, page, role, expected):
    response = client_for(user_for(city, role)).get(reverse(page))
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("accounts:login"))


DETAIL_ACCESS = [
    ("owner", 200),
    ("colleague", 404),
    ("head", 200),
    ("hr", 200),
    ("home_affairs", 200),
    ("outsider", 404),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("viewer", "expected"), DETAIL_ACCESS)
def test_registration_detail_is_visible_only_in_scope(city, viewer, expected):
    registration = submit(city.staff[0], next_monday())
    user = {
        "owner": city.staff[0].user,
        "colleague": city.staff[1].user,
        "head": city.head_user,
        "hr": city.hr,
        "home_affairs": city.home_affairs,
        "outsider": city.outsider.user,
    }[viewer]
    response = client_for(user).get(reverse("registrations:detail", args=[registration.pk]))
    assert response.status_code == expected


# ----------------------------------------------------------------------------------------------- my home days


@pytest.mark.django_db
def test_my_home_days_lists_registrations_with_status_and_comment(city):
    monday = next_monday()
    registration = submit(city.staff[0], monday, weekdays=(0, 4))
    services.registration_reject(registration=registration, actor=city.head_user, reason="Tuần này có kiểm tra")
    submit(city.staff[1], monday)  # someone else's: not listed
    response = client_for(city.staff[0].user).get(reverse("registrations:mine"))
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("data-registration=") == 1
    assert 'data-status="rejected"' in content
    assert "Tuần này có kiểm tra" in content
    assert reverse("registrations:new") in content


@pytest.mark.django_db
def test_my_home_days_explains_the_empty_state(city):
    response = client_for(city.staff[0].user).get(reverse("registrations:mine"))
    assert "data-registration=" not in response.content.decode()
    assert reverse("registrations:new") in response.content.decode()


# ----------------------------------------------------------------------------------------------- registering


@pytest.mark.django_db
def test_new_registration_page_shows_the_rules_and_the_commitment(city):
    response = client_for(city.staff[0].user).get(reverse("registrations:new"))
    content = response.content.decode()
    assert 'id="rules-in-force"' in content
    assert str(services.COMMITMENT_TEXT)[:40] in content
    # The HCMC preset requires all four items: each is offered for attestation.
    for item in EQUIPMENT:
        assert f'value="{item}"' in content


@pytest.mark.django_db
def test_submitting_the_form_creates_a_registration(city):
    monday = next_monday()
    response = client_for(city.staff[0].user).post(reverse("registrations:new"), form_data(monday, weekdays=(0, 3)))
    registration = Registration.objects.get(staff=city.staff[0])
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:detail", args=[registration.pk])
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.work_plan == "Soạn báo cáo tổng hợp quý"
    assert list(registration.days.values_list("day", flat=True)) == [monday, monday + dt.timedelta(days=3)]


@pytest.mark.django_db
def test_chosen_dates_can_be_typed_as_a_comma_list(city):
    monday = next_monday()
    dates = f"{monday:%d/%m/%Y}, {monday + dt.timedelta(days=2):%d/%m/%Y}"
    data = form_data(monday, mode="dates", weekdays=[], dates=[dates, ""])
    response = client_for(city.staff[0].user).post(reverse("registrations:new"), data)
    assert response.status_code == 302
    registration = Registration.objects.get(staff=city.staff[0])
    assert registration.mode == "dates"
    assert list(registration.days.values_list("day", flat=True)) == [monday, monday + dt.timedelta(days=2)]


@pytest.mark.django_db
def test_refused_submission_names_the_rule_keeps_the_input_and_creates_nothing(city):
    monday = next_monday()
    response = client_for(city.staff[0].user).post(reverse("registrations:new"), form_data(monday, weekdays=(0, 2, 4)))
    content = response.content.decode()
    assert response.status_code == 409
    assert 'data-rule="max_home_days_per_week"' in content
    assert 'data-rule="min_office_days_per_week"' in content
    assert f'value="{monday.isoformat()}"' in content
    assert 'value="2" class="form-check-input" id="id_weekdays_2" checked' in content
    assert not Registration.objects.exists()
    assert not AuditEvent.objects.filter(action="registration.submit").exists()


@pytest.mark.django_db
def test_missing_commitment_is_shown_under_the_checkbox(city):
    data = form_data(next_monday())
    del data["commitment_accepted"]
    response = client_for(city.staff[0].user).post(reverse("registrations:new"), data)
    content = response.content.decode()
    assert response.status_code == 409
    assert 'data-rule="written_commitment_required"' in content
    assert 'data-field-error="commitment_accepted"' in content
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_invalid_date_is_a_field_error(city):
    response = client_for(city.staff[0].user).post(reverse("registrations:new"), form_data(next_monday(), starts_on="31/02/2027"))
    assert response.status_code == 200
    assert 'data-field-error="starts_on"' in response.content.decode()
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_check_button_validates_without_saving(city, django_capture_on_commit_callbacks):
    monday = next_monday()
    client = client_for(city.staff[0].user)
    with django_capture_on_commit_callbacks() as queued:
        passing = client.post(reverse("registrations:check"), form_data(monday, weekdays=(1,)), HTTP_HX_REQUEST="true")
    assert queued == []  # nothing was submitted, so no notification to the head is queued
    refused = client.post(reverse("registrations:check"), form_data(monday, weekdays=(0, 1, 2)), HTTP_HX_REQUEST="true")
    assert passing.status_code == 200
    assert 'data-check="ok"' in passing.content.decode()
    assert (monday + dt.timedelta(days=1)).strftime("%d/%m") in passing.content.decode()
    assert 'data-check="refused"' in refused.content.decode()
    assert 'data-rule="max_home_days_per_week"' in refused.content.decode()
    assert not Registration.objects.exists()
    assert not RegistrationDay.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.django_db
def test_edit_and_resubmit_after_changes_were_requested(city):
    monday = next_monday()
    registration = submit(city.staff[0], monday)
    client = client_for(city.staff[0].user)
    # Not editable while it waits for a decision.
    assert client.get(reverse("registrations:edit", args=[registration.pk])).status_code == 403
    services.registration_request_changes(registration=registration, actor=city.head_user, comment="Chọn thứ Năm")
    page = client.get(reverse("registrations:edit", args=[registration.pk]))
    assert page.status_code == 200
    assert "Chọn thứ Năm" in page.content.decode()
    assert f'value="{monday.isoformat()}"' in page.content.decode()
    response = client.post(reverse("registrations:edit", args=[registration.pk]), form_data(monday, weekdays=(3,)))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert list(registration.days.values_list("day", flat=True)) == [monday + dt.timedelta(days=3)]


@pytest.mark.django_db
def test_colleague_cannot_edit_someone_elses_registration(city):
    registration = submit(city.staff[0], next_monday())
    services.registration_request_changes(registration=registration, actor=city.head_user, comment="Sửa lại")
    response = client_for(city.staff[1].user).get(reverse("registrations:edit", args=[registration.pk]))
    assert response.status_code == 404


# ----------------------------------------------------------------------------------------------- eligibility


@pytest.mark.django_db
def test_eligibility_lists_every_rule_with_its_parameter_and_source(city):
    response = client_for(city.clerk.user).get(reverse("registrations:eligibility"))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-eligible="no"' in content
    assert 'data-rule="not_one_stop_desk" data-passed="no"' in content
    assert 'data-rule="equipment" data-passed="yes"' in content
    assert "Loại trừ vị trí tiếp xúc người dân" in content  # the parameter's label, never its key
    assert "exclude_citizen_facing</" not in content
    assert "Thí điểm TP.HCM v1" in content  # where the parameter came from


@pytest.mark.django_db
def test_eligibility_on_a_chosen_date(city):
    later = dt.date.today() + dt.timedelta(days=1000)  # after the pilot's last phase
    response = client_for(city.staff[0].user).get(reverse("registrations:eligibility"), {"date": later.isoformat()})
    assert 'data-rule="pilot_phase" data-passed="no"' in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("viewer", "subject", "expected"),
    [("head", "staff", 200), ("hr", "staff", 200), ("home_affairs", "outsider", 200), ("head", "outsider", 404), ("staff", "colleague", 404)],
)
def test_eligibility_lookup_is_limited_to_the_viewers_scope(city, viewer, subject, expected):
    user = {"head": city.head_user, "hr": city.hr, "home_affairs": city.home_affairs, "staff": city.staff[0].user}[viewer]
    code = {"staff": city.staff[0].code, "outsider": city.outsider.code, "colleague": city.staff[1].code}[subject]
    response = client_for(user).get(reverse("registrations:eligibility"), {"staff": code})
    assert response.status_code == expected
    if expected == 200:
        assert code in response.content.decode()


# ----------------------------------------------------------------------------------------------- decisions


@pytest.mark.django_db
def test_detail_shows_days_commitment_snapshot_and_audit_link(city):
    monday = next_monday()
    registration = submit(city.staff[0], monday, weekdays=(0, 2))
    response = client_for(city.head_user).get(reverse("registrations:detail", args=[registration.pk]))
    content = response.content.decode()
    assert f'data-day="{monday.isoformat()}" data-state="requested"' in content
    assert 'id="eligibility-snapshot"' in content
    assert str(services.COMMITMENT_TEXT)[:40] in content
    assert reverse("portal:audit_object", args=["registrations.registration", registration.pk]) in content
    assert 'id="decider-actions"' in content
    assert "0 / 3" in content  # the unit's load on each requested day: none approved, three allowed


@pytest.mark.django_db
def test_owner_sees_withdraw_but_not_the_decision(city):
    registration = submit(city.staff[0], next_monday())
    content = client_for(city.staff[0].user).get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert reverse("registrations:withdraw", args=[registration.pk]) in content
    assert 'id="decider-actions"' not in content


@pytest.mark.django_db
def test_approve_through_the_view(city):
    monday = next_monday()
    registration = submit(city.staff[0], monday)
    response = client_for(city.head_user).post(reverse("registrations:approve", args=[registration.pk]), {"comment": "Đồng ý"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.decision_comment == "Đồng ý"
    assert list(registration.days.filter(is_counted=True).values_list("day", flat=True)) == [monday]


@pytest.mark.django_db
def test_reject_needs_a_reason_through_the_view(city):
    registration = submit(city.staff[0], next_monday())
    client = client_for(city.head_user)
    refused = client.post(reverse("registrations:reject", args=[registration.pk]), {"comment": " "})
    assert refused.status_code == 422
    assert 'data-rule="reason"' in refused.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    client.post(reverse("registrations:reject", args=[registration.pk]), {"comment": "Thiếu người trực"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REJECTED
    assert registration.decision_comment == "Thiếu người trực"


@pytest.mark.django_db
def test_request_changes_through_the_view(city):
    registration = submit(city.staff[0], next_monday())
    client_for(city.head_user).post(reverse("registrations:request_changes", args=[registration.pk]), {"comment": "Đổi sang thứ Ba"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHANGES_REQUESTED
    page = client_for(city.staff[0].user).get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    assert reverse("registrations:edit", args=[registration.pk]) in page


@pytest.mark.django_db
def test_revoke_shows_the_notice_first_then_revokes(city):
    monday = next_monday()
    registration = submit(city.staff[0], monday, weekdays=(0, 3), weeks=4)
    services.registration_approve(registration=registration, actor=city.head_user)
    client = client_for(city.head_user)
    page = client.get(reverse("registrations:detail", args=[registration.pk])).content.decode()
    effective_on, notice = services.revocation_effective_on(registration, dt.date.today())
    assert 'id="revocation-notice"' in page
    assert effective_on.strftime("%d/%m/%Y") in page
    response = client.post(reverse("registrations:revoke", args=[registration.pk]), {"comment": "Thay đổi nhiệm vụ"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REVOKED
    assert registration.revoked_effective_on == effective_on
    assert not registration.days.filter(is_counted=True, day__gt=effective_on).exists()


@pytest.mark.django_db
def test_refused_approval_shows_the_rule_and_changes_nothing(city):
    # Ten staff, at most 30 % at home: three approved Mondays fill the unit.
    monday = next_monday()
    registrations = [submit(member, monday) for member in city.staff[:4]]
    for registration in registrations[:3]:
        services.registration_approve(registration=registration, actor=city.head_user)
    response = client_for(city.head_user).post(reverse("registrations:approve", args=[registrations[3].pk]), {"comment": ""})
    assert response.status_code == 409
    assert 'data-rule="max_home_share"' in response.content.decode()
    registrations[3].refresh_from_db()
    assert registrations[3].status == RegistrationStatus.SUBMITTED
    assert registrations[3].decided_at is None
    assert RegistrationDay.objects.filter(day=monday, is_counted=True).count() == 3
    assert not AuditEvent.objects.filter(action="registration.approve", object_id=str(registrations[3].pk)).exists()


@pytest.mark.django_db
def test_agency_hr_sees_but_cannot_decide(city):
    registration = submit(city.staff[0], next_monday())
    response = client_for(city.hr).post(reverse("registrations:approve", args=[registration.pk]))
    assert response.status_code == 403
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_colleague_cannot_act_on_an_invisible_registration(city):
    registration = submit(city.staff[0], next_monday())
    response = client_for(city.staff[1].user).post(reverse("registrations:withdraw", args=[registration.pk]))
    assert response.status_code == 404
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_owner_withdraws(city):
    registration = submit(city.staff[0], next_monday())
    response = client_for(city.staff[0].user).post(reverse("registrations:withdraw", args=[registration.pk]))
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.WITHDRAWN


# ----------------------------------------------------------------------------------------------- inbox


@pytest.mark.django_db
def test_inbox_lists_pending_oldest_first_with_the_units_load(city):
    monday = next_monday()
    first = submit(city.staff[0], monday)
    second = submit(city.staff[1], monday)
    approved = submit(city.staff[2], monday)
    services.registration_approve(registration=approved, actor=city.head_user)
    content = client_for(city.head_user).get(reverse("registrations:inbox")).content.decode()
    assert content.index(f'id="inbox-row-{first.pk}"') < content.index(f'id="inbox-row-{second.pk}"')
    assert f'id="inbox-row-{approved.pk}"' not in content
    assert f"{monday:%d/%m} · 1/3" in content


@pytest.mark.django_db
def test_inbox_empty_state(city):
    content = client_for(city.head_user).get(reverse("registrations:inbox")).content.decode()
    assert 'id="inbox-empty"' in content


@pytest.mark.django_db
def test_inbox_approves_in_place_with_htmx(city):
    registration = submit(city.staff[0], next_monday())
    response = client_for(city.head_user).post(
        reverse("registrations:approve", args=[registration.pk]), {"from": "inbox", "comment": ""}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.strip().startswith(f'<div class="card mb-2 inbox-row" id="inbox-row-{registration.pk}"')
    assert 'data-outcome="approved"' in content
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED


@pytest.mark.django_db
def test_inbox_refusal_is_shown_in_place_and_changes_nothing(city):
    monday = next_monday()
    registrations = [submit(member, monday) for member in city.staff[:4]]
    for registration in registrations[:3]:
        services.registration_approve(registration=registration, actor=city.head_user)
    client = client_for(city.head_user)
    response = client.post(reverse("registrations:approve", args=[registrations[3].pk]), {"from": "inbox"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-rule="max_home_share"' in response.content.decode()
    rejected = client.post(reverse("registrations:reject", args=[registrations[3].pk]), {"from": "inbox", "comment": ""}, HTTP_HX_REQUEST="true")
    assert 'data-rule="reason"' in rejected.content.decode()
    registrations[3].refresh_from_db()
    assert registrations[3].status == RegistrationStatus.SUBMITTED


@pytest.mark.django_db
def test_inbox_without_htmx_redirects_back_to_the_inbox(city):
    registration = submit(city.staff[0], next_monday())
    response = client_for(city.head_user).post(reverse("registrations:request_changes", args=[registration.pk]), {"from": "inbox", "comment": "Thêm kế hoạch"})
    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:inbox")


# ----------------------------------------------------------------------------------------------- overview


@pytest.mark.django_db
def test_overview_grid_shows_approved_pending_leaders_and_the_daily_limit(city):
    monday = next_monday()
    approved = submit(city.staff[0], monday)
    services.registration_approve(registration=approved, actor=city.head_user)
    submit(city.staff[1], monday)
    week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    response = client_for(city.head_user).get(reverse("registrations:overview"), {"week": week})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count('data-cell="approved"') == 1
    assert content.count('data-cell="pending"') == 1
    assert "bi-star-fill" in content  # the head is marked as a leader
    assert f'data-day="{monday.isoformat()}"' in content
    assert "1 / 3" in content


@pytest.mark.django_db
def test_overview_marks_a_full_day(city):
    monday = next_monday()
    for member in city.staff[:3]:
        services.registration_approve(registration=submit(member, monday), actor=city.head_user)
    week = "{}-W{:02d}".format(*monday.isocalendar()[:2])
    content = client_for(city.head_user).get(reverse("registrations:overview"), {"week": week}).content.decode()
    assert f'data-day="{monday.isoformat()}" data-full="yes"' in content


@pytest.mark.django_db
def test_overview_shows_public_holidays_as_closed(city):
    # 2 September (National Day) 2027 is a Thursday.
    content = client_for(city.head_user).get(reverse("registrations:overview"), {"week": "2027-W35"}).content.decode()
    assert 'data-day="2027-09-02"' in content
    assert 'data-cell="closed"' in content


@pytest.mark.django_db
def test_overview_of_a_unit_outside_scope_is_not_found(city):
    response = client_for(city.head_user).get(reverse("registrations:overview"), {"unit": city.outsider.unit_id})
    assert response.status_code == 404


@pytest.mark.django_db
def test_overview_week_navigation(city):
    content = client_for(city.head_user).get(reverse("registrations:overview"), {"week": "2026-W49"}).content.decode()
    assert "week=2026-W48" in content
    assert "week=2026-W50" in content
    assert 'data-day="2026-11-30"' in content


# ----------------------------------------------------------------------------------------------- language


@pytest.mark.django_db
def test_refusals_read_in_vietnamese_by_default(city):
    monday = next_monday()
    services.registration_approve(registration=submit(city.staff[0], monday), actor=city.head_user)
    client = client_for(city.staff[0].user)
    over_cap = client.post(reverse("registrations:new"), form_data(monday + dt.timedelta(days=7), weekdays=(0, 2, 4))).content.decode()
    overlap = client.post(reverse("registrations:new"), form_data(monday, weekdays=(0,))).content.decode()
    assert "quy định cho phép tối đa 2 ngày mỗi tuần" in over_cap
    assert f"Ngày {monday:%d/%m/%Y} đã là ngày làm việc tại nhà được duyệt trong một đăng ký khác." in overlap


@pytest.mark.django_db
def test_pages_are_vietnamese_first_and_follow_the_chosen_language(city):
    client = client_for(city.staff[0].user)
    vietnamese = client.get(reverse("registrations:new"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(reverse("registrations:new")).content.decode()
    assert "I accept this commitment" in english
    assert "Tôi đồng ý với cam kết này" in vietnamese


@pytest.mark.django_db
def test_check_on_the_edit_page_excludes_the_registration_itself(city):
    monday = next_monday()
    registration = submit(city.staff[0], monday, weekdays=(0, 1))
    services.registration_request_changes(registration=registration, actor=city.head_user, comment="Bớt một ngày")
    response = client_for(city.staff[0].user).post(
        reverse("registrations:edit_check", args=[registration.pk]), form_data(monday, weekdays=(1,)), HTTP_HX_REQUEST="true"
    )
    assert 'data-check="ok"' in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CHANGES_REQUESTED
    assert list(registration.days.values_list("day", flat=True)) == [monday, monday + dt.timedelta(days=1)]


@pytest.mark.django_db
def test_check_warns_when_little_work_is_planned_on_the_home_days(city):
    monday = next_monday()
    response = client_for(city.staff[0].user).post(
        reverse("registrations:check"),
        {
            "starts_on": monday.isoformat(),
            "ends_on": (monday + dt.timedelta(days=4)).isoformat(),
            "mode": "weekly",
            "weekdays": ["0"],
            "equipment": ["computer", "internet", "phone", "printer"],
            "commitment_accepted": "on",
        },
    )
    content = response.content.decode()
    assert 'data-check="ok"' in content
    # Nothing is assigned to this person: 0 h planned against the 8 h norm, so the check warns without refusing.
    assert 'data-home-days-workload="under"' in content


@pytest.mark.django_db
@pytest.mark.frozen_at("2027-01-20")
def test_check_offers_to_leave_out_the_day_of_a_holiday_week_that_conflicts(city):
    client = client_for(city.staff[0].user)
    data = form_data(dt.date(2027, 1, 25), weekdays=(0, 1), ends_on="2027-02-19")
    refused = client.post(reverse("registrations:check"), data, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-check="refused"' in refused
    assert refused.count('data-skip-date="2027-02-02"') == 1  # named by two rules, offered once
    assert "Bỏ ngày 02/02/2027" in refused
    passing = client.post(reverse("registrations:check"), {**data, "skip_dates": ["2027-02-02"]}, HTTP_HX_REQUEST="true").content.decode()
    assert 'data-check="ok"' in passing
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_form_says_how_weekly_limits_scale_in_a_holiday_week(city):
    page = client_for(city.staff[0].user).get(reverse("registrations:new")).content.decode()
    assert "một tuần có bốn ngày làm việc cho phép tối đa 2 ngày tại nhà và tối thiểu 2 ngày tại cơ quan" in page
