"""Why a roster breaks a rule, in words a unit head understands (issue 3, item 3).

Two kinds of reason:

* **Unavoidable** (``unavoidable_violations``): what leave alone makes impossible, computed here from the facts,
  independently of the solver: a day when every leader is on leave, a day when a desk or duty post cannot have
  enough qualified staff present at all. This is the structural lower bound on hard violations; an optimal
  roster breaks exactly this much of city policy and no more.
* **A presence cap below what the other rules need** (distancing): on a day when desks, duty posts, the leader
  rule, staff who may not be at home or the on-site minimum need more people on site than a cap allows
  (``minimum_on_site``), the cap gives way by exactly that much; the sentence names the cap with its figures and
  what needs the people. Also part of the structural bound.
* **Conflicts** (``explain``): when rules contradict each other (a desk that needs both of its qualified staff
  every day, while policy promises each of them a home day), the smallest set of rules that cannot hold together,
  found by CP-SAT over assumption literals and shrunk until dropping any one rule resolves it. The roster offered
  is the closest one that relaxes only what the head may relax; each relaxation is listed.

Messages are English message ids with ``%(name)s`` parameters, rendered in Vietnamese or English through the
app's catalog (``locale/vi/LC_MESSAGES/django.po``), like ``telework.policy.eligibility.RuleResult.reason``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from ortools.sat.python import cp_model

from telework.rosters.engine.instance import (
    CAP_RULES,
    FIXED_ON_SITE_DAYS,
    HARD_RULES,
    LEADER_ON_SITE,
    MAX_ONSITE_HEADCOUNT,
    MAX_ONSITE_SHARE,
    MIN_HOME_DAYS_PER_WEEK,
    ONE_STOP_DESK,
    RELAXABLE_RULES,
    STATUS_HOME,
    Person,
    ServicePoint,
    UnitInstance,
    group_days,
    guaranteed_home_days,
    minimum_on_site,
    onsite_limits,
    service_point_rule,
    week_key,
)
from telework.rosters.engine.model import BuiltModel, build_model
from telework.rosters.engine.results import UnitResult

MAX_NAMES = 8


@dataclass(frozen=True)
class Message:
    """A translatable sentence: an English message id and its parameters (which may be messages themselves)."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, language: str | None = None) -> str:
        """The sentence in ``language`` ("vi" or "en"), or in the active language."""
        if language is None:
            return self._render()
        with translation.override(language):
            return self._render()

    def _render(self) -> str:
        return gettext(self.msgid) % {key: _display(value) for key, value in self.params.items()}


@dataclass(frozen=True)
class Joined:
    """Messages listed in one parameter, each rendered in the language of the sentence that holds them."""

    items: tuple[Message, ...]
    separator: str = ", "


def _display(value: Any) -> Any:
    if isinstance(value, Message):
        return value._render()
    if isinstance(value, Joined):
        return value.separator.join(item._render() for item in value.items)
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def _day(day: dt.date) -> Message:
    # Inside a function, not at import: gettext_noop reads the settings, and the bound must be computable without them.
    weekdays = (gettext_noop("Monday"), gettext_noop("Tuesday"), gettext_noop("Wednesday"), gettext_noop("Thursday"), gettext_noop("Friday"))
    return Message(gettext_noop("%(weekday)s %(date)s"), {"weekday": Message(weekdays[day.weekday()]), "date": day})


def _when(first: dt.date, last: dt.date) -> Message:
    if first == last:
        return Message(gettext_noop("On %(day)s"), {"day": _day(first)})
    return Message(gettext_noop("From %(first)s to %(last)s"), {"first": _day(first), "last": _day(last)})


def _point(point: ServicePoint, *, capital: bool) -> Message:
    if point.kind == ONE_STOP_DESK:
        return Message(gettext_noop("Desk '%(name)s'") if capital else gettext_noop("desk '%(name)s'"), {"name": point.name})
    return Message(gettext_noop("Duty post '%(name)s'") if capital else gettext_noop("duty post '%(name)s'"), {"name": point.name})


def _required(point: ServicePoint) -> int | Message:
    """How many qualified staff a point needs, for a sentence that says "every day": one number, or the usual
    number with the weekdays that differ ("2 (3 on Monday)")."""
    if not point.varies_by_weekday:
        return point.most_required
    counts = list(point.required_by_weekday)
    usual = max(sorted(set(counts)), key=counts.count)
    weekdays = (gettext_noop("Monday"), gettext_noop("Tuesday"), gettext_noop("Wednesday"), gettext_noop("Thursday"), gettext_noop("Friday"))
    exceptions = tuple(
        Message(gettext_noop("%(count)s on %(weekday)s"), {"count": count, "weekday": Message(weekdays[weekday])})
        for weekday, count in enumerate(counts)
        if count != usual
    )
    return Message(gettext_noop("%(usual)s (%(exceptions)s)"), {"usual": usual, "exceptions": Joined(exceptions)})


def _home_days(count: int) -> Message:
    if count == 1:
        return Message(gettext_noop("1 home day"))
    return Message(gettext_noop("%(count)s home days"), {"count": count})


def _names(people: list[Person]) -> Message | str:
    names = [person.name for person in sorted(people, key=lambda person: person.id)]
    if len(names) <= MAX_NAMES:
        return ", ".join(names)
    return Message(gettext_noop("%(names)s and %(count)s others"), {"names": ", ".join(names[:MAX_NAMES]), "count": len(names) - MAX_NAMES})


# -- the structural lower bound ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class StructuralFinding:
    """A violation nobody can avoid on ``day``: the rule, how much, and the facts that force it."""

    rule: str
    day: dt.date
    amount: int
    reason: str
    point_ids: tuple[int, ...] = ()
    required: int = 0
    available: int = 0
    qualified: int = 0
    # A presence cap below the need: what needs the people, as (what, how many) — "point:<id>", "leader", "forced",
    # "count".
    parts: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class StructuralBound:
    by_rule: dict[str, int]
    findings: tuple[StructuralFinding, ...]

    @property
    def total(self) -> int:
        return sum(self.by_rule.values())


def unavoidable_violations(instance: UnitInstance) -> StructuralBound:
    """The structural lower bound: leader and service-point violations that leave alone makes certain, whatever
    the roster, and the presence caps exceeded on days the other city rules need more people on site than a cap
    allows (``minimum_on_site``). Without presence caps everything else can always be kept by keeping everyone
    present on site; with them, the bound is exact unless weekly or monthly rules (home-day caps, office minimums)
    force people in across days, which ``explain`` then names as a conflict."""
    instance = instance.canonical()
    by_rule = dict.fromkeys(HARD_RULES, 0)
    findings: list[StructuralFinding] = []
    leaders = [person for person in instance.people if person.is_leader]
    points = [point for point in instance.service_points if point.most_required > 0]
    for day in instance.days:
        if instance.policy.leader_on_site_each_day and not any(day not in leader.leave_days for leader in leaders):
            reason = (
                "no_leader"
                if not leaders
                else "one_leader_on_leave"
                if len(leaders) == 1
                else "two_leaders_on_leave"
                if len(leaders) == 2
                else "all_leaders_on_leave"
            )
            findings.append(StructuralFinding(LEADER_ON_SITE, day, 1, reason, qualified=len(leaders)))
            by_rule[LEADER_ON_SITE] += 1
        present = {person.id for person in instance.people if day not in person.leave_days}
        available = {point.id: sorted(point.qualified_ids & present) for point in points}
        required = {point.id: point.required_on(day) for point in points}
        filled, point_of = _max_staffing(required, available)
        by_id = {point.id: point for point in points}
        for point in points:
            by_rule[service_point_rule(point.kind)] += required[point.id] - filled[point.id]
        # Hall's witness: the points reachable from the short ones through people who could swap. All the qualified
        # staff present for these points are busy inside the set, so each connected group of them lacks exactly
        # (seats − people): that is what the head is told, once per group.
        reachable = [point.id for point in points if filled[point.id] < required[point.id]]
        seen = set(reachable)
        for current in reachable:
            for person in available[current]:
                other = point_of.get(person)
                if other is not None and other not in seen:
                    seen.add(other)
                    reachable.append(other)
        for group in _connected(sorted(seen), available):
            seats = sum(required[point_id] for point_id in group)
            people = {person for point_id in group for person in available[point_id]}
            qualified = set().union(*(by_id[point_id].qualified_ids for point_id in group))
            first = by_id[group[0]]
            # Leave is the cause only when someone qualified is away; otherwise the unit has too few qualified staff.
            on_leave = len(people) < len(qualified)
            if len(group) > 1:
                reason = "qualified_staff_shared" if on_leave else "too_few_qualified_shared"
            elif not first.qualified_ids:
                reason = "nobody_qualified"
            else:
                reason = "too_few_qualified_present" if on_leave else "too_few_qualified"
            findings.append(
                StructuralFinding(service_point_rule(first.kind), day, seats - len(people), reason, tuple(group), seats, len(people), len(qualified))
            )
        limits = onsite_limits(instance, day)
        if limits:
            need = minimum_on_site(instance, day)
            for rule, limit in sorted(limits.items()):
                if need.total <= limit:
                    continue
                parts: list[tuple[str, int]] = [(f"point:{point.id}", point.required_on(day)) for point in points if point.required_on(day) > 0]
                if need.leader:
                    parts.append(("leader", 1))
                if need.forced:
                    parts.append(("forced", need.forced))
                if need.by_count >= need.total:
                    parts.append(("count", need.by_count))
                by_rule[rule] += need.total - limit
                findings.append(
                    StructuralFinding(
                        rule, day, need.total - limit, "cap_below_need", required=need.total, available=limit, qualified=need.present, parts=tuple(parts)
                    )
                )
    return StructuralBound(by_rule, tuple(findings))


def _connected(point_ids: list[int], available: dict[int, list[int]]) -> list[list[int]]:
    """Groups of points linked by a qualified person present for both, each sorted, in order of their first id."""
    groups: list[list[int]] = []
    for point_id in point_ids:
        people = set(available[point_id])
        linked = [group for group in groups if any(people & set(available[other]) for other in group)]
        merged = sorted([point_id, *(other for group in linked for other in group)])
        groups = [group for group in groups if group not in linked] + [merged]
    return sorted(groups)


def _max_staffing(required: dict[int, int], available: dict[int, list[int]]) -> tuple[dict[int, int], dict[int, int]]:
    """How many seats of each point the present qualified staff can fill at most (one point per person a day),
    and who sits where: a maximum flow found by moving people between points along augmenting paths."""
    point_of: dict[int, int] = {}
    filled = dict.fromkeys(required, 0)

    def augment(point: int, visited: set[int]) -> bool:
        for person in available[point]:
            if person not in point_of:
                point_of[person] = point
                return True
        for person in available[point]:
            current = point_of[person]
            if current != point and current not in visited:
                visited.add(current)
                if augment(current, visited):
                    point_of[person] = point
                    return True
        return False

    for point, seats in required.items():
        for _ in range(seats):
            if augment(point, {point}):
                filled[point] += 1
    return filled, point_of


# -- conflicts among the rules ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Conflict:
    """A minimal set of groups of hard rules that cannot all hold together (dropping any one makes them hold)."""

    groups: tuple[str, ...]
    rules: dict[str, str]


def minimal_conflicts(instance: UnitInstance, *, max_conflicts: int = 5, deterministic_time: float = 5.0) -> tuple[Conflict, ...]:
    """Minimal conflicting sets of rule groups, leave taken as given (what leave alone makes impossible is the
    structural bound, explained separately). After each conflict, the groups the head may relax in it are set
    aside (they are what the closest roster relaxes) and the search goes on, so independent conflicts are all named."""
    instance = instance.canonical()
    built = build_model(instance, with_assumptions=True)
    remaining = sorted(built.groups)
    conflicts: list[Conflict] = []
    while len(conflicts) < max_conflicts:
        core = _core(built, remaining, deterministic_time)
        if core is None:
            break
        minimal = list(core)
        for group in list(core):
            trial = [item for item in minimal if item != group]
            if _core(built, trial, deterministic_time) is not None:
                minimal = trial
        conflicts.append(Conflict(tuple(minimal), {group: built.group_rules[group] for group in minimal}))
        relaxable = [group for group in minimal if built.group_rules[group] in RELAXABLE_RULES]
        dropped = set(relaxable or minimal)
        remaining = [group for group in remaining if group not in dropped]
    return tuple(conflicts)


def _core(built: BuiltModel, groups: Sequence[str], deterministic_time: float) -> list[str] | None:
    """The groups of an infeasible core when ``groups`` cannot all hold, else None (feasible or undecided)."""
    if not groups:
        return None
    model = built.model
    model.clear_assumptions()
    model.add_assumptions([built.groups[group] for group in groups])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    solver.parameters.max_deterministic_time = deterministic_time
    status = solver.solve(model)
    if status != cp_model.INFEASIBLE:
        return None
    by_index = {built.groups[group].index: group for group in groups}
    core = [by_index[index] for index in solver.sufficient_assumptions_for_infeasibility() if index in by_index]
    return sorted(core) if core else list(groups)


# -- explanations --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Explanation:
    """Why the roster breaks rules: what leave forces, which rules conflict, and what the offered roster relaxes."""

    unavoidable: tuple[Message, ...]
    conflicts: tuple[Message, ...]
    relaxed: tuple[Message, ...]

    @property
    def is_clean(self) -> bool:
        return not (self.unavoidable or self.conflicts or self.relaxed)

    def lines(self, language: str | None = None) -> list[str]:
        return [message.render(language) for message in (*self.unavoidable, *self.conflicts, *self.relaxed)]

    def as_dict(self) -> dict[str, Any]:
        def both(messages: tuple[Message, ...]) -> list[dict[str, str]]:
            return [{"vi": message.render("vi"), "en": message.render("en")} for message in messages]

        return {"unavoidable": both(self.unavoidable), "conflicts": both(self.conflicts), "relaxed": both(self.relaxed)}


def explain(instance: UnitInstance, result: UnitResult | None = None, *, max_conflicts: int = 20) -> Explanation:
    """Explain ``result`` (or, without one, whether ``instance`` can keep every rule at all)."""
    instance = instance.canonical()
    bound = unavoidable_violations(instance)
    unavoidable = tuple(_structural_messages(instance, bound))
    conflicts: tuple[Message, ...] = ()
    caps_beyond_bound = result is not None and sum(result.certificate.hard_slack.get(rule, 0) for rule in CAP_RULES) > sum(
        bound.by_rule[rule] for rule in CAP_RULES
    )
    if result is None or result.relaxations or result.certificate.status != "OPTIMAL" or caps_beyond_bound:
        # A conflict among city rules alone is leave sharing staff between points, or a presence cap below what the
        # other rules need on a day: already told as unavoidable. What is left are the rules that give way (the
        # head's, and presence caps against weekly or monthly rules).
        found = tuple(
            conflict
            for conflict in minimal_conflicts(instance, max_conflicts=max_conflicts)
            if any(rule in RELAXABLE_RULES or rule in CAP_RULES for rule in conflict.rules.values())
        )
        conflicts = tuple(_conflict_message(instance, conflict) for conflict in _merge_by_rule(found))
    relaxed = tuple(_relaxed_messages(instance, result)) if result is not None else ()
    return Explanation(unavoidable, conflicts, relaxed)


def _merge_by_rule(conflicts: tuple[Conflict, ...]) -> list[Conflict]:
    """One sentence per policy rule in conflict: minimal sets that differ only in whose guarantee they hold (a
    desk that needs every qualified person conflicts with each one's home day separately) are told together."""
    merged: dict[tuple[str, ...], list[str]] = {}
    rules: dict[str, str] = {}
    for conflict in conflicts:
        rules.update(conflict.rules)
        others = tuple(group for group in conflict.groups if not group.startswith("guarantee:"))
        guarantees = merged.setdefault(others, [])
        guarantees += [group for group in conflict.groups if group.startswith("guarantee:") and group not in guarantees]
    told = []
    for others, guarantees in merged.items():
        groups = others + tuple(sorted(guarantees, key=lambda group: int(group.split(":")[1])))
        told.append(Conflict(groups, {group: rules[group] for group in groups}))
    return told


def _when_runs(runs: list[tuple[dt.date, dt.date]]) -> Message:
    """The days of one cause: a run of consecutive working days, or several runs listed in one sentence."""
    if len(runs) == 1:
        return _when(*runs[0])
    spans = tuple(
        _day(first) if first == last else Message(gettext_noop("%(first)s to %(last)s"), {"first": _day(first), "last": _day(last)}) for first, last in runs
    )
    return Message(gettext_noop("On %(days)s"), {"days": Joined(spans)})


def _structural_messages(instance: UnitInstance, bound: StructuralBound) -> list[Message]:
    """One sentence per cause (the rule, the facts that force it and the figures), with every day it holds: runs of
    consecutive working days, listed together. Findings of other causes on the same days (a day without a leader
    between two days a desk is short) do not split a cause into several sentences."""
    messages: list[Message] = []
    leaders = [person for person in instance.people if person.is_leader]
    index = {day: position for position, day in enumerate(instance.days)}
    causes: dict[tuple[Any, ...], tuple[StructuralFinding, list[tuple[dt.date, dt.date]]]] = {}
    for finding in bound.findings:
        key = (finding.rule, finding.reason, finding.point_ids, finding.required, finding.available, finding.qualified, finding.amount, finding.parts)
        if key not in causes:
            causes[key] = (finding, [(finding.day, finding.day)])
            continue
        runs = causes[key][1]
        first, last = runs[-1]
        if index[finding.day] == index[last] + 1:
            runs[-1] = (first, finding.day)
        else:
            runs.append((finding.day, finding.day))
    points = {point.id: point for point in instance.service_points}
    for finding, runs in causes.values():
        when = _when_runs(runs)
        if finding.reason == "cap_below_need":
            messages.append(_cap_message(instance, finding, when))
        elif finding.reason == "no_leader":
            messages.append(Message(gettext_noop("%(unit)s has no leader, and the policy requires a leader on site every day."), {"unit": instance.unit_name}))
        elif finding.reason == "one_leader_on_leave":
            messages.append(
                Message(gettext_noop("%(when)s no leader can be on site: the only leader, %(names)s, is on leave."), {"when": when, "names": _names(leaders)})
            )
        elif finding.reason == "two_leaders_on_leave":
            messages.append(Message(gettext_noop("%(when)s no leader can be on site: both leaders are on leave."), {"when": when}))
        elif finding.reason == "all_leaders_on_leave":
            messages.append(
                Message(gettext_noop("%(when)s no leader can be on site: all %(count)s leaders are on leave."), {"when": when, "count": finding.qualified})
            )
        elif finding.reason == "nobody_qualified":
            messages.append(
                Message(
                    gettext_noop("%(when)s %(point)s needs %(required)s qualified staff on site, but nobody in the unit is qualified for it."),
                    {"when": when, "point": _point(points[finding.point_ids[0]], capital=False), "required": finding.required},
                )
            )
        elif finding.reason == "too_few_qualified":
            messages.append(
                Message(
                    gettext_noop(
                        "%(when)s %(point)s needs %(required)s qualified staff on site, but only %(qualified)s staff of the unit are qualified for it."
                    ),
                    {"when": when, "point": _point(points[finding.point_ids[0]], capital=False), "required": finding.required, "qualified": finding.qualified},
                )
            )
        elif finding.reason == "too_few_qualified_present":
            messages.append(
                Message(
                    gettext_noop(
                        "%(when)s %(point)s needs %(required)s qualified staff on site, but with leave only %(available)s of its %(qualified)s qualified staff can be there."
                    ),
                    {
                        "when": when,
                        "point": _point(points[finding.point_ids[0]], capital=False),
                        "required": finding.required,
                        "available": finding.available,
                        "qualified": finding.qualified,
                    },
                )
            )
        elif finding.reason == "too_few_qualified_shared":
            labels = Joined(tuple(_point(points[point_id], capital=False) for point_id in finding.point_ids))
            messages.append(
                Message(
                    gettext_noop(
                        "%(when)s %(points)s need %(required)s qualified staff on site between them, but only %(qualified)s different staff of the unit are qualified for them."
                    ),
                    {"when": when, "points": labels, "required": finding.required, "qualified": finding.qualified},
                )
            )
        else:
            labels = Joined(tuple(_point(points[point_id], capital=False) for point_id in finding.point_ids))
            messages.append(
                Message(
                    gettext_noop(
                        "%(when)s %(points)s need %(required)s qualified staff on site between them, but with leave only %(available)s different qualified staff can be there."
                    ),
                    {"when": when, "points": labels, "required": finding.required, "available": finding.available},
                )
            )
    return messages


def _cap_message(instance: UnitInstance, finding: StructuralFinding, when: Message) -> Message:
    """A presence cap below what the other city rules need on some days: the cap with its figures, and each need."""
    points = {point.id: point for point in instance.service_points}
    needs: list[Message] = []
    for what, count in finding.parts:
        if what.startswith("point:"):
            needs.append(Message(gettext_noop("%(point)s needs %(count)s"), {"point": _point(points[int(what.split(":")[1])], capital=False), "count": count}))
        elif what == "leader":
            needs.append(Message(gettext_noop("the leader rule needs 1")))
        elif what == "forced":
            needs.append(Message(gettext_noop("%(count)s staff may not work from home that day"), {"count": count}))
        else:
            needs.append(Message(gettext_noop("the on-site minimum and the home maximum need %(count)s"), {"count": count}))
    params: dict[str, Any] = {"when": when, "limit": finding.available, "needs": Joined(tuple(needs)), "need": finding.required}
    if finding.rule == MAX_ONSITE_SHARE:
        params.update(percent=round((instance.policy.max_onsite_share or 0) * 100), present=finding.qualified)
        return Message(
            gettext_noop(
                "%(when)s at most %(percent)s%% of the %(present)s staff present may be on site (%(limit)s of them), but %(needs)s, so %(need)s must be on site."
            ),
            params,
        )
    if finding.rule == MAX_ONSITE_HEADCOUNT:
        return Message(gettext_noop("%(when)s at most %(limit)s people may be on site, but %(needs)s, so %(need)s must be on site."), params)
    return Message(gettext_noop("%(when)s the office has %(limit)s usable seats, but %(needs)s, so %(need)s must be on site."), params)


def _conflict_message(instance: UnitInstance, conflict: Conflict) -> Message:
    people = {person.id: person for person in instance.people}
    guaranteed = [people[int(group.split(":")[1])] for group in conflict.groups if group.startswith("guarantee:")]
    others = [group for group in conflict.groups if not group.startswith("guarantee:")]
    policy = instance.policy
    promised = guaranteed_home_days(instance)
    amounts = [days for (person_id, _), days in promised.items() if person_id in {person.id for person in guaranteed}]
    home_days = _home_days(max(amounts, default=policy.min_home_days_per_week))
    if guaranteed and len(others) == 1:
        other = others[0]
        if other.startswith("point:"):
            point = next(point for point in instance.service_points if point.id == int(other.split(":")[1]))
            qualified = [people[person_id] for person_id in sorted(point.qualified_ids)]
            if len(guaranteed) == len(qualified) == 1:
                return Message(
                    gettext_noop(
                        "%(point)s needs %(required)s qualified staff on site every day; only one person is qualified (%(names)s) and policy gives them at least %(home_days)s a week."
                    ),
                    {"point": _point(point, capital=True), "required": _required(point), "names": _names(qualified), "home_days": home_days},
                )
            if len(guaranteed) == len(qualified):
                return Message(
                    gettext_noop(
                        "%(point)s needs %(required)s qualified staff on site every day; only %(qualified)s are qualified (%(names)s) and policy gives each at least %(home_days)s a week."
                    ),
                    {
                        "point": _point(point, capital=True),
                        "required": _required(point),
                        "qualified": len(qualified),
                        "names": _names(qualified),
                        "home_days": home_days,
                    },
                )
            return Message(
                gettext_noop(
                    "%(point)s needs %(required)s qualified staff on site every day; %(qualified)s are qualified and policy gives %(guaranteed)s of them (%(names)s) at least %(home_days)s a week."
                ),
                {
                    "point": _point(point, capital=True),
                    "required": _required(point),
                    "qualified": len(qualified),
                    "guaranteed": len(guaranteed),
                    "names": _names(guaranteed),
                    "home_days": home_days,
                },
            )
        if other == "leader":
            leaders = [person for person in instance.people if person.is_leader]
            if len(leaders) == 1:
                return Message(
                    gettext_noop(
                        "A leader must be on site every day; %(unit)s has one leader, %(names)s, and policy gives them at least %(home_days)s a week."
                    ),
                    {"unit": instance.unit_name, "names": _names(leaders), "home_days": home_days},
                )
            return Message(
                gettext_noop(
                    "A leader must be on site every day; %(unit)s has %(count)s leaders (%(names)s) and policy gives each at least %(home_days)s a week."
                ),
                {"unit": instance.unit_name, "count": len(leaders), "names": _names(leaders), "home_days": home_days},
            )
        # The unit's shares compete with every promise, not only with the few a minimal set happens to name.
        holders = sorted({people[person_id] for person_id, _ in promised}, key=lambda person: person.id)
        if other == "unit_home_share":
            headcount = len(instance.people)
            return Message(
                gettext_noop(
                    "%(unit)s has %(headcount)s staff; at most %(percent)s%% may be at home on any day (%(limit)s of them), but policy gives %(guaranteed)s staff (%(names)s) at least %(home_days)s a week on the days they registered."
                ),
                {
                    "unit": instance.unit_name,
                    "headcount": headcount,
                    "percent": round(policy.max_home_share * 100),
                    "limit": int(policy.max_home_share * headcount + 1e-9),
                    "guaranteed": len(holders),
                    "names": _names(holders),
                    "home_days": home_days,
                },
            )
        if other == "unit_onsite_share":
            return Message(
                gettext_noop(
                    "At least %(percent)s%% of the staff present must be on site every day, but policy gives %(guaranteed)s staff (%(names)s) at least %(home_days)s a week on the days they registered."
                ),
                {"percent": round(policy.min_onsite_share * 100), "guaranteed": len(holders), "names": _names(holders), "home_days": home_days},
            )
    parts = Joined(tuple(_group_description(instance, group) for group in conflict.groups), "; ")
    return Message(gettext_noop("These rules cannot all hold together: %(rules)s."), {"rules": parts})


def _group_description(instance: UnitInstance, group: str) -> Message:
    people = {person.id: person for person in instance.people}
    policy = instance.policy
    kind, _, key = group.partition(":")
    if kind == "unit_home_share":
        return Message(
            gettext_noop("at most %(percent)s%% of the unit's %(headcount)s staff at home on any day"),
            {"percent": round(policy.max_home_share * 100), "headcount": len(instance.people)},
        )
    if kind == "unit_onsite_share":
        return Message(gettext_noop("at least %(percent)s%% of the staff present on site every day"), {"percent": round(policy.min_onsite_share * 100)})
    if kind == "leader":
        leaders = [person for person in instance.people if person.is_leader]
        return Message(gettext_noop("a leader on site every day (%(names)s)"), {"names": _names(leaders)})
    if kind == "onsite_share":
        return Message(gettext_noop("at most %(percent)s%% of the staff present on site every day"), {"percent": round((policy.max_onsite_share or 0) * 100)})
    if kind == "onsite_headcount":
        return Message(gettext_noop("at most %(limit)s people on site every day"), {"limit": policy.max_onsite_headcount})
    if kind == "office_seats":
        return Message(gettext_noop("the office's %(limit)s usable seats"), {"limit": instance.office_seats})
    if kind == "point":
        point = next(point for point in instance.service_points if point.id == int(key))
        return Message(
            gettext_noop("%(point)s: %(required)s qualified staff on site every day (%(qualified)s qualified)"),
            {"point": _point(point, capital=True), "required": _required(point), "qualified": len(point.qualified_ids)},
        )
    if kind == "fixed":
        fixed = instance.fixed_on_site[int(key)]
        return Message(gettext_noop("%(label)s on %(day)s: everyone concerned on site"), {"label": fixed.label, "day": _day(fixed.day)})
    if kind == "guarantee":
        return Message(
            gettext_noop("%(person)s: at least %(home_days)s a week"), {"person": people[int(key)].name, "home_days": _home_days(policy.min_home_days_per_week)}
        )
    return Message(gettext_noop("%(person)s: the weekly and monthly limits on home days and the minimum office days"), {"person": people[int(key)].name})


def _relaxed_messages(instance: UnitInstance, result: UnitResult) -> list[Message]:
    people = {person.id: person for person in instance.people}
    cell = result.roster.status_by_cell()
    weeks = group_days(instance.days, week_key)
    messages: list[Message] = []
    for breach in result.relaxations:
        if breach.person_id is None:
            continue
        person = people[breach.person_id]
        if breach.rule == MIN_HOME_DAYS_PER_WEEK:
            given = sum(1 for day in weeks.get(breach.period, []) if cell.get((person.id, day)) == STATUS_HOME)
            messages.append(
                Message(
                    gettext_noop("Relaxed: %(person)s gets %(given)s of the %(guaranteed)s guaranteed home days in week %(week)s."),
                    {"person": person.name, "given": given, "guaranteed": given + breach.amount, "week": breach.period},
                )
            )
        elif breach.rule == FIXED_ON_SITE_DAYS:
            messages.append(
                Message(
                    gettext_noop("Relaxed: %(person)s works from home on %(day)s, a fixed on-site day (%(label)s)."),
                    {"person": person.name, "day": _day(dt.date.fromisoformat(breach.period)), "label": breach.label},
                )
            )
    return messages
