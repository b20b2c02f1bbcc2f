"""Criteria-set versions, an agency's evaluation settings (the quota's peer groups) and organisation levels."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.evaluations import permissions
from telework.evaluations.models import (
    REVIEW_STATES,
    CriteriaSet,
    EvaluationPeriod,
    EvaluationSettings,
    LevelChoice,
    OrganisationRating,
    PeerGrouping,
    PeriodStatus,
)
from telework.evaluations.scoring import (
    Regime,
)
from telework.evaluations.services.common import _require_run
from telework.organization.models import Agency

# --------------------------------------------------------------------------------------------- criteria sets


@transaction.atomic
def criteria_set_publish(*, criteria_set: CriteriaSet, actor: User) -> CriteriaSet:
    """Publish a criteria set to staff. Only Home Affairs publishes; a published set never changes (a new version
    replaces it)."""
    if not permissions.can_run(actor, None):
        raise NotPermitted(_("Only Home Affairs publishes criteria sets."), rule="evaluations.criteria")
    if criteria_set.published_at is not None:
        raise InvalidTransition(_("This criteria set is already published."), rule="criteria_set.published_at")
    criteria_set.scoring_parameters()  # a bad parameter fails here, before anyone relies on it
    criteria_set.published_at = clock.now()
    criteria_set.save(update_fields=["published_at"])
    audit_record(actor=actor, action="criteria_set.publish", target=criteria_set, after={"version": criteria_set.version, "regime": criteria_set.regime})
    return criteria_set


# Parameters Home Affairs may change in a new version, with their limits (min, max, step). The Decree 335 formula
# (Art. 16) and the deductions (Art. 14) are fixed by the decree, so their fields are not offered.
EDITABLE_PARAMETERS: dict[str, tuple[float, float, float]] = {
    "general_criterion_max": (0.5, 30.0, 0.25),
    "general_pass_share": (0.0, 1.0, 0.05),
    "cap_ratio": (0.0, 0.25, 0.01),
    "exception_cap_ratio": (0.0, 0.25, 0.01),
    "exceeded_share_for_excellent": (0.0, 1.0, 0.05),
    "short_share_for_completed": (0.0, 1.0, 0.05),
    "short_share_for_not_completed": (0.0, 1.0, 0.05),
    "minimum_months_worked": (0.0, 12.0, 0.5),
    "appeal_working_days": (1.0, 30.0, 1.0),
}


def _clean_parameters(values: dict[str, Any]) -> dict[str, float]:
    cleaned: dict[str, float] = {}
    problems = []
    for name, (low, high, _step) in EDITABLE_PARAMETERS.items():
        if name not in values or values[name] in ("", None):
            continue
        try:
            value = float(values[name])
        except (TypeError, ValueError):
            problems.append({"field": name, "message": _("Enter a number.")})
            continue
        if not low <= value <= high:
            problems.append({"field": name, "message": _("Between %(low)s and %(high)s.") % {"low": low, "high": high}})
        cleaned[name] = int(value) if name == "appeal_working_days" else value
    if problems:
        raise ValidationFailed(problems[0]["message"], rule="criteria_set.parameters", details=problems)
    return cleaned


@transaction.atomic
def criteria_set_create_version(*, regime: str, actor: User, name: str, parameters: dict[str, Any]) -> CriteriaSet:
    """A new, unpublished version of ``regime``'s criteria: a copy of the latest version with the parameters
    changed. Only Home Affairs creates versions; a period only ever uses a version published before it starts."""
    if not permissions.can_run(actor, None):
        raise NotPermitted(_("Only Home Affairs creates and publishes criteria sets."), rule="evaluations.criteria")
    if regime not in {item.value for item in Regime}:
        raise ValidationFailed(_("Choose a legal regime."), rule="regime")
    # The latest version, locked: two versions created at once never take the same number.
    current = CriteriaSet.objects.select_for_update().filter(regime=regime).order_by("-version").first()
    values = {**(current.parameters if current else {}), **_clean_parameters(parameters)}
    criteria_set = CriteriaSet(
        regime=regime,
        version=(current.version + 1) if current else 1,
        name=name.strip() or (current.name if current else str(regime)),
        parameters=values,
        criteria=list(current.criteria) if current else [],
    )
    try:
        criteria_set.scoring_parameters()
    except ValueError as error:
        raise ValidationFailed(_("These parameters contradict each other: %(error)s.") % {"error": error}, rule="criteria_set.parameters") from error
    criteria_set.save()
    audit_record(
        actor=actor,
        action="criteria_set.create",
        target=criteria_set,
        before={"version": current.version, "parameters": current.parameters} if current else None,
        after={"version": criteria_set.version, "regime": regime, "parameters": values},
    )
    return criteria_set


# --------------------------------------------------------------------------------------------- agency settings


@transaction.atomic
def evaluation_settings_update(
    *, agency: Agency, actor: User, peer_grouping: str, minimum_group_size: Any, has_own_233_regulation: bool, uses_citizen_ratings: bool | None = None
) -> EvaluationSettings:
    """Set how an agency forms the quota's peer groups and from which size a group is capped on its own, whether it
    has its own regulation under Decree 233/2026 (Art. 20 cl. 1), and whether the citizens' Decree-61 evaluations of
    the dossiers a person handled enter their evaluation (``None``: unchanged). Home Affairs, or the agency head or
    HR."""
    if not permissions.can_run(actor, agency):
        raise NotPermitted(_("Only Home Affairs, or the agency head or HR of this agency, sets its evaluation settings."), rule="evaluations.settings")
    if peer_grouping not in PeerGrouping.values:
        raise ValidationFailed(_("Choose how peer groups are formed."), rule="peer_grouping")
    try:
        minimum = int(minimum_group_size)
    except (TypeError, ValueError):
        minimum = 0
    if not 2 <= minimum <= 500:
        raise ValidationFailed(_("The smallest group is between 2 and 500 people."), rule="minimum_group_size", details=[{"field": "minimum_group_size"}])
    settings, _created = EvaluationSettings.objects.select_for_update().get_or_create(agency=agency)
    before = {
        "peer_grouping": settings.peer_grouping,
        "minimum_group_size": settings.minimum_group_size,
        "has_own_233_regulation": settings.has_own_233_regulation,
        "uses_citizen_ratings": settings.uses_citizen_ratings,
    }
    settings.peer_grouping, settings.minimum_group_size, settings.has_own_233_regulation = peer_grouping, minimum, bool(has_own_233_regulation)
    if uses_citizen_ratings is not None:
        settings.uses_citizen_ratings = bool(uses_citizen_ratings)
    settings.updated_by = actor
    settings.save()
    after = {
        "peer_grouping": peer_grouping,
        "minimum_group_size": minimum,
        "has_own_233_regulation": settings.has_own_233_regulation,
        "uses_citizen_ratings": settings.uses_citizen_ratings,
    }
    audit_record(actor=actor, action="evaluation_settings.update", target=settings, before=before, after=after, agency_id=agency.pk)
    return settings


# --------------------------------------------------------------------------------------------- organisations


@transaction.atomic
def organisation_rate(
    *, period: EvaluationPeriod, actor: User, agency: Agency, unit: Any = None, level: str, raise_quota: bool = False, reason: str = ""
) -> OrganisationRating:
    """Record the level of a unit (or, ``unit=None``, the agency as a whole) for the period. A head's level is capped
    by it (Decree 335 Art. 20 cl. 6) at the next computation. Whoever runs the period rates its units; the agency as a
    whole is rated by the superior body, Home Affairs here, which alone may raise the quota of excellent levels to
    the exception ceiling (Art. 20 cl. 5(b): an outstanding organisation, "nhưng không vượt quá 25%") for an agency
    rated excellent, with a reason."""
    _require_run(actor, period)
    if unit is None and not permissions.can_run(actor, None):
        raise NotPermitted(_("Only Home Affairs rates an agency as a whole."), rule="evaluations.organisation_rating")
    if period.status not in REVIEW_STATES and period.status != PeriodStatus.OPEN:
        raise InvalidTransition(_("The levels of this period can no longer be changed."), rule="evaluation_period.status")
    if period.agency_id is not None and agency.pk != period.agency_id:
        raise ValidationFailed(_("This agency is not in the period."), rule="agency")
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationFailed(_("This unit is not in the agency."), rule="unit")
    if level not in LevelChoice.values:
        raise ValidationFailed(_("Choose one of the four levels."), rule="level")
    reason = reason.strip()
    if raise_quota:
        if not permissions.can_run(actor, None):
            raise NotPermitted(_("Only Home Affairs raises an agency's quota of excellent levels."), rule="evaluations.quota_exception")
        if unit is not None or level != LevelChoice.EXCELLENT:
            raise RuleViolation(
                _("The raised quota (at most 25 %) is for an agency rated excellent as a whole (Decree 335/2025/NĐ-CP, Art. 20, cl. 5(b))."),
                rule="exception_cap_ratio",
                params={"level": level},
            )
        if not reason:
            raise ValidationFailed(_("Give the reason for raising the quota."), rule="reason")
    rating = OrganisationRating.objects.select_for_update().filter(period=period, agency=agency, unit=unit).first()
    before = {"level": rating.level, "is_quota_raised": rating.is_quota_raised} if rating else None
    if rating is None:
        rating = OrganisationRating(period=period, agency=agency, unit=unit)
    rating.level, rating.is_quota_raised, rating.reason = level, bool(raise_quota), reason
    rating.decided_by, rating.decided_at = actor, clock.now()
    rating.save()
    audit_record(
        actor=actor,
        action="organisation_rating.decide",
        target=rating,
        before=before,
        after={"level": level, "is_quota_raised": rating.is_quota_raised, "unit": unit.pk if unit else None},
        reason=reason,
        agency_id=agency.pk,
    )
    return rating
