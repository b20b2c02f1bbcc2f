"""Issue 13's "Done when", second half, in a real browser: city leadership logs in and lands on the pilot dashboard,
sees the trend of a launched phase with data and its table, drills down to an agency, opens the phase's review and
records "widen" with reasons; Home Affairs can then launch the next phase (its launch button is enabled)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from telework.assessment import services
from telework.assessment.models import DesignMethod, PhaseReview, ReviewDecision
from telework.assessment.tests.dashboard_data import launched_city
from telework.core.tests.browser.pages import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "var/screenshots/assessment"))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_leadership_reads_the_dashboard_then_decides_to_widen(page, browser_problems):
    city = launched_city()
    world = city.world
    inputs = services.DesignInputs(method=DesignMethod.RANDOMISED, seed=11, primary_outcomes=("dossier_on_time_rate",), smallest_effect=0.03)
    services.design_record(actor=world.home_affairs, phase=world.second, inputs=inputs)

    login(page, world.leadership.username)
    assert page.url.rstrip("/").endswith(page.url.split("/")[2])  # the home page itself, no redirect
    page.wait_for_selector("#home-dashboard #trend-chart")
    assert page.evaluate("Chart.getChart(document.getElementById('trend-chart')).data.datasets.length") == 2
    assert page.evaluate("Chart.getChart(document.getElementById('participation-chart')) !== undefined")
    page.click("#dashboard-trend summary")
    start = city.start.strftime("%d/%m/%Y")
    row = page.locator("#trend-table tbody tr", has_text=start)
    assert row.locator("td").first.inner_text() == "80,0 %"
    assert fits(page)
    shot(page, "leadership-home")

    with page.expect_navigation():
        page.click("#breakdown-table a:has-text('Sở Tư pháp')")
    assert page.inner_text("#dashboard-breadcrumb").split("\n")[-1].strip() == "Sở Tư pháp"
    assert page.locator("#breakdown-table tbody tr").count() == 6
    page.wait_for_selector("#trend-chart")
    assert fits(page)
    shot(page, "dashboard-agency")

    with page.expect_navigation():
        page.click("#review-link")
    assert page.url.endswith(reverse("assessment:phase_review", args=[city.phase.pk]))
    page.check("input[name=decision][value=widen]")
    page.fill("textarea[name=reasons]", "Tỷ lệ hồ sơ đúng hạn tăng ở đơn vị thí điểm, mức hài lòng không giảm; mở rộng sang Sở Y tế")
    with page.expect_navigation():
        page.click("#save-review")
    review = PhaseReview.objects.get(phase=city.phase)
    assert review.decision == ReviewDecision.WIDEN
    assert review.decided_by == world.leadership
    assert "Mở rộng" in page.inner_text("#review")

    page.context.clear_cookies()
    login(page, world.home_affairs.username, next_url=reverse("assessment:phase_detail", args=[world.second.pk]))
    assert page.locator("#launch-refusal").count() == 0
    assert page.locator("#launch-phase").is_enabled()
    assert browser_problems == []


def test_the_event_study_is_drawn_with_its_intervals_next_to_the_verdict(page, browser_problems):
    from telework.assessment import estimates
    from telework.assessment.tests.estimate_world import build_estimate_world

    launched = build_estimate_world()
    estimates.estimates_run(
        [estimate.pk for estimate in estimates.estimates_request(actor=launched.world.home_affairs, phase=launched.phase, indicators=["dossier_on_time_rate"])]
    )
    login(page, launched.world.leadership.username, next_url=reverse("assessment:dashboard"))
    page.wait_for_selector("#event-study-chart")
    datasets = page.evaluate("Chart.getChart(document.getElementById('event-study-chart')).data.datasets.map(d => d.data.length)")
    assert datasets[0] == datasets[1] > 0
    assert page.locator("#verdict-headline").count() == 1
    page.click("#dashboard-event-study summary")
    assert page.locator("#event-study-table tbody tr").count() == datasets[0]
    assert fits(page)
    shot(page, "dashboard-estimate")
    assert browser_problems == []
