"""The dossier register over HTTP. The one-stop system of an agency pushes its dossiers and the portal's ratings
(``POST /api/dossiers/push``, ``POST /api/dossiers/ratings/push``) with a push-only token bound to that agency; people
read the dossiers and the service-quality figures of their scope with their usual token or session.

A push goes through the same reading and the same writes as the import of the one-stop export
(``importing.parse_dossier_rows`` then ``imports.dossiers_push``): the JSON is laid out as the rows of an export, so the
rules, the row fingerprint (a re-push of unchanged content writes nothing) and the links to handlers, desk staff and
work items are the import's. Atomicity: the batch's shape is checked whole first (422, nothing written); then each row
is judged on its own, refused rows are reported and valid rows written in one transaction, with one audit row
carrying the counts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Query, Router

from telework.accounts.api_auth import ErrorOut, PushToken, api_user, push_token
from telework.core import clock
from telework.dossiers import importing, imports, permissions, selectors
from telework.dossiers.imports import ImportReport
from telework.dossiers.models import Dossier, DossierStatus
from telework.dossiers.schemas import (
    DossierFilters,
    DossierIn,
    DossierPageOut,
    DossierPushIn,
    PushOut,
    QualityFiguresOut,
    QualityFilters,
    RatingIn,
    RatingPushIn,
)
from telework.organization.importing.layout import CREATE, REFUSED, UNCHANGED, UPDATE, Problem
from telework.organization.models import Agency

router = Router(tags=["dossiers"])

ERRORS: dict[int, type[ErrorOut]] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut, 422: ErrorOut, 500: ErrorOut}
PAGE_SIZE = 100
# A dossier in these states is no longer waiting for a result.
_CLOSED = {DossierStatus.WITHDRAWN, DossierStatus.REFUSED, DossierStatus.RETURNED}

# The pushed field each column of the export stands for (problems name the field the client sent).
DOSSIER_FIELDS = {
    "code": "code",
    "procedure_code": "procedure_code",
    "procedure_name": "procedure_name",
    "legal_days": "legal_working_days",
    "unit": "unit",
    "desk": "desk",
    "received": "received_at",
    "due": "due_at",
    "returned": "returned_at",
    "online_level": "online_level",
    "channel": "channel",
    "status": "status",
    "handlers": "handler_codes",
    "apology_due": "apology.new_due_at",
    "apology_at": "apology.issued_at",
}
RATING_FIELDS = {"code": "code", "level": "level", "rated_at": "rated_at", **{f"indicator_{number}": f"indicators.{number - 1}" for number in range(1, 10)}}
# The import's row actions, as the push answers them.
RESULTS = {CREATE: "created", UPDATE: "updated", UNCHANGED: "unchanged", REFUSED: "refused"}
# The words of the export the pushed choices stand for (``importing.ONLINE_LEVEL_WORDS`` and its siblings).
ONLINE_LEVEL_WORDS = {"fully_online": "toan trinh", "partly_online": "mot phan", "in_person": "truc tiep"}
CHANNEL_WORDS = {"desk": "tai quay", "online": "truc tuyen", "post": "buu chinh"}
STATUS_WORDS = {
    "received": "da tiep nhan",
    "in_progress": "dang xu ly",
    "returned": "da tra ket qua",
    "supplement": "cho bo sung",
    "withdrawn": "da rut",
    "refused": "tu choi",
}
LEVEL_WORDS = {"very_satisfied": "rat hai long", "satisfied": "hai long", "not_satisfied": "khong hai long"}


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _word(words: dict[str, str], value: Any) -> str | None:
    return None if value is None else words[value.value]


def _dossier_cells(item: DossierIn) -> dict[str, Any]:
    return {
        "code": item.code,
        "procedure_code": item.procedure_code,
        "procedure_name": item.procedure_name,
        "legal_days": None if item.legal_working_days is None else str(item.legal_working_days),
        "unit": item.unit,
        "desk": item.desk,
        "received": item.received_at,
        "due": item.due_at,
        "returned": item.returned_at,
        "online_level": _word(ONLINE_LEVEL_WORDS, item.online_level),
        "channel": _word(CHANNEL_WORDS, item.channel),
        "status": _word(STATUS_WORDS, item.status),
        "handlers": ",".join(item.handler_codes),
        "apology_due": item.apology.new_due_at if item.apology else None,
        "apology_at": item.apology.issued_at if item.apology else None,
    }


def _rating_cells(item: RatingIn) -> dict[str, Any]:
    scores = {f"indicator_{number}": None if score is None else str(score) for number, score in enumerate(item.indicators, start=1)}
    return {"code": item.code, "level": LEVEL_WORDS[item.level.value], "rated_at": item.rated_at, **scores}


def _table(fields: dict[str, str], rows: list[dict[str, Any]]) -> importing.RawTable:
    """The pushed rows laid out as an export's table: row numbers are positions in the batch from 1, and each column
    is named by its pushed field, so the problems name the field the client sent."""
    return importing.RawTable(headers=dict(fields), rows=list(enumerate(rows, start=1)))


def _field_of(problem: Problem, fields: dict[str, str], layout: dict[str, tuple[str, ...]]) -> str:
    """The pushed field a problem concerns: the reading names it already; the register's checks name the export's
    Vietnamese header, translated back here."""
    if problem.column in fields.values():
        return problem.column
    for key, spellings in layout.items():
        if problem.column == spellings[0]:
            return fields.get(key, problem.column)
    return problem.column


def _answer(report: ImportReport, fields: dict[str, str], layout: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    counts = report.counts
    return {
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
        "refused": counts["refused"],
        "procedures_created": counts["procedures_created"],
        "rows": [
            {
                "row": outcome.number,
                "code": outcome.code,
                "result": RESULTS[outcome.action],
                "problems": [
                    {"field": _field_of(problem, fields, layout), "code": problem.code, "severity": problem.severity, "message": problem.text()}
                    for problem in outcome.problems
                ],
            }
            for outcome in report.outcomes
        ],
    }


def _label(request: HttpRequest) -> str:
    token = push_token(request)
    return str(_("API push: %(token)s (%(prefix)s…)") % {"token": token.name, "prefix": token.prefix})[:255]


def _token_agency(request: HttpRequest) -> Agency:
    # ``PushToken`` admits only tokens bound to an agency.
    return Agency.objects.get(pk=push_token(request).agency_id or 0)


@router.post(
    "/push",
    auth=PushToken(),
    response={200: PushOut, **ERRORS},
    summary="Push a batch of one-stop dossiers (one-stop system, push-only token)",
)
def push_dossiers(request: HttpRequest, payload: DossierPushIn) -> dict[str, Any]:
    """Creates or updates up to 1,000 dossiers of the token's agency, keyed by their code: a dossier pushed again
    with the same content writes nothing (`unchanged`), with changed content is updated. Each dossier is linked to its
    handling officers (by staff code; an unknown code is left out with a warning), to who staffed its desk that day in
    the published roster, and to the legal-deadline work item with its code. A row the register refuses (a unit or
    desk not of this agency, a reception in the future, a procedure new to the register without its handling time,
    a code held by another agency…) is answered `refused` with its problems in Vietnamese, and the valid rows are
    written anyway: correct the refused ones and push them again. A batch that does not match the schema is refused
    whole (422). One audit row per batch. Only a push-only token works here (401 without one, 403 with another
    token)."""
    token = push_token(request)
    table = _table(DOSSIER_FIELDS, [_dossier_cells(item) for item in payload.dossiers])
    rows = importing.parse_dossier_rows(table, now=clock.now(), zone=_zone())
    report = imports.dossiers_push(actor=token.user, agency=_token_agency(request), rows=rows, label=_label(request), content=request.body)
    return _answer(report, DOSSIER_FIELDS, importing.DOSSIER_HEADERS)


@router.post(
    "/ratings/push",
    auth=PushToken(),
    response={200: PushOut, **ERRORS},
    summary="Push a batch of portal ratings (one-stop system, push-only token)",
)
def push_ratings(request: HttpRequest, payload: RatingPushIn) -> dict[str, Any]:
    """Creates or updates the public-service portal's ratings of up to 1,000 dossiers of the token's agency (one per
    dossier: a dossier rated by QR code keeps that rating, with a warning). A code not in the agency's register, or
    twice in the batch, is refused on its row; the valid rows are written. One audit row per batch."""
    token = push_token(request)
    table = _table(RATING_FIELDS, [_rating_cells(item) for item in payload.ratings])
    rows = importing.parse_rating_rows(table, now=clock.now(), zone=_zone())
    report = imports.ratings_push(actor=token.user, agency=_token_agency(request), rows=rows, label=_label(request), content=request.body)
    return _answer(report, RATING_FIELDS, importing.RATING_HEADERS)


@router.get("", response={200: DossierPageOut, **ERRORS}, summary="Dossiers in your scope")
def dossier_list(request: HttpRequest, filters: Query[DossierFilters]) -> dict[str, Any]:
    """Dossiers received by the units you see (and those you handled), newest first, 100 a page."""
    dossiers = permissions.visible_dossiers(api_user(request)).select_related("procedure", "unit", "service_point")
    if filters.unit_id is not None:
        dossiers = dossiers.filter(unit_id=filters.unit_id)
    if filters.status is not None:
        dossiers = dossiers.filter(status=filters.status.value)
    zone = _zone()
    if filters.received_from is not None:
        dossiers = dossiers.filter(received_at__gte=dt.datetime.combine(filters.received_from, dt.time(0, 0), tzinfo=zone))
    if filters.received_to is not None:
        dossiers = dossiers.filter(received_at__lt=dt.datetime.combine(filters.received_to + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone))
    dossiers = dossiers.order_by("-received_at", "code")
    start = (filters.page - 1) * PAGE_SIZE
    now = clock.now()
    return {
        "count": dossiers.count(),
        "page": filters.page,
        "items": [_dossier_out(dossier, now) for dossier in dossiers[start : start + PAGE_SIZE]],
    }


def _dossier_out(dossier: Dossier, now: dt.datetime) -> dict[str, Any]:
    overdue = dossier.returned_at > dossier.due_at if dossier.returned_at else dossier.due_at < now and dossier.status not in _CLOSED
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure.code,
        "procedure_name": dossier.procedure.name,
        "unit_id": dossier.unit_id,
        "unit_name": dossier.unit.name,
        "desk_name": dossier.service_point.name if dossier.service_point else None,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "returned_at": dossier.returned_at,
        "online_level": dossier.online_level,
        "channel": dossier.channel,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "is_overdue": overdue,
        "source": dossier.source,
    }


@router.get("/quality", response={200: list[QualityFiguresOut], **ERRORS}, summary="Service-quality figures in your scope")
def quality_figures(request: HttpRequest, filters: Query[QualityFilters]) -> list[dict[str, Any]]:
    """The figures of the quality page: per desk, unit, agency or the city (`level`), over the day, ISO week or month
    (`period`) holding `day`, for the dossiers received then in your scope."""
    rows = selectors.quality_rows(api_user(request), level=filters.level, period=filters.period, day=filters.day or clock.today())
    return [
        {
            "key": row.key,
            "name": row.name,
            "received": row.figures.received,
            "returned": row.figures.returned,
            "on_time": row.figures.on_time,
            "overdue": row.figures.overdue,
            "open_overdue": row.figures.open_overdue,
            "apologies": row.figures.apologies,
            "rated": row.figures.rated,
            "on_time_rate": row.figures.on_time_rate,
            "average_handling_percent": row.figures.average_handling_percent,
            "online_share": row.figures.online_share,
            "response_rate": row.figures.response_rate,
            "level_counts": dict(row.figures.level_counts),
        }
        for row in rows
    ]
