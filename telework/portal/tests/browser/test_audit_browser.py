"""The audit trail in a browser: a staff member reads the history of their own registration in Vietnamese words
(English when chosen), and a unit head never reads the sibling unit's leave notes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from telework.core.models import AuditEvent
from telework.core.tests.browser.pages import login, switch_language
from telework.portal.tests.test_audit_scope import world  # noqa: F401  (the audited city)

pytestmark = pytest.mark.browser


def test_a_staff_member_reads_their_own_history_in_words(page, world, browser_problems):  # noqa: F811
    from playwright.sync_api import expect

    me = world.city.staff[0]
    login(page, me.user.username, next_url=reverse("portal:audit"))
    rows = page.locator("[data-audit-id]")
    expect(rows).to_have_count(
        len(set().union(*(world.rows[name] for name in ("registration_mine", "work_mine", "leave_mine", "evaluation_mine", "staff_mine"))))
    )
    approved = rows.filter(has_text="Phê duyệt đăng ký")
    expect(approved).to_have_count(1)
    expect(approved).to_contain_text("Chờ phê duyệt")
    text = page.locator("main").inner_text()
    assert not re.search(r"\b[a-z_]+\.[a-z_]+\b", text.replace("@example.gov.vn", ""))  # no action code
    assert "approved" not in text
    assert "self_assessment" not in text

    # The entry's own page, then the registration's whole history.
    approved.get_by_title("Mục này").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Phê duyệt đăng ký")
    page.locator("[data-audit-id] a", has_text="lịch sử").click()
    expect(page.locator("[data-audit-id]")).to_have_count(len(world.rows["registration_mine"]))

    switch_language(page, "en")
    expect(page.locator("[data-audit-id]").filter(has_text="Registration approved")).to_have_count(1)
    assert browser_problems == []


def test_a_unit_head_never_reads_the_sibling_units_leave_note(page, world, browser_problems):  # noqa: F811
    from playwright.sync_api import expect

    login(page, world.city.head_user.username, next_url=reverse("portal:audit"))
    expect(page.locator("[data-audit-id]").first).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Việc gia đình")
    sibling_leave = min(world.rows["leave_sibling"])
    assert AuditEvent.objects.filter(pk=sibling_leave).exists()
    response = page.goto(reverse("portal:audit_event", args=[sibling_leave]))
    assert response is not None
    assert response.status == 404
    assert [problem for problem in browser_problems if "404" not in problem] == []  # only the refused entry
