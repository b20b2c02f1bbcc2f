"""Words, not codes: no rule or parameter key (``min_office_days_per_week``, ``general_criterion_max``…) reaches
what a person reads on a page. Each role walks the main pages of the test city, a refused registration, the
registration check and a registration's detail; the text a person sees (text nodes, titles, placeholders, labels
for screen readers) is searched for any identifier written in snake_case. ``data-*`` attributes, ids, names and
values are for the machine and the tests, and are not searched.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from telework.demo.testing import next_monday
from telework.registrations import services
from telework.registrations.models import Registration

pytestmark = pytest.mark.django_db

EQUIPMENT = ["computer", "internet", "phone", "printer"]
# An identifier as code writes it: two or more lower-case words joined by "_" (min_office_days_per_week), or a
# dotted rule (roster.is_current).
KEY = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b|\b[a-z]+\.[a-z]+_[a-z_]+\b")
VISIBLE_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt"}

PAGES = [
    "portal:home",
    "core:notifications",
    "registrations:mine",
    "registrations:new",
    "registrations:eligibility",
    "registrations:inbox",
    "registrations:overview",
    "rosters:week",
    "rosters:today",
    "rosters:swaps",
    "rosters:leave",
    "rosters:events",
    "rosters:city",
    "attendance:mine",
    "attendance:board",
    "attendance:timesheet",
    "assignments:mine",
    "assignments:assign",
    "assignments:board",
    "assignments:reports",
    "organization:staff_list",
    "organization:units",
    "organization:positions",
    "organization:service_points",
    "policy:pilots",
    "policy:policies",
    "policy:policy_city_new",
    "policy:policy_override_new",
    "evaluations:home",
    "accounts:tokens",
]
ROLES = ["staff", "clerk", "head", "hr", "home_affairs", "leadership", "admin"]


class VisibleText(HTMLParser):
    """The text a person reads on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "template"}:
            self._hidden += 1
        self.parts.extend(value or "" for name, value in attrs if name in VISIBLE_ATTRIBUTES)

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "template"} and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def keys_on_screen(html: str) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    return set(KEY.findall(" ".join(parser.parts)))


def user_for(city, role):  # type: ignore[no-untyped-def]
    return {
        "staff": city.staff[0].user,
        "clerk": city.clerk.user,
        "head": city.head_user,
        "hr": city.hr,
        "home_affairs": city.home_affairs,
        "leadership": city.leadership,
        "admin": city.admin,
    }[role]


@pytest.fixture(autouse=True)
def _no_language_left_active():
    yield
    translation.deactivate()


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_no_key_on_the_main_pages(city, role, language):
    client = Client()
    client.force_login(user_for(city, role))
    client.cookies["django_language"] = language
    found = {}
    for name in PAGES:
        response = client.get(reverse(name))
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            keys = keys_on_screen(response.content.decode())
            if keys:
                found[name] = sorted(keys)
    assert found == {}, found


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_key_in_a_refused_registration_the_check_or_a_registrations_detail(city, language):
    monday = next_monday()
    client = Client()
    client.force_login(city.staff[0].user)
    client.cookies["django_language"] = language
    data = {
        "starts_on": monday.isoformat(),
        "ends_on": (monday + dt.timedelta(days=4)).isoformat(),
        "mode": "weekly",
        "weekdays": ["0", "2", "4"],
        "equipment": EQUIPMENT,
        "work_plan": "Soạn báo cáo",
    }
    refused = client.post(reverse("registrations:new"), data)
    checked = client.post(reverse("registrations:check"), data, HTTP_HX_REQUEST="true")
    assert refused.status_code == 409
    assert not Registration.objects.exists()
    services.registration_submit(
        staff=city.staff[0],
        actor=city.staff[0].user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[0],
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
    )
    registration = Registration.objects.get()
    detail = client.get(reverse("registrations:detail", args=[registration.pk]))
    head = Client()
    head.force_login(city.head_user)
    head.cookies["django_language"] = language
    head_detail = head.get(reverse("registrations:detail", args=[registration.pk]))
    policy = head.get(reverse("policy:policy_detail", args=[city.policy.pk]))

    found = {
        "refused": keys_on_screen(refused.content.decode()),
        "check": keys_on_screen(checked.content.decode()),
        "detail": keys_on_screen(detail.content.decode()),
        "head_detail": keys_on_screen(head_detail.content.decode()),
        "policy": keys_on_screen(policy.content.decode()),
    }
    assert {page: keys for page, keys in found.items() if keys} == {}, found


@pytest.mark.frozen_at("2026-12-11 10:00")
@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_stall_alert_names_its_rule_by_label(city, language, django_capture_on_commit_callbacks):
    from telework.assignments import services as assignments

    item = assignments.work_item_assign(
        actor=city.head_user,
        staff=city.staff[0],
        title="Rà soát quy chế",
        estimated_hours=10,
        starts_on=dt.date(2026, 12, 7),
        due_on=dt.date(2026, 12, 31),
        today=dt.date(2026, 12, 7),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assignments.detect_stalls(today=dt.date(2026, 12, 11))
    client = Client()
    client.force_login(city.head_user)
    client.cookies["django_language"] = language

    board = client.get(reverse("assignments:board")).content.decode()
    detail = client.get(reverse("assignments:detail", args=[item.pk])).content.decode()

    with translation.override(language):
        label = translation.gettext("Working days without an update before work counts as stalled")
    assert 'data-rule="stall_working_days"' in board  # the key stays for the machine
    assert label in board
    assert label in detail
    assert keys_on_screen(board) == set()
    assert keys_on_screen(detail) == set()


def test_a_refusal_shows_the_rules_label_or_only_its_message():
    from django.template.loader import render_to_string

    from telework.core.exceptions import RuleViolation
    from telework.core.rule_labels import rule_label

    error = RuleViolation(
        "Quá số ngày",
        rule="min_office_days_per_week",
        details=[{"rule": "min_office_days_per_week", "message": "Tuần 1"}, {"rule": "some.internal_key", "message": "Tuần 2"}],
    )
    with translation.override("en"):
        html = render_to_string("core/rule_violation.html", {"error": error})
        assert rule_label("min_office_days_per_week") == "Minimum office days per person per week"
    assert rule_label("some.internal_key") == ""
    assert "(rule: Minimum office days per person per week)" in html
    assert keys_on_screen(html) == set()
    assert 'data-rule="some.internal_key">Tuần 2</li>' in html


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_key_in_a_roster_that_cannot_keep_every_rule(city, language):
    from telework.rosters.models import LeaveKind
    from telework.rosters.services import leave_record, roster_generate

    monday = next_monday()
    # The only qualified clerk of the one-stop desk is on leave all week: the desk cannot be staffed.
    leave_record(staff=city.clerk, starts_on=monday, ends_on=monday + dt.timedelta(days=4), kind=LeaveKind.ANNUAL, actor=city.head_user)
    roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    client = Client()
    client.force_login(city.head_user)
    client.cookies["django_language"] = language
    year, week, _weekday = monday.isocalendar()

    page = client.get(reverse("rosters:week") + f"?unit={city.unit.pk}&week={year}-W{week:02d}").content.decode()

    assert city.desk.name in page
    assert keys_on_screen(page) == set()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_no_key_on_the_pilot_policy_and_staff_pages(city, language):
    client = Client()
    client.force_login(city.home_affairs)
    client.cookies["django_language"] = language
    pages = {
        "pilot": reverse("policy:pilot_detail", args=[city.pilot.pk]),
        "policy": reverse("policy:policy_detail", args=[city.policy.pk]),
        "preset": reverse("policy:policy_preset") + "?preset=france",
        "staff": reverse("organization:staff_detail", args=[city.staff[0].code]),
        "clerk": reverse("organization:staff_detail", args=[city.clerk.code]),
    }
    found = {}
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        found[name] = keys_on_screen(response.content.decode())
    assert {name: keys for name, keys in found.items() if keys} == {}, found
