"""``/assessment/``: the pilot dashboard (city → agency → unit) and its Excel file, with the same query string:
``agency``, ``unit``, ``indicator``, ``from``, ``to`` (YYYY-MM-DD), ``phase``. Staff without a unit in their scope get
403; an agency or unit outside the viewer's scope answers 404."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from telework.accounts.models import User
from telework.accounts.types import AuthenticatedHttpRequest
from telework.assessment import dashboard as reads
from telework.assessment import dashboard_exports, selectors
from telework.assessment.models import Arm
from telework.core.db import reporting_view
from telework.core.exceptions import NotFound
from telework.outcomes import indicators
from telework.outcomes.indicators import INDICATORS, Indicator
from telework.outcomes.selectors import display
from telework.policy.models import PilotPhase


def _build(request: AuthenticatedHttpRequest) -> reads.Dashboard:
    if not reads.may_read(request.user):
        raise PermissionDenied
    try:
        return reads.build(request.user, request.GET)
    except NotFound as missing:
        raise Http404 from missing


@login_required
@require_GET
@reporting_view
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    board = _build(request)
    return render(request, "assessment/dashboard.html", dashboard_context(board, request.user))


def dashboard_context(board: reads.Dashboard, viewer: User) -> dict[str, object]:
    """What the dashboard's block shows, values in words and the charts' data for ``json_script`` (the home page of
    city leadership renders the same block)."""
    indicator = board.indicator
    phase = board.phase
    return {
        "board": board,
        "indicator_choices": [(code, item.name) for code, item in INDICATORS.items()],
        "pilot_units": board.arm_counts.get(str(Arm.PILOT), 0),
        "comparison_units": board.arm_counts.get(str(Arm.COMPARISON), 0),
        "phase_reviewed": bool(getattr(phase, "has_review", False)),
        "can_read_designs": selectors.can_read_designs(viewer),
        "can_review": selectors.can_review(viewer),
        "breakdown_rows": [
            {"label": row.label, "url": row.url, "arm": row.arm, "before": display(indicator, row.before.value), "since": display(indicator, row.since.value)}
            for row in board.breakdown
        ],
        "participation_rows": [
            {
                "week": row.week,
                "people": _count(row.people),
                "at_home": _count(row.at_home),
                "share": display(INDICATORS[reads.PARTICIPATION[0]], row.share),
                "one_day": _count(row.one_day),
                "two_days": _count(row.two_days),
                "three_plus": _count(row.three_plus),
            }
            for row in board.participation
        ],
        "trend_chart": board.trend.chart(board.markers),
        "satisfaction_chart": board.satisfaction.chart(board.markers),
        "participation_chart": board.participation_chart(),
        "event_study_chart": board.event_study_chart(),
        "event_study_rows": [
            {
                "period": _period_words(row.period),
                "short": f"{row.period:+d}" if row.period else "0",
                "estimate": _effect(indicator, row.estimate),
                "low": _effect(indicator, row.ci_low),
                "high": _effect(indicator, row.ci_high),
            }
            for row in board.event_study
        ],
        "event_study_unit": board.event_study_chart().get("unit", ""),
        "verdict": board.verdict,
        "verdict_paragraphs": [text for text in board.verdict.paragraphs() if text != board.verdict.headline] if board.verdict else [],
        "estimates_url": _estimates_url(phase),
    }


def _effect(indicator: Indicator, value: float) -> str:
    """A signed effect in the table's unit (percentage points for a share): "+3,1", "−0,4"."""
    scaled = value * 100 if indicator.unit == indicators.SHARE else value
    decimals = 1 if indicator.unit in (indicators.SHARE, indicators.DAYS) else 2
    return ("−" if scaled < 0 else "+") + number_format(round(abs(scaled), decimals), decimal_pos=decimals)


def _period_words(period: int) -> str:
    if period < 0:
        return ngettext("%(count)s four-week period before the start", "%(count)s four-week periods before the start", -period) % {"count": -period}
    return _("Four-week period %(number)s from the start") % {"number": period + 1}


def _estimates_url(phase: PilotPhase | None) -> str:
    """The phase's estimates page, when the app has one."""
    if phase is None:
        return ""
    try:
        return reverse("assessment:phase_estimates", args=[phase.pk])
    except NoReverseMatch:
        return ""


def _count(value: float | None) -> str:
    return "—" if value is None else number_format(round(value), decimal_pos=0)


@login_required
@require_GET
@reporting_view
def dashboard_excel(request: AuthenticatedHttpRequest) -> HttpResponse:
    board = _build(request)
    response = HttpResponse(dashboard_exports.dashboard_xlsx(board), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{dashboard_exports.filename(board)}"'
    return response
