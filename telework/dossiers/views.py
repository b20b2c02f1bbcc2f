"""The public, login-free rating page a desk's QR code or a slip's QR code opens. It works on a cheap phone (no
script needed), refuses bursts and unknown codes in words, and never shows who handled the dossier."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from telework.core.exceptions import DomainError
from telework.dossiers import rating
from telework.dossiers.forms import RatingForm
from telework.dossiers.models import DeskCard


def _address(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _page(request: HttpRequest, form: RatingForm, card: DeskCard | None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    context = {"form": form, "card": card, "error": error}
    return render(request, "dossiers/rate.html", context, status=status)


@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str | None = None) -> HttpResponse:
    card = None
    if token is not None:
        try:
            card = rating.active_card(token)
        except DomainError as error:
            return _page(request, RatingForm(), None, error, status=404)
    if request.method == "GET":
        initial = {"dossier_code": request.GET.get("d", "")[:64], "code": request.GET.get("c", "")[:16]}
        return _page(request, RatingForm(initial=initial), card)
    form = RatingForm(request.POST)
    address = _address(request)
    try:
        rating.check_throttle(address)
    except DomainError as error:
        return _page(request, form, card, error, status=429)
    if not form.is_valid():
        rating.record_attempt(address, succeeded=False)
        return _page(request, form, card, status=400)
    try:
        rating.rating_submit(
            dossier_code=form.cleaned_data["dossier_code"],
            code=form.cleaned_data["code"],
            level=form.cleaned_data["level"],
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
        )
    except DomainError as error:
        rating.record_attempt(address, succeeded=False)
        return _page(request, form, card, error, status=error.http_status)
    rating.record_attempt(address, succeeded=True)
    return render(request, "dossiers/rate_thanks.html", {"card": card})
