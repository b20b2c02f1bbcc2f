"""The estimates page, the review report and the yearly report: who reads them, what they say, in words."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.accounts.models import Role
from telework.assessment import estimates, reports
from telework.assessment.models import Estimate, EstimateStatus
from telework.assessment.tests.estimate_world import build_estimate_world
from telework.organization.tests.factories import StaffFactory, UserFactory

KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def _visible_text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.fixture
def estimated(db, django_capture_on_commit_callbacks):
    world = build_estimate_world()
    with django_capture_on_commit_callbacks(execute=True):
        estimates.estimates_request(actor=world.world.home_affairs, phase=world.phase, indicators=["dossier_on_time_rate", "dossier_overdue"])
    return world


def test_the_page_shows_each_verdict_interval_and_how_to_reproduce_it_in_words(estimated, client):
    client.force_login(estimated.world.leadership)
    response = client.get(reverse("assessment:phase_estimates", args=[estimated.phase.pk]))
    assert response.status_code == 200
    text = _visible_text(response.content.decode())
    assert "Hồ sơ trả đúng hạn" in text or "đúng hạn" in text
    assert "Khoảng tin cậy 95%" in text
    digest = Estimate.objects.get(indicator="dossier_on_time_rate").inputs_digest
    assert digest in text
    assert "pyfixest" in text
    assert not [key for key in KEY.findall(text) if key not in {"pyfixest"}]


def test_the_inputs_download_is_the_stored_csv(estimated, client):
    estimate = Estimate.objects.get(indicator="dossier_on_time_rate")
    client.force_login(estimated.world.home_affairs)
    response = client.get(reverse("assessment:estimate_inputs", args=[estimate.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert response.content == estimates.inputs_of(estimate)
    assert response.content.startswith(b"record,unit_id,agency_id,week,value,weight")


@pytest.mark.parametrize("role", [Role.UNIT_HEAD, Role.AGENCY_HEAD, Role.STAFF])
def test_no_one_outside_the_city_readers_sees_the_estimates_or_the_reports(estimated, client, role):
    head = UserFactory(username=f"truong-{role}", role=role)
    StaffFactory(unit=estimated.world.units[0], user=head)
    client.force_login(head)
    estimate = Estimate.objects.get(indicator="dossier_on_time_rate")
    for url in (
        reverse("assessment:phase_estimates", args=[estimated.phase.pk]),
        reverse("assessment:estimate_inputs", args=[estimate.pk]),
        reverse("assessment:review_report", args=[estimated.phase.pk, "pdf"]),
        reverse("assessment:yearly_report"),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("assessment:phase_estimates", args=[estimated.phase.pk])).status_code == 403
    assert Estimate.objects.count() == 2


def test_an_unknown_phase_answers_404(estimated, client):
    client.force_login(estimated.world.home_affairs)
    assert client.get(reverse("assessment:phase_estimates", args=[estimated.phase.pk + 999])).status_code == 404


def test_the_button_queues_the_design_indicators(db, client, django_capture_on_commit_callbacks):
    world = build_estimate_world()
    client.force_login(world.world.leadership)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("assessment:phase_estimates", args=[world.phase.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert sorted(Estimate.objects.values_list("indicator", flat=True)) == sorted(estimates.design_indicators(world.design))
    assert set(Estimate.objects.values_list("status", flat=True)) == {EstimateStatus.QUEUED}
    page = client.get(reverse("assessment:phase_estimates", args=[world.phase.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in page
    assert "Đang tính trong nền" in page


def test_the_review_report_prints_the_motto_design_estimates_and_a_blank_decision(estimated, client):
    report = reports.in_vietnamese(reports.review_report, estimated.phase)
    html = reports.report_html(report)
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Nơi nhận:",
        "KT. GIÁM ĐỐC",
        "Chọn ngẫu nhiên",
        "2026",
        "Khoảng tin cậy 95%",
        "☐ Mở rộng",
        "☐ Dừng",
    ):
        assert words in html, words
    assert not KEY.findall(_visible_text(html))
    client.force_login(estimated.world.leadership)
    pdf = client.get(reverse("assessment:review_report", args=[estimated.phase.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_review_report_in_excel_keeps_text_as_text(estimated, client):
    client.force_login(estimated.world.home_affairs)
    response = client.get(reverse("assessment:review_report", args=[estimated.phase.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    assert any(cell.startswith("Số: ") for cell in cells)
    assert "Nơi nhận:" in cells
    digest = Estimate.objects.get(indicator="dossier_on_time_rate").inputs_digest[:12]
    assert digest in cells
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)


def test_the_yearly_report_counts_staff_in_scope_and_participation(estimated, client):
    client.force_login(estimated.world.leadership)
    page = client.get(reverse("assessment:yearly_report"), {"year": "2026"})
    assert page.status_code == 200
    text = _visible_text(page.content.decode())
    assert "BÁO CÁO" in text
    assert not KEY.findall(text)
    xlsx = client.get(reverse("assessment:yearly_report"), {"year": "2026", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cells
    pdf = client.get(reverse("assessment:yearly_report"), {"year": "2026", "format": "pdf"})
    assert pdf.content.startswith(b"%PDF")
