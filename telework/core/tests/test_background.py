"""Tasks are queued by name, so services need not import their tasks module."""

from __future__ import annotations

import pytest
from celery.exceptions import NotRegistered

from telework.core.background import enqueue
from telework.core.models import Notification
from telework.demo.testing import next_monday
from telework.registrations.models import Registration


@pytest.mark.django_db
def test_a_task_queued_by_its_name_runs_in_the_embedded_default(city):
    member = city.staff[0]
    monday = next_monday()
    registration = Registration.objects.create(staff=member, unit=city.unit, starts_on=monday, ends_on=monday, status="approved")
    enqueue("registrations.notify_event", registration.pk, "approved")
    assert Notification.objects.filter(user=member.user).count() == 1


def test_an_unknown_task_name_fails_loudly():
    with pytest.raises(NotRegistered):
        enqueue("no.such.task")
