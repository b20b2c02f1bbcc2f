import datetime as dt
from zoneinfo import ZoneInfo

from telework.dossiers.indicators import NOT_SATISFIED, SATISFIED, VERY_SATISFIED
from telework.dossiers.quality import DossierFact, figures, officer_score

HCMC = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, tzinfo=HCMC)


def fact(received: int, legal_due: int, returned: int | None, *, due: int | None = None, online="in_person", apologies=0, level=None, scores=None):
    return DossierFact(
        received_at=at(received),
        legal_due_at=at(legal_due, 17),
        due_at=at(due if due is not None else legal_due, 17),
        returned_at=at(returned, 10) if returned is not None else None,
        online_level=online,
        apologies=apologies,
        level=level,
        scores=scores,
    )


def test_a_result_returned_after_the_legal_date_is_late_even_with_an_apology():
    result = figures([fact(2, 6, 5), fact(2, 6, 9, due=10, apologies=1)], now=at(18))
    assert (result.returned, result.on_time, result.overdue, result.apologies) == (2, 1, 1, 1)
    assert result.on_time_rate == 0.5


def test_an_open_dossier_counts_as_overdue_only_after_its_current_due_moment():
    dossiers = [fact(2, 6, None, due=12), fact(2, 6, None)]
    assert figures(dossiers, now=at(10)).open_overdue == 1
    assert figures(dossiers, now=at(13)).open_overdue == 2


def test_online_share_and_response_rate():
    dossiers = [
        fact(2, 6, 4, online="fully_online", level=VERY_SATISFIED, scores=(2,) * 9),
        fact(2, 6, 4, online="partly_online", level=SATISFIED, scores=(1,) * 8 + (None,)),
        fact(2, 6, 4, level=NOT_SATISFIED, scores=(0,) * 9),
        fact(2, 6, None),
    ]
    result = figures(dossiers, now=at(3))
    assert result.online_share == 0.5
    assert result.response_rate == 1.0
    assert result.satisfied_share == 2 / 3
    assert result.level_share(NOT_SATISFIED) == 1 / 3
    assert result.indicator_average(1) == 1.0
    assert result.indicator_average(9) == 1.0  # the skipped answer is not a zero


def test_handling_time_is_a_share_of_the_time_the_law_allowed():
    returned_on_deadline = DossierFact(at(2), at(6), at(6), at(6), "in_person")
    returned_halfway = DossierFact(at(2), at(6), at(6), at(4), "in_person")
    assert figures([returned_on_deadline, returned_halfway], now=at(10)).average_handling_percent == 75.0


def test_no_dossiers_gives_no_rates_rather_than_zero():
    result = figures([], now=at(10))
    assert result.on_time_rate is None
    assert result.response_rate is None
    assert result.satisfied_share is None


def test_officer_score_sums_the_officer_indicators_of_rated_dossiers():
    score = officer_score([(2, 2, 2, 2, 0, 0, 2, 0, 0), None, (1, 1, 1, 1, 2, 2, 1, 2, 2)])
    assert (score.dossiers, score.rated, score.earned, score.possible) == (3, 2, 15, 20)
    assert score.percent == 75.0
