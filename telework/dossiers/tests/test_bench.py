"""The import benchmark, tiny, on the test database: deterministic exports, imported twice with nothing duplicated."""

from __future__ import annotations

import json

import pytest

from bench import dossiers as bench_dossiers


def test_the_generated_exports_are_deterministic_and_realistic():
    plans = bench_dossiers.city_plan()
    first = bench_dossiers.generate_exports(600, 7, plans)
    again = bench_dossiers.generate_exports(600, 7, plans)
    other = bench_dossiers.generate_exports(600, 8, plans)

    assert first == again
    assert first.dossiers != other.dossiers
    assert first.dossier_count == 600
    rows = [line for content in first.dossiers.values() for line in content.decode().splitlines()[1:]]
    assert len(rows) == 600
    online = sum(",Trực tuyến," in row for row in rows)
    assert 0.6 < online / 600 < 0.8
    assert 0.2 < first.rating_count / 600 < 0.4
    assert any(row.split(",")[-2] for row in rows)  # some dossiers late with an apology letter


@pytest.mark.django_db
def test_the_benchmark_imports_twice_with_no_duplicate_and_no_write_the_second_time(capsys):
    assert bench_dossiers.main(["--dossiers", "60", "--seed", "7", "--here", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert (report["dossiers"], report["duplicates"], report["reimport_writes"]) == (60, 0, 0)
    assert report["ratings"] == report["first_import"]["rating_rows"]["created"] > 0
    assert report["reimport"]["dossier_rows"]["unchanged"] == 60
    assert report["dossiers_with_desk_staff"] == 60
    for key in ("first_import_seconds", "reimport_seconds", "peak_rss_mb", "target_met"):
        assert key in report
