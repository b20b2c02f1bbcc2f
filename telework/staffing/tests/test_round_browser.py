"""Issue 12, point 4 in a real browser: Home Affairs opens a same-day round for the special units, three unit heads
fill their rows, an agency head signs off, Home Affairs watches the city
aggregate, exports it (Excel and PDF), closes the round and records a decision per unit, which becomes each unit's
policy override; then decides one unit again, which replaces its decision."""

from __future__ import annotations

import pytest
from django.urls import reverse

from telework.accounts.models import Role
from telework.core import clock
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.organization.tests.factories import ServicePointFactory, StaffFactory, UnitFactory
from telework.policy.selectors import policy_for_unit
from telework.staffing.models import ReportRound, RoundState, UnitDecision
from telework.staffing.tests.factories import staffing_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.context.clear_cookies()


def fill(page, row_pk, *, needed, home, reason):
    page.goto(reverse("staffing:row_fill", args=[row_pk]))
    page.fill("#id_needed_on_site", str(needed))
    page.fill("#id_proposed_at_home", str(home))
    page.fill("#id_reason", reason)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(reverse("staffing:index"))


def test_a_same_day_round_is_opened_filled_aggregated_exported_and_decided(page, browser_problems):
    city = build_city()
    special = staffing_city(city)
    third = UnitFactory(name="Phòng Tiếp công dân", agency=city.other_agency)
    ServicePointFactory(unit=third, name="Bàn tiếp công dân")
    third_head = StaffFactory(unit=third, is_leader=True, full_name="Lâm Văn Tiếp", user__role=Role.UNIT_HEAD)
    for index in range(4):
        StaffFactory(unit=third, full_name=f"Huỳnh Văn {index}")

    login(page, city.home_affairs.username, next_url=reverse("staffing:index"))
    with page.expect_navigation():
        page.click("#open-round")
    page.fill("#id_title", "Nhu cầu nhân sự làm việc trực tiếp ngày 18/11/2026")
    page.fill("#id_reference_number", "245/SNV-TCBC")
    page.fill("#id_recipients", "UBND Thành phố\nLưu: VT, TCBC")
    page.check("input[name=addressees][value=special]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    report_round = ReportRound.objects.get()
    rows = {row.unit_id: row for row in report_round.rows.all()}
    assert set(rows) == {special.units[0].pk, special.units[1].pk, third.pk}
    assert page.inner_text("#sum-filled") == "0/3"

    for user, unit, needed, home, reason in (
        (special.heads[0], special.units[0], 8, 3, "Luân phiên bộ phận một cửa"),
        (special.heads[1], special.units[1], 5, 2, "Trực phường"),
        (third_head.user, third, 4, 1, "Tiếp công dân"),
    ):
        log_out(page)
        login(page, user.username, next_url=reverse("staffing:index"))
        fill(page, rows[unit.pk].pk, needed=needed, home=home, reason=reason)

    log_out(page)
    login(page, special.agency_heads[0].username, next_url=reverse("staffing:index"))
    with page.expect_navigation():
        page.click(f"[data-sign='{special.units[0].code}'] button")
    assert page.locator("[data-sign]").count() == 0

    log_out(page)
    login(page, city.home_affairs.username, next_url=reverse("staffing:round_detail", args=[report_round.pk]))
    assert page.inner_text("#sum-filled") == "3/3"
    assert page.inner_text("#sum-needed") == "17"
    assert page.inner_text("#sum-home") == "6"
    assert page.inner_text("#sum-missing") == "0"
    assert page.locator(f"tr[data-unit='{special.units[0].code}'] [data-status]").inner_text() == "Đã ký duyệt"
    with page.expect_download() as excel:
        page.click("#export-xlsx")
    assert excel.value.suggested_filename.endswith(".xlsx")
    with page.expect_download() as pdf:
        page.click("#export-pdf")
    assert pdf.value.suggested_filename.endswith(".pdf")

    with page.expect_navigation():
        page.click("#close-round")
    for _ in range(3):
        with page.expect_navigation():
            page.locator("form.decide-form button").first.click()
    report_round.refresh_from_db()
    assert report_round.state == RoundState.DECIDED
    assert page.inner_text("#round-state") == "Đã quyết định"
    assert UnitDecision.objects.count() == 3
    assert page.locator("[data-decision]").count() == 3
    in_force = policy_for_unit(third, clock.today()).parameters
    assert (in_force.min_onsite_share, in_force.max_home_share) == (0.8, 0.2)

    # Home Affairs decides the third unit again: everyone on site, nobody at home; the earlier values go to the audit.
    again = page.locator(f"[data-decide-again='{third.code}']")
    again.locator("summary").click()
    assert "Các giá trị trước vẫn được lưu trong nhật ký" in again.inner_text()
    again.locator("input[name=on_site_minimum]").fill("5")
    again.locator("input[name=home_cap]").fill("0")
    with page.expect_navigation():
        again.locator("button").click()
    assert "trực tiếp ≥ 5, tại nhà ≤ 0" in page.locator(f"tr[data-unit='{third.code}'] [data-decision]").inner_text()
    in_force = policy_for_unit(third, clock.today()).parameters
    assert (in_force.min_onsite_share, in_force.max_home_share) == (1.0, 0.0)
    assert UnitDecision.objects.count() == 3
    assert browser_problems == []
