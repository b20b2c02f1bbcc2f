"""The push benchmark, tiny, on the test database: the generated dossiers pushed over HTTP with a push-only token in
batches, then pushed again with nothing written and nothing duplicated."""

from __future__ import annotations

import json

import pytest

from bench import dossiers as bench_dossiers
from bench import push as bench_push


def test_the_pushed_json_says_what_the_export_says():
    exports = bench_dossiers.generate_exports(60, 7, bench_dossiers.city_plan())
    items = [item for content in exports.dossiers.values() for item in bench_push.dossier_items(content)]

    assert len(items) == 60
    assert {item["online_level"] for item in items} <= {"fully_online", "partly_online", "in_person"}
    assert all(item["received_at"].endswith("+07:00") and item["due_at"].endswith("T17:00:00+07:00") for item in items)
    assert all(item["handler_codes"] for item in items)
    late = [item for item in items if item["apology"]]
    assert all(item["apology"]["new_due_at"] > item["due_at"] for item in late)


@pytest.mark.django_db
def test_the_benchmark_pushes_in_batches_and_a_second_push_changes_nothing(capsys):
    assert bench_push.main(["--dossiers", "300", "--batch", "40", "--seed", "7", "--here", "--json"]) == 0

    report = json.loads(capsys.readouterr().out)
    assert (report["dossiers"], report["duplicates"], report["unchanged_on_repush"]) == (300, 0, 300)
    assert report["batches"] == sum(-(-share // 40) for share in (50,) * 6)
    assert report["first_push"]["created"] == 300
    assert (report["first_push"]["refused"], report["repush"]["refused"], report["repush"]["created"], report["repush"]["updated"]) == (0, 0, 0, 0)
    assert report["pushed_source"] == report["dossiers_with_desk_staff"] == 300
    for key in ("first_push_seconds", "repush_seconds", "rows_per_second", "target_met"):
        assert key in report
