"""One clock: production code reads "now" and "today" only through ``telework.core.clock``, and the suite's clock is
frozen, so no test takes its dates from the machine."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings

from telework.core import clock

# Calls that read the machine's clock directly. `timezone.localdate(value)` and `timezone.localtime(value)` convert
# a given moment and are fine; without an argument they read the clock.
FORBIDDEN = {
    ("timezone", "now"),
    ("date", "today"),
    ("datetime", "now"),
    ("datetime", "utcnow"),
    ("datetime", "today"),
}
READS_WITHOUT_ARGUMENT = {("timezone", "localdate"), ("timezone", "localtime")}


def production_modules() -> list[Path]:
    root = Path(settings.BASE_DIR)
    paths = [*root.joinpath("telework").rglob("*.py"), *root.joinpath("config").rglob("*.py")]
    return [path for path in paths if "tests" not in path.parts and "migrations" not in path.parts and path.name not in {"clock.py", "testing.py"}]


def clock_reads(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        owner = node.func.value
        owner_name = owner.attr if isinstance(owner, ast.Attribute) else owner.id if isinstance(owner, ast.Name) else ""
        call = (owner_name, node.func.attr)
        if call in FORBIDDEN or (call in READS_WITHOUT_ARGUMENT and not node.args):
            found.append(f"{path.relative_to(settings.BASE_DIR)}:{node.lineno} {owner_name}.{node.func.attr}()")
    return found


def test_production_code_reads_the_clock_only_through_core_clock():
    offenders = [finding for path in production_modules() for finding in clock_reads(path)]
    assert offenders == []


@pytest.mark.frozen_at("2026-11-18")
def test_the_suite_runs_on_its_frozen_day_whatever_the_machine_says():
    # Root conftest.py: Wednesday 18 November 2026, 09:30 in Ho Chi Minh City, ticking.
    assert clock.today() == dt.date(2026, 11, 18)
    assert clock.local_now().hour == 9
    assert dt.date.today() == dt.date(2026, 11, 18)


@pytest.mark.frozen_at("2027-02-08 23:30")
def test_today_is_the_citys_date_not_utcs():
    # 23:30 on 8 February in Ho Chi Minh City is 16:30 UTC the same day; at 06:30 local it would still be the day
    # before in UTC. The product's "today" is the city's.
    assert clock.today() == dt.date(2027, 2, 8)
    assert clock.now().tzinfo is not None


@pytest.mark.frozen_at("2027-02-09 06:30")
def test_early_morning_is_already_today_in_the_city():
    assert clock.now().astimezone(dt.UTC).date() == dt.date(2027, 2, 8)
    assert clock.today() == dt.date(2027, 2, 9)
