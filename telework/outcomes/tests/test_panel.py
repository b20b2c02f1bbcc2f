"""The outcome panel computes each indicator right on a small hand-made week, a refresh touches only its week and
can run again without changing anything, and small groups of pulse answers are never shown."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from telework.core.models import AuditEvent
from telework.evaluations.models import Evaluation, EvaluationPeriod, PeriodStatus
from telework.outcomes import panel
from telework.outcomes.models import OutcomeValue, PanelRefresh, RefreshKind
from telework.outcomes.tests import builders
from telework.outcomes.tests.builders import PREVIOUS_WEEK, THIS_WEEK, WEEK, day
from telework.surveys.models import PulseResponse

pytestmark = pytest.mark.django_db


def values(unit, week=WEEK) -> dict[str, float]:
    return {row.indicator: row.value for row in OutcomeValue.objects.filter(unit=unit, week=week)}


def counts(unit, week=WEEK) -> dict[str, tuple[float | None, float | None]]:
    return {row.indicator: (row.numerator, row.denominator) for row in OutcomeValue.objects.filter(unit=unit, week=week)}


def test_dossier_and_rating_indicators(city):
    builders.dossiers(city)
    panel.refresh(day(2))
    figures = values(city.unit)
    assert figures["dossier_on_time_rate"] == pytest.approx(0.5)
    # Time used 57 h + 54 h against 81 h + 24 h allowed.
    assert figures["dossier_handling_time_ratio"] == pytest.approx(111 / 105)
    assert counts(city.unit)["dossier_handling_time_ratio"] == (pytest.approx(111 * 3600), pytest.approx(105 * 3600))
    assert figures["dossier_online_share"] == pytest.approx(1 / 3)
    # The dossier returned late in the week and the one still open past its due date; the withdrawn one is not late.
    assert figures["dossier_overdue"] == 2
    assert figures["dossier_apology_letters"] == 1
    assert figures["citizen_satisfied_share"] == pytest.approx(0.5)
    assert figures["citizen_dissatisfied"] == 1


def test_overdue_and_apologies_are_zero_not_missing_once_the_unit_has_dossiers(city):
    builders.dossiers(city)
    panel.rebuild()
    assert values(city.unit, PREVIOUS_WEEK)["dossier_overdue"] == 1
    assert values(city.unit, PREVIOUS_WEEK)["dossier_apology_letters"] == 0
    assert values(city.unit, THIS_WEEK)["dossier_overdue"] == 1
    # No dossier returned in the previous week: no on-time rate at all, rather than a zero.
    assert "dossier_on_time_rate" not in values(city.unit, PREVIOUS_WEEK)
    # A unit without any dossier has no dossier figures.
    assert not any(code.startswith("dossier_") for code in values(city.outsider.unit))


def test_work_item_indicators(city):
    builders.work_items(city)
    panel.refresh(day(2))
    figures = values(city.unit)
    assert figures["work_on_time_rate"] == pytest.approx(2 / 3)
    assert figures["work_returned_share"] == pytest.approx(1 / 3)
    assert figures["work_quality_rating"] == pytest.approx(3.0)
    # Three items accepted by the ten people in post.
    assert figures["work_throughput_per_fte"] == pytest.approx(0.3)
    assert counts(city.unit)["work_throughput_per_fte"] == (3, 10)


def test_roster_attendance_and_participation_indicators(city):
    builders.roster_and_check_ins(city)
    panel.refresh(day(2))
    figures = values(city.unit)
    assert figures["home_day_share"] == pytest.approx(3 / 10)
    assert figures["leave_share"] == pytest.approx(1 / 10)
    assert figures["attendance_roster_match"] == pytest.approx(6 / 9)
    assert figures["reachability_share"] == pytest.approx(2 / 4)
    assert figures["participation_share"] == pytest.approx(1.0)
    assert figures["participation_one_day"] == pytest.approx(0.5)
    assert figures["participation_two_days"] == pytest.approx(0.5)
    assert figures["participation_three_plus_days"] == pytest.approx(0.0)


def test_pulse_indicators_only_for_groups_at_or_above_the_minimum(city, settings):
    settings.SURVEY_MIN_GROUP = 5
    builders.pulse(city)
    panel.refresh(day(2))
    figures = values(city.unit)
    assert figures["staff_wellbeing"] == pytest.approx(68.0)
    assert figures["staff_stress"] == pytest.approx(45.0)
    assert figures["staff_intention_to_stay"] == pytest.approx(0.6)
    # Four answers in the other unit: nothing about them.
    assert not any(code.startswith("staff_") for code in values(city.outsider.unit))

    settings.SURVEY_MIN_GROUP = 6
    panel.refresh(day(2))
    assert not any(code.startswith("staff_") for code in values(city.unit))


def test_a_pulse_wave_still_open_shows_nothing(city):
    builders.pulse(city, closes_on=dt.date(2026, 11, 19))
    panel.refresh(dt.date(2026, 11, 18))
    assert not any(code.startswith("staff_") for code in values(city.unit, THIS_WEEK))


def test_attrition_counts_end_dates_in_the_week(city):
    leaving = city.staff[7]
    leaving.ended_on = day(2)
    leaving.save(update_fields=["ended_on"])
    panel.refresh(day(2))
    assert values(city.unit)["attrition"] == pytest.approx(1 / 10)
    assert counts(city.unit)["attrition"] == (1, 10)
    panel.refresh(THIS_WEEK)
    assert values(city.unit, THIS_WEEK)["attrition"] == 0


def test_evaluation_levels_of_a_published_period(city):
    from telework.evaluations.tests.helpers import computed_quarter

    period = computed_quarter(city)
    EvaluationPeriod.objects.filter(pk=period.pk).update(status=PeriodStatus.PUBLISHED)
    people = list(Evaluation.objects.filter(period=period, unit=city.unit).order_by("pk"))
    assert len(people) == 10
    for index, evaluation in enumerate(people):
        evaluation.final_level = ["excellent", "good", "completed", "completed", "good"][index % 5]
        evaluation.save(update_fields=["final_level"])
    panel.refresh(period.ends_on)
    figures = values(city.unit, panel.monday(period.ends_on))
    assert figures["evaluation_excellent_share"] == pytest.approx(6 / 10)


def test_refresh_of_a_day_touches_only_its_week_and_is_idempotent(city):
    builders.dossiers(city)
    builders.work_items(city)
    builders.roster_and_check_ins(city)
    elsewhere = OutcomeValue.objects.create(
        unit=city.unit, week=dt.date(2026, 10, 5), indicator="attrition", value=0.5, updated_at=dt.datetime(2026, 10, 12, tzinfo=dt.UTC)
    )
    panel.refresh(day(2))
    first = sorted(OutcomeValue.objects.values_list("unit_id", "week", "indicator", "value", "numerator", "denominator"))
    assert {week for _, week, *_ in first} == {WEEK, elsewhere.week}
    assert OutcomeValue.objects.get(pk=elsewhere.pk).value == 0.5
    panel.refresh(day(5))
    again = sorted(OutcomeValue.objects.values_list("unit_id", "week", "indicator", "value", "numerator", "denominator"))
    assert again == first
    assert PanelRefresh.objects.filter(kind=RefreshKind.DAY).count() == 2


def test_rebuild_is_audited_and_equals_the_weekly_refreshes(city):
    builders.dossiers(city)
    builders.work_items(city)
    builders.roster_and_check_ins(city)
    builders.pulse(city)
    result = panel.rebuild(actor=city.home_affairs)
    rebuilt = sorted(OutcomeValue.objects.values_list("unit_id", "week", "indicator", "value"))
    assert result.refresh.first_week == PREVIOUS_WEEK
    assert result.refresh.last_week == THIS_WEEK
    assert result.refresh.rows == len(rebuilt)
    event = AuditEvent.objects.get(action="outcome_panel.rebuild")
    assert event.actor_id == city.home_affairs.pk
    assert event.after["rows"] == len(rebuilt)
    for week in (PREVIOUS_WEEK, WEEK, THIS_WEEK):
        panel.refresh(week)
    assert sorted(OutcomeValue.objects.values_list("unit_id", "week", "indicator", "value")) == rebuilt


def test_the_command_refreshes_a_day_or_rebuilds(city, capsys):
    builders.work_items(city)
    call_command("refresh_outcomes", "--day", "2026-11-11")
    assert "work_on_time_rate" in values(city.unit)
    call_command("refresh_outcomes", "--rebuild")
    assert PanelRefresh.objects.filter(kind=RefreshKind.REBUILD).count() == 1
    assert AuditEvent.objects.filter(action="outcome_panel.rebuild").count() == 1


def test_the_nightly_job_catches_up_the_weeks_skipped_since_the_last_refresh(city):
    from telework.outcomes.tasks import refresh_panel

    builders.work_items(city)
    panel.refresh(PREVIOUS_WEEK)
    # Nights skipped (say a holiday): the next run (yesterday is Tuesday 17/11) recomputes the last refreshed week
    # and every week since.
    result = refresh_panel()
    assert result["weeks"] == [PREVIOUS_WEEK.isoformat(), WEEK.isoformat(), THIS_WEEK.isoformat()]
    assert result["rows"] == OutcomeValue.objects.count()
    assert "work_on_time_rate" in values(city.unit)
    # Up to date: only yesterday's week again.
    assert refresh_panel()["weeks"] == [THIS_WEEK.isoformat()]


def test_the_unit_page_reads_the_panel_in_a_fixed_number_of_queries(client, city, django_assert_max_num_queries):
    builders.work_items(city)
    builders.roster_and_check_ins(city)
    panel.refresh(WEEK)
    client.force_login(city.home_affairs)
    with django_assert_max_num_queries(12):
        assert client.get(f"/outcomes/units/{city.unit.pk}/").status_code == 200


def test_a_unit_whose_answers_would_follow_by_subtraction_is_not_shown(city, settings):
    """As the surveys app folds groups: with a unit of 2 answers hidden in the agency, the smallest shown unit is
    hidden too, or the agency's figure minus the shown units would give the two people's answers."""
    from telework.organization.tests.factories import UnitFactory

    settings.SURVEY_MIN_GROUP = 5
    wave = builders.pulse(city)  # five answers in the unit, four in another agency's unit
    larger = UnitFactory(agency=city.agency, name="Phòng lớn")
    small = UnitFactory(agency=city.agency, name="Phòng nhỏ")
    for unit, count in ((larger, 6), (small, 2)):
        for _ in range(count):
            PulseResponse.objects.create(wave=wave, agency=city.agency, unit=unit, answers=builders.pulse_answers(2, 3, 3))
    panel.refresh(day(2))
    assert not any(code.startswith("staff_") for code in values(city.unit))
    assert not any(code.startswith("staff_") for code in values(small))
    assert values(larger)["staff_wellbeing"] == pytest.approx(40.0)
