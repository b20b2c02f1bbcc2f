import pytest

from telework.dossiers.indicators import INDICATORS, InvalidRating, check_level, check_scores, officer_points


def test_the_form_has_nine_indicators_numbered_in_order():
    assert [indicator.number for indicator in INDICATORS] == list(range(1, 10))


def test_officer_points_count_indicators_one_to_four_and_seven_only():
    scores = (2, 1, 0, 2, 0, 0, 2, 0, 0)
    assert officer_points(scores) == (7, 10)


def test_skipped_indicators_are_not_counted_against_the_officer():
    assert officer_points((2, None, None, None, 1, 1, 2, 1, 1)) == (4, 4)


@pytest.mark.parametrize("scores", [(3,) * 9, (-1,) * 9, (True,) * 9, (1,) * 8])
def test_scores_outside_the_form_are_refused(scores):
    with pytest.raises(InvalidRating):
        check_scores(scores)


def test_unknown_satisfaction_level_is_refused():
    with pytest.raises(InvalidRating):
        check_level("delighted")
