"""Issue 9 point 5 on the pages: the level selector starts empty, number inputs carry the rule's limits, the quota
panel names the group and why, criteria versions are created and published from the UI, the agency settings, the
organisations' levels, and no parameter key or "article not verified" on a screen or the PDF."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from telework.core.models import AuditEvent
from telework.evaluations import exports, services
from telework.evaluations.models import CriteriaSet, Evaluation, EvaluationSettings, OrganisationRating, PeriodKind
from telework.evaluations.scoring import PARAMETER_LABELS
from telework.evaluations.tests.helpers import FULL, agency_head, computed_quarter, work
from telework.evaluations.tests.test_services import published

pytestmark = pytest.mark.django_db


def evaluation_of(period, staff) -> Evaluation:
    return Evaluation.objects.get(period=period, staff=staff)


def test_level_selector_starts_empty_and_number_inputs_carry_the_rule_limits(client, city):
    period = computed_quarter(city)
    client.force_login(city.head_user)
    content = client.get(reverse("evaluations:unit", args=[period.pk, city.unit.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    evaluation = evaluation_of(period, city.staff[0])
    select = re.search(rf'<select[^>]*id="level-{evaluation.pk}"[^>]*>(.*?)</select>', content, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', select) == [""]
    inputs = re.findall(rf'<input[^>]*id="g-{evaluation.pk}-[a-z_]+"[^>]*>', content)
    assert len(inputs) == 4
    for tag in inputs:
        assert 'min="0"' in tag
        assert 'max="7.5"' in tag
        assert 'step="0.25"' in tag


def test_a_decided_level_is_shown_selected(client, city):
    period = computed_quarter(city)
    evaluation = evaluation_of(period, city.staff[0])
    services.head_confirm_or_change(evaluation=evaluation, actor=city.head_user, level="good")
    client.force_login(city.head_user)
    content = client.get(reverse("evaluations:unit", args=[period.pk, city.unit.pk])).content.decode()
    select = re.search(rf'<select[^>]*id="level-{evaluation.pk}"[^>]*>(.*?)</select>', content, re.S).group(1)
    assert re.findall(r'<option value="([^"]*)"[^>]*selected', select) == ["good"]


def test_posting_no_level_is_refused_and_changes_nothing(client, city):
    period = computed_quarter(city)
    evaluation = evaluation_of(period, city.staff[0])
    client.force_login(city.head_user)
    client.post(reverse("evaluations:decide", args=[evaluation.pk]), {"level": "", "reason": ""})
    evaluation.refresh_from_db()
    assert (evaluation.final_level, evaluation.decided_by) == ("", None)


def test_quota_panel_names_the_group_and_why(client, city):
    period = computed_quarter(city)
    services.head_confirm_or_change(evaluation=evaluation_of(period, city.clerk), actor=city.head_user, level="excellent", general=FULL)
    client.force_login(city.head_user)
    client.cookies["django_language"] = "en"
    content = client.get(reverse("evaluations:unit", args=[period.pk, city.unit.pk])).content.decode()
    assert "Groups: By job position (vị trí việc làm); capped on their own from 6 people; ceiling 20 % of “good”." in content
    assert "Group “Cán bộ một cửa”: 1 people, fewer than the minimum of 6, so it is not capped on its own" in content
    assert 'data-staff="' + city.clerk.code + '"' not in content.split('id="quota-panel"')[1]


def test_breakdown_and_pdf_show_no_parameter_key_and_never_article_not_verified(client, city):
    city.staff[3].staff_type = "vien_chuc"
    city.staff[3].save()
    period = published(city)
    for staff in (city.staff[0], city.staff[3], city.head):
        evaluation = evaluation_of(period, staff)
        client.force_login(city.home_affairs)
        for language in ("vi", "en"):
            client.cookies["django_language"] = language
            content = client.get(reverse("evaluations:evaluation", args=[evaluation.pk])).content.decode()
            assert "not verified" not in content
            assert "chưa xác minh" not in content
            for key in PARAMETER_LABELS:
                assert key not in content
    pdf_html = exports.evaluation_pdf_html(evaluation_of(period, city.staff[3]), language="vi")
    assert "chưa xác minh" not in pdf_html
    assert "Nghị định 233/2026/NĐ-CP; tham số của bộ tiêu chí “Ngưỡng xếp loại trên thang điểm 100”" in pdf_html


def test_home_affairs_creates_and_publishes_a_criteria_version_from_the_page(client, city):
    client.force_login(city.staff[0].user)
    assert client.get(reverse("evaluations:criteria")).status_code == 404
    client.force_login(city.home_affairs)
    page = client.get(reverse("evaluations:criteria")).content.decode()
    assert 'name="cap_ratio" id="decree_335_2025-cap_ratio" value="0.2"' in page
    assert "cap_ratio</" not in page
    assert ">cap_ratio" not in page
    response = client.post(
        reverse("evaluations:criteria"), {"regime": "decree_335_2025", "name": "NĐ 335 — 2027", "cap_ratio": "0.15", "appeal_working_days": "7"}
    )
    assert response.status_code == 302
    draft = CriteriaSet.objects.get(regime="decree_335_2025", version=2)
    assert (draft.name, draft.parameters["cap_ratio"], draft.published_at) == ("NĐ 335 — 2027", 0.15, None)
    client.force_login(city.hr)
    assert client.post(reverse("evaluations:criteria_publish", args=[draft.pk])).status_code == 404
    client.force_login(city.home_affairs)
    client.post(reverse("evaluations:criteria_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert AuditEvent.objects.filter(object_id=str(draft.pk), action__in=["criteria_set.create", "criteria_set.publish"]).count() == 2


def test_criteria_version_with_an_out_of_range_parameter_is_refused(client, city):
    client.force_login(city.home_affairs)
    response = client.post(reverse("evaluations:criteria"), {"regime": "decree_335_2025", "name": "", "cap_ratio": "0.9"})
    assert response.status_code == 422
    assert CriteriaSet.objects.filter(regime="decree_335_2025").count() == 1


def test_agency_settings_page_saves_the_grouping(client, city):
    url = reverse("evaluations:agency_settings", args=[city.agency.pk])
    client.force_login(city.head_user)
    assert client.get(url).status_code == 404
    client.force_login(city.hr)
    page = client.get(url).content.decode()
    assert 'type="number" min="2" max="500" step="1" name="minimum_group_size"' in page
    client.post(url, {"peer_grouping": "unit", "minimum_group_size": "4", "has_own_233_regulation": "1"})
    settings = EvaluationSettings.objects.get(agency=city.agency)
    assert (settings.peer_grouping, settings.minimum_group_size, settings.has_own_233_regulation) == ("unit", 4, True)


def test_organisation_level_from_the_period_page_caps_the_head_on_the_next_computation(client, city):
    period = computed_quarter(city)
    client.force_login(city.hr)
    client.post(reverse("evaluations:organisation_rate", args=[period.pk]), {"unit": city.unit.pk, "level": "completed", "reason": "Chậm chỉ tiêu"})
    assert OrganisationRating.objects.get(period=period, unit=city.unit).level == "completed"
    client.post(reverse("evaluations:run", args=[period.pk]))
    assert evaluation_of(period, city.head).proposed_level == "completed"


def test_year_row_asks_months_worked_with_limits(client, city):
    work(city, city.staff[0])
    period = services.period_create(actor=city.hr, kind=PeriodKind.YEAR, year=2026, number=1, agency=city.agency)
    services.period_run(period=period, actor=city.hr)
    client.force_login(city.head_user)
    content = client.get(reverse("evaluations:unit", args=[period.pk, city.unit.pk])).content.decode()
    assert 'type="number" min="0" max="12" step="0.5" name="months_worked"' in content


@pytest.mark.frozen_at("2027-02-03 09:00")
def test_appeals_page_shows_the_deadline(client, city):
    period = published(city)
    services.evaluation_appeal(evaluation=evaluation_of(period, city.staff[0]), actor=city.staff[0].user, text="Xin xem lại")
    client.force_login(agency_head(city))
    client.cookies["django_language"] = "en"
    content = client.get(reverse("evaluations:appeals")).content.decode()
    assert "To be answered by 19/02/2027" in content
    assert dt.date(2027, 2, 19) == evaluation_of(period, city.staff[0]).appeal_due_on


@pytest.mark.frozen_at("2027-02-03 09:00")
def test_the_person_reads_their_appeal_deadline_with_its_article(client, city):
    period = published(city)
    evaluation = services.evaluation_appeal(evaluation=evaluation_of(period, city.staff[0]), actor=city.staff[0].user, text="Xin xem lại")
    client.force_login(city.staff[0].user)
    content = client.get(reverse("evaluations:evaluation", args=[evaluation.pk])).content.decode()
    assert "Hạn giải quyết: 19/02/2027 (7 ngày làm việc; Nghị định 335/2025/NĐ-CP, Điều 22)." in content
