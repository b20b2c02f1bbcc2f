"""Prometheus metrics (issue 15, point 5): /metrics only for the allowed networks (a 404 page for anyone else),
requests by view, SQL statements, committed check-ins, task outcomes and figures read when scraped; several worker
processes add up through PROMETHEUS_MULTIPROC_DIR."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings

from telework.attendance import services
from telework.core import scheduler
from telework.core.exceptions import RuleViolation
from telework.core.scheduling import Job

pytestmark = pytest.mark.django_db


def sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in Prometheus' text format (labels given must all match)."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        match = re.match(r"([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', match.group(2) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(match.group(3))
    return None


def scrape(client, address: str = "127.0.0.1") -> str:
    response = client.get("/metrics", REMOTE_ADDR=address)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "sessionid" not in response.cookies
    return response.content.decode()


def test_loopback_reads_the_metrics_others_get_the_sites_404(client):
    text = scrape(client)
    assert "django_http_requests_total_by_view_transport_method_total" in text
    assert "telework_db_statements_total" in text
    refused = client.get("/metrics", REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 404
    assert b"# HELP" not in refused.content
    # A forged X-Forwarded-For does not help: only the socket's address counts.
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404


@override_settings(METRICS_ALLOWED_NETS=["10.20.0.0/24", "fd00::/8"])
def test_the_allowed_networks_are_configurable(client):
    scrape(client, "10.20.0.7")
    scrape(client, "fd00::7")
    assert client.get("/metrics", REMOTE_ADDR="10.20.1.7").status_code == 404
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404


def test_requests_are_counted_by_view_with_their_statements(client):
    before = scrape(client)
    client.get("/accounts/login/")
    client.get("/accounts/login/")
    after = scrape(client)
    by_view = "django_http_requests_total_by_view_transport_method_total"
    assert (sample(after, by_view, view="accounts:login", method="GET") or 0) - (sample(before, by_view, view="accounts:login", method="GET") or 0) == 2
    statements = "telework_db_statements_total"
    assert (sample(after, statements, alias="default") or 0) >= (sample(before, statements, alias="default") or 0)


def test_a_committed_check_in_is_counted_and_a_refused_one_is_not(client, city, django_capture_on_commit_callbacks):
    member = city.staff[0]
    before = sample(scrape(client), "telework_check_ins_total", mode="home") or 0
    with django_capture_on_commit_callbacks(execute=True):
        services.attendance_check_in(actor=member.user, mode="home")
    with pytest.raises(RuleViolation), django_capture_on_commit_callbacks(execute=True):
        services.attendance_check_in(actor=member.user, mode="office")
    assert sample(scrape(client), "telework_check_ins_total", mode="home") == before + 1


@pytest.mark.frozen_at("2026-11-18 09:06")
def test_scheduled_task_outcomes_and_last_runs_are_exposed(client):
    job = Job(name="core-export-audit-head", task="core.export_audit_head", minutes=frozenset({5}), hours=frozenset({0}), working_days_only=False)
    broken = Job(name="broken", task="no.such.task", minutes=frozenset({0}), hours=frozenset({9}))
    before = scrape(client)
    scheduler.run_due_jobs([job, broken])
    after = scrape(client)
    tasks = "telework_tasks_total"
    assert (sample(after, tasks, task="core.export_audit_head", outcome="success") or 0) == (
        sample(before, tasks, task="core.export_audit_head", outcome="success") or 0
    ) + 1
    assert (sample(after, tasks, task="no.such.task", outcome="failure") or 0) == (sample(before, tasks, task="no.such.task", outcome="failure") or 0) + 1
    last = sample(after, "telework_scheduled_job_last_finished_timestamp_seconds", job="core-export-audit-head", outcome="succeeded")
    assert last is not None
    assert sample(after, "telework_audit_last_id") is not None


@pytest.mark.own_process
def test_the_counts_of_several_worker_processes_add_up(client, tmp_path):
    """Two processes (as two gunicorn workers) count check-ins in the shared directory; a scrape answered by any
    process reads the sum."""
    code = (
        "import django; django.setup(); from telework.core import metrics; metrics.CHECK_INS.labels('office').inc(3); "
        "metrics.TASKS.labels('x', 'success').inc()"
    )
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    for _worker in range(2):
        subprocess.run([sys.executable, "-c", code], env=environment, check=True, timeout=120, cwd=settings.BASE_DIR)  # noqa: S603
    assert len(list(tmp_path.glob("counter_*.db"))) == 2
    with override_settings(METRICS_MULTIPROC_DIR=str(tmp_path)):
        text = scrape(client)
    assert sample(text, "telework_check_ins_total", mode="office") == 6
    assert sample(text, "telework_tasks_total", task="x", outcome="success") == 2


def test_gunicorns_master_empties_the_shared_directory_before_the_workers_start(tmp_path, monkeypatch):
    from config import gunicorn_metrics

    directory = tmp_path / "metrics"
    directory.mkdir()
    (directory / "counter_123.db").write_bytes(b"stale counts of the last run")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))
    gunicorn_metrics.on_starting(server=None)
    assert directory.is_dir()
    assert list(directory.iterdir()) == []
