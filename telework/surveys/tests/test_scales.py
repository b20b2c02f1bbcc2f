"""The survey arithmetic: WHO-5 scoring, job stress, SIPAS factor figures, response rate and the folding of small
groups."""

import pytest

from telework.surveys import scales


def pulse(who5=(3, 3, 3, 3, 3), stress=(3, 3, 3, 3), balance=3, stay=3):
    answers = {item.key: value for item, value in zip(scales.WHO5_ITEMS, who5, strict=True)}
    answers |= {item.key: value for item, value in zip(scales.STRESS_ITEMS, stress, strict=True)}
    return answers | {"balance": balance, "stay": stay}


def citizen(value=4, **overrides):
    return {key: value for key in scales.CITIZEN_QUESTION_KEYS} | overrides


@pytest.mark.parametrize(("items", "score"), [((0, 0, 0, 0, 0), 0), ((5, 5, 5, 5, 5), 100), ((3, 2, 4, 1, 3), 52), ((2, 2, 3, 2, 3), 48)])
def test_who5_score_is_the_sum_of_the_five_items_times_four(items, score):
    assert scales.who5_score(pulse(who5=items)) == score


def test_stress_score_runs_from_0_when_never_to_100_when_very_often():
    assert scales.stress_score(pulse(stress=(1, 1, 1, 1))) == 0
    assert scales.stress_score(pulse(stress=(5, 5, 5, 5))) == 100
    assert scales.stress_score(pulse(stress=(2, 3, 3, 4))) == 50


@pytest.mark.parametrize(
    "broken",
    [{"who5_cheerful": 6}, {"who5_calm": -1}, {"stress_load": 0}, {"stay": 6}, {"balance": "4"}, {"who5_active": True}, {"stress_tense": None}],
)
def test_pulse_answers_outside_their_scale_or_missing_are_refused(broken):
    with pytest.raises(scales.InvalidAnswers):
        scales.check_pulse_answers(pulse() | broken)


def test_pulse_answers_keep_only_the_known_questions():
    assert set(scales.check_pulse_answers(pulse() | {"name": 5})) == set(scales.PULSE_KEYS)


def test_citizen_answers_must_cover_every_question_on_the_1_to_5_scale():
    with pytest.raises(scales.InvalidAnswers):
        scales.check_citizen_answers(citizen(result_on_time=0))
    answers = citizen()
    del answers["feedback_answered"]
    with pytest.raises(scales.InvalidAnswers):
        scales.check_citizen_answers(answers)
    assert scales.check_citizen_answers(citizen(phone=5)) == citizen()


def test_there_are_five_sipas_factors_with_their_own_questions():
    assert [factor.key for factor in scales.FACTORS] == ["access", "procedure", "civil_servant", "result", "feedback"]
    assert len(set(scales.CITIZEN_QUESTION_KEYS)) == len(scales.CITIZEN_QUESTION_KEYS) == 10


def test_factor_figures_give_the_mean_and_the_share_answering_4_or_5():
    responses = [
        citizen(4, servant_attitude=5, servant_guidance=5),
        citizen(2, servant_attitude=3, servant_guidance=4),
    ]
    figures = {figure.factor.key: figure for figure in scales.factor_figures(responses)}
    assert (figures["civil_servant"].mean, figures["civil_servant"].share_satisfied) == (4.25, 0.75)
    assert (figures["access"].mean, figures["access"].share_satisfied) == (3.0, 0.5)


def test_factor_figures_of_no_response_are_empty_not_zero():
    assert all(figure.mean is None and figure.share_satisfied is None for figure in scales.factor_figures([]))


def test_response_rate_is_responses_over_the_target():
    assert scales.response_rate(45, 60) == 0.75
    assert scales.response_rate(5, 0) is None


def test_pulse_figure_of_a_group():
    figure = scales.pulse_figure([pulse(who5=(5, 5, 5, 5, 5), balance=4, stay=2), pulse(who5=(1, 1, 1, 1, 1), stress=(5, 5, 5, 5), balance=2, stay=5)])
    assert figure == scales.PulseFigure(responses=2, who5_mean=60, who5_poor_share=0.5, stress_mean=75, balance_share=0.5, stay_share=0.5)


def test_groups_from_the_minimum_are_shown_and_smaller_ones_folded():
    folding = scales.fold_groups({"a": 7, "b": 5, "c": 0}, 5)
    assert (folding.shown, folding.folded, folding.folded_count) == ({"a": 7, "b": 5}, (), 0)


def test_a_group_of_four_is_not_shown_and_the_smallest_other_group_is_folded_with_it():
    # Shown alone beside the agency total, "a" would give away the group of four by subtraction.
    folding = scales.fold_groups({"a": 6, "b": 9, "small": 4}, 5)
    assert (folding.shown, folding.folded, folding.folded_count) == ({"b": 9}, ("a", "small"), 10)


def test_small_groups_that_together_reach_the_minimum_need_no_second_fold():
    folding = scales.fold_groups({"a": 6, "x": 3, "y": 2}, 5)
    assert (folding.shown, folding.folded, folding.folded_count) == ({"a": 6}, ("x", "y"), 5)
