"""Work that should not hold a request: a Celery task when a broker is configured, otherwise a daemon thread in this
process (the embedded default), or — when ``BACKGROUND_THREADS`` is off, as in tests — right away in this thread."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)


def uses_celery_workers() -> bool:
    """A broker is configured, so tasks go to Celery workers instead of running eagerly in-process."""
    from config.celery import app

    return not app.conf.task_always_eager


def run_in_background(task: Any, *args: Any) -> None:
    """Run the Celery task ``task`` (the task, or its registered name) with JSON-serialisable ``args`` off the request
    path. Call it from ``transaction.on_commit`` so the work reads what the request committed."""
    if isinstance(task, str):
        task = registered_task(task)
    if uses_celery_workers():
        task.delay(*args)
        return
    if not getattr(settings, "BACKGROUND_THREADS", True):
        task(*args)
        return

    def work() -> None:
        try:
            task(*args)
        except Exception:
            logger.exception("Background task %s failed", getattr(task, "name", task))
        finally:
            # A thread holds its own database connection: give it back, or it leaks until the process ends.
            connections.close_all()

    threading.Thread(target=work, name=f"telework-{getattr(task, 'name', 'task')}", daemon=True).start()


def enqueue(task_name: str, *args: Any) -> None:
    """Queue the Celery task registered as ``task_name`` with JSON-serialisable ``args`` (eagerly in-process in the
    embedded default). Services enqueue by name, so a service module never imports its app's tasks module and the
    tasks module may import the services it calls: no service ↔ task cycle. Call it from ``transaction.on_commit``."""
    registered_task(task_name).delay(*args)


def registered_task(task_name: str) -> Any:
    """The Celery task registered as ``task_name`` (``NotRegistered`` when no app declares it)."""
    from config.celery import app

    if task_name not in app.tasks:
        # Processes import tasks modules lazily: import every installed app's ``tasks`` module (each shared task then
        # registers with the app) and look again.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
    return app.tasks[task_name]
