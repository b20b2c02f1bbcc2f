"""Celery application. With no broker configured, tasks run eagerly in-process (the embedded default)."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("telework")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
