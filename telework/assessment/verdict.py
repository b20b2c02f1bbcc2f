"""The verdict in plain Vietnamese: what an estimate says, whether the design could have seen an effect that matters,
the caveats — and, when the data cannot answer, which rule says so and no headline number at all.

Pure: an ``EstimationResult`` (estimation.py), the indicator it measures (outcomes.indicators), the minimum
detectable effect recorded with the design and the smallest effect that matters, in the indicator's own units (a
share as 0–1). Text is produced with gettext in the active language; rule codes stay in ``Refusal.rule`` and never
reach the text.

The data cannot answer (``headline is None``) when:
- too few units: fewer than ``MINIMUM_UNITS`` units, or fewer than ``MINIMUM_UNITS_PER_ARM`` pilot units or (one
  start date) comparison units — unit-clustered intervals are unreliable with so few clusters;
- no pre-period: fewer than ``MINIMUM_WEEKS_BEFORE`` weeks of data before the pilot started (nothing to compare with);
- no pilot period: no week of data after the start;
- pre-trends: the joint test of the periods before the start rejects parallel trends (p < ``PRETREND_ALPHA``);
- the estimators disagree (staggered starts): Sun–Abraham and Callaway–Sant'Anna differ in sign or significance;
- the design was changed after launch;
- no estimate could be computed at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from telework.assessment.estimation import SIGNIFICANCE, EstimationResult, estimators_disagree
from telework.outcomes.indicators import COUNT, DAYS, PER_FTE, RATIO, SCORE, SHARE, Indicator

MINIMUM_UNITS = 20
MINIMUM_UNITS_PER_ARM = 8
MINIMUM_WEEKS_BEFORE = 8
PRETREND_ALPHA = 0.05

TOO_FEW_UNITS = "too_few_units"
NO_PRE_PERIOD = "no_pre_period"
NO_PILOT_PERIOD = "no_pilot_period"
PRETREND = "pretrend"
ESTIMATORS_DISAGREE = "estimators_disagree"
DESIGN_CHANGED = "design_changed_after_launch"
NO_ESTIMATE = "no_estimate"


@dataclass(frozen=True)
class Refusal:
    rule: str  # a code for storage and the API, never shown
    explanation: str  # Vietnamese words naming the rule and its parameter


@dataclass(frozen=True)
class CounterMetric:
    indicator: Indicator
    result: EstimationResult


@dataclass(frozen=True)
class Verdict:
    headline: str | None  # None: the data cannot answer
    interval: str | None
    detectability: str
    refusals: tuple[Refusal, ...]
    caveats: tuple[str, ...]
    counter_metrics: tuple[str, ...]

    @property
    def can_answer(self) -> bool:
        return self.headline is not None

    def paragraphs(self) -> list[str]:
        lines = [refusal.explanation for refusal in self.refusals]
        lines += [text for text in (self.headline, self.interval) if text]
        lines.append(self.detectability)
        return lines + list(self.caveats) + list(self.counter_metrics)


# --- numbers in the outcome's words ---------------------------------------------------------------------------------


def _number(value: float, decimals: int = 1) -> str:
    return formats.number_format(round(value, decimals), decimal_pos=decimals, use_l10n=True)


def p_value(p: float) -> str:
    """A p-value in words a report can print: three decimals, or '< 0,001'."""
    return "< " + _number(0.001, 3) if p < 0.001 else _number(p, 3)


def magnitude(indicator: Indicator, value: float) -> str:
    """An amount of the indicator (always positive) with its unit: '3,1 điểm phần trăm', '0,4 ngày'."""
    amount = abs(value)
    if indicator.unit == SHARE:
        return pgettext("effect size", "%(amount)s percentage points") % {"amount": _number(amount * 100)}
    if indicator.unit == DAYS:
        return pgettext("effect size", "%(amount)s days") % {"amount": _number(amount)}
    if indicator.unit == SCORE:
        return pgettext("effect size", "%(amount)s points") % {"amount": _number(amount, 2)}
    if indicator.unit == PER_FTE:
        return pgettext("effect size", "%(amount)s per full-time equivalent") % {"amount": _number(amount, 2)}
    if indicator.unit in (RATIO, COUNT):
        return _number(amount, 2)
    return _number(amount, 2)


def signed(indicator: Indicator, value: float) -> str:
    """A signed amount for an interval bound: '+3,1 điểm phần trăm', '−0,4 ngày'."""
    sign = "−" if value < 0 else "+"
    return f"{sign}{magnitude(indicator, value)}"


def inline_name(indicator: Indicator) -> str:
    """The indicator's name inside a sentence (first letter in lower case)."""
    name = str(indicator.name)
    return name[:1].lower() + name[1:]


def _direction_sentence(indicator: Indicator, effect: float, significant: bool) -> str:
    name = inline_name(indicator)
    amount = magnitude(indicator, effect)
    if not significant:
        return _(
            "No clear change in %(name)s in pilot units compared with the other units: the estimate is %(amount)s, and the interval includes no change."
        ) % {
            "name": name,
            "amount": signed(indicator, effect),
        }
    better = (effect > 0) == indicator.higher_is_better
    if effect > 0:
        text = _("In pilot units, %(name)s rose by %(amount)s compared with the other units, against the time before the pilot.")
    else:
        text = _("In pilot units, %(name)s fell by %(amount)s compared with the other units, against the time before the pilot.")
    judgement = _("This is an improvement.") if better else _("This is a deterioration.")
    return f"{text % {'name': name, 'amount': amount}} {judgement}"


# --- the rules for "cannot answer" ----------------------------------------------------------------------------------


def refusals(result: EstimationResult, *, design_changed_after_launch: bool = False) -> tuple[Refusal, ...]:
    found: list[Refusal] = []
    pilots, others = result.n_pilot, result.n_comparison
    too_few_arm = pilots < MINIMUM_UNITS_PER_ARM or (not result.staggered and others < MINIMUM_UNITS_PER_ARM)
    if result.n_units < MINIMUM_UNITS or too_few_arm:
        found.append(
            Refusal(
                TOO_FEW_UNITS,
                _(
                    "The data cannot answer yet: too few units. The analysis has %(units)s units (%(pilots)s in the pilot, %(others)s for comparison); "
                    "it needs at least %(minimum)s units and at least %(per_arm)s in each group."
                )
                % {"units": result.n_units, "pilots": pilots, "others": others, "minimum": MINIMUM_UNITS, "per_arm": MINIMUM_UNITS_PER_ARM},
            )
        )
    if result.n_periods_pre < MINIMUM_WEEKS_BEFORE:
        found.append(
            Refusal(
                NO_PRE_PERIOD,
                _(
                    "The data cannot answer: there are %(weeks)s weeks of data before the pilot started, and a comparison with before needs at least %(minimum)s weeks."
                )
                % {"weeks": result.n_periods_pre, "minimum": MINIMUM_WEEKS_BEFORE},
            )
        )
    if result.n_periods_post == 0:
        found.append(Refusal(NO_PILOT_PERIOD, _("The data cannot answer yet: there is no week of data since the pilot started.")))
    if result.pretrend_p is not None and result.pretrend_p < PRETREND_ALPHA:
        found.append(
            Refusal(
                PRETREND,
                _(
                    "The data cannot answer: before the pilot started, pilot units and the other units were already moving apart "
                    "(the test of equal trends before the start gives p = %(p)s, below the threshold of %(alpha)s). "
                    "A difference after the start could come from that earlier drift rather than from the pilot."
                )
                % {"p": p_value(result.pretrend_p), "alpha": _number(PRETREND_ALPHA, 2)},
            )
        )
    if estimators_disagree(result):
        found.append(
            Refusal(
                ESTIMATORS_DISAGREE,
                _(
                    "The data cannot answer: the two methods for units that started at different times disagree "
                    "(Sun–Abraham: %(first)s; Callaway–Sant'Anna: %(second)s). The result depends on the method, so it is not reported as a finding."
                )
                % {"first": _estimate_words(result), "second": _estimate_words(result.cross_check) if result.cross_check else ""},
            )
        )
    if design_changed_after_launch:
        found.append(
            Refusal(
                DESIGN_CHANGED,
                _(
                    "The data cannot answer as designed: the design (units, outcomes or minimum detectable effect) was changed after the pilot started, "
                    "so the comparison is no longer the one recorded before launch."
                ),
            )
        )
    if result.effect is None and not found:
        found.append(
            Refusal(NO_ESTIMATE, _("The data cannot answer: no estimate could be computed from the data available (for example, no unit to compare with)."))
        )
    elif result.effect is None:
        found.append(Refusal(NO_ESTIMATE, _("No estimate could be computed from the data available.")))
    return tuple(found)


def _estimate_words(result: EstimationResult | None) -> str:
    if result is None or result.effect is None or result.p is None:
        return _("no estimate")
    return _("%(effect)s, p = %(p)s") % {"effect": _number(result.effect, 3), "p": p_value(result.p)}


# --- the verdict ------------------------------------------------------------------------------------------------------


def _detectability(indicator: Indicator, result: EstimationResult, mde: float | None, smallest_effect: float) -> str:
    smallest = magnitude(indicator, smallest_effect)
    if mde is None:
        return _("No minimum detectable effect was recorded for this design, so it is not known whether an effect of %(smallest)s could have been seen.") % {
            "smallest": smallest
        }
    values = {"mde": magnitude(indicator, mde), "smallest": smallest}
    if abs(mde) <= abs(smallest_effect):
        text = _(
            "The design could detect an effect of %(mde)s or more (with 80%% power), which is no larger than the smallest effect that matters (%(smallest)s)."
        )
    else:
        text = _(
            "The design could only reliably detect an effect of %(mde)s or more, larger than the smallest effect that matters (%(smallest)s): "
            "not finding an effect does not show that there is none."
        )
    sentence = text % values
    if result.ci95 is not None and -abs(smallest_effect) < result.ci95[0] and result.ci95[1] < abs(smallest_effect):
        sentence += " " + _("The whole interval lies within %(smallest)s either way: any effect is smaller than the smallest effect that matters.") % values
    return sentence


def _caveats(result: EstimationResult) -> tuple[str, ...]:
    caveats: list[str] = []
    if result.wild_bootstrap_p is not None:
        caveats.append(
            _("With only %(units)s units, the usual interval can be too narrow; a wild cluster bootstrap gives p = %(p)s.")
            % {"units": result.n_units, "p": p_value(result.wild_bootstrap_p)}
        )
    if result.ri_p is not None:
        caveats.append(
            _("Randomisation check: re-drawing the pilot units at random within the same groups gives an effect at least this large %(p)s of the time.")
            % {"p": _number(result.ri_p * 100, 1) + " %"}
        )
    if result.staggered and result.cross_check is not None and result.cross_check.effect is None:
        caveats.append(_("The second method (Callaway–Sant'Anna) could not be computed on these data; the result rests on one method."))
    if result.pretrend_p is None and result.effect is not None:
        caveats.append(_("The trends before the start could not be tested (too few weeks before the pilot)."))
    caveats.append(_("Units were analysed as assigned, whether or not their staff registered for home days."))
    return tuple(caveats)


def _counter_metric_lines(counter_metrics: Sequence[CounterMetric]) -> tuple[str, ...]:
    lines: list[str] = []
    for metric in counter_metrics:
        name = inline_name(metric.indicator)
        result = metric.result
        if result.effect is None or result.ci95 is None:
            lines.append(_("Alongside: %(name)s could not be estimated.") % {"name": name})
            continue
        values = {
            "name": name,
            "amount": signed(metric.indicator, result.effect),
            "low": signed(metric.indicator, result.ci95[0]),
            "high": signed(metric.indicator, result.ci95[1]),
        }
        worse = result.p is not None and result.p < SIGNIFICANCE and (result.effect > 0) != metric.indicator.higher_is_better
        if worse:
            lines.append(_("Alongside, a warning: %(name)s got worse in pilot units (%(amount)s; 95%% interval %(low)s to %(high)s).") % values)
        else:
            lines.append(_("Alongside: %(name)s %(amount)s (95%% interval %(low)s to %(high)s), no clear deterioration.") % values)
    return tuple(lines)


def verdict(
    result: EstimationResult,
    *,
    indicator: Indicator,
    mde: float | None,
    smallest_effect: float,
    counter_metrics: Sequence[CounterMetric] = (),
    design_changed_after_launch: bool = False,
) -> Verdict:
    """The plain-language verdict on one outcome. ``mde`` and ``smallest_effect`` are in the indicator's units."""
    found = refusals(result, design_changed_after_launch=design_changed_after_launch)
    detectability = _detectability(indicator, result, mde, smallest_effect)
    counter_lines = _counter_metric_lines(counter_metrics)
    if found or result.effect is None or result.ci95 is None:
        return Verdict(headline=None, interval=None, detectability=detectability, refusals=found, caveats=(), counter_metrics=counter_lines)
    significant = result.ci95[0] > 0 or result.ci95[1] < 0
    if significant and result.wild_bootstrap_p is not None and result.wild_bootstrap_p >= SIGNIFICANCE:
        # Few units: the usual interval excludes no change but the wild cluster bootstrap does not confirm it.
        headline = _(
            "No confirmed change in %(name)s in pilot units compared with the other units: the estimate is %(amount)s, "
            "but with so few units the bootstrap check does not confirm it."
        ) % {"name": inline_name(indicator), "amount": signed(indicator, result.effect)}
    else:
        headline = _direction_sentence(indicator, result.effect, significant)
    interval = _("95%% interval: from %(low)s to %(high)s.") % {"low": signed(indicator, result.ci95[0]), "high": signed(indicator, result.ci95[1])}
    return Verdict(headline=headline, interval=interval, detectability=detectability, refusals=(), caveats=_caveats(result), counter_metrics=counter_lines)
