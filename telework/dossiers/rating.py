"""Ratings collected by telework itself: the code printed on a dossier's slip, the public page's submission, and the
throttle that keeps bursts and guessing away. The page never shows who handled the dossier."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from telework.core import clock
from telework.core.exceptions import NotFound, RuleViolation, ValidationFailed
from telework.dossiers import indicators, screening
from telework.dossiers.models import DeskCard, Dossier, DossierStatus, Rating, RatingAttempt, RatingSource

SLIP_CODE_LENGTH = 8
# At most this many tries from one address in THROTTLE_WINDOW (a desk's shared Wi-Fi serves many citizens).
THROTTLE_ATTEMPTS = 20
THROTTLE_WINDOW = dt.timedelta(minutes=10)
ATTEMPT_RETENTION = dt.timedelta(days=1)
# Ratings are taken from the result (or the apology letter) until this many days after it.
RATING_WINDOW_DAYS = 60
_ALPHABET_FIX = str.maketrans({"0": "8", "1": "9", "O": "X", "I": "Y"})


def slip_code(dossier_code: str) -> str:
    """The short code printed on the dossier's result and apology slips: a keyed digest of the dossier code, so
    nothing needs storing and nobody can make one up. Eight characters without 0/O or 1/I."""
    digest = hmac.new(settings.SECRET_KEY.encode(), f"rating:{dossier_code}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:SLIP_CODE_LENGTH].translate(_ALPHABET_FIX)


def normalise_slip_code(text: str) -> str:
    return "".join(character for character in (text or "").upper() if character.isalnum()).translate(_ALPHABET_FIX)[: SLIP_CODE_LENGTH + 4]


def address_digest(address: str, *, now: dt.datetime | None = None) -> str:
    day = (now or clock.now()).date().isoformat()
    return hmac.new(settings.SECRET_KEY.encode(), f"address:{day}:{address}".encode(), hashlib.sha256).hexdigest()


def check_throttle(address: str, *, now: dt.datetime | None = None) -> None:
    """Refuse a burst: too many tries from one address in the window (right or wrong codes alike)."""
    moment = now or clock.now()
    recent = RatingAttempt.objects.filter(address_digest=address_digest(address, now=moment), at__gte=moment - THROTTLE_WINDOW).count()
    if recent >= THROTTLE_ATTEMPTS:
        raise RuleViolation(
            _("Too many attempts from this connection. Please try again in %(minutes)d minutes.") % {"minutes": THROTTLE_WINDOW.seconds // 60},
            rule="rating_throttle",
            params={"attempts": THROTTLE_ATTEMPTS, "minutes": THROTTLE_WINDOW.seconds // 60},
        )


def record_attempt(address: str, *, succeeded: bool, now: dt.datetime | None = None) -> None:
    moment = now or clock.now()
    RatingAttempt.objects.create(address_digest=address_digest(address, now=moment), at=moment, succeeded=succeeded)


def purge_attempts(*, now: dt.datetime | None = None) -> int:
    """Forget tries older than a day (the scheduler runs this daily)."""
    deleted, _details = RatingAttempt.objects.filter(at__lt=(now or clock.now()) - ATTEMPT_RETENTION).delete()
    return deleted


def active_card(token: str) -> DeskCard:
    card = DeskCard.objects.select_related("service_point").filter(token=token, retired_at__isnull=True).first()
    if card is None:
        raise NotFound(_("This rating card is no longer in use. Please ask the desk for a new one."))
    return card


def find_dossier(*, dossier_code: str, code: str) -> Dossier:
    """The dossier a citizen may rate with the slip code; one explanation for every wrong pair, so the page does not
    tell which dossier codes exist."""
    dossier_code = (dossier_code or "").strip()[:64]
    dossier = Dossier.objects.filter(code=dossier_code).first()
    if dossier is None or not hmac.compare_digest(normalise_slip_code(code), slip_code(dossier.code)):
        raise NotFound(_("The dossier code and the code on your slip do not match. Please check both and try again."))
    return dossier


def rating_submit(*, dossier_code: str, code: str, level: str, scores: Sequence[int | None], comment: str = "", now: dt.datetime | None = None) -> Rating:
    """Record a citizen's rating of a dossier, once. The comment is screened for personal data before it is stored."""
    moment = now or clock.now()
    dossier = find_dossier(dossier_code=dossier_code, code=code)
    try:
        level = indicators.check_level(level)
        checked = indicators.check_scores(scores)
    except indicators.InvalidRating as error:
        raise ValidationFailed(_(str(error))) from error
    if dossier.status in (DossierStatus.WITHDRAWN,):
        raise RuleViolation(_("This dossier was withdrawn; there is nothing to rate."), rule="rating_withdrawn")
    if dossier.returned_at is not None and moment - dossier.returned_at > dt.timedelta(days=RATING_WINDOW_DAYS):
        raise RuleViolation(
            _("Ratings are taken within %(days)d days of the result.") % {"days": RATING_WINDOW_DAYS},
            rule="rating_window",
            params={"days": RATING_WINDOW_DAYS},
        )
    try:
        with transaction.atomic():
            return Rating.objects.create(
                dossier=dossier,
                source=RatingSource.QR,
                level=level,
                scores=list(checked),
                comment=screening.screen_comment(comment).text,
                submitted_at=moment,
            )
    except IntegrityError as error:
        raise RuleViolation(_("This dossier has already been rated. Thank you."), rule="rating_once") from error
