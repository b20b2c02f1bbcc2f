"""The one way a stateful object changes state: a declared transition table and ``perform``.

Registrations, work items, rosters, swaps, evaluation periods and appeals each declare their moves once, as a
``Workflow`` ("action → states it may start from, state it leads to"). A service that changes state locks the row
(``select_for_update``, under the lock that owns any cap), checks its rules, then calls ``perform``: it checks the
move against the table, stamps who decided, when and why, saves only the changed fields, writes the audit row in the
same transaction and queues the notification for after the commit. Views ask ``Workflow.allows`` which buttons to
show; they never restate a table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from telework.core import clock
from telework.core.audit import audit_record
from telework.core.exceptions import DomainError, InvalidTransition


@dataclass(frozen=True)
class Move:
    """One declared action: the states it may start from and the state it leads to."""

    sources: frozenset[str]
    target: str


@dataclass(frozen=True)
class Workflow:
    """A model's declared transitions. ``rule`` names the refusal (``registration.status``); ``noun`` is what a
    person calls the object in the refusal ("This registration is “Approved”; it cannot be changed that way.")."""

    moves: Mapping[str, Move]
    rule: str
    refusal: Any = _("It is “%(status)s”; it cannot be changed that way.")
    state_field: str = "status"

    @classmethod
    def declare(cls, table: Mapping[str, tuple[Iterable[str], str]], *, rule: str, refusal: Any = None, state_field: str = "status") -> Workflow:
        """A workflow from a plain table ``{action: (sources, target)}``."""
        moves = {action: Move(frozenset(str(source) for source in sources), str(target)) for action, (sources, target) in table.items()}
        if refusal is None:
            return cls(moves=moves, rule=rule, state_field=state_field)
        return cls(moves=moves, rule=rule, refusal=refusal, state_field=state_field)

    def as_table(self) -> dict[str, tuple[frozenset[str], str]]:
        """The table as ``{action: (sources, target)}`` (the shape services and tests read)."""
        return {action: (move.sources, move.target) for action, move in self.moves.items()}

    def allows(self, state: str, action: str) -> bool:
        """Whether ``action`` may start from ``state``."""
        move = self.moves.get(action)
        return move is not None and state in move.sources

    def actions_from(self, state: str) -> list[str]:
        """Every action that may start from ``state``, in declaration order (the buttons a page may offer)."""
        return [action for action, move in self.moves.items() if state in move.sources]

    def target(self, instance: models.Model, action: str) -> str:
        """The state ``action`` leads ``instance`` to; ``InvalidTransition`` naming the current state otherwise."""
        state = str(getattr(instance, self.state_field))
        if not self.allows(state, action):
            display = getattr(instance, f"get_{self.state_field}_display", None)
            raise InvalidTransition(
                str(self.refusal) % {"status": display() if callable(display) else state},
                rule=self.rule,
                params={"status": state, "action": action},
            )
        return self.moves[action].target


@dataclass(frozen=True)
class Stamp:
    """Who decided, when and why: written into the fields the model declares (``Decided`` declares the usual
    three; a model with other names lists them)."""

    by: str = "decided_by"
    at: str = "decided_at"
    comment: str | None = "decision_comment"


DECIDED = Stamp()


@dataclass
class Change:
    """What ``perform`` writes besides the state: extra field values, the audit row's action and snapshots."""

    audit_action: str
    snapshot: Callable[[Any], dict[str, Any]]
    fields: dict[str, Any] = field(default_factory=dict)
    reason: str = ""
    agency_id: int | None = None
    stamp: Stamp | None = DECIDED
    notify: Callable[[], None] | None = None
    # Writes that belong to the move but live in other rows (days that start or stop counting, alerts resolved):
    # run after the save and before the audit row, so its after-snapshot shows them.
    then: Callable[[], None] | None = None
    # Figures the after-snapshot adds that are not fields of the object (the notice applied, rows computed).
    audit_extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    """A check-only service's answer: may this actor do this now, and if not, the refusal (the same ``DomainError``
    the write service would raise, naming the rule). ``value`` carries what the check computed (the days a
    registration covers), so a preview shows it without a write."""

    refusal: DomainError | None = None
    value: Any = None

    @property
    def is_allowed(self) -> bool:
        return self.refusal is None

    def __bool__(self) -> bool:
        return self.is_allowed

    def raise_if_refused(self) -> None:
        """Raise the refusal (the write services call their check first, under the lock)."""
        if self.refusal is not None:
            raise self.refusal


def verdict(check: Callable[[], Any]) -> Verdict:
    """Run ``check`` (which raises a ``DomainError`` to refuse and writes nothing) and answer with a ``Verdict``."""
    try:
        value = check()
    except DomainError as refusal:
        return Verdict(refusal=refusal)
    return Verdict(value=value)


def perform(instance: models.Model, *, workflow: Workflow, action: str, actor: AbstractUser | AnonymousUser | None, change: Change) -> models.Model:
    """Move ``instance`` by ``action`` (the caller holds its row lock and has checked its rules).

    Checks the move against the declared table, sets the new state, stamps who/when/why, saves only the changed
    fields, writes the audit row with the before and after snapshots in the same transaction, and queues the
    notification for after the commit. Raises ``InvalidTransition`` (nothing changed) when the move is not declared
    from the current state."""
    target = workflow.target(instance, action)
    before = change.snapshot(instance)
    values: dict[str, Any] = {workflow.state_field: target, **change.fields}
    if change.stamp is not None:
        values[change.stamp.by] = actor if actor is not None and actor.is_authenticated else None
        # A time the caller gives (``approved_at`` and ``decided_at`` as one moment) is kept.
        values.setdefault(change.stamp.at, clock.now())
        if change.stamp.comment is not None:
            values[change.stamp.comment] = change.reason
    for name, value in values.items():
        setattr(instance, name, value)
    update_fields = list(values)
    if any(getattr(model_field, "auto_now", False) and model_field.name == "updated_at" for model_field in instance._meta.concrete_fields):
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    if change.then is not None:
        change.then()
    audit_record(
        actor=actor,
        action=change.audit_action,
        target=instance,
        before=before,
        after={**change.snapshot(instance), **change.audit_extra},
        reason=change.reason,
        agency_id=change.agency_id,
    )
    if change.notify is not None:
        transaction.on_commit(change.notify)
    return instance
