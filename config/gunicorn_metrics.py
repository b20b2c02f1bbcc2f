"""Gunicorn hooks for Prometheus with several workers: ``gunicorn -c config/gunicorn_metrics.py config.wsgi``.

Start gunicorn with ``PROMETHEUS_MULTIPROC_DIR`` set (in the environment of the master, so every worker inherits it)
to a directory of its own. The master empties it before the first worker starts (counts from an earlier run would be
added again), and tells prometheus_client when a worker exits so its live gauges are dropped; any worker then answers
``/metrics`` with the sum of all of them (``telework.core.metrics``). Other gunicorn settings stay on the command line.
"""

from __future__ import annotations

import os as _os
import shutil as _shutil
from pathlib import Path as _Path
from typing import Any


def on_starting(server: Any) -> None:
    directory = _os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    if directory:
        path = _Path(directory)
        if path.exists():
            _shutil.rmtree(path)
        path.mkdir(parents=True, mode=0o700)


def child_exit(server: Any, worker: Any) -> None:
    if _os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]
