"""How many staff the policy in force wants on site at each unit's one-stop desks and duty posts, told to the
organisation by the policy app above it.

Organisation sits below policy, so it cannot resolve a policy itself. The policy app registers, from its
``AppConfig.ready``, one *reader*: for some units and a day, the desk and duty-post staffing the policy in force asks
for (``policy.desk_staff_on_site``, ``policy.duty_staff_on_site``). The service-point screens show it next to each
point's own requirement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from telework.organization.models import Unit

# units, day → {unit id: {service point kind: staff on site}}
OnSiteReader = Callable[[Sequence[Unit], dt.date], dict[int, dict[str, int]]]

_reader: OnSiteReader | None = None


def register_reader(reader: OnSiteReader) -> None:
    """Install the reader (the policy app does, once, from its ``ready``)."""
    global _reader
    _reader = reader


def policy_on_site(units: Sequence[Unit], day: dt.date) -> dict[int, dict[str, int]]:
    """The staff the policy in force on ``day`` wants on site per service point kind, by unit id."""
    if _reader is None:
        raise RuntimeError("No on-site reader is registered: telework.policy must be installed (it registers one in ready()).")
    return _reader(units, day)
