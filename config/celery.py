"""Celery application. With no broker configured, tasks run eagerly in-process (the embedded default)."""

from __future__ import annotations

import os
from typing import Any

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("telework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect(weak=False)
@task_postrun.connect(weak=False)
def close_stale_database_connections(task: Any = None, **_kwargs: Any) -> None:
    """A worker keeps its database connection between tasks: before and after each one, drop it if it is broken (the
    PostgreSQL server restarted or failed over) or older than ``CONN_MAX_AGE``, so the next query reconnects instead of
    failing the task. Celery's Django fix-up does the same before a task; this states it, and also after one.

    Not for a task run eagerly in a request or a test: that runs inside the caller's transaction, whose connection must
    stay open."""
    if task is None or getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
