"""Equivalent workload: planned effort per person against the office norm (policy parameter
``office_norm_hours_per_day``), on the board by ISO week and on the home days a registration asks for."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from telework.assignments import selectors, services
from telework.assignments.models import WorkStatus
from telework.organization.tests.factories import StaffFactory
from telework.policy.models import Policy, PolicyLevel

pytestmark = pytest.mark.django_db

D = dt.date
WEEK = D(2026, 12, 7)  # Monday; no holiday that week


def work(city, staff, hours, starts_on, due_on, **terms):
    return services.work_item_assign(
        actor=city.head_user,
        staff=staff,
        title=f"Việc {hours} giờ",
        estimated_hours=hours,
        starts_on=starts_on,
        due_on=due_on,
        today=min(starts_on, D(2026, 12, 7)),
        **terms,
    )


def test_planned_hours_on_days_spreads_effort_over_working_days(city):
    member = city.staff[0]
    work(city, member, 20, WEEK, WEEK + dt.timedelta(days=4))  # 4 h a day, Monday to Friday
    work(city, member, 6, WEEK + dt.timedelta(days=1), WEEK + dt.timedelta(days=1))  # Tuesday only
    assert selectors.planned_hours_on_days(member, [WEEK, WEEK + dt.timedelta(days=1)]) == 14.0
    assert selectors.planned_hours_on_days(member, [WEEK + dt.timedelta(days=5)]) == 0.0  # Saturday


def test_proposals_declined_and_cancelled_work_do_not_count(city):
    member = city.staff[0]
    services.work_item_propose(actor=member.user, title="Đề xuất", estimated_hours=40, starts_on=WEEK, due_on=WEEK + dt.timedelta(days=4), today=D(2026, 12, 1))
    cancelled = work(city, member, 40, WEEK, WEEK + dt.timedelta(days=4))
    services.work_item_cancel(item=cancelled, actor=city.head_user, reason="Huỷ")
    assert selectors.planned_hours_on_days(member, [WEEK]) == 0.0


def test_home_days_workload_warns_when_planned_work_falls_short(city):
    member = city.staff[0]
    work(city, member, 10, WEEK, WEEK + dt.timedelta(days=4))  # 2 h a day
    short = selectors.home_days_workload(staff=member, days=[WEEK, WEEK + dt.timedelta(days=2)])
    assert (short.load.planned_hours, short.load.norm_hours, short.load.status, short.is_short) == (4.0, 16.0, "under", True)
    work(city, member, 30, WEEK, WEEK + dt.timedelta(days=4))  # +6 h a day: 8 h a day
    enough = selectors.home_days_workload(staff=member, days=[WEEK, WEEK + dt.timedelta(days=2), WEEK + dt.timedelta(days=5)])
    assert (enough.days, enough.load.planned_hours, enough.load.norm_hours, enough.is_short) == ((WEEK, WEEK + dt.timedelta(days=2)), 16.0, 16.0, False)


def test_the_norm_follows_the_policy_parameter(city):
    Policy.objects.create(
        level=PolicyLevel.AGENCY, agency=city.agency, version=1, name="Giờ làm việc", parameters={"office_norm_hours_per_day": 6}, effective_from=D(2026, 1, 1)
    )
    member = city.staff[0]
    work(city, member, 30, WEEK, WEEK + dt.timedelta(days=4))  # 6 h a day
    workload = selectors.home_days_workload(staff=member, days=[WEEK])
    assert (workload.load.norm_hours, workload.load.ratio, workload.load.status) == (6.0, 1.0, "balanced")


def test_week_workload_counts_only_the_weeks_working_days(city):
    member = city.staff[0]
    # 28/1–12/2/2027 spans Tết: 7 working days, so 2 h a day; the week of 8/2 has Thu 11 and Fri 12 only.
    work(city, member, 14, D(2027, 1, 28), D(2027, 2, 12))
    load = selectors.week_workloads([member], D(2027, 2, 8))[member.pk]
    assert (load.planned_hours, load.norm_hours, load.status) == (4.0, 16.0, "under")


def test_board_shows_each_member_with_load_progress_hours_and_alerts(city, django_capture_on_commit_callbacks):
    busy, idle = city.staff[0], city.staff[1]
    item = work(city, busy, 50, WEEK, WEEK + dt.timedelta(days=4))  # 10 h a day: 125 %
    services.progress_record(
        item=item, actor=busy.user, progress_percent=30, hours_spent=6, work_date=WEEK + dt.timedelta(days=1), today=WEEK + dt.timedelta(days=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.detect_stalls(today=WEEK + dt.timedelta(days=4))
    rows = {row.staff.pk: row for row in selectors.board(viewer=city.head_user, unit=city.unit, monday=WEEK)}
    assert city.head.pk not in rows
    assert len(rows) == 9  # eight officers and the clerk
    row = rows[busy.pk]
    assert (row.load.status, row.load.planned_hours, row.load.norm_hours, row.average_progress, row.hours_this_week) == ("over", 50.0, 40.0, 30, 6.0)
    assert [alert.kind for alert in row.alerts] == ["behind_schedule"]
    assert (rows[idle.pk].load.status, rows[idle.pk].average_progress) == ("under", None)


def test_board_queries_do_not_grow_with_the_unit(city):
    def count():
        with CaptureQueriesContext(connection) as context:
            selectors.board(viewer=city.head_user, unit=city.unit, monday=WEEK)
        return len(context.captured_queries)

    for member in city.staff[:3]:
        work(city, member, 10, WEEK, WEEK + dt.timedelta(days=4))
    count()  # the viewer's one-time reads (the heads they act for today) are cached on the user object
    small = count()
    for index in range(6):
        extra = StaffFactory(unit=city.unit, position=city.staff[0].position, direct_superior=city.head, full_name=f"Thêm {index}")
        work(city, extra, 10, WEEK, WEEK + dt.timedelta(days=4))
    assert count() == small


def test_a_colleague_sees_only_themselves_on_the_board_selector(city):
    rows = selectors.board(viewer=city.staff[1].user, unit=city.unit, monday=WEEK)
    assert rows == []


def test_accepted_work_still_counts_as_planned_in_its_weeks(city):
    member = city.staff[0]
    item = work(city, member, 10, WEEK, WEEK + dt.timedelta(days=4))
    services.progress_record(item=item, actor=member.user, progress_percent=100, today=WEEK)
    services.work_item_submit(item=item, actor=member.user)
    services.work_item_accept(item=item, actor=city.head_user, rating=5)
    item.refresh_from_db()
    assert item.status == WorkStatus.ACCEPTED
    assert selectors.planned_hours_on_days(member, [WEEK]) == 2.0


def test_the_registration_warning_fragment_says_how_short_the_planned_work_falls(city):
    from django.template.loader import render_to_string
    from django.utils import translation

    member = city.staff[0]
    work(city, member, 10, WEEK, WEEK + dt.timedelta(days=4))  # 2 h a day
    workload = selectors.home_days_workload(staff=member, days=[WEEK, WEEK + dt.timedelta(days=2)])
    with translation.override("en"):
        html = render_to_string("assignments/_home_days_workload.html", {"workload": workload})
    assert 'data-home-days-workload="under"' in html
    assert "4 h, against an office norm of 16 h" in html
    assert "less than 80%" in html
