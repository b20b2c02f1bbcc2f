"""The sample city planned in memory (agencies, units, people, service points, registrations) and the small
deterministic helpers planning uses."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.utils import timezone

from telework.accounts.models import Role, User
from telework.core import calendar
from telework.demo.reference import WARD_REFERENCE_FILE, PositionSpec, UnitTemplate
from telework.organization.models import Agency, Position, ServicePoint, Staff, Unit
from telework.registrations.models import Registration

# --- plans (in memory) ----------------------------------------------------------------------------------------


@dataclass(eq=False)
class AgencyPlan:
    code: str
    name: str
    kind: str
    budget: int
    templates: tuple[UnitTemplate, ...]
    leader: str
    deputy: str
    leadership_unit: str
    hr_position: PositionSpec
    staff_type: str
    email_tag: str
    administrative_code: str = ""
    in_pilot: bool = True
    minimum_units: int = 2
    instance: Agency | None = None
    positions: dict[PositionSpec, Position] = field(default_factory=dict)
    units: list[UnitPlan] = field(default_factory=list)
    people: list[PersonPlan] = field(default_factory=list)
    leader_plan: PersonPlan | None = None
    hr_plan: PersonPlan | None = None

    @property
    def pk(self) -> int:
        assert self.instance is not None
        return int(self.instance.pk)


@dataclass(eq=False)
class UnitPlan:
    agency: AgencyPlan
    name: str
    code: str
    size: int
    template: UnitTemplate
    parent: UnitPlan | None = None
    is_leadership: bool = False
    instance: Unit | None = None
    members: list[PersonPlan] = field(default_factory=list)
    head: PersonPlan | None = None
    points: list[PointPlan] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return 0 if self.parent is None else self.parent.depth + 1

    @property
    def pk(self) -> int:
        assert self.instance is not None
        return int(self.instance.pk)


@dataclass(eq=False)
class PersonPlan:
    code: str
    full_name: str
    unit: UnitPlan
    position: PositionSpec
    staff_type: str
    is_leader: bool
    phone: str
    email: str
    equipment: list[str]
    training_completed_on: dt.date | None = None
    disciplined_until: dt.date | None = None
    superior: PersonPlan | None = None
    role: str = Role.STAFF
    instance: Staff | None = None
    user: User | None = None

    @property
    def pk(self) -> int:
        assert self.instance is not None
        return int(self.instance.pk)

    @property
    def rank(self) -> int:
        return 0 if self.superior is None else self.superior.rank + 1


@dataclass(eq=False)
class PointPlan:
    unit: UnitPlan
    code: str
    name: str
    kind: str
    required_on_site: int
    qualified: list[PersonPlan]
    instance: ServicePoint | None = None


@dataclass(eq=False)
class RegistrationPlan:
    person: PersonPlan
    window: str  # "quarter" (the finished quarter), "past" (three weeks back) or "coming"
    starts_on: dt.date
    ends_on: dt.date
    mode: str
    weekdays: list[int]
    dates: list[dt.date]
    days: list[dt.date]
    status: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None = None
    decision_comment: str = ""
    revoked_at: dt.datetime | None = None
    revocation_reason: str = ""
    revoked_effective_on: dt.date | None = None
    notice_days: int = 0
    parameters: dict[str, Any] = field(default_factory=dict)
    eligibility_snapshot: dict[str, Any] = field(default_factory=dict)
    work_plan: str = ""
    instance: Registration | None = None


@dataclass(frozen=True)
class DemoLogin:
    role: str
    username: str
    full_name: str
    post: str
    note: str


@dataclass
class DemoResult:
    """What ``build_demo_city`` made: the logins to print, how long each phase took, and the counts."""

    logins: list[DemoLogin]
    timings: list[tuple[str, float]]
    counts: dict[str, int]
    public_facing_share: dict[str, float]
    # The service-quality data (dossiers, ratings, the staffing round, the surveys): counts, scale and the planted
    # effect as measured back from the register, for the printed report.
    service: dict[str, Any] = field(default_factory=dict)


class DemoSeedError(RuntimeError):
    """The sample city cannot be built here: the database holds data or cannot be reset, or reference data is missing."""


# --- small helpers --------------------------------------------------------------------------------------------


def apportion(total: int, weights: Sequence[float], *, low: int = 0, high: int | None = None) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), each within [low, high]."""
    count = len(weights)
    if count == 0:
        return []
    sizes = [low] * count
    remaining = total - low * count
    active = [index for index in range(count) if high is None or sizes[index] < high]
    while remaining > 0 and active:
        weight_sum = sum(weights[index] for index in active) or float(len(active))
        shares = {index: remaining * (weights[index] or 1.0) / weight_sum for index in active}
        granted = 0
        for index in active:
            extra = math.floor(shares[index])
            if high is not None:
                extra = min(extra, high - sizes[index])
            sizes[index] += extra
            granted += extra
        remaining -= granted
        if remaining > 0:
            for index in sorted(active, key=lambda item: (-(shares[item] - math.floor(shares[item])), item)):
                if remaining == 0:
                    break
                if high is None or sizes[index] < high:
                    sizes[index] += 1
                    remaining -= 1
        active = [index for index in active if high is None or sizes[index] < high]
        if granted == 0 and remaining > 0 and not active:
            break
    return sizes


def ascii_slug(text: str) -> str:
    """Strip the diacritics, for e-mail addresses: "Nguyễn Thị Đào" → "nguyen thi dao"."""
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def load_ward_reference() -> list[dict[str, str]]:
    """HCMC's 168 wards, communes and special zone after the 1 July 2025 reorganisation: ``{code, name}``."""
    if not WARD_REFERENCE_FILE.exists():
        raise DemoSeedError(f"The list of HCMC wards is missing: {WARD_REFERENCE_FILE}")
    with WARD_REFERENCE_FILE.open(encoding="utf-8") as handle:
        data = json.load(handle)
    return [{"code": str(item["code"]), "name": str(item["name"])} for item in data["ho_chi_minh_city_wards"]]


def weighted(rng: random.Random, options: Sequence[tuple[str, float]]) -> str:
    return rng.choices([name for name, _ in options], weights=[weight for _, weight in options])[0]


def aware(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def working_day_before(day: dt.date, count: int) -> dt.date:
    while count > 0:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            count -= 1
    return day


@lru_cache(maxsize=4096)
def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    return calendar.working_days(start, end)
