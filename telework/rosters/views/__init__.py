"""Pages for rosters: a unit's week (read, generate, edit cell by cell, publish, export), swaps between colleagues,
today's list, approved leave and unit events, and the city-wide generation with its progress.

Views gather input, call a selector or a service and render; no rule lives here. A refusal from a service
(``DomainError``) is rendered with the rule it names (``core/rule_violation.html``), and nothing has changed.
HTMX requests always get 200, so that the refusal is swapped into the page where the head is looking.
"""

from telework.rosters.views.city import city, run, run_progress
from telework.rosters.views.facts import event_cancel, events, leave, leave_cancel
from telework.rosters.views.leave_requests import leave_mine, leave_request_act
from telework.rosters.views.swaps import swap_act, swap_new, swaps
from telework.rosters.views.today import today
from telework.rosters.views.week import cell, export, generate, publish, seats, version, week

__all__ = [
    "cell",
    "city",
    "event_cancel",
    "events",
    "export",
    "generate",
    "leave",
    "leave_cancel",
    "leave_mine",
    "leave_request_act",
    "publish",
    "run",
    "run_progress",
    "seats",
    "swap_act",
    "swap_new",
    "swaps",
    "today",
    "version",
    "week",
]
