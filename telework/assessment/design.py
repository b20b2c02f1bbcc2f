"""How pilot units are picked among the eligible, and what effect the design could detect.

Pure Python over frozen dataclasses: no ORM, no request, no clock. ``telework.assessment.services`` gathers the
candidate units of a phase's scope and stores the result; this module only allocates and computes. Every function
is deterministic: the same candidates (in any order) and the same seed give the same allocation, so a recorded
design can be reproduced by anyone holding the seed (issue 13, point 2; reference: pilot-assessment.md §3).

"Analyse everyone as assigned": the allocation returned here defines the arms. Whether a unit's staff later
registered for home days does not move the unit between arms.
"""

from __future__ import annotations

import math
import random
import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from scipy import stats

PILOT = "pilot"
COMPARISON = "comparison"

# Size bands by headcount used to stratify (lower bound inclusive, upper bound inclusive; None = open).
SIZE_BANDS: tuple[tuple[int, int | None], ...] = ((0, 9), (10, 29), (30, 99), (100, None))

# Upper bounds that keep every allocation cheap (the matched design is O(pilots × comparison units)).
MAX_CANDIDATES = 5_000
MAX_WAVES = 52


class DesignInputError(ValueError):
    """The inputs cannot make a design (code names the rule, message in plain English for logs)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Candidate:
    unit_id: int
    agency_id: int
    staff: int  # headcount
    function: str  # unit's function/kind label used for matching ("" if unknown)
    pre_outcome: float | None  # mean primary outcome over the pre-period (None if no data)


@dataclass(frozen=True)
class Allocation:
    unit_id: int
    arm: str  # PILOT | COMPARISON
    wave: int | None  # stepped-wedge order of entry 1..waves; None otherwise
    matched_to: int | None  # matched design: the pilot unit this comparison unit was matched to
    stratum: str  # e.g. "agency 12 · size 10–29"


def size_band(staff: int) -> str:
    """The size band label of a headcount, e.g. ``"10–29"`` or ``"100+"``."""
    for low, high in SIZE_BANDS:
        if high is None:
            if staff >= low:
                return f"{low}+"
        elif low <= staff <= high:
            return f"{low}–{high}"
    return f"{SIZE_BANDS[0][0]}–{SIZE_BANDS[0][1]}"


def stratum_of(candidate: Candidate) -> str:
    """The stratum a unit is randomised within: its agency and its size band."""
    return f"agency {candidate.agency_id} · size {size_band(candidate.staff)}"


def _checked(candidates: Sequence[Candidate]) -> list[Candidate]:
    if len(candidates) > MAX_CANDIDATES:
        raise DesignInputError("too_many_candidates", f"at most {MAX_CANDIDATES} candidate units")
    ids = [c.unit_id for c in candidates]
    if len(set(ids)) != len(ids):
        raise DesignInputError("duplicate_unit", "a unit appears twice among the candidates")
    if any(c.staff < 0 for c in candidates):
        raise DesignInputError("negative_staff", "a headcount cannot be negative")
    # Sorting first makes the result independent of the order the caller listed the candidates in.
    return sorted(candidates, key=lambda c: c.unit_id)


def _strata(candidates: list[Candidate]) -> list[tuple[str, list[Candidate]]]:
    groups: dict[tuple[int, int], list[Candidate]] = {}
    for candidate in candidates:
        band_index = next(
            (i for i, (low, high) in enumerate(SIZE_BANDS) if candidate.staff >= low and (high is None or candidate.staff <= high)),
            0,
        )
        groups.setdefault((candidate.agency_id, band_index), []).append(candidate)
    return [(stratum_of(members[0]), members) for _key, members in sorted(groups.items())]


def randomise(candidates: Sequence[Candidate], *, seed: int, pilot_share: float = 0.5) -> list[Allocation]:
    """Stratified randomisation: within each (agency, size band) stratum, a seeded shuffle puts ``pilot_share`` of
    the units in the pilot arm and the rest in the comparison arm.

    A stratum whose size times the share is not a whole number gives its odd unit to the arm that has so far
    received less than its share across strata (ties broken by the seeded generator), so the overall pilot share
    stays within one unit of the target and the arms stay balanced on agency and size (Bruhn & McKenzie 2009).
    """
    if not 0.0 < pilot_share < 1.0:
        raise DesignInputError("pilot_share_out_of_range", "the pilot share must be strictly between 0 and 1")
    ordered = _checked(candidates)
    rng = random.Random(seed)
    allocations: list[Allocation] = []
    assigned_total = 0
    pilots_total = 0
    for stratum, members in _strata(ordered):
        shuffled = list(members)
        rng.shuffle(shuffled)
        exact = len(shuffled) * pilot_share
        pilots = math.floor(exact)
        if exact - pilots > 1e-9:
            # Give the odd unit to whichever arm is behind its target so far; a coin decides a tie.
            target_after = (assigned_total + len(shuffled)) * pilot_share
            shortfall = target_after - (pilots_total + pilots)
            if shortfall > 0.5 + 1e-9 or (abs(shortfall - 0.5) <= 1e-9 and rng.random() < 0.5):
                pilots += 1
        for index, candidate in enumerate(shuffled):
            arm = PILOT if index < pilots else COMPARISON
            allocations.append(Allocation(candidate.unit_id, arm, None, None, stratum))
        assigned_total += len(shuffled)
        pilots_total += pilots
    return sorted(allocations, key=lambda a: a.unit_id)


def stepped_wedge(candidates: Sequence[Candidate], *, seed: int, waves: int) -> list[Allocation]:
    """Randomised order of entry: every unit joins the pilot in one of ``waves`` waves (1 = first).

    Within each stratum the units are shuffled with the seed and dealt to waves in turn, continuing the deal from
    one stratum to the next, so every wave receives units of every large stratum and wave sizes differ by at most
    one. Every unit is eventually a pilot unit (arm ``pilot``); until its wave starts it serves as comparison.
    """
    ordered = _checked(candidates)
    if waves < 1 or waves > MAX_WAVES:
        raise DesignInputError("waves_out_of_range", f"between 1 and {MAX_WAVES} waves")
    if waves > len(ordered):
        raise DesignInputError("more_waves_than_units", "each wave needs at least one unit")
    rng = random.Random(seed)
    # The first wave of the deal is drawn too, so that wave 1 is not always the one that gets the odd units.
    position = rng.randrange(waves)
    allocations: list[Allocation] = []
    for stratum, members in _strata(ordered):
        shuffled = list(members)
        rng.shuffle(shuffled)
        for candidate in shuffled:
            allocations.append(Allocation(candidate.unit_id, PILOT, position % waves + 1, None, stratum))
            position += 1
    return sorted(allocations, key=lambda a: a.unit_id)


def _spread(values: Sequence[float]) -> float:
    if len(values) < 2:
        return 1.0
    spread = statistics.pstdev(values)
    return spread if spread > 0 else 1.0


def match(candidates: Sequence[Candidate], *, pilot_unit_ids: Collection[int]) -> list[Allocation]:
    """Matched comparison: for each pilot unit (in unit id order) the nearest unused non-pilot unit.

    Distance is Euclidean over standardised differences: headcount divided by the candidates' standard deviation,
    pre-period outcome divided by its standard deviation (left out when either unit has no pre-period figure), and
    1 when the units' functions differ. Nearest neighbour without replacement; ties go to the lower unit id.
    Non-pilot units not chosen as a match are left out of the design (they are neither pilot nor comparison);
    a pilot unit left without a partner (too few candidates) is still a pilot unit with no matched comparison.
    """
    ordered = _checked(candidates)
    pilot_ids = set(pilot_unit_ids)
    known = {c.unit_id for c in ordered}
    if not pilot_ids:
        raise DesignInputError("no_pilot_units", "choose at least one pilot unit")
    if not pilot_ids <= known:
        raise DesignInputError("pilot_not_candidate", "every pilot unit must be among the candidates")
    staff_spread = _spread([float(c.staff) for c in ordered])
    outcomes = [c.pre_outcome for c in ordered if c.pre_outcome is not None]
    outcome_spread = _spread(outcomes)

    def distance(a: Candidate, b: Candidate) -> float:
        total = ((a.staff - b.staff) / staff_spread) ** 2
        if a.pre_outcome is not None and b.pre_outcome is not None:
            total += ((a.pre_outcome - b.pre_outcome) / outcome_spread) ** 2
        if a.function != b.function:
            total += 1.0
        return math.sqrt(total)

    pool = [c for c in ordered if c.unit_id not in pilot_ids]
    used: set[int] = set()
    allocations: list[Allocation] = []
    for pilot in (c for c in ordered if c.unit_id in pilot_ids):
        allocations.append(Allocation(pilot.unit_id, PILOT, None, None, stratum_of(pilot)))
        available = [c for c in pool if c.unit_id not in used]
        if not available:
            continue
        best = min(available, key=lambda c: (distance(pilot, c), c.unit_id))
        used.add(best.unit_id)
        allocations.append(Allocation(best.unit_id, COMPARISON, None, pilot.unit_id, stratum_of(best)))
    return sorted(allocations, key=lambda a: a.unit_id)


def design_effect(*, cluster_size: float, icc: float) -> float:
    """Kish's design effect for clusters of size m: 1 + (m − 1)·ρ."""
    return 1.0 + (cluster_size - 1.0) * icc


def minimum_detectable_effect(
    *,
    pilot_clusters: int,
    comparison_clusters: int,
    cluster_size: float,
    icc: float,
    outcome_sd: float,
    periods_before: int,
    periods_after: int,
    alpha: float = 0.05,
    power: float = 0.80,
) -> float:
    """The smallest true effect (in outcome units) the design detects with the given power at two-sided ``alpha``.

    Bloom (1995, 2005) cluster formula, as in pilot-assessment.md §3::

        MDE = M · σ · √( DEFF / m · (1/J_pilot + 1/J_comparison) · F )

    where DEFF = 1 + (m − 1)·ρ (clustered by unit), m the staff (observations) per unit and period, J the
    number of units per arm, and M = t(1 − α/2, J − 2) + t(power, J − 2) (≈ 2.80 for many units at α = 0.05 and
    80 % power). F is the periods factor for a comparison of period means treating periods as independent:
    F = 1/T_after + 1/T_before for difference-in-differences, and F = 1/T_after when there is no pre-period.
    With one period after and none before this is exactly Bloom's MDE ≈ 2.8·σ·√(ρ/(P(1−P)J) + (1−ρ)/(P(1−P)Jn)).
    Ignoring serial correlation and the persistent unit effect that differencing removes makes the figure
    conservative for DiD (McKenzie 2012; Burlig, Preonas & Woerman 2020 give the sharper formula).
    """
    if pilot_clusters < 1 or comparison_clusters < 1:
        raise DesignInputError("too_few_clusters", "each arm needs at least one unit")
    if pilot_clusters + comparison_clusters < 3:
        raise DesignInputError("too_few_clusters", "at least three units are needed to estimate a variance")
    if cluster_size < 1:
        raise DesignInputError("cluster_size_out_of_range", "a unit has at least one member")
    if not 0.0 <= icc <= 1.0:
        raise DesignInputError("icc_out_of_range", "the intra-cluster correlation lies between 0 and 1")
    if outcome_sd <= 0:
        raise DesignInputError("outcome_sd_out_of_range", "the standard deviation must be positive")
    if periods_before < 0 or periods_after < 1:
        raise DesignInputError("periods_out_of_range", "at least one period after the start is needed")
    if not 0.0 < alpha < 1.0 or not 0.0 < power < 1.0:
        raise DesignInputError("alpha_power_out_of_range", "alpha and power lie strictly between 0 and 1")
    degrees = pilot_clusters + comparison_clusters - 2
    degrees_of_freedom = float(max(degrees, 1))
    multiplier = float(stats.t.ppf(1.0 - alpha / 2.0, degrees_of_freedom) + stats.t.ppf(power, degrees_of_freedom))
    periods_factor = 1.0 / periods_after + (1.0 / periods_before if periods_before else 0.0)
    variance = (
        outcome_sd**2 * design_effect(cluster_size=cluster_size, icc=icc) / cluster_size * (1.0 / pilot_clusters + 1.0 / comparison_clusters) * periods_factor
    )
    return multiplier * math.sqrt(variance)


@dataclass(frozen=True)
class SteppedWedgeCounts:
    """What the Sun–Abraham estimate of a stepped wedge really compares (the MDE's effective counts)."""

    pilot_clusters: int  # units of the waves before the last
    comparison_clusters: int  # units of the last wave: the only comparison once every unit starts
    periods_after: int  # mean weeks an earlier wave spends in the pilot before the last wave starts
    periods_before: int  # weeks before the start counted: at most the event study's window of leads


# The event study's window of leads (estimation.MAX_LEADS four-week periods of estimation.BIN_WEEKS weeks; a test
# holds the two modules together): weeks further back are pooled into the first lead and anchor nothing.
EVENT_STUDY_WEEKS_BEFORE = 24


def stepped_wedge_counts(allocations: Sequence[Allocation], *, wave_weeks: int, periods_after: int, periods_before: int) -> SteppedWedgeCounts:
    """The effective counts of a stepped-wedge design for ``minimum_detectable_effect``.

    Every unit eventually starts, so the event study (Sun and Abraham 2021, never-treated units absent) compares the
    earlier waves with the last wave, and only over the weeks before the last wave starts: wave w of W contributes
    ``wave_weeks·(W − w)`` pilot weeks (capped by ``periods_after``), on average ``wave_weeks·W/2``. Counting the
    first half of the waves against the second half with every week after the start, as a parallel design would,
    overstates both the comparison arm and the weeks and made the recorded MDE about a quarter too optimistic
    (docs/architecture.md, "Estimating the pilot's effect").

    Weeks before: the event study estimates a coefficient for each lead, so each cohort's change is anchored on the
    periods just before its start, not on the whole pre-period; the weeks counted are capped at the window of leads
    (``EVENT_STUDY_WEEKS_BEFORE``). Strictly only the reference period (four weeks) anchors a cohort, but weekly
    figures are serially correlated and a four-week count would double the MDE; the cap is the count that matches
    the simulated standard errors (``bench/evidence.py --designs stepped_wedge``: power at the MDE 0.80).
    With a single wave there is no comparison: the counts fall back to the parallel design's halves.
    """
    before = min(periods_before, EVENT_STUDY_WEEKS_BEFORE)
    waves = max((allocation.wave or 0) for allocation in allocations) if allocations else 0
    if waves < 2:
        half = len(allocations) // 2
        return SteppedWedgeCounts(len(allocations) - half, half, periods_after, before)
    last = sum(1 for allocation in allocations if allocation.wave == waves)
    earlier = [allocation for allocation in allocations if (allocation.wave or 0) < waves]
    exposure = [min(wave_weeks * (waves - (allocation.wave or 0)), periods_after) for allocation in earlier]
    mean_weeks = max(1, round(sum(exposure) / len(exposure))) if exposure else periods_after
    return SteppedWedgeCounts(len(earlier), last, mean_weeks, before)


def balance_table(candidates: Sequence[Candidate], allocations: Sequence[Allocation]) -> list[dict[str, object]]:
    """Per stratum: units and mean headcount and pre-period outcome in each arm (the balance the screen shows).

    For a stepped-wedge design the first half of the waves is compared with the second half.
    """
    by_id = {c.unit_id: c for c in candidates}
    rows: dict[str, dict[str, list[Candidate]]] = {}
    waves = max((a.wave or 0) for a in allocations) if allocations else 0
    for allocation in allocations:
        candidate = by_id.get(allocation.unit_id)
        if candidate is None:
            continue
        if allocation.wave is not None:
            side = PILOT if allocation.wave <= (waves + 1) // 2 else COMPARISON
        else:
            side = allocation.arm
        rows.setdefault(allocation.stratum, {PILOT: [], COMPARISON: []})[side].append(candidate)

    def mean(values: list[float]) -> float | None:
        return statistics.fmean(values) if values else None

    table: list[dict[str, object]] = []
    for stratum in sorted(rows):
        arms = rows[stratum]
        row: dict[str, object] = {"stratum": stratum}
        for side in (PILOT, COMPARISON):
            members = arms[side]
            row[f"{side}_units"] = len(members)
            row[f"{side}_staff_mean"] = mean([float(c.staff) for c in members])
            row[f"{side}_pre_outcome_mean"] = mean([c.pre_outcome for c in members if c.pre_outcome is not None])
        table.append(row)
    return table
