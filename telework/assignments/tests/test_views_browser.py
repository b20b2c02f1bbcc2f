"""Work in a real browser, at desktop and phone width: the head assigns, the staff member updates progress in place
and submits, the head accepts with a rating; and a stall alert raised by the daily detection reaches the head."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.assignments import services
from telework.assignments.models import Alert, WorkItem, WorkStatus
from telework.core import calendar, clock
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def switch_user(page, username, next_url):
    page.context.clear_cookies()
    login(page, username, next_url=next_url)


def test_assign_progress_submit_accept(page, browser_problems):
    city = build_city()
    member = city.staff[0]
    due = calendar.add_working_days(clock.today(), 5)
    login(page, city.head.code, next_url=reverse("assignments:assign"))
    page.select_option("#id_staff", str(member.pk))
    page.fill("#id_title", "Tổng hợp báo cáo sơ kết")
    page.fill("#id_estimated_hours", "12")
    page.fill("#id_due_on", due.isoformat())
    with page.expect_navigation():
        page.click("#work-item-form button[type=submit]")
    item = WorkItem.objects.get()
    assert page.url.endswith(reverse("assignments:detail", args=[item.pk]))
    assert page.locator("[data-status=assigned]").count() == 1

    switch_user(page, member.code, reverse("assignments:mine"))
    card = page.locator(f"#work-card-{item.pk}")
    card.locator("input[name=progress_percent]").fill("100")
    card.locator("input[name=hours_spent]").fill("3")
    card.locator("input[name=note]").fill("Đã hoàn thành dự thảo")
    card.locator("form.quick-progress button[type=submit]").click()
    page.wait_for_selector(f"#work-card-{item.pk} [data-outcome=recorded]")
    assert page.url.endswith(reverse("assignments:mine"))  # updated in place
    with page.expect_navigation():
        page.locator(f"#work-card-{item.pk} form[action$='/submit/'] button").click()
    assert page.locator("[data-status=submitted]").count() == 1

    switch_user(page, city.head.code, reverse("assignments:detail", args=[item.pk]))
    page.check("#rating-5")
    page.fill("#accept-comment", "Đạt yêu cầu")
    with page.expect_navigation():
        page.click("#accept-form button[type=submit]")
    page.wait_for_selector("#quality-rating[data-rating='5']")
    assert page.locator("[data-status=accepted]").count() == 1
    item.refresh_from_db()
    assert (item.status, item.quality_rating, item.hours_spent) == (WorkStatus.ACCEPTED, 5, 3)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert browser_problems == []


def test_a_stall_alert_reaches_the_head(page, browser_problems):
    city = build_city()
    monday = dt.date(2026, 12, 7)
    item = services.work_item_assign(
        actor=city.head_user,
        staff=city.staff[1],
        title="Cập nhật cơ sở dữ liệu cán bộ",
        estimated_hours=16,
        starts_on=monday,
        due_on=monday + dt.timedelta(days=18),
        today=monday,
    )
    # The morning run on Friday 11/12: no update since Monday, three working days.
    summary = services.detect_stalls(today=monday + dt.timedelta(days=4))
    assert dict(summary.new_alerts) == {"no_update": 1}
    alert = Alert.objects.get()
    login(page, city.head.code, next_url=reverse("assignments:board"))
    page.wait_for_selector(f"#board-alerts [data-alert=no_update][data-item='{item.pk}']")
    assert "Cập nhật cơ sở dữ liệu cán bộ" in page.locator("#board-alerts").inner_text()
    assert page.locator("#load-chart").count() == 1
    page.goto(reverse("core:notifications"))
    assert page.locator(f"a[href='{reverse('assignments:detail', args=[item.pk])}']").count() == 1
    with page.expect_navigation():
        page.click(f"a[href='{reverse('assignments:detail', args=[item.pk])}']")
    page.wait_for_selector("#item-alerts [data-rule=stall_working_days]")
    assert alert.is_escalated is False
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert browser_problems == []


def test_work_paused_by_the_distancing_switch_shows_on_its_page_and_the_board(page, browser_problems, settings):
    from pathlib import Path

    from telework.policy.models import SwitchKind
    from telework.policy.services import switch_set

    settings.BACKGROUND_THREADS = False  # the switch's follow-up runs as the request commits
    city = build_city()
    today = clock.today()
    item = services.work_item_assign(
        actor=city.head_user,
        staff=city.staff[0],
        title="Kiểm tra định kỳ cơ sở",
        category="inspection",
        estimated_hours=16,
        due_on=calendar.add_working_days(today, 7),
    )
    switch_set(actor=city.home_affairs, kind=SwitchKind.DISTANCING, is_active=True, reason="Chỉ thị 16/CT-TTg")
    item.refresh_from_db()
    assert item.paused_since == today

    width = page.viewport_size["width"]
    shots = Path("/work/shots/pause")
    shots.mkdir(parents=True, exist_ok=True)
    login(page, city.head.code, next_url=reverse("assignments:detail", args=[item.pk]))
    notice = page.locator("#item-paused")
    assert notice.is_visible()
    assert today.strftime("%d/%m/%Y") in notice.inner_text()
    page.screenshot(path=str(shots / f"detail-{width}.png"), full_page=True)

    page.goto(f"{page.url.split('/work/')[0]}{reverse('assignments:board')}?unit={city.unit.pk}&paused=1")
    assert page.locator("#board-paused").is_checked()
    assert page.locator(f"[data-item='{item.pk}'] [data-paused]").first.count() == 1
    page.screenshot(path=str(shots / f"board-paused-{width}.png"), full_page=True)
    assert browser_problems == []
