"""The evaluation pages: who sees what, the head's inline decision, the breakdown, the appeal, and the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telework.evaluations import services
from telework.evaluations.models import Evaluation, PeriodStatus
from telework.evaluations.tests.helpers import agency_head, computed_quarter

pytestmark = pytest.mark.django_db


def evaluation_of(period, staff) -> Evaluation:
    return Evaluation.objects.get(period=period, staff=staff)


@pytest.mark.parametrize(
    ("who", "status"),
    [("head", 200), ("hr", 200), ("home_affairs", 200), ("leadership", 200), ("outsider", 404), ("staff", 404)],
)
def test_unit_page_by_role(client, city, who, status):
    period = computed_quarter(city)
    users = {
        "head": city.head_user,
        "hr": city.hr,
        "home_affairs": city.home_affairs,
        "leadership": city.leadership,
        "outsider": city.outsider.user,
        "staff": city.staff[0].user,
    }
    client.force_login(users[who])
    response = client.get(reverse("evaluations:unit", args=[period.pk, city.unit.pk]))
    assert response.status_code == status


@pytest.mark.parametrize(("who", "status"), [("own", 200), ("head", 200), ("colleague", 404), ("outsider", 404)])
def test_breakdown_page_by_role(client, city, who, status):
    period = computed_quarter(city)
    users = {"own": city.staff[0].user, "head": city.head_user, "colleague": city.staff[1].user, "outsider": city.outsider.user}
    client.force_login(users[who])
    response = client.get(reverse("evaluations:evaluation", args=[evaluation_of(period, city.staff[0]).pk]))
    assert response.status_code == status


def test_breakdown_cites_decree_and_article_in_vietnamese(client, city):
    period = computed_quarter(city)
    client.force_login(city.staff[0].user)
    response = client.get(reverse("evaluations:evaluation", args=[evaluation_of(period, city.staff[0]).pk]), HTTP_ACCEPT_LANGUAGE="vi")
    content = response.content.decode()
    assert "Nghị định 335/2025/NĐ-CP, Điều 14" in content
    assert "Result not published yet" in content or "chưa công bố" in content


def test_head_changes_a_level_inline_and_the_reason_is_required(client, city):
    period = computed_quarter(city)
    evaluation = evaluation_of(period, city.staff[0])
    client.force_login(city.head_user)
    url = reverse("evaluations:decide", args=[evaluation.pk])
    response = client.post(url, {"level": "completed", "reason": ""}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-rule="change_reason"' in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.final_level == ""
    response = client.post(url, {"level": "completed", "reason": "Chậm tiến độ báo cáo"}, HTTP_HX_REQUEST="true")
    evaluation.refresh_from_db()
    assert (evaluation.final_level, evaluation.change_reason) == ("completed", "Chậm tiến độ báo cáo")
    assert f'id="evaluation-{evaluation.pk}"' in response.content.decode()


def test_head_scores_general_criteria_inline(client, city):
    period = computed_quarter(city)
    evaluation = evaluation_of(period, city.staff[0])
    client.force_login(city.head_user)
    client.post(
        reverse("evaluations:decide", args=[evaluation.pk]),
        {"level": "excellent", "reason": "", "ethics": "7.5", "discipline": "7.5", "service_attitude": "7.5", "innovation": "7.5"},
        HTTP_HX_REQUEST="true",
    )
    evaluation.refresh_from_db()
    assert (float(evaluation.score), evaluation.final_level) == (100.0, "excellent")


def test_period_actions_by_hr_and_refused_to_the_head(client, city):
    period = computed_quarter(city)
    client.force_login(city.head_user)
    client.post(reverse("evaluations:start_review", args=[period.pk]))
    period.refresh_from_db()
    assert period.status == PeriodStatus.SELF_ASSESSMENT
    client.force_login(city.hr)
    client.post(reverse("evaluations:start_review", args=[period.pk]))
    period.refresh_from_db()
    assert period.status == PeriodStatus.HEAD_REVIEW


def test_period_page_shows_levels_quota_and_home_vs_office(client, city):
    period = computed_quarter(city)
    client.force_login(city.hr)
    response = client.get(reverse("evaluations:period", args=[period.pk]))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="quota-panel"' in content
    assert city.unit.name in content


def test_open_a_period_from_the_home_page(client, city):
    client.force_login(city.hr)
    response = client.post(reverse("evaluations:period_create"), {"kind": "quarter", "number": "4", "year": "2026", "agency": str(city.agency.pk)})
    assert response.status_code == 302
    assert city.agency.evaluation_periods.get().number == 4


def test_appeal_once_through_the_page(client, city):
    period = computed_quarter(city)
    services.period_start_review(period=period, actor=city.hr)
    services.head_confirm_unit(period=period, actor=city.head_user, evaluations=list(Evaluation.objects.filter(period=period).select_related("unit", "staff")))
    decider = agency_head(city)
    for evaluation in Evaluation.objects.filter(period=period, final_level=""):
        services.head_confirm_or_change(evaluation=evaluation, actor=decider, level=evaluation.proposed_level or "completed", reason="Không có việc")
    services.period_lock(period=period, actor=city.hr)
    services.period_publish(period=period, actor=city.hr)
    evaluation = evaluation_of(period, city.staff[0])
    client.force_login(city.staff[0].user)
    url = reverse("evaluations:appeal", args=[evaluation.pk])
    assert client.post(url, {"text": "Xin xem lại"}).status_code == 302
    response = client.post(url, {"text": "Lần hai"})
    assert response.status_code == 409
    assert 'data-rule="evaluation.appeal_once"' in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.appeal_text == "Xin xem lại"
    client.force_login(decider)
    assert city.staff[0].full_name in client.get(reverse("evaluations:appeals")).content.decode()


def test_api_breakdown_in_both_languages(client, city):
    period = computed_quarter(city)
    client.force_login(city.staff[0].user)
    response = client.get(f"/api/evaluations/{evaluation_of(period, city.staff[0]).pk}")
    assert response.status_code == 200
    body = response.json()
    quantity = next(line for line in body["breakdown"] if line["code"] == "tasks.quantity")
    assert quantity["citation_vi"] == "Nghị định 335/2025/NĐ-CP, Điều 14, khoản 2"
    assert body["final_level"] is None
    assert client.get(f"/api/evaluations/{evaluation_of(period, city.staff[1]).pk}").status_code == 404


def test_unit_page_queries_do_not_grow_with_the_unit(client, city, django_assert_max_num_queries):
    from telework.organization.tests.factories import StaffFactory

    period = computed_quarter(city)
    client.force_login(city.head_user)
    url = reverse("evaluations:unit", args=[period.pk, city.unit.pk])
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for index in range(10):
        StaffFactory(unit=city.unit, position=city.staff[0].position, full_name=f"Người mới {index}")
    services.period_run(period=period, actor=city.hr)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
