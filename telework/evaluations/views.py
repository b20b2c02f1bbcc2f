"""Pages for evaluation: my results, the periods and their run, a head's unit finalisation, a person's breakdown,
appeals. Views gather input, call a selector or a service and render; no rule lives here. A refusal from a service
(``DomainError``) is rendered with the rule it names, and nothing has changed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from telework.accounts.models import User
from telework.accounts.types import AuthenticatedHttpRequest, Viewer
from telework.core import clock
from telework.core.db import reporting_view
from telework.core.exceptions import DomainError, NotFound
from telework.core.web import is_htmx
from telework.evaluations import exports, permissions, selectors, services
from telework.evaluations.models import (
    PERIOD_ACTIONS,
    REVIEW_STATES,
    CriteriaSet,
    Evaluation,
    EvaluationPeriod,
    EvaluationSettings,
    LevelChoice,
    PeerGrouping,
    PeriodKind,
    RegimeChoice,
)
from telework.evaluations.scoring import APPEAL_CITATIONS, GENERAL_CRITERIA, LEVEL_LABELS, Regime, ScoringParameters, parameter_label
from telework.organization import scope
from telework.organization.models import Agency, Unit

NAV_LABEL = gettext_lazy("Evaluation")
GENERAL_LABELS = dict(GENERAL_CRITERIA)
LEADER_FACTORS = [("organising", gettext_lazy("Organising ability (đ)")), ("unity", gettext_lazy("Unity of the staff (e)"))]
LEVELS = [(value, label) for value, label in LevelChoice.choices]


def _period_or_404(user: Viewer, pk: int) -> EvaluationPeriod:
    try:
        return selectors.period_get(viewer=user, period_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _evaluation_or_404(user: Viewer, pk: int) -> Evaluation:
    try:
        return selectors.evaluation_get(viewer=user, evaluation_id=pk)
    except NotFound as missing:
        raise Http404 from missing


@login_required
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """My results, the periods I may see, and what waits for me."""
    user = request.user
    is_runner = permissions.can_run(user, None) or user.role in permissions.RUNNING_ROLES
    periods = list(selectors.period_list(viewer=user)[:24]) if user.role != "staff" else []
    return render(
        request,
        "evaluations/home.html",
        {
            "mine": list(selectors.my_evaluations(viewer=user)),
            "periods": periods,
            "can_create": is_runner,
            "agencies": list(scope.visible_agencies(user)) if is_runner else [],
            "kinds": PeriodKind.choices,
            "this_year": clock.today().year,
            "appeal_count": len(selectors.pending_appeals(viewer=user)),
            "can_decide_appeals": permissions.can_decide_appeals(user),
        },
    )


@login_required
@require_POST
def period_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    agency_id = request.POST.get("agency") or ""
    agency = scope.visible_agencies(user).filter(pk=agency_id).first() if agency_id else None
    try:
        period = services.period_create(
            actor=user, kind=request.POST.get("kind", ""), year=_int(request.POST.get("year")), number=_int(request.POST.get("number")), agency=agency
        )
    except DomainError as error:
        messages.error(request, str(error.message))
        return redirect("evaluations:home")
    messages.success(request, _("Period opened: %(period)s.") % {"period": period})
    return redirect("evaluations:period", pk=period.pk)


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0


@login_required
def period(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A period: its state and actions, the level counts, the units to finalise, the quota, home vs office."""
    user = request.user
    period = _period_or_404(user, pk)
    evaluations = selectors.evaluation_list(viewer=user, period=period)
    counts: dict[str, int] = {value: 0 for value, _label in LEVELS}
    undecided = 0
    for level, final in evaluations.values_list("proposed_level", "final_level"):
        counts[final or level or ""] = counts.get(final or level or "", 0) + 1
        undecided += not final
    agencies, units = selectors.home_vs_office(viewer=user, period=period)
    return render(
        request,
        "evaluations/period.html",
        {
            "period": period,
            "counts": [(value, label, counts.get(value, 0)) for value, label in LEVELS],
            "not_classified": counts.get("", 0),
            "undecided": undecided,
            "total": sum(counts.values()),
            "units": _units_of(user, period),
            "can_run": permissions.can_run(user, period.agency),
            "actions": [
                (action, label) for action, label in PERIOD_ACTIONS.get(period.status, ()) if services.period_check(period=period, actor=user, action=action)
            ],
            **_quota_context(selectors.quota_panel(viewer=user, period=period)),
            "agency_distribution": agencies,
            "unit_distribution": units,
            "levels": LEVELS,
            "ratings": selectors.organisation_ratings(viewer=user, period=period),
            "rating_units": _rating_units(user, period) if permissions.can_run(user, period.agency) else [],
            "can_raise_quota": permissions.can_run(user, None),
        },
    )


def _quota_context(panel: selectors.QuotaPanel) -> dict[str, Any]:
    return {"quota": panel.reasons(), "quota_groups": panel.group_reasons(), "quota_settings": panel.settings}


def _rating_units(user: Viewer, period: EvaluationPeriod) -> list[Unit]:
    units = selectors.reviewable_units(viewer=user)
    if period.agency_id is not None:
        units = units.filter(agency_id=period.agency_id)
    return list(units)


def _units_of(user: Viewer, period: EvaluationPeriod) -> list[Unit]:
    units = selectors.reviewable_units(viewer=user)
    if period.agency_id is not None:
        units = units.filter(agency_id=period.agency_id)
    unit_ids = set(selectors.evaluation_list(viewer=user, period=period).values_list("unit_id", flat=True))
    return [unit for unit in units if unit.pk in unit_ids]


PERIOD_SERVICES: dict[str, tuple[Callable[..., Any], Any]] = {
    "run": (services.period_run, gettext_lazy("Everyone in scope was measured and scored.")),
    "start_review": (services.period_start_review, gettext_lazy("Self-assessment closed; the heads' review is open.")),
    "enforce_quota": (services.quota_enforce, gettext_lazy("Quota enforced.")),
    "lock": (services.period_lock, gettext_lazy("Levels locked.")),
    "publish": (services.period_publish, gettext_lazy("Results published to the staff.")),
}


@login_required
@require_POST
def period_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    period = _period_or_404(request.user, pk)
    service, success = PERIOD_SERVICES[action]
    try:
        service(period=period, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, str(success))
    return redirect("evaluations:period", pk=period.pk)


@login_required
def unit_review(request: AuthenticatedHttpRequest, pk: int, unit_id: int) -> HttpResponse:
    """The head's finalisation page for one unit: each person's measured inputs, proposal, self-assessment and the
    decision form; the quota panel; confirm-all and (for whoever runs the period) lock."""
    user = request.user
    period = _period_or_404(user, pk)
    unit = selectors.reviewable_units(viewer=user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    evaluations = list(selectors.evaluation_list(viewer=user, period=period, unit=unit))
    for evaluation in evaluations:
        evaluation.period = period  # one period (with its criteria sets) for every row, not one query per row
    return render(
        request,
        "evaluations/unit.html",
        {
            "period": period,
            "unit": unit,
            "rows": [_row_context(user, evaluation) for evaluation in evaluations],
            **_quota_context(selectors.quota_panel(viewer=user, period=period, unit=unit)),
            "can_run": permissions.can_run(user, period.agency),
            "is_open": period.status in REVIEW_STATES,
            "can_lock": services.period_check(period=period, actor=user, action="lock").is_allowed,
            "undecided": sum(1 for evaluation in evaluations if not evaluation.final_level),
        },
    )


def _row_context(user: User, evaluation: Evaluation, error: DomainError | None = None, posted: dict[str, Any] | None = None) -> dict[str, Any]:
    general = evaluation.general_scores or {}
    posted = posted or {}
    factors = evaluation.leader_factors or {}
    return {
        "evaluation": evaluation,
        "can_review": services.evaluation_check(evaluation=evaluation, actor=user, action="review").is_allowed,
        "general_fields": [(code, label, posted.get(code, general.get(code, ""))) for code, label in GENERAL_CRITERIA],
        "levels": LEVELS,
        # The selector starts empty: the head chooses a level, never confirms one by not looking.
        "chosen_level": posted.get("level") or evaluation.final_level,
        "leader_fields": [
            (name, label, posted.get(name) or ({True: "100", False: "50"}.get(factors[name], "") if name in factors else "")) for name, label in LEADER_FACTORS
        ]
        if evaluation.staff.is_leader and evaluation.regime == Regime.DECREE_335
        else [],
        "is_year": evaluation.period.kind == PeriodKind.YEAR,
        "months_worked": posted.get("months_worked", evaluation.months_worked if evaluation.months_worked is not None else ""),
        "on_leave": bool(posted.get("on_leave")) if posted else evaluation.is_on_sick_or_maternity_leave,
        "reason": posted.get("reason", evaluation.change_reason),
        "error": error,
        "field_errors": {detail.get("field"): detail.get("message") for detail in (error.details if error else [])},
        "error_field": error.rule if error else "",
        "quota_reason": selectors.quota_reason(evaluation),
        "general_max": evaluation.period.criteria_for(evaluation.regime).scoring_parameters().general_criterion_max,
        "is_335": evaluation.regime == Regime.DECREE_335,
    }


@login_required
@require_POST
def decide(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The head's decision on one person (HTMX: answers the row)."""
    user = request.user
    evaluation = _evaluation_or_404(user, pk)
    posted = {key: request.POST.get(key, "") for key in ("level", "reason", "organising", "unity", "months_worked", "on_leave", *GENERAL_LABELS)}
    general = {code: posted[code] for code in GENERAL_LABELS} if any(posted[code] != "" for code in GENERAL_LABELS) else None
    leader_factors = {name: posted[name] for name, _label in LEADER_FACTORS} if any(posted[name] for name, _label in LEADER_FACTORS) else None
    presence = {"months_worked": posted["months_worked"], "on_leave": posted["on_leave"]} if "months_worked" in request.POST else None
    error = None
    try:
        evaluation = services.head_confirm_or_change(
            evaluation=evaluation,
            actor=user,
            level=posted["level"],
            reason=posted["reason"],
            general=general,
            leader_factors=leader_factors,
            presence=presence,
        )
        evaluation = _evaluation_or_404(user, pk)
        posted = {}
    except DomainError as exception:
        error = exception
        evaluation = _evaluation_or_404(user, pk)
    if is_htmx(request):
        return render(request, "evaluations/_row.html", {"row": _row_context(user, evaluation, error, posted or None)})
    if error:
        messages.error(request, str(error.message))
    return redirect("evaluations:unit", pk=evaluation.period_id, unit_id=evaluation.unit_id)


@login_required
@require_POST
def confirm_unit(request: AuthenticatedHttpRequest, pk: int, unit_id: int) -> HttpResponse:
    user = request.user
    period = _period_or_404(user, pk)
    unit = selectors.reviewable_units(viewer=user).filter(pk=unit_id).first()
    if unit is None:
        raise Http404
    try:
        count = services.head_confirm_unit(period=period, actor=user, evaluations=list(selectors.evaluation_list(viewer=user, period=period, unit=unit)))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(count)s proposed level(s) confirmed.") % {"count": count})
    return redirect("evaluations:unit", pk=period.pk, unit_id=unit.pk)


@login_required
def evaluation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """One person's breakdown, criterion by criterion, with the decree and article; self-assessment, comment and the
    one appeal for the person; the appeal decision for the decider."""
    user = request.user
    item = _evaluation_or_404(user, pk)
    return _evaluation_page(request, item)


def _evaluation_page(request: AuthenticatedHttpRequest, item: Evaluation, error: DomainError | None = None, form: str = "", status: int = 200) -> HttpResponse:
    user = request.user
    me = scope.own_staff(user)
    is_own = me is not None and me.pk == item.staff_id

    def allowed(action: str) -> bool:
        return services.evaluation_check(evaluation=item, actor=user, action=action).is_allowed

    return render(
        request,
        "evaluations/evaluation.html",
        {
            "item": item,
            "assessment": selectors.breakdown(item),
            "is_own": is_own,
            "shows_final": selectors.shows_final_level(item, user),
            "can_self_assess": allowed("self_assess"),
            "can_comment": allowed("comment"),
            "can_appeal": allowed("appeal"),
            "can_decide_appeal": allowed("decide_appeal"),
            "quota_reason": selectors.quota_reason(item),
            "quota_citation": selectors.quota_citation(item),
            "appeal_citation": APPEAL_CITATIONS[Regime(item.regime)].text(),
            "appeal_days": item.period.criteria_for(item.regime).scoring_parameters().appeal_working_days,
            "levels": LEVELS,
            "level_labels": LEVEL_LABELS,
            "error": error,
            "error_form": form,
            "posted": request.POST if error else {},
        },
        status=status,
    )


EVALUATION_SERVICES: dict[str, Callable[..., Any]] = {
    "self_assess": lambda item, user, post: services.self_assess(evaluation=item, actor=user, text=post.get("text", ""), level=post.get("level", "")),
    "comment": lambda item, user, post: services.evaluation_comment(evaluation=item, actor=user, text=post.get("text", "")),
    "appeal": lambda item, user, post: services.evaluation_appeal(evaluation=item, actor=user, text=post.get("text", "")),
    "decide_appeal": lambda item, user, post: services.appeal_decide(evaluation=item, actor=user, level=post.get("level", ""), reason=post.get("reason", "")),
}
EVALUATION_SUCCESS = {
    "self_assess": gettext_lazy("Self-assessment saved."),
    "comment": gettext_lazy("Comment saved."),
    "appeal": gettext_lazy("Appeal sent."),
    "decide_appeal": gettext_lazy("Appeal decided."),
}


@login_required
@require_POST
def evaluation_act(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    item = _evaluation_or_404(user, pk)
    try:
        EVALUATION_SERVICES[action](item, user, request.POST)
    except DomainError as error:
        return _evaluation_page(request, _evaluation_or_404(user, pk), error, action, status=error.http_status)
    messages.success(request, str(EVALUATION_SUCCESS[action]))
    return redirect("evaluations:evaluation", pk=pk)


@login_required
def appeals(request: HttpRequest) -> HttpResponse:
    """Appeals for the decider: pending first, then decided."""
    return render(request, "evaluations/appeals.html", {"appeals": selectors.pending_appeals(viewer=request.user)})


@login_required
@reporting_view
def period_xlsx(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The classification list of the period, for the people the reader may see."""
    user = request.user
    period = _period_or_404(user, pk)
    if user.role == "staff":
        raise Http404
    content = exports.classification_xlsx(period, list(selectors.evaluation_list(viewer=user, period=period)), language=translation.get_language() or "vi")
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{exports.list_filename(period)}"'
    return response


@login_required
@reporting_view
def evaluation_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """One person's result as a PDF; the person gets it once the period is published."""
    user = request.user
    item = _evaluation_or_404(user, pk)
    if not selectors.shows_final_level(item, user):
        raise Http404
    response = HttpResponse(exports.evaluation_pdf(item, language=translation.get_language() or "vi"), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{exports.person_filename(item)}"'
    return response


# --------------------------------------------------------------------------------------------- settings, organisations, criteria


def _agency_or_404(user: Viewer, agency_id: int) -> Agency:
    agency = scope.visible_agencies(user).filter(pk=agency_id).first()
    if agency is None or not permissions.can_run(user, agency):
        raise Http404
    return agency


@login_required
def agency_settings(request: AuthenticatedHttpRequest, agency_id: int) -> HttpResponse:
    """An agency's evaluation settings: how the quota's peer groups are formed, the smallest group capped on its
    own, and whether it has its own regulation under Decree 233/2026."""
    user = request.user
    agency = _agency_or_404(user, agency_id)
    error = None
    if request.method == "POST":
        try:
            services.evaluation_settings_update(
                agency=agency,
                actor=user,
                peer_grouping=request.POST.get("peer_grouping", ""),
                minimum_group_size=request.POST.get("minimum_group_size"),
                has_own_233_regulation=bool(request.POST.get("has_own_233_regulation")),
                uses_citizen_ratings=bool(request.POST.get("uses_citizen_ratings")),
            )
        except DomainError as exception:
            error = exception
        else:
            messages.success(request, _("Evaluation settings saved."))
            return redirect("evaluations:agency_settings", agency_id=agency.pk)
    settings = EvaluationSettings.for_agency(agency.pk)
    defaults = ScoringParameters()
    parameters = {"citizen_ratings_share_percent": round(defaults.citizen_ratings_share * 100), "citizen_ratings_minimum": defaults.citizen_ratings_minimum}
    return render(
        request,
        "evaluations/settings.html",
        {
            "agency": agency,
            "settings": settings,
            "groupings": PeerGrouping.choices,
            "error": error,
            "posted": request.POST if error else {},
            "parameters": parameters,
        },
        status=error.http_status if error else 200,
    )


@login_required
@require_POST
def organisation_rate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Record a unit's or the agency's level for the period (and, for Home Affairs, the raised quota)."""
    user = request.user
    period = _period_or_404(user, pk)
    unit_id = request.POST.get("unit") or ""
    unit = selectors.reviewable_units(viewer=user).filter(pk=_int(unit_id)).first() if unit_id else None
    agency = unit.agency if unit is not None else (period.agency or scope.visible_agencies(user).filter(pk=_int(request.POST.get("agency"))).first())
    if agency is None or (unit_id and unit is None):
        raise Http404
    try:
        services.organisation_rate(
            period=period,
            actor=user,
            agency=agency,
            unit=unit,
            level=request.POST.get("level", ""),
            raise_quota=bool(request.POST.get("raise_quota")),
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Level of the organisation saved; compute the period again to apply it to its head."))
    return redirect("evaluations:period", pk=period.pk)


@login_required
def criteria(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every version of the criteria sets; Home Affairs creates a new version (a copy of the current one, edited)
    and publishes it."""
    user = request.user
    can_edit = permissions.can_run(user, None)
    if user.role == "staff" and not can_edit:
        raise Http404
    error = None
    if request.method == "POST":
        try:
            created = services.criteria_set_create_version(
                regime=request.POST.get("regime", ""),
                actor=user,
                name=request.POST.get("name", ""),
                parameters={name: request.POST.get(name, "") for name in services.EDITABLE_PARAMETERS},
            )
        except DomainError as exception:
            error = exception
        else:
            messages.success(request, _("Version %(version)s created; publish it when it is final.") % {"version": created.version})
            return redirect("evaluations:criteria")
    sets = selectors.criteria_sets(viewer=user)
    current: dict[str, CriteriaSet] = {}
    for item in sets:
        current.setdefault(item.regime, item)
    return render(
        request,
        "evaluations/criteria.html",
        {
            "sets": sets,
            "can_edit": can_edit,
            "regimes": RegimeChoice.choices,
            "current": [
                (
                    regime,
                    label,
                    current.get(regime),
                    _parameter_fields(current.get(regime), request.POST if error and request.POST.get("regime") == regime else None),
                )
                for regime, label in RegimeChoice.choices
            ],
            "error": error,
        },
        status=error.http_status if error else 200,
    )


def _parameter_fields(criteria_set: CriteriaSet | None, posted: Any) -> list[tuple[str, str, Any, float, float, float]]:
    """(name, label, value, min, max, step) of each editable parameter, prefilled with the set's values."""
    values = asdict(criteria_set.scoring_parameters()) if criteria_set is not None else {}
    return [
        (name, parameter_label(name), (posted or {}).get(name, values.get(name, "")), low, high, step)
        for name, (low, high, step) in services.EDITABLE_PARAMETERS.items()
    ]


@login_required
@require_POST
def criteria_publish(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    user = request.user
    criteria_set = CriteriaSet.objects.filter(pk=pk).first()
    if criteria_set is None or not permissions.can_run(user, None):
        raise Http404
    try:
        services.criteria_set_publish(criteria_set=criteria_set, actor=user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Criteria published: %(name)s.") % {"name": criteria_set})
    return redirect("evaluations:criteria")
