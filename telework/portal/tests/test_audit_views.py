"""The audit trail: append-only whoever asks, searchable city-wide by Home Affairs, scoped like its objects for everyone
else (the full role walk is in ``test_audit_scope``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from telework.accounts.models import Role
from telework.core.audit import audit_record
from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.organization.tests.factories import StaffFactory
from telework.policy import services as policy_services
from telework.portal.audit_views import changes
from telework.registrations import services as registrations


def submit(staff, monday):
    return registrations.registration_submit(
        staff=staff,
        actor=staff.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[0],
        equipment_attested=["computer", "internet", "phone", "printer"],
        commitment_accepted=True,
    )


@pytest.fixture
def trail(city):
    """Rows in two agencies: a registration approved in the city's agency, one submitted in the other agency, and a
    city-wide policy change."""
    city.head_user.first_name = "Trần Thị Trưởng"
    city.head_user.save(update_fields=["first_name"])
    monday = next_monday()
    approved = submit(city.staff[0], monday)
    registrations.registration_approve(registration=approved, actor=city.head_user, comment="Đồng ý")
    city.pilot.agencies.add(city.other_agency)
    StaffFactory.create_batch(4, unit=city.outsider.unit, position=city.outsider.position)  # room under the 30 % cap
    elsewhere = submit(city.outsider, monday)
    policy_services.policy_apply_preset(actor=city.home_affairs, preset="france", effective_from=timezone.localdate())
    return {"approved": approved, "elsewhere": elsewhere}


# --- Append-only -------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_orm_refuses_to_update_or_delete_an_audit_row(city):
    event = audit_record(actor=city.home_affairs, action="pilot.save", target=city.pilot, after={"name": "A"})
    event.reason = "sửa"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="sửa")
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.values_list("reason", flat=True).get(pk=event.pk) == ""


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statement", "params"),
    [("UPDATE core_auditevent SET reason = %s WHERE id = %s", ["sửa lén"]), ("DELETE FROM core_auditevent WHERE id = %s", [])],
)
def test_raw_sql_cannot_update_or_delete_an_audit_row(city, statement, params):
    event = audit_record(actor=city.home_affairs, action="pilot.save", target=city.pilot, after={"name": "A"})
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [*params, event.pk])
    assert AuditEvent.objects.filter(pk=event.pk, reason="").count() == 1


@pytest.mark.django_db
def test_no_page_offers_to_edit_or_delete_the_trail(client, city, trail):
    client.force_login(city.home_affairs)
    assert client.post(reverse("portal:audit")).status_code == 405
    content = client.get(reverse("portal:audit")).content.decode()
    assert 'method="post"' not in content.split("<main", 1)[1]


# --- Who sees which rows -----------------------------------------------------------------------------------------


def audit_ids(response):
    return {int(part.split('"')[0]) for part in response.content.decode().split('data-audit-id="')[1:]}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["home_affairs", "leadership", "admin"])
def test_city_wide_roles_search_every_row(client, city, trail, role):
    client.force_login(getattr(city, role))
    assert audit_ids(client.get(reverse("portal:audit"))) == set(AuditEvent.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_agency_hr_sees_only_their_agency_rows(client, city, trail):
    client.force_login(city.hr)
    seen = audit_ids(client.get(reverse("portal:audit")))
    assert seen == set(AuditEvent.objects.filter(agency_id=city.agency.pk).values_list("pk", flat=True))
    assert not seen & set(
        AuditEvent.objects.filter(object_id=str(trail["elsewhere"].pk), object_type="registrations.registration").values_list("pk", flat=True)
    )
    assert not seen & set(AuditEvent.objects.filter(agency_id__isnull=True).values_list("pk", flat=True))


@pytest.mark.django_db
def test_a_unit_head_sees_their_unit_rows_and_not_the_city_policy(client, city, trail):
    client.force_login(city.head_user)
    about_registration = set(
        AuditEvent.objects.filter(object_type="registrations.registration", object_id=str(trail["approved"].pk)).values_list("pk", flat=True)
    )
    assert set(audit_ids(client.get(reverse("portal:audit")))) == about_registration


@pytest.mark.django_db
def test_an_agency_head_sees_their_agency_rows_and_the_city_policy_they_read(client, city, trail):
    viewer = StaffFactory(unit=city.unit, position=city.staff[0].position, user__role=Role.AGENCY_HEAD).user
    client.force_login(viewer)
    expected = set(AuditEvent.objects.filter(agency_id=city.agency.pk).values_list("pk", flat=True))
    expected |= set(AuditEvent.objects.filter(object_type="policy.policy").values_list("pk", flat=True))
    assert set(audit_ids(client.get(reverse("portal:audit")))) == expected


@pytest.mark.django_db
def test_staff_members_read_the_rows_about_their_own_objects_only(client, city, trail):
    client.force_login(city.staff[0].user)
    own = set(AuditEvent.objects.filter(object_type="registrations.registration", object_id=str(trail["approved"].pk)).values_list("pk", flat=True))
    assert set(audit_ids(client.get(reverse("portal:audit")))) == own
    assert client.get(reverse("portal:audit_object", args=["registrations.registration", trail["approved"].pk])).status_code == 200
    client.force_login(city.staff[1].user)
    assert audit_ids(client.get(reverse("portal:audit"))) == set()
    assert client.get(reverse("portal:audit_object", args=["registrations.registration", trail["approved"].pk])).status_code == 404


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_log_in(client, city, trail):
    response = client.get(reverse("portal:audit"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# --- Search ------------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_filters_by_actor_action_object_type_and_text(client, city, trail):
    client.force_login(city.home_affairs)
    by_actor = audit_ids(client.get(reverse("portal:audit"), {"actor": "Thị Trưởng"}))
    assert by_actor == set(AuditEvent.objects.filter(actor=city.head_user).values_list("pk", flat=True))
    by_action = audit_ids(client.get(reverse("portal:audit"), {"action": "registration.approve"}))
    assert by_action == set(AuditEvent.objects.filter(action="registration.approve").values_list("pk", flat=True))
    by_type = audit_ids(client.get(reverse("portal:audit"), {"object_type": "policy.policy"}))
    assert by_type == set(AuditEvent.objects.filter(object_type="policy.policy").values_list("pk", flat=True))
    assert len(by_type) == 2  # the new version and the closing of the previous one
    by_text = audit_ids(client.get(reverse("portal:audit"), {"text": "Đồng ý"}))
    assert by_text == set(AuditEvent.objects.filter(action="registration.approve").values_list("pk", flat=True))


@pytest.mark.django_db
def test_filters_by_date_range(client, city, trail):
    client.force_login(city.home_affairs)
    today = timezone.localdate()
    assert audit_ids(client.get(reverse("portal:audit"), {"date_from": today.isoformat(), "date_to": today.isoformat()})) == set(
        AuditEvent.objects.values_list("pk", flat=True)
    )
    assert audit_ids(client.get(reverse("portal:audit"), {"date_to": (today - dt.timedelta(days=1)).isoformat()})) == set()
    reversed_range = client.get(reverse("portal:audit"), {"date_from": today.isoformat(), "date_to": (today - dt.timedelta(days=1)).isoformat()})
    assert 'id="id_date_to"' in reversed_range.content.decode()
    assert "invalid-feedback" in reversed_range.content.decode()


@pytest.mark.django_db
def test_results_are_paginated_fifty_a_page_newest_first(client, city, django_assert_max_num_queries):
    for index in range(120):
        audit_record(actor=city.home_affairs, action="pilot.save", target=city.pilot, after={"name": f"Tên {index}"}, reason=f"lần {index}")
    newest_first = list(AuditEvent.objects.order_by("-occurred_at", "-id").values_list("pk", flat=True))
    client.force_login(city.home_affairs)
    with django_assert_max_num_queries(15):
        first = client.get(reverse("portal:audit"))
    pages = [audit_ids(first), audit_ids(client.get(reverse("portal:audit"), {"page": 2})), audit_ids(client.get(reverse("portal:audit"), {"page": 3}))]
    assert [len(page) for page in pages] == [50, 50, 20]
    assert pages[0] == set(newest_first[:50])
    order = [int(part.split('"')[0]) for part in first.content.decode().split('data-audit-id="')[1:]]
    assert order == newest_first[:50]


@pytest.mark.django_db
def test_page_links_keep_the_filters(client, city):
    for _index in range(60):
        audit_record(actor=city.home_affairs, action="pilot.save", target=city.pilot, after={"name": "A"})
    client.force_login(city.home_affairs)
    content = client.get(reverse("portal:audit"), {"action": "pilot.save"}).content.decode()
    assert "?action=pilot.save&amp;page=2" in content


# --- Readable rows -----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_row_shows_who_the_translated_action_a_link_and_the_change(client, city, trail):
    client.force_login(city.home_affairs)
    client.cookies["django_language"] = "en"
    content = client.get(reverse("portal:audit"), {"action": "registration.approve"}).content.decode()
    assert "Registration approved" in content
    assert reverse("registrations:detail", args=[trail["approved"].pk]) in content
    assert "Awaiting approval" in content
    assert "Approved" in content
    assert "Trần Thị Trưởng" in content


@pytest.mark.django_db
def test_a_policy_change_reads_as_parameter_labels_and_human_values(city):
    policy_services.policy_apply_preset(actor=city.home_affairs, preset="france", effective_from=timezone.localdate())
    event = AuditEvent.objects.get(action="policy.create")
    from django.utils import translation

    with translation.override("en"):
        rows = {change.label: (change.before, change.after) for change in changes(event)}
    assert rows["Maximum home days per person per week"] == ("2 days/week", "3 days/week")
    assert rows["Maximum share of a unit at home on a day"] == ("30 %", "60 %")
    assert rows["Version"] == ("1", "2")
    assert "Telework suspended" not in rows  # unchanged keys are left out


@pytest.mark.django_db
def test_a_creation_lists_its_values_without_a_before(city):
    event = audit_record(
        actor=city.home_affairs, action="pilot.save", target=city.pilot, after={"code": "P", "phases": [["Giai đoạn 1", "2027-01-04", "2027-06-30"]]}
    )
    assert [(change.before, change.after) for change in changes(event)] == [(None, "P"), (None, "Giai đoạn 1 (04/01/2027–30/06/2027)")]


# --- One object's history ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_object_history_lists_every_change_oldest_first(client, city, trail):
    client.force_login(city.hr)
    response = client.get(reverse("portal:audit_object", args=["registrations.registration", trail["approved"].pk]))
    assert response.status_code == 200
    expected = list(
        AuditEvent.objects.filter(object_type="registrations.registration", object_id=str(trail["approved"].pk))
        .order_by("occurred_at", "id")
        .values_list("pk", flat=True)
    )
    assert [int(part.split('"')[0]) for part in response.content.decode().split('data-audit-id="')[1:]] == expected
    assert len(expected) == 2


@pytest.mark.django_db
def test_object_history_of_another_agency_is_404(client, city, trail):
    client.force_login(city.hr)
    assert client.get(reverse("portal:audit_object", args=["registrations.registration", trail["elsewhere"].pk])).status_code == 404
    assert client.get(reverse("portal:audit_object", args=["policy.pilot", city.pilot.pk])).status_code == 404
    client.force_login(city.home_affairs)
    assert client.get(reverse("portal:audit_object", args=["registrations.registration", trail["elsewhere"].pk])).status_code == 200


@pytest.mark.django_db
def test_object_history_of_an_unknown_object_is_404(client, city):
    client.force_login(city.home_affairs)
    assert client.get(reverse("portal:audit_object", args=["registrations.registration", "999999"])).status_code == 404
