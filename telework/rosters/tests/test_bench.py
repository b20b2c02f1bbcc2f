"""The benchmark's generator and command, on a small city: deterministic instances, and JSON with every figure."""

from __future__ import annotations

import json
from collections import Counter

from bench import roster as bench_roster
from bench.instances import DISTANCING_FAMILIES, FAMILIES, generate_city, generate_distancing_city, horizon_days
from telework.rosters.engine.explain import unavoidable_violations


def test_the_generator_is_deterministic_and_sizes_add_up():
    first = generate_city(500, seed=11, weeks=4)
    again = generate_city(500, seed=11, weeks=4)
    other = generate_city(500, seed=12, weeks=4)

    assert first == again
    assert first != other
    assert sum(unit.instance.staff_count for unit in first) == 500
    assert all(3 <= unit.instance.staff_count for unit in first)
    assert Counter(unit.family for unit in first[:16]) == dict.fromkeys(FAMILIES, 2)
    assert all(any(person.is_leader for person in unit.instance.people) for unit in first)
    assert len(horizon_days(4)) == 20
    assert len(horizon_days(1)) == 5
    ids = [person.id for unit in first for person in unit.instance.people]
    assert len(ids) == len(set(ids))


def test_the_benchmark_prints_the_figures_for_solver_and_baseline(capsys):
    assert bench_roster.main(["--staff", "120", "--seed", "5", "--workers", "2", "--repeat", "1", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    solver, baseline = report["solver"], report["baseline"]
    for key in ("hard_violations", "unavoidable_violations", "fairness_spread", "requests_honoured_share", "wall_seconds"):
        assert key in solver
        assert key in baseline
    for key in (
        "units_proven_optimal_share",
        "median_gap",
        "max_gap",
        "unit_seconds_p50",
        "unit_seconds_p99",
        "unit_seconds_max",
        "cpu_seconds_per_1000_staff",
        "workers",
        "parallel_efficiency",
        "peak_rss_mb",
        "deterministic",
    ):
        assert key in solver
    assert report["staff"] == 120
    assert solver["hard_violations"] == solver["unavoidable_violations"] == baseline["unavoidable_violations"]
    assert solver["deterministic"] is True
    assert solver["units_proven_optimal_share"] == 1.0
    assert report["targets"]["hard_violations_equal_unavoidable"] is True


def test_the_harder_families_hold_what_the_first_four_lacked():
    units = {unit.family: unit.instance for unit in generate_city(800, seed=3, weeks=4)}

    desk = units["desk_by_weekday"].service_points[0]
    assert desk.varies_by_weekday
    assert desk.required_by_weekday[0] == desk.required_on_site + 1
    clustered = units["leave_clusters"]
    away_together = max(sum(1 for person in clustered.people if day in person.leave_days) for day in clustered.days)
    assert away_together >= max(1, round(0.2 * len(clustered.people)))
    part_time = units["part_time"]
    assert all(person.max_home_days_per_week in (None, 1, 2) for person in part_time.people)
    monthly = units["month_history"]
    assert monthly.policy.max_home_days_per_month in (6, 8)
    assert all(person.month_history and person.month_history[0].month == "2026-11" for person in monthly.people)
    assert dict(monthly.month_days_after) == {"2026-11": 0, "2026-12": 4}
    assert {units[family].policy.min_home_days_per_week for family in ("desk_by_weekday", "leave_clusters", "part_time", "month_history")} == {1}


def test_the_benchmark_holds_its_targets_on_the_harder_four_week_families(capsys):
    assert bench_roster.main(["--staff", "400", "--seed", "3", "--weeks", "4", "--workers", "1", "--repeat", "1", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    solver = report["solver"]
    assert report["people_with_a_target_above_their_caps"] == 0
    assert solver["hard_violations"] == solver["unavoidable_violations"]
    assert solver["units_above_unavoidable"] == 0
    assert solver["units_proven_optimal_share"] == 1.0
    assert solver["stragglers_resolved"] == 0
    assert {name: family["hard_violations"] <= family["unavoidable_violations"] for name, family in solver["families"].items()} == dict.fromkeys(FAMILIES, True)


def test_the_distancing_benchmark_holds_its_targets_and_rotates_more_fairly_than_round_robin(capsys):
    assert bench_roster.main(["--regime", "distancing", "--staff", "300", "--seed", "7", "--weeks", "4", "--workers", "1", "--repeat", "1", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    solver, baseline = report["solver"], report["baseline"]
    assert report["regime"] == "distancing"
    assert solver["units_proven_optimal_share"] == 1.0
    assert solver["hard_violations"] == solver["unavoidable_violations"] > 0  # the infeasible family's cap gives way to its desk
    assert solver["units_above_unavoidable"] == 0
    assert solver["deterministic"] is True
    assert set(solver["families"]) == set(DISTANCING_FAMILIES)
    assert solver["families"]["distancing_infeasible"]["hard_violations"] == solver["families"]["distancing_infeasible"]["unavoidable_violations"] > 0
    assert solver["presence_deviation_spread_days"] < baseline["presence_deviation_spread_days"]
    assert solver["onsite_gini"] < baseline["onsite_gini"]


def test_the_distancing_generator_is_deterministic_and_its_infeasible_family_is_known_in_advance():
    first = generate_distancing_city(300, seed=7, weeks=4)
    assert first == generate_distancing_city(300, seed=7, weeks=4)
    assert Counter(unit.family for unit in first[:8]) == dict.fromkeys(DISTANCING_FAMILIES, 2)
    assert all(unit.instance.policy.home_days_assigned and unit.instance.policy.max_onsite_share in (0.2, 0.3) for unit in first)
    seats = [unit.instance for unit in first if unit.family == "distancing_seats"]
    assert all(instance.office_seats is not None and instance.office_seats < max(2, int(0.3 * len(instance.people))) for instance in seats)
    infeasible = [unit.instance for unit in first if unit.family == "distancing_infeasible"]
    assert all(unavoidable_violations(instance).by_rule["max_onsite_headcount"] > 0 for instance in infeasible)
