"""The evidence benchmark, tiny: its JSON has every design's figures, and the same seed gives the same figures."""

from __future__ import annotations

import json

from bench import evidence

FIGURES = {"bias_share", "rmse", "coverage", "false_positive_rate", "power_at_mde", "pretrend_rejection_rate", "mde_mean", "targets_met"}


def run(capsys, *arguments):
    assert evidence.main(["--cities", "1", "--json", *arguments]) == 0
    return json.loads(capsys.readouterr().out)


def without_timings(report):
    report = dict(report, seconds=None)
    report["designs"] = {name: dict(figures, seconds=None) for name, figures in report["designs"].items()}
    return report


def test_the_benchmark_reports_each_design_and_is_deterministic_from_its_seed(capsys):
    first = run(capsys, "--seed", "3")

    assert set(first["designs"]) == {"randomised", "stepped_wedge", "matched"}
    for name, figures in first["designs"].items():
        assert FIGURES <= set(figures), name
        assert figures["failed_cities"] == 0
        assert figures["mde_mean"] > 0
        assert 0 <= figures["coverage"] <= 1
        assert 0 <= figures["power_at_mde"] <= 1
        assert set(figures["targets_met"]) == {"bias_share", "coverage", "false_positive_rate", "power_at_mde"}
    assert first["designs"]["stepped_wedge"]["estimator"] == "sun_abraham"

    again = run(capsys, "--seed", "3", "--designs", "stepped_wedge")
    assert without_timings(again)["designs"]["stepped_wedge"] == without_timings(first)["designs"]["stepped_wedge"]

    other = run(capsys, "--seed", "4", "--designs", "randomised")
    assert set(other["designs"]) == {"randomised"}
    assert other["designs"]["randomised"]["rmse"] != first["designs"]["randomised"]["rmse"]
