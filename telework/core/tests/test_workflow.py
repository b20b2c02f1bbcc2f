"""The one workflow: a declared table, a refused move that changes nothing, and a performed move that stamps, saves,
audits and notifies after the commit."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core import clock
from telework.core.exceptions import InvalidTransition
from telework.core.models import AuditEvent
from telework.core.workflow import Change, Workflow, perform
from telework.demo.testing import next_monday
from telework.registrations.models import Registration, RegistrationStatus

FLOW = Workflow.declare(
    {
        "approve": ([RegistrationStatus.SUBMITTED], RegistrationStatus.APPROVED),
        "revoke": ([RegistrationStatus.APPROVED], RegistrationStatus.REVOKED),
        "withdraw": ([RegistrationStatus.SUBMITTED, RegistrationStatus.CHANGES_REQUESTED], RegistrationStatus.WITHDRAWN),
    },
    rule="registration.status",
)


def registration(city, status=RegistrationStatus.SUBMITTED):
    monday = next_monday()
    return Registration.objects.create(staff=city.staff[0], unit=city.unit, starts_on=monday, ends_on=monday + dt.timedelta(days=4), status=status)


def snapshot(item):
    return {"status": item.status}


def test_the_table_answers_which_actions_a_state_allows():
    assert FLOW.actions_from(RegistrationStatus.SUBMITTED) == ["approve", "withdraw"]
    assert FLOW.allows(RegistrationStatus.APPROVED, "revoke")
    assert not FLOW.allows(RegistrationStatus.APPROVED, "approve")
    assert not FLOW.allows(RegistrationStatus.APPROVED, "no_such_action")
    assert FLOW.as_table()["revoke"] == (frozenset({"approved"}), "revoked")


@pytest.mark.django_db
def test_a_performed_move_stamps_saves_audits_and_notifies_after_the_commit(city, django_capture_on_commit_callbacks):
    item = registration(city)
    notified = []
    with django_capture_on_commit_callbacks(execute=False) as queued:
        perform(
            item,
            workflow=FLOW,
            action="approve",
            actor=city.head_user,
            change=Change(
                audit_action="registration.approve",
                snapshot=snapshot,
                fields={"approved_at": clock.now()},
                reason="Đồng ý",
                agency_id=city.agency.pk,
                notify=lambda: notified.append(item.pk),
            ),
        )
    assert notified == []  # nothing is sent before the commit
    for callback in queued:
        callback()
    assert notified == [item.pk]
    item.refresh_from_db()
    assert (item.status, item.decided_by, item.decision_comment) == (RegistrationStatus.APPROVED, city.head_user, "Đồng ý")
    assert abs(item.decided_at - item.approved_at) < dt.timedelta(seconds=1)
    event = AuditEvent.objects.get(action="registration.approve")
    assert (event.before, event.after, event.reason, event.agency_id) == ({"status": "submitted"}, {"status": "approved"}, "Đồng ý", city.agency.pk)


@pytest.mark.django_db
def test_an_undeclared_move_is_refused_with_the_state_in_words_and_changes_nothing(city):
    item = registration(city, status=RegistrationStatus.REVOKED)
    with pytest.raises(InvalidTransition) as refusal:
        perform(item, workflow=FLOW, action="approve", actor=city.head_user, change=Change(audit_action="registration.approve", snapshot=snapshot))
    assert refusal.value.rule == "registration.status"
    assert refusal.value.params == {"status": "revoked", "action": "approve"}
    assert "Đã thu hồi" in str(refusal.value.message) or "Revoked" in str(refusal.value.message)
    item.refresh_from_db()
    assert item.status == RegistrationStatus.REVOKED
    assert item.decided_by is None
    assert not AuditEvent.objects.exists()
