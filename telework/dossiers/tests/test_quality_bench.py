"""The quality benchmark, tiny, on the test database: both paths give the same city-month figures."""

from __future__ import annotations

import json

import pytest

from bench import dossiers as bench_dossiers
from bench import quality as bench_quality


@pytest.mark.django_db
def test_the_benchmark_times_both_paths_on_the_same_figures(capsys, monkeypatch):
    monkeypatch.setattr(bench_dossiers, "FIRST_MONDAY", bench_dossiers.FIRST_MONDAY)
    monkeypatch.setattr(bench_dossiers, "WEEKS", bench_dossiers.WEEKS)
    assert bench_quality.main(["--dossiers", "80", "--seed", "3", "--repeat", "1", "--here", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert report["dossiers"] == report["month_dossiers"] == 80
    assert report["same_figures"] is True
    assert report["rows"]["agencies"] == bench_dossiers.AGENCIES
    for key in ("sql_seconds", "python_seconds", "speedup", "target_met"):
        assert key in report
