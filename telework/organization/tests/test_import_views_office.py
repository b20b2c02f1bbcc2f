"""The import screens with the office's own file: upload → map the columns → preview with the structure changes →
confirm; the mapping remembered; the staff list exported in the same layout."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.core.models import AuditEvent
from telework.organization.models import Staff, Unit

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "staff_office_300.xlsx"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.TELEWORK_IMPORT_DIR = tmp_path / "imports"


def upload(client, agency):  # type: ignore[no-untyped-def]
    handle = io.BytesIO(SAMPLE.read_bytes())
    handle.name = SAMPLE.name
    return client.post(reverse("organization:import"), {"agency": agency.pk, "file": handle})


def test_the_office_file_is_mapped_previewed_and_imported_only_with_the_structure_confirmed(client, city):
    client.force_login(city.hr)
    units_before = Unit.objects.filter(agency=city.agency).count()

    mapping = upload(client, city.agency)

    assert mapping.templates[0].name == "organization/import_mapping.html"
    page = mapping.content.decode()
    assert 'data-column="L"' in page
    assert "Trình độ chuyên môn" in page
    unknown = next(column for column in mapping.context["report"].found if column.key is None)

    preview = client.post(reverse("organization:import_columns"), {f"column-{unknown.index}": "", f"header-{unknown.index}": unknown.normalized})

    assert preview.templates[0].name == "organization/import_preview.html"
    changes = preview.context["report"].structure_changes
    assert sum(1 for kind, _plan in changes if kind == "unit") == 5
    assert len(preview.context["structure_changes"]) == len(changes) > 5
    assert preview.context["report"].proposed_superiors == 299
    assert 'id="codes-given"' in preview.content.decode()
    assert 'id="section-rows"' in preview.content.decode()
    token = preview.context["confirm"].initial["token"]

    refused = client.post(reverse("organization:import_confirm"), {"token": token})

    assert 'data-rule="import_structure_confirmed"' in refused.content.decode()
    assert Unit.objects.filter(agency=city.agency).count() == units_before
    assert not Staff.objects.filter(code__startswith="BM").exists()

    done = client.post(reverse("organization:import_confirm"), {"token": token, "accept_structure": "on"})

    assert done.status_code == 302
    result = client.get(done["Location"])
    assert 'id="import-proposed"' in result.content.decode()
    assert result.context["counts"]["proposed_superiors"] == 299
    assert Staff.objects.filter(code__startswith="BM", unit__agency=city.agency).count() == 300
    city.agency.refresh_from_db()
    assert city.agency.import_mapping["trinh do chuyen mon"] == ""
    assert AuditEvent.objects.filter(action="organization.import").count() == 1

    again = upload(client, city.agency)

    assert again.templates[0].name == "organization/import_preview.html"
    assert again.context["counts"]["unchanged"] == 300


def test_a_required_field_left_unmapped_keeps_the_user_on_the_mapping_step(client, city):
    client.force_login(city.hr)
    mapping = upload(client, city.agency)
    name_column = next(column for column in mapping.context["report"].found if column.key == "full_name")

    again = client.post(reverse("organization:import_columns"), {f"column-{name_column.index}": "", f"header-{name_column.index}": name_column.normalized})

    assert again.templates[0].name == "organization/import_mapping.html"
    assert [problem.code for problem in again.context["problems"]] == ["missing_column"]


def test_hr_exports_the_staff_list_in_the_import_layout(client, city):
    client.force_login(city.hr)

    response = client.get(reverse("organization:staff_export"))

    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A4"].value == "DANH SÁCH CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC VÀ NGƯỜI LAO ĐỘNG"
    assert [cell.value for cell in sheet[7]][:4] == ["STT", "Mã cán bộ", "Họ và tên", "Loại cán bộ"]
    codes = {row[1] for row in sheet.iter_rows(min_row=8, values_only=True) if isinstance(row[0], int)}
    assert codes == set(Staff.objects.filter(unit__agency=city.agency, is_active=True).values_list("code", flat=True))


@pytest.mark.parametrize("who", ["unit_head", "staff"])
def test_only_those_who_manage_the_organisation_export_it(client, city, who):
    client.force_login(city.head_user if who == "unit_head" else city.staff[0].user)

    assert client.get(reverse("organization:staff_export")).status_code == 403
