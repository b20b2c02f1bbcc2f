"""Background work for the outcome panel. ``outcomes.refresh_panel`` runs every night (``CELERY_BEAT_SCHEDULE``; the
in-process scheduler runs the same entry without a broker): it recomputes the week of yesterday, and the weeks since
the last refresh when nights were skipped (weekends, holidays). Idempotent."""

from __future__ import annotations

import datetime as dt
from typing import Any

from celery import shared_task

from telework.core import clock
from telework.outcomes import panel


@shared_task(name="outcomes.refresh_panel")
def refresh_panel(day: str | None = None) -> dict[str, Any]:
    """Recompute the week of ``day`` (ISO date; default yesterday) and any week skipped since the last refresh."""
    target = dt.date.fromisoformat(day) if day else clock.today() - dt.timedelta(days=1)
    results = panel.refresh_since_last(target)
    return {
        "weeks": [result.refresh.first_week.isoformat() for result in results if result.refresh.first_week],
        "rows": sum(result.refresh.rows for result in results),
    }
