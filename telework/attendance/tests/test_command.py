"""``detect_missed_checkins``: the embedded default of the Celery beat job, with a controlled clock."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from telework.attendance.models import MissedCheckIn
from telework.attendance.tests.builders import publish_roster
from telework.core.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)


def run(*args):
    out = StringIO()
    call_command("detect_missed_checkins", *args, stdout=out)
    return out.getvalue().strip()


def test_today_before_the_cut_off_does_nothing(city, clock):
    publish_roster(city.unit, MONDAY, {})
    clock.set(MONDAY, 8, 45)
    assert run("--today") == "2026-12-07: the cut-off 09:00 has not passed yet; nothing checked."
    assert not MissedCheckIn.objects.exists()


def test_today_after_the_cut_off_records_and_alerts_once(city, clock, django_capture_on_commit_callbacks):
    publish_roster(city.unit, MONDAY, {})
    clock.set(MONDAY, 9, 10)
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--today")
    assert output == "2026-12-07: 10 expected by the rosters, 0 checked in, 10 missed (10 newly recorded and alerted)."
    notifications = Notification.objects.count()
    assert notifications == 10 + 1  # ten people, one digest for the head (who is also among the ten)
    with django_capture_on_commit_callbacks(execute=True):
        again = json.loads(run("--today", "--json"))
    assert again == {
        "day": "2026-12-07",
        "cutoff": "09:00",
        "skipped": "",
        "expected": 10,
        "checked_in": 0,
        "missed": 10,
        "new": 0,
    }
    assert Notification.objects.count() == notifications


def test_without_a_day_it_catches_up_the_latest_working_day_due(city, clock):
    publish_roster(city.unit, MONDAY - dt.timedelta(days=3), {})  # the week of Friday 4 December
    clock.set(MONDAY, 7, 0)  # Monday morning, before the cut-off: Friday is the day due
    assert json.loads(run("--json"))["day"] == "2026-12-04"
    assert MissedCheckIn.objects.filter(day=dt.date(2026, 12, 4)).count() == 10


def test_a_public_holiday_is_skipped(city, clock):
    clock.set(dt.date(2026, 9, 2), 10, 0)
    assert run("--today") == "2026-09-02: not a working day (holiday); nothing to check."


def test_the_cut_off_is_an_option(city, clock):
    publish_roster(city.unit, MONDAY, {})
    clock.set(MONDAY, 9, 30)
    assert json.loads(run("--today", "--cutoff", "10:00", "--json"))["skipped"] == "before_cutoff"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--cutoff", "9h"], "--cutoff must be a time such as 09:00"),
        (["--day", "2026-02-30"], "--day must be a date such as 2026-12-01"),
        (["--day", "2026-12-08"], "2026-12-08 is in the future"),
    ],
)
def test_bad_options_are_refused(city, clock, args, message):
    clock.set(MONDAY, 12, 0)
    with pytest.raises(CommandError, match=message):
        run(*args)
    assert not MissedCheckIn.objects.exists()


def test_the_beat_task_runs_the_same_detection(city, clock):
    from telework.attendance.tasks import detect_missed_check_ins

    publish_roster(city.unit, MONDAY, {})
    clock.set(MONDAY, 9, 1)
    assert detect_missed_check_ins.delay().result["new"] == 10
    assert detect_missed_check_ins.delay(MONDAY.isoformat(), "09:00").result["new"] == 0


def test_the_job_is_scheduled_after_the_cut_off_on_working_days():
    from django.conf import settings

    from config.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["attendance-detect-missed-check-ins"]
    assert entry["task"] in app.tasks
    assert entry["kwargs"] == {"cutoff": "09:00"}
    schedule = entry["schedule"]
    assert (schedule.hour, schedule.minute, schedule.day_of_week) == ({9}, {5}, {1, 2, 3, 4, 5})
