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

        # Prometheus: statements counted on every connection, task outcomes, the figures read at scrape time.
        from telework.core import metrics

        metrics.connect_signals()
        task_postrun.connect(_count_task, dispatch_uid="core.count_task", weak=False)
        _register_gauges()
        # Periodic jobs run by themselves in serving processes of the embedded default (no broker).
        scheduler.maybe_start(sys.argv)


def _record_beat_run(sender: Any = None, retval: Any = None, state: str | None = None, **kwargs: Any) -> None:
    from telework.core import scheduler

    name = getattr(sender, "name", "")
    if name:
        scheduler.record_beat_run(name, retval, failed=state == "FAILURE", error=str(retval) if state == "FAILURE" else "")


def _count_task(sender: Any = None, state: str | None = None, **kwargs: Any) -> None:
    from telework.core import metrics

    metrics.task_finished(getattr(sender, "name", ""), state or "unknown")


def _register_gauges() -> None:
    from django.db.models import Max

    from telework.core import db, metrics
    from telework.core.models import AuditEvent, ScheduledRun

    def last_runs() -> list[tuple[dict[str, str], float]]:
        rows = ScheduledRun.objects.exclude(finished_at=None).values("job", "outcome").annotate(last=Max("finished_at"))
        return [({"job": row["job"], "outcome": row["outcome"]}, row["last"].timestamp()) for row in rows]

    def audit_last_id() -> list[tuple[dict[str, str], float]]:
        last = AuditEvent.objects.aggregate(last=Max("id"))["last"]
        return [({}, float(last or 0))]

    def replica_lag() -> list[tuple[dict[str, str], float]]:
        return [({}, db.replica_lag_seconds())] if db.replica_configured() else []

    def replica_in_use() -> list[tuple[dict[str, str], float]]:
        return [({}, 1.0 if db.reporting_alias() == db.REPLICA_ALIAS else 0.0)] if db.replica_configured() else []

    metrics.register_gauge("telework_scheduled_job_last_finished_timestamp_seconds", "When each scheduled job last finished, by outcome", last_runs)
    metrics.register_gauge("telework_audit_last_id", "The audit trail's highest row id (rows appended so far)", audit_last_id)
    metrics.register_gauge("telework_replica_lag_seconds", "How far the read replica's data is behind the primary", replica_lag)
    metrics.register_gauge("telework_replica_in_use", "1 when reports read the replica, 0 when they fell back to the primary", replica_in_use)
