"""The indicator dictionary: every code the assessment relies on exists, and every word is in Vietnamese."""

from __future__ import annotations

from django.utils import translation

from telework.outcomes import indicators


def test_every_required_indicator_is_in_the_dictionary() -> None:
    assert set(indicators.REQUIRED_CODES) <= set(indicators.INDICATORS)
    assert list(indicators.INDICATORS)[0] == "dossier_on_time_rate"


def test_every_indicator_reads_in_vietnamese() -> None:
    with translation.override("vi"):
        for item in indicators.INDICATORS.values():
            for text in (item.name, item.definition, item.formula, item.source, item.unit_label):
                with translation.override("en"):
                    english = str(text)
                assert str(text) != english, english


def test_counter_metrics_are_the_ones_shown_next_to_a_headline() -> None:
    counters = {code for code, item in indicators.INDICATORS.items() if item.counter_metric}
    assert {"dossier_overdue", "dossier_apology_letters", "work_returned_share", "staff_stress", "attrition"} <= counters
    assert "dossier_on_time_rate" not in counters
