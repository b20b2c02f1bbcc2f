"""May this actor do this now — and if not, which rule says no. Check-only services: nothing is written.

Views ask them which buttons to show (edit, publish, accept, approve or refuse a swap, withdraw it); the write
services ask them again under the row lock, so the page and the action can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from telework.accounts.models import User
from telework.core.exceptions import DomainError, InvalidTransition, NotPermitted
from telework.rosters import selectors
from telework.rosters.models import ROSTER_WORKFLOW, SWAP_WORKFLOW, Roster, SwapRequest, SwapStatus

ROSTER_ACTIONS = ("edit", "publish")


@dataclass(frozen=True)
class Verdict:
    """The answer of a check: allowed, or the refusal (a domain error naming the rule)."""

    refusal: DomainError | None = None

    @property
    def is_allowed(self) -> bool:
        return self.refusal is None

    @property
    def rule(self) -> str:
        """The rule that says no (empty when allowed)."""
        return self.refusal.rule if self.refusal is not None else ""

    def raise_if_refused(self) -> None:
        """For the write services: raise the refusal, if any."""
        if self.refusal is not None:
            raise self.refusal


def _verdict(check: Callable[[], None]) -> Verdict:
    try:
        check()
    except DomainError as refusal:
        return Verdict(refusal)
    return Verdict()


def require_current(roster: Roster) -> None:
    """Only the current version of a week is changed; older versions stay as they were."""
    if not roster.is_current:
        raise InvalidTransition(_("This is an older version of the roster; open the current one to change it."), rule="roster.is_current")


def roster_check(*, roster: Roster, actor: User, action: str) -> Verdict:
    """May ``actor`` ``edit`` a cell of ``roster`` or ``publish`` it now: a head of its unit (``roster.edit`` /
    ``roster.publish``), on the current version (``roster.is_current``), and for publishing, a draft
    (``roster.status``, the declared ``ROSTER_WORKFLOW``)."""
    if action not in ROSTER_ACTIONS:
        raise ValueError(f"Unknown roster action {action!r}")

    def check() -> None:
        if not selectors.can_manage_unit(actor, roster.unit):
            raise NotPermitted(rule=f"roster.{action}")
        require_current(roster)
        if action == "publish":
            ROSTER_WORKFLOW.target(roster, "publish")

    return _verdict(check)


def _is_staff_user(actor: User, user_id: int | None) -> bool:
    return user_id is not None and getattr(actor, "pk", None) == user_id


def swap_check(*, swap: SwapRequest, actor: User, action: str, manages_unit: bool | None = None) -> Verdict:
    """May ``actor`` ``accept`` (the colleague), ``approve`` (a head of the unit), ``reject`` (a head, or the colleague
    before accepting) or ``withdraw`` (the requester) ``swap`` now, by the declared ``SWAP_WORKFLOW``.

    ``manages_unit`` is whether ``actor`` manages the swap's unit, when a list already knows it (None: asked here).
    Approval also re-validates the exchange against the roster's rules; that is the approval's own work, not this
    check's."""
    if action not in SWAP_WORKFLOW.moves:
        raise ValueError(f"Unknown swap action {action!r}")

    def manages() -> bool:
        return manages_unit if manages_unit is not None else selectors.can_manage_unit(actor, swap.roster.unit)

    def check() -> None:
        if action == "accept" and not _is_staff_user(actor, swap.counterpart.user_id):
            raise NotPermitted(rule="swap.counterpart")
        if action == "approve" and not manages():
            raise NotPermitted(rule="swap.approve")
        if action == "reject" and not (manages() or (_is_staff_user(actor, swap.counterpart.user_id) and swap.status == SwapStatus.REQUESTED)):
            raise NotPermitted(rule="swap.reject")
        if action == "withdraw" and not _is_staff_user(actor, swap.requester.user_id):
            raise NotPermitted(rule="swap.requester")
        SWAP_WORKFLOW.target(swap, action)

    return _verdict(check)
