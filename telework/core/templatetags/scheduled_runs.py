"""``{% last_scheduled_run "attendance.detect_missed_check_ins" %}``: when a board's automatic detection last ran,
in words (the time, the day, the outcome), or that it has not run yet."""

from __future__ import annotations

from typing import Any

from django import template

from telework.core import scheduler

register = template.Library()


@register.inclusion_tag("core/_last_scheduled_run.html")
def last_scheduled_run(task: str, element_id: str = "last-scheduled-run") -> dict[str, Any]:
    return {"run": scheduler.last_run(task), "element_id": element_id}
