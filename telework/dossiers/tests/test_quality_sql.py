"""The figures computed in the database are the figures ``quality.py`` defines: on varied dossiers (returned early,
on the deadline, late, still open before and after their due moment, with apology letters, online or not, unrated,
rated with skipped indicators, handled by one officer or two), per desk, unit, agency and the city, and per officer,
the SQL path and the reference path (every row through ``quality.py``) agree."""

import datetime as dt
import math
import random

import pytest

from telework.dossiers import indicators, selectors
from telework.dossiers.models import ApologyLetter, OnlineLevel, Rating
from telework.dossiers.tests.factories import HCMC, DossierFactory, ProcedureFactory
from telework.organization.tests.factories import ServicePointFactory, StaffFactory, UnitFactory

pytestmark = pytest.mark.django_db

MONDAY = dt.datetime(2026, 11, 16, 7, 30, tzinfo=HCMC)


def assert_same_figures(computed, reference):
    assert computed.received == reference.received
    assert computed.returned == reference.returned
    assert computed.on_time == reference.on_time
    assert computed.overdue == reference.overdue
    assert computed.open_overdue == reference.open_overdue
    assert computed.apologies == reference.apologies
    assert computed.online == reference.online
    assert computed.rated == reference.rated
    assert computed.level_counts == reference.level_counts
    assert computed.indicator_sums == reference.indicator_sums
    assert computed.indicator_answers == reference.indicator_answers
    # Summed in another order: equal to the last bits of a double.
    assert math.isclose(computed.handling_percent_total, reference.handling_percent_total, rel_tol=1e-12, abs_tol=1e-9)


def random_scores(rng: random.Random) -> list[int | None]:
    return [None if rng.random() < 0.2 else rng.choice((0, 1, 2)) for _ in range(indicators.INDICATOR_COUNT)]


def make_city(rng: random.Random, count: int):
    """Two agencies, three units, four desks (and dossiers with no desk), five officers; ``count`` dossiers."""
    units = [UnitFactory(), UnitFactory()]
    units.append(UnitFactory(agency=units[0].agency))
    desks = [None] + [ServicePointFactory(unit=units[index % 3]) for index in range(4)]
    officers = [StaffFactory(unit=units[index % 3]) for index in range(5)]
    procedure = ProcedureFactory()
    for number in range(count):
        desk = rng.choice(desks)
        unit = desk.unit if desk is not None else rng.choice(units)
        received = MONDAY + dt.timedelta(days=rng.randint(0, 3), minutes=rng.randint(0, 600), microseconds=rng.randint(0, 999_999))
        legal_due = received + dt.timedelta(hours=rng.choice((0, 8, 30, 72)), seconds=rng.randint(0, 59))
        kind = rng.random()
        if kind < 0.15:
            returned = None
        elif kind < 0.2:
            returned = legal_due  # exactly on the deadline
        elif kind < 0.25:
            returned = received  # handed back at once
        else:
            returned = received + dt.timedelta(hours=rng.randint(1, 120), microseconds=rng.randint(0, 999_999))
        apologies = rng.choice((0, 0, 0, 1, 2))
        due = legal_due + dt.timedelta(days=3) if apologies else legal_due
        dossier = DossierFactory(
            code=f"SQL-{number:05d}",
            procedure=procedure,
            service_point=desk,
            unit=unit,
            agency=unit.agency,
            received_at=received,
            legal_due_at=legal_due,
            due_at=due,
            returned_at=returned,
            online_level=rng.choice(OnlineLevel.values),
        )
        for letter in range(apologies):
            ApologyLetter.objects.create(dossier=dossier, issued_at=legal_due - dt.timedelta(hours=letter + 1), new_due_at=due)
        dossier.handlers.set(rng.sample(officers, rng.choice((0, 1, 1, 2))))
        if returned is not None and rng.random() < 0.6:
            scores = [None] * indicators.INDICATOR_COUNT if rng.random() < 0.1 else random_scores(rng)
            Rating.objects.create(dossier=dossier, source="qr", level=rng.choice(indicators.LEVELS), scores=scores, submitted_at=returned)


@pytest.mark.frozen_at("2026-11-19 12:00")
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_database_figures_are_the_reference_figures(city, seed):
    make_city(random.Random(seed), 70)
    viewer = city.home_affairs
    for level in selectors.LEVELS:
        for period, day in ((selectors.DAY, dt.date(2026, 11, 17)), (selectors.WEEK, dt.date(2026, 11, 18)), (selectors.MONTH, dt.date(2026, 11, 2))):
            computed = selectors.quality_rows(viewer, level=level, period=period, day=day)
            reference = selectors.quality_rows_in_python(viewer, level=level, period=period, day=day)
            assert [(row.key, row.name) for row in computed] == [(row.key, row.name) for row in reference]
            for ours, theirs in zip(computed, reference, strict=True):
                assert_same_figures(ours.figures, theirs.figures)
    for period, day in ((selectors.DAY, dt.date(2026, 11, 18)), (selectors.WEEK, dt.date(2026, 11, 18))):
        assert selectors.officer_rows(viewer, period=period, day=day) == selectors.officer_rows_in_python(viewer, period=period, day=day)


@pytest.mark.frozen_at("2026-11-19 12:00")
def test_a_unit_head_gets_the_same_figures_on_both_paths(city):
    rng = random.Random(9)
    for number in range(12):
        dossier = DossierFactory(
            code=f"HEAD-{number}", service_point=city.desk, returned_at=None if number % 4 == 0 else MONDAY + dt.timedelta(days=number % 5)
        )
        dossier.handlers.add(city.clerk)
        if number % 3:
            Rating.objects.create(dossier=dossier, source="portal", level=rng.choice(indicators.LEVELS), scores=random_scores(rng), submitted_at=MONDAY)
    for level in (selectors.DESK, selectors.UNIT):
        computed = selectors.quality_rows(city.head_user, level=level, period=selectors.WEEK, day=dt.date(2026, 11, 18))
        reference = selectors.quality_rows_in_python(city.head_user, level=level, period=selectors.WEEK, day=dt.date(2026, 11, 18))
        assert len(computed) == len(reference) == 1
        assert_same_figures(computed[0].figures, reference[0].figures)
    assert selectors.officer_rows(city.head_user, period=selectors.WEEK, day=dt.date(2026, 11, 18)) == selectors.officer_rows_in_python(
        city.head_user, period=selectors.WEEK, day=dt.date(2026, 11, 18)
    )


@pytest.mark.frozen_at("2026-11-19 12:00")
def test_an_empty_period_has_no_rows(city):
    assert selectors.quality_rows(city.home_affairs, level=selectors.CITY, period=selectors.DAY, day=dt.date(2026, 10, 1)) == []
    assert selectors.quality_rows(city.home_affairs, level=selectors.DESK, period=selectors.DAY, day=dt.date(2026, 10, 1)) == []
    assert selectors.officer_rows(city.home_affairs, period=selectors.DAY, day=dt.date(2026, 10, 1)) == []


@pytest.mark.frozen_at("2026-11-19 12:00")
def test_a_dossier_received_just_before_local_midnight_belongs_to_that_day(city):
    late_evening = dt.datetime(2026, 11, 17, 23, 59, 59, tzinfo=HCMC)
    DossierFactory(service_point=city.desk, received_at=late_evening, legal_due_at=late_evening + dt.timedelta(days=3))
    that_day = selectors.quality_rows(city.home_affairs, level=selectors.CITY, period=selectors.DAY, day=dt.date(2026, 11, 17))
    next_day = selectors.quality_rows(city.home_affairs, level=selectors.CITY, period=selectors.DAY, day=dt.date(2026, 11, 18))
    assert that_day[0].figures.received == 1
    assert next_day == []
