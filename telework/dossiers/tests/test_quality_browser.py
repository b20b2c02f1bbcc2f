"""In a browser at 375 px: a citizen opens the desk card's QR link, rates their dossier with the keyboard reaching
the submit button, sees no officer's name; the unit head then finds the rating in the desk's figures and in the
officer's row of the service-quality page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.dossiers import cards
from telework.dossiers.rating import slip_code
from telework.dossiers.tests.factories import DossierFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE_ONLY = pytest.mark.parametrize("page", ["phone"], indirect=True)


@PHONE_ONLY
def test_a_rating_from_the_desk_qr_link_at_375_px_shows_in_the_desk_and_officer_figures(page, live_server, city, browser_problems):
    dossier = DossierFactory(service_point=city.desk)
    dossier.handlers.add(city.clerk)
    card = cards.desk_card_issue(desk=city.desk, actor=city.head_user)
    # The URL the printed card's QR code encodes (cards_pdf draws the QR from the same function).
    link = cards.card_url(card, cards.public_base(live_server.url))

    page.goto(link)
    assert page.viewport_size["width"] == 375
    assert page.evaluate("document.documentElement.scrollWidth") <= 375  # nothing wider than the phone
    assert city.desk.name in page.inner_text("main")
    page.get_by_label("Mã hồ sơ (trên giấy tiếp nhận)").fill(dossier.code)
    page.get_by_label("Mã đánh giá (trên phiếu)").fill(slip_code(dossier.code))
    page.get_by_label("Rất hài lòng").check()
    page.get_by_text("Chín câu hỏi ngắn (không bắt buộc)").click()
    for number in (1, 2, 3, 4, 7):
        page.locator(f"input[name=indicator_{number}][value='2']").check()
    page.locator("input[name=indicator_9][value='1']").check()
    assert city.clerk.full_name not in page.content()
    # Keyboard: from the comment box, Tab reaches the submit button and Enter sends the rating.
    page.locator("textarea[name=comment]").focus()
    page.keyboard.type("Cán bộ hướng dẫn rất tận tình")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Gửi đánh giá"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Đánh giá của ông/bà đã được ghi nhận" in page.inner_text("main")
    assert city.clerk.full_name not in page.content()

    login(page, city.head_user.username)
    page.goto(reverse("dossiers:quality") + "?level=desk&period=week&day=2026-11-18")
    desk_row = page.locator(f'tr[data-row="{city.desk.name}"]')
    assert desk_row.locator("[data-satisfied]").inner_text().strip() == "100 %"
    assert re.search(r"\b1\b", desk_row.locator("td").nth(7).inner_text())  # rated: 1
    officer = page.locator(f'tr[data-officer="{city.clerk.code}"]')
    assert city.clerk.full_name in officer.inner_text()
    cells = [cell.strip() for cell in officer.locator("td").all_inner_texts()]
    assert cells[0:2] == ["1", "1"]  # one dossier handled, rated
    assert cells[2].startswith("10/10")  # indicators 1, 2, 3, 4, 7 at 2 points each
    assert browser_problems == []
