"""Check-only services answer "may this actor do this now, and which rule says no" without writing anything; the write
services ask them again under the lock. Services queue their follow-ups by name and never import a task."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from telework.core.exceptions import NotPermitted, ValidationFailed
from telework.core.models import AuditEvent
from telework.rosters.models import Roster, RosterStatus, SwapRequest, SwapStatus
from telework.rosters.services import (
    follow_ups,
    roster_cell_check,
    roster_check,
    roster_generate,
    roster_publish,
    swap_accept,
    swap_approve,
    swap_check,
    swap_request,
    swap_request_check,
)
from telework.rosters.tests.test_services import swap_week, week  # noqa: F401 - fixtures

ROSTERS = Path(__file__).resolve().parents[1]


def test_roster_check_lets_a_head_publish_the_current_draft_and_names_the_rule_that_refuses_the_others(city, week):  # noqa: F811
    first = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    draft = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    first.refresh_from_db()
    audit_rows = AuditEvent.objects.count()

    assert roster_check(roster=draft, actor=city.head_user, action="publish").is_allowed
    assert roster_check(roster=draft, actor=city.head_user, action="edit").is_allowed
    assert roster_check(roster=draft, actor=city.staff[0].user, action="publish").rule == "roster.publish"
    assert roster_check(roster=draft, actor=city.staff[0].user, action="edit").rule == "roster.edit"
    assert roster_check(roster=first, actor=city.head_user, action="publish").rule == "roster.is_current"
    # Asking wrote nothing.
    assert Roster.objects.get(pk=draft.pk).status == RosterStatus.DRAFT
    assert AuditEvent.objects.count() == audit_rows

    roster_publish(roster=draft, actor=city.head_user)
    draft.refresh_from_db()
    refusal = roster_check(roster=draft, actor=city.head_user, action="publish")
    assert (refusal.is_allowed, refusal.rule, str(refusal.refusal)) == (False, "roster.status", "Lịch này đã được công bố.")
    assert roster_check(roster=draft, actor=city.head_user, action="edit").is_allowed


def test_publishing_records_who_published_and_the_status_before_and_after(city, week):  # noqa: F811
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)

    roster_publish(roster=roster, actor=city.head_user)

    roster.refresh_from_db()
    assert (roster.status, roster.published_by, roster.published_at is not None) == (RosterStatus.PUBLISHED, city.head_user, True)
    event = AuditEvent.objects.get(action="roster.publish", object_id=str(roster.pk))
    assert (event.before, event.after) == ({"status": "draft", "version": 1}, {"status": "published", "version": 1})


def test_the_cell_check_refuses_whoever_may_not_edit_and_changes_nothing(city, week):  # noqa: F811
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    entry = roster.entries.get(staff=city.staff[7], day=week)

    with pytest.raises(NotPermitted) as refused:
        roster_cell_check(roster=roster, staff=city.staff[7], day=week, status="home", actor=city.staff[0].user)

    assert refused.value.rule == "roster.edit"
    entry.refresh_from_db()
    assert (entry.status, entry.is_manual) == ("office", False)


def test_swap_check_answers_each_person_for_each_move_by_the_declared_table(city, swap_week):  # noqa: F811
    roster, first, second, monday, tuesday = swap_week
    swap = swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=tuesday, actor=first.user)
    outsider = city.staff[2].user

    def rules(actor):  # type: ignore[no-untyped-def]
        return {action: swap_check(swap=swap, actor=actor, action=action).rule for action in ("accept", "approve", "reject", "withdraw")}

    assert rules(second.user) == {"accept": "", "approve": "swap.approve", "reject": "", "withdraw": "swap.requester"}
    assert rules(first.user) == {"accept": "swap.counterpart", "approve": "swap.approve", "reject": "swap.reject", "withdraw": ""}
    assert rules(city.head_user) == {"accept": "swap.counterpart", "approve": "swap.status", "reject": "", "withdraw": "swap.requester"}
    assert rules(outsider) == {"accept": "swap.counterpart", "approve": "swap.approve", "reject": "swap.reject", "withdraw": "swap.requester"}
    assert SwapRequest.objects.get(pk=swap.pk).status == SwapStatus.REQUESTED

    swap_accept(swap=swap, actor=second.user)
    swap.refresh_from_db()
    # Once accepted, the colleague can no longer decline; the head decides.
    assert rules(second.user) == {"accept": "swap.status", "approve": "swap.approve", "reject": "swap.reject", "withdraw": "swap.requester"}
    assert rules(city.head_user) == {"accept": "swap.counterpart", "approve": "", "reject": "", "withdraw": "swap.requester"}


def test_the_swap_preview_answers_without_asking_anybody(city, swap_week):  # noqa: F811
    roster, first, second, monday, tuesday = swap_week
    roster.refresh_from_db()
    audit_rows = AuditEvent.objects.count()

    outcome = swap_request_check(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=tuesday, actor=first.user)
    with pytest.raises(ValidationFailed) as refused:
        swap_request_check(roster=roster, requester=first, counterpart=first, requester_day=monday, counterpart_day=tuesday, actor=first.user)

    assert (outcome.warnings, outcome.moves) == ([], [])
    assert refused.value.rule == "counterpart"
    assert SwapRequest.objects.count() == 0
    assert AuditEvent.objects.count() == audit_rows


def test_an_approved_swap_is_audited_with_the_cells_before_and_after_and_who_decided(city, swap_week):  # noqa: F811
    roster, first, second, monday, tuesday = swap_week
    swap = swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=tuesday, actor=first.user)
    swap_accept(swap=swap, actor=second.user)

    swap_approve(swap=swap, actor=city.head_user, comment=" Đồng ý ")

    swap.refresh_from_db()
    assert (swap.status, swap.decided_by, swap.decision_comment, swap.decided_at is not None) == (SwapStatus.APPROVED, city.head_user, "Đồng ý", True)
    event = AuditEvent.objects.get(action="swap.approve", object_id=str(swap.pk))
    assert event.reason == "Đồng ý"
    assert (event.before["status"], event.after["status"]) == ("accepted", "approved")
    assert event.before["cells"] == [
        {"staff": first.pk, "day": monday.isoformat(), "status": "home"},
        {"staff": second.pk, "day": monday.isoformat(), "status": "office"},
        {"staff": first.pk, "day": tuesday.isoformat(), "status": "office"},
        {"staff": second.pk, "day": tuesday.isoformat(), "status": "home"},
    ]
    assert event.after["cells"] == [
        {"staff": first.pk, "day": monday.isoformat(), "status": "office"},
        {"staff": second.pk, "day": monday.isoformat(), "status": "home"},
        {"staff": first.pk, "day": tuesday.isoformat(), "status": "home"},
        {"staff": second.pk, "day": tuesday.isoformat(), "status": "office"},
    ]
    # Both were approved for both days: no approval had to move.
    assert event.after["home_days_moved"] == []
    assert "home_days_moved" not in event.before


def test_a_follow_up_no_task_carries_out_is_refused_inside_the_transaction():
    with pytest.raises(LookupError):
        follow_ups.deferred("no_such_follow_up", 1)


def _imports(path: Path) -> tuple[set[str], list[int]]:
    """The modules ``path`` imports, and the lines of imports made inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules: set[str] = set()
    local: list[int] = []
    functions = [node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)]
    inside = {id(inner) for function in functions for inner in ast.walk(function) if inner is not function}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            if isinstance(node, ast.ImportFrom) and node.module:
                modules.add(node.module)
                modules.update(f"{node.module}.{alias.name}" for alias in node.names)
            else:
                modules.update(alias.name for alias in node.names)
            if id(node) in inside:
                local.append(node.lineno)
    return modules, local


def test_no_roster_service_imports_a_task():
    for path in sorted((ROSTERS / "services").glob("*.py")):
        modules, _local = _imports(path)
        assert "telework.rosters.tasks" not in modules, path.name


def test_no_function_local_imports_are_left_in_rosters():
    # Allowed: an app's ``ready`` (models are not loaded before it) and WeasyPrint, loaded only when a PDF is asked for.
    allowed = {"apps.py", "exports.py"}
    offenders = {}
    for path in sorted(ROSTERS.rglob("*.py")):
        relative = path.relative_to(ROSTERS)
        if relative.parts[0] in ("tests", "migrations") or path.name in allowed:
            continue
        _modules, local = _imports(path)
        if local:
            offenders[str(relative)] = local
    assert offenders == {}
