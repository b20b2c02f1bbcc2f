"""A roster run fanned out to workers survives lost and repeated messages (issue 15, point 6): each unit is stored once
however many times its chunk is delivered or solved, the run's progress is counted from what was stored, and a run
that stalled because a message was lost is queued again by the sweep.

The chunks are the Celery tasks' bodies, called here as a worker would (the queued follow-ups are captured, not run,
so a test decides which messages arrive, how often, and which are lost). ``test_run_faults_redis`` does the same with
real worker processes killed with SIGKILL and a real Redis restarted.
"""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core.models import AuditEvent
from telework.demo.testing import next_monday
from telework.organization.tests.factories import UnitFactory
from telework.rosters import services
from telework.rosters.models import Roster, RosterRun, RosterRunUnit
from telework.rosters.services import runs
from telework.rosters.tests.test_services import approve_home_days

pytestmark = pytest.mark.django_db


@pytest.fixture
def fanned_out(city, monkeypatch, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """A city-wide run fanned out as with a broker, two units a chunk (here: one agency per chunk); returns the run and its queued chunks (the
    messages, not yet delivered) as ``(unit_ids, week_start)``."""
    monkeypatch.setattr(runs, "UNITS_PER_TASK", 2)
    monday = next_monday()
    approve_home_days(city.staff[0], [monday])
    run = RosterRun.objects.create(week_start=monday, iso_week="", started_by=city.home_affairs, reason="Cả thành phố")
    units = list(runs.Unit.objects.select_related("agency").order_by("pk"))
    with django_capture_on_commit_callbacks(execute=False) as queued:
        runs._fan_out(run, units, week_start=monday, actor=city.home_affairs, reason=run.reason, started=0.0)
    return run, queued


def deliver(run: RosterRun, unit_ids: list[int]) -> int:
    """A worker taking one chunk (``rosters.generate_units``)."""
    return services.generate_units_chunk(run=run, unit_ids=unit_ids, week_start=run.week_start, actor=run.started_by, reason=run.reason)


def chunks_of(run: RosterRun) -> list[list[int]]:
    return runs._chunks(RosterRunUnit.objects.filter(run=run).values_list("unit_id", "unit__agency_id"))


def rosters_per_unit(run: RosterRun) -> dict[int, int]:
    counts: dict[int, int] = {}
    for unit_id in Roster.objects.filter(run=run).values_list("unit_id", flat=True):
        counts[unit_id] = counts.get(unit_id, 0) + 1
    return counts


def generate_audits(run: RosterRun) -> int:
    ids = [str(pk) for pk in Roster.objects.filter(run=run).values_list("pk", flat=True)]
    return AuditEvent.objects.filter(action="roster.generate", object_id__in=ids).count()


def test_the_fan_out_writes_a_pending_ledger_row_per_unit_and_queues_one_message_per_chunk(fanned_out):
    run, queued = fanned_out
    run.refresh_from_db()
    assert (run.units_total, run.units_done, run.status) == (3, 0, RosterRun.Status.RUNNING)
    assert RosterRunUnit.objects.filter(run=run, done_at__isnull=True).count() == 3
    assert len(queued) == 2  # one per agency: the test agency's two units, the other agency's one
    assert run.progress_at is not None


def test_a_chunk_delivered_twice_stores_each_unit_once_and_the_run_closes_once(fanned_out):
    run, _queued = fanned_out
    first, second = chunks_of(run)
    assert deliver(run, first) == 2
    # The worker died before acknowledging: the broker delivers the same chunk again, to another worker.
    assert deliver(run, first) == 0
    run.refresh_from_db()
    assert (run.units_done, run.status) == (2, RosterRun.Status.RUNNING)
    assert deliver(run, second) == 1
    assert deliver(run, second) == 0
    run.refresh_from_db()
    assert (run.units_done, run.units_total, run.status) == (3, 3, RosterRun.Status.DONE)
    assert rosters_per_unit(run) == dict.fromkeys(RosterRunUnit.objects.filter(run=run).values_list("unit_id", flat=True), 1)
    assert generate_audits(run) == 3
    assert run.summary["units"] == 3
    assert run.finished_at is not None
    assert AuditEvent.objects.filter(action="roster.generate_many.requeue").count() == 0


def test_two_workers_solving_the_same_chunk_at_once_store_it_once(fanned_out, monkeypatch):
    """Worker A is still solving when worker B, given the same chunk again, solves and stores it: A then stores
    nothing (the ledger says done under the run's lock), and each unit has one roster of the run."""
    run, _queued = fanned_out
    first, second = chunks_of(run)
    solve = runs.solve_units
    interleaved: list[int] = []

    def solve_while_another_worker_finishes(*args, **kwargs):  # type: ignore[no-untyped-def]
        results = solve(*args, **kwargs)
        if not interleaved:
            interleaved.append(-1)
            interleaved[0] = deliver(run, first)  # worker B, start to finish, while A is between solve and store
        return results

    monkeypatch.setattr(runs, "solve_units", solve_while_another_worker_finishes)
    assert deliver(run, first) == 0  # worker A
    assert interleaved == [2]
    assert deliver(run, second) == 1
    run.refresh_from_db()
    assert run.status == RosterRun.Status.DONE
    assert sorted(rosters_per_unit(run).values()) == [1, 1, 1]
    assert generate_audits(run) == 3


def test_progress_is_counted_from_what_was_stored_not_from_increments(fanned_out):
    run, _queued = fanned_out
    first, second = chunks_of(run)
    # A killed worker's half-done bookkeeping, or a bug, leaves a wrong count behind: the next chunk sets it right.
    RosterRun.objects.filter(pk=run.pk).update(units_done=3)
    deliver(run, first)
    run.refresh_from_db()
    assert (run.units_done, run.status) == (2, RosterRun.Status.RUNNING)
    deliver(run, second)
    run.refresh_from_db()
    assert (run.units_done, run.status) == (3, RosterRun.Status.DONE)


def test_a_unit_with_nobody_to_roster_counts_as_done_without_a_roster(city, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(runs, "UNITS_PER_TASK", 10)
    empty = UnitFactory(agency=city.agency, name="Phòng chưa có người")
    run = RosterRun.objects.create(week_start=next_monday(), iso_week="", started_by=city.home_affairs)
    with django_capture_on_commit_callbacks(execute=False):
        runs._fan_out(run, list(runs.Unit.objects.order_by("pk")), week_start=run.week_start, actor=city.home_affairs, reason="", started=0.0)
    for chunk in chunks_of(run):
        deliver(run, chunk)
    run.refresh_from_db()
    assert (run.units_done, run.units_total, run.status) == (4, 4, RosterRun.Status.DONE)
    assert RosterRunUnit.objects.get(run=run, unit=empty).roster is None
    assert run.summary["units_skipped"] == 1


def test_a_stalled_run_has_only_its_missing_units_queued_again_and_then_completes(fanned_out, clock, django_capture_on_commit_callbacks):
    run, _queued = fanned_out
    first, second = chunks_of(run)
    deliver(run, first)  # the second chunk's message is lost (Redis restarted without its queue)
    clock.shift(dt.timedelta(minutes=5))
    with django_capture_on_commit_callbacks(execute=False) as early:
        assert services.roster_runs_requeue_stalled(stall_minutes=10) == {"runs": 0, "units": 0}
    assert early == []
    clock.shift(dt.timedelta(minutes=6))
    with django_capture_on_commit_callbacks(execute=False) as requeued:
        assert services.roster_runs_requeue_stalled(stall_minutes=10) == {"runs": 1, "units": 1}
    assert len(requeued) == 1
    run.refresh_from_db()
    assert run.requeued == 1
    audit = AuditEvent.objects.get(action="roster.generate_many.requeue")
    assert (audit.object_id, audit.actor, audit.after["units_pending"]) == (str(run.pk), None, 1)
    # Just queued again: the next pass waits another ten minutes before doing it again.
    with django_capture_on_commit_callbacks(execute=False) as again:
        assert services.roster_runs_requeue_stalled(stall_minutes=10) == {"runs": 0, "units": 0}
    assert again == []
    requeued[0]()  # the message queued again arrives (eagerly here: the chunk's task runs in this process)
    run.refresh_from_db()
    assert (run.units_done, run.status) == (3, RosterRun.Status.DONE)
    assert sorted(rosters_per_unit(run).values()) == [1, 1, 1]
    assert run.summary["requeued"] == 1
    # The lost message turns up after all: nothing changes.
    assert deliver(run, second) == 0
    clock.shift(dt.timedelta(minutes=30))
    assert services.roster_runs_requeue_stalled(stall_minutes=10) == {"runs": 0, "units": 0}


def test_a_run_whose_fan_out_was_lost_is_started_again(city, clock, django_capture_on_commit_callbacks):
    monday = next_monday()
    with django_capture_on_commit_callbacks(execute=False) as started:
        run = services.roster_run_start(week_start=monday, actor=city.home_affairs)
    assert len(started) == 1  # the message that would start it; lost
    clock.shift(dt.timedelta(minutes=11))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.roster_runs_requeue_stalled(stall_minutes=10) == {"runs": 1, "units": 0}
    run.refresh_from_db()
    # Without a broker the run queued again is carried out in this process, to the end.
    assert (run.status, run.units_done, run.requeued) == (RosterRun.Status.DONE, 3, 1)
    assert sorted(rosters_per_unit(run).values()) == [1, 1, 1]


def test_the_sweep_is_a_scheduled_job():
    from django.conf import settings

    entry = settings.CELERY_BEAT_SCHEDULE["rosters-requeue-stalled-runs"]
    assert entry["task"] == "rosters.requeue_stalled_runs"
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert entry["schedule"].hour == set(range(6, 21))


def test_small_agencies_share_a_chunk_and_a_large_one_is_cut_into_near_equal_pieces(monkeypatch):
    # A province's fan-out: a department of 120 units must not become one task the other workers wait for.
    monkeypatch.setattr(runs, "UNITS_PER_TASK", 50)
    department = [(unit_id, 1) for unit_id in range(1, 121)]
    wards = [(1000 + index, 2 + index // 10) for index in range(30)]  # three wards of ten units
    chunks = runs._chunks([*wards, *department])
    assert [len(chunk) for chunk in chunks] == [40, 40, 40, 30]
    assert chunks[0] == list(range(1, 41))
    assert sorted(unit for chunk in chunks for unit in chunk) == sorted(unit for unit, _agency in [*department, *wards])
    assert max(len(chunk) for chunk in runs._chunks([(unit, 1) for unit in range(101)])) == 34  # 101 units: 34, 34, 33
