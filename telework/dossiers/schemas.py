"""What the one-stop system pushes to ``/api/dossiers/push`` and ``/api/dossiers/ratings/push``, and what the
register answers. A batch that does not match these shapes is refused whole (422, one detail per field, e.g.
``dossiers.3.received_at``); a dossier that matches them but that the register refuses (an unknown unit, a reception in
the future, another agency's code…) is reported on its own row while the others are written."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from ninja import Field, Schema
from pydantic import BaseModel, JsonValue, model_validator

from telework.accounts.api_inputs import BodyIn, IsoDate, ObjectId, PageNumber

# A push is one request: at most this many dossiers (or ratings). A day of HCMC is about 12,000 dossiers, so a
# one-stop system pushing every few minutes sends far fewer; the body is bounded too (DATA_UPLOAD_MAX_MEMORY_SIZE).
MAX_BATCH = 1_000
# Moments the register accepts: before 2000 or after 2099 is a typing error (as ``api_inputs.IsoDate``).
FIRST_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LAST_MOMENT = dt.datetime(2099, 12, 31, tzinfo=dt.UTC)

Code = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[^\s,;]+$")]
# A unit or desk: its code, or its name (with or without diacritics), as in the export.
UnitName = Annotated[str, Field(min_length=1, max_length=200)]


class OnlineLevelIn(StrEnum):
    FULLY_ONLINE = "fully_online"
    PARTLY_ONLINE = "partly_online"
    IN_PERSON = "in_person"


class ChannelIn(StrEnum):
    DESK = "desk"
    ONLINE = "online"
    POST = "post"


class StatusIn(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RETURNED = "returned"
    SUPPLEMENT = "supplement"
    WITHDRAWN = "withdrawn"
    REFUSED = "refused"


class LevelIn(StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"


def _bounded_moment(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    if not FIRST_MOMENT <= aware <= LAST_MOMENT:
        raise ValueError("a moment from 2000 to 2099")
    return value


class ApologyIn(BaseModel):
    """The apology letter (Decree 61/2018 Art. 19: phiếu xin lỗi và hẹn lại ngày trả kết quả) and the new due date it set."""

    issued_at: dt.datetime | None = Field(None, description="When the letter was sent; the first due date when left out")
    new_due_at: dt.datetime = Field(description="The new due date the letter promises; must be after the first due date")

    @model_validator(mode="after")
    def _bounded(self) -> ApologyIn:
        _bounded_moment(self.issued_at)
        _bounded_moment(self.new_due_at)
        return self


class DossierIn(BaseModel):
    """One dossier as the one-stop system records it. Date-times are ISO 8601; without an offset they are read in
    the city's time zone (Asia/Ho_Chi_Minh)."""

    code: Code = Field(description="The dossier code (mã hồ sơ): the key, a re-push of the same code updates it")
    procedure_code: Code = Field(description="The administrative procedure's code (mã thủ tục)")
    procedure_name: str = Field("", max_length=400, description="Its name; used when the procedure is new to the register")
    legal_working_days: int | None = Field(
        None, ge=1, le=365, description="The legal handling time in working days; required when the procedure is new to the register"
    )
    unit: UnitName = Field(description="The receiving unit: its code or its name")
    desk: str = Field("", max_length=200, description="The one-stop desk: its code or its name; empty when received online or by post")
    received_at: dt.datetime = Field(description="When the dossier was received")
    due_at: dt.datetime | None = Field(None, description="The legal due date; computed from the procedure's working days when left out")
    returned_at: dt.datetime | None = Field(None, description="When the result was returned")
    online_level: OnlineLevelIn | None = Field(None, description="Taken from the channel when left out")
    channel: ChannelIn | None = Field(None, description="Taken from the online level when left out")
    status: StatusIn | None = Field(None, description="“returned” when returned_at is given, else “in_progress”, when left out")
    handler_codes: list[Code] = Field(default_factory=list, max_length=20, description="Staff codes of the officers who handled it")
    apology: ApologyIn | None = None

    @model_validator(mode="after")
    def _bounded(self) -> DossierIn:
        for moment in (self.received_at, self.due_at, self.returned_at):
            _bounded_moment(moment)
        return self


DOSSIER_EXAMPLE: dict[str, JsonValue] = {
    "code": "000.00.12.H29-261118-0001",
    "procedure_code": "1.001234",
    "procedure_name": "Cấp giấy phép xây dựng nhà ở riêng lẻ",
    "legal_working_days": 15,
    "unit": "QLDT",
    "desk": "Q1-01",
    "received_at": "2026-11-18T08:15:00+07:00",
    "due_at": None,
    "returned_at": None,
    "online_level": "partly_online",
    "channel": "desk",
    "status": "in_progress",
    "handler_codes": ["CB0012"],
    "apology": None,
}


class DossierPushIn(BodyIn):
    dossiers: list[DossierIn] = Field(min_length=1, max_length=MAX_BATCH, description=f"At most {MAX_BATCH} dossiers")

    model_config = {"json_schema_extra": {"examples": [{"dossiers": [DOSSIER_EXAMPLE]}]}}


class RatingIn(BaseModel):
    """A rating from the public-service portal (Circular 01/2018/TT-VPCP): the satisfaction level and the nine
    indicators of 0–2 points (null for one not answered)."""

    code: Code = Field(description="The rated dossier's code; the dossier must be in the agency's register")
    level: LevelIn
    indicators: list[Annotated[int, Field(ge=0, le=2)] | None] = Field(min_length=9, max_length=9, description="Indicators 1–9, each 0, 1, 2 or null")
    rated_at: dt.datetime

    @model_validator(mode="after")
    def _bounded(self) -> RatingIn:
        _bounded_moment(self.rated_at)
        return self


class RatingPushIn(BodyIn):
    ratings: list[RatingIn] = Field(min_length=1, max_length=MAX_BATCH, description=f"At most {MAX_BATCH} ratings")

    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "ratings": [
                        {
                            "code": "000.00.12.H29-261118-0001",
                            "level": "very_satisfied",
                            "indicators": [2, 2, 2, 2, 1, 2, 2, None, 2],
                            "rated_at": "2026-11-18T10:05:00+07:00",
                        }
                    ]
                }
            ]
        }
    }


class ProblemOut(Schema):
    field: str = Field(description="The pushed field the problem concerns")
    code: str = Field(description="Stable code of the problem, e.g. unknown_unit")
    severity: str = Field(description="error (the row is refused) or warning (the row is written)")
    message: str


class RowResultOut(Schema):
    row: int = Field(description="The row's position in the batch, from 1")
    code: str
    result: str = Field(description="created, updated, unchanged or refused")
    problems: list[ProblemOut]


class PushOut(Schema):
    """Per row what was done. Valid rows are written even when others are refused; ``refused`` counts the others,
    which the one-stop system corrects and pushes again (a re-push of a written row changes nothing)."""

    created: int
    updated: int
    unchanged: int
    refused: int
    procedures_created: int
    rows: list[RowResultOut]


class DossierOut(Schema):
    code: str
    procedure_code: str
    procedure_name: str
    unit_id: int
    unit_name: str
    desk_name: str | None
    received_at: dt.datetime
    due_at: dt.datetime
    returned_at: dt.datetime | None
    online_level: str
    channel: str
    status: str
    status_label: str
    is_overdue: bool
    source: str


class DossierPageOut(Schema):
    count: int
    page: int
    items: list[DossierOut]


class DossierFilters(Schema):
    unit_id: ObjectId | None = Field(None, description="Only this receiving unit")
    status: StatusIn | None = None
    received_from: IsoDate | None = Field(None, description="Received on or after this day (YYYY-MM-DD)")
    received_to: IsoDate | None = Field(None, description="Received on or before this day (YYYY-MM-DD)")
    page: PageNumber = 1


class QualityFiguresOut(Schema):
    key: int | None = Field(description="The desk's, unit's or agency's id; null for the city")
    name: str
    received: int
    returned: int
    on_time: int
    overdue: int
    open_overdue: int
    apologies: int
    rated: int
    on_time_rate: float | None
    average_handling_percent: float | None = Field(description="Handling time as a percentage of the legal time, on average")
    online_share: float | None
    response_rate: float | None
    level_counts: dict[str, int]


class QualityFilters(Schema):
    level: str = Field("unit", pattern="^(desk|unit|agency|city)$")
    period: str = Field("month", pattern="^(day|week|month)$")
    day: IsoDate | None = Field(None, description="A day of the period; today when left out")
