"""The desk screens for unit heads and HR: each one-stop desk with its rating card (issue, print) and the rating slips
for the dossiers returned there on a day."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock, web
from telework.core.exceptions import DomainError
from telework.dossiers import cards, permissions
from telework.dossiers.models import DeskCard, Dossier
from telework.organization.models import ServicePoint

MAX_SLIPS = 500


def _desk(request: HttpRequest, pk: int) -> ServicePoint:
    desk = permissions.visible_desks(request.user).filter(pk=pk).first()
    if desk is None:
        raise Http404
    return desk


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
@require_GET
def desk_list(request: HttpRequest) -> HttpResponse:
    desks = list(permissions.visible_desks(request.user).order_by("unit__agency__name", "name"))
    current = {card.service_point_id: card for card in DeskCard.objects.filter(service_point__in=desks, retired_at__isnull=True)}
    rows = [{"desk": desk, "card": current.get(desk.pk), "can_manage": permissions.can_manage_desk(request.user, desk)} for desk in desks]
    return render(request, "dossiers/desk_list.html", {"rows": rows, "today": clock.today()})


@login_required
@require_POST
def desk_card_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    desk = _desk(request, pk)
    try:
        cards.desk_card_issue(desk=desk, actor=request.user)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("A new rating card was issued for %(desk)s; the previous one no longer works.") % {"desk": desk.name})
    return redirect("dossiers:desks")


@login_required
@require_GET
def desk_card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    desk = _desk(request, pk)
    card = cards.current_card(desk)
    if card is None:
        raise Http404
    base = cards.public_base(request.build_absolute_uri("/"))
    return _pdf(cards.cards_pdf([card], base=base, language=request.LANGUAGE_CODE), f"the-danh-gia-{desk.code}.pdf")


@login_required
@require_GET
def desk_slips_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Rating slips for the dossiers the desk returned on ``?day=`` (today by default)."""
    desk = _desk(request, pk)
    day = web.iso_day(request.GET.get("day")) or clock.today()
    dossiers = list(
        Dossier.objects.filter(service_point=desk, returned_at__date=day).select_related("service_point", "unit").order_by("returned_at", "code")[:MAX_SLIPS]
    )
    if not dossiers:
        messages.info(request, _("No dossier was returned at %(desk)s on %(day)s.") % {"desk": desk.name, "day": day.strftime("%d/%m/%Y")})
        return redirect("dossiers:desks")
    base = cards.public_base(request.build_absolute_uri("/"))
    return _pdf(cards.slips_pdf(dossiers, base=base, language=request.LANGUAGE_CODE), f"phieu-danh-gia-{desk.code}-{day:%Y%m%d}.pdf")
