"""The CP-SAT model of one unit's roster: the hard rules with weighted slacks (or, to explain a conflict, one
assumption literal per group of constraints) and the soft goals. ``solver`` solves it; ``explain`` asks it which
rules conflict. The model's design — free cells only, slack weights derived from the instance so that the optimum
proves every violation it keeps unavoidable, determinism — is described in ``solver``'s docstring.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ortools.sat.python import cp_model

from telework.rosters.engine.instance import (
    CAP_RULES,
    FIXED_ON_SITE_DAYS,
    LEADER_ON_SITE,
    MAX_HOME_DAYS_PER_MONTH,
    MAX_HOME_DAYS_PER_WEEK,
    MAX_HOME_SHARE,
    MAX_ONSITE_HEADCOUNT,
    MAX_ONSITE_SHARE,
    MIN_HOME_DAYS_PER_WEEK,
    MIN_OFFICE_DAYS_PER_MONTH,
    MIN_OFFICE_DAYS_PER_WEEK,
    MIN_ONSITE_SHARE,
    POPULAR_WEEKDAYS,
    PRESENCE_SCALE,
    RELAXABLE_RULES,
    UnitInstance,
    group_days,
    guaranteed_home_days,
    home_day_targets,
    may_be_home,
    minimum_on_site,
    month_key,
    onsite_limits,
    presence_targets,
    service_point_rule,
    week_key,
    weekly_home_cap,
)

# Relative shortfall is measured in sixtieths of a person's target (60 divides 1–6, 10, 12, 15, 20, 30).
SHORTFALL_SCALE = 60
# Floors for the derived hard weights (roster-anchors §1: a slack weight of 10^4 or more).
MIN_RELAXABLE_WEIGHT = 10**4
MIN_POLICY_WEIGHT = 10**6
EPSILON = 1e-9
# Assigned home days: deviations from the fair share beyond these many whole days cost again (``_presence_terms``).
PRESENCE_MARGINS = (1, 2, 4, 8, 12, 16)


@dataclass
class _Slack:
    rule: str
    variable: Any  # a CP-SAT variable, or an int for a violation fixed by the facts
    upper: int
    period: str
    person_id: int | None = None
    point_id: int | None = None
    label: str = ""


@dataclass
class BuiltModel:
    """A built model and the handles needed to read a roster back (or, in assumption mode, the group literals)."""

    instance: UnitInstance
    model: cp_model.CpModel
    home: dict[tuple[int, int], Any] = field(default_factory=dict)
    assign: dict[tuple[int, int, int], Any] = field(default_factory=dict)
    slacks: list[_Slack] = field(default_factory=list)
    # Assumption mode: one literal per group of hard constraints, with the rule it belongs to.
    groups: dict[str, Any] = field(default_factory=dict)
    group_rules: dict[str, str] = field(default_factory=dict)
    soft_terms: dict[str, list[tuple[Any, int]]] = field(default_factory=dict)
    soft_constants: dict[str, int] = field(default_factory=dict)
    soft_range: int = 0
    weights: dict[str, int] = field(default_factory=dict)


class _CpModel(cp_model.CpModel):
    """CP-SAT's model without the CamelCase aliases: ``CpModel.__init__`` wraps every method in a deprecated
    alias, about a millisecond per model, which is a tenth of a typical unit's whole solve. Only the snake_case
    API is used here."""

    def _add_pre_pep8_methods(self) -> None:
        return None


def _floor(value: float) -> int:
    return math.floor(value + EPSILON)


def _ceil(value: float) -> int:
    return math.ceil(value - EPSILON)


class _Builder:
    """Writes the hard rules once, for two uses: with weighted slacks (to solve) or with one assumption literal per
    group (to find a minimal set of rules that cannot hold together, for ``explain``)."""

    def __init__(self, instance: UnitInstance, *, with_assumptions: bool) -> None:
        self.instance = instance
        self.with_assumptions = with_assumptions
        self.built = BuiltModel(instance=instance, model=_CpModel())
        self.model = self.built.model
        self.day_index = {day: index for index, day in enumerate(instance.days)}

    # -- hard constraints ------------------------------------------------------------------------------------
    def _literal(self, group: str, rule: str) -> Any:
        literal = self.built.groups.get(group)
        if literal is None:
            literal = self.model.new_bool_var(group)
            self.built.groups[group] = literal
            self.built.group_rules[group] = rule
        return literal

    def at_most(self, rule: str, group: str, terms: list[Any], bound: int, slack: _Slack) -> None:
        """sum(terms) ≤ bound (all terms Booleans)."""
        if self.with_assumptions:
            self.model.add(cp_model.LinearExpr.sum(terms) <= bound).only_enforce_if(self._literal(group, rule))
            return
        variable = self.model.new_int_var(0, slack.upper, "")
        self.model.add(cp_model.LinearExpr.sum(terms) - variable <= bound)
        slack.variable = variable
        self.built.slacks.append(slack)

    def at_least(self, rule: str, group: str, expression: Any, bound: int, slack: _Slack) -> None:
        if self.with_assumptions:
            self.model.add(expression >= bound).only_enforce_if(self._literal(group, rule))
            return
        variable = self.model.new_int_var(0, slack.upper, "")
        self.model.add(expression + variable >= bound)
        slack.variable = variable
        self.built.slacks.append(slack)

    def build(self) -> BuiltModel:
        instance = self.instance
        for person_index, person in enumerate(instance.people):
            for day_index, day in enumerate(instance.days):
                if may_be_home(instance.policy, person, day):
                    self.built.home[person_index, day_index] = self.model.new_bool_var("")
        self._unit_shares()
        self._onsite_caps()
        self._leaders()
        self._service_points()
        self._person_rules()
        self._fixed_days()
        if not self.with_assumptions:
            self._objective()
        return self.built

    def _unit_shares(self) -> None:
        """Unit-day rules: at most ``max_home_share`` of the unit's headcount at home, and at least
        ``min_onsite_share`` of the staff present that day on site (both rounded against telework)."""
        instance, home = self.instance, self.built.home
        headcount = len(instance.people)
        home_limit = _floor(instance.policy.max_home_share * headcount)
        for day_index, day in enumerate(instance.days):
            present = [index for index, person in enumerate(instance.people) if day not in person.leave_days]
            terms = [home[index, day_index] for index in present if (index, day_index) in home]
            if len(terms) > home_limit:
                self.at_most(MAX_HOME_SHARE, "unit_home_share", terms, home_limit, _Slack(MAX_HOME_SHARE, 0, len(terms) - home_limit, day.isoformat()))
            onsite_limit = len(present) - _ceil(instance.policy.min_onsite_share * len(present))
            if len(terms) > onsite_limit:
                self.at_most(
                    MIN_ONSITE_SHARE, "unit_onsite_share", terms, onsite_limit, _Slack(MIN_ONSITE_SHARE, 0, len(terms) - onsite_limit, day.isoformat())
                )

    def _onsite_caps(self) -> None:
        """The presence cap (``onsite_limits``): on each working day, the staff present who are not at home (office
        or desk) number at most each cap in force. Staff who may not be at home count as on site. To explain a
        conflict, each cap is first raised to what the other city rules need that day (``minimum_on_site``): that
        part is unavoidable and told as such, so only conflicts with rules that can give way are searched."""
        instance, home = self.instance, self.built.home
        for day_index, day in enumerate(instance.days):
            limits = onsite_limits(instance, day)
            if not limits:
                continue
            present = [index for index, person in enumerate(instance.people) if day not in person.leave_days]
            terms = [home[index, day_index] for index in present if (index, day_index) in home]
            fixed_on_site = len(present) - len(terms)
            need = minimum_on_site(instance, day).total if self.with_assumptions else 0
            for rule, limit in sorted(limits.items()):
                bound = max(limit, need)
                # on site = fixed_on_site + len(terms) − Σ home ≤ bound  ⇔  Σ home ≥ fixed_on_site + len(terms) − bound
                required = fixed_on_site + len(terms) - bound
                if required <= 0:
                    continue
                group = {MAX_ONSITE_SHARE: "onsite_share", MAX_ONSITE_HEADCOUNT: "onsite_headcount"}.get(rule, "office_seats")
                self.at_least(rule, group, cp_model.LinearExpr.sum(terms), required, _Slack(rule, 0, required, day.isoformat()))

    def _leaders(self) -> None:
        """A leader on site every working day, when the policy says so (``leader_on_site_each_day``)."""
        instance, home = self.instance, self.built.home
        if not instance.policy.leader_on_site_each_day:
            return
        leaders = [index for index, person in enumerate(instance.people) if person.is_leader]
        for day_index, day in enumerate(instance.days):
            present = [index for index in leaders if day not in instance.people[index].leave_days]
            if not present:
                if not self.with_assumptions:  # nobody can be there: unavoidable, a fact rather than a choice
                    self.built.slacks.append(_Slack(LEADER_ON_SITE, 1, 1, day.isoformat()))
                continue
            if any((index, day_index) not in home for index in present):
                continue  # a present leader who cannot be at home is on site anyway
            terms = [home[index, day_index] for index in present]
            self.at_most(LEADER_ON_SITE, "leader", terms, len(terms) - 1, _Slack(LEADER_ON_SITE, 0, 1, day.isoformat()))

    def _service_points(self) -> None:
        """Each one-stop desk and duty post staffed on site by the qualified staff it needs that day (``required_on``:
        the same every day, or set weekday by weekday). A person
        qualified for several points staffs at most one of them a day (``assign`` variables); a person qualified
        for one point counts for it whenever on site."""
        instance, home, model = self.instance, self.built.home, self.model
        points = [point for point in instance.service_points if point.most_required > 0]
        ids = [person.id for person in instance.people]
        qualified_count: dict[int, int] = {}
        for point in points:
            for person_id in point.qualified_ids:
                qualified_count[person_id] = qualified_count.get(person_id, 0) + 1
        shared = {ids.index(person_id) for person_id, count in qualified_count.items() if count > 1}
        for day_index, day in enumerate(instance.days):
            shared_terms: dict[int, list[Any]] = {}
            for point_index, point in enumerate(points):
                qualified = [index for index, person in enumerate(instance.people) if person.id in point.qualified_ids and day not in person.leave_days]
                required = point.required_on(day) if not self.with_assumptions else min(point.required_on(day), len(qualified))
                if required == 0:
                    continue
                constant = 0
                variable_terms: list[Any] = []
                for index in qualified:
                    if index in shared:
                        variable = model.new_bool_var("")
                        self.built.assign[index, point_index, day_index] = variable
                        shared_terms.setdefault(index, []).append(variable)
                        variable_terms.append(variable)
                    elif (index, day_index) in home:
                        variable_terms.append(~home[index, day_index])
                    else:
                        constant += 1
                if constant >= required and not any((index in shared) for index in qualified):
                    continue
                shared_here = [self.built.assign[index, point_index, day_index] for index in qualified if index in shared]
                if shared_here:
                    model.add(cp_model.LinearExpr.sum(shared_here) <= point.required_on(day))
                rule = service_point_rule(point.kind)
                expression = cp_model.LinearExpr.sum(variable_terms) + constant
                self.at_least(rule, f"point:{point.id}", expression, required, _Slack(rule, 0, required, day.isoformat(), point_id=point.id))
            for index, variables in shared_terms.items():
                if (index, day_index) in home:
                    model.add(cp_model.LinearExpr.sum(variables) + home[index, day_index] <= 1)
                else:
                    model.add(cp_model.LinearExpr.sum(variables) <= 1)

    def _person_rules(self) -> None:
        """Per person: weekly and monthly home-day caps and office-day minimums, and the home-day guarantee."""
        instance, home = self.instance, self.built.home
        policy = instance.policy
        weeks = group_days(instance.days, week_key)
        months = group_days(instance.days, month_key)
        after = dict(instance.month_days_after)
        guarantees = guaranteed_home_days(instance)
        for person_index, person in enumerate(instance.people):
            if not person.is_eligible and not policy.home_days_assigned:
                continue
            cap = weekly_home_cap(policy, person)
            group = f"person:{person.id}"
            for week, days in weeks.items():
                cells = [(self.day_index[day], day) for day in days]
                terms = [home[person_index, index] for index, _ in cells if (person_index, index) in home]
                if not terms:
                    continue
                present = sum(1 for day in days if day not in person.leave_days)
                if cap is not None:
                    if len(terms) > cap:
                        self.at_most(MAX_HOME_DAYS_PER_WEEK, group, terms, cap, _Slack(MAX_HOME_DAYS_PER_WEEK, 0, len(terms) - cap, week, person.id))
                if policy.min_office_days_per_week is not None:
                    office_limit = present - min(policy.min_office_days_per_week, present)
                    if len(terms) > office_limit:
                        self.at_most(
                            MIN_OFFICE_DAYS_PER_WEEK,
                            group,
                            terms,
                            office_limit,
                            _Slack(MIN_OFFICE_DAYS_PER_WEEK, 0, len(terms) - office_limit, week, person.id),
                        )
                guaranteed = guarantees.get((person.id, week), 0)
                if guaranteed > 0:
                    self.at_least(
                        MIN_HOME_DAYS_PER_WEEK,
                        f"guarantee:{person.id}",
                        cp_model.LinearExpr.sum(terms),
                        guaranteed,
                        _Slack(MIN_HOME_DAYS_PER_WEEK, 0, guaranteed, week, person.id),
                    )
            history = {item.month: item for item in person.month_history}
            for month, days in months.items():
                terms = [home[person_index, self.day_index[day]] for day in days if (person_index, self.day_index[day]) in home]
                if not terms:
                    continue
                before = history.get(month)
                home_before = before.home_days if before else 0
                office_before = before.office_days if before else 0
                if policy.max_home_days_per_month is not None:
                    room = max(0, policy.max_home_days_per_month - home_before)
                    if len(terms) > room:
                        self.at_most(MAX_HOME_DAYS_PER_MONTH, group, terms, room, _Slack(MAX_HOME_DAYS_PER_MONTH, 0, len(terms) - room, month, person.id))
                if policy.min_office_days_per_month is not None:
                    present = sum(1 for day in days if day not in person.leave_days)
                    later = after.get(month, 0)
                    # Only what this horizon must supply: days after it can still be office days, days before are done.
                    required_total = min(policy.min_office_days_per_month, office_before + home_before + present + later)
                    required_here = min(present, max(0, required_total - office_before - later))
                    office_limit = present - required_here
                    if len(terms) > office_limit:
                        self.at_most(
                            MIN_OFFICE_DAYS_PER_MONTH,
                            group,
                            terms,
                            office_limit,
                            _Slack(MIN_OFFICE_DAYS_PER_MONTH, 0, len(terms) - office_limit, month, person.id),
                        )

    def _fixed_days(self) -> None:
        """Meetings, trainings and team days: the people named are on site (the head may relax this)."""
        instance, home = self.instance, self.built.home
        for fixed_index, fixed in enumerate(instance.fixed_on_site):
            day_index = self.day_index.get(fixed.day)
            if day_index is None:
                continue
            for person_index, person in enumerate(instance.people):
                variable = home.get((person_index, day_index))
                if variable is None or not fixed.applies_to(person.id):
                    continue
                if self.with_assumptions:
                    self.model.add_implication(self._literal(f"fixed:{fixed_index}", FIXED_ON_SITE_DAYS), ~variable)
                else:
                    self.built.slacks.append(_Slack(FIXED_ON_SITE_DAYS, variable, 1, fixed.day.isoformat(), person.id, label=fixed.label))

    # -- objective -------------------------------------------------------------------------------------------
    def _objective(self) -> None:
        instance, home, model, built = self.instance, self.built.home, self.model, self.built
        weights = instance.weights
        assigned = instance.policy.home_days_assigned
        terms: dict[str, list[tuple[Any, int]]] = {
            "worst_shortfall": [],
            "total_shortfall": [],
            "over_target": [],
            "popular_day_spread": [],
            "unmet_requests": [],
            "stability_changes": [],
        }
        if assigned:
            terms.update(presence_deviation=[], presence_far=[])
        constants = dict.fromkeys(terms, 0)
        soft_range = 0
        worst: Any = None
        popular_rows: list[tuple[int, list[Any]]] = []
        targets = home_day_targets(instance)
        for person_index, person in enumerate(instance.people):
            cells = [(index, day) for index, day in enumerate(instance.days) if day not in person.leave_days]
            free = [home[person_index, index] for index, _ in cells if (person_index, index) in home]
            for index, day in cells:
                variable = home.get((person_index, index))
                last_week = day.weekday() in person.last_week_home_weekdays
                if day in person.requested_home_days:
                    if variable is None:
                        constants["unmet_requests"] += 1
                    else:
                        constants["unmet_requests"] += 1
                        terms["unmet_requests"].append((variable, -1))
                elif day in person.requested_office_days and variable is not None:
                    terms["unmet_requests"].append((variable, 1))
                if variable is None:
                    constants["stability_changes"] += 1 if last_week else 0
                elif last_week:
                    constants["stability_changes"] += 1
                    terms["stability_changes"].append((variable, -1))
                else:
                    terms["stability_changes"].append((variable, 1))
            if not free or assigned:
                continue  # assigned home days: nobody has a home-day target; presence is rotated below instead
            target = targets[person.id]
            # over_target = home − target + shortfall; shortfall ≥ target − home, shortfall ≥ 0.
            for variable in free:
                terms["over_target"].append((variable, 1))
            constants["over_target"] -= target
            if target > 0:
                shortfall = model.new_int_var(0, target, "")
                model.add(shortfall + cp_model.LinearExpr.sum(free) >= target)
                terms["total_shortfall"].append((shortfall, 1))
                terms["over_target"].append((shortfall, 1))
                coefficient = max(1, round(SHORTFALL_SCALE / target))
                if worst is None:
                    worst = model.new_int_var(0, SHORTFALL_SCALE, "")
                model.add(worst >= coefficient * shortfall)
                soft_range += (weights.total_shortfall + weights.over_target) * target
            soft_range += weights.over_target * len(free)
            popular = [home[person_index, index] for index, day in cells if (person_index, index) in home and day.weekday() in POPULAR_WEEKDAYS]
            if popular:
                popular_rows.append((person.recent_popular_home_days, popular))
        if assigned:
            soft_range += self._presence_terms(terms)
        if worst is not None:
            terms["worst_shortfall"].append((worst, 1))
            soft_range += weights.worst_shortfall * SHORTFALL_SCALE
        if len(popular_rows) >= 2:
            low = min(history for history, _ in popular_rows)
            high = max(history + len(cells) for history, cells in popular_rows)
            most = model.new_int_var(low, high, "")
            least = model.new_int_var(low, high, "")
            for history, cells in popular_rows:
                total = cp_model.LinearExpr.sum(cells) + history
                model.add(most >= total)
                model.add(least <= total)
            terms["popular_day_spread"] += [(most, 1), (least, -1)]
            soft_range += weights.popular_day_spread * (high - low)
        soft_range += weights.unmet_request * len(terms["unmet_requests"]) + weights.stability * len(terms["stability_changes"])
        weight_of = {
            "worst_shortfall": weights.worst_shortfall,
            "total_shortfall": weights.total_shortfall,
            "over_target": weights.over_target,
            "popular_day_spread": weights.popular_day_spread,
            "unmet_requests": weights.unmet_request,
            "stability_changes": weights.stability,
        }
        if assigned:
            weight_of.update(presence_deviation=weights.presence_deviation, presence_far=weights.presence_far)
        # Three tiers of hard rules above the soft goals: what the head may relax, the presence caps (which yield to
        # desks, duty posts, the leader rule and the on-site minimum), and the rest of city policy. Each tier's weight
        # exceeds everything below it put together, so the optimum keeps the tiers in order.
        relaxable_weight = max(MIN_RELAXABLE_WEIGHT, soft_range + 1)
        relaxable_range = sum(slack.upper for slack in built.slacks if slack.rule in RELAXABLE_RULES)
        below_caps = relaxable_weight * relaxable_range + soft_range + 1
        cap_weight = max(MIN_POLICY_WEIGHT, below_caps)
        cap_range = sum(slack.upper for slack in built.slacks if slack.rule in CAP_RULES)
        policy_weight = cap_weight if cap_range == 0 else max(MIN_POLICY_WEIGHT, cap_weight * cap_range + below_caps)
        variables: list[Any] = []
        coefficients: list[int] = []
        offset = 0
        for name, entries in terms.items():
            for variable, coefficient in entries:
                variables.append(variable)
                coefficients.append(coefficient * weight_of[name])
            offset += constants[name] * weight_of[name]
        for slack in built.slacks:
            weight = relaxable_weight if slack.rule in RELAXABLE_RULES else cap_weight if slack.rule in CAP_RULES else policy_weight
            if isinstance(slack.variable, int):
                offset += weight * slack.variable
            else:
                variables.append(slack.variable)
                coefficients.append(weight)
        model.minimize(cp_model.LinearExpr.weighted_sum(variables, coefficients) + offset)
        built.soft_terms = terms
        built.soft_constants = constants
        built.soft_range = soft_range
        built.weights = {**weight_of, "relaxable_rule": relaxable_weight, "policy_rule": policy_weight}
        if cap_range:
            built.weights["presence_cap_rule"] = cap_weight

    def _presence_terms(self, terms: dict[str, list[tuple[Any, int]]]) -> int:
        """Assigned home days: rotate presence. Each person's deviation, in quarters of a day, between their on-site
        days and their fair share (``presence_targets``: the unit's capacity shared among those present, less what
        they were in beyond their share in recent weeks). Minimised: the sum of the deviations' sizes (which also
        fills the office up to the cap, not beyond), and the whole days by which anyone is more than 1, 2, 4 or 8 days
        away from their share, so the worst treated count more. Both are convex with breakpoints at whole days only, which keeps
        CP-SAT's relaxation tight (a max − min spread did not: units of 80 people took minutes to prove). Returns the
        soft range of the two terms."""
        instance, home, model = self.instance, self.built.home, self.model
        weights = instance.weights
        targets = presence_targets(instance)
        soft_range = 0
        for person_index, person in enumerate(instance.people):
            cells = [index for index, day in enumerate(instance.days) if day not in person.leave_days]
            if not cells:
                continue
            free = [home[person_index, index] for index in cells if (person_index, index) in home]
            target = targets[person.id]
            # deviation = SCALE × (present − Σ home) − target
            deviation = PRESENCE_SCALE * len(cells) - target - PRESENCE_SCALE * cp_model.LinearExpr.sum(free)
            low = PRESENCE_SCALE * (len(cells) - len(free)) - target
            high = PRESENCE_SCALE * len(cells) - target
            onsite = len(cells) - cp_model.LinearExpr.sum(free)
            size = model.new_int_var(0, max(abs(low), abs(high)), "")
            model.add(size >= deviation)
            model.add(size >= -deviation)
            # The size is only ever evaluated at whole on-site days, so between the two whole days around the target
            # it is the chord: a cut that keeps every integer value and makes the relaxation see them (without it
            # the relaxation puts everyone exactly on a fractional target, and proving optimality takes seconds).
            whole, rest = divmod(target, PRESENCE_SCALE)
            if rest:
                model.add(size >= rest + (PRESENCE_SCALE - 2 * rest) * (onsite - whole))
            terms["presence_deviation"].append((size, 1))
            soft_range += weights.presence_deviation * max(abs(low), abs(high))
            # Whole days beyond 1, 2, 4 and 8 days on either side of the fair share, each costing again: a convex,
            # roughly quadratic penalty, so that a spare seat goes to whoever is furthest below their share and a
            # forced day to whoever is furthest above it. Breakpoints at whole days again: the relaxation stays tight.
            for margin in PRESENCE_MARGINS:
                far_bound = len(cells) + abs(whole) + margin + 1
                far = model.new_int_var(0, far_bound, "")
                model.add(far >= onsite - (whole + margin + (1 if rest else 0)))
                model.add(far >= (whole - margin) - onsite)
                terms["presence_far"].append((far, 1))
                soft_range += weights.presence_far * far_bound
        return soft_range


def build_model(instance: UnitInstance, *, with_assumptions: bool = False) -> BuiltModel:
    """The CP-SAT model of a (canonical) instance: with weighted slacks, or with one assumption literal per group."""
    return _Builder(instance, with_assumptions=with_assumptions).build()
