"""A small throttle for the public survey page: at most so many tries from one address in a window. The address is
kept only as a keyed digest that changes every day, and tries are forgotten after a day."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from telework.core import clock
from telework.core.exceptions import RuleViolation
from telework.surveys.models import SurveyAttempt

# A ward office's shared Wi-Fi serves many people, so the limit is generous; a script filling the form is not.
THROTTLE_ATTEMPTS = 20
THROTTLE_WINDOW = dt.timedelta(minutes=10)
ATTEMPT_RETENTION = dt.timedelta(days=1)


def address_digest(address: str, *, now: dt.datetime) -> str:
    day = now.date().isoformat()
    return hmac.new(settings.SECRET_KEY.encode(), f"survey-address:{day}:{address}".encode(), hashlib.sha256).hexdigest()


def check_and_count(address: str) -> None:
    """Count this try, or refuse it in words when the address has tried too often in the window."""
    moment = clock.now()
    digest = address_digest(address, now=moment)
    recent = SurveyAttempt.objects.filter(address_digest=digest, at__gte=moment - THROTTLE_WINDOW).count()
    minutes = int(THROTTLE_WINDOW.total_seconds() // 60)
    if recent >= THROTTLE_ATTEMPTS:
        raise RuleViolation(
            _("Too many answers from this connection. Please try again in %(minutes)d minutes.") % {"minutes": minutes},
            rule="survey_throttle",
            params={"attempts": THROTTLE_ATTEMPTS, "minutes": minutes},
        )
    SurveyAttempt.objects.create(address_digest=digest, at=moment)
    # Forgetting here rather than in a periodic job: the table only ever holds a day of tries.
    SurveyAttempt.objects.filter(at__lt=moment - ATTEMPT_RETENTION).delete()
