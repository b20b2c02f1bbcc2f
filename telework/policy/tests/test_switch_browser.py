"""Issue 9, point 8 in a real browser: Home Affairs switches the telework suspension on (the confirmation counts the
home days, rosters and people beforehand), a staff member reads the notification and sees their approved home days
shown as suspended, then Home Affairs switches it off and the days are approved again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city, next_monday
from telework.policy.models import SwitchChange, SwitchKind
from telework.registrations import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.context.clear_cookies()


def switch(page, *, turn, reason):
    """Home Affairs: step 1 (reason), step 2 (the confirmation, returned for checks before pressing yes)."""
    page.goto(reverse("policy:switch_change", args=[SwitchKind.SUSPENSION]) + f"?turn={turn}")
    page.fill("textarea[name=reason]", reason)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_selector("button[name=confirm][value=yes]")


def confirm(page):
    with page.expect_navigation():
        page.click("button[name=confirm][value=yes]")
    page.wait_for_selector("#switch-progress[data-status=done]")


def test_suspension_on_is_counted_told_and_shown_as_suspended_then_off(page, browser_problems):
    city = build_city()
    member = city.staff[0]
    monday = next_monday()
    registration = services.registration_submit(
        staff=member,
        actor=member.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[0, 4],
        equipment_attested=["computer", "internet", "phone", "printer"],
        commitment_accepted=True,
    )
    services.registration_approve(registration=registration, actor=city.head_user, comment="Đồng ý")

    login(page, city.home_affairs.username, next_url=reverse("policy:policies"))
    switch(page, turn="on", reason="UBND thành phố yêu cầu trở lại cơ quan")
    assert page.inner_text("#impact-home-days") == "2 ngày làm việc tại nhà đã duyệt từ hôm nay sẽ bị tạm dừng."
    assert page.inner_text("#impact-rosters") == "0 lịch làm việc của tuần này và tuần sau sẽ được lập lại."
    assert page.inner_text("#impact-people") == "1 công chức, viên chức sẽ được thông báo, cùng lãnh đạo đơn vị của họ."
    confirm(page)
    assert page.inner_text("#switch-progress-people") == "Đã thông báo cho 2 người."

    log_out(page)
    login(page, member.code, next_url=reverse("core:notifications"))
    assert page.locator("main .list-group-item span", has_text="Tạm dừng làm việc tại nhà đã bắt đầu").count() == 1
    page.goto(reverse("registrations:mine"))
    assert page.locator("[data-status=suspended]").inner_text() == "Tạm dừng (tạm dừng làm việc tại nhà)"
    assert page.locator("[data-status=approved]").count() == 0
    page.goto(reverse("registrations:detail", args=[registration.pk]))
    assert page.locator("tr[data-state=suspended]").count() == 2

    log_out(page)
    login(page, city.home_affairs.username, next_url=reverse("policy:policies"))
    switch(page, turn="off", reason="Tiếp tục thí điểm")
    assert page.inner_text("#impact-home-days") == "2 ngày làm việc tại nhà bị tạm dừng từ hôm nay sẽ được tính lại."
    confirm(page)
    assert SwitchChange.objects.filter(status=SwitchChange.Status.DONE).count() == 2

    log_out(page)
    login(page, member.code, next_url=reverse("registrations:mine"))
    assert page.locator("[data-status=approved]").count() == 1
    page.goto(reverse("core:notifications"))
    assert page.locator("main .list-group-item span", has_text="Tạm dừng làm việc tại nhà đã kết thúc").count() == 1
    assert browser_problems == []
