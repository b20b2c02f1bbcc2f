"""Issue 13, points 1–2 in a real browser: Home Affairs designs the first phase (method → allocation preview with
balance → MDE → record), launches it, changes the locked design (the change is audited with its reason); the second
phase cannot be launched before the review, and can after the leadership records "widen"."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse

from telework.assessment.models import DesignChange, PhaseDesign
from telework.assessment.tests.factories import build_phased_pilot
from telework.core.models import AuditEvent
from telework.core.tests.browser.pages import login
from telework.policy.models import PilotPhase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Screenshots of the new pages (1280 and 375 px) for review; elsewhere than var/ when SCREENSHOTS_DIR says so.
SHOTS = Path(os.environ.get("SCREENSHOTS_DIR", "var/screenshots/assessment"))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-{page.viewport_size['width']}.png"), full_page=True)


def design(page, phase, *, seed, why=""):
    page.goto(reverse("assessment:design_wizard", args=[phase.pk]))
    page.check("input[name=method][value=randomised]")
    page.fill("input[name=seed]", str(seed))
    page.fill("input[name=smallest_effect]", "0.03")
    with page.expect_navigation():
        page.click("#run-allocation")
    page.wait_for_selector("#balance-table")
    if why:
        page.fill("textarea[name=why]", why)
    return page


def test_home_affairs_designs_launches_changes_and_widens_after_review(page, browser_problems):
    world = build_phased_pilot()
    login(page, world.home_affairs.username, next_url=reverse("assessment:phases"))
    assert page.locator("#phase-table tbody tr").count() == 2
    shot(page, "phase-list")

    design(page, world.first, seed=2026)
    assert page.locator("#balance-table tbody tr").count() >= 1
    assert page.locator("#preview-table tbody tr").count() == 6
    mde = page.inner_text("#mde-value")
    assert float(mde.replace(",", ".")) > 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "design-wizard")
    with page.expect_navigation():
        page.click("#record-design")
    assert PhaseDesign.objects.filter(phase=world.first).count() == 1
    assert page.inner_text("#phase-state") == "Đã ghi nhận thiết kế"

    with page.expect_navigation():
        page.click("#launch-phase")
    assert page.inner_text("#launch-state") == "Đã triển khai: thiết kế đã khóa."
    shot(page, "phase-launched")

    design(page, world.first, seed=7, why="Bốc thăm lại công khai theo chỉ đạo của UBND")
    assert page.locator("#locked-notice").count() == 1
    with page.expect_navigation():
        page.click("#record-design")
    assert page.locator("#changed-after-launch").count() == 1
    assert "Bốc thăm lại công khai" in page.inner_text("#design-changes")
    change = DesignChange.objects.get()
    assert change.changed_by == world.home_affairs
    assert AuditEvent.objects.filter(action="design.change", reason="Bốc thăm lại công khai theo chỉ đạo của UBND").count() == 1

    design(page, world.second, seed=11)
    with page.expect_navigation():
        page.click("#record-design")
    assert "Quy tắc chỉ mở rộng sau sơ kết" in page.inner_text("#launch-refusal")
    assert page.locator("#launch-phase").count() == 0
    shot(page, "phase-waits-for-review")

    page.context.clear_cookies()
    login(page, world.leadership.username, next_url=reverse("assessment:phase_review", args=[world.first.pk]))
    page.check("input[name=decision][value=widen]")
    page.fill("textarea[name=reasons]", "Tỷ lệ hồ sơ đúng hạn không giảm; mở rộng sang Sở Y tế")
    page.fill("input[name=report_reference]", "15/BC-SNV ngày 18/11/2026")
    shot(page, "review-form")
    with page.expect_navigation():
        page.click("#save-review")
    assert "Mở rộng" in page.inner_text("#review")

    page.context.clear_cookies()
    login(page, world.home_affairs.username, next_url=reverse("assessment:phase_detail", args=[world.second.pk]))
    with page.expect_navigation():
        page.click("#launch-phase")
    assert page.inner_text("#launch-state") == "Đã triển khai: thiết kế đã khóa."
    assert PilotPhase.objects.get(pk=world.second.pk).started_at is not None
    assert browser_problems == []
