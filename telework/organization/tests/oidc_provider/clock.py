"""The provider's clock: frozen at the tests' moment and ticking, moved by ``/_clock/``."""

from __future__ import annotations

import datetime as dt

import time_machine

_traveller: time_machine.Coordinates | None = None
_travel: time_machine.travel | None = None


def start(moment: dt.datetime) -> None:
    global _traveller, _travel
    _travel = time_machine.travel(moment, tick=True)
    _traveller = _travel.start()


def move_to(moment: dt.datetime) -> None:
    if _traveller is not None:
        _traveller.move_to(moment)
