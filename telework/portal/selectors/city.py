"""The homes of the agency's HR office, Home Affairs and the city's leadership."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db.models import Count, Q
from django.utils import timezone

from telework.accounts.models import User
from telework.assignments.models import OPEN_STATES, WorkItem, WorkStatus
from telework.attendance import rules
from telework.attendance.models import MissedCheckIn
from telework.core import clock
from telework.core.models import AuditEvent
from telework.organization import scope
from telework.organization.models import Agency, Staff, Unit
from telework.policy.models import Pilot, PilotPhase, PilotStatus, PolicySwitch
from telework.policy.selectors import pilot_staff_in_scope, switches
from telework.portal.selectors.common import (
    FIRST_FEW,
    ON_TIME_WINDOW_DAYS,
    newest_published_rosters,
    safe_url,
)
from telework.registrations.models import Registration, RegistrationStatus
from telework.rosters.models import EntryStatus, Roster, RosterEntry, RosterStatus


@dataclass(frozen=True)
class ImportStatus:
    """The last import of an agency's staff file, from the audit trail."""

    event: AuditEvent
    agency_name: str

    @property
    def counts(self) -> dict[str, int]:
        after = self.event.after or {}
        return {key: int(after.get(key) or 0) for key in ("created", "updated", "unchanged", "refused")}

    @property
    def file_name(self) -> str:
        return str((self.event.after or {}).get("file") or "")


@dataclass
class HrHome:
    staff: int
    without_account: int
    without_superior: int
    not_activated: int
    last_import: ImportStatus | None
    first_without_account: list[Staff]
    first_without_superior: list[Staff]
    accounts_url: str


def hr_home(*, viewer: User) -> HrHome:
    """HR's home: the last staff import (when, by whom, its result), and the active people in scope without an
    account, without a direct superior, or whose account awaits activation (no password set yet; the accounts page
    links there once it exists). Five queries."""
    people = scope.visible_staff(viewer).filter(is_active=True)
    counts = people.aggregate(
        staff=Count("id"),
        without_account=Count("id", filter=Q(user__isnull=True)),
        without_superior=Count("id", filter=Q(direct_superior__isnull=True)),
        # An account created for the person (by the import or HR) has no usable password until its owner activates it.
        not_activated=Count("id", filter=Q(user__is_active=True, user__password__startswith=UNUSABLE_PASSWORD_PREFIX)),
    )
    imports = AuditEvent.objects.filter(action="organization.import", object_type=Agency._meta.label_lower)
    if not (viewer.role in scope.CITY_WIDE_ROLES or viewer.is_superuser):
        imports = imports.filter(agency_id__in=list(scope.visible_agencies(viewer).values_list("pk", flat=True)))
    last = imports.order_by("-occurred_at", "-id").first()
    return HrHome(
        staff=counts["staff"],
        without_account=counts["without_account"],
        without_superior=counts["without_superior"],
        not_activated=counts["not_activated"],
        last_import=ImportStatus(event=last, agency_name=last.object_label) if last is not None else None,
        first_without_account=list(people.filter(user__isnull=True).select_related("unit").order_by("full_name", "code")[:FIRST_FEW]),
        first_without_superior=list(people.filter(direct_superior__isnull=True).select_related("unit").order_by("full_name", "code")[:FIRST_FEW]),
        accounts_url=safe_url("organization:accounts"),
    )


# ================================================================================================ Home Affairs


@dataclass(frozen=True)
class PilotLine:
    pilot: Pilot
    current_phase: PilotPhase | None
    phases: list[PilotPhase]
    agency_count: int


@dataclass(frozen=True)
class AgencyRosters:
    agency: Agency
    units: int
    published: int

    @property
    def has_none(self) -> bool:
        return self.published == 0


@dataclass
class CityPolicyHome:
    pilots: list[PilotLine]
    switches: list[PolicySwitch]
    week_start: dt.date
    agencies: list[AgencyRosters]

    @property
    def without_roster(self) -> list[AgencyRosters]:
        return [row for row in self.agencies if row.has_none]

    @property
    def week_label(self) -> str:
        return f"{self.week_start:%d/%m}–{self.week_start + dt.timedelta(days=4):%d/%m/%Y}"


def city_policy_home(*, viewer: User, today: dt.date | None = None) -> CityPolicyHome:
    """Home Affairs' home: the city's pilots with their current phase, the city-wide switches and their state, and
    for each agency of a running pilot how many of its units have this week's roster published (agencies without
    any listed apart). Five queries."""
    today = today or clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    pilots = list(Pilot.objects.prefetch_related("phases").annotate(agency_count=Count("agencies", distinct=True)).order_by("-created_at"))
    lines = []
    for pilot in pilots:
        phases = list(pilot.phases.all())
        current = next((phase for phase in phases if phase.starts_on <= today <= phase.ends_on), None)
        lines.append(PilotLine(pilot=pilot, current_phase=current, phases=phases, agency_count=pilot.agency_count))
    agencies = list(Agency.objects.filter(pilots__status=PilotStatus.RUNNING).distinct().order_by("name"))
    agency_ids = [agency.pk for agency in agencies]
    units = dict(Unit.objects.filter(agency_id__in=agency_ids).values("agency_id").annotate(n=Count("id")).values_list("agency_id", "n"))
    published = dict(
        Roster.objects.filter(unit__agency_id__in=agency_ids, week_start=monday, status=RosterStatus.PUBLISHED)
        .values("unit__agency_id")
        .annotate(n=Count("unit_id", distinct=True))
        .values_list("unit__agency_id", "n")
    )
    return CityPolicyHome(
        pilots=lines,
        switches=switches(),
        week_start=monday,
        agencies=[AgencyRosters(agency=agency, units=units.get(agency.pk, 0), published=published.get(agency.pk, 0)) for agency in agencies],
    )


# ================================================================================================ city leadership


@dataclass
class CityFigures:
    staff_in_pilot: int
    rostered_today: int
    home_today: int
    rostered_week: int
    home_week: int
    approvals_pending: int
    accepted_recently: int
    accepted_on_time: int
    late_work: int
    missed_this_week: int
    assessment_url: str

    @staticmethod
    def _share(part: int, whole: int) -> int | None:
        return round(100 * part / whole) if whole else None

    @property
    def home_share_today(self) -> int | None:
        return self._share(self.home_today, self.rostered_today)

    @property
    def home_share_week(self) -> int | None:
        return self._share(self.home_week, self.rostered_week)

    @property
    def on_time_rate(self) -> int | None:
        return self._share(self.accepted_on_time, self.accepted_recently)

    @staticmethod
    def _percent(share: int | None) -> str:
        return "—" if share is None else f"{share} %"

    @property
    def home_share_today_text(self) -> str:
        return self._percent(self.home_share_today)

    @property
    def home_share_week_text(self) -> str:
        return self._percent(self.home_share_week)

    @property
    def on_time_rate_text(self) -> str:
        return self._percent(self.on_time_rate)


def city_figures(*, viewer: User, today: dt.date | None = None) -> CityFigures:
    """The city's key figures for its leadership: staff in the running pilots' scope, the share of rostered working
    days at home today and this week (newest published rosters), registrations waiting for a decision, work accepted
    on time in the last 30 days, late open work, and the missed check-ins recorded this week. Bounded queries (two
    more per running pilot)."""
    today = today or clock.today()
    monday = today - dt.timedelta(days=today.weekday())
    staff = scope.visible_staff(viewer).filter(is_active=True)
    in_pilot = Staff.objects.none()
    for pilot in Pilot.objects.filter(status=PilotStatus.RUNNING):
        in_pilot = in_pilot | pilot_staff_in_scope(pilot)
    rosters = newest_published_rosters(monday)
    per_day: dict[dt.date, dict[str, int]] = defaultdict(dict)
    for day, status, count in (
        RosterEntry.objects.filter(roster_id__in=list(rosters.values()), staff__is_active=True)
        .values("day", "status")
        .annotate(n=Count("id"))
        .values_list("day", "status", "n")
    ):
        per_day[day][status] = count

    def working(counts: dict[str, int]) -> int:
        return sum(count for status, count in counts.items() if status in rules.ROSTERED_WORKING)

    since = clock.now() - dt.timedelta(days=ON_TIME_WINDOW_DAYS)
    accepted = WorkItem.objects.filter(staff__in=staff, status=WorkStatus.ACCEPTED, accepted_at__gte=since).values_list("accepted_at", "due_on")
    accepted_rows = list(accepted)
    return CityFigures(
        staff_in_pilot=in_pilot.filter(pk__in=staff.values("pk")).distinct().count(),
        rostered_today=working(per_day.get(today, {})),
        home_today=per_day.get(today, {}).get(EntryStatus.HOME, 0),
        rostered_week=sum(working(counts) for counts in per_day.values()),
        home_week=sum(counts.get(EntryStatus.HOME, 0) for counts in per_day.values()),
        approvals_pending=Registration.objects.filter(staff__in=staff, status=RegistrationStatus.SUBMITTED).count(),
        accepted_recently=len(accepted_rows),
        accepted_on_time=sum(1 for accepted_at, due_on in accepted_rows if timezone.localdate(accepted_at) <= due_on),
        late_work=WorkItem.objects.filter(staff__in=staff, status__in=OPEN_STATES, due_on__lt=today).count(),
        missed_this_week=MissedCheckIn.objects.filter(staff__in=staff, day__gte=monday, day__lte=today).count(),
        assessment_url=safe_url("assessment:dashboard"),
    )
