"""Work a roster service leaves for after its commit (tell people, carry a run on), named here and done by tasks.

Services sit below tasks: ``rosters.tasks`` imports the services and registers here the task that carries out each
follow-up (``RostersConfig.ready`` imports it), so no service imports a task and a task never waits on a service
module being half-imported. Arguments are JSON-serialisable, as Celery needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction

ROSTER_PUBLISHED = "roster_published"
CELL_CHANGED = "cell_changed"
SWAP_CHANGED = "swap_changed"
LEAVE_REQUEST_CHANGED = "leave_request_changed"
HEADS_REGENERATED = "heads_regenerated"
RUN_STARTED = "run_started"
UNITS_CHUNK = "units_chunk"

_performers: dict[str, Callable[..., Any]] = {}


def register(name: str, perform: Callable[..., Any]) -> None:
    """Declare what carries out follow-up ``name`` (a task's ``delay``)."""
    _performers[name] = perform


def deferred(name: str, *args: Any) -> Callable[[], None]:
    """Follow-up ``name`` with ``args``, ready to run (for ``transaction.on_commit`` or ``workflow.Change.notify``).
    An unregistered name fails here, inside the transaction, rather than silently after the commit."""
    if name not in _performers:
        raise LookupError(f"No task carries out the roster follow-up {name!r}; is telework.rosters.tasks imported?")
    perform = _performers[name]

    def run() -> None:
        perform(*args)

    return run


def after_commit(name: str, *args: Any) -> None:
    """Queue follow-up ``name`` with ``args`` for when the current transaction commits."""
    transaction.on_commit(deferred(name, *args))
