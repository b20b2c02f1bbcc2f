"""Numbers as the reader writes them: "7,5 giờ" and "33,3 %" in Vietnamese, "7.5 hours" and "33.3 %" in English.

Templates localise numbers by themselves (``{{ value }}``, ``floatformat``); these helpers are for the text Python
builds (a sentence, a label, a cell of a table computed in a view), in the active language.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import formats


def decimal_separator() -> str:
    """ "," in Vietnamese, "." in English."""
    return str(formats.get_format("DECIMAL_SEPARATOR"))


def format_decimal(value: float | int | Decimal, places: int = 1) -> str:
    """``value`` rounded to ``places`` decimals, without a trailing ",0": 7.5 → "7,5", 8.0 → "8", 33.333 → "33,3"."""
    rounded = round(float(value), places)
    if rounded == int(rounded):
        return formats.number_format(int(rounded))
    return formats.number_format(rounded, decimal_pos=places).rstrip("0")


def format_percent(share: float | Decimal, places: int = 1) -> str:
    """A share as a percentage: 0.3 → "30 %", 0.3333 → "33,3 %" (Vietnamese) / "33.3 %" (English)."""
    return f"{format_decimal(float(share) * 100, places)} %"
