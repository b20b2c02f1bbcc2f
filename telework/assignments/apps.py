from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssignmentsConfig(AppConfig):
    """Work items, progress, stall detection and progress reports ("assignments", not "tasks": Celery owns that word)."""

    name = "telework.assignments"
    label = "assignments"
    verbose_name = _("Work assignment")
