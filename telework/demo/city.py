"""The sample city behind ``manage.py seed_demo`` (its entry points; the parts live beside this module): an
HCMC-like organisation, a running pilot with its policies, several weeks of registrations that keep every rule.

Deterministic: every choice is drawn from ``random.Random`` streams seeded by the seed, and every date is anchored
on ``today``, so the same seed on the same day gives the same agencies, names, codes and registrations. Sets are
never iterated unsorted (string and date hashes change between processes).

Fast: the organisation is planned in memory, then written with ``bulk_create`` in dependency order (agencies,
positions, units level by level, users, staff by rank of their superior, service points). Registrations are
checked in memory against the same pure rules the services use (``eligibility.decide`` and
``caps.check_request``) with the unit facts kept while generating, so the seeded data never breaks a rule and no
row costs a query. Pilot and policies go through the policy services (a handful of rows, audited there).

Ward names and administrative codes come from the 2025 reference list of HCMC's 168 wards and communes
(``WARD_REFERENCE_FILE``).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction

from telework.accounts.models import Role, User
from telework.core import clock
from telework.core.models import AuditEvent
from telework.demo.activity import seed_activity
from telework.demo.assessment import seed_assessment
from telework.demo.evaluation import seed_demo_quarter
from telework.demo.logins import choose_logins, describe_logins
from telework.demo.organisation import OrganisationPlanner, named_users, write_organisation
from telework.demo.plans import AgencyPlan, DemoLogin, DemoResult, DemoSeedError, RegistrationPlan
from telework.demo.reference import DEMO_PASSWORD, MINIMUM_STAFF
from telework.demo.registrations import PilotCalendar, RegistrationPlanner, create_pilot_and_policies, write_registrations
from telework.evaluations.builtin import install
from telework.evaluations.models import CriteriaSet
from telework.organization.models import Agency, AgencyKind, Staff
from telework.policy.models import Pilot, Policy
from telework.registrations.models import RegistrationStatus

# --- entry points -----------------------------------------------------------------------------------------------


def database_holds_data() -> bool:
    """Whether anything the seed would create already exists (a second seed would collide on codes)."""
    return Agency.objects.exists() or User.objects.exists() or Pilot.objects.exists() or Policy.objects.exists()


def reset_database() -> str:
    """Empty the database before a new seed, and say how.

    The audit trail refuses DELETE (model, queryset and database triggers), so rows cannot simply be deleted.
    SQLite: the database file is deleted and migrated again. PostgreSQL: ``flush`` empties every table with
    ``TRUNCATE`` (row triggers do not fire; the statement-level TRUNCATE guard is lifted inside the reset's
    transaction). Anything else is refused.
    """
    from django.core.management import call_command
    from django.db import DEFAULT_DB_ALIAS, connections

    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor == "postgresql":
        from django.db import transaction

        # The audit trail refuses TRUNCATE too (core migration 0003); a demo reset lifts that for its own
        # transaction only, as the database owner it runs as.
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_no_truncate")
            call_command("flush", interactive=False, verbosity=0)
            with connection.cursor() as cursor:
                cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_no_truncate")
        return f"emptied database {connection.settings_dict['NAME']} with TRUNCATE"
    if connection.vendor == "sqlite":
        if getattr(connection, "is_in_memory_db")():  # noqa: B009 - only the SQLite wrapper has it
            raise DemoSeedError("An in-memory SQLite database cannot be reset by recreating it; start a new process instead.")
        path = Path(str(connection.settings_dict["NAME"]))
        existed = path.exists()
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        return f"{'deleted' if existed else 'no file at'} {path}; migrated a new one"
    raise DemoSeedError(f"--reset supports SQLite and PostgreSQL, not {connection.vendor}.")


def build_demo_city(*, staff: int, seed: int, today: dt.date | None = None, lived_in: bool = True) -> DemoResult:
    """Build the sample city in one transaction: ``staff`` people, chosen by ``seed``, with registrations over the
    finished quarter and from three weeks before ``today``'s week to four weeks after it; then (``lived_in``, the
    default) rosters, check-ins and work around today (``telework.demo.activity``). The database must not hold an
    organisation yet."""
    if staff < MINIMUM_STAFF:
        raise DemoSeedError(f"The sample city needs at least {MINIMUM_STAFF} staff.")
    if database_holds_data():
        raise DemoSeedError("The database already holds an organisation or accounts; reset it first (seed_demo --reset).")
    today = today or clock.today()
    timings: list[tuple[str, float]] = []
    lap_started = [time.perf_counter()]

    def lap(label: str) -> None:
        now = time.perf_counter()
        timings.append((label, now - lap_started[0]))
        lap_started[0] = now

    pilot_calendar = PilotCalendar.around(today)
    with transaction.atomic():
        agencies = OrganisationPlanner(staff=staff, seed=seed, today=today).plan()
        lap("plan the organisation")
        # One hash for every demo account: hashing 20,000 times would take minutes.
        password_hash = make_password(DEMO_PASSWORD)
        named = named_users(password_hash, random.Random(f"telework-demo:{seed}:named"))
        write_organisation(agencies, password_hash)
        lap("write agencies, units, positions, users, staff, desks")
        pilot = create_pilot_and_policies(agencies, named["noivu"], pilot_calendar)
        lap("pilot, phases, policies, switches (services)")
        planner = RegistrationPlanner(agencies=agencies, pilot=pilot, seed=seed, today=today, pilot_calendar=pilot_calendar)
        plans = planner.plan()
        lap("plan registrations (eligibility and caps in memory)")
        day_count, _event_count = write_registrations(plans, planner.commitment)
        lap("write registrations, days, audit trail, notifications")
        counts = _counts(agencies, plans, day_count)
        AuditEvent.objects.create(
            actor_label="system",
            action="demo.seed",
            object_type="organization.city",
            object_id=f"seed-{seed}",
            object_label=f"Thành phố mẫu (seed {seed}, {staff} cán bộ)",
            after={"seed": seed, "staff": staff, "today": today.isoformat(), **counts},
            reason="manage.py seed_demo",
        )
    counts["audit events"] = AuditEvent.objects.count()
    logins = choose_logins(agencies, plans, planner.eligible, named)
    agency = _seed_finished_quarter(logins, today=today, seed=seed)
    lap("evaluate and publish the previous quarter (one agency)")
    service: dict[str, Any] = {}
    if lived_in:
        if agency is not None:
            counts.update(seed_activity(agency=agency, today=today, seed=seed, quarter=pilot_calendar.quarter, lap=lap))
        service = seed_service_data(logins, today=today, seed=seed, lap=lap)
        # Last: the outcome panel reads every record above (dossiers, ratings, rosters, check-ins, pulse answers).
        service["assessment"] = seed_assessment(seed=seed, lap=lap)
    logins = describe_logins(logins, today=today)
    return DemoResult(logins, timings, counts, _public_facing_share(agencies), service)


def seed_service_data(logins: list[DemoLogin], *, today: dt.date, seed: int, lap: Callable[[str], None]) -> dict[str, Any]:
    """The voice of citizens and the units that must stay open: a year and a half of one-stop dossiers with their
    ratings (``telework.demo.dossiers``, the pilot's planted effect in them), yesterday's staffing-needs round
    (``telework.demo.staffing``) and the citizen and staff surveys (``telework.surveys.demo``)."""
    from telework.demo.dossiers import on_time_by_group, pilot_start_day, seed_dossiers
    from telework.demo.staffing import seed_staffing_round
    from telework.surveys.demo import seed_demo_surveys

    with transaction.atomic():
        service: dict[str, Any] = {"dossiers": seed_dossiers(today=today, seed=seed, lap=lap)}
    pilot_start = pilot_start_day()
    pilot_agency_ids = set(Agency.objects.filter(pilots__isnull=False).values_list("id", flat=True))
    if pilot_start is not None and service["dossiers"]:
        service["on time"] = on_time_by_group(pilot_start, pilot_agency_ids)
        lap("measure the planted effect back from the register")
    usernames = {login.role: login.username for login in logins}
    head = Staff.objects.filter(user__username=usernames.get("Unit head", "")).values_list("unit_id", "unit__agency_id").first()
    with transaction.atomic():
        service["staffing"] = seed_staffing_round(
            today=today, seed=seed, keep_open_unit_ids={head[0]} if head else set(), signable_agency_ids={head[1]} if head else set()
        )
        coordinator = User.objects.filter(username="noivu").first()
        service["surveys"] = seed_demo_surveys(
            agencies=list(Agency.objects.order_by("code")), actor=coordinator, today=today, seed=seed, pilot_start=pilot_start
        )
    lap("staffing-needs round, citizen and staff surveys")
    return service


def _seed_finished_quarter(logins: list[DemoLogin], *, today: dt.date, seed: int) -> Agency | None:
    """A finished quarter to look at (issue 5): the example unit head's agency, evaluated, classified under the
    quota and published, so every login of that agency has a breakdown to read. Returns that agency."""
    # A reset on PostgreSQL empties every table with TRUNCATE, the built-in criteria sets (a data migration) included.
    install(CriteriaSet)
    usernames = [login.username for login in logins]
    head = Staff.objects.select_related("unit__agency").filter(user__username__in=usernames, user__role=Role.UNIT_HEAD).first()
    if head is None:
        return None
    seed_demo_quarter(agency=head.unit.agency, today=today, seed=seed)
    return head.unit.agency


def _counts(agencies: list[AgencyPlan], plans: list[RegistrationPlan], day_count: int) -> dict[str, int]:
    counts: dict[str, int] = {
        "departments": sum(1 for agency in agencies if agency.kind == AgencyKind.DEPARTMENT),
        "wards and communes": sum(1 for agency in agencies if agency.kind == AgencyKind.WARD_COMMITTEE),
        "wards outside the pilot": sum(1 for agency in agencies if not agency.in_pilot),
        "public service units": sum(1 for agency in agencies if agency.kind == AgencyKind.PUBLIC_SERVICE_UNIT),
        "units": sum(len(agency.units) for agency in agencies),
        "positions": sum(len(agency.positions) for agency in agencies),
        "staff": sum(len(agency.people) for agency in agencies),
        "service points": sum(len(unit.points) for agency in agencies for unit in agency.units),
        "registrations": len(plans),
    }
    for status in RegistrationStatus:
        counts[f"registrations {status.value}"] = sum(1 for plan in plans if plan.status == status)
    counts["requested home days"] = day_count
    return counts


def _public_facing_share(agencies: list[AgencyPlan]) -> dict[str, float]:
    """Share of staff whose position faces citizens, handles dossiers or staffs a one-stop desk, per agency kind."""
    shares: dict[str, float] = {}
    for kind in AgencyKind:
        people = [person for agency in agencies if agency.kind == kind for person in agency.people]
        if people:
            shares[str(kind.label)] = sum(1 for person in people if not person.position.may_telework) / len(people)
    return shares
