"""The logins ``seed_demo`` prints: one account per role, with what to try."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from telework.accounts.models import Role, User
from telework.assignments.models import Alert, WorkItem, WorkStatus
from telework.demo.plans import AgencyPlan, DemoLogin, PersonPlan, RegistrationPlan
from telework.organization.models import AgencyKind, Staff
from telework.policy.models import Pilot, PolicySwitch
from telework.registrations.models import RegistrationStatus
from telework.registrations.selectors import approval_inbox
from telework.rosters.models import Roster, RosterEntry, RosterStatus
from telework.staffing.models import ReportRound, ReportRow

# --- the logins to print ----------------------------------------------------------------------------------------


def _post(person: PersonPlan) -> str:
    return f"{person.position.name}, {person.unit.name}, {person.unit.agency.name}"


def _login(role: str, person: PersonPlan, note: str) -> DemoLogin:
    return DemoLogin(role, person.code, person.full_name, _post(person), note)


def choose_logins(agencies: list[AgencyPlan], plans: list[RegistrationPlan], eligible: dict[int, bool], named: dict[str, User]) -> list[DemoLogin]:
    """Real examples, one per role, from one agency where possible so the story connects: a unit head with requests
    waiting, an eligible member of that unit, a one-stop desk officer, the agency's head and HR officer."""
    pending: dict[int, int] = defaultdict(int)
    coming: set[int] = set()
    approved_before: set[int] = set()
    for plan in plans:
        if plan.status == RegistrationStatus.SUBMITTED and plan.person.superior is not None:
            pending[plan.person.superior.pk] += 1
        if plan.window == "coming":
            coming.add(plan.person.pk)
        elif plan.status == RegistrationStatus.APPROVED:
            approved_before.add(plan.person.pk)
    logins: list[DemoLogin] = []
    everyone = [person for agency in agencies for person in agency.people]

    def first(candidates: list[PersonPlan]) -> PersonPlan | None:
        return min(candidates, key=lambda person: person.code) if candidates else None

    on_duty = {person.pk for agency_plan in agencies for unit in agency_plan.units for point in unit.points for person in point.qualified}

    def is_free_and_eligible(person: PersonPlan) -> bool:
        # Free of desks and duty posts too, so no staffing minimum stands between the example and a home day.
        return (
            eligible.get(person.pk, False)
            and person.role == Role.STAFF
            and not person.is_leader
            and person.pk not in coming
            and person.pk not in on_duty
            and not person.position.is_duty_post
        )

    # The example head is the example staff member's direct superior (their approver), so the two logins tell one
    # story: a head with requests waiting and, among their people, someone free to ask for home days.
    reports: dict[int, list[PersonPlan]] = defaultdict(list)
    for person in everyone:
        if person.superior is not None and is_free_and_eligible(person):
            reports[person.superior.pk].append(person)
    heads = [person for agency in agencies if agency.in_pilot for person in agency.people if person.role == Role.UNIT_HEAD and pending[person.pk] > 0]
    heads.sort(key=lambda person: (not reports[person.pk], person.unit.agency.kind != AgencyKind.WARD_COMMITTEE, -pending[person.pk], person.code))
    head = heads[0] if heads else None
    agency = head.unit.agency if head else next(item for item in agencies if item.in_pilot)
    staff_member = (
        first([person for person in everyone if person.superior is head and is_free_and_eligible(person) and person.pk in approved_before])
        or first([person for person in everyone if person.superior is head and is_free_and_eligible(person)])
        or first([person for person in agency.people if is_free_and_eligible(person) and person.pk in approved_before])
        or first([person for person in agency.people if is_free_and_eligible(person)])
        or first([person for person in everyone if is_free_and_eligible(person)])
    )
    if staff_member is not None:
        history = "has approved home days in past weeks; " if staff_member.pk in approved_before else ""
        logins.append(_login("Staff member (eligible)", staff_member, f"{history}may register home days for the coming weeks"))
    desk = first([person for person in agency.people if person.position.is_one_stop_desk and person.role == Role.STAFF]) or first(
        [person for person in everyone if person.position.faces_citizens and person.role == Role.STAFF and not person.is_leader]
    )
    if desk is not None:
        logins.append(_login("Staff member (faces citizens)", desk, "not eligible: sees which rule keeps the post on site"))
    if head is not None:
        logins.append(_login("Unit head", head, f"{pending[head.pk]} registration(s) await approval in the inbox"))
    # The head of a unit with one-stop desks (the desk officer's approver): their desks' service quality.
    desk_head = desk.superior if desk is not None else None
    if desk_head is not None and desk_head is not head and desk_head.role == Role.UNIT_HEAD and bool(desk_head.unit.points):
        logins.append(_login("Unit head (one-stop desks)", desk_head, "the service quality of the unit's one-stop desks"))
    if agency.leader_plan is not None:
        logins.append(_login("Agency head", agency.leader_plan, f"sees all of {agency.name}"))
    if agency.hr_plan is not None:
        logins.append(_login("Agency HR officer", agency.hr_plan, f"manages the organisation data of {agency.name}"))
    outside = first(
        [
            person
            for item in agencies
            if not item.in_pilot
            for person in item.people
            if person.position.may_telework and person.role == Role.STAFF and not person.is_leader and len(person.equipment) == 4
        ]
    )
    if outside is not None:
        logins.append(_login("Staff member (outside the pilot)", outside, f"{outside.unit.agency.name} is not in the pilot: not in scope"))
    for username, role, note in (
        ("noivu", "Home Affairs coordinator", "pilots, policies and switches; city-wide reports and audit"),
        ("lanhdao", "City leadership", "reads everything city-wide, changes nothing"),
        ("quantri", "System administrator", "everything, including /django-admin/"),
    ):
        user = named[username]
        logins.append(DemoLogin(role, username, user.first_name, "Sở Nội vụ" if username == "noivu" else "UBND Thành phố", note))
    return logins


# --- what each login's home page shows, read back from the seeded data ---------------------------------------------

PLACES = {"office": "at the office", "home": "at home", "desk": "on desk duty", "leave": "on leave"}


def describe_logins(logins: list[DemoLogin], *, today: dt.date) -> list[DemoLogin]:
    """Each login with a note saying what its home page shows today, counted from the database (so the note is true
    whatever the seed chose)."""
    monday = today - dt.timedelta(days=today.weekday())
    open_states = [WorkStatus.ASSIGNED, WorkStatus.IN_PROGRESS, WorkStatus.RETURNED, WorkStatus.SUBMITTED]

    def place_today(staff: Staff) -> str:
        entry = (
            RosterEntry.objects.filter(staff=staff, day=today, roster__status=RosterStatus.PUBLISHED, roster__is_current=True)
            .values_list("status", flat=True)
            .first()
        )
        return f"today {PLACES.get(entry, entry)} (published roster)" if entry else "no roster entry today (not a working day or none published)"

    def work(staff_filter: dict[str, Any]) -> str:
        items = WorkItem.objects.filter(status__in=open_states, **staff_filter)
        late = items.filter(due_on__lt=today).count()
        return f"{items.count()} open work item(s), {late} late"

    described = []
    for login in logins:
        staff = Staff.objects.select_related("unit", "direct_superior").filter(user__username=login.username).first()
        user = User.objects.get(username=login.username)
        note = login.note
        if login.role.startswith("Staff member") and staff is not None and "outside" not in login.role:
            home_days = RosterEntry.objects.filter(
                staff=staff,
                day__gte=monday,
                day__lte=monday + dt.timedelta(days=4),
                status="home",
                roster__status=RosterStatus.PUBLISHED,
                roster__is_current=True,
            ).count()
            approver = staff.direct_superior.code if staff.direct_superior else "nobody"
            note = f"home page: {place_today(staff)}, one-tap check-in; {home_days} home day(s) this week; {work({'staff': staff})}; approver {approver}. {login.note}"
        elif login.role == "Unit head" and staff is not None:
            alerts = Alert.objects.filter(item__unit=staff.unit, day=today).count()
            at_home = RosterEntry.objects.filter(
                roster__unit=staff.unit, roster__status=RosterStatus.PUBLISHED, roster__is_current=True, day=today, status="home"
            ).count()
            note = (
                f"home page: {len(approval_inbox(viewer=user))} request(s) to approve, {at_home} of the unit at home today, {alerts} work alert(s), "
                f"{work({'unit': staff.unit})} in the unit"
            )
        elif login.role == "Agency head" and staff is not None:
            agency = staff.unit.agency
            people = Staff.objects.filter(unit__agency=agency, is_active=True).count()
            at_home = RosterEntry.objects.filter(
                roster__unit__agency=agency, roster__status=RosterStatus.PUBLISHED, roster__is_current=True, day=today, status="home"
            ).count()
            note = f"home page: {agency.name} at a glance: {people} staff, {at_home} at home today, {work({'unit__agency': agency})}; last quarter's evaluation published"
        elif login.role == "Agency HR officer" and staff is not None:
            agency = staff.unit.agency
            without_superior = Staff.objects.filter(unit__agency=agency, is_active=True, direct_superior__isnull=True).count()
            without_account = Staff.objects.filter(unit__agency=agency, is_active=True, user__isnull=True).count()
            note = f"home page: staff records of {agency.name}: {without_account} without an account, {without_superior} without a direct superior (agency leaders)"
        elif login.role == "Unit head (one-stop desks)" and staff is not None:
            note = f"{_quality_note(user, today)} for the unit's desks, per desk and per officer (/dossiers/quality/?level=desk); desk cards and QR slips at /dossiers/desks/"
        elif login.username == "noivu":
            published = Roster.objects.filter(week_start=monday, status=RosterStatus.PUBLISHED, is_current=True).count()
            active = PolicySwitch.objects.filter(is_active=True).count()
            note = (
                f"home page: {Pilot.objects.count()} pilot(s), {active} emergency switch(es) on, {published} rosters published this week. "
                f"{_staffing_note()}; {_quality_note(user, today)} city-wide (/dossiers/quality/?level=agency); "
                "surveys before and during the pilot (/surveys/)"
            )
        elif login.username == "lanhdao":
            note = (
                "home page: the city's key figures (staff in the pilot, home days, on-time work); reads everything, changes nothing. "
                f"{_quality_note(user, today)} city-wide (/dossiers/quality/?level=city); the staffing round (/staffing/) and the surveys (/surveys/)"
            )
        if login.username in ("noivu", "lanhdao"):
            note += _assessment_note(login.username)
        if login.role == "Unit head" and staff is not None:
            row = ReportRow.objects.filter(unit=staff.unit, filled_at__isnull=True, report_round__state="open").select_related("report_round").first()
            if row is not None:
                note += f". Yesterday's staffing-needs report for {staff.unit.name} was not sent: send it now as a late report (/staffing/)"
        if login.role == "Agency head" and staff is not None:
            to_sign = ReportRow.objects.filter(unit__agency=staff.unit.agency, filled_at__isnull=False, signed_off_at__isnull=True).count()
            if to_sign:
                note += f". {to_sign} staffing-needs report(s) of the agency's units wait for the head's signature (/staffing/)"
        described.append(DemoLogin(login.role, login.username, login.full_name, login.post, note))
    return described


def _quality_note(user: User, today: dt.date) -> str:
    """Last month's on-time rate and satisfaction among what ``user`` sees (the quality page's month by default)."""
    from django.db.models import F

    from telework.dossiers.models import Rating
    from telework.dossiers.permissions import visible_dossiers

    month_end = today.replace(day=1) - dt.timedelta(days=1)
    month = visible_dossiers(user).filter(received_at__date__gte=month_end.replace(day=1), received_at__date__lte=month_end)
    returned = month.filter(returned_at__isnull=False)
    total = returned.count()
    if not total:
        return "service quality at /dossiers/quality/"
    on_time = returned.filter(returned_at__lte=F("legal_due_at")).count()
    ratings = Rating.objects.filter(dossier__in=month)
    rated = ratings.count()
    satisfied = ratings.filter(level__in=["satisfied", "very_satisfied"]).count()
    satisfaction = f", {satisfied / rated:.0%} satisfied of {rated:,} ratings" if rated else ""
    return f"quality of {month_end:%m/%Y}: {month.count():,} dossiers, {on_time / total:.1%} on time{satisfaction}"


def _url(name: str, *args: object) -> str:
    """The path of a named route, or "" when this build has no such page (the estimates page, the review report and
    the dashboard land with their own branches)."""
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse(name, args=list(args))
    except NoReverseMatch:
        return ""


def _assessment_note(username: str) -> str:
    """What the pilot's assessment shows (``telework.demo.assessment``), read from the stored design and estimates."""
    from django.utils import timezone

    from telework.assessment.estimates import latest_estimates
    from telework.assessment.models import Arm, PhaseDesign

    design = PhaseDesign.objects.select_related("phase").filter(locked_at__isnull=False).order_by("phase__starts_on").first()
    if design is None:
        return ""
    phase = design.phase
    phase_url = _url("assessment:phase_detail", phase.pk)
    estimates_url = _url("assessment:phase_estimates", phase.pk) or phase_url
    dashboard = _url("assessment:dashboard")
    report = _url("assessment:review_report", phase.pk, "pdf")
    estimates = latest_estimates(phase)
    figures = []
    for code, label in (("dossier_on_time_rate", "dossier on-time rate"), ("citizen_satisfied_share", "citizens satisfied")):
        estimate = estimates.get(code)
        result = estimate.result if estimate is not None else None
        if result and result.get("effect") is not None and result.get("ci95"):
            low, high = result["ci95"]
            changed = low > 0 or high < 0
            figures.append(
                f"{label} {result['effect'] * 100:+.1f} points (95% interval {low * 100:+.1f} to {high * 100:+.1f}{'' if changed else ': no clear change'})"
            )
    arms = {arm: design.allocations.filter(arm=arm).count() for arm in (Arm.PILOT, Arm.COMPARISON)}
    found = "; ".join(figures) or "none computed"
    dashboard_part = f"the pilot dashboard ({dashboard}), " if dashboard else ""
    report_part = f"; the review report ({report}, .xlsx too)" if report else ""
    if username == "lanhdao":
        return (
            f". The pilot's assessment: {dashboard_part}phase 1's estimates ({estimates_url}): {found}, against a matched comparison; "
            f"read the verdict and its caveats, then record the review (sơ kết) — widen, adjust or stop — with reasons "
            f"({_url('assessment:phase_review', phase.pk)}){report_part}"
        )
    return (
        f". Phase 1's design ({phase_url}): matched, {arms[Arm.PILOT]} pilot and {arms[Arm.COMPARISON]} comparison units, recorded "
        f"{timezone.localdate(design.recorded_at):%d/%m/%Y} before launch and locked at launch; its estimates ({estimates_url}: {found}); "
        f"{dashboard_part}each unit's outcome panel (/outcomes/units/) and the indicator dictionary (/outcomes/indicators/){report_part}"
    )


def _staffing_note() -> str:
    report_round = ReportRound.objects.order_by("-opened_at").first()
    if report_round is None:
        return "staffing-needs rounds at /staffing/"
    rows = report_round.rows.all()
    filled = rows.filter(filled_at__isnull=False).count()
    late = rows.filter(is_late=True).count()
    return (
        f"staffing (/staffing/): yesterday's round “{report_round.title}”: {filled} of {rows.count()} units answered, {late} late, "
        f"{rows.count() - filled} missing — read the live aggregate, export it, close it and record decisions"
    )
