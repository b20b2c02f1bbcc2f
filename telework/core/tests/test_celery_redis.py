"""Notifications travel through a real broker: Redis, a Celery worker, and the task run twice changing nothing.

The services queue ``registrations.notify_event`` with ``transaction.on_commit``; here the broker is a real
``redis-server`` and the task runs on a worker thread (see the ``celery_worker`` fixture in the root conftest), as it
does in production with ``CELERY_BROKER_URL`` set.
"""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.utils import translation
from django.utils.translation import gettext

from config.celery import app

# Imported here, before the worker fixture re-binds the app: Celery binds a shared task to the app only if the task's
# module is imported while the app is registered.
from telework.assignments.tasks import detect_stalls_task
from telework.core.models import Notification, ScheduledRun
from telework.demo.testing import next_monday
from telework.policy.models import SwitchChange, SwitchKind
from telework.policy.services import switch_set
from telework.registrations import services
from telework.registrations.models import RegistrationStatus
from telework.registrations.tasks import notify_registration_event

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

TASK = "registrations.notify_event"
DELIVER = "core.deliver_notifications"


def finished_named(worker, name: str, count: int, timeout: float = 20) -> list:
    """The tasks called ``name`` the worker has finished, once there are ``count`` of them (notifications queue their
    e-mail delivery as tasks of their own, so counting every task would race with them)."""
    deadline = time.monotonic() + timeout
    while True:
        tasks = [task for task in list(worker.finished) if task.name == name]
        if len(tasks) >= count:
            return tasks
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker finished {len(tasks)} {name} task(s) within {timeout}s, expected {count}")
        time.sleep(0.05)


def in_vietnamese(message: str, **params) -> str:
    """Notifications are written in Vietnamese, whoever triggers them."""
    with translation.override("vi"):
        return gettext(message) % params


def notifications():
    return list(Notification.objects.order_by("id").values_list("user__username", "key", "title"))


def test_submission_and_approval_notify_through_the_worker_exactly_once(city, celery_worker):
    assert app.conf.task_always_eager is False
    head, member = city.head_user, city.staff[0]
    head.email = "truong.phong@example.gov.vn"
    head.save(update_fields=["email"])
    member.user.email = "le.van.0@example.gov.vn"
    member.user.save(update_fields=["email"])
    monday = next_monday()
    asks = in_vietnamese("%(name)s asks to work from home", name=member.full_name)
    approved_title = in_vietnamese("Your home-day registration was approved")

    registration = services.registration_submit(
        staff=member,
        actor=member.user,
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=4),
        weekdays=[0, 3],
        equipment_attested=["computer", "internet", "phone", "printer"],
        commitment_accepted=True,
    )
    [submitted] = finished_named(celery_worker, TASK, 1)
    [emailed] = finished_named(celery_worker, DELIVER, 1)
    assert (emailed.state, emailed.is_eager) == ("SUCCESS", False)
    assert (submitted.name, submitted.args, submitted.state, submitted.error) == (TASK, [registration.pk, "submitted"], "SUCCESS", None)
    assert (submitted.is_eager, submitted.routing_key) == (False, "celery")
    assert submitted.thread_name != threading.current_thread().name
    assert notifications() == [(head.username, f"registration:{registration.pk}:submitted:{registration.submitted_at}", asks)]
    assert [(message.to, message.subject) for message in mail.outbox] == [([head.email], asks)]

    services.registration_approve(registration=registration, actor=head, comment="Đồng ý")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    approved = finished_named(celery_worker, TASK, 2)[1]
    finished_named(celery_worker, DELIVER, 2)
    assert (approved.name, approved.args, approved.state, approved.error) == (TASK, [registration.pk, "approved"], "SUCCESS", None)
    assert (approved.is_eager, approved.routing_key, approved.thread_name) == (False, "celery", submitted.thread_name)
    expected = [
        (head.username, f"registration:{registration.pk}:submitted:{registration.submitted_at}", asks),
        (member.user.username, f"registration:{registration.pk}:approved:{registration.decided_at}", approved_title),
    ]
    assert notifications() == expected
    # The e-mails go out from the worker too (core.deliver_notifications, queued when the notification commits).
    assert [(message.to, message.subject, message.body.split("\n")[2]) for message in mail.outbox] == [
        ([head.email], asks, str(registration)),
        ([member.user.email], approved_title, "Đồng ý"),
    ]

    # A broker may deliver a message twice (a worker lost before its ack): the second run changes nothing.
    notify_registration_event.delay(registration.pk, "submitted")
    notify_registration_event.delay(registration.pk, "approved")
    repeats = finished_named(celery_worker, TASK, 4)[2:]
    assert sorted((task.args[1], task.state, task.error) for task in repeats) == [("approved", "SUCCESS", None), ("submitted", "SUCCESS", None)]
    assert notifications() == expected
    assert len(finished_named(celery_worker, DELIVER, 2)) == 2
    assert len(mail.outbox) == 2


def test_a_task_for_a_registration_that_no_longer_exists_does_nothing(city, celery_worker):
    notify_registration_event.delay(999_999, "approved")
    [finished] = celery_worker.wait_for(1)
    assert (finished.name, finished.args, finished.state, finished.error) == (TASK, [999_999, "approved"], "SUCCESS", None)
    assert notifications() == []
    assert mail.outbox == []


def test_a_switch_change_follows_up_on_a_worker_and_a_beat_job_is_recorded(city, celery_worker):
    """With a broker, a switch's follow-up (notify, re-solve) runs on a Celery worker, not in the request; and a
    scheduled job sent by beat is recorded for the boards like an in-process run."""
    change = switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Dịch bệnh")
    [follow_up] = finished_named(celery_worker, "policy.switch_follow_up", 1)
    assert (follow_up.name, follow_up.args, follow_up.state, follow_up.is_eager) == ("policy.switch_follow_up", [change.pk], "SUCCESS", False)
    change.refresh_from_db()
    assert change.status == SwitchChange.Status.DONE

    detect_stalls_task.delay()
    [stalls] = finished_named(celery_worker, "assignments.detect_stalls", 1)
    assert (stalls.name, stalls.state) == ("assignments.detect_stalls", "SUCCESS")
    run = ScheduledRun.objects.get()
    assert (run.job, run.outcome) == ("assignments-detect-stalls", ScheduledRun.Outcome.SUCCEEDED)
    assert run.counts["items_checked"] == 0
