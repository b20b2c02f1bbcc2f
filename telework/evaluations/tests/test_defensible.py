"""Issue 9 point 5, through the services: the quota's peer groups as an agency setting, a head capped by the
organisation's level, the raised quota, leaders' factors, the 6-month rule, the appeal deadline, criteria versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from telework.core.exceptions import NotPermitted, RuleViolation, ValidationFailed
from telework.core.models import AuditEvent
from telework.evaluations import selectors, services
from telework.evaluations.models import CriteriaSet, Evaluation, EvaluationSettings, OrganisationRating, PeerGrouping, PeriodKind
from telework.evaluations.tests.helpers import FULL, agency_head, computed_quarter, work
from telework.evaluations.tests.test_services import published

pytestmark = pytest.mark.django_db


def evaluation_of(period, staff) -> Evaluation:
    return Evaluation.objects.select_related("staff", "unit", "period", "period__criteria_335", "period__criteria_90").get(period=period, staff=staff)


# --------------------------------------------------------------------------------------------- peer groups


def test_a_person_alone_in_a_job_position_is_not_moved_by_the_quota(city):
    period = computed_quarter(city)
    services.head_confirm_or_change(evaluation=evaluation_of(period, city.clerk), actor=city.head_user, level="excellent", general=FULL)
    check = services.quota_check(period, services.quota_rows(period))
    assert check.drops == []
    alone = next(line for line in check.groups if line.check.group == "Cán bộ một cửa")
    assert (alone.check.members, alone.check.is_capped, alone.grouping) == (1, False, "position")
    assert alone.reason("en") == (
        "Group “Cán bộ một cửa”: 1 people, fewer than the minimum of 6, so it is not capped on its own (it still counts in the agency's ceiling)."
    )


def test_peer_groups_follow_the_agency_setting(city):
    services.evaluation_settings_update(agency=city.agency, actor=city.hr, peer_grouping=PeerGrouping.UNIT, minimum_group_size=4, has_own_233_regulation=False)
    period = computed_quarter(city)
    assert evaluation_of(period, city.clerk).peer_group == city.unit.name
    assert AuditEvent.objects.filter(action="evaluation_settings.update").count() == 1


def test_agency_setting_refused_for_a_unit_head_and_for_a_group_of_one(city):
    with pytest.raises(NotPermitted):
        services.evaluation_settings_update(
            agency=city.agency, actor=city.head_user, peer_grouping=PeerGrouping.UNIT, minimum_group_size=6, has_own_233_regulation=False
        )
    with pytest.raises(ValidationFailed) as error:
        services.evaluation_settings_update(
            agency=city.agency, actor=city.hr, peer_grouping=PeerGrouping.UNIT, minimum_group_size=1, has_own_233_regulation=False
        )
    assert error.value.rule == "minimum_group_size"
    assert not EvaluationSettings.objects.exists()


# --------------------------------------------------------------------------------------------- organisations


def test_a_heads_level_is_capped_by_the_units_level(city):
    period = computed_quarter(city)
    assert evaluation_of(period, city.head).proposed_level == "good"
    services.organisation_rate(period=period, actor=city.hr, agency=city.agency, unit=city.unit, level="completed", reason="Đơn vị chậm hai chỉ tiêu")
    services.period_run(period=period, actor=city.hr)
    head = evaluation_of(period, city.head)
    assert head.proposed_level == "completed"
    cap = next(line for line in selectors.breakdown(head).criteria if line.code == "head_cap")
    assert cap.citation.text("en") == "Decree 335/2025/NĐ-CP, Art. 20, cl. 6"
    # The cap is for the head, not the staff.
    assert evaluation_of(period, city.staff[0]).proposed_level == "good"


def make_excellent(city, period, people):
    for person in people:
        services.head_confirm_or_change(evaluation=evaluation_of(period, person), actor=city.head_user, level="excellent", general=FULL)


def test_raised_quota_needs_home_affairs_and_an_agency_rated_excellent(city):
    work(city, city.hr.staff)  # the HR officer is measured too: 8 good officers
    period = computed_quarter(city)
    make_excellent(city, period, city.staff[:2])
    # 2 excellent for 8 good among the officers: over 20 %, within 25 %.
    assert len(services.quota_drops(period, services.quota_rows(period))) == 1
    with pytest.raises(NotPermitted):
        services.organisation_rate(period=period, actor=city.hr, agency=city.agency, level="excellent", raise_quota=True, reason="Thành tích nổi bật")
    with pytest.raises(RuleViolation) as error:
        services.organisation_rate(period=period, actor=city.home_affairs, agency=city.agency, level="good", raise_quota=True, reason="Thành tích nổi bật")
    assert error.value.rule == "exception_cap_ratio"
    assert not OrganisationRating.objects.exists()
    services.organisation_rate(period=period, actor=city.home_affairs, agency=city.agency, level="excellent", raise_quota=True, reason="Thành tích nổi bật")
    check = services.quota_check(period, services.quota_rows(period))
    assert check.drops == []
    assert {line.cap_ratio for line in check.groups} == {0.25}
    assert AuditEvent.objects.filter(action="organisation_rating.decide").count() == 1


# --------------------------------------------------------------------------------------------- leaders, presence


def test_leader_factors_judged_at_half_lower_the_leaders_task_results(city):
    period = computed_quarter(city)
    decider = agency_head(city)
    head = services.head_confirm_or_change(
        evaluation=evaluation_of(period, city.head),
        actor=decider,
        level="completed",
        reason="Tổ chức thực hiện chưa tốt",
        leader_factors={"organising": "50", "unity": "50"},
    )
    # 0 general + 70 × (100 + 100 + 100 + 100 + 50 + 50) / 600
    assert (head.score, head.proposed_level, head.leader_factors) == (Decimal("58.33"), "completed", {"organising": False, "unity": False})
    with pytest.raises(ValidationFailed):
        services.head_confirm_or_change(evaluation=head, actor=decider, level="completed", reason="x", leader_factors={"organising": "70", "unity": "50"})


def test_fewer_than_six_months_in_the_year_is_not_rated_and_says_why(city):
    work(city, city.staff[0])
    period = services.period_create(actor=city.hr, kind=PeriodKind.YEAR, year=2026, number=1, agency=city.agency)
    services.period_run(period=period, actor=city.hr)
    evaluation = services.head_confirm_or_change(
        evaluation=evaluation_of(period, city.staff[0]), actor=city.head_user, level="completed", reason="Chưa đủ 6 tháng", presence={"months_worked": "5,5"}
    )
    assert (evaluation.months_worked, evaluation.proposed_level) == (Decimal("5.5"), "")
    presence = next(line for line in selectors.breakdown(evaluation).criteria if line.code == "presence")
    assert presence.reason("en") == "5.5 months worked in the year, fewer than 6: not classified."
    assert presence.citation.text("en") == "Decree 335/2025/NĐ-CP, Art. 11, cl. 1–2"
    with pytest.raises(ValidationFailed):
        services.head_confirm_or_change(evaluation=evaluation, actor=city.head_user, level="completed", reason="x", presence={"months_worked": "13"})


# --------------------------------------------------------------------------------------------- appeals


@pytest.mark.frozen_at("2027-02-03 09:00")
def test_appeal_is_due_seven_working_days_later_skipping_tet_and_a_late_answer_is_flagged(city, clock):
    period = published(city)
    evaluation = services.evaluation_appeal(evaluation=evaluation_of(period, city.staff[0]), actor=city.staff[0].user, text="Xin xem lại")
    # Wednesday 3 February 2027; Tết holidays from Friday 5 to Thursday 11 February.
    assert evaluation.appeal_due_on == dt.date(2027, 2, 19)
    assert not evaluation.is_appeal_overdue
    clock.move_to(dt.datetime(2027, 2, 22, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))))
    evaluation.refresh_from_db()
    assert evaluation.is_appeal_overdue
    services.appeal_decide(evaluation=evaluation, actor=agency_head(city), level=evaluation.final_level, reason="Giữ nguyên")
    evaluation.refresh_from_db()
    assert evaluation.is_appeal_answered_late
    event = AuditEvent.objects.get(action="evaluation.appeal_decide")
    assert (event.after["is_late"], event.after["appeal_due_on"]) == (True, "2027-02-19")


# --------------------------------------------------------------------------------------------- criteria versions


def test_home_affairs_creates_a_version_from_the_current_one_and_publishes_it(city):
    current = CriteriaSet.objects.get(regime="decree_335_2025", version=1)
    with pytest.raises(NotPermitted):
        services.criteria_set_create_version(regime="decree_335_2025", actor=city.hr, name="", parameters={"cap_ratio": "0.15"})
    with pytest.raises(ValidationFailed):
        services.criteria_set_create_version(regime="decree_335_2025", actor=city.home_affairs, name="", parameters={"cap_ratio": "0.5"})
    assert CriteriaSet.objects.filter(regime="decree_335_2025").count() == 1
    draft = services.criteria_set_create_version(regime="decree_335_2025", actor=city.home_affairs, name="", parameters={"cap_ratio": "0.15"})
    assert (draft.version, draft.name, draft.parameters, draft.criteria, draft.published_at) == (2, current.name, {"cap_ratio": 0.15}, current.criteria, None)
    services.criteria_set_publish(criteria_set=draft, actor=city.home_affairs)
    draft.refresh_from_db()
    assert draft.published_at is not None
    assert [event.action for event in AuditEvent.objects.filter(object_id=str(draft.pk)).order_by("pk")] == ["criteria_set.create", "criteria_set.publish"]


def test_the_agencys_level_caps_the_agency_head_not_every_unit_head(city):
    decider = agency_head(city)
    work(city, decider.staff)
    work(city, decider.staff)
    period = computed_quarter(city)
    with pytest.raises(NotPermitted):
        services.organisation_rate(period=period, actor=city.hr, agency=city.agency, level="completed", reason="Cơ quan chưa đạt chỉ tiêu")
    assert not OrganisationRating.objects.exists()
    services.organisation_rate(period=period, actor=city.home_affairs, agency=city.agency, level="completed", reason="Cơ quan chưa đạt chỉ tiêu")
    services.period_run(period=period, actor=city.hr)
    assert evaluation_of(period, decider.staff).proposed_level == "completed"
    assert evaluation_of(period, city.head).proposed_level == "good"
