from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    """Work items, progress, stall detection and progress reports ("assignments", not "tasks": Celery owns that word)."""

    name = "telework.assignments"
    label = "assignments"
    verbose_name = _("Work assignment")

    def ready(self) -> None:
        from telework.assignments import signals, tasks  # noqa: F401 - registers the tasks the services queue by name
        from telework.core import rule_labels

        # A distancing switch pauses work by category and resumes it when it ends (``signals``, issue 14 pt 4).
        signals.register()

        # The rules an alert or a refusal names (``assignments.rules``): a person reads these, never the keys.
        rule_labels.register(
            {
                "stall_working_days": _("Working days without an update before work counts as stalled"),
                "behind_schedule_gap": _("Progress behind schedule before a warning"),
                "at_risk_working_days_left": _("Working days left before a legal deadline counts as at risk"),
                "apology_lead_days": _("Working days before a legal deadline to issue the apology slip"),
                "max_reschedules": _("Most apology slips for one dossier"),
                "due_on": _("Deadline"),
                "legal_deadline": _("Legal deadline"),
                "apology_slip_missing": _("Apology slip before a missed legal deadline"),
            }
        )
