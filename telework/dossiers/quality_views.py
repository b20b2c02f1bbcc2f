"""Service-quality figures: per desk, unit, agency or the city, over a day, week or month; and per officer."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock, web
from telework.dossiers import indicators, selectors

PERIOD_LABELS = {
    selectors.DAY: pgettext_lazy("period", "Day"),
    selectors.WEEK: pgettext_lazy("period", "Week"),
    selectors.MONTH: pgettext_lazy("period", "Month"),
}
LEVEL_LABELS = {selectors.DESK: _("Desk"), selectors.UNIT: _("Unit"), selectors.AGENCY: _("Agency"), selectors.CITY: _("City")}


def _choice(raw: str, allowed: tuple[str, ...], default: str) -> str:
    return raw if raw in allowed else default


@login_required
@require_GET
def quality(request: AuthenticatedHttpRequest) -> HttpResponse:
    period = _choice(request.GET.get("period", ""), selectors.PERIODS, selectors.MONTH)
    level = _choice(request.GET.get("level", ""), selectors.LEVELS, selectors.UNIT)
    day = web.iso_day(request.GET.get("day")) or clock.today()
    start, end = selectors.period_bounds(period, day)
    context = {
        "period": period,
        "level": level,
        "day": day,
        "start": start,
        "end": end,
        "periods": PERIOD_LABELS.items(),
        "levels": LEVEL_LABELS.items(),
        "rows": selectors.quality_rows(request.user, level=level, period=period, day=day),
        "officers": selectors.officer_rows(request.user, period=period, day=day),
        "indicators": indicators.INDICATORS,
        "levels_satisfaction": [(level_key, indicators.LEVEL_LABELS[level_key]) for level_key in indicators.LEVELS],
    }
    return render(request, "dossiers/quality.html", context)
