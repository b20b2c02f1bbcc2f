"""The rosters API: read a unit-week, edit a cell (refusals carry the rule), publish, today's list, swaps, exports,
and the role × endpoint scope."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from telework.accounts.models import ApiToken
from telework.core.models import AuditEvent, Notification
from telework.demo.testing import next_monday
from telework.rosters.engine import instance as engine
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterRun, RosterStatus
from telework.rosters.selectors import iso_week_of
from telework.rosters.services import roster_generate, roster_publish
from telework.rosters.tests.test_services import approve_home_days


def bearer(user):  # type: ignore[no-untyped-def]
    _token, key = ApiToken.issue(user=user, name="test client")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def api(user):  # type: ignore[no-untyped-def]
    return Client(**bearer(user))


@pytest.fixture
def roster(city):  # type: ignore[no-untyped-def]
    monday = next_monday()
    approve_home_days(city.staff[0], [monday, monday + dt.timedelta(days=2)])
    return roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)


def test_the_head_reads_the_draft_with_grid_totals_and_certificate(city, roster):
    response = api(city.head_user).get(f"/api/rosters/units/{city.unit.pk}/weeks/{roster.iso_week}")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["version"]) == (roster.pk, "draft", 1)
    assert body["certificate"]["status"] == "OPTIMAL"
    assert len(body["rows"]) == 10
    assert len(body["totals"]) == 5
    row = next(row for row in body["rows"] if row["staff"]["id"] == city.staff[0].pk)
    assert [cell["status"] for cell in row["cells"]] == ["home", "office", "home", "office", "office"]
    assert body["findings"] == []


@pytest.mark.parametrize("who", ["staff", "hr", "leadership"])
def test_a_draft_is_the_heads_working_copy_and_readers_wait_for_publication(city, roster, who):
    user = {"staff": city.staff[3].user, "hr": city.hr, "leadership": city.leadership}[who]
    reader = api(user)
    assert reader.get(f"/api/rosters/units/{city.unit.pk}/weeks/{roster.iso_week}").status_code == 404
    assert reader.get(f"/api/rosters/{roster.pk}").status_code == 404
    assert reader.post(f"/api/rosters/{roster.pk}/publish").status_code == 404
    assert Roster.objects.get(pk=roster.pk).status == RosterStatus.DRAFT

    roster_publish(roster=roster, actor=city.head_user)

    assert reader.get(f"/api/rosters/units/{city.unit.pk}/weeks/{roster.iso_week}").json()["status"] == "published"


def test_an_outsider_gets_404_for_the_unit_and_the_roster(city, roster):
    outsider = api(city.outsider.user)
    assert outsider.get(f"/api/rosters/units/{city.unit.pk}/weeks/{roster.iso_week}").status_code == 404
    assert outsider.get(f"/api/rosters/{roster.pk}").status_code == 404
    assert outsider.get(f"/api/rosters/{roster.pk}/export.xlsx").status_code == 404


def test_a_refused_edit_answers_409_with_the_rule_and_changes_nothing(city, roster):
    tuesday = roster.week_start + dt.timedelta(days=1)
    before = list(RosterEntry.objects.filter(roster=roster).order_by("pk").values_list("status", "is_manual"))
    audit_before = AuditEvent.objects.count()

    response = api(city.head_user).post(
        f"/api/rosters/{roster.pk}/cells", {"staff_id": city.staff[0].pk, "day": tuesday.isoformat(), "status": "home"}, content_type="application/json"
    )

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["rule"]) == ("rule_violation", engine.APPROVED_DAYS_ONLY)
    assert body["details"][0]["date"] == tuesday.isoformat()
    assert list(RosterEntry.objects.filter(roster=roster).order_by("pk").values_list("status", "is_manual")) == before
    assert AuditEvent.objects.count() == audit_before


def test_an_accepted_edit_returns_the_cell_marked_manual(city, roster):
    response = api(city.head_user).post(
        f"/api/rosters/{roster.pk}/cells",
        {"staff_id": city.staff[0].pk, "day": roster.week_start.isoformat(), "status": "office"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["cell"] | {"problems": []} == {
        "day": roster.week_start.isoformat(),
        "status": "office",
        "service_point_id": None,
        "label": response.json()["cell"]["label"],
        "is_manual": True,
        "leave_kind": "",
        "problems": [],
    }
    assert RosterEntry.objects.get(roster=roster, staff=city.staff[0], day=roster.week_start).status == EntryStatus.OFFICE


def test_a_dry_run_validates_without_changing(city, roster):
    response = api(city.head_user).post(
        f"/api/rosters/{roster.pk}/cells",
        {"staff_id": city.staff[0].pk, "day": roster.week_start.isoformat(), "status": "office", "dry_run": True},
        content_type="application/json",
    )

    assert response.json() == {"applied": False, "cell": None, "warnings": []}
    assert RosterEntry.objects.get(roster=roster, staff=city.staff[0], day=roster.week_start).status == EntryStatus.HOME


@pytest.mark.parametrize(
    ("who", "status"),
    [("staff", 403), ("hr", 403), ("leadership", 403), ("outsider", 404)],
)
def test_only_those_who_manage_the_unit_edit_a_published_roster(city, roster, who, status):
    """Readers of a published roster may not change it (403); someone outside the unit's scope does not see it (404)."""
    user = {"staff": city.staff[2].user, "hr": city.hr, "leadership": city.leadership, "outsider": city.outsider.user}[who]
    roster = roster_publish(roster=roster, actor=city.head_user)
    before = (roster.status, list(RosterEntry.objects.filter(roster=roster).order_by("pk").values_list("status", flat=True)))

    edit = api(user).post(
        f"/api/rosters/{roster.pk}/cells",
        {"staff_id": city.staff[0].pk, "day": roster.week_start.isoformat(), "status": "office"},
        content_type="application/json",
    )
    generate = api(user).post(f"/api/rosters/units/{city.unit.pk}/weeks/{roster.iso_week}/generate", {}, content_type="application/json")

    assert (edit.status_code, generate.status_code) == (status, status)
    roster.refresh_from_db()
    assert (roster.status, list(RosterEntry.objects.filter(roster=roster).order_by("pk").values_list("status", flat=True))) == before


def test_publish_through_the_api_notifies_the_unit(city, roster, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = api(city.head_user).post(f"/api/rosters/{roster.pk}/publish")

    assert response.status_code == 200
    assert response.json()["status"] == "published"
    assert Notification.objects.filter(key=f"roster:{roster.pk}:published").count() == 10


def test_generate_for_a_unit_creates_the_next_version(city, roster):
    response = api(city.head_user).post(f"/api/rosters/units/{city.unit.pk}/weeks/{roster.iso_week}/generate", {}, content_type="application/json")

    assert response.status_code == 201
    assert response.json()["version"] == 2
    assert Roster.objects.filter(unit=city.unit, is_current=True).get().version == 2


def test_a_bad_week_answers_422_naming_the_field(city):
    response = api(city.head_user).get(f"/api/rosters/units/{city.unit.pk}/weeks/2026-W99")

    assert response.status_code == 422
    assert response.json()["rule"] == "week"


def test_today_lists_who_is_where_from_the_published_roster(city, roster):
    roster_publish(roster=roster, actor=city.head_user)

    response = api(city.staff[4].user).get(f"/api/rosters/today?unit={city.unit.pk}&day={roster.week_start.isoformat()}")

    assert response.status_code == 200
    (unit,) = response.json()
    assert unit["is_published"] is True
    assert [person["staff"]["id"] for person in unit["at_home"]] == [city.staff[0].pk]
    assert [(person["staff"]["id"], person["service_point"]) for person in unit["at_desk"]] == [(city.clerk.pk, city.desk.name)]
    assert len(unit["on_site"]) == 8


def test_city_wide_generation_is_for_home_affairs(city, roster, django_capture_on_commit_callbacks):
    week = iso_week_of(roster.week_start)
    refused = api(city.head_user).post("/api/rosters/generate", {"week": week}, content_type="application/json")
    assert refused.status_code == 403
    assert not RosterRun.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = api(city.home_affairs).post("/api/rosters/generate", {"week": week, "agency": city.agency.code}, content_type="application/json")

    assert response.status_code == 201
    run = api(city.home_affairs).get(f"/api/rosters/runs/{response.json()['id']}").json()
    assert (run["status"], run["units_done"], run["summary"]["units"]) == ("done", 2, 2)


def test_swap_request_accept_and_approve_through_the_api(city, roster, django_capture_on_commit_callbacks):
    monday = roster.week_start
    approve_home_days(city.staff[1], [monday + dt.timedelta(days=1)])
    roster = roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    roster = roster_publish(roster=roster, actor=city.head_user)
    first, second = city.staff[0], city.staff[1]
    approve_home_days(first, [monday + dt.timedelta(days=1)])
    approve_home_days(second, [monday])

    with django_capture_on_commit_callbacks(execute=True):
        asked = api(first.user).post(
            f"/api/rosters/{roster.pk}/swaps",
            {
                "counterpart_id": second.pk,
                "requester_day": monday.isoformat(),
                "counterpart_day": (monday + dt.timedelta(days=1)).isoformat(),
                "reason": "Đi khám bệnh",
            },
            content_type="application/json",
        )
    assert asked.status_code == 201, asked.json()
    swap_id = asked.json()["id"]
    assert Notification.objects.filter(user=second.user, key=f"swap:{swap_id}:requested").exists()
    assert api(second.user).post(f"/api/rosters/swaps/{swap_id}/accept").json()["status"] == "accepted"
    approved = api(city.head_user).post(f"/api/rosters/swaps/{swap_id}/approve", {"comment": ""}, content_type="application/json")

    assert approved.status_code == 200
    assert approved.json()["status"] == "approved"
    statuses = dict(RosterEntry.objects.filter(roster=roster, staff__in=[first, second], day__in=[monday]).values_list("staff_id", "status"))
    assert statuses == {first.pk: EntryStatus.OFFICE, second.pk: EntryStatus.HOME}


def test_exports_download_with_their_content_type(city, roster):
    client = api(city.head_user)

    excel = client.get(f"/api/rosters/{roster.pk}/export.xlsx")
    pdf = client.get(f"/api/rosters/{roster.pk}/export.pdf")

    assert excel.status_code == 200
    assert excel["Content-Type"].startswith("application/vnd.openxmlformats")
    assert excel.content[:2] == b"PK"
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF")
    assert f"{roster.iso_week}-v1.pdf" in pdf["Content-Disposition"]
    assert RosterStatus.DRAFT == Roster.objects.get(pk=roster.pk).status


# --- role × endpoint × scope ---------------------------------------------------------------------------------------

ROLES = ("staff", "unit_head", "agency_head", "agency_hr", "home_affairs", "city_leadership", "system_admin", "outsider", "anonymous")
# Expected answers, one per role in ``ROLES`` order. The published roster is readable by everyone in the unit's scope;
# a draft only by those who manage it (and Home Affairs, who generates city-wide); writes by the managers.
MATRIX: dict[str, tuple[int, ...]] = {
    "read published week": (200, 200, 200, 200, 200, 200, 200, 404, 401),
    "read draft": (404, 200, 200, 404, 200, 404, 200, 404, 401),
    "edit published cell": (403, 200, 200, 403, 403, 403, 200, 404, 401),
    "publish draft": (404, 200, 200, 404, 403, 404, 200, 404, 401),
    "generate unit": (403, 201, 201, 403, 201, 403, 201, 404, 401),
    "generate city": (403, 403, 403, 403, 201, 403, 201, 403, 401),
    "today": (200, 200, 200, 200, 200, 200, 200, 404, 401),
    "export": (200, 200, 200, 200, 200, 200, 200, 404, 401),
    "record leave": (403, 201, 201, 201, 403, 403, 201, 404, 401),
}


def _world(city):  # type: ignore[no-untyped-def]
    from telework.accounts.models import Role
    from telework.organization.tests.factories import StaffFactory, UnitFactory

    office = UnitFactory(agency=city.agency, name="Ban Giám đốc")
    director = StaffFactory(unit=office, position=city.head.position, is_leader=True, user__role=Role.AGENCY_HEAD)
    monday = next_monday()
    approve_home_days(city.staff[0], [monday])
    published = roster_publish(roster=roster_generate(unit=city.unit, week_start=monday, actor=city.head_user), actor=city.head_user)
    draft = roster_generate(unit=city.unit, week_start=monday + dt.timedelta(weeks=1), actor=city.head_user)
    users = {
        "staff": city.staff[2].user,
        "unit_head": city.head_user,
        "agency_head": director.user,
        "agency_hr": city.hr,
        "home_affairs": city.home_affairs,
        "city_leadership": city.leadership,
        "system_admin": city.admin,
        "outsider": city.outsider.user,
        "anonymous": None,
    }
    return users, published, draft


def _call(client, name, city, published, draft):  # type: ignore[no-untyped-def]
    unit = city.unit.pk
    json_post = {"content_type": "application/json"}
    if name == "read published week":
        return client.get(f"/api/rosters/units/{unit}/weeks/{published.iso_week}")
    if name == "read draft":
        return client.get(f"/api/rosters/{draft.pk}")
    if name == "edit published cell":
        return client.post(
            f"/api/rosters/{published.pk}/cells", {"staff_id": city.staff[0].pk, "day": published.week_start.isoformat(), "status": "office"}, **json_post
        )
    if name == "publish draft":
        return client.post(f"/api/rosters/{draft.pk}/publish")
    if name == "generate unit":
        return client.post(f"/api/rosters/units/{unit}/weeks/{draft.iso_week}/generate", {}, **json_post)
    if name == "generate city":
        return client.post("/api/rosters/generate", {"week": draft.iso_week, "agency": city.agency.code}, **json_post)
    if name == "today":
        return client.get(f"/api/rosters/today?unit={unit}&day={published.week_start.isoformat()}")
    if name == "export":
        return client.get(f"/api/rosters/{published.pk}/export.xlsx")
    assert name == "record leave"
    day = published.week_start + dt.timedelta(days=3)
    return client.post(
        "/api/rosters/leave", {"staff_id": city.staff[3].pk, "starts_on": day.isoformat(), "ends_on": day.isoformat(), "kind": "sick"}, **json_post
    )


def _state():  # type: ignore[no-untyped-def]
    from telework.rosters.models import Leave

    return (
        list(Roster.objects.order_by("pk").values_list("pk", "version", "status", "is_current")),
        list(RosterEntry.objects.order_by("pk").values_list("status", "is_manual")),
        Leave.objects.count(),
        RosterRun.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize(
    ("role", "name", "expected"),
    [pytest.param(role, name, answers[index], id=f"{role}-{name}") for name, answers in MATRIX.items() for index, role in enumerate(ROLES)],
)
def test_role_endpoint_matrix(city, role, name, expected):
    users, published, draft = _world(city)
    user = users[role]
    client = api(user) if user is not None else Client()
    before = _state()

    response = _call(client, name, city, published, draft)

    assert response.status_code == expected, response.content[:300]
    if expected >= 400:
        assert _state() == before
    if role == "anonymous":
        assert response.json()["code"] == "not_authenticated"
