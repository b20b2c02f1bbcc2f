"""Publishing a draft: the week's roster staff see, each of them told their own days."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from telework.accounts.models import User
from telework.core.workflow import Change, Stamp, perform
from telework.rosters.models import ROSTER_WORKFLOW, Roster
from telework.rosters.services import follow_ups
from telework.rosters.services.checks import roster_check

# A roster keeps who published it and when; publishing takes no comment.
PUBLISHED = Stamp(by="published_by", at="published_at", comment=None)


def _publication_snapshot(roster: Roster) -> dict[str, Any]:
    return {"status": roster.status, "version": roster.version}


@transaction.atomic
def roster_publish(*, roster: Roster, actor: User) -> Roster:
    """Publish a draft: it becomes the list staff see for the week, and every staff member of the unit is told."""
    roster = Roster.objects.select_for_update().select_related("unit").get(pk=roster.pk)
    roster_check(roster=roster, actor=actor, action="publish").raise_if_refused()
    perform(
        roster,
        workflow=ROSTER_WORKFLOW,
        action="publish",
        actor=actor,
        change=Change(
            audit_action="roster.publish",
            snapshot=_publication_snapshot,
            agency_id=roster.unit.agency_id,
            stamp=PUBLISHED,
            notify=follow_ups.deferred(follow_ups.ROSTER_PUBLISHED, roster.pk),
        ),
    )
    return roster
