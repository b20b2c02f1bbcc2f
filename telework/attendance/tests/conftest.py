"""Fixtures for the attendance tests: a controlled clock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.utils import timezone

from telework.attendance.tests.builders import at


class Clock:
    """``timezone.now()`` for the whole process (views, services, the live server's thread) until the test ends."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.moment = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.moment)

    def set(self, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
        self.moment = at(day, hour, minute)
        return self.moment


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    return Clock(monkeypatch)


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks) -> Callable[..., object]:  # type: ignore[no-untyped-def]
    """Run a callable and the work it queued for after its commit (alerts), as in production."""

    def run(action: Callable[..., object], **kwargs: object) -> object:
        with django_capture_on_commit_callbacks(execute=True):
            return action(**kwargs)

    return run
