"""Issue 15 point 3 in a real browser: the pages each role opens run under the enforcing content-security policy
(no inline script, no ``on…=`` handler, no ``style=`` attribute or ``<style>`` block), and what the static scripts
do still works — a chart is drawn, a select sends its form, "tick everyone" ticks, the print button prints, an
HTMX search swaps the list, progress bars keep their width.

Every ``securitypolicyviolation`` event and every console error (the ``page`` fixture's ``browser_problems``) fails
the test. ``CSP_SHOTS_DIR=/some/dir`` also saves a full-page screenshot of each page visited (the before/after
comparison of the sweep).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from telework.assignments import services as assignment_services
from telework.core import clock
from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city, next_monday
from telework.dossiers.tests.factories import DeskCardFactory
from telework.organization.tests.factories import UserFactory
from telework.rosters import services as roster_services
from telework.staffing import services as staffing_services
from telework.staffing.tests.factories import staffing_city

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Reported to Python through an exposed function, so a violation on a page the test has already left still counts.
# ``window.print`` is replaced so the print button can be pressed without opening the print dialog.
LISTENER = """
document.addEventListener("securitypolicyviolation", function (event) {
  window.reportCspViolation([location.pathname, event.effectiveDirective, event.blockedURI, event.sourceFile + ":" + event.lineNumber, event.sample].join(" | "));
});
window.print = function () { document.documentElement.setAttribute("data-printed", "yes"); };
"""


class Tour:
    """Visits pages, records the policy header each one was served with, and (when asked) screenshots them."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.violations: list[str] = []
        self.unprotected: list[str] = []
        page.expose_function("reportCspViolation", self.report)
        page.add_init_script(LISTENER)

    def report(self, violation: str) -> None:
        self.violations.append(violation)

    def settle(self) -> None:
        # Violation events are queued as tasks: let them run before the test looks.
        self.page.evaluate("() => new Promise(resolve => setTimeout(resolve, 100))")

    def visit(self, url: str, name: str = "") -> None:
        response = self.page.goto(url)
        assert response is not None
        self.check(response, url)
        self.settle()
        if name:
            self.shoot(name)

    def check(self, response: Any, url: str) -> None:
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy or "style-src 'self'" not in policy:
            self.unprotected.append(url)

    def shoot(self, name: str) -> None:
        directory = os.environ.get("CSP_SHOTS_DIR")
        if not directory:
            return
        Path(directory).mkdir(parents=True, exist_ok=True)
        width = self.page.viewport_size["width"]
        self.page.screenshot(path=str(Path(directory) / f"{name}-{width}.png"), full_page=True, animations="disabled")

    def sign_in(self, username: str) -> None:
        self.page.context.clear_cookies()
        login(self.page, username)
        self.settle()


def test_every_role_s_pages_run_under_the_enforcing_policy(page, browser_problems):
    city = build_city()
    special = staffing_city(city)
    tour = Tour(page)
    monday = next_monday()
    year, week, _weekday = monday.isocalendar()
    week_url = f"{reverse('rosters:week')}?week={year}-W{week:02d}"
    roster_services.roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    today = clock.today()
    item = assignment_services.work_item_assign(
        actor=city.head_user,
        staff=city.staff[0],
        title="Tổng hợp báo cáo quý",
        estimated_hours=16,
        starts_on=today,
        due_on=today + dt.timedelta(days=14),
    )
    assignment_services.progress_record(item=item, actor=city.staff[0].user, progress_percent=40, hours_spent=2, note="Đã xong phần đầu")
    report_round = staffing_services.round_open(
        actor=city.home_affairs,
        title="Nhu cầu nhân sự ngày 18/11/2026",
        deadline=clock.now() + dt.timedelta(hours=6),
        units=special.units,
    )
    card = DeskCardFactory(service_point=city.desk)

    # The public rating page (no login), the page citizens open on a phone from the desk's QR code.
    tour.visit(reverse("dossiers:rate_desk", args=[card.token]), "rate")
    assert page.locator("main form").count() == 1

    # A staff member.
    tour.sign_in(city.staff[0].user.username)
    tour.shoot("staff-home")
    for name, url in [
        ("staff-registration", reverse("registrations:new")),
        ("", reverse("registrations:mine")),
        ("", reverse("registrations:eligibility")),
        ("staff-roster", week_url),
        ("staff-attendance", reverse("attendance:mine")),
        ("", reverse("rosters:leave_mine")),
        ("staff-work", reverse("assignments:mine")),
        ("", reverse("assignments:detail", args=[item.pk])),
        ("", reverse("evaluations:home")),
        ("", reverse("surveys:home")),
        ("", reverse("organization:my_profile")),
        ("", reverse("portal:preferences")),
        ("", reverse("accounts:password_change")),
        ("", reverse("accounts:tokens")),
        ("", reverse("core:notifications")),
    ]:
        tour.visit(url, name)
    # The progress bar keeps its width without a style attribute: 40 % of its track.
    tour.visit(reverse("assignments:detail", args=[item.pk]))
    ratio = page.evaluate(
        "() => { const bar = document.querySelector('.progress-bar'); return bar.getBoundingClientRect().width / bar.parentElement.getBoundingClientRect().width; }"
    )
    assert 0.38 < ratio < 0.42
    # The registration form's mode switch shows the chosen section only (registrations/form.js).
    tour.visit(reverse("registrations:new"))
    dates = page.locator("#registration-form input[name=mode][value=dates]")
    if dates.count():
        dates.check()
        assert page.locator("[data-mode-section=dates]").is_visible()
        assert page.locator("[data-mode-section=weekly]").is_hidden()

    # The unit head.
    tour.sign_in(city.head_user.username)
    tour.shoot("head-home")
    for name, url in [
        ("", reverse("registrations:inbox")),
        ("head-overview", reverse("registrations:overview")),
        ("head-roster", week_url),
        ("head-today", reverse("rosters:today")),
        ("", reverse("rosters:events")),
        ("head-attendance-board", reverse("attendance:board")),
        ("head-timesheet", reverse("attendance:timesheet")),
        ("head-board", reverse("assignments:board")),
        ("", reverse("assignments:assign")),
        ("", reverse("assignments:reports")),
        ("", reverse("evaluations:home")),
        ("", reverse("staffing:index")),
        ("", reverse("staffing:row_fill", args=[report_round.rows.get(unit=city.unit).pk])),
        ("", reverse("dossiers:desks")),
        ("", reverse("dossiers:quality")),
        ("", reverse("assessment:dashboard")),
    ]:
        tour.visit(url, name)
    # The work board's load chart is drawn by the static script from the json_script data.
    tour.visit(reverse("assignments:board"))
    page.wait_for_function("() => typeof Chart !== 'undefined' && Chart.getChart(document.getElementById('load-chart')) !== undefined")
    assert page.evaluate("Chart.getChart(document.getElementById('load-chart')).data.labels.length") == 10
    # "Print" on who-is-where-today prints.
    tour.visit(reverse("rosters:today"))
    page.click("#print-button")
    assert page.get_attribute("html", "data-printed") == "yes"
    # The assignment form shows the legal-deadline fields only when asked (assignments/form.js).
    tour.visit(reverse("assignments:assign"))
    legal = page.locator("[data-legal-fields]")
    assert legal.is_hidden()
    page.locator("#id_is_legal_deadline").check()
    assert legal.is_visible()

    # HR.
    tour.sign_in(city.hr.username)
    for name, url in [
        ("hr-staff", reverse("organization:staff_list")),
        ("hr-units", reverse("organization:units")),
        ("", reverse("organization:positions")),
        ("", reverse("organization:service_points")),
        ("hr-accounts", reverse("organization:accounts")),
        ("", reverse("organization:import")),
        ("", reverse("portal:audit")),
    ]:
        tour.visit(url, name)
    # "Tick everyone shown" ticks every row (organization/accounts.js).
    tour.visit(reverse("organization:accounts"))
    boxes = page.locator("#accounts-table tbody input[name=staff]")
    assert boxes.count() > 0
    page.locator("#tick-all").check()
    assert all(boxes.nth(index).is_checked() for index in range(boxes.count()))
    # The staff search swaps the list through HTMX.
    tour.visit(reverse("organization:staff_list"))
    with page.expect_response(lambda response: "q=" in response.url):
        page.fill("#id_q", "Trần Thị Trưởng")
    page.wait_for_function("() => !document.querySelector('#staff-results').innerText.includes('Lê Văn 1')")
    assert "Trần Thị Trưởng" in page.inner_text("#staff-results")
    # A select that sends its form when changed (the unit filter of the desks and duty posts).
    tour.visit(reverse("organization:service_points"))
    unit_filter = page.locator("#unit-filter")
    if unit_filter.count():
        values = [value for value in unit_filter.locator("option").evaluate_all("options => options.map(o => o.value)") if value]
        with page.expect_navigation():
            unit_filter.select_option(values[0])
        assert f"unit={values[0]}" in page.url

    # Home Affairs.
    tour.sign_in(city.home_affairs.username)
    tour.shoot("home-affairs-home")
    for name, url in [
        ("", reverse("policy:pilots")),
        ("home-affairs-pilot-form", reverse("policy:pilot_edit", args=[city.pilot.pk])),
        ("", reverse("policy:policies")),
        ("home-affairs-override", reverse("policy:policy_override_new")),
        ("", reverse("rosters:city")),
        ("", reverse("staffing:round_open")),
        ("home-affairs-round", reverse("staffing:round_detail", args=[report_round.pk])),
        ("", reverse("surveys:home")),
        ("", reverse("assessment:phases")),
        ("", reverse("outcomes:indicators")),
    ]:
        tour.visit(url, name)
    # Adding a phase row (policy/pilot_form.js).
    tour.visit(reverse("policy:pilot_edit", args=[city.pilot.pk]))
    rows = page.locator("#phase-rows .phase-row")
    before = rows.count()
    page.click("#add-phase")
    assert rows.count() == before + 1
    # An override row's value appears when its parameter is ticked (policy/override_form.js).
    tour.visit(reverse("policy:policy_override_new"))
    row = page.locator(".override-row").first
    assert row.locator(".override-value").is_hidden()
    row.locator(".override-toggle").check()
    assert row.locator(".override-value").is_visible()

    # City leadership and the system administrator.
    tour.sign_in(city.leadership.username)
    tour.shoot("leadership-home")
    tour.visit(reverse("evaluations:home"))
    administrator = UserFactory(username="sieuquantri", is_staff=True, is_superuser=True)
    tour.sign_in(administrator.username)
    for url in ("/django-admin/", "/django-admin/accounts/user/", f"/django-admin/accounts/user/{city.staff[0].user.pk}/change/", "/api/docs"):
        tour.visit(url)
    tour.visit(reverse("portal:audit"))

    assert tour.unprotected == []
    assert tour.violations == []
    assert browser_problems == []
