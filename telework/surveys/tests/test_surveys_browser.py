"""In a real browser (desktop and phone width, and 320 px): a person answers an agency's survey with the keyboard
alone; a staff member answers the pulse survey from the Surveys page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.surveys import scales
from telework.surveys.models import CitizenResponse, PulseResponse
from telework.surveys.tests.factories import CampaignAgencyFactory, PulseWaveFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_person_answers_the_survey_with_the_keyboard_alone_on_a_small_phone(page, browser_problems):
    place = CampaignAgencyFactory(agency__name="UBND phường Sài Gòn")
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(reverse("surveys:public", args=[place.token]))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert page.locator("fieldset legend").count() == len(scales.CITIZEN_QUESTION_KEYS)
    page.locator("input[type=radio]").first.focus()
    for _question in range(len(scales.CITIZEN_QUESTION_KEYS)):
        page.keyboard.press("Space")
        for _step in range(3):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.type") == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("[role=status]").inner_text().startswith("Xin cảm ơn")
    assert CitizenResponse.objects.get().answers == {key: 4 for key in scales.CITIZEN_QUESTION_KEYS}

    # The same phone again: refused in words.
    page.goto(reverse("surveys:public", args=[place.token]))
    assert "Thiết bị này đã trả lời khảo sát này" in page.locator("#survey-message").inner_text()
    assert page.locator("form").count() == 0
    assert browser_problems == []


def test_a_staff_member_answers_the_pulse_survey_from_the_surveys_page(page, browser_problems):
    city = build_city()
    PulseWaveFactory(agencies=[city.agency], title="Khảo sát nhanh trước thí điểm")
    member = city.staff[0]
    login(page, member.code, next_url=reverse("surveys:home"))
    with page.expect_navigation():
        page.get_by_role("link", name="Đang có khảo sát: trả lời ngay (3 phút)").click()
    for fieldset in page.locator("form fieldset").all():
        fieldset.locator("input[type=radio]").nth(1).check()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi câu trả lời").click()
    assert "đã được ghi nhận mà không kèm tên" in page.locator("body").inner_text()
    answers = PulseResponse.objects.get().answers
    assert scales.who5_score(answers) == 80  # the second choice is "most of the time" (4) on each WHO-5 item
    assert (answers["stress_load"], answers["stay"]) == (2, 2)
    assert browser_problems == []
