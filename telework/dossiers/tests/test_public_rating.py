"""The public rating page a desk's or a slip's QR code opens: one rating per dossier, proven by the slip's code."""

import pytest
from django.urls import reverse

from telework.dossiers.models import Rating, RatingSource
from telework.dossiers.rating import THROTTLE_ATTEMPTS, slip_code
from telework.dossiers.tests.factories import DeskCardFactory, DossierFactory
from telework.organization.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def answer(dossier, **overrides):
    data = {"dossier_code": dossier.code, "code": slip_code(dossier.code), "level": "very_satisfied", "comment": ""}
    data.update({f"indicator_{number}": "2" for number in range(1, 10)})
    data.update(overrides)
    return data


def test_a_citizen_rates_a_dossier_from_the_desk_card_without_logging_in(client):
    card = DeskCardFactory()
    dossier = DossierFactory(service_point=card.service_point)
    page = client.get(reverse("dossiers:rate_desk", args=[card.token]))
    assert page.status_code == 200
    assert card.service_point.name in page.content.decode()
    response = client.post(reverse("dossiers:rate_desk", args=[card.token]), answer(dossier, indicator_9=""))
    assert response.status_code == 200
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.source, rating.level, rating.scores) == (RatingSource.QR, "very_satisfied", [2] * 8 + [None])


def test_the_slip_link_fills_in_both_codes(client):
    dossier = DossierFactory()
    page = client.get(reverse("dossiers:rate") + f"?d={dossier.code}&c={slip_code(dossier.code)}").content.decode()
    assert f'value="{dossier.code}"' in page
    assert f'value="{slip_code(dossier.code)}"' in page


def test_a_second_rating_of_the_same_dossier_is_refused_and_the_first_kept(client):
    dossier = DossierFactory()
    client.post(reverse("dossiers:rate"), answer(dossier))
    replay = client.post(reverse("dossiers:rate"), answer(dossier, level="not_satisfied"))
    assert replay.status_code == 409
    assert "đã được đánh giá" in replay.content.decode()
    assert Rating.objects.get(dossier=dossier).level == "very_satisfied"


@pytest.mark.parametrize("wrong", [{"code": "ABCDEFGH"}, {"dossier_code": "KHONG-CO"}])
def test_an_unknown_dossier_or_wrong_slip_code_is_refused_in_words(client, wrong):
    dossier = DossierFactory()
    response = client.post(reverse("dossiers:rate"), answer(dossier, **wrong))
    assert response.status_code == 404
    assert "không khớp" in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert not Rating.objects.exists()


def test_a_burst_from_one_address_is_throttled(client):
    dossier = DossierFactory()
    for _attempt in range(THROTTLE_ATTEMPTS):
        client.post(reverse("dossiers:rate"), answer(dossier, code="ZZZZZZZZ"))
    response = client.post(reverse("dossiers:rate"), answer(dossier))
    assert response.status_code == 429
    assert not Rating.objects.exists()


def test_phone_numbers_in_the_comment_are_removed_before_it_is_stored(client):
    dossier = DossierFactory()
    client.post(reverse("dossiers:rate"), answer(dossier, comment="Cán bộ tốt, gọi 0903 123 456 nếu cần"))
    assert Rating.objects.get(dossier=dossier).comment == "Cán bộ tốt, gọi […] nếu cần"


def test_the_page_never_names_who_handled_the_dossier(client):
    dossier = DossierFactory()
    officer = StaffFactory(full_name="Trần Thị Xử Lý")
    dossier.handlers.add(officer)
    page = client.get(reverse("dossiers:rate") + f"?d={dossier.code}&c={slip_code(dossier.code)}").content.decode()
    thanks = client.post(reverse("dossiers:rate"), answer(dossier)).content.decode()
    assert officer.full_name not in page
    assert officer.full_name not in thanks


def test_a_retired_desk_card_says_so(client):
    card = DeskCardFactory(retired_at="2026-11-10T08:00:00+07:00")
    response = client.get(reverse("dossiers:rate_desk", args=[card.token]))
    assert response.status_code == 404
    assert "không còn" in response.content.decode()
