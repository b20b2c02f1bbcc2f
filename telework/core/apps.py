import sys
from typing import Any

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "telework.core"
    label = "core"

    def ready(self) -> None:
        # Each app declares the objects its audit rows describe and who may see them (``core.audit_subjects``).
        from telework.core import audit_subjects

        audit_subjects.autodiscover()

        from django.contrib.auth.signals import user_logged_in

        from telework.core.middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="core.stamp_login")

        from celery.signals import task_postrun

        from telework.core import scheduler
        from telework.core import tasks as _tasks  # noqa: F401 - registers the notification delivery queued by name

        task_postrun.connect(_record_beat_run, dispatch_uid="core.record_beat_run", weak=False)
        # Periodic jobs run by themselves in serving processes of the embedded default (no broker).
        scheduler.maybe_start(sys.argv)


def _record_beat_run(sender: Any = None, retval: Any = None, state: str | None = None, **kwargs: Any) -> None:
    from telework.core import scheduler

    name = getattr(sender, "name", "")
    if name:
        scheduler.record_beat_run(name, retval, failed=state == "FAILURE", error=str(retval) if state == "FAILURE" else "")
