"""Planning the organisation (agencies, units level by level, positions, people and their superiors, service points)
and writing it with ``bulk_create`` in dependency order."""

from __future__ import annotations

import datetime as dt
import math
import random

from telework.accounts.models import Role, User
from telework.demo.plans import AgencyPlan, PersonPlan, PointPlan, UnitPlan, apportion, ascii_slug, load_ward_reference, weighted
from telework.demo.reference import (
    CENTRE_HR,
    CENTRES,
    DEPARTMENT_HR,
    DEPARTMENT_MINIMUM,
    DEPARTMENT_SHARE,
    DEPARTMENTS,
    FAMILY_NAMES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    MALE_GIVEN,
    MALE_MIDDLE,
    PERSONNEL,
    PHONE_PREFIXES,
    PLANNING,
    PUBLIC_SERVICE_SHARE,
    SECOND_FEMALE_MIDDLE,
    WARD_HR,
    WARD_SIZE,
    WARDS_OUTSIDE_PILOT_SHARE,
    PositionSpec,
    UnitTemplate,
    department_office,
    ward_templates,
)
from telework.organization.models import Agency, AgencyKind, Position, ServicePoint, ServicePointKind, Staff, StaffType, Unit

# --- planning the organisation --------------------------------------------------------------------------------


class OrganisationPlanner:
    """Decides agencies, units, people and service points in memory, from one seeded stream per concern."""

    def __init__(self, *, staff: int, seed: int, today: dt.date) -> None:
        self.staff = staff
        self.today = today
        self.structure = random.Random(f"telework-demo:{seed}:structure")
        self.people_rng = random.Random(f"telework-demo:{seed}:people")
        self.agencies: list[AgencyPlan] = []
        self.emails: set[str] = set()

    def plan(self) -> list[AgencyPlan]:
        department_budget = round(self.staff * DEPARTMENT_SHARE)
        centre_budget = max(15, round(self.staff * PUBLIC_SERVICE_SHARE))
        ward_budget = self.staff - department_budget - centre_budget
        self._plan_departments(department_budget)
        self._plan_centres(centre_budget)
        self._plan_wards(ward_budget)
        for agency in self.agencies:
            self._plan_units(agency)
            for unit in agency.units:
                self._plan_people(unit)
            self._link(agency)
            for unit in agency.units:
                self._plan_points(unit)
        return self.agencies

    def _budgets(self, total: int, weights: list[float], minimum: int) -> list[int]:
        return apportion(total, weights, low=min(minimum, total // max(1, len(weights))))

    def _plan_departments(self, budget: int) -> None:
        count = min(len(DEPARTMENTS), max(3, budget // DEPARTMENT_MINIMUM))
        chosen = DEPARTMENTS[:count]
        budgets = self._budgets(budget, [spec.weight * self.structure.uniform(0.85, 1.15) for spec in chosen], DEPARTMENT_MINIMUM)
        for spec, size in zip(chosen, budgets, strict=True):
            templates = list(spec.specialised)
            # A small department keeps its office and its specialised phòng first; personnel and planning phòng
            # come once it is big enough (many merged them into the office in 2025).
            ordered = [department_office(spec.office), templates[0]]
            if len(templates) > 1:
                ordered.append(templates[1])
            ordered.append(PERSONNEL)
            ordered.extend(templates[2:3])
            ordered.append(PLANNING)
            ordered.extend(templates[3:])
            self.agencies.append(
                AgencyPlan(
                    spec.code,
                    spec.name,
                    AgencyKind.DEPARTMENT,
                    size,
                    tuple(ordered),
                    spec.leader,
                    spec.deputy,
                    spec.leadership_unit,
                    DEPARTMENT_HR,
                    StaffType.CONG_CHUC,
                    spec.code.lower(),
                )
            )

    def _plan_centres(self, budget: int) -> None:
        count = min(len(CENTRES), max(1, round(budget / 45)))
        chosen = CENTRES[:count]
        budgets = self._budgets(budget, [self.structure.uniform(0.8, 1.2) for _ in chosen], 15)
        for spec, size in zip(chosen, budgets, strict=True):
            self.agencies.append(
                AgencyPlan(
                    spec.code,
                    spec.name,
                    AgencyKind.PUBLIC_SERVICE_UNIT,
                    size,
                    spec.units,
                    "Giám đốc Trung tâm",
                    "Phó Giám đốc Trung tâm",
                    "Ban Giám đốc Trung tâm",
                    CENTRE_HR,
                    StaffType.VIEN_CHUC,
                    spec.code.lower(),
                )
            )

    def _plan_wards(self, budget: int) -> None:
        reference = load_ward_reference()
        count = min(len(reference), max(2, round(budget / WARD_SIZE)))
        chosen = sorted(self.structure.sample(reference, count), key=lambda ward: ward["code"])
        budgets = self._budgets(budget, [self.structure.lognormvariate(0, 0.25) for _ in chosen], 25)
        # Phase 1 covers about three wards in five; the others stay outside the pilot and are its comparison units
        # (``telework.demo.assessment``: a matched design needs at least eight of them at 2,000 staff).
        excluded_count = max(1, round(count * WARDS_OUTSIDE_PILOT_SHARE))
        excluded = {ward["code"] for ward in self.structure.sample(chosen, excluded_count)}
        for ward, size in zip(chosen, budgets, strict=True):
            name = ward["name"]
            prefix = "đặc khu" if name.startswith("Đặc khu") else "xã" if name.startswith("Xã") else "phường"
            letter = {"phường": "P", "xã": "X", "đặc khu": "DK"}[prefix]
            self.agencies.append(
                AgencyPlan(
                    f"{letter}{ward['code']}",
                    name,
                    AgencyKind.WARD_COMMITTEE,
                    size,
                    ward_templates(prefix),
                    f"Chủ tịch UBND {prefix}",
                    f"Phó Chủ tịch UBND {prefix}",
                    "Lãnh đạo UBND",
                    WARD_HR,
                    StaffType.CONG_CHUC,
                    f"{letter.lower()}{ward['code']}",
                    administrative_code=ward["code"],
                    in_pilot=ward["code"] not in excluded,
                    minimum_units=4,
                )
            )

    def _plan_units(self, agency: AgencyPlan) -> None:
        rng = self.structure
        deputies = 2 if agency.budget < 60 else 3 if agency.budget < 250 else 4
        if agency.kind == AgencyKind.PUBLIC_SERVICE_UNIT:
            deputies = 2
        if agency.kind == AgencyKind.WARD_COMMITTEE:
            deputies = 2 if agency.budget < 70 else 3
        leadership = UnitTemplate(agency.leadership_unit, agency.leader, agency.deputy)
        counter = iter(range(1, 10_000))
        agency.units.append(UnitPlan(agency, leadership.name, f"{agency.code}-{next(counter):02d}", 1 + deputies, leadership, is_leadership=True))
        remaining = agency.budget - 1 - deputies
        top_count = min(len(agency.templates), max(agency.minimum_units, round(remaining / 18)), max(1, remaining // 4))
        tops = agency.templates[:top_count]
        families = apportion(remaining, [template.weight * rng.lognormvariate(0, 0.5) for template in tops], low=min(4, remaining // top_count))
        for template, family in zip(tops, families, strict=True):
            # A phòng above about twenty people splits into tổ of about a dozen (its core keeps the leaders).
            children = 0 if family <= 20 else min(math.ceil(family / 14) - 1, max(len(template.children), math.ceil(family / 60) - 1))
            if not template.children and family <= 60:
                children = 0
            sizes = apportion(family, [1.5] + [rng.lognormvariate(0, 0.3) for _ in range(children)], low=min(3, family // (children + 1)), high=60)
            core = UnitPlan(agency, template.name, f"{agency.code}-{next(counter):02d}", sizes[0], template)
            agency.units.append(core)
            for index, size in enumerate(sizes[1:]):
                name = template.children[index] if index < len(template.children) else f"Tổ công tác số {index + 1}"
                child_template = UnitTemplate(name, "Tổ trưởng", "Tổ phó", template.members, children=())
                agency.units.append(UnitPlan(agency, name, f"{agency.code}-{next(counter):02d}", size, child_template, parent=core))

    def _plan_people(self, unit: UnitPlan) -> None:
        rng = self.structure
        template = unit.template
        if unit.is_leadership:
            deputies = unit.size - 1
        elif unit.parent is not None:
            deputies = 0 if unit.size < 8 else 1
        else:
            deputies = 0 if unit.size <= 4 else 1 if unit.size <= 12 else 2 if unit.size <= 30 else 3
        plain = unit.size - 1 - deputies
        specs = [spec for spec, _ in template.members]
        counts = apportion(plain, [weight * rng.uniform(0.75, 1.25) for _, weight in template.members]) if specs else []
        if unit.parent is None:
            for needed in template.required:
                index = specs.index(needed)
                if counts[index] == 0 and plain > 0:
                    donor = max(range(len(counts)), key=lambda item: (counts[item], -item))
                    if counts[donor] > 1 or donor == index:
                        counts[donor] -= 1
                        counts[index] += 1
        positions: list[PositionSpec] = [spec for spec, count in zip(specs, counts, strict=True) for _ in range(count)]
        rng.shuffle(positions)
        head = PositionSpec(template.head)
        deputy = PositionSpec(template.deputy)
        unit.head = self._person(unit, head, is_leader=True)
        unit.members.append(unit.head)
        for _ in range(deputies):
            unit.members.append(self._person(unit, deputy, is_leader=True))
        for spec in positions:
            unit.members.append(self._person(unit, spec, is_leader=False))
        unit.agency.people.extend(unit.members)

    def _person(self, unit: UnitPlan, position: PositionSpec, *, is_leader: bool) -> PersonPlan:
        rng = self.people_rng
        agency = unit.agency
        is_female = rng.random() < (0.42 if is_leader else 0.56)
        family = weighted(rng, FAMILY_NAMES)
        if is_female:
            middle = weighted(rng, FEMALE_MIDDLE)
            if middle == "Thị" and rng.random() < 0.25:
                middle = f"Thị {rng.choice(SECOND_FEMALE_MIDDLE)}"
            given = rng.choice(FEMALE_GIVEN)
        else:
            middle = weighted(rng, MALE_MIDDLE)
            given = rng.choice(MALE_GIVEN)
        full_name = f"{family} {middle} {given}"
        initials = "".join(ascii_slug(part)[0] for part in f"{family} {middle}".split())
        local = f"{ascii_slug(given)}{initials}.{agency.email_tag}"
        email = f"{local}@tphcm.gov.vn"
        suffix = 2
        while email in self.emails:
            email = f"{ascii_slug(given)}{initials}{suffix}.{agency.email_tag}@tphcm.gov.vn"
            suffix += 1
        self.emails.add(email)
        draw = rng.random()
        equipment = ["computer", "internet", "phone", "printer"]
        if draw < 0.10:
            equipment.remove("printer")
        elif draw < 0.13:
            equipment.remove("computer")
        elif draw < 0.14:
            equipment.remove("internet")
        training = self.today - dt.timedelta(days=rng.randint(20, 200)) if rng.random() < 0.12 else None
        discipline = self.today + dt.timedelta(days=rng.randint(30, 240)) if rng.random() < 0.004 else None
        return PersonPlan(
            code=f"{agency.code}-{len(agency.people) + len(unit.members) + 1:03d}",
            full_name=full_name,
            unit=unit,
            position=position,
            staff_type=position.staff_type or agency.staff_type,
            is_leader=is_leader,
            phone=f"{rng.choice(PHONE_PREFIXES)}{rng.randint(0, 9_999_999):07d}",
            email=email,
            equipment=equipment,
            training_completed_on=training,
            disciplined_until=discipline,
        )

    def _link(self, agency: AgencyPlan) -> None:
        """Direct superiors and roles: staff → their unit's head; deputies → the head; a unit's head → the head of
        the unit above, or the agency leader; the agency leader is agency head; one HR officer per agency."""
        leadership = agency.units[0]
        assert leadership.head is not None
        agency.leader_plan = leadership.head
        leadership.head.role = Role.AGENCY_HEAD
        for unit in agency.units:
            assert unit.head is not None
            if unit.is_leadership:
                pass
            elif unit.parent is not None:
                unit.head.superior = unit.parent.head
                unit.head.role = Role.UNIT_HEAD
            else:
                unit.head.superior = leadership.head
                unit.head.role = Role.UNIT_HEAD
            for member in unit.members:
                if member is not unit.head:
                    member.superior = unit.head
        hr = next((person for person in agency.people if person.position == agency.hr_position), None)
        if hr is None:
            hr = next(person for person in agency.people if not person.is_leader and person.position.may_telework)
            hr.position = agency.hr_position
        hr.role = Role.AGENCY_HR
        agency.hr_plan = hr

    def _plan_points(self, unit: UnitPlan) -> None:
        """One-stop desks staffed by the unit's desk officers plus an occasional eligible backup; duty posts by the
        post's holders plus a backup. Each needs 1 or 2 on site, never more than its non-backup holders."""
        if unit.parent is not None:
            return
        rng = self.structure
        template = unit.template
        agency = unit.agency
        backups = [member for member in unit.members if not member.is_leader and member.position.may_telework and not member.position.is_duty_post]
        rng.shuffle(backups)
        officers = [member for member in unit.members if member.position.is_one_stop_desk]
        desk_count = min(len(template.desks), max(1, len(officers) // 2)) if officers else 0
        for index in range(desk_count):
            staffed = officers[index::desk_count]
            qualified = list(staffed)
            if backups and rng.random() < 0.6:
                qualified.append(backups.pop())
            required = 2 if len(staffed) >= 3 else 1
            code = f"{agency.code}-DV{sum(len(item.points) for item in agency.units) + 1:02d}"
            unit.points.append(PointPlan(unit, code, template.desks[index], ServicePointKind.ONE_STOP_DESK, required, qualified))
        for name, spec in template.duty_posts:
            holders = [member for member in unit.members if member.position == spec]
            if not holders:
                continue
            qualified = list(holders)
            if backups and rng.random() < 0.5:
                qualified.append(backups.pop())
            required = 2 if len(holders) >= 3 else 1
            code = f"{agency.code}-DV{sum(len(item.points) for item in agency.units) + 1:02d}"
            unit.points.append(PointPlan(unit, code, name, ServicePointKind.DUTY_POST, required, qualified))


# --- writing the organisation ---------------------------------------------------------------------------------


def write_organisation(agencies: list[AgencyPlan], password_hash: str) -> None:
    """Insert everything planned, in dependency order, with bulk inserts only."""
    for agency in agencies:
        agency.instance = Agency(code=agency.code, name=agency.name, kind=agency.kind, administrative_code=agency.administrative_code)
    Agency.objects.bulk_create([agency.instance for agency in agencies if agency.instance is not None])
    positions: list[Position] = []
    for agency in agencies:
        for person in agency.people:
            if person.position not in agency.positions:
                spec = person.position
                position = Position(
                    agency=agency.instance,
                    code=f"VT{len(agency.positions) + 1:02d}",
                    name=spec.name,
                    faces_citizens=spec.faces_citizens,
                    handles_dossiers=spec.handles_dossiers,
                    is_one_stop_desk=spec.is_one_stop_desk,
                    is_duty_post=spec.is_duty_post,
                )
                agency.positions[spec] = position
                positions.append(position)
    Position.objects.bulk_create(positions)
    units = [unit for agency in agencies for unit in agency.units]
    for depth in sorted({unit.depth for unit in units}):
        level = [unit for unit in units if unit.depth == depth]
        for unit in level:
            unit.instance = Unit(agency=unit.agency.instance, parent=unit.parent.instance if unit.parent else None, code=unit.code, name=unit.name)
        Unit.objects.bulk_create([unit.instance for unit in level if unit.instance is not None])
        for unit in level:
            assert unit.instance is not None
            parent_path = unit.parent.instance.path if unit.parent and unit.parent.instance else "/"
            unit.instance.path = f"{parent_path}{unit.instance.pk}/"
    Unit.objects.bulk_update([unit.instance for unit in units if unit.instance is not None], ["path"], batch_size=500)
    people = [person for agency in agencies for person in agency.people]
    for person in people:
        person.user = User(username=person.code, email=person.email, first_name=person.full_name, role=person.role, password=password_hash, is_active=True)
    User.objects.bulk_create([person.user for person in people if person.user is not None], batch_size=2000)
    for rank in sorted({person.rank for person in people}):
        batch = [person for person in people if person.rank == rank]
        for person in batch:
            agency = person.unit.agency
            person.instance = Staff(
                code=person.code,
                full_name=person.full_name,
                staff_type=person.staff_type,
                unit=person.unit.instance,
                position=agency.positions[person.position],
                is_leader=person.is_leader,
                direct_superior_id=person.superior.pk if person.superior else None,
                phone=person.phone,
                email=person.email,
                equipment=person.equipment,
                training_completed_on=person.training_completed_on,
                disciplined_until=person.disciplined_until,
                user=person.user,
            )
        Staff.objects.bulk_create([person.instance for person in batch if person.instance is not None], batch_size=2000)
    points = [point for unit in units for point in unit.points]
    for point in points:
        point.instance = ServicePoint(unit=point.unit.instance, code=point.code, name=point.name, kind=point.kind, required_on_site=point.required_on_site)
    ServicePoint.objects.bulk_create([point.instance for point in points if point.instance is not None])
    through = ServicePoint.qualified_staff.through
    through.objects.bulk_create(
        [through(servicepoint_id=point.instance.pk, staff_id=person.pk) for point in points if point.instance is not None for person in point.qualified]
    )


def named_users(password_hash: str, rng: random.Random) -> dict[str, User]:
    """The three city-wide logins that are not staff records of an agency."""
    accounts = (
        ("noivu", Role.HOME_AFFAIRS, False),
        ("lanhdao", Role.CITY_LEADERSHIP, False),
        ("quantri", Role.SYSTEM_ADMIN, True),
    )
    users: dict[str, User] = {}
    for username, role, is_admin in accounts:
        family, middle, given = weighted(rng, FAMILY_NAMES), weighted(rng, MALE_MIDDLE), rng.choice(MALE_GIVEN)
        users[username] = User(
            username=username,
            email=f"{username}@tphcm.gov.vn",
            first_name=f"{family} {middle} {given}",
            role=role,
            password=password_hash,
            is_staff=is_admin,
            is_superuser=is_admin,
        )
    User.objects.bulk_create(list(users.values()))
    return users
