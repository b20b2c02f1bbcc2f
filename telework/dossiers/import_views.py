"""The import screen for the one-stop system's dossier export and the public-service portal's rating export: upload
(which export, which agency) → which column is which → the row report → confirm → done; the past imports; a template
of each export. The same steps as the staff-list import (``organization.views.imports``); the writes are
``dossiers.imports``' services, called in preview first and again, on the same staged file, to import."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from openpyxl import Workbook

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock, spreadsheets
from telework.core.exceptions import DomainError
from telework.dossiers import importing, imports, permissions
from telework.dossiers.forms import DossierImportConfirmForm, DossierImportUploadForm
from telework.dossiers.models import ImportKind
from telework.organization.importing.layout import ACTION_LABELS, CREATE, UPDATE, normalize
from telework.organization.models import Agency

SESSION_KEY = "dossiers_import"
STAGED_FILE_MAX_AGE = 24 * 3600
# The row report lists every row with a problem up to this many, and this many rows that change.
PREVIEW_PROBLEM_ROWS = 1000
PREVIEW_CHANGE_ROWS = 200
HISTORY_ROWS = 200
MAPPING_PROBLEMS = importing.MAPPING_PROBLEMS


def _layout(kind: str) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    if kind == ImportKind.RATINGS:
        return importing.RATING_HEADERS, importing.RATING_REQUIRED
    return importing.DOSSIER_HEADERS, importing.DOSSIER_REQUIRED


# --- The file kept between the steps -------------------------------------------------------------------------------


def _import_dir() -> Path:
    # Beside the staff import's staged files; the upload form bounds each one to ``forms.MAX_WEB_IMPORT_BYTES``.
    directory = Path(getattr(settings, "TELEWORK_IMPORT_DIR", Path(settings.BASE_DIR) / "var" / "imports")) / "dossiers"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _stage(content: bytes) -> str:
    """Keep the uploaded file on the server between the steps; drop day-old leftovers."""
    directory = _import_dir()
    now = time.time()
    for old in directory.glob("*.upload"):
        if now - old.stat().st_mtime > STAGED_FILE_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18)
    (directory / f"{token}.upload").write_bytes(content)
    return token


def _staged_path(token: str) -> Path | None:
    if not token or len(token) > 64 or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _import_dir() / f"{token}.upload"
    return path if path.is_file() else None


class _Expired(Exception):
    """The staged upload is gone (a day old, another session, already imported)."""


def _staged(request: HttpRequest) -> tuple[dict[str, Any], Path, Agency]:
    staged = request.session.get(SESSION_KEY) or {}
    path = _staged_path(str(staged.get("token", "")))
    if path is None:
        raise _Expired
    agency = Agency.objects.filter(pk=int(staged.get("agency_id") or 0)).first()
    if agency is None or not permissions.can_import(request.user, agency):
        raise PermissionDenied
    return staged, path, agency


def _expired(request: HttpRequest) -> HttpResponse:
    messages.error(request, pgettext("dossier import", "The uploaded file is no longer available (it is kept for a day, in this session). Upload it again."))
    return redirect("dossiers:import")


def _require_importer(request: AuthenticatedHttpRequest) -> None:
    if not permissions.can_import(request.user):
        raise PermissionDenied


def _run(request: AuthenticatedHttpRequest, staged: dict[str, Any], agency: Agency, content: bytes, **options: Any) -> imports.ImportReport:
    service = imports.ratings_import if staged["kind"] == ImportKind.RATINGS else imports.dossiers_import
    return service(actor=request.user, agency=agency, file_name=staged["file_name"], content=content, mapping=staged.get("mapping") or {}, **options)


# --- Pages -----------------------------------------------------------------------------------------------------------


def _kind_label(kind: str) -> str:
    return str(ImportKind(kind).label)


def _mapping_page(request: HttpRequest, report: imports.ImportReport, staged: dict[str, Any], agency: Agency) -> HttpResponse:
    layout, required = _layout(staged["kind"])
    choices = [("", pgettext("dossier import", "— set this column aside —"))]
    choices += [(key, f"{spellings[0]}{' *' if key in required else ''}") for key, spellings in layout.items()]
    context = {
        "report": report,
        "staged": staged,
        "agency": agency,
        "kind_label": _kind_label(staged["kind"]),
        "choices": choices,
        "problems": [problem for problem in report.file_problems if problem.code in MAPPING_PROBLEMS],
        "other_problems": [problem for problem in report.file_problems if problem.code not in MAPPING_PROBLEMS],
    }
    return render(request, "dossiers/import_mapping.html", context)


def _preview_page(
    request: HttpRequest,
    report: imports.ImportReport,
    staged: dict[str, Any],
    agency: Agency,
    *,
    confirm: DossierImportConfirmForm | None = None,
    error: str = "",
) -> HttpResponse:
    with_problems = [outcome for outcome in report.outcomes if outcome.problems]
    changing = [outcome for outcome in report.outcomes if not outcome.problems and outcome.action in (CREATE, UPDATE)]
    context = {
        "report": report,
        "staged": staged,
        "agency": agency,
        "kind_label": _kind_label(staged["kind"]),
        "counts": report.counts,
        "with_problems": with_problems[:PREVIEW_PROBLEM_ROWS],
        "problem_rows_total": len(with_problems),
        "changing": changing[:PREVIEW_CHANGE_ROWS],
        "changing_total": len(changing),
        "confirm": confirm or DossierImportConfirmForm(initial={"token": staged["token"]}),
        "action_labels": ACTION_LABELS,
        "error": error,
    }
    return render(request, "dossiers/import_preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1: which export, for which agency, which file; on upload the file is staged and checked (nothing written)
    and the next page is the mapping step when a column is not recognised, else the row report."""
    _require_importer(request)
    form = DossierImportUploadForm(request.POST or None, request.FILES or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        upload = form.cleaned_data["file"]
        content = upload.read()
        staged = {
            "token": _stage(content),
            "kind": form.cleaned_data["kind"],
            "agency_id": agency.pk,
            "file_name": upload.name[:255],
            "sha256": hashlib.sha256(content).hexdigest(),
            "mapping": {},
        }
        request.session[SESSION_KEY] = staged
        report = _run(request, staged, agency, content, preview=True)
        if report.needs_mapping:
            return _mapping_page(request, report, staged, agency)
        return _preview_page(request, report, staged, agency)
    context = {
        "form": form,
        "kinds": [(kind, _kind_label(kind), _layout(kind)) for kind in ImportKind.values],
        "recent": permissions.visible_imports(request.user)[:5],
    }
    return render(request, "dossiers/import_start.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_columns(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 2 when the headers need it: say which field each column of the file holds (or set it aside), by the
    header as the file writes it. Pre-filled from the recognised headers."""
    _require_importer(request)
    try:
        staged, path, agency = _staged(request)
    except _Expired:
        return _expired(request)
    content = path.read_bytes()
    if request.method == "POST":
        layout, _required = _layout(staged["kind"])
        mapping: dict[str, str] = {}
        for name, chosen in request.POST.items():
            if name.startswith("column-") and (chosen == "" or chosen in layout):
                header = normalize(request.POST.get("header-" + name.removeprefix("column-"), ""))[:200]
                if header:
                    mapping[header] = chosen
        staged["mapping"] = mapping
        request.session[SESSION_KEY] = staged
    report = _run(request, staged, agency, content, preview=True)
    if request.method == "POST" and not any(problem.code in MAPPING_PROBLEMS for problem in report.file_problems):
        return _preview_page(request, report, staged, agency)
    return _mapping_page(request, report, staged, agency)


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 3: import the staged file, checked again against the fingerprint of the file previewed. With refused
    rows and "only the valid rows" not ticked nothing is written and the row report is shown again."""
    _require_importer(request)
    confirm = DossierImportConfirmForm(request.POST)
    try:
        staged, path, agency = _staged(request)
    except _Expired:
        return _expired(request)
    if not confirm.is_valid() or confirm.cleaned_data["token"] != staged["token"]:
        return _expired(request)
    content = path.read_bytes()
    try:
        report = _run(request, staged, agency, content, valid_only=confirm.cleaned_data["valid_only"], expected_sha256=staged["sha256"])
    except DomainError as refusal:
        path.unlink(missing_ok=True)
        request.session.pop(SESSION_KEY, None)
        messages.error(request, str(refusal.message))
        return redirect("dossiers:import")
    if not report.applied or report.record is None:
        if report.file_problems:
            return _preview_page(request, report, staged, agency)
        confirm.add_error("valid_only", pgettext("dossier import", "Tick this box to import the valid rows, or fix the file."))
        return _preview_page(request, report, staged, agency, confirm=confirm, error=pgettext("dossier import", "Rows with errors: nothing was imported."))
    path.unlink(missing_ok=True)
    request.session.pop(SESSION_KEY, None)
    return redirect("dossiers:import_done", pk=report.record.pk)


@login_required
@require_GET
def import_done(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """What an import did, read back from its record; 404 for an import of an agency the viewer may not import for."""
    record = permissions.visible_imports(request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    context = {"record": record, "counts": record.counts, "kind_label": _kind_label(record.kind), "day": record.imported_at.date()}
    return render(request, "dossiers/import_done.html", context)


@login_required
@require_GET
def import_history(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The past imports of the agencies the viewer imports for: who, when, which file, what it did."""
    _require_importer(request)
    records = list(permissions.visible_imports(request.user)[:HISTORY_ROWS])
    return render(request, "dossiers/import_history.html", {"records": records, "limit": HISTORY_ROWS})


# --- Templates of the exports -------------------------------------------------------------------------------------


def _example_rows(kind: str, today: dt.date) -> list[dict[str, Any]]:
    received = (today - dt.timedelta(days=2)).strftime("%d/%m/%Y")
    if kind == ImportKind.RATINGS:
        return [
            {
                "code": "000.00.12.H29-261116-0001",
                "level": "Hài lòng",
                **{f"indicator_{number}": 2 for number in range(1, 10)},
                "rated_at": f"{today.strftime('%d/%m/%Y')} 09:15",
            }
        ]
    return [
        {
            "code": "000.00.12.H29-261116-0001",
            "procedure_code": "1.001612",
            "procedure_name": "Cấp bản sao trích lục hộ tịch",
            "legal_days": 3,
            "unit": "Văn phòng",
            "desk": "Quầy 1",
            "received": f"{received} 08:30",
            "due": "",
            "returned": "",
            "online_level": "Một phần",
            "channel": "Trực tuyến",
            "status": "Đang xử lý",
            "handlers": "MAU0001",
            "apology_due": "",
            "apology_at": "",
        }
    ]


@login_required
@require_GET
def import_template(request: AuthenticatedHttpRequest, kind: str) -> HttpResponse:
    """An .xlsx in the export's layout: its headers, one example row, and a sheet listing the columns."""
    _require_importer(request)
    if kind not in ImportKind.values:
        raise Http404
    layout, required = _layout(kind)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # noqa: S101 - a new workbook has its sheet
    sheet.title = "Du lieu"
    for column, spellings in enumerate(layout.values(), start=1):
        spreadsheets.write(sheet, row=1, column=column, value=spellings[0])
    for row_number, example in enumerate(_example_rows(kind, clock.today()), start=2):
        for column, key in enumerate(layout, start=1):
            value = example.get(key, "")
            if value != "":
                spreadsheets.write(sheet, row=row_number, column=column, value=value)
    notes = workbook.create_sheet("Huong dan")
    for column, title in enumerate((pgettext("dossier import", "Column"), pgettext("dossier import", "Required"), pgettext("dossier import", "Also read")), 1):
        spreadsheets.write(notes, row=1, column=column, value=title)
    for row_number, (key, spellings) in enumerate(layout.items(), start=2):
        spreadsheets.write(notes, row=row_number, column=1, value=spellings[0])
        spreadsheets.write(notes, row=row_number, column=2, value=pgettext("dossier import", "Yes") if key in required else "")
        spreadsheets.write(notes, row=row_number, column=3, value=", ".join(spellings[1:]))
    response = HttpResponse(spreadsheets.workbook_bytes(workbook), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = "mau-danh-gia-hai-long.xlsx" if kind == ImportKind.RATINGS else "mau-ho-so-mot-cua.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
