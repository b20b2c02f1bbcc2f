"""The regime a unit's days are planned under, as the screens and exports say it (issue 14 pt 3): the pilot (staff
request home days, at most a share at home) or distancing (the unit assigns home days, at most a share — and the
usable seats — on site), and each day's on-site count against the presence cap."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext as _

from telework.core.ui import day_label
from telework.organization.models import Staff, Unit
from telework.policy.labels import format_share
from telework.policy.models import SwitchKind
from telework.policy.parameters import PolicyParameters, presence_needed
from telework.policy.selectors import PolicyResolver
from telework.registrations.models import RegistrationDay, RegistrationStatus
from telework.rosters.models import EntryStatus, Roster, RosterEntry


@dataclass(frozen=True)
class Regime:
    """What caps a unit's presence on one day: the policy's share and headcount caps and the unit's usable seats."""

    home_days_assigned: bool
    max_onsite_share: float | None
    max_onsite_headcount: int | None
    office_seats: int | None
    needed_on_site: int
    active_switches: tuple[str, ...]

    @property
    def is_distancing(self) -> bool:
        return self.home_days_assigned

    @property
    def has_cap(self) -> bool:
        return self.max_onsite_share is not None or self.max_onsite_headcount is not None or self.office_seats is not None

    def cap(self, present: int) -> int | None:
        """At most this many of the ``present`` people on site (None: no cap): the share of those present rounded down,
        the headcount and the seats, whichever is lowest (``parameters.max_onsite_share``)."""
        limits = []
        if self.max_onsite_share is not None:
            limits.append(math.floor(self.max_onsite_share * present + 1e-9))
        if self.max_onsite_headcount is not None:
            limits.append(self.max_onsite_headcount)
        if self.office_seats is not None:
            limits.append(self.office_seats)
        return min(limits) if limits else None

    @property
    def name(self) -> str:
        if self.is_distancing:
            return _("Distancing regime: home days assigned by the unit")
        return _("Pilot: home days requested by staff")

    def summary(self) -> str:
        """ "At most 30 % on site · 12 usable seats · desks, duty posts and a leader need 3" in words."""
        parts = []
        if self.max_onsite_share is not None:
            parts.append(_("at most %(share)s of those present on site") % {"share": format_share(self.max_onsite_share)})
        if self.max_onsite_headcount is not None:
            parts.append(_("at most %(count)s people on site") % {"count": self.max_onsite_headcount})
        if self.office_seats is not None:
            parts.append(_("%(count)s usable office seats") % {"count": self.office_seats})
        if self.has_cap and self.needed_on_site:
            parts.append(_("desks, duty posts and leaders need at least %(count)s on site") % {"count": self.needed_on_site})
        return " · ".join(parts)


def regime_for(unit: Unit, day: dt.date, *, resolver: PolicyResolver | None = None) -> Regime:
    """The regime in force for ``unit`` on ``day`` (the policy resolved now, with the switches on now)."""
    resolved = (resolver or PolicyResolver()).resolve(unit, day)
    return _regime(resolved.parameters, unit, resolved.active_switches)


def regimes_for(units: Iterable[Unit], day: dt.date) -> dict[int, Regime]:
    """``regime_for`` for many units from one read of the policy tables."""
    resolver = PolicyResolver()
    return {unit.pk: regime_for(unit, day, resolver=resolver) for unit in units}


def _regime(parameters: PolicyParameters, unit: Unit, switches: tuple[str, ...]) -> Regime:
    return Regime(
        home_days_assigned=parameters.home_days_assigned,
        max_onsite_share=parameters.max_onsite_share,
        max_onsite_headcount=parameters.max_onsite_headcount,
        office_seats=unit.office_seats,
        needed_on_site=presence_needed(parameters.as_dict()),
        active_switches=tuple(str(SwitchKind(kind).label) if kind in SwitchKind.values else kind for kind in switches),
    )


@dataclass(frozen=True)
class RequestConflict:
    """A home day a staff member asked for (approved, or still waiting) on which the roster puts them on site."""

    staff: Staff
    day: dt.date
    is_approved: bool
    registration_id: int

    def sentence(self) -> str:
        values = {"name": self.staff.full_name, "day": day_label(self.day)}
        if self.is_approved:
            return _("%(name)s has an approved home day on %(day)s but is assigned on site.") % values
        return _("%(name)s requested a home day on %(day)s (awaiting approval) but is assigned on site.") % values


def registration_conflicts(roster: Roster) -> list[RequestConflict]:
    """Home days asked for in the roster's week that the roster does not follow: shown to the head, never silently
    overridden. Under distancing the unit assigns the days, so every earlier request on an on-site day shows up here;
    in the pilot, an approved day the solver had to give up (a desk to staff, the share at home). Two queries."""
    on_site = {
        (staff_id, day)
        for staff_id, day in RosterEntry.objects.filter(roster=roster, status__in=[EntryStatus.OFFICE, EntryStatus.DESK]).values_list("staff_id", "day")
    }
    if not on_site:
        return []
    asked = (
        RegistrationDay.objects.filter(
            unit_id=roster.unit_id,
            day__gte=roster.week_start,
            day__lte=roster.week_start + dt.timedelta(days=4),
            staff_id__in={staff for staff, _day in on_site},
        )
        .filter(Q(is_counted=True) | Q(registration__status__in=[RegistrationStatus.SUBMITTED, RegistrationStatus.CHANGES_REQUESTED]))
        .select_related("staff")
        .order_by("day", "staff__full_name")
    )
    return [
        RequestConflict(staff=item.staff, day=item.day, is_approved=item.is_counted, registration_id=item.registration_id)
        for item in asked
        if (item.staff_id, item.day) in on_site
    ]
