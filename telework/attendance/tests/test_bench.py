"""The check-in benchmark's own logic (the run itself needs PostgreSQL, gunicorn and wrk: `python -m bench.checkin`):
its options, its figures and targets, and the guard that keeps the reference endpoints out of production."""

from __future__ import annotations

import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from bench import checkin


def run_figures(**changes):
    figures = {
        "requests": 1000,
        "sent": 1000,
        "answered": 1000,
        "acknowledged": 990,
        "refused": 10,
        "failed": 0,
        "other": 3,
        "active_ms": 2000.0,
        "duration_us": 2_100_000,
        "p50_us": 4000,
        "p90_us": 9000,
        "p95_us": 12_500,
        "p99_us": 30_000,
        "max_us": 80_000,
        "mean_us": 5000.0,
        "socket_errors": {"connect": 0, "read": 1, "write": 0, "timeout": 0},
        "status_errors": 10,
    }
    figures.update(changes)
    return checkin.WrkRun(figures=figures, wall_seconds=2.5, loadgen_cpu_seconds=0.25, server_cpu_seconds=3.0)


def test_a_run_is_summarised_over_the_time_writes_were_answered():
    summary = checkin.summarise(run_figures())
    assert summary["acknowledged"] == 990
    assert summary["refused"] == 10
    assert summary["errors"] == 1
    assert summary["seconds"] == 2.0
    assert summary["throughput_rps"] == 495.0
    assert (summary["p50_ms"], summary["p95_ms"], summary["p99_ms"], summary["max_ms"]) == (4.0, 12.5, 30.0, 80.0)
    assert summary["writes_sent"] == summary["writes_answered"] == 1000


def phase(throughput, acknowledged, rows, *, p95=10.0, rate=None, duplicates=0):
    figures = {"throughput_rps": throughput, "acknowledged": acknowledged, "rows_in_database": rows, "p95_ms": p95, "duplicates": duplicates}
    if rate is not None:
        figures["target_rps"] = rate
    return figures


@pytest.mark.parametrize(
    ("peak", "paced", "raw_rows", "expected"),
    [
        (phase(700, 20000, 20000), phase(350, 7000, 7000, rate=350), 10000, (True, True, True)),
        (phase(690, 20000, 20000), phase(350, 7000, 7000, rate=350), 10000, (False, True, True)),
        (phase(700, 20000, 20000), phase(350, 7000, 7000, p95=50.0, rate=350), 10000, (True, False, True)),
        (phase(700, 20000, 20000), phase(300, 6000, 6000, rate=350), 10000, (True, False, True)),
        (phase(700, 20000, 20000), phase(350, 7000, 7000, rate=200), 10000, (True, False, True)),
        (phase(700, 20000, 20001), phase(350, 7000, 7000, rate=350), 10000, (True, True, False)),
        (phase(700, 20000, 20000, duplicates=1), phase(350, 7000, 7000, rate=350), 10000, (True, True, False)),
        (phase(700, 20000, 20000), phase(350, 7000, 7000, rate=350), 9999, (True, True, False)),
    ],
)
def test_the_targets_of_issue_4(peak, paced, raw_rows, expected):
    result = {
        "raw_insert": phase(1000, 10000, raw_rows),
        "checkin_peak": peak,
        "checkin_paced": paced,
        "ratios": {"checkin_to_raw_insert": round(peak["throughput_rps"] / 1000, 3)},
    }
    targets = checkin.targets(result)
    assert tuple(targets.values()) == expected
    assert list(targets) == ["throughput_at_least_70_percent_of_raw_insert", "p95_under_50_ms_at_350_rps", "nothing_lost"]


def test_every_paced_request_needs_its_own_staff_member(capsys):
    with pytest.raises(SystemExit):
        checkin.parse_arguments(["--staff", "1000", "--rate", "350", "--paced-seconds", "20"])
    assert "must not exceed --staff" in capsys.readouterr().err
    arguments = checkin.parse_arguments(["--staff", "20000", "--json"])
    assert (arguments.staff, arguments.rate, arguments.paced_seconds, arguments.durability, arguments.json) == (20000, 350, 20, "full", True)


def test_the_reference_endpoints_need_the_benchmark_switch(monkeypatch):
    monkeypatch.delenv("TELEWORK_BENCHMARK_ENDPOINTS", raising=False)
    sys.modules.pop("bench.checkin_settings", None)
    with pytest.raises(ImproperlyConfigured, match="TELEWORK_BENCHMARK_ENDPOINTS=1"):
        importlib.import_module("bench.checkin_settings")
    sys.modules.pop("bench.checkin_settings", None)


def test_the_reference_urls_refuse_any_other_settings():
    sys.modules.pop("bench.checkin_urls", None)
    with pytest.raises(ImproperlyConfigured, match="only for bench.checkin_settings"):
        importlib.import_module("bench.checkin_urls")
    sys.modules.pop("bench.checkin_urls", None)


def test_the_references_resolve_as_early_as_the_check_in(settings):
    settings.ROOT_URLCONF = "bench.checkin_urls"
    sys.modules.pop("bench.checkin_urls", None)
    urls = importlib.import_module("bench.checkin_urls")
    routes = [str(pattern.pattern) for pattern in urls.urlpatterns]
    assert routes.index("api/bench/trivial") == routes.index("api/") - 2
    assert routes.index("api/bench/insert") == routes.index("api/") - 1
    from django.urls import get_resolver

    api = next(pattern for pattern in get_resolver("config.urls").url_patterns if str(pattern.pattern) == "api/")
    # After the API's own openapi.json and docs, the attendance endpoints come first.
    assert [str(pattern.pattern) for pattern in api.url_patterns][2] == "attendance/check-in"
    sys.modules.pop("bench.checkin_urls", None)


def test_a_row_lost_in_any_round_fails_the_run():
    """The ratio is the median round's, but every round's writes must all be in the database."""
    result = {
        "raw_insert": phase(1000, 10000, 10000),
        "checkin_peak": phase(750, 20000, 20000),
        "checkin_paced": phase(350, 7000, 7000, rate=350),
        "ratios": {"checkin_to_raw_insert": 0.75},
        "rounds": [{"ratio": 0.75, "nothing_lost": True}, {"ratio": 0.74, "nothing_lost": False}],
    }
    assert checkin.targets(result)["nothing_lost"] is False
    result["rounds"][1]["nothing_lost"] = True
    assert all(checkin.targets(result).values())


def test_the_rounds_option_is_checked(capsys):
    with pytest.raises(SystemExit):
        checkin.parse_arguments(["--rounds", "0"])
    assert "--rounds must be at least 1" in capsys.readouterr().err
