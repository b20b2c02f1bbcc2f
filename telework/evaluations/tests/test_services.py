"""The evaluation workflow: run, self-assessment, the head's decision, the quota, lock, publish, appeals."""

from __future__ import annotations

import datetime as dt

import pytest

from telework.accounts.models import Role
from telework.core.exceptions import InvalidTransition, NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent
from telework.evaluations import selectors, services
from telework.evaluations.models import CriteriaSet, Evaluation, EvaluationPeriod, EvaluationSettings, PeriodKind, PeriodStatus
from telework.evaluations.tests.helpers import FULL, agency_head, computed_quarter, work
from telework.organization.models import StaffType
from telework.organization.tests.factories import StaffFactory
from telework.registrations.models import Registration, RegistrationDay, RegistrationStatus

pytestmark = pytest.mark.django_db


def evaluation_of(period, staff) -> Evaluation:
    return Evaluation.objects.select_related("staff", "unit", "period").get(period=period, staff=staff)


def test_period_run_computes_everyone_in_the_agency_from_their_work(city):
    work(city, city.staff[0], rating=2)  # a major error
    work(city, city.staff[1], late=True)  # a delay
    period = computed_quarter(city)
    assert period.status == PeriodStatus.SELF_ASSESSMENT
    assert Evaluation.objects.filter(period=period).count() == 11  # the unit of 10 and the HR officer
    assert not Evaluation.objects.filter(period=period, staff=city.outsider).exists()
    plain = evaluation_of(period, city.staff[2])
    # General criteria not yet scored: 0 + 70 task points.
    assert (plain.regime, plain.score, plain.proposed_level) == ("decree_335_2025", 70, "good")
    assert plain.inputs["assigned"] == 2
    with_error = evaluation_of(period, city.staff[0])
    assert with_error.inputs["major_errors"] == 1
    assert float(with_error.score) == 68.06  # quality (8 + 8 + 8 × 0.75) / 24 = 91.67 %
    late = evaluation_of(period, city.staff[1])
    assert late.inputs["delays"] == 1
    assert AuditEvent.objects.filter(action="evaluation_period.run", object_id=str(period.pk)).count() == 1


def test_period_run_uses_decree_233_for_public_employees_from_july_2026(city):
    city.staff[3].staff_type = StaffType.VIEN_CHUC
    city.staff[3].save()
    period = computed_quarter(city)  # Q3 2026
    evaluation = evaluation_of(period, city.staff[3])
    assert (evaluation.regime, evaluation.score, evaluation.proposed_level) == ("decree_233_2026", 70, "good")
    assert period.criteria_233.regime == "decree_233_2026"


def test_period_run_uses_decree_90_for_public_employees_before_july_2026(city):
    city.staff[3].staff_type = StaffType.VIEN_CHUC
    city.staff[3].save()
    work(city, city.staff[3], due_on=dt.date(2026, 5, 14))
    period = services.period_create(actor=city.hr, kind=PeriodKind.QUARTER, year=2026, number=2, agency=city.agency)
    services.period_run(period=period, actor=city.hr)
    evaluation = evaluation_of(period, city.staff[3])
    assert (evaluation.regime, evaluation.score) == ("decree_90_2020", None)
    assert period.criteria_233 is None


@pytest.mark.parametrize(("has_own_regulation", "regime"), [(False, "decree_90_2020"), (True, "decree_233_2026")])
def test_end_2026_rating_of_public_employees_follows_the_agencys_own_regulation(city, has_own_regulation, regime):
    EvaluationSettings.objects.create(agency=city.agency, has_own_233_regulation=has_own_regulation)
    city.staff[3].staff_type = StaffType.VIEN_CHUC
    city.staff[3].save()
    work(city, city.staff[3])
    period = services.period_create(actor=city.hr, kind=PeriodKind.YEAR, year=2026, number=1, agency=city.agency)
    services.period_run(period=period, actor=city.hr)
    assert evaluation_of(period, city.staff[3]).regime == regime


def test_period_run_keeps_the_heads_scores_on_rerun(city):
    period = computed_quarter(city)
    services.head_confirm_or_change(evaluation=evaluation_of(period, city.staff[0]), actor=city.head_user, level="excellent", general=FULL)
    services.period_run(period=period, actor=city.hr)
    evaluation = evaluation_of(period, city.staff[0])
    assert (evaluation.general_scores, evaluation.proposed_level, evaluation.final_level) == (FULL, "excellent", "excellent")


def test_period_create_refused_for_a_unit_head(city):
    with pytest.raises(NotPermitted):
        services.period_create(actor=city.head_user, kind=PeriodKind.QUARTER, year=2026, number=3, agency=city.agency)
    assert not EvaluationPeriod.objects.exists()


def test_period_create_refused_when_criteria_were_not_published_before_the_start(city):
    CriteriaSet.objects.filter(regime="decree_335_2025").update(published_at=None)
    with pytest.raises(RuleViolation) as error:
        services.period_create(actor=city.home_affairs, kind=PeriodKind.MONTH, year=2026, number=1, agency=city.agency)
    assert error.value.rule == "criteria_set.published_at"
    assert not EvaluationPeriod.objects.exists()


def test_head_must_give_a_reason_for_a_level_other_than_proposed(city):
    period = computed_quarter(city)
    evaluation = evaluation_of(period, city.staff[0])
    with pytest.raises(ValidationFailed) as error:
        services.head_confirm_or_change(evaluation=evaluation, actor=city.head_user, level="completed")
    assert error.value.rule == "change_reason"
    evaluation.refresh_from_db()
    assert evaluation.final_level == ""
    services.head_confirm_or_change(evaluation=evaluation, actor=city.head_user, level="completed", reason="Chậm báo cáo tháng 8")
    evaluation.refresh_from_db()
    assert (evaluation.final_level, evaluation.change_reason) == ("completed", "Chậm báo cáo tháng 8")
    event = AuditEvent.objects.get(action="evaluation.decide", object_id=str(evaluation.pk))
    assert event.reason == "Chậm báo cáo tháng 8"


def test_head_scoring_the_general_criteria_rescores_the_proposal(city):
    period = computed_quarter(city)
    evaluation = services.head_confirm_or_change(evaluation=evaluation_of(period, city.staff[0]), actor=city.head_user, level="excellent", general=FULL)
    assert (float(evaluation.score), evaluation.proposed_level, evaluation.change_reason) == (100.0, "excellent", "")


def test_general_scores_above_the_maximum_are_refused(city):
    period = computed_quarter(city)
    with pytest.raises(ValidationFailed) as error:
        services.head_confirm_or_change(evaluation=evaluation_of(period, city.staff[0]), actor=city.head_user, level="good", general={**FULL, "ethics": 8})
    assert error.value.details[0]["field"] == "ethics"
    assert evaluation_of(period, city.staff[0]).general_scores is None


@pytest.mark.parametrize("who", ["own", "outsider_head", "staff"])
def test_head_decision_refused_outside_scope_or_on_oneself(city, who):
    period = computed_quarter(city)
    if who == "own":
        actor, target = city.head_user, city.head
    elif who == "staff":
        actor, target = city.staff[1].user, city.staff[0]
    else:
        actor, target = StaffFactory(unit=city.outsider.unit, user__role=Role.UNIT_HEAD).user, city.staff[0]
    with pytest.raises(NotPermitted):
        services.head_confirm_or_change(evaluation=evaluation_of(period, target), actor=actor, level="good")
    assert evaluation_of(period, target).final_level == ""


def test_self_assessment_only_by_the_person(city):
    period = computed_quarter(city)
    evaluation = evaluation_of(period, city.staff[0])
    with pytest.raises(NotPermitted):
        services.self_assess(evaluation=evaluation, actor=city.staff[1].user, text="Tốt", level="good")
    services.self_assess(evaluation=evaluation, actor=city.staff[0].user, text="Hoàn thành đủ việc", level="good")
    evaluation.refresh_from_db()
    assert (evaluation.self_assessment, evaluation.self_level) == ("Hoàn thành đủ việc", "good")


def make_excellent(city, period, people):
    for person in people:
        services.head_confirm_or_change(evaluation=evaluation_of(period, person), actor=city.head_user, level="excellent", general=FULL)


def test_quota_enforcement_moves_the_lowest_excellent_and_explains(city):
    work(city, city.staff[2], rating=2)  # lowers staff[2]'s score below the other two
    period = computed_quarter(city)
    make_excellent(city, period, city.staff[:3])
    services.head_confirm_unit(period=period, actor=city.head_user, evaluations=list(selectors.evaluation_list(viewer=city.head_user, period=period)))
    # 3 excellent for 6 good among the officers (the HR officer has no work measured: no proposal) → over 20 %.
    panel = selectors.quota_panel(viewer=city.head_user, period=period)
    assert [entry[0].staff_id for entry in panel.drops] == [city.staff[2].pk, city.staff[1].pk]
    with pytest.raises(NotPermitted):
        services.quota_enforce(period=period, actor=city.head_user)
    services.period_start_review(period=period, actor=city.hr)
    assert services.quota_enforce(period=period, actor=city.hr) == 2
    dropped = evaluation_of(period, city.staff[2])
    assert (dropped.final_level, dropped.is_quota_drop) == ("good", True)
    assert selectors.quota_reason(dropped, "en").startswith("Peer group Chuyên viên tổng hợp had 3 excellent for 6 good")
    assert selectors.quota_citation(dropped, "en") == "Decree 335/2025/NĐ-CP, Art. 20, cl. 5(a)"
    assert evaluation_of(period, city.staff[0]).final_level == "excellent"
    event = AuditEvent.objects.get(action="evaluation_period.quota_enforce")
    assert [move["staff"] for move in event.after["moved_to_good"]] == [city.staff[2].code, city.staff[1].code]


def finish_review(city, period):
    services.period_start_review(period=period, actor=city.hr)
    services.head_confirm_unit(period=period, actor=city.head_user, evaluations=list(Evaluation.objects.filter(period=period).select_related("unit", "staff")))
    # The unit head's own evaluation and the HR officer's go to the agency head.
    decider = agency_head(city)
    for evaluation in Evaluation.objects.filter(period=period, final_level=""):
        if evaluation.proposed_level:
            services.head_confirm_or_change(evaluation=evaluation, actor=decider, level=evaluation.proposed_level)
        else:
            services.head_confirm_or_change(evaluation=evaluation, actor=decider, level="completed", reason="Không được giao việc trong kỳ")


def test_lock_refused_while_someone_is_undecided(city):
    period = computed_quarter(city)
    services.period_start_review(period=period, actor=city.hr)
    with pytest.raises(RuleViolation) as error:
        services.period_lock(period=period, actor=city.hr)
    assert error.value.rule == "evaluation.final_level"
    period.refresh_from_db()
    assert period.status == PeriodStatus.HEAD_REVIEW


def test_lock_refused_while_the_quota_is_exceeded(city):
    period = computed_quarter(city)
    make_excellent(city, period, city.staff[:3])
    finish_review(city, period)
    with pytest.raises(RuleViolation) as error:
        services.period_lock(period=period, actor=city.hr)
    assert error.value.rule == "cap_ratio"
    services.quota_enforce(period=period, actor=city.hr)
    services.period_lock(period=period, actor=city.hr)
    period.refresh_from_db()
    assert period.status == PeriodStatus.LOCKED


def test_locked_levels_cannot_change(city):
    period = computed_quarter(city)
    finish_review(city, period)
    services.period_lock(period=period, actor=city.hr)
    with pytest.raises(InvalidTransition):
        services.head_confirm_or_change(evaluation=evaluation_of(period, city.staff[0]), actor=city.head_user, level="completed", reason="x")
    assert evaluation_of(period, city.staff[0]).final_level == "good"


def published(city):
    period = computed_quarter(city)
    finish_review(city, period)
    services.period_lock(period=period, actor=city.hr)
    services.period_publish(period=period, actor=city.hr)
    period.refresh_from_db()
    return period


def test_appeal_once_after_publication(city):
    period = computed_quarter(city)
    with pytest.raises(InvalidTransition):
        services.evaluation_appeal(evaluation=evaluation_of(period, city.staff[0]), actor=city.staff[0].user, text="Chưa đúng")
    finish_review(city, period)
    services.period_lock(period=period, actor=city.hr)
    services.period_publish(period=period, actor=city.hr)
    evaluation = evaluation_of(period, city.staff[0])
    services.evaluation_appeal(evaluation=evaluation, actor=city.staff[0].user, text="Tôi vượt tiến độ hai việc")
    with pytest.raises(RuleViolation) as error:
        services.evaluation_appeal(evaluation=evaluation, actor=city.staff[0].user, text="Lần hai")
    assert error.value.rule == "evaluation.appeal_once"
    evaluation.refresh_from_db()
    assert evaluation.appeal_text == "Tôi vượt tiến độ hai việc"


def test_appeal_decided_by_the_agency_head_with_a_reason(city):
    period = published(city)
    evaluation = services.evaluation_appeal(evaluation=evaluation_of(period, city.staff[0]), actor=city.staff[0].user, text="Xin xem lại")
    with pytest.raises(NotPermitted):
        services.appeal_decide(evaluation=evaluation, actor=city.head_user, level="excellent", reason="Đồng ý")
    decider = agency_head(city)
    assert [item.pk for item in selectors.pending_appeals(viewer=decider)] == [evaluation.pk]
    with pytest.raises(ValidationFailed):
        services.appeal_decide(evaluation=evaluation, actor=decider, level="excellent", reason=" ")
    services.appeal_decide(evaluation=evaluation, actor=decider, level="excellent", reason="Vượt tiến độ đã xác minh")
    evaluation.refresh_from_db()
    assert (evaluation.final_level, evaluation.appeal_decision, evaluation.appeal_decided_by) == ("excellent", "changed", decider)
    assert AuditEvent.objects.filter(action="evaluation.appeal_decide", object_id=str(evaluation.pk)).count() == 1


def test_staff_comment_only_on_own_published_result(city):
    period = published(city)
    with pytest.raises(NotPermitted):
        services.evaluation_comment(evaluation=evaluation_of(period, city.staff[0]), actor=city.staff[1].user, text="x")
    services.evaluation_comment(evaluation=evaluation_of(period, city.staff[0]), actor=city.staff[0].user, text="Cảm ơn")
    assert evaluation_of(period, city.staff[0]).comment == "Cảm ơn"


def test_home_vs_office_distribution_per_unit_and_agency(city):
    registration = Registration.objects.create(
        staff=city.staff[0], unit=city.unit, starts_on=dt.date(2026, 8, 3), ends_on=dt.date(2026, 8, 3), status=RegistrationStatus.APPROVED
    )
    RegistrationDay.objects.create(registration=registration, staff=city.staff[0], unit=city.unit, day=dt.date(2026, 8, 3), is_counted=True)
    period = computed_quarter(city)
    assert evaluation_of(period, city.staff[0]).worked_from_home
    agencies, units = selectors.home_vs_office(viewer=city.hr, period=period)
    assert (agencies[0].home_total, agencies[0].office_total) == (1, 10)
    unit = next(item for item in units if item.label == city.unit.name)
    assert (unit.home["good"], unit.office["good"]) == (1, 9)


def test_staff_see_only_their_own_evaluation(city):
    period = computed_quarter(city)
    assert [item.staff_id for item in selectors.evaluation_list(viewer=city.staff[0].user, period=period)] == [city.staff[0].pk]
    assert selectors.evaluation_list(viewer=city.outsider.user, period=period).count() == 0
    assert selectors.evaluation_list(viewer=city.leadership, period=period).count() == 11


def test_attendance_is_measured_and_shown_not_scored(city):
    import datetime as dt

    from django.utils import timezone

    from telework.attendance.models import CheckIn, MissedCheckIn

    for day in (dt.date(2026, 8, 3), dt.date(2026, 8, 4)):
        CheckIn.objects.create(
            staff=city.staff[0], unit=city.unit, day=day, mode="office", checked_in_at=timezone.make_aware(dt.datetime.combine(day, dt.time(8)))
        )
    MissedCheckIn.objects.create(staff=city.staff[0], unit=city.unit, day=dt.date(2026, 8, 5), rostered="office", cutoff=dt.time(9), detected_at=timezone.now())
    period = computed_quarter(city)
    evaluation = evaluation_of(period, city.staff[0])
    assert (evaluation.inputs["checked_in_days"], evaluation.inputs["missed_check_ins"]) == (2, 1)
    assert evaluation.score == evaluation_of(period, city.staff[2]).score


def test_year_score_is_the_average_of_the_published_quarters(city):
    quarter = computed_quarter(city)
    services.period_start_review(period=quarter, actor=city.hr)
    services.head_confirm_or_change(evaluation=evaluation_of(quarter, city.staff[0]), actor=city.head_user, level="excellent", general=FULL)
    services.head_confirm_unit(
        period=quarter, actor=city.head_user, evaluations=list(Evaluation.objects.filter(period=quarter).select_related("unit", "staff"))
    )
    decider = agency_head(city)
    for evaluation in Evaluation.objects.filter(period=quarter, final_level=""):
        services.head_confirm_or_change(evaluation=evaluation, actor=decider, level=evaluation.proposed_level or "completed", reason="Không có việc")
    services.period_lock(period=quarter, actor=city.hr)
    year = services.period_create(actor=city.hr, kind=PeriodKind.YEAR, year=2026, number=1, agency=city.agency)
    services.period_run(period=year, actor=city.hr)
    evaluation = evaluation_of(year, city.staff[0])
    # One locked quarter scored 100: the year's average is 100, whatever the year's own general criteria.
    assert (float(evaluation.score), evaluation.proposed_level) == (100.0, "excellent")
    assert [line.code for line in selectors.breakdown(evaluation).criteria][0] == "annual"
