"""``manage.py roster_solve``: progress on stderr, the summary as JSON on stdout."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from telework.demo.testing import next_monday
from telework.rosters.models import Roster, RosterRun
from telework.rosters.selectors import iso_week_of
from telework.rosters.tests.test_services import approve_home_days


def test_roster_solve_prints_the_summary_as_json_and_progress_on_stderr(city):
    monday = next_monday()
    approve_home_days(city.staff[0], [monday])
    out, err = io.StringIO(), io.StringIO()

    call_command("roster_solve", "--week", iso_week_of(monday), "--json", "--workers", "1", stdout=out, stderr=err)

    summary = json.loads(out.getvalue())
    units = Roster.objects.filter(week_start=monday, is_current=True).count()
    assert summary["week"] == iso_week_of(monday)
    assert summary["units"] == units == 3  # the planning unit, HR, and the outsider's unit
    assert summary["staff"] == 12
    assert summary["optimal_share"] == 1.0
    assert summary["hard_violations"] == summary["unavoidable"]
    assert set(summary["seconds"]) == {"load", "solve", "save", "total", "command"}
    assert summary["mode"] == "process_pool"
    assert f"{units}/{units} units solved" in err.getvalue()
    assert RosterRun.objects.get().status == RosterRun.Status.DONE


def test_roster_solve_for_one_agency(city):
    out = io.StringIO()

    call_command("roster_solve", "--week", iso_week_of(next_monday()), "--agency", city.agency.code, "--json", stdout=out, stderr=io.StringIO())

    assert json.loads(out.getvalue())["units"] == 2
    assert json.loads(out.getvalue())["agency"] == city.agency.code


@pytest.mark.parametrize(("arguments", "message"), [(["--week", "2026-49"], "YYYY-Www"), (["--week", "2026-W49", "--agency", "NOPE"], "NOPE")])
def test_roster_solve_refuses_bad_arguments(city, arguments, message):
    with pytest.raises(CommandError, match=message):
        call_command("roster_solve", *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Roster.objects.exists()
