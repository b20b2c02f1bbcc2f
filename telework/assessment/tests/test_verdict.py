"""The verdict in Vietnamese: a headline with its interval when the data can answer; when it cannot, the rule and its
parameter in plain words and no headline number; never a code on the page."""

from __future__ import annotations

import dataclasses
import re

import pytest
from django.utils import translation

from telework.assessment import estimation, verdict
from telework.assessment.tests.panels import synthetic_panel
from telework.outcomes.indicators import INDICATORS

ON_TIME = INDICATORS["dossier_on_time_rate"]
REWORK = INDICATORS["work_returned_share"]


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture(scope="module")
def planted():
    panel = synthetic_panel(effect=0.03, seed=21)
    return estimation.estimate_effect(panel.frame, panel.allocation, panel.starts, seed=3, randomised=True, ri_reps=99)


def text_of(result):
    return "\n".join(result.paragraphs())


def assert_no_codes(text):
    codes = [
        verdict.TOO_FEW_UNITS,
        verdict.NO_PRE_PERIOD,
        verdict.NO_PILOT_PERIOD,
        verdict.PRETREND,
        verdict.ESTIMATORS_DISAGREE,
        verdict.DESIGN_CHANGED,
        verdict.NO_ESTIMATE,
        estimation.TWFE,
        estimation.SUN_ABRAHAM,
        estimation.CALLAWAY_SANTANNA,
        ON_TIME.code,
        REWORK.code,
    ]
    assert not [code for code in codes if code in text]
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)  # no snake_case key of any kind
    assert "%(" not in text


def test_a_detected_effect_is_told_with_its_interval_in_the_outcomes_words(planted):
    result = verdict.verdict(planted, indicator=ON_TIME, mde=0.02, smallest_effect=0.03, counter_metrics=[verdict.CounterMetric(REWORK, planted)])

    assert result.can_answer
    assert result.refusals == ()
    assert result.headline.startswith(f"Ở các đơn vị thí điểm, {verdict.inline_name(ON_TIME)} tăng 3,0 điểm phần trăm so với các đơn vị khác")
    assert "tăng" in result.headline
    assert "điểm phần trăm" in result.headline
    assert "Đây là một cải thiện." in result.headline
    low, high = (verdict.signed(ON_TIME, bound) for bound in planted.ci95)
    assert result.interval == f"Khoảng tin cậy 95%: từ {low} đến {high}."
    assert "," in low  # Vietnamese decimal comma
    assert "Thiết kế đủ khả năng phát hiện tác động từ 2,0 điểm phần trăm" in result.detectability
    assert any("bốc thăm lại" in caveat for caveat in result.caveats)
    assert result.counter_metrics[0].startswith("Cảnh báo về chỉ số đi kèm:")  # more rework is worse
    assert_no_codes(text_of(result))


def test_a_design_too_weak_for_the_effect_that_matters_says_so(planted):
    result = verdict.verdict(planted, indicator=ON_TIME, mde=0.05, smallest_effect=0.02)

    assert "không thấy tác động không có nghĩa là không có tác động" in result.detectability


def test_a_planted_pre_trend_refuses_the_headline_and_names_the_rule():
    panel = synthetic_panel(effect=0.03, pretrend=0.002, seed=22)
    result = estimation.estimate_effect(panel.frame, panel.allocation, panel.starts, seed=3, randomised=True, ri_reps=0)

    answer = verdict.verdict(result, indicator=ON_TIME, mde=0.02, smallest_effect=0.03)

    assert answer.headline is None
    assert answer.interval is None
    assert [refusal.rule for refusal in answer.refusals] == [verdict.PRETREND]
    explanation = answer.refusals[0].explanation
    assert explanation.startswith("Dữ liệu chưa đủ để kết luận:")
    assert "kiểm định xu hướng trước thí điểm" in explanation
    assert "dưới ngưỡng 0,05" in explanation
    assert "điểm phần trăm (khoảng" not in text_of(answer)  # no effect figure anywhere
    assert_no_codes(text_of(answer))


def test_too_few_units_refuses_and_names_the_minimum():
    panel = synthetic_panel(units=12, effect=0.05, seed=23)
    result = estimation.estimate_effect(panel.frame, panel.allocation, panel.starts, seed=3, randomised=True, ri_reps=0, wild_reps=99)

    answer = verdict.verdict(result, indicator=ON_TIME, mde=0.02, smallest_effect=0.03)

    assert answer.headline is None
    assert verdict.TOO_FEW_UNITS in [refusal.rule for refusal in answer.refusals]
    explanation = next(refusal.explanation for refusal in answer.refusals if refusal.rule == verdict.TOO_FEW_UNITS)
    assert "Phân tích có 12 đơn vị" in explanation
    assert f"cần ít nhất {verdict.MINIMUM_UNITS} đơn vị" in explanation
    assert f"mỗi nhóm ít nhất {verdict.MINIMUM_UNITS_PER_ARM} đơn vị" in explanation
    assert_no_codes(text_of(answer))


def test_no_pre_period_refuses_and_names_the_weeks_needed():
    panel = synthetic_panel(effect=0.03, seed=24, launch=3)
    result = estimation.estimate_effect(panel.frame, panel.allocation, panel.starts, seed=3, randomised=True, ri_reps=0)

    answer = verdict.verdict(result, indicator=ON_TIME, mde=0.02, smallest_effect=0.03)

    assert answer.headline is None
    assert verdict.NO_PRE_PERIOD in [refusal.rule for refusal in answer.refusals]
    assert f"chỉ có 3 tuần số liệu trước khi bắt đầu thí điểm, trong khi so sánh với trước thí điểm cần ít nhất {verdict.MINIMUM_WEEKS_BEFORE} tuần" in text_of(
        answer
    )


def test_a_design_changed_after_launch_refuses(planted):
    answer = verdict.verdict(planted, indicator=ON_TIME, mde=0.02, smallest_effect=0.03, design_changed_after_launch=True)

    assert answer.headline is None
    assert [refusal.rule for refusal in answer.refusals] == [verdict.DESIGN_CHANGED]
    assert "đã bị thay đổi sau khi thí điểm bắt đầu" in answer.refusals[0].explanation


def test_sun_abraham_and_callaway_santanna_disagreeing_refuses(planted):
    check = dataclasses.replace(planted, estimator=estimation.CALLAWAY_SANTANNA, effect=-0.02, ci95=(-0.03, -0.01), p=0.001, cross_check=None)
    staggered = dataclasses.replace(planted, estimator=estimation.SUN_ABRAHAM, staggered=True, cross_check=check)

    answer = verdict.verdict(staggered, indicator=ON_TIME, mde=0.02, smallest_effect=0.03)

    assert answer.headline is None
    assert [refusal.rule for refusal in answer.refusals] == [verdict.ESTIMATORS_DISAGREE]
    assert "Sun–Abraham" in answer.refusals[0].explanation
    assert "Callaway–Sant'Anna" in answer.refusals[0].explanation
    assert_no_codes(text_of(answer))


def test_no_clear_change_is_said_plainly_with_the_interval_through_zero():
    panel = synthetic_panel(effect=0.0, seed=27)
    result = estimation.estimate_effect(panel.frame, panel.allocation, panel.starts, seed=3, randomised=True, ri_reps=0)
    assert result.ci95[0] < 0 < result.ci95[1]
    assert result.pretrend_p > 0.05

    answer = verdict.verdict(result, indicator=ON_TIME, mde=0.01, smallest_effect=0.03)

    assert answer.headline.startswith(f"Chưa thấy thay đổi rõ ràng về {verdict.inline_name(ON_TIME)} ở các đơn vị thí điểm")
    assert "Toàn bộ khoảng tin cậy nằm trong phạm vi 3,0 điểm phần trăm" in answer.detectability
    assert_no_codes(text_of(answer))


def test_with_few_units_a_change_the_bootstrap_does_not_confirm_is_not_claimed(planted):
    few = dataclasses.replace(planted, n_units=30, n_pilot=15, n_comparison=15, wild_bootstrap_p=0.12)

    answer = verdict.verdict(few, indicator=ON_TIME, mde=0.02, smallest_effect=0.03)

    assert answer.headline.startswith(f"Chưa khẳng định được thay đổi về {verdict.inline_name(ON_TIME)}")
    assert "Đây là một cải thiện." not in answer.headline
    assert any("p = 0,120" in caveat for caveat in answer.caveats)
    assert_no_codes(text_of(answer))
