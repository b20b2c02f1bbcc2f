"""Who runs the surveys and who reads which results. Home Affairs (and system administrators) create campaigns and
waves and read every agency; city leadership reads every agency; an agency head reads their own agency. Nobody
reads a person's answers: there is no such screen, and the pulse answers cannot be traced to a person at all."""

from __future__ import annotations

from django.db.models import QuerySet

from telework.accounts.models import Role
from telework.accounts.types import Viewer
from telework.organization import scope
from telework.organization.models import Agency


def can_run_surveys(viewer: Viewer) -> bool:
    return scope.is_city_policy_maker(viewer)


def result_agencies(viewer: Viewer) -> QuerySet[Agency]:
    """The agencies whose survey results ``viewer`` reads."""
    if not viewer.is_authenticated:
        return Agency.objects.none()
    if can_run_surveys(viewer) or viewer.role == Role.CITY_LEADERSHIP:
        return Agency.objects.all()
    if viewer.role == Role.AGENCY_HEAD:
        return scope.visible_agencies(viewer)
    return Agency.objects.none()


def can_read_results(viewer: Viewer) -> bool:
    return result_agencies(viewer).exists()
