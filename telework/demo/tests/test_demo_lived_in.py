"""The demo city looks lived in: this week's rosters published, work due around today, a finished quarter with home
days, rosters and check-ins, the example head approving the example staff member, and a note per login saying what
its home page shows."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from telework.accounts.models import User
from telework.assignments.models import Alert, WorkItem, WorkStatus
from telework.attendance.models import CheckIn, WorkMode
from telework.demo.city import build_demo_city
from telework.demo.reference import MINIMUM_STAFF
from telework.demo.registrations import PilotCalendar, previous_quarter_bounds
from telework.demo.tests.test_seed_demo import printed_logins
from telework.evaluations.models import EvaluationPeriod, PeriodStatus
from telework.organization.models import Staff
from telework.registrations.models import RegistrationDay
from telework.rosters.models import Roster, RosterEntry, RosterStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 18)  # the suite's frozen Wednesday
MONDAY = dt.date(2026, 11, 16)
QUARTER = (dt.date(2026, 7, 1), dt.date(2026, 9, 30))


@pytest.mark.parametrize(
    ("today", "bounds"),
    [
        (dt.date(2026, 11, 18), (dt.date(2026, 7, 1), dt.date(2026, 9, 30))),
        (dt.date(2027, 2, 6), (dt.date(2026, 10, 1), dt.date(2026, 12, 31))),
        (dt.date(2026, 4, 1), (dt.date(2026, 1, 1), dt.date(2026, 3, 31))),
    ],
)
def test_the_finished_quarter_is_the_calendar_quarter_before_today(today, bounds):
    assert previous_quarter_bounds(today) == bounds


def test_the_finished_quarter_ends_before_the_recent_weeks_and_lies_in_the_pilot():
    calendar_ = PilotCalendar.around(dt.date(2026, 10, 7))
    assert calendar_.quarter == (dt.date(2026, 7, 1), dt.date(2026, 9, 13))
    assert calendar_.past[0] == dt.date(2026, 9, 14)
    assert calendar_.phase_one[0] <= calendar_.quarter[0]


@pytest.fixture(scope="class")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """The smallest demo city, built once for the read-only tests of ``TestTheLivedInCity`` (10 s a build) on the
    suite's frozen day, inside a transaction rolled back after the last of them; e-mail copies stay unsent."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_demo_city(staff=MINIMUM_STAFF, seed=7, today=TODAY)
        transaction.set_rollback(True)


class TestTheLivedInCity:
    def test_this_weeks_rosters_are_published_for_every_pilot_unit_and_next_weeks_are_drafts(self, demo):
        this_week = Roster.objects.filter(week_start=MONDAY, is_current=True)
        assert this_week.exists()
        assert set(this_week.values_list("status", flat=True)) == {RosterStatus.PUBLISHED}
        assert not Roster.objects.filter(week_start=MONDAY, is_current=True, unit__agency__pilots__isnull=True).exists()
        next_week = Roster.objects.filter(week_start=MONDAY + dt.timedelta(weeks=1), is_current=True)
        assert next_week.exists()
        assert set(next_week.values_list("status", flat=True)) == {RosterStatus.DRAFT}

    def test_work_is_due_around_today_some_done_some_late_some_stalled_with_alerts(self, demo):
        current = WorkItem.objects.filter(due_on__gte=TODAY - dt.timedelta(days=10), due_on__lte=TODAY + dt.timedelta(days=15))
        assert current.filter(status=WorkStatus.ACCEPTED).exists()
        assert current.filter(status=WorkStatus.IN_PROGRESS, due_on__lt=TODAY).exists()  # late
        assert current.filter(status=WorkStatus.IN_PROGRESS, due_on__gte=TODAY, last_activity_on__lte=TODAY - dt.timedelta(days=7)).exists()  # stalled
        assert current.filter(status=WorkStatus.SUBMITTED).exists()
        kinds = set(Alert.objects.filter(day=TODAY).values_list("kind", flat=True))
        assert "no_update" in kinds
        assert len(kinds) >= 2

    def test_in_the_finished_quarter_people_worked_from_home_on_published_rosters_and_checked_in(self, demo):
        evaluated = EvaluationPeriod.objects.get()
        assert evaluated.status == PeriodStatus.PUBLISHED
        agency = evaluated.agency
        home_days = RegistrationDay.objects.filter(unit__agency=agency, day__range=QUARTER, is_counted=True)
        assert home_days.exists()
        rostered_home = RosterEntry.objects.filter(
            roster__unit__agency=agency, roster__status=RosterStatus.PUBLISHED, roster__is_current=True, day__range=QUARTER, status="home"
        )
        assert rostered_home.exists()
        weeks = set(Roster.objects.filter(unit__agency=agency, status=RosterStatus.PUBLISHED, week_start__range=QUARTER).values_list("week_start", flat=True))
        assert len(weeks) >= 10
        check_ins = CheckIn.objects.filter(unit__agency=agency, day__range=QUARTER)
        assert check_ins.filter(mode=WorkMode.HOME).exists()
        assert check_ins.filter(mode=WorkMode.OFFICE).exists()
        assert (
            check_ins.count()
            > 0.9
            * RosterEntry.objects.filter(roster__unit__agency=agency, roster__status=RosterStatus.PUBLISHED, roster__is_current=True, day__range=QUARTER)
            .exclude(status="leave")
            .count()
        )


def test_the_example_head_approves_the_example_staff_member_and_each_login_says_what_its_home_page_shows():
    output = StringIO()
    call_command("seed_demo", staff=MINIMUM_STAFF, seed=7, today=TODAY, stdout=output)
    text = output.getvalue()
    logins = printed_logins(text)
    member = Staff.objects.select_related("direct_superior__user").get(code=logins["Staff member (eligible)"])
    assert member.direct_superior is not None
    assert member.direct_superior.user == User.objects.get(username=logins["Unit head"])
    notes = [line.strip() for line in text.splitlines() if line.strip().startswith("→")]
    assert len(notes) == len(logins)
    for role in ("Staff member (eligible)", "Unit head", "Agency head", "Agency HR officer", "Home Affairs coordinator", "City leadership"):
        assert any(line.startswith("→ home page:") for line in notes), role
    assert f"approver {member.direct_superior.code}" in text
    assert "rosters published this week" in text
