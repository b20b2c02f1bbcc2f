"""Rating cards on the desks and rating slips for returned dossiers: who may issue and print them."""

import datetime as dt

import pytest
from django.urls import reverse
from weasyprint import HTML

from telework.core.models import AuditEvent
from telework.dossiers import cards
from telework.dossiers.models import DeskCard
from telework.dossiers.rating import slip_code
from telework.dossiers.tests.factories import HCMC, DossierFactory
from telework.organization.tests.factories import ServicePointFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db


def test_the_unit_head_issues_a_card_and_the_previous_one_stops_working(client, city):
    client.force_login(city.head_user)
    client.post(reverse("dossiers:desk_card_issue", args=[city.desk.pk]))
    first = DeskCard.objects.get(service_point=city.desk)
    client.post(reverse("dossiers:desk_card_issue", args=[city.desk.pk]))
    first.refresh_from_db()
    assert first.retired_at is not None
    assert DeskCard.objects.filter(service_point=city.desk, retired_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(action="desk_card.issue", actor=city.head_user).count() == 2
    assert client.get(reverse("dossiers:rate_desk", args=[first.token])).status_code == 404


def test_a_desk_officer_may_print_but_not_issue_cards(client, city):
    city.desk.qualified_staff.add(city.clerk)
    client.force_login(city.clerk.user)
    page = client.get(reverse("dossiers:desks")).content.decode()
    assert city.desk.name in page
    assert reverse("dossiers:desk_card_issue", args=[city.desk.pk]) not in page
    client.post(reverse("dossiers:desk_card_issue", args=[city.desk.pk]))
    assert not DeskCard.objects.exists()


def test_a_desk_in_another_unit_is_not_found(client, city):
    sibling_desk = ServicePointFactory(unit=UnitFactory(agency=city.agency, name="Phòng khác"))
    client.force_login(city.head_user)
    assert client.post(reverse("dossiers:desk_card_issue", args=[sibling_desk.pk])).status_code == 404
    assert client.get(reverse("dossiers:desk_card_pdf", args=[sibling_desk.pk])).status_code == 404


def test_the_card_prints_as_an_a6_pdf(client, city):
    client.force_login(city.head_user)
    client.post(reverse("dossiers:desk_card_issue", args=[city.desk.pk]))
    response = client.get(reverse("dossiers:desk_card_pdf", args=[city.desk.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.mark.frozen_at("2026-11-18 15:00")
def test_todays_slips_cover_the_dossiers_returned_at_the_desk_today(client, city):
    returned_today = DossierFactory(service_point=city.desk, returned_at=dt.datetime(2026, 11, 18, 10, 0, tzinfo=HCMC))
    DossierFactory(service_point=city.desk, returned_at=dt.datetime(2026, 11, 17, 10, 0, tzinfo=HCMC))
    client.force_login(city.head_user)
    response = client.get(reverse("dossiers:desk_slips_pdf", args=[city.desk.pk]) + "?day=2026-11-18")
    assert response.content.startswith(b"%PDF")
    html = cards.slips_html([returned_today], base="https://danhgia.example.vn")
    assert returned_today.code in html
    assert slip_code(returned_today.code) in html
    assert "https://danhgia.example.vn/rate/?d=" in html
    assert len(HTML(string=html).render().pages) == 1


def test_no_slip_when_nothing_was_returned_that_day(client, city):
    client.force_login(city.head_user)
    response = client.get(reverse("dossiers:desk_slips_pdf", args=[city.desk.pk]) + "?day=2026-11-16", follow=True)
    assert "Không có hồ sơ nào" in response.content.decode()


def test_a_staff_member_of_another_agency_sees_no_desk(client, city):
    outsider = StaffFactory(unit=UnitFactory(agency=city.other_agency))
    client.force_login(outsider.user)
    assert city.desk.name not in client.get(reverse("dossiers:desks")).content.decode()
