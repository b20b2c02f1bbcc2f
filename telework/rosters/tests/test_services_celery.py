"""With a broker, a city-wide generation fans out to Celery workers by chunks of agencies, and the run closes with the
same summary as the embedded process pool."""

from __future__ import annotations

import pytest

from config.celery import app
from telework.demo.testing import next_monday
from telework.rosters import services
from telework.rosters.models import Roster, RosterRun
from telework.rosters.services import runs
from telework.rosters.tests.test_services import approve_home_days

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def test_generation_fans_out_to_celery_workers_and_closes_the_run(city, celery_worker, monkeypatch):
    assert app.conf.task_always_eager is False
    monkeypatch.setattr(runs, "UNITS_PER_TASK", 2)
    monday = next_monday()
    approve_home_days(city.staff[0], [monday])

    queued = services.rosters_generate_many(week_start=monday, actor=city.home_affairs)

    # Two units a task: the test agency's two units, then the other agency's one (it does not fit beside them).
    assert (queued["mode"], queued["tasks"], queued["units"]) == ("celery", 2, 3)
    finished = celery_worker.wait_for(2, timeout=60)
    assert [(task.name, task.state, task.error) for task in finished] == [("rosters.generate_units", "SUCCESS", None)] * 2
    run = RosterRun.objects.get(pk=queued["run"])
    assert (run.status, run.units_done, run.units_total) == (RosterRun.Status.DONE, 3, 3)
    assert run.summary["units"] == 3
    assert run.summary["mode"] == "celery"
    assert run.summary["staff"] == 12
    assert run.summary["hard_violations"] == run.summary["unavoidable"]
    assert Roster.objects.filter(run=run, is_current=True).count() == 3
    # A chunk delivered twice changes nothing: its units already have their roster of this run.
    assert services.generate_units_chunk(run=run, unit_ids=[city.unit.pk], week_start=monday, actor=None, reason="") == 0
    assert Roster.objects.filter(unit=city.unit, week_start=monday).count() == 1
