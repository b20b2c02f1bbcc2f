"""The staff list offers "Xuất theo mẫu nhập" (the importer's layout, for export → edit → re-import) to those who
manage the agency, and only to them."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


def test_hr_sees_the_import_layout_export_on_the_staff_list_and_it_downloads(client, city):
    client.force_login(city.hr)
    page = client.get(reverse("organization:staff_list")).content.decode()
    link = f'href="{reverse("organization:staff_export")}?agency={city.agency.pk}" id="staff-export-import-layout"'
    assert link in page
    assert "Xuất theo mẫu nhập" in page
    response = client.get(f"{reverse('organization:staff_export')}?agency={city.agency.pk}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="danh-sach-can-bo-{city.agency.code.lower()}.xlsx"'
    load_workbook(io.BytesIO(response.content))  # a workbook, not an error page


@pytest.mark.parametrize("who", ["head", "staff"])
def test_those_who_do_not_manage_the_agency_see_no_import_layout_export(client, city, who):
    client.force_login({"head": city.head_user, "staff": city.staff[0].user}[who])
    page = client.get(reverse("organization:staff_list")).content.decode()
    assert "staff-export-import-layout" not in page
