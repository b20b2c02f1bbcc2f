"""The logins ``seed_demo`` prints: one account per role, with what to try."""

from __future__ import annotations

from collections import defaultdict

from telework.accounts.models import Role, User
from telework.demo.plans import AgencyPlan, DemoLogin, PersonPlan, RegistrationPlan
from telework.organization.models import AgencyKind
from telework.registrations.models import RegistrationStatus

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
    heads = [person for agency in agencies if agency.in_pilot for person in agency.people if person.role == Role.UNIT_HEAD and pending[person.pk] > 0]
    heads.sort(key=lambda person: (person.unit.agency.kind != AgencyKind.WARD_COMMITTEE, -pending[person.pk], person.code))
    logins: list[DemoLogin] = []
    everyone = [person for agency in agencies for person in agency.people]
    head = heads[0] if heads else None
    agency = head.unit.agency if head else next(item for item in agencies if item.in_pilot)

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
