"""The workflow's additions for the apps: a check answers with a Verdict (the refusal, or what it computed), and a move's
writes in other rows run before its audit row, whose after-snapshot carries them and any extra figures."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core import clock
from telework.core.exceptions import RuleViolation
from telework.core.models import AuditEvent
from telework.core.workflow import Change, Verdict, Workflow, perform, verdict
from telework.demo.testing import next_monday
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus

FLOW = Workflow.declare({"approve": ([RegistrationStatus.SUBMITTED], RegistrationStatus.APPROVED)}, rule="registration.status")


def test_a_check_that_passes_is_allowed_with_what_it_computed():
    answer = verdict(lambda: [1, 2])
    assert (answer.is_allowed, bool(answer), answer.refusal, answer.value) == (True, True, None, [1, 2])
    answer.raise_if_refused()  # nothing to raise


def test_a_check_that_refuses_carries_the_rule_and_raises_it_on_demand():
    def refuse() -> None:
        raise RuleViolation("full", rule="unit_max_home_share")

    answer = verdict(refuse)
    assert (answer.is_allowed, bool(answer), answer.value) == (False, False, None)
    assert isinstance(answer.refusal, RuleViolation)
    with pytest.raises(RuleViolation) as raised:
        answer.raise_if_refused()
    assert raised.value.rule == "unit_max_home_share"
    assert Verdict().is_allowed


@pytest.mark.django_db
def test_writes_in_other_rows_run_before_the_audit_row_and_extra_figures_join_the_after_snapshot(city):
    monday = next_monday()
    item = Registration.objects.create(staff=city.staff[0], unit=city.unit, starts_on=monday, ends_on=monday + dt.timedelta(days=4))
    RegistrationDay.objects.create(registration=item, staff=city.staff[0], unit=city.unit, day=monday)
    moment = clock.now() - dt.timedelta(minutes=5)

    def snapshot(registration):
        return {"status": registration.status, "counted": registration.days.filter(is_counted=True).count()}

    perform(
        item,
        workflow=FLOW,
        action="approve",
        actor=city.head_user,
        change=Change(
            audit_action="registration.approve",
            snapshot=snapshot,
            fields={"approved_at": moment, "decided_at": moment},
            then=lambda: item.days.update(is_counted=True),
            audit_extra={"notice_days": 30},
        ),
    )
    event = AuditEvent.objects.get(action="registration.approve")
    assert (event.before, event.after) == ({"status": "submitted", "counted": 0}, {"status": "approved", "counted": 1, "notice_days": 30})
    item.refresh_from_db()
    # A stamp time the caller gives is kept: one moment for the approval and the decision.
    assert item.decided_at == item.approved_at == moment
