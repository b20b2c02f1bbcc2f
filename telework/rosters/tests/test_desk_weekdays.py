"""A one-stop desk that needs more staff on Mondays, from the database to the roster: the engine reads each
weekday's need, the generated roster staffs Monday with two, the head cannot send the second one home on Monday,
and the notice-board export shows each day's staffing against that day's need."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from telework.core.exceptions import RuleViolation
from telework.demo.testing import next_monday
from telework.rosters.adapters import load_unit
from telework.rosters.engine import instance as engine
from telework.rosters.exports import roster_xlsx
from telework.rosters.models import EntryStatus, RosterEntry
from telework.rosters.services import roster_edit_cell, roster_generate
from telework.rosters.tests.test_services import approve_home_days, checker_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def monday_desk(city):  # type: ignore[no-untyped-def]
    """The unit's desk needs one on site, two on Mondays; the clerk and staff[0] are qualified; staff[0] is approved
    to work from home on Monday and Tuesday."""
    city.desk.required_on_site = 1
    city.desk.required_by_weekday = [2, None, None, None, None]
    city.desk.save(update_fields=["required_on_site", "required_by_weekday"])
    city.desk.qualified_staff.add(city.staff[0])
    monday = next_monday()
    approve_home_days(city.staff[0], [monday, monday + dt.timedelta(days=1)])
    return monday


def status(roster, member, day):  # type: ignore[no-untyped-def]
    return RosterEntry.objects.get(roster=roster, staff=member, day=day).status


def test_the_engine_reads_each_weekdays_need(city, monday_desk):
    loaded = load_unit(city.unit, monday_desk)

    assert loaded is not None
    (point,) = loaded.instance.service_points
    assert (point.required_on_site, point.required_by_weekday) == (1, (2, 1, 1, 1, 1))


def test_the_generated_roster_staffs_the_desk_with_two_on_monday_and_one_on_tuesday(city, monday_desk):
    tuesday = monday_desk + dt.timedelta(days=1)

    roster = roster_generate(unit=city.unit, week_start=monday_desk, actor=city.head_user)

    assert [status(roster, city.staff[0], monday_desk), status(roster, city.clerk, monday_desk)] == [EntryStatus.DESK, EntryStatus.DESK]
    assert status(roster, city.staff[0], tuesday) == EntryStatus.HOME
    assert checker_report(roster).total == 0


def test_the_head_cannot_send_the_second_desk_officer_home_on_monday(city, monday_desk):
    roster = roster_generate(unit=city.unit, week_start=monday_desk, actor=city.head_user)

    with pytest.raises(RuleViolation) as refused:
        roster_edit_cell(roster=roster, staff=city.staff[0], day=monday_desk, status=EntryStatus.HOME, actor=city.head_user)

    assert refused.value.rule == engine.DESK_STAFF_ON_SITE
    assert status(roster, city.staff[0], monday_desk) == EntryStatus.DESK


def test_the_export_shows_each_days_desk_staffing_against_that_days_need(city, monday_desk):
    roster = roster_generate(unit=city.unit, week_start=monday_desk, actor=city.head_user)

    rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(roster_xlsx([roster]))).worksheets[0].iter_rows()]

    label = f"{city.desk.name}: có mặt tại quầy / cần"
    desk_row = next(row for row in rows if label in row)
    label_at = desk_row.index(label)
    assert [value for value in desk_row[label_at + 1 :] if value][:5] == ["2/2", "1/1", "1/1", "1/1", "1/1"]
