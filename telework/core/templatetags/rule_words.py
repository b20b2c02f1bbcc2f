"""``{{ error.rule|rule_label }}``: a rule's label, never its key (``telework.core.rule_labels``)."""

from __future__ import annotations

from django import template

from telework.core import rule_labels

register = template.Library()


@register.filter
def rule_label(rule: str | None) -> str:
    return rule_labels.rule_label(rule)
