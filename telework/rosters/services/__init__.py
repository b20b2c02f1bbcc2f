"""Roster actions: generate (one unit, or many at once), edit a cell, publish, swap days, record leave and unit events.

One decision, one service, one transaction: each checks who acts, validates against the rules, changes state,
writes the audit row and queues its follow-ups on commit. The rules are the pure engine's: the solver makes the
roster, the independent checker (``telework.rosters.engine.checker``) judges every hand edit and swap against the
facts of the day, so a head can never publish a roster that breaks city policy by a click.

One module per seam — ``generation`` (one unit), ``runs`` (many units, the switch re-solve), ``editing`` (cells),
``publication``, ``swaps``, ``facts`` (leave and unit events), ``leave_requests`` (leave asked for by staff, decided by the head), ``checks`` (may this actor do this now) and
``follow_ups`` (what tasks do after the commit) — and the public names here, so callers write
``services.roster_publish(...)``.
"""

from __future__ import annotations

from telework.rosters.services.checks import Verdict, roster_check, swap_check
from telework.rosters.services.editing import CellCheck, roster_cell_check, roster_edit_cell
from telework.rosters.services.facts import leave_cancel, leave_record, unit_event_cancel, unit_event_save
from telework.rosters.services.generation import default_workers, roster_generate, summarise
from telework.rosters.services.leave_requests import (
    leave_request_approve,
    leave_request_check,
    leave_request_reject,
    leave_request_submit,
    leave_request_submit_check,
    leave_request_withdraw,
)
from telework.rosters.services.publication import roster_publish
from telework.rosters.services.runs import (
    ProgressCallback,
    generate_units_chunk,
    roster_run_execute,
    roster_run_start,
    roster_runs_requeue_stalled,
    rosters_generate_many,
    rosters_regenerate_after_switch,
    weeks_resolved_after_switch,
)
from telework.rosters.services.swaps import swap_accept, swap_approve, swap_reject, swap_request, swap_request_check, swap_withdraw

__all__ = [
    "CellCheck",
    "ProgressCallback",
    "Verdict",
    "default_workers",
    "generate_units_chunk",
    "leave_cancel",
    "leave_record",
    "leave_request_approve",
    "leave_request_check",
    "leave_request_reject",
    "leave_request_submit",
    "leave_request_submit_check",
    "leave_request_withdraw",
    "roster_cell_check",
    "roster_check",
    "roster_edit_cell",
    "roster_generate",
    "roster_publish",
    "roster_run_execute",
    "roster_run_start",
    "roster_runs_requeue_stalled",
    "rosters_generate_many",
    "rosters_regenerate_after_switch",
    "summarise",
    "swap_accept",
    "swap_approve",
    "swap_check",
    "swap_reject",
    "swap_request",
    "swap_request_check",
    "swap_withdraw",
    "unit_event_cancel",
    "unit_event_save",
    "weeks_resolved_after_switch",
]
