"""Role × endpoint × scope: one matrix proving who may read and do what, through the API and the web pages, and
that a refused request changes nothing.

Roles: staff, unit head, agency head, agency HR, Home Affairs, city leadership, system administrator, anonymous.
The scope is the person (or unit) a request is about, relative to the caller:

* ``own``: the caller's own record (roles linked to a staff record); for role-wide endpoints (``/me``, registering,
  the inbox page, the policy screens…) ``own`` simply means "the caller";
* ``same_unit``: a colleague in the caller's unit (callers without a unit: a member of the pilot unit);
* ``same_agency``: someone in another unit of the caller's agency;
* ``other_agency``: a staff member of another agency.

Answers: 200/201 allowed; 401 (API) or ``LOGIN`` (pages: redirect to the login page) when not logged in; 403 seen
but not the caller's to act on, or a screen the role does not have; 404 outside the caller's scope (ids do not
leak); ``DONE`` a page's write succeeded and redirected; ``LISTED``/``HIDDEN`` whether a list shows the scoped
registration. City leadership is read-only everywhere. Every refused write is checked to leave the registrations,
their days, the city-wide switches and the audit trail exactly as they were.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import transaction
from django.urls import reverse

from telework.accounts.models import Role
from telework.core.audit import audit_record
from telework.core.models import AuditEvent
from telework.demo.testing import build_city, next_monday
from telework.organization.models import Staff, Unit
from telework.organization.tests.factories import StaffFactory, UnitFactory
from telework.policy.models import PolicySwitch
from telework.policy.services import switches_ensure
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus

ROLES = ("staff", "unit_head", "agency_head", "agency_hr", "home_affairs", "city_leadership", "system_admin", "anonymous")
SCOPES = ("own", "same_unit", "same_agency", "other_agency")
EQUIPMENT = ["computer", "internet", "phone", "printer"]
LOGIN, DONE, LISTED, HIDDEN = "login", "done", "listed", "hidden"


# ------------------------------------------------------------------------------------------------ the organisation


@dataclass
class World:
    """The test city plus an agency head's office and a fuller HR unit, so every role can hold a registration."""

    users: dict[str, Any]
    homes: dict[str, Unit]  # the unit each role belongs to (the pilot unit for city-wide roles)
    members: dict[int, Staff]  # unit id → the colleague used as "someone in that unit"
    own: dict[str, Staff]
    other_unit_of: dict[int, Unit]
    outsider: Staff


def build_world() -> World:
    city = build_city()
    switches_ensure()  # both city-wide switches exist (off), as after the first visit to the policy screens
    agency = city.agency
    officer = city.head.position
    hr_staff = city.hr.staff
    hr_unit = hr_staff.unit
    office = UnitFactory(agency=agency, name="Ban Giám đốc")
    director = StaffFactory(unit=office, position=officer, is_leader=True, full_name="Giám Đốc Sở", user__role=Role.AGENCY_HEAD)
    StaffFactory(unit=office, position=officer, is_leader=True, full_name="Phó Giám Đốc", direct_superior=director)
    office_member = StaffFactory(unit=office, position=officer, full_name="Chuyên Viên Văn Phòng", direct_superior=director)
    StaffFactory(unit=office, position=officer, direct_superior=director)
    hr_member = StaffFactory(unit=hr_unit, position=officer, full_name="Chuyên Viên Nhân Sự")
    StaffFactory.create_batch(2, unit=hr_unit, position=officer)
    # A deputy keeps the unit led on the head's own home days (the policy wants a leader on site every day).
    StaffFactory(unit=city.unit, position=officer, is_leader=True, full_name="Phó Trưởng Phòng", direct_superior=city.head)
    users = {
        "staff": city.staff[0].user,
        "unit_head": city.head_user,
        "agency_head": director.user,
        "agency_hr": city.hr,
        "home_affairs": city.home_affairs,
        "city_leadership": city.leadership,
        "system_admin": city.admin,
        "anonymous": None,
    }
    homes = {role: city.unit for role in ROLES}
    homes.update({"agency_head": office, "agency_hr": hr_unit})
    return World(
        users=users,
        homes=homes,
        members={city.unit.pk: city.staff[1], hr_unit.pk: hr_member, office.pk: office_member},
        own={"staff": city.staff[0], "unit_head": city.head, "agency_head": director, "agency_hr": hr_staff},
        other_unit_of={city.unit.pk: hr_unit, hr_unit.pk: city.unit, office.pk: city.unit},
        outsider=city.outsider,
    )


@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The organisation, built once for the whole matrix inside a transaction rolled back at the end. Each test runs
    in its own savepoint within it (pytest-django's ``db``), so no test sees another's changes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def subject(world: World, role: str, scope: str) -> Staff | None:
    """The staff member the request is about (None for an account without a staff record asking about itself)."""
    home = world.homes[role]
    if scope == "own":
        return world.own.get(role)
    if scope == "same_unit":
        return world.members[home.pk]
    if scope == "same_agency":
        return world.members[world.other_unit_of[home.pk].pk]
    return world.outsider


def registration_for(staff: Staff, status: str) -> Registration:
    """A registration in ``status`` for next week's Monday, arranged directly (its day counted when approved)."""
    monday = next_monday()
    now = dt.datetime.now(tz=dt.UTC)
    registration = Registration.objects.create(
        staff=staff,
        unit=staff.unit,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[0],
        status=status,
        equipment_attested=EQUIPMENT,
        commitment_accepted=True,
        submitted_at=now,
        approved_at=now if status == RegistrationStatus.APPROVED else None,
        policy_snapshot={"notice_days": 15, "trial_period_days": 60, "notice_days_during_trial": 5},
    )
    RegistrationDay.objects.create(registration=registration, staff=staff, unit=staff.unit, day=monday, is_counted=status == RegistrationStatus.APPROVED)
    return registration


# ------------------------------------------------------------------------------------------------ the endpoints


@dataclass
class Target:
    person: Staff | None
    unit: Unit | None
    registration: Registration | None


def api_body(weekday: int) -> dict[str, Any]:
    monday = next_monday() + dt.timedelta(days=7)
    return {
        "starts_on": monday.isoformat(),
        "ends_on": (monday + dt.timedelta(days=4)).isoformat(),
        "mode": "weekly",
        "weekdays": [weekday],
        "equipment_attested": EQUIPMENT,
        "commitment_accepted": True,
        "work_plan": "Tổng hợp báo cáo",
    }


def form_body(weekday: int) -> dict[str, Any]:
    body = api_body(weekday)
    return {**body, "equipment": body.pop("equipment_attested"), "commitment_accepted": "on"}


@dataclass
class Endpoint:
    """One API operation or web page. ``url`` builds the address from the target; ``status`` is the state the
    scoped registration must be in; ``result`` the state an allowed write leaves it in."""

    method: str
    url: Callable[[Target], str]
    kind: str = "api"  # "api" (JSON) or "page" (HTML, form-encoded)
    status: str | None = None
    body: dict[str, Any] = field(default_factory=dict)
    result: str | None = None
    writes: bool = False
    needs_audit_row: bool = False


def page(name: str, **kwargs: Any) -> Callable[[Target], str]:
    return lambda target: reverse(name, kwargs=kwargs)


def registration_page(name: str) -> Callable[[Target], str]:
    return lambda target: reverse(name, args=[target.registration.pk if target.registration else 0])


S = RegistrationStatus
ENDPOINTS: dict[str, Endpoint] = {
    # API
    "api me": Endpoint("get", lambda t: "/api/me"),
    "api register": Endpoint("post", lambda t: "/api/registrations", body=api_body(1), writes=True, result=S.SUBMITTED),
    "api eligibility": Endpoint("get", lambda t: f"/api/eligibility/{t.person.code if t.person else ''}"),
    "api list": Endpoint("get", lambda t: "/api/registrations", status=S.SUBMITTED),
    "api detail": Endpoint("get", lambda t: f"/api/registrations/{t.registration.pk if t.registration else 0}", status=S.SUBMITTED),
    "api inbox": Endpoint("get", lambda t: "/api/approvals/inbox", status=S.SUBMITTED),
    "api overview": Endpoint("get", lambda t: f"/api/units/{t.unit.pk if t.unit else 0}/overview"),
    **{
        f"api {action}": Endpoint(
            "post", lambda t, path=path: f"/api/registrations/{t.registration.pk if t.registration else 0}/{path}", status=status, body=body, result=result
        )
        for action, path, status, body, result in (
            ("approve", "approve", S.SUBMITTED, {"comment": "Đồng ý"}, S.APPROVED),
            ("reject", "reject", S.SUBMITTED, {"reason": "Thiếu người"}, S.REJECTED),
            ("request_changes", "request-changes", S.SUBMITTED, {"comment": "Đổi sang thứ Tư"}, S.CHANGES_REQUESTED),
            ("revoke", "revoke", S.APPROVED, {"reason": "Cần người trực"}, S.REVOKED),
            ("withdraw", "withdraw", S.SUBMITTED, {}, S.WITHDRAWN),
        )
    },
    "api resubmit": Endpoint(
        "put", lambda t: f"/api/registrations/{t.registration.pk if t.registration else 0}", status=S.CHANGES_REQUESTED, body=api_body(2), result=S.SUBMITTED
    ),
    # Web pages: screens by role
    **{
        f"page {name}": Endpoint("get", page(name, **kwargs), kind="page")
        for name, kwargs in (
            ("portal:home", {}),
            ("core:notifications", {}),
            ("portal:audit", {}),
            ("accounts:tokens", {}),
            ("registrations:mine", {}),
            ("registrations:new", {}),
            ("registrations:eligibility", {}),
            ("registrations:inbox", {}),
            ("registrations:overview", {}),
            ("policy:pilots", {}),
            ("policy:policies", {}),
            ("policy:pilot_create", {}),
            ("policy:policy_city_new", {}),
            ("policy:policy_preset", {}),
            ("policy:policy_override_new", {}),
            ("policy:switch_change", {"kind": "emergency"}),
            ("organization:staff_list", {}),
            ("organization:units", {}),
            ("organization:positions", {}),
            ("organization:service_points", {}),
            ("organization:service_point_create", {}),
            ("organization:import", {}),
        )
    },
    # Web pages: about one person, unit or registration
    "page registrations:detail": Endpoint("get", registration_page("registrations:detail"), kind="page", status=S.SUBMITTED),
    "page registrations:edit": Endpoint("get", registration_page("registrations:edit"), kind="page", status=S.CHANGES_REQUESTED),
    "page eligibility of": Endpoint("get", lambda t: reverse("registrations:eligibility") + f"?staff={t.person.code if t.person else ''}", kind="page"),
    "page overview of": Endpoint("get", lambda t: reverse("registrations:overview") + f"?unit={t.unit.pk if t.unit else 0}", kind="page"),
    "page organization:staff_detail": Endpoint("get", lambda t: reverse("organization:staff_detail", args=[t.person.code if t.person else "-"]), kind="page"),
    "page portal:audit_object": Endpoint(
        "get", lambda t: reverse("portal:audit_object", args=["organization.staff", str(t.person.pk if t.person else 0)]), kind="page", needs_audit_row=True
    ),
    # Web pages: writes
    "page register": Endpoint("post", page("registrations:new"), kind="page", body=form_body(1), writes=True, result=S.SUBMITTED),
    "page resubmit": Endpoint("post", registration_page("registrations:edit"), kind="page", status=S.CHANGES_REQUESTED, body=form_body(2), result=S.SUBMITTED),
    **{
        f"page {action}": Endpoint("post", registration_page(f"registrations:{action}"), kind="page", status=status, body={"comment": comment}, result=result)
        for action, status, comment, result in (
            ("approve", S.SUBMITTED, "Đồng ý", S.APPROVED),
            ("reject", S.SUBMITTED, "Thiếu người", S.REJECTED),
            ("request_changes", S.SUBMITTED, "Đổi sang thứ Tư", S.CHANGES_REQUESTED),
            ("revoke", S.APPROVED, "Cần người trực", S.REVOKED),
            ("withdraw", S.SUBMITTED, "", S.WITHDRAWN),
        )
    },
    "page switch emergency on": Endpoint(
        "post", page("policy:switch_change", kind="emergency"), kind="page", body={"turn": "on", "reason": "Dịch bệnh", "confirm": "yes"}, writes=True
    ),
}
for endpoint in ENDPOINTS.values():
    endpoint.writes = endpoint.writes or endpoint.result is not None


# ------------------------------------------------------------------------------------------------ the answers


def by_role(**rows: tuple[Any, ...]) -> dict[str, tuple[Any, ...]]:
    assert set(rows) == set(ROLES)
    return rows


def role_wide(*answers: Any) -> dict[str, tuple[Any, ...]]:
    """An endpoint about the caller only: one answer per role, in ``ROLES`` order, for scope ``own``."""
    return {role: (answer, None, None, None) for role, answer in zip(ROLES, answers, strict=True)}


def as_page(rows: dict[str, tuple[Any, ...]], *, success: Any = 200) -> dict[str, tuple[Any, ...]]:
    """The API's answers as a page gives them: a login redirect for anonymous callers, ``success`` for 200."""
    return {role: tuple({401: LOGIN, 200: success}.get(answer, answer) for answer in row) for role, row in rows.items()}


def as_list(rows: dict[str, tuple[Any, ...]]) -> dict[str, tuple[Any, ...]]:
    return {role: tuple({200: LISTED, 403: HIDDEN, 404: HIDDEN}.get(answer, answer) for answer in row) for role, row in rows.items()}


# Scoped answers for own, same_unit, same_agency, other_agency (None: no such scope for the role).
SEE = by_role(
    staff=(200, 404, 404, 404),
    unit_head=(200, 200, 404, 404),
    agency_head=(200, 200, 200, 404),
    agency_hr=(200, 200, 200, 404),
    home_affairs=(None, 200, 200, 200),
    city_leadership=(None, 200, 200, 200),
    system_admin=(None, 200, 200, 200),
    anonymous=(None, 401, 401, 401),
)
DECIDE = by_role(
    staff=(403, 404, 404, 404),
    unit_head=(403, 200, 404, 404),
    agency_head=(403, 200, 200, 404),
    agency_hr=(403, 403, 403, 404),
    home_affairs=(None, 403, 403, 403),
    city_leadership=(None, 403, 403, 403),
    system_admin=(None, 403, 403, 403),
    anonymous=(None, 401, 401, 401),
)
OWN_ONLY = by_role(
    staff=(200, 404, 404, 404),
    unit_head=(200, 403, 404, 404),
    agency_head=(200, 403, 403, 404),
    agency_hr=(200, 403, 403, 404),
    home_affairs=(None, 403, 403, 403),
    city_leadership=(None, 403, 403, 403),
    system_admin=(None, 403, 403, 403),
    anonymous=(None, 401, 401, 401),
)
UNIT_OVERVIEW = by_role(
    staff=(404, 404, 404, 404),
    unit_head=(200, 200, 404, 404),
    agency_head=(200, 200, 200, 404),
    agency_hr=(200, 200, 200, 404),
    home_affairs=(None, 200, 200, 200),
    city_leadership=(None, 200, 200, 200),
    system_admin=(None, 200, 200, 200),
    anonymous=(None, 401, 401, 401),
)
# Audit rows are scoped like the objects they describe: a staff record's history is read by whoever may see the
# person (a unit head: their unit's subtree, never a sibling unit's; a staff member: their own).
AUDIT_HISTORY = as_page(SEE)

#                    staff  unit_head agency_head agency_hr home_affairs leadership admin anonymous
EVERYONE = role_wide(200, 200, 200, 200, 200, 200, 200, LOGIN)
STAFF_RECORD = role_wide(200, 200, 200, 200, 403, 403, 403, LOGIN)
READERS_ABOVE_STAFF = role_wide(403, 200, 200, 200, 200, 200, 200, LOGIN)
ORGANISATION_MANAGERS = role_wide(403, 403, 403, 200, 200, 403, 200, LOGIN)
CITY_POLICY_READERS = role_wide(403, 403, 403, 403, 200, 200, 200, LOGIN)
CITY_POLICY_MAKERS = role_wide(403, 403, 403, 403, 200, 403, 200, LOGIN)

EXPECTED: dict[str, dict[str, tuple[Any, ...]]] = {
    "api me": role_wide(200, 200, 200, 200, 200, 200, 200, 401),
    "api register": role_wide(201, 201, 201, 201, 403, 403, 403, 401),
    "api eligibility": SEE,
    "api list": as_list(SEE),
    "api detail": SEE,
    "api inbox": as_list(DECIDE),
    "api overview": UNIT_OVERVIEW,
    "api approve": DECIDE,
    "api reject": DECIDE,
    "api request_changes": DECIDE,
    "api revoke": DECIDE,
    "api withdraw": OWN_ONLY,
    "api resubmit": OWN_ONLY,
    "page portal:home": EVERYONE,
    "page core:notifications": EVERYONE,
    # Everyone reads the trail, each the rows about what they may see.
    "page portal:audit": EVERYONE,
    "page accounts:tokens": EVERYONE,
    "page registrations:mine": STAFF_RECORD,
    "page registrations:new": STAFF_RECORD,
    # Accounts without a staff record get the look-up form.
    "page registrations:eligibility": EVERYONE,
    "page registrations:inbox": role_wide(403, 200, 200, 403, 403, 403, 403, LOGIN),
    "page registrations:overview": READERS_ABOVE_STAFF,
    "page policy:pilots": CITY_POLICY_READERS,
    "page policy:policies": role_wide(403, 403, 200, 403, 200, 200, 200, LOGIN),
    "page policy:pilot_create": CITY_POLICY_MAKERS,
    "page policy:policy_city_new": CITY_POLICY_MAKERS,
    "page policy:policy_preset": CITY_POLICY_MAKERS,
    # Agency heads override their own agency's policy (only stricter than the city).
    "page policy:policy_override_new": role_wide(403, 403, 200, 403, 200, 403, 200, LOGIN),
    "page policy:switch_change": CITY_POLICY_MAKERS,
    "page organization:staff_list": EVERYONE,
    "page organization:units": READERS_ABOVE_STAFF,
    "page organization:positions": READERS_ABOVE_STAFF,
    "page organization:service_points": READERS_ABOVE_STAFF,
    "page organization:service_point_create": ORGANISATION_MANAGERS,
    "page organization:import": ORGANISATION_MANAGERS,
    "page registrations:detail": as_page(SEE),
    "page registrations:edit": as_page(OWN_ONLY),
    "page eligibility of": as_page(SEE),
    # The overview page is a screen for heads, HR and Home Affairs: a staff member gets 403, not 404.
    "page overview of": as_page({**UNIT_OVERVIEW, "staff": (403, 403, 403, 403)}),
    "page organization:staff_detail": as_page(SEE),
    "page portal:audit_object": AUDIT_HISTORY,
    "page register": role_wide(DONE, DONE, DONE, DONE, 403, 403, 403, LOGIN),
    "page resubmit": as_page(OWN_ONLY, success=DONE),
    "page approve": as_page(DECIDE, success=DONE),
    "page reject": as_page(DECIDE, success=DONE),
    "page request_changes": as_page(DECIDE, success=DONE),
    "page revoke": as_page(DECIDE, success=DONE),
    "page withdraw": as_page(OWN_ONLY, success=DONE),
    "page switch emergency on": role_wide(403, 403, 403, 403, DONE, 403, DONE, LOGIN),
}


def cases() -> list[Any]:
    result = []
    for name, rows in EXPECTED.items():
        for role in ROLES:
            for scope, expected in zip(SCOPES, rows[role], strict=True):
                if expected is not None:
                    result.append(pytest.param(role, name, scope, expected, id=f"{role}-{name}-{scope}"))
    return result


# ------------------------------------------------------------------------------------------------ the test


def snapshot(registration: Registration | None) -> tuple[Any, ...]:
    """Everything a refused request must leave as it was."""
    state: tuple[Any, ...] = (
        Registration.objects.count(),
        AuditEvent.objects.count(),
        tuple(PolicySwitch.objects.order_by("kind").values_list("kind", "is_active")),
    )
    if registration is not None:
        registration.refresh_from_db()
        days = tuple(registration.days.order_by("day").values_list("day", "is_counted"))
        state += (registration.status, registration.decided_by_id, registration.decision_comment, days)
    return state


# These apps keep their own role × endpoint matrix beside their code (e.g. rosters/tests/test_api.py).
APP_MATRIX_PREFIXES = ("/api/rosters", "/api/work", "/api/attendance", "/api/evaluations", "/api/pilots", "/api/staffing", "/api/dossiers")


def test_every_endpoint_and_role_is_in_the_matrix():
    api_operations = {(method.upper(), path) for path, item in _openapi_paths().items() for method in item if not path.startswith(APP_MATRIX_PREFIXES)}
    assert len(api_operations) == len([name for name in ENDPOINTS if name.startswith("api ")])
    assert set(EXPECTED) == set(ENDPOINTS)
    assert all(set(rows) == set(ROLES) for rows in EXPECTED.values())


def _openapi_paths() -> dict[str, Any]:
    from config.api import api

    return api.get_openapi_schema()["paths"]  # type: ignore[no-any-return]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "name", "scope", "expected"), cases())
def test_permission_matrix(world, client, role, name, scope, expected):
    endpoint = ENDPOINTS[name]
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    person = subject(world, role, scope)
    unit = world.homes[role] if scope == "own" else person.unit if person is not None else None
    registration = registration_for(person, endpoint.status) if endpoint.status and person is not None else None
    if endpoint.needs_audit_row and person is not None:
        audit_record(actor=None, action="staff.update", target=person, agency_id=person.unit.agency_id)
    url = endpoint.url(Target(person, unit, registration))
    before = snapshot(registration)

    if endpoint.method == "get":
        response = client.get(url)
    elif endpoint.kind == "api":
        response = getattr(client, endpoint.method)(url, endpoint.body, content_type="application/json")
    else:
        response = client.post(url, endpoint.body)

    if expected in (LISTED, HIDDEN):
        assert response.status_code == 200, response.content
        items = response.json()
        ids = [item["id"] for item in (items["items"] if isinstance(items, dict) else items)]
        assert (registration.pk in ids) is (expected == LISTED)
    elif expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    elif expected == DONE:
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == expected, response.content.decode()[:2000]
        if endpoint.kind == "api" and expected >= 400:
            assert set(response.json()) == {"code", "rule", "message", "params", "details"}

    allowed = expected in (DONE, LISTED, HIDDEN) or isinstance(expected, int) and expected < 400
    if not endpoint.writes or not allowed:
        assert snapshot(registration) == before
        return
    # An allowed write did what it says, with exactly one audit row.
    assert AuditEvent.objects.count() == before[1] + 1
    if registration is not None:
        registration.refresh_from_db()
        assert registration.status == endpoint.result
    elif endpoint.result is not None:  # registering: one new registration, the caller's own
        assert Registration.objects.count() == before[0] + 1
        assert Registration.objects.latest("id").staff == person
    else:  # the switch
        assert PolicySwitch.objects.get(kind="emergency").is_active is True
