"""Citizens' Decree-61 evaluations as an optional, documented input of the evaluation: off by default; when the
agency opts in, each person's evaluation shows the dossiers they handled, how many were rated and their points of
indicators 1, 2, 3, 4 and 7, and under Decree 335 those points make a share of the quality of task results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from telework.core.models import AuditEvent
from telework.dossiers.models import Rating
from telework.dossiers.tests.factories import HCMC, DossierFactory
from telework.evaluations import services
from telework.evaluations.builtin import install
from telework.evaluations.models import CriteriaSet, Evaluation, EvaluationSettings, PeriodKind
from telework.evaluations.scoring import CitizenRatings, ScoringParameters, WorkResult, rule_citizen_ratings, task_score
from telework.evaluations.selectors import breakdown
from telework.evaluations.tests.helpers import QUARTER, YEAR, computed_quarter, work
from telework.organization.tests.factories import ServicePointFactory, StaffFactory

pytestmark = pytest.mark.django_db

COMMENT = "Cán bộ rất nhiệt tình, số tôi 0912345678"


def handled_dossiers(city, staff, *, rated: int, unrated: int = 1, score: int = 1) -> None:
    """Dossiers received in Q3 2026 that ``staff`` handled: ``rated`` with every indicator at ``score`` except
    indicator 9 skipped, and ``unrated`` without a rating."""
    received = dt.datetime(2026, 8, 10, 9, 0, tzinfo=HCMC)
    for number in range(rated + unrated):
        dossier = DossierFactory(
            code=f"Q3-{staff.code}-{number}",
            service_point=city.desk,
            received_at=received,
            legal_due_at=received + dt.timedelta(days=3),
            returned_at=received + dt.timedelta(days=1),
        )
        dossier.handlers.add(staff)
        if number < rated:
            Rating.objects.create(dossier=dossier, source="qr", level="satisfied", scores=[score] * 8 + [None], comment=COMMENT, submitted_at=received)


def opt_in(city) -> None:
    services.evaluation_settings_update(
        agency=city.agency, actor=city.hr, peer_grouping="position", minimum_group_size=6, has_own_233_regulation=False, uses_citizen_ratings=True
    )


def line(evaluation: Evaluation, code: str):
    return next((criterion for criterion in breakdown(evaluation).criteria if criterion.code == code), None)


def test_off_by_default_the_evaluation_does_not_read_dossiers(client, city):
    handled_dossiers(city, city.clerk, rated=6)
    period = computed_quarter(city)
    evaluation = Evaluation.objects.get(period=period, staff=city.clerk)

    assert EvaluationSettings.for_agency(city.agency.pk).uses_citizen_ratings is False
    assert "citizen_ratings" not in evaluation.inputs
    assert line(evaluation, "tasks.citizen_ratings") is None
    client.force_login(city.clerk.user)
    page = client.get(reverse("evaluations:evaluation", args=[evaluation.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "data-citizen-ratings" not in page


def test_opted_in_the_officer_and_the_head_see_the_points_and_they_feed_the_quality(client, city):
    opt_in(city)
    handled_dossiers(city, city.clerk, rated=6, unrated=2, score=1)  # 6 rated × 5 indicators × 1 point = 30 of 60
    period = computed_quarter(city)
    evaluation = Evaluation.objects.get(period=period, staff=city.clerk)

    assert evaluation.inputs["citizen_ratings"] == {"dossiers": 8, "rated": 6, "earned": 30, "possible": 60}
    citizen = line(evaluation, "tasks.citizen_ratings")
    assert citizen is not None
    assert citizen.points == 50.0
    # Two good work items: quality 100 % from errors; with 20 % citizens' points at 50 %: 0.8 × 100 + 0.2 × 50 = 90.
    assert line(evaluation, "tasks.quality").points == 90.0
    colleague = Evaluation.objects.get(period=period, staff=city.staff[0])
    assert colleague.inputs["citizen_ratings"] == {"dossiers": 0, "rated": 0, "earned": 0, "possible": 0}
    assert line(colleague, "tasks.quality").points == 100.0

    for user in (city.clerk.user, city.head_user):
        client.force_login(user)
        page = client.get(reverse("evaluations:evaluation", args=[evaluation.pk]), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
        assert "data-citizen-ratings" in page
        assert "30/60" in page
        assert "Nghị định 61/2018/NĐ-CP" in page
        assert "chỉ tiêu 1, 2, 3, 4 và 7" in page
        assert "Cơ quan đã chọn sử dụng đầu vào này" in page  # the rule, in Vietnamese words
        assert "0912345678" not in page
        assert "nhiệt tình" not in page


def test_fewer_rated_dossiers_than_the_minimum_are_shown_not_counted(city):
    opt_in(city)
    handled_dossiers(city, city.clerk, rated=2, score=0)
    period = computed_quarter(city)
    evaluation = Evaluation.objects.get(period=period, staff=city.clerk)

    citizen = line(evaluation, "tasks.citizen_ratings")
    assert citizen is not None
    assert citizen.points is None
    assert line(evaluation, "tasks.quality").points == 100.0
    assert "not counted" in citizen.reason("en")


def test_the_rule_in_pure_python():
    parameters = ScoringParameters()
    work = [WorkResult(points=8, is_done=True, major_errors=1), WorkResult(points=8, is_done=True)]
    assert task_score(work, parameters).quality_percent == 87.5
    percent, lines = rule_citizen_ratings(CitizenRatings(dossiers=10, rated=5, earned=40, possible=50), parameters)
    assert percent == 80.0
    assert lines[0].points == 80.0
    assert task_score(work, parameters, citizen_percent=percent).quality_percent == pytest.approx(0.8 * 87.5 + 0.2 * 80.0)
    assert rule_citizen_ratings(None, parameters) == (None, [])
    assert rule_citizen_ratings(CitizenRatings(dossiers=3, rated=0, earned=0, possible=0), parameters)[0] is None
    with pytest.raises(ValueError, match="citizen_ratings_share"):
        ScoringParameters(citizen_ratings_share=1.5)


def test_the_settings_page_switches_it_on_and_the_change_is_audited(client, city):
    client.force_login(city.hr)
    url = reverse("evaluations:agency_settings", args=[city.agency.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert 'name="uses_citizen_ratings"' in page
    assert "checked" not in page.split('name="uses_citizen_ratings"')[1].split(">")[0]
    response = client.post(url, {"peer_grouping": "position", "minimum_group_size": "6", "uses_citizen_ratings": "1"})
    assert response.status_code == 302
    assert EvaluationSettings.objects.get(agency=city.agency).uses_citizen_ratings is True
    event = AuditEvent.objects.filter(action="evaluation_settings.update").latest("pk")
    assert event.after["uses_citizen_ratings"] is True
    client.post(url, {"peer_grouping": "position", "minimum_group_size": "6"})
    assert EvaluationSettings.objects.get(agency=city.agency).uses_citizen_ratings is False


def test_a_city_wide_period_reads_the_ratings_only_for_agencies_that_opted_in(city):
    opt_in(city)
    elsewhere = StaffFactory(full_name="Cán bộ cơ quan khác")
    other_desk = ServicePointFactory(unit=elsewhere.unit)
    received = dt.datetime(2026, 8, 10, 9, 0, tzinfo=HCMC)
    shared = DossierFactory(code="Q3-SHARED", service_point=other_desk, received_at=received, legal_due_at=received + dt.timedelta(days=3))
    shared.handlers.add(elsewhere, city.clerk)  # handled by an officer of each agency
    Rating.objects.create(dossier=shared, source="portal", level="satisfied", scores=[2] * 9, submitted_at=received)
    install(CriteriaSet)
    for person in (city.clerk, elsewhere):
        work(city, person)
    period = services.period_create(actor=city.home_affairs, kind=PeriodKind.QUARTER, year=YEAR, number=QUARTER, agency=None)
    services.period_run(period=period, actor=city.home_affairs)

    assert Evaluation.objects.get(period=period, staff=city.clerk).inputs["citizen_ratings"] == {"dossiers": 1, "rated": 1, "earned": 10, "possible": 10}
    assert "citizen_ratings" not in Evaluation.objects.get(period=period, staff=elsewhere).inputs
