"""Reads for the pilot design screens: who may see and act, the phases with their state, a phase's candidate units."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.assessment.design import Candidate, size_band
from telework.assessment.models import PhaseDesign, PhaseReview
from telework.core.exceptions import NotFound
from telework.organization import scope
from telework.organization.models import Agency, Staff, Unit
from telework.policy.models import PilotPhase
from telework.policy.selectors import can_read_city_policy
from telework.policy.services import phase_coverage

# Bounds: a phase's candidate list is read whole (the design needs every eligible unit), so cap it.
MAX_CANDIDATE_UNITS = 5_000

FUNCTION_LABELS = {
    "one_stop": _("one-stop desk"),
    "citizen_facing": _("serves citizens"),
    "back_office": _("back office"),
}


def can_read_designs(viewer: Viewer) -> bool:
    """Home Affairs and system administrators (who design) and city leadership (read-only) see every phase."""
    return can_read_city_policy(viewer)


def can_design(viewer: Viewer) -> bool:
    """Home Affairs chooses the method, runs the allocation, records the design and launches the phase."""
    return scope.is_city_policy_maker(viewer)


def can_review(viewer: Viewer) -> bool:
    """The review's decision is the city leadership's; Home Affairs may record it on their behalf."""
    return scope.is_city_policy_maker(viewer) or (viewer.is_authenticated and viewer.role == Role.CITY_LEADERSHIP)


def phase_list(*, viewer: Viewer) -> QuerySet[PilotPhase]:
    """Every phase of every pilot, oldest pilot first, with its design and review, for readers of the city policy."""
    if not can_read_designs(viewer):
        return PilotPhase.objects.none()
    return (
        PilotPhase.objects.select_related("pilot", "design", "review")
        .annotate(unit_count=Count("units", distinct=True), agency_count=Count("agencies", distinct=True))
        .order_by("pilot__created_at", "pilot_id", "starts_on")
    )


def phase_get(*, viewer: Viewer, phase_id: int) -> PilotPhase:
    """One phase, or ``NotFound`` when it does not exist or the viewer may not see it."""
    try:
        return phase_list(viewer=viewer).get(pk=phase_id)
    except PilotPhase.DoesNotExist as missing:
        raise NotFound(_("No such phase."), rule="phase") from missing


def previous_phase(phase: PilotPhase) -> PilotPhase | None:
    """The phase of the same pilot that comes just before ``phase`` (by start date)."""
    return PilotPhase.objects.filter(pilot_id=phase.pilot_id, starts_on__lt=phase.starts_on).order_by("-starts_on").first()


def design_of(phase: PilotPhase) -> PhaseDesign | None:
    return PhaseDesign.objects.filter(phase=phase).first()


def review_of(phase: PilotPhase) -> PhaseReview | None:
    return PhaseReview.objects.select_related("decided_by").filter(phase=phase).first()


@dataclass(frozen=True)
class CandidateRow:
    """A candidate unit as the screen lists it (names, not ids)."""

    candidate: Candidate
    unit_name: str
    agency_name: str


def phase_candidates(phase: PilotPhase) -> list[CandidateRow]:
    """The eligible units of the phase's scope with their headcount (active staff of the phase's positions, or all
    when it names none), their function and their pre-period outcome.

    Function: "one_stop" when a staff member holds a one-stop desk position, "citizen_facing" when most face citizens,
    else "back_office". Pre-period outcome: None — the outcome panel (``outcomes.OutcomeValue``) is not available to
    this floor yet, so matching uses size and function only and the screen says so.
    """
    coverage = phase_coverage(phase)
    # One more than the bound, so that the design refuses an oversized scope instead of silently cutting it.
    unit_ids = sorted(coverage.units)[: MAX_CANDIDATE_UNITS + 1]
    return _candidate_rows(unit_ids, coverage.position_ids)


def comparison_candidates(phase: PilotPhase, unit_ids: Collection[int]) -> list[CandidateRow]:
    """Units outside the phase's scope offered as the comparison pool of a matched design (e.g. the units of agencies
    the pilot does not cover yet), with their headcount (every active member: the phase's positions belong to other
    agencies) and function, as ``phase_candidates`` gives them. Units inside the scope are left out here; the design
    service refuses them."""
    in_scope = phase_coverage(phase).units
    outside = sorted(unit_id for unit_id in set(unit_ids) if unit_id not in in_scope)[: MAX_CANDIDATE_UNITS + 1]
    return _candidate_rows(outside, None)


def _candidate_rows(unit_ids: list[int], position_ids: Collection[int] | None) -> list[CandidateRow]:
    staff = Staff.objects.filter(unit_id__in=unit_ids, is_active=True)
    if position_ids is not None:
        staff = staff.filter(position_id__in=position_ids)
    counts = {
        row["unit_id"]: row
        for row in staff.values("unit_id").annotate(
            total=Count("pk"),
            one_stop=Count("pk", filter=Q(position__is_one_stop_desk=True)),
            facing=Count("pk", filter=Q(position__faces_citizens=True)),
        )
    }
    units = Unit.objects.filter(pk__in=unit_ids).select_related("agency").order_by("agency__name", "path")
    rows: list[CandidateRow] = []
    for unit in units:
        count = counts.get(unit.pk)
        if count is None or count["total"] == 0:
            continue  # a unit with no one in scope cannot be a pilot unit
        if count["one_stop"]:
            function = "one_stop"
        elif count["facing"] * 2 > count["total"]:
            function = "citizen_facing"
        else:
            function = "back_office"
        rows.append(CandidateRow(Candidate(unit.pk, unit.agency_id, count["total"], function, None), unit.name, unit.agency.name))
    return rows


def stratum_label(stratum: str, agencies: dict[int, str]) -> str:
    """A stratum as a person reads it: "Sở Tư pháp · 10–29 người" rather than its internal key."""
    try:
        agency_part, size_part = stratum.split(" · ", 1)
        agency_id = int(agency_part.removeprefix("agency "))
        band = size_part.removeprefix("size ")
    except ValueError:
        return stratum
    return str(_("%(agency)s · %(band)s staff")) % {"agency": agencies.get(agency_id, "?"), "band": band}


def agency_names(agency_ids: set[int]) -> dict[int, str]:
    return dict(Agency.objects.filter(pk__in=agency_ids).values_list("pk", "name"))


def strata_description(candidates: list[Candidate], agencies: dict[int, str]) -> str:
    """The strata in words, with the number of candidate units in each (stored with the design)."""
    counter: Counter[tuple[str, str]] = Counter((agencies.get(c.agency_id, "?"), size_band(c.staff)) for c in candidates)
    parts = [str(_("%(agency)s · %(band)s staff: %(count)s units")) % {"agency": a, "band": b, "count": n} for (a, b), n in sorted(counter.items())]
    return "\n".join(parts)
