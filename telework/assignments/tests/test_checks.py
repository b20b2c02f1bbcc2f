"""The work-item check: the same answer the write gives (who makes the move, which state allows it), nothing written;
and the buttons a page offers are exactly the moves the check allows."""

from __future__ import annotations

import pytest

from telework.assignments import services
from telework.assignments.models import WORK_ITEM_FLOW, WorkItem, WorkStatus
from telework.assignments.tests.helpers import assign
from telework.core import clock
from telework.core.exceptions import DomainError, InvalidTransition, NotPermitted
from telework.core.models import AuditEvent

pytestmark = pytest.mark.django_db

MOVES = ["start", "progress", "submit", "accept", "return", "cancel", "accept_proposal", "decline_proposal"]


def write(action, item, actor):
    """The write service behind each move, with input that passes its own validation."""
    return {
        "start": lambda: services.work_item_start(item=item, actor=actor),
        "progress": lambda: services.progress_record(item=item, actor=actor, progress_percent=item.progress_percent + 10),
        "submit": lambda: services.work_item_submit(item=item, actor=actor),
        "accept": lambda: services.work_item_accept(item=item, actor=actor, rating=4),
        "return": lambda: services.work_item_return(item=item, actor=actor, reason="Thiếu số liệu"),
        "cancel": lambda: services.work_item_cancel(item=item, actor=actor, reason="Không còn cần"),
        "accept_proposal": lambda: services.work_item_accept_proposal(item=item, actor=actor),
        "decline_proposal": lambda: services.work_item_decline_proposal(item=item, actor=actor, reason="Chưa cần"),
    }[action]()


def refusal_of(call):
    try:
        call()
    except DomainError as refusal:
        return refusal
    return None


@pytest.mark.parametrize("status", WorkStatus.values)
@pytest.mark.parametrize("who", ["assignee", "head", "colleague"])
def test_the_check_answers_what_the_write_would_and_writes_nothing(city, status, who):
    actor = {"assignee": city.staff[0].user, "head": city.head_user, "colleague": city.staff[1].user}[who]
    for action in MOVES:
        item = assign(city)
        WorkItem.objects.filter(pk=item.pk).update(status=status)
        item.refresh_from_db()
        events = AuditEvent.objects.count()
        checked = services.work_item_check(item=item, actor=actor, action=action)
        assert AuditEvent.objects.count() == events
        item.refresh_from_db()
        assert item.status == status
        written = refusal_of(lambda: write(action, item, actor))  # noqa: B023 - called at once
        if checked.is_allowed:
            assert written is None, (action, status, who, written)
        else:
            assert written is not None, (action, status, who)
            assert (type(written), written.rule, written.params, str(written.message)) == (
                type(checked.refusal),
                checked.refusal.rule,
                checked.refusal.params,
                str(checked.refusal.message),
            )


def test_a_colleague_is_told_who_makes_the_move_before_the_state(city):
    item = assign(city)
    WorkItem.objects.filter(pk=item.pk).update(status=WorkStatus.ACCEPTED)
    item.refresh_from_db()
    checked = services.work_item_check(item=item, actor=city.staff[1].user, action="accept")
    assert isinstance(checked.refusal, NotPermitted)
    late = services.work_item_check(item=item, actor=city.head_user, action="accept")
    assert isinstance(late.refusal, InvalidTransition)
    assert (late.refusal.rule, late.refusal.params) == ("work_item.status", {"status": "accepted", "action": "accept"})


@pytest.mark.parametrize("status", WorkStatus.values)
def test_the_buttons_offered_are_the_moves_the_check_allows(city, status):
    item = assign(city)
    WorkItem.objects.filter(pk=item.pk).update(status=status)
    item.refresh_from_db()
    for actor in (city.staff[0].user, city.head_user, city.staff[1].user):
        offered = services.work_item_actions(item=item, actor=actor)
        for action in MOVES:
            assert offered[action] == services.work_item_check(item=item, actor=actor, action=action).is_allowed, (action, status)
    assert set(WORK_ITEM_FLOW.moves) | {"progress"} == set(MOVES)


def test_the_review_check_names_who_reviews_and_that_a_report_is_reviewed_once(city):
    report = services.progress_report_submit(actor=city.staff[0].user, period="daily", day=clock.today())
    events = AuditEvent.objects.count()
    assert services.progress_report_review_check(report=report, actor=city.head_user).is_allowed
    colleague = services.progress_report_review_check(report=report, actor=city.staff[1].user)
    assert isinstance(colleague.refusal, NotPermitted)
    assert AuditEvent.objects.count() == events
    report.refresh_from_db()
    assert (report.status, report.reviewed_by) == ("submitted", None)
    services.progress_report_review(report=report, actor=city.head_user, comment="Đạt yêu cầu")
    report.refresh_from_db()
    assert (report.status, report.reviewed_by, report.review_comment) == ("reviewed", city.head_user, "Đạt yêu cầu")
    again = services.progress_report_review_check(report=report, actor=city.head_user)
    assert isinstance(again.refusal, InvalidTransition)
    assert (again.refusal.rule, again.refusal.params) == ("progress_report.status", {"status": "reviewed", "action": "review"})
    with pytest.raises(InvalidTransition) as refused:
        services.progress_report_review(report=report, actor=city.head_user, comment="Lần hai")
    assert str(refused.value.message) == str(again.refusal.message)
