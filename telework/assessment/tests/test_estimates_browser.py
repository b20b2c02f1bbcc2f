"""City leadership reads a phase's stored estimates in a real browser (desktop and phone): the verdict in words,
the interval, how to reproduce the figure, and the review report's links; then the yearly report."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telework.assessment import estimates
from telework.assessment.tests.estimate_world import build_estimate_world
from telework.core.tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_reads_the_estimates_and_finds_the_review_report(page, browser_problems):
    world = build_estimate_world()
    estimates.estimates_request(actor=world.world.home_affairs, phase=world.phase, indicators=["dossier_on_time_rate", "dossier_overdue"])
    width = page.viewport_size["width"]
    login(page, world.world.leadership.username, next_url=reverse("assessment:phase_detail", args=[world.phase.pk]))

    page.locator("#open-estimates").click()
    card = page.locator("#estimate-dossier_on_time_rate")
    assert "Khoảng tin cậy 95%" in card.inner_text()
    assert "thí điểm" in card.locator(".verdict").inner_text()
    card.locator("details.reproduce summary").click()
    digest = card.locator("details.reproduce code").inner_text()
    assert len(digest) == 64
    assert page.locator("#report-pdf").get_attribute("href").endswith("report.pdf")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"/work/shots/estore/estimates-{width}.png", full_page=True)

    page.goto(reverse("assessment:yearly_report") + "?year=2026")
    assert "BÁO CÁO TÌNH HÌNH LÀM VIỆC TỪ XA NĂM 2026" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"/work/shots/estore/yearly-{width}.png", full_page=True)
    assert browser_problems == []
