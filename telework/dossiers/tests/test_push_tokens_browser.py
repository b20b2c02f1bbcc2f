"""HR issues the one-stop system's push token in a real browser (desktop and phone): the page offers the scope and the
agency, shows the key once, and the list says the token's scope and agency in words; the key then pushes a dossier."""

from __future__ import annotations

import json
import urllib.request

import pytest
from django.urls import reverse

from telework.core.tests.browser.pages import login
from telework.demo.testing import build_city
from telework.dossiers.models import Dossier

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_hr_issues_a_push_token_and_the_one_stop_system_pushes_with_it(page, browser_problems, live_server):
    city = build_city()
    width = page.viewport_size["width"]
    login(page, city.hr.username, next_url=reverse("accounts:tokens"))

    page.fill("#token-name", "Hệ thống một cửa")
    page.select_option("#token-scope", "dossier_push")
    page.select_option("#token-agency", str(city.agency.pk))
    page.get_by_role("button", name="Tạo mã truy cập").click()
    key = page.locator("#new-token").inner_text()
    row = page.locator("table tbody tr").first
    assert "Chỉ đẩy hồ sơ (hệ thống một cửa)" in row.inner_text()
    assert city.agency.name in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=f"/work/shots/push/tokens-{width}.png", full_page=True)

    body = {
        "dossiers": [
            {"code": "HS-WEB-1", "procedure_code": "1.0001", "legal_working_days": 3, "unit": city.unit.code, "received_at": "2026-11-17T08:00:00+07:00"}
        ]
    }
    request = urllib.request.Request(  # noqa: S310 - the test's own live server
        f"{live_server.url}/api/dossiers/push",
        data=json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request) as response:  # noqa: S310
        answer = json.loads(response.read())
    assert answer["created"] == 1
    assert Dossier.objects.filter(code="HS-WEB-1", agency=city.agency).exists()
    assert browser_problems == []
