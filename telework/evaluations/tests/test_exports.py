"""The classification list in Excel and the PDF per person."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.evaluations import services
from telework.evaluations.models import Evaluation
from telework.evaluations.tests.helpers import agency_head, computed_quarter

pytestmark = pytest.mark.django_db


def published(city):
    period = computed_quarter(city)
    services.period_start_review(period=period, actor=city.hr)
    services.head_confirm_unit(period=period, actor=city.head_user, evaluations=list(Evaluation.objects.filter(period=period).select_related("unit", "staff")))
    decider = agency_head(city)
    for evaluation in Evaluation.objects.filter(period=period, final_level=""):
        services.head_confirm_or_change(evaluation=evaluation, actor=decider, level=evaluation.proposed_level or "completed", reason="Không được giao việc")
    services.period_lock(period=period, actor=city.hr)
    services.period_publish(period=period, actor=city.hr)
    return period


def test_classification_list_in_excel_one_row_per_person_in_scope(client, city):
    period = published(city)
    client.force_login(city.head_user)
    response = client.get(reverse("evaluations:period_xlsx", args=[period.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A4"].value == "DANH SÁCH ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
    codes = [sheet.cell(row=row, column=3).value for row in range(8, 18)]
    assert codes == sorted(person.code for person in [city.head, *city.staff, city.clerk])
    assert sheet.cell(row=8, column=9).value == "Hoàn thành tốt nhiệm vụ (HTT)"


def test_staff_cannot_download_the_list(client, city):
    period = published(city)
    client.force_login(city.staff[0].user)
    assert client.get(reverse("evaluations:period_xlsx", args=[period.pk])).status_code == 404


def test_person_pdf_after_publication_only(client, city):
    period = computed_quarter(city)
    evaluation = Evaluation.objects.get(period=period, staff=city.staff[0])
    client.force_login(city.staff[0].user)
    assert client.get(reverse("evaluations:evaluation_pdf", args=[evaluation.pk])).status_code == 404


def test_person_pdf(client, city):
    period = published(city)
    evaluation = Evaluation.objects.get(period=period, staff=city.staff[0])
    client.force_login(city.staff[0].user)
    response = client.get(reverse("evaluations:evaluation_pdf", args=[evaluation.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == f'attachment; filename="ket-qua-danh-gia-{city.staff[0].code.lower()}-quarter-3-2026.pdf"'
