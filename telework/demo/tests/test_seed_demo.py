"""The sample city (``manage.py seed_demo``): deterministic, realistic, and never breaking a rule it seeds."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sqlite3
import subprocess
import sys
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F

from telework.accounts.models import Role, User
from telework.core import calendar
from telework.core.exceptions import RuleViolation
from telework.core.models import AuditEvent
from telework.demo.city import build_demo_city, reset_database
from telework.demo.organisation import OrganisationPlanner
from telework.demo.plans import DemoSeedError, load_ward_reference
from telework.demo.reference import DEMO_PASSWORD, MINIMUM_STAFF, PILOT_CODE
from telework.organization.models import Agency, AgencyKind, Position, ServicePoint, Staff, Unit
from telework.policy.models import Pilot, PilotPhase, PilotStatus, Policy, PolicyLevel, PolicySwitch
from telework.policy.selectors import PolicyResolver, eligibility_for
from telework.registrations.caps import scale_to_working_days, unit_home_limit
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus
from telework.registrations.selectors import approval_inbox
from telework.registrations.services import registration_approve

SMALL_CITY = 300
# The suite's frozen day (root conftest.py): a module-level date must not come from the machine's clock.
TODAY = dt.date(2026, 11, 18)


def fingerprint() -> str:
    """A digest of everything the seed decides: organisation, people, accounts, desks, policies and registrations."""
    rows: list[object] = []
    rows += list(Agency.objects.order_by("code").values_list("code", "name", "kind", "administrative_code"))
    rows += list(Unit.objects.order_by("code").values_list("code", "name", "agency__code", "parent__code"))
    rows += list(
        Position.objects.order_by("agency__code", "code").values_list(
            "agency__code", "code", "name", "faces_citizens", "handles_dossiers", "is_one_stop_desk", "is_duty_post"
        )
    )
    rows += [
        (*row[:-3], str(row[-3]), str(row[-2]), row[-1])
        for row in Staff.objects.order_by("code").values_list(
            "code",
            "full_name",
            "staff_type",
            "unit__code",
            "position__code",
            "is_leader",
            "direct_superior__code",
            "phone",
            "email",
            "equipment",
            "training_completed_on",
            "disciplined_until",
            "user__username",
        )
    ]
    rows += list(User.objects.order_by("username").values_list("username", "email", "first_name", "role", "is_superuser"))
    rows += [
        (point.code, point.name, point.kind, point.required_on_site, sorted(member.code for member in point.qualified_staff.all()))
        for point in ServicePoint.objects.order_by("code").prefetch_related("qualified_staff")
    ]
    rows += list(Policy.objects.order_by("level", "version", "agency__code", "unit__code").values_list("level", "agency__code", "unit__code", "parameters"))
    for registration in Registration.objects.select_related("staff").prefetch_related("days").order_by("staff__code", "starts_on"):
        rows.append(
            (
                registration.staff.code,
                registration.starts_on.isoformat(),
                registration.ends_on.isoformat(),
                registration.mode,
                registration.weekdays,
                registration.requested_dates,
                registration.status,
                registration.decision_comment,
                registration.work_plan,
                registration.submitted_at.isoformat() if registration.submitted_at else None,
                registration.decided_at.isoformat() if registration.decided_at else None,
                str(registration.revoked_effective_on),
                sorted((day.day.isoformat(), day.is_counted) for day in registration.days.all()),
            )
        )
    rows += sorted(AuditEvent.objects.values_list("action", "object_type", "actor_label", "reason"))
    return hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode()).hexdigest()


def build_and_fingerprint(*, seed: int) -> str:
    """Seed inside a savepoint, take the fingerprint, and roll back, so the next build starts from empty."""
    with transaction.atomic():
        build_demo_city(staff=SMALL_CITY, seed=seed, today=TODAY, lived_in=False)
        digest = fingerprint()
        transaction.set_rollback(True)
    return digest


@pytest.mark.django_db
def test_same_seed_builds_identical_city() -> None:
    first = build_and_fingerprint(seed=11)
    second = build_and_fingerprint(seed=11)

    assert first == second
    assert Staff.objects.count() == 0


@pytest.mark.django_db
def test_different_seed_builds_different_city() -> None:
    assert build_and_fingerprint(seed=11) != build_and_fingerprint(seed=12)


@pytest.mark.django_db
def test_city_has_the_requested_staff_each_with_an_account() -> None:
    build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)

    assert Staff.objects.count() == SMALL_CITY
    assert Staff.objects.filter(user__isnull=True).count() == 0
    assert not Staff.objects.exclude(user__username=F("code")).exists()
    assert User.objects.count() == SMALL_CITY + 3
    assert set(User.objects.filter(username__in=["noivu", "lanhdao", "quantri"]).values_list("username", "role")) == {
        ("noivu", Role.HOME_AFFAIRS),
        ("lanhdao", Role.CITY_LEADERSHIP),
        ("quantri", Role.SYSTEM_ADMIN),
    }
    assert Staff.objects.filter(user__role=Role.AGENCY_HEAD).count() == Agency.objects.count()
    assert Staff.objects.filter(user__role=Role.AGENCY_HR).count() == Agency.objects.count()


@pytest.mark.django_db
def test_at_least_one_unit_per_twenty_staff() -> None:
    build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)

    assert Unit.objects.count() * 20 >= Staff.objects.count()
    for unit in Unit.objects.select_related("parent"):
        assert unit.path == f"{unit.parent.path if unit.parent else '/'}{unit.pk}/"


@pytest.mark.parametrize("staff", [2000, 20000])
def test_planned_city_scales_with_staff(staff: int) -> None:
    """Planning needs no database: at the default and the city-wide scale, units stay between 3 and 60 people, at
    least one per 20 staff; departments keep about a third of the staff, the wards two thirds."""
    agencies = OrganisationPlanner(staff=staff, seed=7, today=TODAY).plan()
    units = [unit for agency in agencies for unit in agency.units]
    sizes = [len(unit.members) for unit in units]
    by_kind: dict[str, int] = defaultdict(int)
    for agency in agencies:
        by_kind[agency.kind] += len(agency.people)

    assert sum(sizes) == staff
    assert len(units) * 20 >= staff
    assert sum(1 for unit in units if unit.parent is not None) >= staff // 250
    assert min(sizes) >= 3
    assert max(sizes) <= 60
    assert 0.25 <= by_kind[AgencyKind.DEPARTMENT] / staff <= 0.34
    assert 0.6 <= by_kind[AgencyKind.WARD_COMMITTEE] / staff <= 0.7
    assert sum(1 for agency in agencies if agency.kind == AgencyKind.DEPARTMENT) == 15
    if staff >= 15000:
        assert sum(1 for agency in agencies if agency.kind == AgencyKind.WARD_COMMITTEE) == 168


@pytest.mark.django_db
def test_every_ward_is_named_and_coded_after_the_reference_file() -> None:
    build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)
    reference = {(ward["code"], ward["name"]) for ward in load_ward_reference()}
    wards = list(Agency.objects.filter(kind=AgencyKind.WARD_COMMITTEE))

    assert len(reference) == 168
    assert wards
    for ward in wards:
        assert (ward.administrative_code, ward.name) in reference
        assert ward.code.endswith(ward.administrative_code)


@pytest.mark.django_db
def test_positions_that_face_citizens_are_a_larger_share_in_wards_than_in_departments() -> None:
    result = build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)
    shares = {kind: share for kind, share in result.public_facing_share.items()}

    assert 0.3 <= shares[str(AgencyKind.WARD_COMMITTEE.label)] <= 0.5
    assert 0.1 <= shares[str(AgencyKind.DEPARTMENT.label)] <= 0.25
    assert Position.objects.filter(is_one_stop_desk=True, agency__kind=AgencyKind.DEPARTMENT).count() == 0
    desks = ServicePoint.objects.filter(kind="one_stop_desk").prefetch_related("qualified_staff__position")
    assert desks
    for desk in desks:
        officers = [member for member in desk.qualified_staff.all() if member.position.is_one_stop_desk]
        assert 1 <= desk.required_on_site <= 2
        assert desk.required_on_site <= len(officers)


@pytest.mark.django_db
def test_pilot_policies_and_switches_are_in_place() -> None:
    build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)
    pilot = Pilot.objects.get(code=PILOT_CODE)
    phases = list(pilot.phases.order_by("starts_on"))
    in_pilot = set(pilot.agencies.values_list("code", flat=True))

    assert pilot.status == PilotStatus.RUNNING
    assert len(phases) == 2
    assert phases[0].starts_on <= TODAY <= phases[0].ends_on
    assert phases[1].starts_on > phases[0].ends_on
    assert set(Agency.objects.filter(kind=AgencyKind.DEPARTMENT).values_list("code", flat=True)) <= in_pilot
    assert Agency.objects.filter(kind=AgencyKind.WARD_COMMITTEE).exclude(code__in=in_pilot).exists()
    assert Policy.objects.get(level=PolicyLevel.CITY).preset == "hcmc_pilot"
    assert Policy.objects.get(level=PolicyLevel.AGENCY).parameters == {"max_home_share": 0.2}
    assert Policy.objects.get(level=PolicyLevel.UNIT).parameters == {"max_home_days_per_week": 1}
    assert sorted(PolicySwitch.objects.values_list("kind", "is_active")) == [("distancing", False), ("emergency", False), ("suspension", False)]


@pytest.mark.django_db
def test_no_approved_home_day_breaks_a_cap() -> None:
    """Re-check, from the database, every unit-day against ``unit_home_limit``, every person-week against the
    weekly limits, and the leader and service-point minimums on every day someone concerned is at home."""
    build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)
    resolver = PolicyResolver()
    units = {unit.pk: unit for unit in Unit.objects.all()}
    headcount: dict[int, int] = defaultdict(int)
    leaders: dict[int, set[int]] = defaultdict(set)
    for staff_id, unit_id, is_leader in Staff.objects.filter(is_active=True).values_list("pk", "unit_id", "is_leader"):
        headcount[unit_id] += 1
        if is_leader:
            leaders[unit_id].add(staff_id)
    home: dict[tuple[int, dt.date], set[int]] = defaultdict(set)
    person_weeks: dict[tuple[int, dt.date], list[dt.date]] = defaultdict(list)
    counted = list(RegistrationDay.objects.filter(is_counted=True).values_list("unit_id", "day", "staff_id"))
    for unit_id, day, staff_id in counted:
        home[(unit_id, day)].add(staff_id)
        person_weeks[(staff_id, calendar.iso_week_bounds(day)[0])].append(day)
    staff_unit = dict(Staff.objects.values_list("pk", "unit_id"))

    assert len(counted) > 200
    for (unit_id, day), at_home in home.items():
        parameters = resolver.resolve(units[unit_id], day).parameters
        assert len(at_home) <= unit_home_limit(headcount[unit_id], parameters), (units[unit_id].name, day)
        if parameters.leader_on_site_each_day and leaders[unit_id] & at_home:
            assert leaders[unit_id] - at_home, (units[unit_id].name, day)
    for (staff_id, monday), days in person_weeks.items():
        parameters = resolver.resolve(units[staff_unit[staff_id]], monday).parameters
        working = calendar.working_days(monday, monday + dt.timedelta(days=6))
        assert parameters.max_home_days_per_week is not None
        # A week shortened by a holiday scales both limits with its working days (caps.scale_to_working_days).
        assert len(days) <= scale_to_working_days(parameters.max_home_days_per_week, working=len(working), full=5, favour="up")
        assert len(working) - len(days) >= scale_to_working_days(parameters.min_office_days_per_week or 0, working=len(working), full=5, favour="down")
    for point in ServicePoint.objects.prefetch_related("qualified_staff"):
        qualified = {member.pk for member in point.qualified_staff.all()}
        for (unit_id, _day), at_home in home.items():
            if unit_id == point.unit_id and qualified & at_home:
                assert len(qualified - at_home) >= (point.required_on_site or 1), (point.name, _day)


@pytest.mark.django_db
def test_every_registration_comes_from_an_eligible_staff_member_with_its_audit_trail() -> None:
    build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)
    registrations = list(Registration.objects.select_related("staff__unit__agency", "staff__position"))
    actions: dict[str, list[str]] = defaultdict(list)
    for object_id, action in AuditEvent.objects.filter(object_type="registrations.registration").order_by("id").values_list("object_id", "action"):
        actions[object_id].append(action)
    expected = {
        RegistrationStatus.SUBMITTED: ["registration.submit"],
        RegistrationStatus.APPROVED: ["registration.submit", "registration.approve"],
        RegistrationStatus.REJECTED: ["registration.submit", "registration.reject"],
        RegistrationStatus.CHANGES_REQUESTED: ["registration.submit", "registration.request_changes"],
        RegistrationStatus.REVOKED: ["registration.submit", "registration.approve", "registration.revoke"],
        RegistrationStatus.WITHDRAWN: ["registration.submit", "registration.withdraw"],
    }
    statuses = {registration.status for registration in registrations}

    assert {RegistrationStatus.APPROVED, RegistrationStatus.SUBMITTED, RegistrationStatus.REJECTED, RegistrationStatus.REVOKED} <= statuses
    resolver = PolicyResolver()
    for registration in registrations:
        assert eligibility_for(registration.staff, registration.starts_on, resolver=resolver).is_eligible, registration.staff.code
        assert actions[str(registration.pk)] == expected[RegistrationStatus(registration.status)]
        if registration.status in {RegistrationStatus.REJECTED, RegistrationStatus.CHANGES_REQUESTED, RegistrationStatus.REVOKED}:
            assert registration.decision_comment
            assert registration.decided_by_id == registration.staff.direct_superior.user_id


@pytest.mark.django_db
def test_a_pending_registration_can_be_approved_by_its_head_through_the_service() -> None:
    result = build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)
    head_login = next(login for login in result.logins if login.role == "Unit head")
    head = User.objects.get(username=head_login.username)
    inbox = approval_inbox(viewer=head)

    assert inbox
    approved = None
    refusals: list[tuple[int, str]] = []
    for registration in inbox:
        try:
            approved = registration_approve(registration=registration, actor=head, today=TODAY)
        except RuleViolation as refusal:
            # Requests submitted before later approvals filled the unit may now be refused, naming the rule.
            refusals.append((registration.pk, refusal.rule))
            continue
        break
    for registration_id, rule in refusals:
        assert rule
        assert Registration.objects.get(pk=registration_id).status == RegistrationStatus.SUBMITTED
    assert approved is not None
    assert approved.status == RegistrationStatus.APPROVED
    assert approved.days.filter(is_counted=True).count() == approved.days.filter(day__gte=TODAY).count()


def printed_logins(output: str) -> dict[str, str]:
    """Role → username from the command's login table."""
    lines = output.splitlines()
    start = next(index for index, line in enumerate(lines) if line.strip().startswith("ROLE"))
    logins = {}
    for line in lines[start + 1 :]:
        columns = re.split(r"\s{2,}", line.strip())
        if len(columns) >= 2 and not columns[0].startswith("→"):
            logins[columns[0]] = columns[1]
    return logins


@pytest.mark.django_db
def test_printed_logins_exist_authenticate_and_show_what_they_promise() -> None:
    output = StringIO()
    call_command("seed_demo", staff=SMALL_CITY, seed=5, today=TODAY, stdout=output)
    text = output.getvalue()
    logins = printed_logins(text)
    expected_roles = {
        "Staff member (eligible)": Role.STAFF,
        "Staff member (faces citizens)": Role.STAFF,
        "Staff member (outside the pilot)": Role.STAFF,
        "Unit head": Role.UNIT_HEAD,
        "Unit head (one-stop desks)": Role.UNIT_HEAD,
        "Agency head": Role.AGENCY_HEAD,
        "Agency HR officer": Role.AGENCY_HR,
        "Home Affairs coordinator": Role.HOME_AFFAIRS,
        "City leadership": Role.CITY_LEADERSHIP,
        "System administrator": Role.SYSTEM_ADMIN,
    }
    coming_monday = TODAY + dt.timedelta(days=7 - TODAY.weekday())

    assert set(logins) == set(expected_roles)
    assert "http://127.0.0.1:8000" in text
    assert DEMO_PASSWORD in text
    for role, username in logins.items():
        user = authenticate(username=username, password=DEMO_PASSWORD)
        assert user is not None, username
        assert user.role == expected_roles[role]
    assert eligibility_for(Staff.objects.get(code=logins["Staff member (eligible)"]), coming_monday).is_eligible
    citizen_facing = eligibility_for(Staff.objects.get(code=logins["Staff member (faces citizens)"]), coming_monday)
    assert "not_citizen_facing" in {rule.code for rule in citizen_facing.failed_rules}
    outside = eligibility_for(Staff.objects.get(code=logins["Staff member (outside the pilot)"]), coming_monday)
    # No pilot covers the agency at all, so neither its scope nor a phase applies; every other rule passes.
    assert {rule.code for rule in outside.failed_rules} == {"pilot_scope", "pilot_phase"}
    assert approval_inbox(viewer=User.objects.get(username=logins["Unit head"]))
    for label in ("plan the organisation", "write registrations", "total"):
        assert label in text


@pytest.mark.django_db
def test_seeding_a_database_that_holds_data_is_refused_and_changes_nothing() -> None:
    build_demo_city(staff=SMALL_CITY, seed=5, today=TODAY, lived_in=False)
    before = fingerprint()

    with pytest.raises(DemoSeedError):
        build_demo_city(staff=SMALL_CITY, seed=6, today=TODAY, lived_in=False)
    with pytest.raises(CommandError, match="reset"):
        call_command("seed_demo", staff=SMALL_CITY, seed=6, stdout=StringIO())
    assert fingerprint() == before


@pytest.mark.django_db
def test_too_small_a_city_is_refused() -> None:
    with pytest.raises(CommandError, match="at least 200"):
        call_command("seed_demo", staff=50, stdout=StringIO())
    assert Agency.objects.count() == 0


@pytest.mark.own_process
def test_reset_recreates_the_sqlite_database_file(tmp_path: Path) -> None:
    """End to end in a separate process on a throwaway SQLite file: --reset on a missing file creates it; --reset on
    a seeded file deletes and recreates it (the audit trail's triggers forbid DELETE, so that is the only way);
    without --reset a seeded database is refused."""
    database = tmp_path / "demo.sqlite3"
    environment = {"DATABASE_URL": f"sqlite:///{database}", "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    command = [sys.executable, "manage.py", "seed_demo", "--staff", "200", "--seed", "3", "--today", TODAY.isoformat()]

    def run(*extra: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *extra], cwd=settings.BASE_DIR, env=environment, capture_output=True, text=True, timeout=300, check=False)

    def audit_rows() -> int:
        with sqlite3.connect(database) as connection:
            return int(connection.execute("SELECT COUNT(*) FROM core_auditevent").fetchone()[0])

    first = run("--reset")
    assert first.returncode == 0, first.stderr
    rows_after_first = audit_rows()
    second = run("--reset")
    assert second.returncode == 0, second.stderr
    assert f"deleted {database}" in second.stdout
    assert audit_rows() == rows_after_first
    refused = run()
    assert refused.returncode == 1
    assert "--reset" in refused.stderr
    assert audit_rows() == rows_after_first


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_reset_on_postgresql_truncates_the_audit_trail_and_the_same_seed_rebuilds_the_same_city() -> None:
    """On PostgreSQL --reset empties every table with TRUNCATE, which the audit trail's row triggers do not see;
    seeding again with the same seed gives the same city."""
    build_demo_city(staff=MINIMUM_STAFF, seed=4, today=TODAY, lived_in=False)
    first = fingerprint()

    assert "TRUNCATE" in reset_database()
    assert AuditEvent.objects.count() == 0
    assert Agency.objects.count() == 0
    build_demo_city(staff=MINIMUM_STAFF, seed=4, today=TODAY, lived_in=False)
    assert fingerprint() == first


@pytest.mark.django_db
@pytest.mark.parametrize("today", [dt.date(2027, 2, 6), dt.date(2026, 12, 31), dt.date(2027, 9, 2)], ids=["tet-saturday", "new-years-eve", "national-day"])
def test_the_demo_city_is_built_on_any_day_and_its_logins_work(today: dt.date, clock) -> None:
    """`make demo` builds its weeks around the day it runs: a Saturday in Tết, the last day of the year and a public
    holiday all give a city whose printed logins work and whose unit head has something to approve."""
    clock.move_to(dt.datetime.combine(today, dt.time(8, 0), tzinfo=dt.UTC))
    output = StringIO()
    call_command("seed_demo", staff=MINIMUM_STAFF, seed=3, stdout=output)
    logins = printed_logins(output.getvalue())
    for username in logins.values():
        assert authenticate(username=username, password=DEMO_PASSWORD) is not None, username
    assert approval_inbox(viewer=User.objects.get(username=logins["Unit head"]))
    phase = PilotPhase.objects.order_by("starts_on").first()
    assert phase is not None
    assert phase.starts_on <= today <= phase.ends_on
