"""The pilot and its policies (through the policy services) and several weeks of registrations, checked in memory
against the same pure rules the services use (``eligibility.decide``, ``caps.check_request``)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation

from telework.accounts.models import User
from telework.core import calendar
from telework.core.models import AuditEvent, Notification
from telework.demo.plans import AgencyPlan, PersonPlan, RegistrationPlan, UnitPlan, aware, weighted, working_day_before, working_days
from telework.demo.reference import APPROVAL_COMMENTS, CHANGE_REQUESTS, PILOT_CODE, PILOT_NAME, REJECTION_REASONS, REVOCATION_REASONS, WORK_PLANS
from telework.policy import eligibility
from telework.policy.models import Pilot, PilotStatus, Policy, PolicyLevel
from telework.policy.parameters import PolicyParameters
from telework.policy.selectors import PolicyResolver, pilot_facts
from telework.policy.services import pilot_save, policy_apply_preset, policy_version_create, switches_ensure
from telework.registrations import caps
from telework.registrations.models import Registration, RegistrationDay, RegistrationMode, RegistrationStatus
from telework.registrations.services import COMMITMENT_TEXT, revocation_effective_on

# --- pilot and policies (through the services) ----------------------------------------------------------------


@dataclass(frozen=True)
class PilotCalendar:
    """Phase 1 covers the weeks around today; phase 2 starts after a month's review (sơ kết)."""

    phase_one: tuple[dt.date, dt.date]
    phase_two: tuple[dt.date, dt.date]
    past: tuple[dt.date, dt.date]  # registrations already running or done: three weeks back to this Friday
    coming: tuple[dt.date, dt.date]  # the next four weeks
    # The finished quarter before today's (up to the day before ``past`` starts): home days that have been lived, so
    # the quarter's evaluation, rosters and check-ins have something to show.
    quarter: tuple[dt.date, dt.date]

    @classmethod
    def around(cls, today: dt.date) -> PilotCalendar:
        monday = today - dt.timedelta(days=today.weekday())
        past = (monday - dt.timedelta(weeks=3), monday + dt.timedelta(days=4))
        coming = (monday + dt.timedelta(weeks=1), monday + dt.timedelta(weeks=4, days=4))
        quarter_start, quarter_end = previous_quarter_bounds(today)
        quarter = (quarter_start, min(quarter_end, past[0] - dt.timedelta(days=1)))
        # From the Monday of the quarter's first week: a week's rules resolve on its Monday.
        phase_one_start = min(monday - dt.timedelta(weeks=10), quarter_start - dt.timedelta(days=quarter_start.weekday()))
        phase_one_end = calendar.month_bounds(coming[1] + dt.timedelta(weeks=2))[1]
        review_month_end = calendar.month_bounds(phase_one_end + dt.timedelta(days=1))[1]
        phase_two_start = review_month_end + dt.timedelta(days=1)
        phase_two_end = calendar.month_bounds(phase_two_start + dt.timedelta(days=160))[1]
        return cls((phase_one_start, phase_one_end), (phase_two_start, phase_two_end), past, coming, quarter)


def previous_quarter_bounds(today: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the calendar quarter before ``today``'s."""
    this_quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = this_quarter_start - dt.timedelta(days=1)
    return dt.date(end.year, end.month - 2, 1), end


def create_pilot_and_policies(agencies: list[AgencyPlan], actor: User, pilot_calendar: PilotCalendar) -> Pilot:
    """The HCMC preset city-wide, one tighter agency override and one unit override, both switches (off), and the
    running pilot over every department and centre and about three wards in five (the others are its comparison)."""
    start = pilot_calendar.phase_one[0]
    policy_apply_preset(actor=actor, preset="hcmc_pilot", effective_from=start, note="Kế hoạch thí điểm làm việc tại nhà của UBND Thành phố năm 2026.")
    finance = next(agency for agency in agencies if agency.code == "STC")
    policy_version_create(
        actor=actor,
        level=PolicyLevel.AGENCY,
        agency=finance.instance,
        parameters={"max_home_share": 0.2},
        effective_from=start,
        name="Sở Tài chính: tối đa 20% làm việc tại nhà (cao điểm quyết toán ngân sách)",
        note="Cao điểm quyết toán ngân sách cuối năm: giữ ít nhất 80% công chức tại cơ quan.",
    )
    home_affairs = next(agency for agency in agencies if agency.code == "SNV")
    office = next(unit for unit in home_affairs.units if not unit.is_leadership)
    policy_version_create(
        actor=actor,
        level=PolicyLevel.UNIT,
        unit=office.instance,
        parameters={"max_home_days_per_week": 1},
        effective_from=start,
        name=f"{office.name} {home_affairs.name}: tối đa 1 ngày mỗi tuần",
        note="Bộ phận tham mưu tổng hợp phục vụ điều hành thí điểm, cần có mặt tại cơ quan nhiều hơn.",
    )
    switches_ensure()
    return pilot_save(
        actor=actor,
        pilot=None,
        code=PILOT_CODE,
        name=PILOT_NAME,
        description=(
            "Thí điểm cho cán bộ, công chức, viên chức ở các vị trí không trực tiếp tiếp dân và không giải quyết thủ tục hành chính "
            "được làm việc tại nhà theo tỷ lệ phù hợp, luân phiên, có cam kết về tiến độ, khối lượng và chất lượng công việc."
        ),
        status=PilotStatus.RUNNING,
        agencies=[agency.instance for agency in agencies if agency.in_pilot and agency.instance is not None],
        units=[],
        positions=[],
        phases=[
            ("Giai đoạn 1: các sở, trung tâm và phường, xã được chọn", *pilot_calendar.phase_one),
            ("Giai đoạn 2: mở rộng sau sơ kết", *pilot_calendar.phase_two),
        ],
    )


# --- registrations ----------------------------------------------------------------------------------------------


class RegistrationPlanner:
    """Registers eligible staff for home days, unit by unit, keeping the unit facts the caps need in memory.

    Each request is checked with ``caps.check_request`` against the days already approved (as the services do at
    submission and at approval); a request that would break a rule is redrawn with other weekdays, or dropped.
    """

    PAST_OUTCOMES = (("approved", 86.0), ("rejected", 8.0), ("revoked", 4.0), ("withdrawn", 2.0))
    COMING_OUTCOMES = (("approved", 55.0), ("submitted", 30.0), ("changes_requested", 7.0), ("rejected", 6.0), ("withdrawn", 2.0))

    def __init__(self, *, agencies: list[AgencyPlan], pilot: Pilot, seed: int, today: dt.date, pilot_calendar: PilotCalendar) -> None:
        self.agencies = agencies
        self.rng = random.Random(f"telework-demo:{seed}:registrations")
        self.today = today
        self.calendar = pilot_calendar
        self.pilot = pilot_facts(pilot)
        self.resolver = PolicyResolver()
        self.units_with_policy = set(Policy.objects.filter(level=PolicyLevel.UNIT).values_list("unit_id", flat=True))
        self.parameter_cache: dict[tuple[int, int, dt.date], PolicyParameters] = {}
        self.parameter_dicts: dict[PolicyParameters, dict[str, Any]] = {}
        self.rule_cache: dict[tuple[Any, ...], dict[str, Any]] = {}
        self.eligible: dict[int, bool] = {}
        self.plans: list[RegistrationPlan] = []
        with translation.override("vi"):
            self.commitment = str(COMMITMENT_TEXT)

    def parameters(self, unit: UnitPlan, day: dt.date) -> PolicyParameters:
        # Units without a unit-level policy resolve like every other unit of their agency: one resolution serves them.
        unit_key = unit.pk if unit.pk in self.units_with_policy else 0
        key = (unit.agency.pk, unit_key, day)
        if key not in self.parameter_cache:
            assert unit.instance is not None
            self.parameter_cache[key] = self.resolver.resolve(unit.instance, day).parameters
        return self.parameter_cache[key]

    def parameter_dict(self, parameters: PolicyParameters) -> dict[str, Any]:
        """``parameters.as_dict()``, computed once per distinct rule set (the registrations' policy snapshot)."""
        if parameters not in self.parameter_dicts:
            self.parameter_dicts[parameters] = parameters.as_dict()
        return self.parameter_dicts[parameters]

    def facts(self, person: PersonPlan) -> eligibility.StaffFacts:
        unit = person.unit
        agency = unit.agency
        position = agency.positions[person.position]
        assert unit.instance is not None
        return eligibility.StaffFacts(
            code=person.code,
            full_name=person.full_name,
            is_active=True,
            agency_id=agency.pk,
            agency_name=agency.name,
            unit_ids=frozenset(int(part) for part in unit.instance.path.strip("/").split("/")),
            unit_name=unit.name,
            position=eligibility.PositionFacts(
                id=int(position.pk),
                name=position.name,
                faces_citizens=position.faces_citizens,
                handles_dossiers=position.handles_dossiers,
                is_one_stop_desk=position.is_one_stop_desk,
                is_duty_post=position.is_duty_post,
            ),
            equipment=frozenset(person.equipment),
            training_completed_on=person.training_completed_on,
            disciplined_until=person.disciplined_until,
        )

    def snapshot(self, decision: eligibility.EligibilityDecision) -> dict[str, Any]:
        """``decision.as_dict()``, with each rule's rendering shared between the many staff who get the same one."""
        rules = []
        for rule in decision.rules:
            key = (rule.code, rule.passed, rule.message, rule.parameter, tuple(sorted(rule.params.items())))
            if key not in self.rule_cache:
                self.rule_cache[key] = rule.as_dict()
            rules.append(self.rule_cache[key])
        return {"staff_code": decision.staff_code, "date": decision.on.isoformat(), "is_eligible": decision.is_eligible, "rules": rules}

    def plan(self) -> list[RegistrationPlan]:
        phase_start, phase_end = self.calendar.phase_one
        assert phase_start <= self.calendar.past[0], "registrations must fall inside phase 1"
        assert self.calendar.coming[1] <= phase_end, "registrations must fall inside phase 1"
        for agency in self.agencies:
            for unit in agency.units:
                self._plan_unit(unit)
        return self.plans

    def _plan_unit(self, unit: UnitPlan) -> None:
        rng = self.rng
        members = [person for person in unit.members if person.superior is not None]
        facts = caps.UnitFacts(
            unit_name=unit.name,
            staff_ids=frozenset(person.pk for person in unit.members),
            leader_ids=frozenset(person.pk for person in unit.members if person.is_leader),
            service_points=tuple(
                caps.ServicePointFacts(
                    id=int(point.instance.pk),
                    name=point.name,
                    kind=point.kind,
                    required_on_site=point.required_on_site,
                    qualified_staff_ids=frozenset(person.pk for person in point.qualified),
                )
                for point in unit.points
                if point.instance is not None
            ),
        )
        person_days: dict[int, set[dt.date]] = defaultdict(set)
        windows = [("past", self.calendar.past, 0.7, self.PAST_OUTCOMES), ("coming", self.calendar.coming, 0.75, self.COMING_OUTCOMES)]
        if working_days(*self.calendar.quarter):
            windows.insert(0, ("quarter", self.calendar.quarter, 0.45, self.PAST_OUTCOMES))
        for window, (start, end), participation, outcomes in windows:
            first_day = working_days(start, end)[0]
            candidates = []
            for person in members:
                if unit.is_leadership:
                    continue
                decision = eligibility.decide(staff=self.facts(person), pilot=self.pilot, parameters=self.parameters(unit, first_day), on=first_day)
                if window == "coming":
                    self.eligible[person.pk] = decision.is_eligible
                if decision.is_eligible and rng.random() < participation:
                    candidates.append((person, decision))
            rng.shuffle(candidates)
            for person, decision in candidates:
                status = weighted(rng, outcomes)
                found = self._choose_days(person, unit, facts, person_days[person.pk], start, end)
                if found is None:
                    continue
                mode, weekdays, dates, days = found
                if days[0] != first_day:
                    # The snapshot records the verdict on the first requested day, as the submission service does.
                    decision = eligibility.decide(staff=self.facts(person), pilot=self.pilot, parameters=self.parameters(unit, days[0]), on=days[0])
                plan = RegistrationPlan(
                    person=person,
                    window=window,
                    starts_on=start,
                    ends_on=end,
                    mode=mode,
                    weekdays=weekdays,
                    dates=dates,
                    days=days,
                    status=status,
                    submitted_at=aware(start, 8, 0),
                    parameters=self.parameter_dict(self.parameters(unit, days[0])),
                    eligibility_snapshot=self.snapshot(decision),
                    work_plan="; ".join(rng.sample(WORK_PLANS, 2)) + ".",
                )
                self._decide(plan, start)
                if status in {"approved", "revoked"}:
                    for day in days:
                        facts.home_by_day.setdefault(day, set()).add(person.pk)
                    person_days[person.pk].update(days)
                self.plans.append(plan)

    def _choose_days(
        self, person: PersonPlan, unit: UnitPlan, facts: caps.UnitFacts, approved: set[dt.date], start: dt.date, end: dt.date
    ) -> tuple[str, list[int], list[dt.date], list[dt.date]] | None:
        """A weekly pattern (or, for some, chosen dates) that passes every cap given what is approved; None if no
        attempt does."""
        rng = self.rng
        working = working_days(max(start, self.calendar.phase_one[0]), end)
        wanted = 2 if rng.random() < 0.55 else 1
        for attempt in range(6):
            size = wanted if attempt < 3 else 1
            if rng.random() < 0.15:
                weeks: dict[dt.date, list[dt.date]] = defaultdict(list)
                for day in working:
                    weeks[calendar.iso_week_bounds(day)[0]].append(day)
                dates = sorted(day for monday in sorted(weeks) for day in rng.sample(weeks[monday], min(size, len(weeks[monday]))) if rng.random() < 0.8)
                mode, weekdays, days = RegistrationMode.DATES.value, [], dates
            else:
                weekdays = sorted(rng.sample(range(5), size))
                mode, dates = RegistrationMode.WEEKLY.value, []
                days = [day for day in working if day.weekday() in weekdays]
            if not days:
                continue
            violations = caps.check_request(
                staff_id=person.pk,
                days=days,
                unit=facts,
                person_home_days=approved,
                parameters_for=lambda day: self.parameters(unit, day),
                working_days_between=working_days,
                week_bounds=calendar.iso_week_bounds,
                month_bounds=calendar.month_bounds,
            )
            if not violations:
                return mode, weekdays, dates, days
        return None

    def _decide(self, plan: RegistrationPlan, start: dt.date) -> None:
        """Timestamps and the decision: past registrations were submitted and decided before they started; coming
        ones in the last working days before today."""
        rng = self.rng
        if plan.window in {"past", "quarter"}:
            submitted_day = working_day_before(start, rng.randint(3, 7))
            decided_day = calendar.add_working_days(submitted_day, rng.randint(1, 2))
        else:
            submitted_day = working_day_before(self.today, rng.randint(1, 5))
            decided_day = min(calendar.add_working_days(submitted_day, rng.randint(0, 2)), working_day_before(self.today, 1))
        plan.submitted_at = aware(submitted_day, rng.randint(7, 15), rng.randint(0, 59))
        decided_at = aware(decided_day, rng.randint(8, 16), rng.randint(0, 59))
        if decided_at <= plan.submitted_at:
            decided_at = plan.submitted_at + dt.timedelta(minutes=rng.randint(30, 180))
        if plan.status in {"submitted", "withdrawn"}:
            return
        plan.decided_at = decided_at
        if plan.status in {"approved", "revoked"}:
            plan.decision_comment = rng.choice(APPROVAL_COMMENTS)
        elif plan.status == "rejected":
            plan.decision_comment = rng.choice(REJECTION_REASONS)
        elif plan.status == "changes_requested":
            plan.decision_comment = rng.choice(CHANGE_REQUESTS)
        if plan.status == "revoked":
            revoked_on = max(decided_day, min(plan.days[0] + dt.timedelta(days=rng.randint(7, 12)), working_day_before(self.today, 1)))
            plan.revoked_at = max(aware(revoked_on, rng.randint(8, 16), rng.randint(0, 59)), decided_at + dt.timedelta(hours=1))
            plan.revocation_reason = rng.choice(REVOCATION_REASONS)
            # The service's own rule: the policy's notice, or the shorter one within the trial period after approval.
            probe = Registration(policy_snapshot=plan.parameters, approved_at=decided_at)
            plan.revoked_effective_on, plan.notice_days = revocation_effective_on(probe, timezone.localdate(plan.revoked_at))


def _snapshot(plan: RegistrationPlan, status: str) -> dict[str, Any]:
    """The shape ``registrations.services._snapshot`` writes to the audit trail."""
    return {
        "status": status,
        "starts_on": plan.starts_on.isoformat(),
        "ends_on": plan.ends_on.isoformat(),
        "days": [day.isoformat() for day in plan.days],
        "revoked_effective_on": plan.revoked_effective_on.isoformat() if status == RegistrationStatus.REVOKED and plan.revoked_effective_on else None,
    }


def _audit_events(plan: RegistrationPlan) -> list[AuditEvent]:
    """One row per action the registration went through, as the registration services write them."""
    registration = plan.instance
    assert registration is not None
    staff_user = plan.person.user
    decider = plan.person.superior.user if plan.person.superior else None

    def event(actor: User | None, action: str, before: dict[str, Any] | None, after: dict[str, Any], reason: str = "") -> AuditEvent:
        return AuditEvent(
            actor=actor,
            actor_label=(actor.get_full_name() or actor.username) if actor else "system",
            action=action,
            object_type=Registration._meta.label_lower,
            object_id=str(registration.pk),
            object_label=str(registration)[:300],
            agency_id=plan.person.unit.agency.pk,
            before=before,
            after=after,
            reason=reason,
        )

    submitted = _snapshot(plan, RegistrationStatus.SUBMITTED)
    events = [event(staff_user, "registration.submit", None, submitted)]
    if plan.status == RegistrationStatus.WITHDRAWN:
        events.append(event(staff_user, "registration.withdraw", submitted, _snapshot(plan, RegistrationStatus.WITHDRAWN)))
    elif plan.status in {RegistrationStatus.APPROVED, RegistrationStatus.REVOKED}:
        approved = _snapshot(plan, RegistrationStatus.APPROVED)
        events.append(event(decider, "registration.approve", submitted, approved, plan.decision_comment))
        if plan.status == RegistrationStatus.REVOKED:
            after = {**_snapshot(plan, RegistrationStatus.REVOKED), "notice_days": plan.notice_days}
            events.append(event(decider, "registration.revoke", approved, after, plan.revocation_reason))
    elif plan.status == RegistrationStatus.REJECTED:
        events.append(event(decider, "registration.reject", submitted, _snapshot(plan, RegistrationStatus.REJECTED), plan.decision_comment))
    elif plan.status == RegistrationStatus.CHANGES_REQUESTED:
        events.append(event(decider, "registration.request_changes", submitted, _snapshot(plan, RegistrationStatus.CHANGES_REQUESTED), plan.decision_comment))
    return events


def _notifications(plan: RegistrationPlan) -> list[Notification]:
    """What ``registrations.tasks.notify_registration_event`` would have sent for the recent events: the heads hear
    of pending requests, staff of decisions on the coming weeks and of revocations."""
    from django.utils.translation import gettext

    registration = plan.instance
    assert registration is not None
    url = f"/registrations/{registration.pk}/"
    person = plan.person
    with translation.override("vi"):
        if plan.status == RegistrationStatus.SUBMITTED and person.superior is not None and person.superior.user is not None:
            return [
                Notification(
                    user=person.superior.user,
                    title=gettext("%(name)s asks to work from home") % {"name": person.full_name},
                    body=str(registration),
                    url=url,
                    key=f"registration:{registration.pk}:submitted:{plan.submitted_at}",
                )
            ]
        titles = {
            RegistrationStatus.APPROVED: gettext("Your home-day registration was approved"),
            RegistrationStatus.REJECTED: gettext("Your home-day registration was rejected"),
            RegistrationStatus.CHANGES_REQUESTED: gettext("Changes requested to your home-day registration"),
            RegistrationStatus.REVOKED: gettext("Your home-day registration was revoked"),
        }
        recent = plan.window == "coming" or (plan.window == "past" and plan.status == RegistrationStatus.REVOKED)
        if recent and plan.status in titles and person.user is not None:
            return [
                Notification(
                    user=person.user,
                    title=titles[RegistrationStatus(plan.status)],
                    body=registration.decision_comment,
                    url=url,
                    key=f"registration:{registration.pk}:{plan.status}:{registration.decided_at}",
                )
            ]
    return []


def write_registrations(plans: list[RegistrationPlan], commitment_text: str) -> tuple[int, int]:
    """Insert the registrations, their days (counted while approved and not past a revocation), one audit row per
    action and the recent notifications. Returns the numbers of days and audit rows."""
    for plan in plans:
        person = plan.person
        decider = person.superior.user if person.superior else None
        is_approved = plan.status in {RegistrationStatus.APPROVED, RegistrationStatus.REVOKED}
        plan.instance = Registration(
            staff=person.instance,
            unit=person.unit.instance,
            starts_on=plan.starts_on,
            ends_on=plan.ends_on,
            mode=plan.mode,
            weekdays=plan.weekdays,
            requested_dates=[day.isoformat() for day in plan.dates],
            status=plan.status,
            equipment_attested=sorted(plan.parameters["required_equipment"]),
            commitment_accepted=True,
            commitment_text=commitment_text,
            work_plan=plan.work_plan,
            eligibility_snapshot=plan.eligibility_snapshot,
            policy_snapshot=plan.parameters,
            submitted_at=plan.submitted_at,
            # A revocation is the latest decision: the service overwrites who decided, when and why.
            decided_by=decider if plan.decided_at else None,
            decided_at=plan.revoked_at or plan.decided_at,
            decision_comment=plan.revocation_reason or plan.decision_comment,
            approved_at=plan.decided_at if is_approved else None,
            revoked_effective_on=plan.revoked_effective_on,
        )
    Registration.objects.bulk_create([plan.instance for plan in plans if plan.instance is not None], batch_size=1000)
    days: list[RegistrationDay] = []
    for plan in plans:
        for day in plan.days:
            counted = plan.status == RegistrationStatus.APPROVED or (
                plan.status == RegistrationStatus.REVOKED and plan.revoked_effective_on is not None and day <= plan.revoked_effective_on
            )
            days.append(RegistrationDay(registration=plan.instance, staff=plan.person.instance, unit=plan.person.unit.instance, day=day, is_counted=counted))
    RegistrationDay.objects.bulk_create(days, batch_size=2000)
    events = [event for plan in plans for event in _audit_events(plan)]
    AuditEvent.objects.bulk_create(events, batch_size=2000)
    Notification.objects.bulk_create([notification for plan in plans for notification in _notifications(plan)], batch_size=2000)
    return len(days), len(events)
