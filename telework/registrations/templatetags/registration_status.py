"""``{% shown_status registration as shown %}``: the state a person sees, "suspended" while the city-wide telework
suspension voids the registration's approved days. The suspension is read once per request."""

from __future__ import annotations

from django import template

from telework.registrations.models import Registration
from telework.registrations.selectors import request_suspension
from telework.registrations.selectors import shown_status as shown_status_of

register = template.Library()


@register.simple_tag(takes_context=True)
def shown_status(context: template.Context, registration: Registration) -> dict[str, str]:
    code, label = shown_status_of(registration, request_suspension(context.get("request")))
    return {"code": code, "label": label}
