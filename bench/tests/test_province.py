"""The province benchmark's arithmetic: the nation extrapolated from one province's per-staff costs, and the agency
plan. Pure functions; a change to a constant or a formula shows here, not silently in docs/scaling.md."""

from __future__ import annotations

import random

import pytest

from bench.province import PerUnitCosts, agency_plan, extrapolate, peak_checkins_per_second

COSTS = PerUnitCosts(
    roster_worker_cpu_seconds_per_1000_staff=2.0,
    roster_database_cpu_seconds_per_1000_staff=0.5,
    roster_parallel_efficiency=0.8,
    evaluation_seconds_per_1000_staff=0.3,
    bytes_per_staff_week=5_000.0,
    bytes_per_staff_quarter=5_000.0,
    checkin_requests_per_second_per_core=100.0,
)


def test_the_morning_peak_spreads_the_staff_over_half_an_hour_and_its_busiest_ten_minutes():
    peak = peak_checkins_per_second(200_000)

    # 95 % of 200,000 over 1,800 s; half of them in the ten minutes before 08:00.
    assert peak == {"average_per_second": 105.6, "busiest_ten_minutes_per_second": 158.3}


def test_the_nation_is_the_sum_of_its_staff_costs():
    nation = extrapolate(COSTS, staff=2_100_000, provinces=34, largest_province_staff=200_000)

    assert nation["average_province_staff"] == 61_765
    # 2 CPU-s per 1,000 staff × 2,100 thousand = 4,200 s.
    assert nation["weekly_rosters"]["worker_cpu_hours"] == pytest.approx(1.17, abs=0.01)
    assert nation["weekly_rosters"]["database_cpu_hours"] == pytest.approx(0.29, abs=0.01)
    # The largest province: 400 CPU-s, twice over, in 15 minutes at 80 % efficiency → 2 cores (1.11 rounded up).
    assert nation["weekly_rosters"]["worker_cores_for_15_minutes_largest_province"] == 2
    # A year: 52 weeks × 5,000 B + 4 quarters × 5,000 B = 280,000 B per person.
    assert nation["database_bytes_per_year"]["per_staff"] == 280_000
    assert nation["database_bytes_per_year"]["nation_gb"] == pytest.approx(588.0)
    assert nation["database_bytes_per_year"]["largest_province_gb"] == pytest.approx(56.0)
    assert nation["quarterly_evaluation"]["largest_province_minutes"] == pytest.approx(1.0)
    assert nation["checkin_peak"]["largest_province"]["busiest_ten_minutes_per_second"] == 158.3
    # 158.3/s at twice the need, 100 per core → 4 cores (3.17 rounded up).
    assert nation["checkin_peak"]["app_cores_largest_province"] == 4
    assert nation["checkin_peak"]["nation"]["busiest_ten_minutes_per_second"] == 1662.5


def test_a_poorer_parallel_efficiency_asks_for_more_worker_cores():
    good = extrapolate(COSTS)
    poor = extrapolate(PerUnitCosts(**{**COSTS.__dict__, "roster_parallel_efficiency": 0.4}))

    assert poor["weekly_rosters"]["worker_cores_for_15_minutes_largest_province"] > good["weekly_rosters"]["worker_cores_for_15_minutes_largest_province"]
    assert poor["weekly_rosters"]["worker_cpu_hours"] == good["weekly_rosters"]["worker_cpu_hours"]


def test_the_agency_plan_gives_about_one_agency_per_2000_staff_in_unit_order():
    sizes = [20] * 10_000
    plan = agency_plan(sizes, 200_000, random.Random(7))

    assert len(plan) == len(sizes)
    assert plan == sorted(plan)  # units are taken in order: an agency's units are contiguous
    assert 90 <= max(plan) + 1 <= 100
    assert plan[0] == 0
