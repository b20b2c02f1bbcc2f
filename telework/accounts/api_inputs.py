"""What the API accepts as input, bounded so that a hostile value answers 422 instead of reaching the database.

A fuzzer found that ``/api/work/items?page=9223372036854775808`` or ``?staff=9223372036854775808`` raised
OverflowError (SQLite) or DataError (PostgreSQL) — a 500 with a traceback under local settings — that ``day=0``
was read as 1 January 1970 (pydantic's lax mode takes a number as a Unix timestamp), and that a JSON list sent
where an object was expected was accepted when every field had a default (Ninja reads a body through its
attributes). Every app's ``api.py`` and ``schemas.py`` uses these types instead of bare ``int`` and ``dt.date``.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import Field, Schema
from ninja.schema import DjangoGetter
from pydantic import BaseModel, BeforeValidator, model_validator
from pydantic_core import PydanticCustomError

# Primary keys are BigAutoField (DEFAULT_AUTO_FIELD): a signed 64-bit integer, and never below 1.
MAX_ID = 2**63 - 1
# No page beyond this: 200 items a page already reach two hundred million rows.
MAX_PAGE = 1_000_000
# The dates the product plans and reports on. Outside them a date is a typing error (20266-01-01) and would only
# overflow the calendar arithmetic (a deadline counted in working days from 9999-12-31).
FIRST_DATE = dt.date(2000, 1, 1)
LAST_DATE = dt.date(2099, 12, 31)
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

ObjectId = Annotated[int, Field(ge=1, le=MAX_ID, description="An object's id (a positive integer)")]
PageNumber = Annotated[int, Field(ge=1, le=MAX_PAGE)]


def _iso_date(value: Any) -> Any:
    """Only a date written YYYY-MM-DD (or a ``date`` already) within FIRST_DATE–LAST_DATE; never a number."""
    if isinstance(value, dt.datetime):
        raise PydanticCustomError("date_type", "Input should be a date written YYYY-MM-DD")
    if isinstance(value, str):
        if ISO_DATE.match(value) is None:
            raise PydanticCustomError("date_parsing", "Input should be a date written YYYY-MM-DD, such as 2026-12-01")
        try:
            value = dt.date.fromisoformat(value)
        except ValueError as error:
            raise PydanticCustomError("date_value", "Input should be a date that exists, such as 2026-12-01") from error
    if not isinstance(value, dt.date):
        raise PydanticCustomError("date_type", "Input should be a date written YYYY-MM-DD")
    if not FIRST_DATE <= value <= LAST_DATE:
        raise PydanticCustomError(
            "date_range", "Input should be a date from {first} to {last}", {"first": FIRST_DATE.isoformat(), "last": LAST_DATE.isoformat()}
        )
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date)]


class BodyIn(Schema):
    """Every request body: a JSON object. A list, a string or a number is refused (422) even when every field has a
    default; Ninja's ``Schema`` would otherwise read the fields as attributes of whatever arrived."""

    @model_validator(mode="before")
    @classmethod
    def _a_json_object(cls, values: Any) -> Any:
        # Ninja's own validator (outermost) has already wrapped the input in a DjangoGetter.
        received = values._obj if isinstance(values, DjangoGetter) else values
        if not isinstance(received, dict | BaseModel):
            raise PydanticCustomError("model_type", "Input should be a JSON object")
        return values
