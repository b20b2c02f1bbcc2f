"""``manage.py seed_demo``: build the sample city and print one login per role (used by ``make demo``).

``--reset`` empties the database, so it refuses to run against anything that may be a real one. It runs only on
SQLite (a file on this machine: ``make demo``'s default) or on a PostgreSQL database whose name says it is a demo or
test one (a word ``demo``, ``test`` or ``dev`` in it: ``telework_demo``, ``test_telework``), and never under the
production settings. Any other database is emptied only when its name is typed: ``--confirm-database NAME``.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from telework.demo.city import build_demo_city, reset_database
from telework.demo.dossiers import HCMC_DOSSIERS_PER_DAY, HCMC_WARDS, PILOT_EFFECT, SAMPLE, OnTime
from telework.demo.plans import DemoResult, DemoSeedError
from telework.demo.reference import DEMO_PASSWORD, DEMO_URL, MINIMUM_STAFF
from telework.outcomes.indicators import SHARE

PRODUCTION_SETTINGS = "config.settings.production"
# What ``telework.demo.activity`` adds, in the order printed.
ACTIVITY_COUNTS = (
    "rosters published this week",
    "draft rosters next week",
    "work items around today",
    "work alerts",
    "rosters of the finished quarter",
    "check-ins of the finished quarter",
    "check-ins this week",
)
DEMO_DATABASE_NAME = re.compile(r"(^|[^a-z])(demo|test|dev)([^a-z]|$)", re.IGNORECASE)


def reset_refusal(*, settings_module: str, vendor: str, database_name: str, confirmed_name: str | None) -> str | None:
    """Why ``--reset`` may not empty this database, or None when it may (see the module's docstring)."""
    if confirmed_name is not None:
        if confirmed_name == database_name:
            return None
        return f"--confirm-database {confirmed_name} does not name this database ({database_name}); nothing was reset."
    if settings_module == PRODUCTION_SETTINGS:
        return (
            f"--reset refuses to empty a database under the production settings ({PRODUCTION_SETTINGS}). "
            f"If {database_name} really is a demo database, type its name: --confirm-database {database_name}."
        )
    if vendor == "sqlite" or DEMO_DATABASE_NAME.search(database_name):
        return None
    return (
        f"--reset refuses to empty {vendor} database {database_name}: its name does not say it is a demo or test "
        f"database (demo, test or dev). If it is one, type its name: --confirm-database {database_name}."
    )


class Command(BaseCommand):
    help = (
        "Build a deterministic HCMC-like sample city: departments, public service units and wards/communes named and "
        "coded after HCMC's 168 wards of 2025, units, positions, staff with their accounts, one-stop desks and duty "
        "posts, a running pilot with its policies, and registrations from three weeks back to four weeks ahead. The "
        "same --seed (and --today) gives the same data. Every demo account's password is demo12345. "
        "--reset empties the database first. The audit trail is append-only (its triggers refuse DELETE), so on SQLite "
        "the database file is deleted and migrated again, and on PostgreSQL every table is emptied with TRUNCATE "
        "(manage.py flush), which row triggers do not see."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--staff", type=int, default=2000, help=f"number of staff (default 2000, at least {MINIMUM_STAFF})")
        parser.add_argument("--seed", type=int, default=7, help="random seed: the same seed gives the same city (default 7)")
        parser.add_argument("--reset", action="store_true", help="empty the database first (SQLite: recreate the file; PostgreSQL: TRUNCATE)")
        parser.add_argument(
            "--confirm-database", default=None, metavar="NAME", help="with --reset: empty this database even though its name does not say demo or test"
        )
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="anchor date YYYY-MM-DD for the pilot and registrations (default today)")

    def handle(self, *args: Any, **options: Any) -> None:
        staff, seed, today = options["staff"], options["seed"], options["today"]
        if staff < MINIMUM_STAFF:
            raise CommandError(f"--staff must be at least {MINIMUM_STAFF}.")
        if options["reset"]:
            connection = connections[DEFAULT_DB_ALIAS]
            refusal = reset_refusal(
                settings_module=str(settings.SETTINGS_MODULE),
                vendor=connection.vendor,
                database_name=str(connection.settings_dict["NAME"]),
                confirmed_name=options["confirm_database"],
            )
            if refusal is not None:
                raise CommandError(refusal)
        started = time.perf_counter()
        try:
            if options["reset"]:
                how = reset_database()
                self.stdout.write(f"Reset: {how} ({time.perf_counter() - started:.1f} s).")
            result = build_demo_city(staff=staff, seed=seed, today=today)
        except DemoSeedError as error:
            raise CommandError(str(error)) from error
        self._report(result, staff=staff, seed=seed, total=time.perf_counter() - started)

    def _report(self, result: DemoResult, *, staff: int, seed: int, total: float) -> None:
        write = self.stdout.write
        counts = result.counts
        write(self.style.SUCCESS(f"Sample city built: seed {seed}, {staff:,} staff."))
        write("\nTimings")
        for label, seconds in result.timings:
            write(f"  {label:<58} {seconds:6.1f} s")
        write(f"  {'total (with reset, if any)':<58} {total:6.1f} s")
        write("\nCounts")
        write(
            f"  agencies: {counts['departments']} departments, {counts['wards and communes']} wards/communes "
            f"({counts['wards outside the pilot']} outside the pilot), {counts['public service units']} public service units"
        )
        write(f"  units: {counts['units']:,}   positions: {counts['positions']:,}   staff: {counts['staff']:,}   service points: {counts['service points']:,}")
        by_status = ", ".join(f"{counts[key]:,} {key.removeprefix('registrations ')}" for key in counts if key.startswith("registrations ") and counts[key])
        write(f"  registrations: {counts['registrations']:,} ({by_status}); requested home days: {counts['requested home days']:,}")
        write(f"  audit events: {counts['audit events']:,}")
        lived_in = [key for key in ACTIVITY_COUNTS if key in counts]
        if lived_in:
            write("  " + ", ".join(f"{key}: {counts[key]:,}" for key in lived_in))
        shares = ", ".join(f"{kind} {share:.0%}" for kind, share in result.public_facing_share.items())
        write(f"  staff facing citizens or handling dossiers: {shares}")
        self._report_service(result)
        write(f"\nLogins: open {DEMO_URL}, password {DEMO_PASSWORD} for every account")
        role_width = max(len(login.role) for login in result.logins)
        user_width = max(len(login.username) for login in result.logins)
        name_width = max(len(login.full_name) for login in result.logins)
        write(f"  {'ROLE':<{role_width}}  {'USERNAME':<{user_width}}  {'NAME':<{name_width}}  POST / WHAT TO TRY")
        for login in result.logins:
            write(f"  {login.role:<{role_width}}  {login.username:<{user_width}}  {login.full_name:<{name_width}}  {login.post}")
            write(f"  {'':<{role_width}}  {'':<{user_width}}  {'':<{name_width}}  → {login.note}")

    def _report_service(self, result: DemoResult) -> None:
        """Dossiers and their scale, the planted effect as the register shows it, the staffing round, the surveys."""
        write = self.stdout.write
        dossiers = result.service.get("dossiers") or {}
        if dossiers:
            write(f"\nOne-stop dossiers received {dossiers['dossier days']} (the pilot from {dossiers['pilot start']}), at {dossiers['one-stop desks']} desks")
            write(
                f"  scale: HCMC ≈ {HCMC_DOSSIERS_PER_DAY:,} dossiers a day over ≈ {dossiers['HCMC desks (estimated)']:,} desks ({HCMC_WARDS} wards and "
                f"communes at the demo's desks per ward, plus the centre's) = {dossiers['HCMC dossiers per desk and day']} per desk and working day; "
                f"the demo writes 1 in {round(1 / SAMPLE)}: {dossiers['demo dossiers per desk and day']} per desk and working day"
            )
            write(f"  dossiers: {dossiers['dossiers']:,}; portal ratings: {dossiers['portal ratings']:,}; desk QR ratings: {dossiers['QR ratings']:,}")
        on_time = result.service.get("on time")
        if isinstance(on_time, OnTime):
            write(
                f"  planted effect: +{PILOT_EFFECT * 100:.0f} points of on-time rate in pilot units after the start, none on satisfaction; in the "
                f"register: pilot {on_time.pilot_before:.1%} → {on_time.pilot_after:.1%}, comparison {on_time.comparison_before:.1%} → "
                f"{on_time.comparison_after:.1%}, difference in differences {on_time.difference_in_differences:+.1f} points"
            )
        staffing = result.service.get("staffing") or {}
        if staffing:
            write(
                f"\nStaffing-needs round (yesterday, by 16:00, still open): {staffing['staffing rows']} special units; "
                f"{staffing['filled on time']} answered in time, {staffing['filled late']} late, {staffing['not answered']} not yet; "
                f"{staffing['signed off']} signed off"
            )
        surveys = result.service.get("surveys") or {}
        if surveys:
            write("Surveys: " + ", ".join(f"{key}: {value:,}" for key, value in surveys.items()) + " (before the pilot, closed; during it, open)")
        self._report_assessment(result)

    def _report_assessment(self, result: DemoResult) -> None:
        """Phase 1's design, the panel, and each estimate with its verdict, as stored (what leadership will read)."""
        write = self.stdout.write
        assessment = result.service.get("assessment") or {}
        if not assessment:
            return
        if "not designed" in assessment:
            write(f"\nAssessment of “{assessment['phase']}”: no design recorded ({assessment['not designed']})")
            return
        write(
            f"\nAssessment of “{assessment['phase']}”: matched design recorded {assessment['design recorded at']:%d/%m/%Y %H:%M} (UTC), "
            f"launched and locked {assessment['design locked at']:%d/%m/%Y %H:%M} (UTC); {assessment['pilot units']} pilot units (the phase's "
            f"one-stop desk units), {assessment['comparison units']} comparison units (nearest desk units of the wards outside the pilot); "
            f"MDE {assessment['mde'] * 100:.1f} points against {assessment['smallest effect'] * 100:.0f} that matter"
        )
        write(
            f"  outcome panel rebuilt: {assessment['panel values']:,} values in {assessment['panel seconds']} s; design and launch "
            f"{assessment['design seconds']} s; estimates {assessment['estimate seconds']} s (review not recorded: leadership's to make)"
        )
        for row in assessment["estimates"]:
            if row.get("effect") is None or row.get("ci95") is None:
                write(f"  {row['indicator']}: {row['status']} — {row.get('headline') or row.get('failure') or 'no estimate'}")
                continue
            scale = 100 if row["unit"] == SHARE else 1
            unit = " points" if scale == 100 else ""
            low, high = row["ci95"]
            pilots, comparison = row["units"][1], row["units"][2]
            write(
                f"  {row['indicator']}: {row['effect'] * scale:+.2f}{unit} (95% interval {low * scale:+.2f} to {high * scale:+.2f}), "
                f"{pilots} pilot / {comparison} comparison units, {row['weeks'][0]} weeks before / {row['weeks'][1]} after; "
                f"{'answers' if row['answers'] else 'cannot answer'}: {row['headline']}"
            )
