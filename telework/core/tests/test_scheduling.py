"""Scheduled work runs by itself (issue 9, point 4): when a job is due (pure, frozen time, working days only, holidays
skipped), one run per job and slot however many processes run the loop, every run recorded, and the loop started
only in serving processes."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from celery.schedules import crontab
from django.conf import settings

from telework.core import calendar, scheduler
from telework.core.models import ScheduledRun
from telework.core.scheduling import Job, cron_weekday_to_python, latest_due_slot

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
MISSED = Job(name="missed", task="attendance.detect_missed_check_ins", minutes=frozenset({5}), hours=frozenset({9}), weekdays=frozenset(range(5)))
STALLS = Job(name="stalls", task="assignments.detect_stalls", minutes=frozenset({0}), hours=frozenset({7}), weekdays=frozenset(range(5)))


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=HCM)


# --- Due slots, as plain data ---------------------------------------------------------------------------------


def test_a_job_is_not_due_before_its_minute():
    assert latest_due_slot(MISSED, at("2026-11-18 09:04:59"), calendar.is_working_day) is None


def test_a_job_is_due_from_its_minute_on_a_working_day():
    assert latest_due_slot(MISSED, at("2026-11-18 09:05:30"), calendar.is_working_day) == at("2026-11-18 09:05")
    assert latest_due_slot(MISSED, at("2026-11-18 15:00"), calendar.is_working_day) == at("2026-11-18 09:05")


def test_a_weekend_has_no_slot():
    # Saturday 21/11/2026 afternoon: Friday's 09:05 is more than twelve hours back.
    assert latest_due_slot(MISSED, at("2026-11-21 14:00"), calendar.is_working_day) is None


def test_public_holidays_are_skipped():
    # 1 January 2027 is a Friday and New Year's Day; 2 September 2027 is a Thursday and National Day.
    assert latest_due_slot(STALLS, at("2027-01-01 08:00"), calendar.is_working_day) is None
    assert latest_due_slot(STALLS, at("2027-09-02 08:00"), calendar.is_working_day) is None
    # Tết 2027 (the calendar's days off, 4–10 February): none of its weekdays has a slot; the Thursday after it does.
    tet = [day for day in calendar.days_between(dt.date(2027, 2, 1), dt.date(2027, 2, 14)) if calendar.holiday_name(day)]
    assert [day.day for day in tet] == [4, 5, 6, 7, 8, 9, 10]
    assert all(latest_due_slot(STALLS, at(f"{day.isoformat()} 08:00"), calendar.is_working_day) is None for day in tet)
    assert latest_due_slot(STALLS, at("2027-02-11 08:00"), calendar.is_working_day) == at("2027-02-11 07:00")


def test_after_downtime_only_the_latest_slot_within_the_lookback_is_due():
    assert latest_due_slot(STALLS, at("2026-11-19 06:00"), calendar.is_working_day, lookback=dt.timedelta(days=3)) == at("2026-11-18 07:00")
    assert latest_due_slot(STALLS, at("2026-11-19 06:00"), calendar.is_working_day) is None


def test_cron_weekdays_become_python_weekdays():
    assert [cron_weekday_to_python(day) for day in (0, 1, 5, 6, 7)] == [6, 0, 4, 5, 6]


def test_the_jobs_are_read_from_the_beat_schedule():
    jobs = {job.name: job for job in scheduler.jobs_from_beat_schedule()}
    assert set(jobs) == set(settings.CELERY_BEAT_SCHEDULE)
    missed = jobs["attendance-detect-missed-check-ins"]
    assert (missed.task, missed.hours, missed.minutes, missed.weekdays, dict(missed.kwargs)) == (
        "attendance.detect_missed_check_ins",
        frozenset({9}),
        frozenset({5}),
        frozenset(range(5)),
        {"cutoff": "09:00"},
    )
    other = scheduler.jobs_from_beat_schedule({"x": {"task": "t", "schedule": crontab(hour=6, minute=30, day_of_week="sat")}})
    assert other[0].weekdays == frozenset({5})


# --- Claims and runs -------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_two_processes_one_run_the_unique_row_lets_one_claim_win():
    slot = at("2026-11-18 09:05")
    first = scheduler.claim(MISSED, slot)
    second = scheduler.claim(MISSED, slot)
    assert first is not None
    assert second is None
    assert ScheduledRun.objects.filter(job="missed", slot=slot).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_threads_racing_for_a_slot_run_the_job_once():
    import threading
    import time

    from django.db import OperationalError, connections

    slot = at("2026-11-18 09:05")
    results: list[object] = []
    barrier = threading.Barrier(2)

    def slot_taken() -> bool:
        # SQLite answers "table is locked" while the other thread's insert is open: not known yet, ask again.
        try:
            return ScheduledRun.objects.filter(job="missed", slot=slot).exists()
        except OperationalError:
            return False

    def race() -> None:
        # Like the scheduler's passes: try until this thread holds the slot or sees that the other one does.
        try:
            barrier.wait()
            for _attempt in range(50):
                run = scheduler.claim(MISSED, slot)
                if run is not None or slot_taken():
                    break
                time.sleep(0.02)
            results.append(run)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(result is None for result in results) == [False, True]
    assert ScheduledRun.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.frozen_at("2026-11-18 09:06")
def test_a_pass_runs_each_due_job_once_and_records_outcome_and_counts(city):
    runs = scheduler.run_due_jobs()
    assert [(run.job, run.slot, run.outcome) for run in runs] == [
        ("assignments-detect-stalls", at("2026-11-18 07:00"), ScheduledRun.Outcome.SUCCEEDED),
        ("attendance-detect-missed-check-ins", at("2026-11-18 09:05"), ScheduledRun.Outcome.SUCCEEDED),
        ("organization-apply-scheduled-ends", at("2026-11-18 00:15"), ScheduledRun.Outcome.SUCCEEDED),
        ("staffing-send-reminders", at("2026-11-18 09:00"), ScheduledRun.Outcome.SUCCEEDED),
        ("outcomes-refresh-panel", at("2026-11-18 01:30"), ScheduledRun.Outcome.SUCCEEDED),
        ("core-export-audit-head", at("2026-11-18 00:05"), ScheduledRun.Outcome.SUCCEEDED),
        ("rosters-requeue-stalled-runs", at("2026-11-18 09:05"), ScheduledRun.Outcome.SUCCEEDED),
    ]
    missed = runs[1]
    assert missed.finished_at is not None
    assert set(missed.counts) >= {"expected", "missed"}
    # A second pass, or another process, finds every slot taken.
    assert scheduler.run_due_jobs() == []
    assert ScheduledRun.objects.count() == 7


@pytest.mark.django_db
@pytest.mark.frozen_at("2026-11-18 09:06")
def test_a_failing_job_is_recorded_as_failed_with_its_error():
    broken = Job(name="broken", task="no.such.task", minutes=frozenset({0}), hours=frozenset({9}))
    (run,) = scheduler.run_due_jobs([broken])
    assert run.outcome == ScheduledRun.Outcome.FAILED
    assert "no.such.task" in run.error


@pytest.mark.django_db
@pytest.mark.frozen_at("2026-11-21 10:00")
def test_only_the_every_day_jobs_run_on_a_saturday():
    # The audit chain's head is exported every day of the year (settings.SCHEDULER_EVERY_DAY_JOBS); the rest wait.
    assert [run.job for run in scheduler.run_due_jobs()] == ["core-export-audit-head"]
    assert scheduler.run_due_jobs() == []
    assert ScheduledRun.objects.count() == 1


# --- When the loop starts --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "serving"),
    [
        (["manage.py", "runserver", "127.0.0.1:8000"], True),
        (["/srv/.venv/bin/gunicorn", "config.wsgi"], True),
        (["manage.py", "migrate"], False),
        (["manage.py", "seed_demo", "--reset"], False),
        (["manage.py", "detect_stalls"], False),
        (["/usr/bin/pytest", "-q"], False),
        ([], False),
    ],
)
def test_the_loop_starts_only_in_serving_processes(argv, serving):
    assert scheduler.is_serving(argv) is serving


def test_the_loop_needs_the_in_process_setting(settings):
    settings.SCHEDULER_IN_PROCESS = False
    assert scheduler.should_start(["manage.py", "runserver"]) is False
    settings.SCHEDULER_IN_PROCESS = True
    assert scheduler.should_start(["manage.py", "runserver"]) is True
    assert scheduler.should_start(["manage.py", "migrate"]) is False


# --- The boards show when detection last ran -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.frozen_at("2026-11-18 09:06")
def test_the_attendance_and_work_boards_show_when_detection_last_ran(client, city):
    from django.urls import reverse

    client.force_login(city.head_user)
    before = client.get(reverse("attendance:board")).content.decode()
    assert '<p class="small text-muted mb-2" id="missed-check-ins-last-run" data-outcome="never">' in before
    assert "Tự động phát hiện chưa chạy lần nào." in before

    scheduler.run_due_jobs()

    attendance = client.get(reverse("attendance:board")).content.decode()
    assert "Tự động phát hiện chạy lần cuối lúc 09:06, Thứ Tư 18/11/2026: thành công." in attendance
    work = client.get(reverse("assignments:board")).content.decode()
    assert 'id="stall-detection-last-run" data-outcome="succeeded"' in work
    assert "Tự động phát hiện chạy lần cuối lúc 09:06, Thứ Tư 18/11/2026: thành công." in work


@pytest.mark.django_db
def test_a_failed_run_shows_as_failed_on_the_board(client, city):
    from django.urls import reverse

    ScheduledRun.objects.create(
        job="attendance-detect-missed-check-ins",
        slot=at("2026-11-18 09:05"),
        started_at=at("2026-11-18 09:05"),
        finished_at=at("2026-11-18 09:05"),
        outcome=ScheduledRun.Outcome.FAILED,
        error="database is locked",
    )
    client.force_login(city.head_user)
    content = client.get(reverse("attendance:board")).content.decode()
    assert "Tự động phát hiện chạy lần cuối lúc 09:05, Thứ Tư 18/11/2026: thất bại." in content
    assert "database is locked" not in content


@pytest.mark.django_db
def test_a_run_sent_by_celery_beat_is_recorded_for_the_boards():
    scheduler.record_beat_run("assignments.detect_stalls", {"items_checked": 4, "new_alerts": {"stalled": 1}}, failed=False)
    run = ScheduledRun.objects.get()
    assert (run.job, run.outcome, run.counts) == ("assignments-detect-stalls", ScheduledRun.Outcome.SUCCEEDED, {"items_checked": 4})
    scheduler.record_beat_run("rosters.notify_published", 3, failed=False)
    assert ScheduledRun.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.frozen_at("2026-11-18 09:06")
def test_the_started_loop_runs_the_due_jobs_by_itself(city, monkeypatch):
    import time

    monkeypatch.setattr(scheduler, "_started", __import__("threading").Event())
    stop = scheduler.start(interval_seconds=0.05)
    assert stop is not None
    assert scheduler.start() is None  # once per process
    try:
        for _attempt in range(200):
            if ScheduledRun.objects.filter(outcome=ScheduledRun.Outcome.SUCCEEDED).count() == 7:
                break
            time.sleep(0.05)
    finally:
        stop.set()
        assert scheduler._thread is not None
        scheduler._thread.join(timeout=10)
    assert sorted(ScheduledRun.objects.values_list("job", "outcome")) == [
        ("assignments-detect-stalls", ScheduledRun.Outcome.SUCCEEDED),
        ("attendance-detect-missed-check-ins", ScheduledRun.Outcome.SUCCEEDED),
        ("core-export-audit-head", ScheduledRun.Outcome.SUCCEEDED),
        ("organization-apply-scheduled-ends", ScheduledRun.Outcome.SUCCEEDED),
        ("outcomes-refresh-panel", ScheduledRun.Outcome.SUCCEEDED),
        ("rosters-requeue-stalled-runs", ScheduledRun.Outcome.SUCCEEDED),
        ("staffing-send-reminders", ScheduledRun.Outcome.SUCCEEDED),
    ]
