"""The dashboard benchmark, tiny: a city of realistic shape from its seed, and on PostgreSQL the whole run — data
generated, the panel built, the design launched, every dashboard request answered — with its JSON figures."""

from __future__ import annotations

import json
import random

import pytest

from bench import dashboard


def test_the_city_has_agencies_of_varied_size_and_units_of_3_to_80_staff_from_its_seed():
    agencies = dashboard.agency_sizes(20_000, random.Random(7))
    units = [size for agency in agencies for size in dashboard.unit_sizes(agency, random.Random(agency))]

    assert sum(agencies) == 20_000
    assert len(agencies) == dashboard.AGENCIES
    assert max(agencies) > 5 * min(agencies)
    assert min(units) >= 3
    assert max(units) <= 80
    assert 1_000 <= len(units) <= 2_000
    assert dashboard.agency_sizes(20_000, random.Random(7)) == agencies
    assert dashboard.agency_sizes(20_000, random.Random(8)) != agencies
    for total in (3, 4, 5, 81, 83, 160):
        sizes = dashboard.unit_sizes(total, random.Random(total))
        assert sum(sizes) == total, total
        assert all(3 <= size <= 80 for size in sizes), total


def test_the_request_mix_covers_three_levels_and_the_excel_downloads_apart():
    town = dashboard.City(None, None, None, None, agency_id=1, unit_id=2, other_unit_id=3, agencies=1, units=1, staff=1)
    mix = dashboard.request_mix(town, 9, dashboard.dt.date(2025, 12, 1), dashboard.dt.date(2026, 11, 18))

    assert {item.who for item in mix} == {"leadership", "agency_head", "unit_head"}
    assert {"assessment:dashboard", "assessment:dashboard_excel"} <= {item.url_name for item in mix}
    assert {item.url_name for item in mix if item.group == "excel"} == {"assessment:dashboard_excel"}
    assert {item.url_name for item in mix if item.group == "pages"} == {"assessment:dashboard"}
    assert {item.params.get("indicator") for item in mix} - {None} <= set(dashboard.indicator_codes())
    assert len({item.params.get("indicator") for item in mix}) >= 6


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_benchmark_runs_at_a_tiny_scale_and_prints_its_figures(capsys):
    dashboard.main(["--here", "--scale", "0.005", "--weeks", "10", "--rounds", "1", "--json"])
    report = json.loads(capsys.readouterr().out)

    assert report["organisation"]["staff"] == 100
    assert report["source_rows"]["work_items"] > 0
    assert report["source_rows"]["dossiers"] > 0
    assert report["source_rows"]["evaluations"] > 0
    assert report["source_rows"]["design_allocations"] == report["organisation"]["units"]
    assert report["panel_rows"] > 0
    assert report["missing_pages"] == []
    assert report["failed_requests"] == []
    assert report["pages"]["count"] == 15
    assert report["excel"]["count"] == 3
    assert report["linked"]["count"] == 4
    assert all(entry["queries"] > 0 for entry in report["requests"].values())
    for figure in ("p95_ms", "day_refresh_seconds", "rebuild_seconds"):
        assert report[figure] > 0, figure
