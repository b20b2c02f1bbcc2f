"""A desk that needs more staff on some weekdays: set on the desk's form, kept with the desk, shown in the list,
and refused when a weekday needs more staff than are qualified."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telework.core.models import AuditEvent
from telework.organization.models import ServicePoint

pytestmark = pytest.mark.django_db


def desk_form(city, **changes):  # type: ignore[no-untyped-def]
    data = {
        "unit": city.unit.pk,
        "name": "Quầy trả kết quả",
        "kind": "one_stop_desk",
        "code": "",
        "required_on_site": "1",
        "required_monday": "2",
        "required_friday": "",
        "qualified_staff": [city.clerk.pk, city.staff[0].pk],
    }
    data.update(changes)
    return data


def test_a_desk_needing_two_on_mondays_and_one_otherwise_is_saved_audited_and_listed(client, city):
    client.force_login(city.hr)

    response = client.post(reverse("organization:service_point_create"), desk_form(city))

    assert response.status_code == 302
    point = ServicePoint.objects.get(name="Quầy trả kết quả")
    assert point.required_by_weekday == [2, None, None, None, None]
    assert [point.required_on_weekday(weekday, 1) for weekday in range(5)] == [2, 1, 1, 1, 1]
    assert AuditEvent.objects.get(action="service_point.create").after["required_by_weekday"] == [2, None, None, None, None]
    listing = client.get(reverse("organization:service_points"), {"agency": city.agency.pk}).content.decode()
    assert "Riêng: Thứ Hai 2" in listing
    edit = client.get(reverse("organization:service_point_edit", args=[point.pk])).content.decode()
    assert 'name="required_monday" id="id_required_monday" min="1" max="20" class="form-control form-control-sm" value="2"' in edit


def test_a_weekday_needing_more_staff_than_are_qualified_is_refused_and_nothing_is_saved(client, city):
    client.force_login(city.hr)

    response = client.post(reverse("organization:service_point_create"), desk_form(city, required_monday="3"))

    assert response.status_code == 200
    assert 'data-field-error="required_monday"' in response.content.decode()
    assert not ServicePoint.objects.filter(name="Quầy trả kết quả").exists()


def test_clearing_every_weekday_goes_back_to_the_same_need_every_day(client, city):
    client.force_login(city.hr)
    client.post(reverse("organization:service_point_create"), desk_form(city))
    point = ServicePoint.objects.get(name="Quầy trả kết quả")

    response = client.post(reverse("organization:service_point_edit", args=[point.pk]), desk_form(city, required_monday="", code=point.code))

    assert response.status_code == 302
    point.refresh_from_db()
    assert point.required_by_weekday == []
