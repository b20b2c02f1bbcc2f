"""Rosters from the database: generation keeps every rule the checker knows, edits and swaps are validated, publishing
notifies, leave and events are respected, and a city-wide switch re-solves the affected rosters."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from telework.core import calendar
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.demo.testing import next_monday
from telework.policy.models import SwitchKind
from telework.policy.services import switch_set
from telework.registrations.models import Registration, RegistrationDay, RegistrationMode, RegistrationStatus
from telework.rosters.adapters import load_unit
from telework.rosters.engine import instance as engine
from telework.rosters.engine.checker import check
from telework.rosters.models import EntryStatus, LeaveKind, Roster, RosterEntry, RosterStatus, SwapRequest, SwapStatus, UnitEventKind
from telework.rosters.selectors import engine_roster, entry_map, iso_week_of, roster_grid, week_start_of
from telework.rosters.services import (
    leave_cancel,
    leave_record,
    roster_edit_cell,
    roster_generate,
    roster_publish,
    rosters_generate_many,
    swap_accept,
    swap_approve,
    swap_reject,
    swap_request,
    unit_event_save,
)


def approve_home_days(staff, days):  # type: ignore[no-untyped-def]
    """An approved registration whose days count against the caps (what ``registration_approve`` leaves behind)."""
    registration = Registration.objects.create(
        staff=staff,
        unit=staff.unit,
        starts_on=min(days),
        ends_on=max(days),
        mode=RegistrationMode.DATES,
        requested_dates=[day.isoformat() for day in days],
        status=RegistrationStatus.APPROVED,
        commitment_accepted=True,
        approved_at=timezone.now(),
    )
    RegistrationDay.objects.bulk_create(RegistrationDay(registration=registration, staff=staff, unit=staff.unit, day=day, is_counted=True) for day in days)
    return registration


def cells(roster: Roster) -> dict[tuple[int, dt.date], str]:
    return {(entry.staff_id, entry.day): entry.status for entry in RosterEntry.objects.filter(roster=roster)}


def checker_report(roster: Roster):  # type: ignore[no-untyped-def]
    loaded = load_unit(roster.unit, roster.week_start)
    assert loaded is not None
    return check(loaded.instance, engine_roster(roster, entry_map(roster), [person.id for person in loaded.instance.people]))


# Home days approved for staff[0..5] (what registration approval would allow: at most 3 of 10 at home a day, at most
# 2 days a person a week): Monday 3, Tuesday 2, Wednesday 2, Thursday 2, Friday 3. staff[6] and staff[7] stay in.
APPROVED_WEEKDAYS = ((0, 2), (1, 3), (0, 3), (1, 4), (2, 4), (0, 4))


@pytest.fixture
def week(city):  # type: ignore[no-untyped-def]
    """A holiday-free week in which staff[0..5] have two approved home days each (``APPROVED_WEEKDAYS``)."""
    monday = next_monday()
    for member, weekdays in zip(city.staff, APPROVED_WEEKDAYS, strict=False):
        approve_home_days(member, [monday + dt.timedelta(days=offset) for offset in weekdays])
    return monday


def test_generated_roster_keeps_every_hard_rule_and_is_proven_optimal(city, week):
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)

    assert roster.status == RosterStatus.DRAFT
    assert roster.version == 1
    assert roster.is_current
    assert roster.iso_week == iso_week_of(week)
    assert roster.certificate["status"] == "OPTIMAL"
    assert roster.certificate["checker"]["total"] == 0
    assert checker_report(roster).total == 0
    assert RosterEntry.objects.filter(roster=roster).count() == 10 * 5
    assert AuditEvent.objects.filter(action="roster.generate", object_id=str(roster.pk)).count() == 1


def test_only_approved_home_days_are_home_and_the_desk_is_staffed_every_day(city, week):
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)

    approved = set(RegistrationDay.objects.filter(is_counted=True).values_list("staff_id", "day"))
    home = {key for key, status in cells(roster).items() if status == EntryStatus.HOME}
    # Every approved day is given: the caps leave room for all of them.
    assert home == approved
    desk_days = RosterEntry.objects.filter(roster=roster, status=EntryStatus.DESK, service_point=city.desk)
    assert sorted(desk_days.values_list("day", flat=True)) == [week + dt.timedelta(days=offset) for offset in range(5)]
    assert set(desk_days.values_list("staff_id", flat=True)) == {city.clerk.pk}


def test_approved_leave_is_respected_before_and_after_generation(city, week):
    leave_record(staff=city.staff[0], starts_on=week, ends_on=week + dt.timedelta(days=1), kind=LeaveKind.ANNUAL, actor=city.head_user)
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    assert cells(roster)[city.staff[0].pk, week] == EntryStatus.LEAVE
    assert cells(roster)[city.staff[0].pk, week + dt.timedelta(days=1)] == EntryStatus.LEAVE

    later = leave_record(staff=city.staff[1], starts_on=week + dt.timedelta(days=3), ends_on=week + dt.timedelta(days=3), kind=LeaveKind.SICK, actor=city.hr)
    assert cells(roster)[city.staff[1].pk, week + dt.timedelta(days=3)] == EntryStatus.LEAVE
    assert checker_report(roster).total == 0

    leave_cancel(leave=later, actor=city.head_user)
    assert cells(roster)[city.staff[1].pk, week + dt.timedelta(days=3)] == EntryStatus.OFFICE


def test_public_holidays_are_not_days_of_the_roster(city):
    monday = next_monday()
    while all(calendar.is_working_day(monday + dt.timedelta(days=offset)) for offset in range(5)):
        monday += dt.timedelta(weeks=1)
    holidays = [monday + dt.timedelta(days=offset) for offset in range(5) if not calendar.is_working_day(monday + dt.timedelta(days=offset))]

    roster = roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)

    assert roster.days == [day.isoformat() for day in calendar.working_days(monday, monday + dt.timedelta(days=4))]
    assert not RosterEntry.objects.filter(roster=roster, day__in=holidays).exists()


def test_a_new_generation_is_the_next_version_and_the_only_current_one(city, week):
    first = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    roster_publish(roster=first, actor=city.head_user)
    second = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)

    first.refresh_from_db()
    assert (first.version, first.is_current, first.status) == (1, False, RosterStatus.PUBLISHED)
    assert (second.version, second.is_current, second.status) == (2, True, RosterStatus.DRAFT)
    # The same facts give the same roster, byte for byte.
    assert second.input_hash == first.input_hash
    assert second.output_hash == first.output_hash
    assert cells(second) == cells(first)


def test_staff_may_not_generate_a_roster(city, week):
    with pytest.raises(NotPermitted):
        roster_generate(unit=city.unit, week_start=week, actor=city.staff[0].user)
    assert not Roster.objects.exists()


def test_an_edit_breaking_a_hard_rule_is_refused_with_the_rule_and_nothing_changes(city, week):
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    member = city.staff[0]  # approved Monday and Wednesday only
    tuesday = week + dt.timedelta(days=1)
    before = cells(roster)
    audit_before = AuditEvent.objects.count()

    with pytest.raises(RuleViolation) as refused:
        roster_edit_cell(roster=roster, staff=member, day=tuesday, status=EntryStatus.HOME, actor=city.head_user)

    assert refused.value.rule == engine.APPROVED_DAYS_ONLY
    assert refused.value.details[0]["date"] == tuesday.isoformat()
    assert member.full_name in str(refused.value.message)
    assert cells(roster) == before
    assert AuditEvent.objects.count() == audit_before


def test_a_desk_only_one_person_can_staff_keeps_them_on_site_says_why_and_refuses_the_edit(city, week):
    desk_officer = city.staff[6]
    city.desk.qualified_staff.set([desk_officer])
    tuesday = week + dt.timedelta(days=1)
    approve_home_days(desk_officer, [tuesday])

    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)

    assert cells(roster)[desk_officer.pk, tuesday] == EntryStatus.DESK
    # The home-day guarantee is the rule the head may relax; city policy (the desk) is kept, and the roster says why.
    assert roster.certificate["checker"]["policy_total"] == 0
    assert roster.certificate["checker"]["by_rule"] == {engine.MIN_HOME_DAYS_PER_WEEK: 1}
    assert [breach["rule"] for breach in roster.certificate["breaches"]] == [engine.MIN_HOME_DAYS_PER_WEEK]
    assert any(desk_officer.full_name in message["en"] and city.desk.name in message["en"] for message in roster.explanation["conflicts"])
    assert roster.explanation["relaxed"]
    before = cells(roster)

    with pytest.raises(RuleViolation) as refused:
        roster_edit_cell(roster=roster, staff=desk_officer, day=tuesday, status=EntryStatus.HOME, actor=city.head_user)

    assert refused.value.rule == engine.DESK_STAFF_ON_SITE
    assert city.desk.name in str(refused.value.message)
    assert cells(roster) == before


def test_an_edit_past_the_unit_home_cap_is_refused(city, week):
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    assert sum(1 for member in city.staff if cells(roster)[member.pk, week] == EntryStatus.HOME) == 3
    extra = city.staff[6]
    approve_home_days(extra, [week])  # approved after generation, against a Monday already full
    before = cells(roster)

    with pytest.raises(RuleViolation) as refused:
        roster_edit_cell(roster=roster, staff=extra, day=week, status=EntryStatus.HOME, actor=city.head_user)

    assert refused.value.rule == engine.MAX_HOME_SHARE
    assert "3" in str(refused.value.message)
    assert cells(roster) == before


def test_an_edit_within_the_rules_is_saved_marked_manual_and_audited(city, week):
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    member = city.staff[0]

    entry, warnings = roster_edit_cell(roster=roster, staff=member, day=week, status=EntryStatus.OFFICE, actor=city.head_user)

    assert (entry.status, entry.is_manual) == (EntryStatus.OFFICE, True)
    assert warnings == []
    event = AuditEvent.objects.get(action="roster.edit", object_id=str(roster.pk))
    assert event.before["status"] == EntryStatus.HOME
    assert event.after["status"] == EntryStatus.OFFICE


def test_an_edit_on_a_team_day_only_warns(city, week):
    unit_event_save(unit=city.unit, day=week, title="Họp giao ban tháng", kind=UnitEventKind.MEETING, actor=city.head_user)
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    member = city.staff[0]
    assert cells(roster)[member.pk, week] == EntryStatus.OFFICE  # the meeting keeps everyone on site

    entry, warnings = roster_edit_cell(roster=roster, staff=member, day=week, status=EntryStatus.HOME, actor=city.head_user)

    assert entry.status == EntryStatus.HOME
    assert [warning["rule"] for warning in warnings] == [engine.FIXED_ON_SITE_DAYS]
    assert "Họp giao ban tháng" in warnings[0]["message"]


def test_publish_notifies_every_staff_member_and_is_audited(city, week, django_capture_on_commit_callbacks):
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)

    with django_capture_on_commit_callbacks(execute=True):
        roster_publish(roster=roster, actor=city.head_user)

    roster.refresh_from_db()
    assert roster.status == RosterStatus.PUBLISHED
    assert roster.published_by == city.head_user
    notified = set(Notification.objects.filter(key=f"roster:{roster.pk}:published").values_list("user_id", flat=True))
    assert notified == {member.user_id for member in [city.head, *city.staff, city.clerk]}
    assert AuditEvent.objects.filter(action="roster.publish", object_id=str(roster.pk)).count() == 1


def test_publishing_twice_is_refused(city, week):
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)
    roster_publish(roster=roster, actor=city.head_user)

    with pytest.raises(InvalidTransition):
        roster_publish(roster=roster, actor=city.head_user)
    assert AuditEvent.objects.filter(action="roster.publish").count() == 1


@pytest.fixture
def swap_week(city):  # type: ignore[no-untyped-def]
    """A and B are both approved for Monday and Tuesday, one home day a week each: A at home Monday, B Tuesday."""
    from telework.policy.models import Policy

    Policy.objects.filter(pk=city.policy.pk).update(parameters={**city.policy.parameters, "max_home_days_per_week": 1})
    monday = next_monday()
    first, second = city.staff[0], city.staff[1]
    for member in (first, second):
        approve_home_days(member, [monday, monday + dt.timedelta(days=1)])
    roster = roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    tuesday = monday + dt.timedelta(days=1)
    for member, home_day, office_day in ((first, monday, tuesday), (second, tuesday, monday)):
        roster_edit_cell(roster=roster, staff=member, day=office_day, status=EntryStatus.OFFICE, actor=city.head_user)
        roster_edit_cell(roster=roster, staff=member, day=home_day, status=EntryStatus.HOME, actor=city.head_user)
    roster_publish(roster=roster, actor=city.head_user)
    return roster, first, second, monday, tuesday


def test_an_approved_swap_exchanges_the_days(city, swap_week):
    roster, first, second, monday, tuesday = swap_week

    swap = swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=tuesday, actor=first.user, reason="Con ốm")
    swap_accept(swap=swap, actor=second.user)
    swap_approve(swap=swap, actor=city.head_user)

    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED
    assert [cells(roster)[key] for key in ((first.pk, monday), (first.pk, tuesday), (second.pk, monday), (second.pk, tuesday))] == [
        EntryStatus.OFFICE,
        EntryStatus.HOME,
        EntryStatus.HOME,
        EntryStatus.OFFICE,
    ]
    assert checker_report(roster).total == 0
    assert AuditEvent.objects.filter(action="swap.approve", object_id=str(swap.pk)).count() == 1


def test_a_swap_is_validated_again_at_approval_and_refused_when_it_now_breaks_a_rule(city, swap_week):
    roster, first, second, monday, tuesday = swap_week
    swap = swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=tuesday, actor=first.user)
    swap_accept(swap=swap, actor=second.user)
    # Meanwhile B's registration is revoked: B has no approved home day left to carry onto Monday.
    RegistrationDay.objects.filter(staff=second).update(is_counted=False)
    before = cells(roster)

    with pytest.raises(RuleViolation) as refused:
        swap_approve(swap=swap, actor=city.head_user)

    assert refused.value.rule == engine.APPROVED_DAYS_ONLY
    swap.refresh_from_db()
    assert swap.status == SwapStatus.ACCEPTED
    assert cells(roster) == before
    assert (counted_days(first), counted_days(second)) == ([monday, tuesday], [])
    assert not AuditEvent.objects.filter(action="registration.home_day_move").exists()


def test_a_swap_onto_a_day_not_approved_is_refused_when_asked(city, swap_week):
    roster, first, second, monday, tuesday = swap_week
    colleague = city.staff[2]  # no approved home day

    with pytest.raises(RuleViolation) as refused:
        swap_request(roster=roster, requester=first, counterpart=colleague, requester_day=monday, counterpart_day=monday, actor=first.user)
    assert refused.value.rule == engine.APPROVED_DAYS_ONLY
    # Exchanging Monday for Wednesday would give B two home days in a week allowing one.
    with pytest.raises(RuleViolation) as refused:
        swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=tuesday + dt.timedelta(days=1), actor=first.user)
    assert refused.value.rule == engine.MAX_HOME_DAYS_PER_WEEK
    assert not SwapRequest.objects.exists()


@pytest.fixture
def page_example_week(city):  # type: ignore[no-untyped-def]
    """The swap page's own example: A is approved for Monday only and at home that day, in the office on Wednesday;
    B is approved for Wednesday only and at home then, in the office on Monday."""
    monday = next_monday()
    wednesday = monday + dt.timedelta(days=2)
    first, second = city.staff[0], city.staff[1]
    approve_home_days(first, [monday])
    approve_home_days(second, [wednesday])
    roster = roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
    assert (cells(roster)[first.pk, monday], cells(roster)[second.pk, wednesday]) == (EntryStatus.HOME, EntryStatus.HOME)
    roster_publish(roster=roster, actor=city.head_user)
    return roster, first, second, monday, wednesday


def counted_days(staff):  # type: ignore[no-untyped-def]
    return sorted(RegistrationDay.objects.filter(staff=staff, is_counted=True).values_list("day", flat=True))


def test_the_pages_example_home_monday_for_office_wednesday_moves_the_roster_and_the_approved_days(city, page_example_week):
    roster, first, second, monday, wednesday = page_example_week

    swap = swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=wednesday, actor=first.user)
    swap_accept(swap=swap, actor=second.user)
    swap_approve(swap=swap, actor=city.head_user)

    swap.refresh_from_db()
    assert swap.status == SwapStatus.APPROVED
    assert [cells(roster)[key] for key in ((first.pk, monday), (first.pk, wednesday), (second.pk, monday), (second.pk, wednesday))] == [
        EntryStatus.OFFICE,
        EntryStatus.HOME,
        EntryStatus.HOME,
        EntryStatus.OFFICE,
    ]
    assert (counted_days(first), counted_days(second)) == ([wednesday], [monday])
    assert checker_report(roster).total == 0
    moved = AuditEvent.objects.filter(action="registration.home_day_move").order_by("pk")
    assert [(event.before["day"], event.after["day"]) for event in moved] == [
        (monday.isoformat(), wednesday.isoformat()),
        (wednesday.isoformat(), monday.isoformat()),
    ]


def test_a_week_generated_again_after_an_approved_swap_keeps_the_swap(city, page_example_week):
    roster, first, second, monday, wednesday = page_example_week
    swap = swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=wednesday, actor=first.user)
    swap_accept(swap=swap, actor=second.user)
    swap_approve(swap=swap, actor=city.head_user)

    again = roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)

    assert again.version == roster.version + 1
    assert [cells(again)[key] for key in ((first.pk, monday), (first.pk, wednesday), (second.pk, monday), (second.pk, wednesday))] == [
        EntryStatus.OFFICE,
        EntryStatus.HOME,
        EntryStatus.HOME,
        EntryStatus.OFFICE,
    ]


def test_only_the_colleague_or_the_head_rejects_a_swap_and_with_a_reason(city, swap_week):
    roster, first, second, monday, tuesday = swap_week
    swap = swap_request(roster=roster, requester=first, counterpart=second, requester_day=monday, counterpart_day=tuesday, actor=first.user)

    with pytest.raises(NotPermitted):
        swap_reject(swap=swap, actor=city.staff[2].user, reason="Không")
    with pytest.raises(ValidationFailed):
        swap_reject(swap=swap, actor=second.user, reason=" ")
    swap_reject(swap=swap, actor=second.user, reason="Tôi có lịch họp")

    swap.refresh_from_db()
    assert (swap.status, swap.decision_comment) == (SwapStatus.REJECTED, "Tôi có lịch họp")


def test_switching_emergency_mode_regenerates_this_and_next_week_rosters(city, django_capture_on_commit_callbacks):
    this_monday = week_start_of(timezone.localdate())
    next_week = this_monday + dt.timedelta(weeks=1)
    drafts = [
        roster_generate(unit=city.unit, week_start=monday, actor=city.head_user)
        for monday in (this_monday, next_week)
        if calendar.working_days(monday, monday + dt.timedelta(days=4))
    ]
    published = drafts[-1]
    roster_publish(roster=published, actor=city.head_user)
    later = roster_generate(unit=city.unit, week_start=next_week + dt.timedelta(weeks=1), actor=city.head_user)

    with django_capture_on_commit_callbacks(execute=True):
        switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Dịch bệnh")

    for roster in drafts:
        current = Roster.objects.get(unit=city.unit, week_start=roster.week_start, is_current=True)
        assert current.version == roster.version + 1
        assert current.status == RosterStatus.DRAFT
        assert current.policy["active_switches"] == [SwitchKind.EMERGENCY]
        assert current.policy["max_home_share"] == 0.5
    assert Roster.objects.get(unit=city.unit, week_start=later.week_start, is_current=True).version == 1
    head_notes = Notification.objects.filter(user=city.head_user, key__endswith=":regenerated")
    assert head_notes.count() == 1


def test_generating_many_units_at_once_stores_one_current_roster_per_unit(city, week):
    from telework.organization.tests.factories import PositionFactory, StaffFactory, UnitFactory

    second_unit = UnitFactory(agency=city.agency, name="Phòng Tổng hợp")
    officer = PositionFactory(agency=city.agency)
    StaffFactory(unit=second_unit, position=officer, is_leader=True)
    for _ in range(4):
        StaffFactory(unit=second_unit, position=officer)

    summary = rosters_generate_many(week_start=week, actor=city.home_affairs, agency=city.agency, workers=1)

    hr_unit = city.hr.staff.unit
    assert summary["units"] == 3  # every unit of the agency with staff: the planning unit, the new one, HR
    assert summary["staff"] == 10 + 5 + 1
    # The HR unit has no leader: "a leader on site every day" fails on its five days, and nothing else fails.
    assert summary["hard_violations"] == summary["unavoidable"] == 5
    hr_roster = Roster.objects.get(unit=hr_unit, is_current=True)
    assert hr_roster.certificate["checker"]["by_rule"] == {engine.LEADER_ON_SITE: 5}
    assert "has no leader" in hr_roster.explanation["unavoidable"][0]["en"]
    assert summary["optimal_share"] == 1.0
    assert sorted(Roster.objects.filter(is_current=True).values_list("unit_id", flat=True)) == sorted([city.unit.pk, second_unit.pk, hr_unit.pk])
    assert AuditEvent.objects.filter(action="roster.generate").count() == 3


def test_the_grid_counts_each_day_against_the_limits(city, week):
    roster = roster_generate(unit=city.unit, week_start=week, actor=city.head_user)

    grid = roster_grid(roster=roster, viewer=city.head_user)

    assert grid.can_edit
    assert grid.is_proven_optimal
    assert [total.home_limit for total in grid.totals] == [3] * 5
    assert [total.home for total in grid.totals] == [3, 2, 2, 2, 3]
    assert all(point.is_staffed for total in grid.totals for point in total.points)
    assert grid.findings == []
    assert grid.warnings == []
    assert grid.rows[0].staff == city.head  # leaders first


def test_history_from_published_rosters_feeds_the_next_week(city, week):
    first = roster_publish(roster=roster_generate(unit=city.unit, week_start=week, actor=city.head_user), actor=city.head_user)
    member = city.staff[0]  # Monday and Wednesday at home in the published week
    # Last week's Monday is taken from them by hand: one approved day owed.
    roster_edit_cell(roster=first, staff=member, day=week, status=EntryStatus.OFFICE, actor=city.head_user)
    next_week = week + dt.timedelta(weeks=1)

    loaded = load_unit(city.unit, next_week)

    assert loaded is not None
    person = next(person for person in loaded.instance.people if person.id == member.pk)
    assert person.last_week_home_weekdays == frozenset({2})
    assert (person.recent_home_days, person.recent_entitled_days, person.history_debt) == (1, 2, 1)
    assert person.recent_popular_home_days == 0
    drafts = next(person for person in loaded.instance.people if person.id == city.staff[6].pk)
    assert (drafts.recent_home_days, drafts.recent_entitled_days) == (0, 0)


def test_a_monthly_cap_counts_the_home_days_already_published_this_month(city):
    from telework.policy.models import Policy

    Policy.objects.filter(pk=city.policy.pk).update(parameters={**city.policy.parameters, "max_home_days_per_month": 3, "max_home_days_per_week": 2})
    monday = next_monday()
    # Two holiday-free weeks inside one month.
    while (monday + dt.timedelta(days=11)).month != monday.month or not all(
        calendar.is_working_day(monday + dt.timedelta(days=offset)) for offset in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)
    ):
        monday += dt.timedelta(weeks=1)
    member = city.staff[0]
    following = monday + dt.timedelta(weeks=1)
    approve_home_days(member, [monday, monday + dt.timedelta(days=2), following, following + dt.timedelta(days=2)])
    roster_publish(roster=roster_generate(unit=city.unit, week_start=monday, actor=city.head_user), actor=city.head_user)

    roster = roster_generate(unit=city.unit, week_start=following, actor=city.head_user)

    home = sorted(day for (staff_id, day), status in cells(roster).items() if staff_id == member.pk and status == EntryStatus.HOME)
    assert len(home) == 1  # two home days already published this month, a cap of three
    assert roster.certificate["checker"]["total"] == 0
