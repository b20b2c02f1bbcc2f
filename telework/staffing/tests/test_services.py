"""The rules of a same-day staffing round: who opens, fills, signs off and decides; the bounds; the deadline."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent, Notification
from telework.policy.models import Policy, PolicyLevel
from telework.policy.selectors import policy_for_unit
from telework.staffing import services
from telework.staffing.models import ReportRound, ReportRow, RoundState, UnitDecision
from telework.staffing.tests.factories import local, staffing_city, unit_total

pytestmark = pytest.mark.django_db


@pytest.fixture
def special(city):  # type: ignore[no-untyped-def]
    return staffing_city(city)


@pytest.fixture
def opened(city, special, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        report_round = services.round_open(
            actor=city.home_affairs, title="Nhu cầu nhân sự ngày 18/11", deadline=local(16), units=special.units, reference_number="123/SNV-TCBC"
        )
    return report_round


def _row(report_round: ReportRound, index: int, special) -> ReportRow:  # type: ignore[no-untyped-def]
    return report_round.rows.get(unit=special.units[index])


def test_opening_a_round_makes_one_row_per_unit_with_its_staff_count(opened, special):  # type: ignore[no-untyped-def]
    rows = list(opened.rows.order_by("unit__name"))
    assert {row.unit_id: row.total_staff for row in rows} == {unit.pk: unit_total(unit) for unit in special.units}
    assert opened.state == RoundState.OPEN
    assert AuditEvent.objects.filter(action="staffing_round.open", object_id=str(opened.pk)).count() == 1


def test_opening_a_round_tells_each_unit_head(opened, special):  # type: ignore[no-untyped-def]
    for head in special.heads:
        assert Notification.objects.filter(user=head, key__startswith="staffing:open:").count() == 1


@pytest.mark.parametrize("who", ["head_user", "leadership", "hr"])
def test_only_home_affairs_opens_a_round(city, special, who):  # type: ignore[no-untyped-def]
    with pytest.raises(NotPermitted):
        services.round_open(actor=getattr(city, who), title="X", deadline=local(16), units=special.units)
    assert ReportRound.objects.count() == 0


def test_a_deadline_already_past_is_refused(city, special):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as refused:
        services.round_open(actor=city.home_affairs, title="X", deadline=local(9), units=special.units)
    assert refused.value.rule == "deadline"
    assert ReportRound.objects.count() == 0


def test_a_round_without_units_is_refused(city):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed):
        services.round_open(actor=city.home_affairs, title="X", deadline=local(16), units=[])
    assert ReportRound.objects.count() == 0


def test_the_unit_head_fills_the_row_before_the_deadline(opened, special):  # type: ignore[no-untyped-def]
    row = _row(opened, 0, special)
    services.row_fill(actor=special.heads[0], row=row, needed_on_site=6, proposed_at_home=3, reason="Bộ phận một cửa phải mở")
    row.refresh_from_db()
    assert (row.needed_on_site, row.proposed_at_home, row.is_late, row.filled_by) == (6, 3, False, special.heads[0])
    assert AuditEvent.objects.filter(action="staffing_row.fill", object_id=str(row.pk)).count() == 1


def test_another_units_head_may_not_fill_the_row(opened, special):  # type: ignore[no-untyped-def]
    row = _row(opened, 0, special)
    with pytest.raises(NotPermitted):
        services.row_fill(actor=special.heads[1], row=row, needed_on_site=1, proposed_at_home=0, reason="")
    row.refresh_from_db()
    assert row.filled_at is None


@pytest.mark.parametrize(
    ("needed", "home", "reason", "rule"),
    [
        (99, 0, "", "staffing.needed_within_total"),
        (6, 6, "x", "staffing.sum_within_total"),
        (5, 2, "  ", "staffing.reason_required"),
        (-1, 0, "", "staffing.non_negative"),
    ],
)
def test_figures_out_of_bounds_are_refused_and_nothing_changes(opened, special, needed, home, reason, rule):  # type: ignore[no-untyped-def]
    row = _row(opened, 0, special)
    with pytest.raises(ValidationFailed) as refused:
        services.row_fill(actor=special.heads[0], row=row, needed_on_site=needed, proposed_at_home=home, reason=reason)
    assert refused.value.rule == rule
    row.refresh_from_db()
    assert (row.needed_on_site, row.proposed_at_home, row.filled_at) == (None, None, None)


def test_after_the_deadline_the_row_is_refused_unless_sent_as_late(opened, special, clock):  # type: ignore[no-untyped-def]
    row = _row(opened, 1, special)
    clock.move_to(local(16, 5))
    with pytest.raises(RuleViolation) as refused:
        services.row_fill(actor=special.heads[1], row=row, needed_on_site=3, proposed_at_home=0, reason="")
    assert refused.value.rule == "staffing.deadline"
    row.refresh_from_db()
    assert row.filled_at is None
    services.row_fill(actor=special.heads[1], row=row, needed_on_site=3, proposed_at_home=0, reason="", late=True)
    row.refresh_from_db()
    assert (row.needed_on_site, row.is_late) == (3, True)


def test_the_agency_head_of_the_units_agency_signs_off(opened, special):  # type: ignore[no-untyped-def]
    row = _row(opened, 0, special)
    services.row_fill(actor=special.heads[0], row=row, needed_on_site=6, proposed_at_home=0, reason="")
    with pytest.raises(NotPermitted):
        services.row_sign_off(actor=special.agency_heads[1], row=row)
    row.refresh_from_db()
    assert row.signed_off_at is None
    services.row_sign_off(actor=special.agency_heads[0], row=row)
    row.refresh_from_db()
    assert row.signed_off_by == special.agency_heads[0]
    with pytest.raises(InvalidTransition):
        services.row_fill(actor=special.heads[0], row=row, needed_on_site=5, proposed_at_home=0, reason="")
    row.refresh_from_db()
    assert row.needed_on_site == 6


def test_an_unfilled_row_cannot_be_signed_off(opened, special):  # type: ignore[no-untyped-def]
    row = _row(opened, 0, special)
    with pytest.raises(InvalidTransition):
        services.row_sign_off(actor=special.agency_heads[0], row=row)
    row.refresh_from_db()
    assert row.signed_off_at is None


def test_a_closed_round_takes_no_more_reports(opened, special, city):  # type: ignore[no-untyped-def]
    services.round_close(actor=city.home_affairs, report_round=opened)
    row = _row(opened, 0, special)
    with pytest.raises(InvalidTransition):
        services.row_fill(actor=special.heads[0], row=row, needed_on_site=1, proposed_at_home=0, reason="")
    with pytest.raises(InvalidTransition):
        services.round_close(actor=city.home_affairs, report_round=opened)
    opened.refresh_from_db()
    assert opened.state == RoundState.CLOSED


def test_reminders_go_to_heads_who_have_not_answered_once(opened, special, clock):  # type: ignore[no-untyped-def]
    services.row_fill(actor=special.heads[0], row=_row(opened, 0, special), needed_on_site=6, proposed_at_home=0, reason="")
    assert services.reminders_send() == 0  # 09:30: the 16:00 deadline is not yet near
    clock.move_to(local(14, 30))
    assert services.reminders_send() == 1
    services.reminders_send()
    assert Notification.objects.filter(key__startswith="staffing:remind:").count() == 1
    assert Notification.objects.get(key__startswith="staffing:remind:").user == special.heads[1]


def _decidable(opened, special, city):  # type: ignore[no-untyped-def]
    services.row_fill(actor=special.heads[0], row=_row(opened, 0, special), needed_on_site=8, proposed_at_home=3, reason="Luân phiên")
    services.row_fill(actor=special.heads[1], row=_row(opened, 1, special), needed_on_site=6, proposed_at_home=1, reason="Trực")
    services.round_close(actor=city.home_affairs, report_round=opened)


def test_a_decision_becomes_the_units_policy_override_for_the_period(opened, special, city):  # type: ignore[no-untyped-def]
    _decidable(opened, special, city)
    row = _row(opened, 0, special)
    start, end = dt.date(2026, 11, 19), dt.date(2026, 11, 30)
    decision = services.round_decide(actor=city.home_affairs, row=row, on_site_minimum=8, home_cap=3, starts_on=start, ends_on=end, note="QĐ UBND")
    assert row.total_staff == 11
    in_period = policy_for_unit(row.unit, dt.date(2026, 11, 20)).parameters
    assert (in_period.min_onsite_share, in_period.max_home_share) == (0.728, 0.272)
    after = policy_for_unit(row.unit, dt.date(2026, 12, 1)).parameters
    assert (after.min_onsite_share, after.max_home_share) == (0.7, 0.3)
    assert decision.policy is not None
    assert decision.policy.level == PolicyLevel.UNIT
    assert AuditEvent.objects.filter(action="policy.create", object_id=str(decision.policy.pk)).count() == 1
    assert AuditEvent.objects.filter(action="staffing_decision.create").count() == 1
    opened.refresh_from_db()
    assert opened.state == RoundState.CLOSED  # one filled unit still undecided


def test_deciding_every_filled_unit_decides_the_round(opened, special, city):  # type: ignore[no-untyped-def]
    _decidable(opened, special, city)
    day = dt.date(2026, 11, 19)
    for index, (minimum, cap) in enumerate([(8, 3), (6, 1)]):
        services.round_decide(actor=city.home_affairs, row=_row(opened, index, special), on_site_minimum=minimum, home_cap=cap, starts_on=day, ends_on=day)
    opened.refresh_from_db()
    assert opened.state == RoundState.DECIDED


def test_a_decision_looser_than_the_citys_policy_is_refused_and_nothing_is_written(opened, special, city):  # type: ignore[no-untyped-def]
    _decidable(opened, special, city)
    row = _row(opened, 0, special)
    policies = Policy.objects.count()
    with pytest.raises(ValidationFailed):
        services.round_decide(actor=city.home_affairs, row=row, on_site_minimum=2, home_cap=9, starts_on=dt.date(2026, 11, 19), ends_on=dt.date(2026, 11, 20))
    assert Policy.objects.count() == policies
    assert UnitDecision.objects.count() == 0


def test_decisions_wait_for_the_round_to_close_and_only_home_affairs_decides(opened, special, city):  # type: ignore[no-untyped-def]
    row = _row(opened, 0, special)
    services.row_fill(actor=special.heads[0], row=row, needed_on_site=8, proposed_at_home=3, reason="x")
    day = dt.date(2026, 11, 19)
    with pytest.raises(InvalidTransition):
        services.round_decide(actor=city.home_affairs, row=row, on_site_minimum=8, home_cap=3, starts_on=day, ends_on=day)
    services.round_close(actor=city.home_affairs, report_round=opened)
    with pytest.raises(NotPermitted):
        services.round_decide(actor=special.agency_heads[0], row=row, on_site_minimum=8, home_cap=3, starts_on=day, ends_on=day)
    assert UnitDecision.objects.count() == 0


def test_the_reminder_job_runs_every_half_hour_on_working_days_and_calls_the_service(opened, special, clock, settings):  # type: ignore[no-untyped-def]
    from telework.staffing.tasks import send_reminders

    entry = settings.CELERY_BEAT_SCHEDULE["staffing-send-reminders"]
    assert entry["task"] == "staffing.send_reminders"
    assert entry["schedule"].minute == {0, 30}
    assert entry["schedule"].day_of_week == {1, 2, 3, 4, 5}
    clock.move_to(local(15))
    assert send_reminders() == 2
    assert send_reminders() == 2  # the same keys: nobody is told twice
    assert Notification.objects.filter(key__startswith="staffing:remind:").count() == 2


def test_turning_the_emergency_switch_on_opens_a_same_day_round_for_every_special_unit(city, special, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from telework.policy.models import SwitchKind
    from telework.policy.services import switch_set

    with django_capture_on_commit_callbacks(execute=True):
        switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Dịch bệnh")
    report_round = ReportRound.objects.get()
    assert report_round.title == "Nhu cầu nhân sự làm việc trực tiếp khi áp dụng chế độ khẩn cấp ngày 18/11/2026"
    assert report_round.deadline == local(16)
    assert set(report_round.rows.values_list("unit_id", flat=True)) == {unit.pk for unit in special.units}
    assert report_round.opened_by == city.home_affairs


@pytest.mark.frozen_at("2026-11-18 15:10")
def test_an_emergency_switched_on_late_in_the_day_gives_the_units_two_hours(city, special, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from telework.policy.models import SwitchKind
    from telework.policy.services import switch_set

    with django_capture_on_commit_callbacks(execute=True):
        switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Dịch bệnh")
    assert ReportRound.objects.get().deadline == local(17, 10)


def test_turning_the_suspension_switch_on_opens_no_round(city, special, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    from telework.policy.models import SwitchKind
    from telework.policy.services import switch_set

    with django_capture_on_commit_callbacks(execute=True):
        switch_set(actor=city.home_affairs, kind=SwitchKind.SUSPENSION, is_active=True, reason="Trở lại cơ quan")
    assert ReportRound.objects.count() == 0
