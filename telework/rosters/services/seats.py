"""A unit's usable office seats (issue 14 pt 1): the room's capacity under distancing, which caps presence whatever the
regime. Set by the unit's heads on the roster page (and by administrators in the Django admin)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import NotPermitted, ValidationFailed
from telework.organization.models import Unit
from telework.policy.parameters import presence_needed
from telework.policy.selectors import policy_for_unit
from telework.rosters import selectors

MAX_OFFICE_SEATS = 1000


def unit_office_seats_check(*, unit: Unit, seats: int | None) -> None:
    """Refuse a number of seats out of bounds (1 to 1000; None = no limit), or fewer than the desks, duty posts and
    leader rule of the policy in force today need on site (rule ``office_seats``): such a room could never be staffed."""
    if seats is None:
        return
    if seats < 1 or seats > MAX_OFFICE_SEATS:
        raise ValidationFailed(_("Give between 1 and %(maximum)s seats, or leave it empty for no limit.") % {"maximum": MAX_OFFICE_SEATS}, rule="office_seats")
    needed = presence_needed(policy_for_unit(unit, clock.today()).parameters.as_dict())
    if seats < needed:
        raise ValidationFailed(
            _("%(seats)s seats are fewer than desks, duty posts and leaders need on site each day (%(needed)s): the room could never be staffed.")
            % {"seats": seats, "needed": needed},
            rule="office_seats",
            params={"seats": seats, "needed": needed},
        )


@transaction.atomic
def unit_office_seats_set(*, actor: User, unit: Unit, seats: int | None) -> Unit:
    """Set the seats usable in ``unit``'s office (a head of the unit); audited. The next roster generated respects them."""
    if not selectors.can_manage_unit(actor, unit):
        raise NotPermitted(rule="roster.edit")
    unit_office_seats_check(unit=unit, seats=seats)
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = {"office_seats": unit.office_seats}
    if unit.office_seats == seats:
        return unit
    unit.office_seats = seats
    unit.save(update_fields=["office_seats"])
    audit_record(actor=actor, action="unit.office_seats", target=unit, before=before, after={"office_seats": seats}, agency_id=unit.agency_id)
    return unit
