"""Caps hold under concurrent approvals (issue 2, item 5): real threads, one PostgreSQL connection each.

``registration_approve`` locks the unit row (``select_for_update``) before it re-counts the approved home days, so
approvals in one unit queue behind each other and the last slots go to exactly as many requests as there are
slots. Every loser gets a ``RuleViolation`` naming the rule and is left exactly as it was. The partial unique index
on counted days backs up the per-person rule ("one approved home day per person per date").
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection

from telework.accounts.models import User
from telework.core.exceptions import DomainError, InvalidTransition, RuleViolation
from telework.core.models import AuditEvent
from telework.demo.testing import build_city, next_monday
from telework.registrations import services
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

EQUIPMENT = ["computer", "internet", "phone", "printer"]
RACERS = 22


@dataclass
class Outcome:
    registration_id: int
    backend_pid: int = 0  # the PostgreSQL server process serving this thread's connection
    approved: bool = False
    refusal: DomainError | None = None
    crash: BaseException | None = None


def race(jobs: list[tuple[int, Callable[[], Any]]]) -> list[Outcome]:
    """Run every job in its own thread, all released at once by a barrier; each thread uses (and closes) its own
    database connection, as concurrent web requests would."""
    barrier = threading.Barrier(len(jobs))
    outcomes = [Outcome(registration_id) for registration_id, _job in jobs]

    def run(outcome: Outcome, job: Callable[[], Any]) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                outcome.backend_pid = cursor.fetchone()[0]
            barrier.wait(timeout=30)
            job()
            outcome.approved = True
        except DomainError as refusal:
            outcome.refusal = refusal
        except BaseException as crash:  # a deadlock or a lock timeout would land here and fail the test
            outcome.crash = crash
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(outcome, job)) for outcome, (_id, job) in zip(outcomes, jobs, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    assert [(outcome.registration_id, outcome.crash) for outcome in outcomes if outcome.crash] == []
    assert len({outcome.backend_pid for outcome in outcomes}) == len(jobs)
    return outcomes


def approval_job(registration_id: int, approver_id: int) -> Callable[[], Any]:
    """Approve one registration from a thread: the rows are read through that thread's own connection."""

    def job() -> Any:
        registration = Registration.objects.get(pk=registration_id)
        approver = User.objects.get(pk=approver_id)
        return services.registration_approve(registration=registration, actor=approver, comment="Đồng ý")

    return job


def submit(staff, *, starts_on: dt.date, ends_on: dt.date, **kwargs) -> Registration:
    return services.registration_submit(
        staff=staff, actor=staff.user, starts_on=starts_on, ends_on=ends_on, equipment_attested=EQUIPMENT, commitment_accepted=True, **kwargs
    )


def snapshot(registration_ids: list[int]) -> dict[int, tuple]:
    rows = Registration.objects.filter(pk__in=registration_ids).values_list("pk", "status", "decided_by_id", "decided_at", "approved_at", "decision_comment")
    return {row[0]: row[1:] for row in rows}


def counted_home_days(**filters) -> int:
    return RegistrationDay.objects.filter(is_counted=True, **filters).count()


def approval_audit_ids() -> set[str]:
    return set(AuditEvent.objects.filter(action="registration.approve").values_list("object_id", flat=True))


@pytest.mark.parametrize(
    ("policy_overrides", "limit", "already_approved", "binding_rule"),
    [
        # HCMC pilot: at most 30 % at home and at least 70 % on site; of 30 staff, 9 may be at home.
        pytest.param({}, 9, 4, "max_home_share", id="max_home_share"),
        # At most 50 % at home but at least 80 % on site: the on-site share binds; of 30 staff, 6 may be at home.
        pytest.param({"max_home_share": 0.5, "min_onsite_share": 0.8}, 6, 2, "min_onsite_share", id="min_onsite_share"),
    ],
)
def test_concurrent_approvals_fill_exactly_the_last_slots_of_a_unit_day(policy_overrides, limit, already_approved, binding_rule):
    city = build_city(unit_size=30, policy_overrides=policy_overrides)
    monday = next_monday()
    headcount = 30
    assert city.unit.staff.filter(is_active=True).count() == headcount
    earlier = [submit(member, starts_on=monday, ends_on=monday, weekdays=[0]) for member in city.staff[:already_approved]]
    for registration in earlier:
        services.registration_approve(registration=registration, actor=city.head_user)
    remaining = limit - already_approved
    contenders = [submit(member, starts_on=monday, ends_on=monday, weekdays=[0]) for member in city.staff[already_approved : already_approved + RACERS]]
    contender_ids = [registration.pk for registration in contenders]
    assert len(contender_ids) == RACERS >= 20
    before = snapshot(contender_ids)
    audited_before = approval_audit_ids()
    assert counted_home_days(unit=city.unit, day=monday) == already_approved

    outcomes = race([(registration_id, approval_job(registration_id, city.head_user.pk)) for registration_id in contender_ids])

    winners = [outcome.registration_id for outcome in outcomes if outcome.approved]
    losers = [outcome for outcome in outcomes if not outcome.approved]
    assert len(winners) == remaining
    assert counted_home_days(unit=city.unit, day=monday) == limit
    assert set(Registration.objects.filter(pk__in=contender_ids, status=RegistrationStatus.APPROVED).values_list("pk", flat=True)) == set(winners)
    for loser in losers:
        assert isinstance(loser.refusal, RuleViolation)
        assert loser.refusal.rule == binding_rule
        assert loser.refusal.details[0]["rule"] == binding_rule
        assert loser.refusal.details[0]["date"] == monday.isoformat()
        assert {key: loser.refusal.details[0]["params"][key] for key in ("home", "headcount", "limit")} == {
            "home": limit + 1,
            "headcount": headcount,
            "limit": limit,
        }
    loser_ids = [loser.registration_id for loser in losers]
    assert snapshot(loser_ids) == {registration_id: before[registration_id] for registration_id in loser_ids}
    assert counted_home_days(registration_id__in=loser_ids) == 0
    assert approval_audit_ids() - audited_before == {str(registration_id) for registration_id in winners}


def test_the_same_person_racing_two_overlapping_registrations_gets_one_approved():
    city = build_city(unit_size=10)
    monday = next_monday()
    member = city.staff[0]
    # Both requests were valid when submitted (nothing approved yet) and both cover Monday.
    weekly = submit(member, starts_on=monday, ends_on=monday + dt.timedelta(days=4), weekdays=[0])
    dated = submit(member, starts_on=monday, ends_on=monday + dt.timedelta(days=4), mode="dates", dates=[monday, monday + dt.timedelta(days=1)])
    ids = [weekly.pk, dated.pk]
    before = snapshot(ids)

    outcomes = race([(registration_id, approval_job(registration_id, city.head_user.pk)) for registration_id in ids])

    [winner] = [outcome for outcome in outcomes if outcome.approved]
    [loser] = [outcome for outcome in outcomes if not outcome.approved]
    assert isinstance(loser.refusal, RuleViolation)
    assert loser.refusal.rule == "registration_overlap"
    assert loser.refusal.details[0]["date"] == monday.isoformat()
    assert counted_home_days(staff=member, day=monday) == 1
    assert counted_home_days(registration_id=loser.registration_id) == 0
    assert snapshot([loser.registration_id]) == {loser.registration_id: before[loser.registration_id]}
    assert Registration.objects.get(pk=winner.registration_id).status == RegistrationStatus.APPROVED
    assert approval_audit_ids() == {str(winner.registration_id)}


def test_one_registration_approved_by_many_threads_at_once_is_approved_once():
    # A head double-clicking, or the head and the agency head deciding at the same moment.
    city = build_city(unit_size=10)
    registration = submit(city.staff[0], starts_on=next_monday(), ends_on=next_monday(), weekdays=[0])
    outcomes = race([(registration.pk, approval_job(registration.pk, city.head_user.pk)) for _ in range(RACERS)])

    assert sum(outcome.approved for outcome in outcomes) == 1
    refusals = [outcome.refusal for outcome in outcomes if not outcome.approved]
    assert len(refusals) == RACERS - 1
    assert all(isinstance(refusal, InvalidTransition) and refusal.rule == "registration.status" for refusal in refusals)
    assert counted_home_days(registration=registration) == 1
    assert AuditEvent.objects.filter(action="registration.approve", object_id=str(registration.pk)).count() == 1
