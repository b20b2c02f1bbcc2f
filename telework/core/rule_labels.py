"""The words for rule keys: what a person reads where the code says ``min_office_days_per_week``.

A refusal (``core.exceptions.DomainError``) carries its rule as a key for the API and the tests; a screen shows the
rule's label instead, or nothing when the rule has none (the message already says what went wrong). ``core`` imports
no app, so the apps that own rules register their labels here when Django starts (``AppConfig.ready``): the policy
app its parameters' labels, for instance.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_LABELS: dict[str, Any] = {}


def register(labels: Mapping[str, Any]) -> None:
    """Add rule labels (lazily translated strings, rendered in the language of the page that shows them)."""
    _LABELS.update(labels)


def rule_label(rule: str | None) -> str:
    """The rule's label in the active language; "" for a rule without one (never the key itself)."""
    entry = _LABELS.get(rule or "")
    return str(entry) if entry else ""
