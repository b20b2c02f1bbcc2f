"""The phase's stored estimates (/assessment/phases/<id>/estimates/), the review report and the yearly report.

Who: the readers of the pilot design (Home Affairs, city leadership, administrators) — anyone else 403, and a phase
id they may not see 404. Computing is a POST that queues a background run (``estimates.estimates_request``); the
page polls a small status fragment with htmx while a run is pending and reloads when it is done. Every code (an
indicator, an estimator, an arm) is shown in words.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from telework.accounts.types import AuthenticatedHttpRequest
from telework.assessment import estimates, reports, selectors
from telework.assessment.estimation import EstimationResult
from telework.assessment.models import Estimate, EstimateStatus
from telework.assessment.verdict import p_value, signed
from telework.core import clock
from telework.core.db import reporting_view
from telework.core.exceptions import DomainError, NotFound
from telework.organization.models import Agency
from telework.outcomes.indicators import INDICATORS
from telework.policy.models import PilotPhase

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PENDING = (EstimateStatus.QUEUED, EstimateStatus.RUNNING)
POLL_SECONDS = 3
FIRST_REPORT_YEAR = 2020


def _rows(items: list[Estimate]) -> list[dict[str, Any]]:
    """Estimates as the page lists them: the indicator's name, the status in words."""
    return [
        {
            "estimate": estimate,
            "name": INDICATORS[estimate.indicator].name if estimate.indicator in INDICATORS else "—",
            "status": estimate.get_status_display(),
        }
        for estimate in items
    ]


def _phase(request: AuthenticatedHttpRequest, pk: int) -> PilotPhase:
    if not selectors.can_read_designs(request.user):
        raise PermissionDenied
    try:
        return selectors.phase_get(viewer=request.user, phase_id=pk)
    except NotFound as missing:
        raise Http404 from missing


def _interval(code: str, result: EstimationResult) -> str:
    indicator = INDICATORS[code]
    if result.ci95 is None:
        return "—"
    return _("from %(low)s to %(high)s") % {"low": signed(indicator, result.ci95[0]), "high": signed(indicator, result.ci95[1])}


def _group_label(dimension: str, group: str, agencies: dict[int, str]) -> str:
    if dimension == "agency":
        return agencies.get(int(group), "—") if group.isdigit() else "—"
    return str(selectors.FUNCTION_LABELS.get(group, group))


def _card(estimate: Estimate, latest: dict[str, Estimate], agencies: dict[int, str]) -> dict[str, Any]:
    indicator = INDICATORS[estimate.indicator]
    result = estimates.result_of(estimate)
    verdict = estimates.verdict_of(estimate, latest=latest)
    check = result.cross_check
    return {
        "estimate": estimate,
        "indicator": indicator,
        "verdict": verdict,
        "effect": signed(indicator, result.effect) if result.effect is not None else "—",
        "interval": _interval(estimate.indicator, result),
        "p": p_value(result.p) if result.p is not None else "—",
        "pretrend_p": p_value(result.pretrend_p) if result.pretrend_p is not None else "—",
        "ri_p": p_value(result.ri_p) if result.ri_p is not None else "—",
        "wild_p": p_value(result.wild_bootstrap_p) if result.wild_bootstrap_p is not None else "—",
        "estimator": reports.estimator_words(result.estimator),
        "cross_check": {
            "estimator": reports.estimator_words(check.estimator),
            "effect": signed(indicator, check.effect) if check.effect is not None else "—",
            "interval": _interval(estimate.indicator, check),
        }
        if check is not None
        else None,
        "result": result,
        "event_study": [
            {"period": row.period, "estimate": signed(indicator, row.estimate), "low": signed(indicator, row.ci_low), "high": signed(indicator, row.ci_high)}
            for row in result.event_study
        ],
        "heterogeneity": [
            {
                "dimension": _("Agency") if row.dimension == "agency" else _("Kind of work"),
                "group": _group_label(row.dimension, row.group, agencies),
                "effect": signed(indicator, row.effect),
                "low": signed(indicator, row.ci95[0]),
                "high": signed(indicator, row.ci95[1]),
                "units": row.n_units,
                "pilots": row.n_pilot,
            }
            for row in result.heterogeneity
        ],
    }


@login_required
def phase_estimates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the latest estimate of each indicator with its verdict; POST: compute the estimates (queued)."""
    phase = _phase(request, pk)
    may_request = estimates.can_request_estimates(request.user)
    if request.method == "POST":
        if not may_request:
            raise PermissionDenied
        try:
            queued = estimates.estimates_request(actor=request.user, phase=phase)
            messages.success(request, _("%(count)s estimates are being computed in the background.") % {"count": len(queued)})
        except DomainError as refused:
            messages.error(request, str(refused.message))
        return redirect("assessment:phase_estimates", pk=phase.pk)
    if request.method != "GET":
        return HttpResponse(status=405)
    design = selectors.design_of(phase)
    latest = estimates.latest_estimates(phase)
    order = estimates.design_indicators(design) if design is not None else []
    codes = [code for code in order if code in latest] + sorted(code for code in latest if code not in order and code in INDICATORS)
    agencies = dict(Agency.objects.values_list("pk", "name"))
    history = estimates.phase_estimates(phase)
    context = {
        "phase": phase,
        "design": design,
        "cards": [_card(latest[code], latest, agencies) for code in codes],
        "missing": [INDICATORS[code] for code in order if code not in latest],
        "pending": _rows([estimate for estimate in history if estimate.status in PENDING]),
        "failed": _rows([estimate for estimate in history[:20] if estimate.status == EstimateStatus.FAILED]),
        "history": _rows(history[:30]),
        "may_request": may_request,
        "launched": estimates.launched_design(phase) is not None,
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "assessment/phase_estimates.html", context)


@login_required
@require_GET
def phase_estimates_status(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The pending runs (htmx polls it); once none is pending it asks htmx to reload the page."""
    phase = _phase(request, pk)
    pending = list(Estimate.objects.filter(phase=phase, status__in=PENDING).defer("inputs", "result"))
    response = render(
        request,
        "assessment/_estimates_status.html",
        {"phase": phase, "pending": _rows(pending), "poll_seconds": POLL_SECONDS},
    )
    if not pending:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_GET
def estimate_inputs(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The exact inputs of a done estimate (CSV, UTF-8), so anyone can re-run it with the stored seed."""
    if not selectors.can_read_designs(request.user):
        raise PermissionDenied
    estimate = Estimate.objects.filter(pk=pk, status=EstimateStatus.DONE).select_related("phase").first()
    if estimate is None:
        raise Http404
    _phase(request, estimate.phase_id)
    response = HttpResponse(estimates.inputs_of(estimate), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="uoc-luong-{estimate.pk}-{estimate.inputs_digest[:12]}.csv"'
    return response


def _download(report: reports.Report, file_format: str) -> HttpResponse:
    if file_format == "pdf":
        response = HttpResponse(reports.report_pdf(report), content_type="application/pdf")
    else:
        response = HttpResponse(reports.report_xlsx(report), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{report.filename_stem}.{file_format}"'
    return response


@login_required
@require_GET
@reporting_view
def review_report(request: AuthenticatedHttpRequest, pk: int, file_format: str) -> HttpResponse:
    """The review report (sơ kết) of the phase, PDF or Excel, from the stored figures."""
    phase = _phase(request, pk)
    return _download(reports.in_vietnamese(reports.review_report, phase), file_format)


@login_required
@require_GET
@reporting_view
def yearly_report(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The yearly telework report: a small form (year, city or agency) and its PDF and Excel."""
    if not selectors.can_read_designs(request.user):
        raise PermissionDenied
    this_year = clock.today().year
    try:
        year = int(request.GET.get("year") or this_year)
    except ValueError:
        year = this_year
    year = min(max(year, FIRST_REPORT_YEAR), this_year)
    agencies = list(Agency.objects.order_by("name"))
    agency = next((item for item in agencies if str(item.pk) == request.GET.get("agency")), None)
    file_format = request.GET.get("format")
    if file_format in ("pdf", "xlsx"):
        return _download(reports.in_vietnamese(reports.yearly_report, year=year, agency=agency), file_format)
    report = reports.in_vietnamese(reports.yearly_report, year=year, agency=agency)
    return render(
        request,
        "assessment/yearly_report.html",
        {"report": report, "year": year, "years": list(range(this_year, FIRST_REPORT_YEAR - 1, -1)), "agencies": agencies, "agency": agency},
    )
