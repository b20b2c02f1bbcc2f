"""Without a broker, a switch's follow-up leaves the request: it runs in a daemon thread of the serving process and
the change's row tells its progress (issue 9, point 4)."""

from __future__ import annotations

import threading

import pytest

from telework.core.models import Notification
from telework.policy.models import SwitchChange, SwitchKind
from telework.policy.services import switch_set

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_follow_up_runs_in_a_background_thread_and_finishes(city, settings):
    settings.BACKGROUND_THREADS = True
    before = {thread.ident for thread in threading.enumerate()}
    change = switch_set(actor=city.home_affairs, kind=SwitchKind.EMERGENCY, is_active=True, reason="Dịch bệnh")
    assert change is not None
    workers = [thread for thread in threading.enumerate() if thread.ident not in before and thread.name == "telework-policy.switch_follow_up"]
    assert len(workers) == 1
    workers[0].join(timeout=60)
    # The notices leave by e-mail in one more thread, started as the follow-up ends: let it finish before reading
    # (a thread still writing would lock the shared in-memory test database).
    for thread in threading.enumerate():
        if thread.ident not in before and thread.name.startswith("telework-"):
            thread.join(timeout=60)
    change.refresh_from_db()
    assert change.status == SwitchChange.Status.DONE
    assert change.finished_at is not None
    assert Notification.objects.filter(key=f"switch-change:{change.pk}").count() == change.people_notified
    # The follow-up's notifications leave by e-mail in their own background thread: let it finish before the test
    # database is flushed (a thread still writing would lock the shared in-memory database).
    for thread in threading.enumerate():
        if thread.ident not in before and thread.name.startswith("telework-"):
            thread.join(timeout=60)


def test_a_follow_up_already_started_is_not_run_twice(city):
    change = SwitchChange.objects.create(kind=SwitchKind.EMERGENCY, is_active=True, status=SwitchChange.Status.RUNNING)
    from telework.policy.services import switch_follow_up

    switch_follow_up(change=change)
    change.refresh_from_db()
    assert (change.status, change.people_notified, change.finished_at) == (SwitchChange.Status.RUNNING, 0, None)
