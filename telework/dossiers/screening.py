"""Screening what a citizen writes before anyone reads it: phone numbers, ID-card numbers and e-mail addresses are
replaced by a mark, so a comment never carries personal data into reports (Decree 13/2023/NĐ-CP). Pure Python.

A phone number is nine to eleven digits, however written ("0903 123 456", "+84 90.312.3456"); a citizen ID card
(CCCD) has twelve digits and the old identity card (CMND) nine — so any run of nine or more digits, separated by at
most single spaces, dots or dashes, is hidden. Shorter numbers (a dossier count, "3 lần", a year) stay.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "[…]"
MAX_COMMENT_LENGTH = 1000
MIN_HIDDEN_DIGITS = 9

_NUMBER_RUN = re.compile(r"\+?\d(?:[ .\-]?\d)+")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Screened:
    text: str
    hidden: int  # how many numbers or addresses were hidden


def screen_comment(text: str) -> Screened:
    """``text`` trimmed, bounded, stripped of control characters, with phone/ID numbers and e-mails masked."""
    cleaned = _CONTROL.sub("", text or "").strip()[:MAX_COMMENT_LENGTH]
    hidden = 0

    def mask_email(match: re.Match[str]) -> str:
        nonlocal hidden
        hidden += 1
        return MASK

    def mask_number(match: re.Match[str]) -> str:
        nonlocal hidden
        digits = sum(character.isdigit() for character in match.group(0))
        if digits < MIN_HIDDEN_DIGITS:
            return match.group(0)
        hidden += 1
        return MASK

    cleaned = _EMAIL.sub(mask_email, cleaned)
    cleaned = _NUMBER_RUN.sub(mask_number, cleaned)
    return Screened(text=cleaned, hidden=hidden)
