"""The rating cards on one-stop desks and the rating slips handed out with results: issuing a card, and the printable
A6 PDFs whose QR codes open the public rating page (segno draws the codes; WeasyPrint lays out the page)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import NotPermitted
from telework.dossiers import permissions
from telework.dossiers.models import DeskCard, Dossier
from telework.dossiers.rating import slip_code
from telework.organization.models import ServicePoint


def public_base(fallback: str) -> str:
    """Where citizens' phones reach the rating page: ``TELEWORK_PUBLIC_URL`` or, unset, the address in use."""
    return (getattr(settings, "TELEWORK_PUBLIC_URL", "") or fallback).rstrip("/")


def card_url(card: DeskCard, base: str) -> str:
    return base + reverse("dossiers:rate_desk", args=[card.token])


def slip_url(dossier: Dossier, base: str) -> str:
    return base + reverse("dossiers:rate") + "?" + urlencode({"d": dossier.code, "c": slip_code(dossier.code)})


def qr_data_uri(url: str) -> str:
    return str(segno.make(url, error="m").svg_data_uri(scale=4, border=2))


def desk_card_issue(*, desk: ServicePoint, actor: User, now: dt.datetime | None = None) -> DeskCard:
    """Issue a new card for ``desk`` and retire the one before it (a lost or defaced card stops working)."""
    if not permissions.can_manage_desk(actor, desk):
        raise NotPermitted()
    moment = now or clock.now()
    with transaction.atomic():
        ServicePoint.objects.select_for_update().filter(pk=desk.pk).first()
        retired = DeskCard.objects.filter(service_point=desk, retired_at__isnull=True).update(retired_at=moment)
        card = DeskCard.objects.create(service_point=desk, token=secrets.token_urlsafe(12), issued_at=moment, issued_by=actor)
        audit_record(actor=actor, action="desk_card.issue", target=card, after={"service_point": desk.name, "retired": retired})
    return card


def current_card(desk: ServicePoint) -> DeskCard | None:
    return DeskCard.objects.filter(service_point=desk, retired_at__isnull=True).order_by("-issued_at").first()


@dataclass(frozen=True)
class Slip:
    dossier: Dossier
    code: str
    url: str
    qr: str


def cards_pdf(cards: Sequence[DeskCard], *, base: str, language: str = "vi") -> bytes:
    """One A6 page per card: the desk, the QR code, and how to rate in three steps."""
    from weasyprint import HTML

    items = [{"card": card, "url": card_url(card, base), "qr": qr_data_uri(card_url(card, base))} for card in cards]
    with translation.override(language):
        html = render_to_string("dossiers/print/cards.html", {"items": items})
    return HTML(string=html).write_pdf()  # type: ignore[no-any-return]


def slips_pdf(dossiers: Sequence[Dossier], *, base: str, language: str = "vi") -> bytes:
    """One A6 slip per dossier, to hand out with the result or the apology letter: the dossier code, the rating code
    and a QR code that fills both in."""
    from weasyprint import HTML

    return HTML(string=slips_html(dossiers, base=base, language=language)).write_pdf()  # type: ignore[no-any-return]


def slips_html(dossiers: Sequence[Dossier], *, base: str, language: str = "vi") -> str:
    slips = [Slip(dossier, slip_code(dossier.code), slip_url(dossier, base), qr_data_uri(slip_url(dossier, base))) for dossier in dossiers]
    with translation.override(language):
        return render_to_string("dossiers/print/slips.html", {"slips": slips})
