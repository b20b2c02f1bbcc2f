"""The indicator dictionary for every signed-in user; a unit's panel only for those whose scope holds the unit (a unit
head their subtree, HR their agency, Home Affairs and leadership the city), with an Excel file of data, not formulas."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from telework.accounts.models import Role
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.outcomes.models import OutcomeValue

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 18, 2, 0, tzinfo=dt.UTC)


def test_the_dictionary_lists_every_indicator_in_vietnamese(client, city):
    client.force_login(city.staff[0].user)
    response = client.get(reverse("outcomes:indicators"), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hồ sơ trả kết quả đúng hạn" in text
    assert "Số hồ sơ trả kết quả trong tuần đúng hoặc trước hạn theo quy định ÷ số hồ sơ trả kết quả trong tuần" in text
    assert "dossier_on_time_rate" not in text
    # A staff member reads no unit's panel: no link to it.
    assert 'id="unit-panel-link"' not in text


def test_the_dictionary_needs_a_sign_in(client):
    response = client.get(reverse("outcomes:indicators"))
    assert response.status_code == 302


def panel_value(city, unit=None, **fields):
    defaults = {
        "unit": unit or city.unit,
        "week": dt.date(2026, 11, 9),
        "indicator": "dossier_on_time_rate",
        "value": 0.725,
        "numerator": 29,
        "denominator": 40,
        "updated_at": NOW,
    }
    return OutcomeValue.objects.create(**(defaults | fields))


def test_a_unit_head_reads_their_unit_with_values_as_people_read_them(client, city):
    panel_value(city)
    panel_value(city, indicator="dossier_overdue", value=3, numerator=3, denominator=None)
    client.force_login(city.head_user)
    response = client.get(reverse("outcomes:unit", args=[city.unit.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    text = response.content.decode()
    assert "72,5 %" in text
    assert "09/11" in text
    rows = {row.indicator.code: row for row in response.context["panel"].rows}
    assert rows["dossier_overdue"].shown[-2] == "3"
    assert rows["dossier_overdue"].shown[-1] == "—"
    assert len(response.context["panel"].weeks) == 12


@pytest.mark.parametrize(
    ("who", "status"),
    [("head", 200), ("staff", 404), ("hr", 200), ("home_affairs", 200), ("leadership", 200), ("outsider_head", 404), ("other_agency_hr", 404)],
)
def test_who_reads_the_unit_panel(client, city, who, status):
    other = UnitFactory(name="Phòng ngoài")
    users = {
        "head": city.head_user,
        "staff": city.staff[0].user,
        "hr": city.hr,
        "home_affairs": city.home_affairs,
        "leadership": city.leadership,
        "outsider_head": StaffFactory(unit=other, user__role=Role.UNIT_HEAD).user,
        "other_agency_hr": StaffFactory(unit=other, user__role=Role.AGENCY_HR).user,
    }
    client.force_login(users[who])
    assert client.get(reverse("outcomes:unit", args=[city.unit.pk])).status_code == status
    assert client.get(reverse("outcomes:unit_xlsx", args=[city.unit.pk])).status_code == status


def test_a_unit_head_reads_a_unit_below_theirs_but_not_above(client, city):
    below = UnitFactory(agency=city.agency, parent=city.unit, name="Tổ con")
    client.force_login(city.head_user)
    assert client.get(reverse("outcomes:unit", args=[below.pk])).status_code == 200
    hr_unit = city.hr.staff.unit
    assert client.get(reverse("outcomes:unit", args=[hr_unit.pk])).status_code == 404
    # Picking a unit goes to its page; one out of scope does not exist.
    assert client.get(reverse("outcomes:unit", args=[city.unit.pk]), {"unit": below.pk}).url == reverse("outcomes:unit", args=[below.pk])
    assert client.get(reverse("outcomes:units"), {"unit": hr_unit.pk}).status_code == 404
    assert client.get(reverse("outcomes:units")).url == reverse("outcomes:unit", args=[city.unit.pk])


def test_the_excel_file_holds_numbers_and_text_never_formulas(client, city):
    city.unit.name = '=HYPERLINK("http://x","Bấm")'
    city.unit.save(update_fields=["name"])
    panel_value(city)
    client.force_login(city.home_affairs)
    response = client.get(reverse("outcomes:unit_xlsx", args=[city.unit.pk]), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].data_type == "s"
    assert sheet["A1"].value.startswith("=HYPERLINK")
    assert sheet["A4"].value == "Hồ sơ trả kết quả đúng hạn"
    assert sheet["M4"].value == pytest.approx(0.725)
    assert sheet["M4"].number_format == "0.0%"
    assert sheet["C3"].value == "31/08/2026"
