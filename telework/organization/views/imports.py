"""The staff-list import: upload, preview, confirm, result, template."""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core.exceptions import DomainError, ValidationFailed
from telework.core.models import AuditEvent
from telework.organization import importing, scope, services
from telework.organization.forms import ImportConfirmForm, ImportUploadForm
from telework.organization.models import Agency
from telework.organization.views.common import _page_context

# The preview lists every row with a problem up to this many, and this many rows that change.
PREVIEW_PROBLEM_ROWS = 1000
PREVIEW_CHANGE_ROWS = 300
SESSION_KEY = "organization_import"
STAGED_FILE_MAX_AGE = 24 * 3600


def _import_dir() -> Path:
    directory = Path(getattr(settings, "TELEWORK_IMPORT_DIR", Path(settings.BASE_DIR) / "var" / "imports"))
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _stage(content: bytes) -> str:
    """Keep the uploaded file on the server between the preview and the confirmation; drop day-old leftovers."""
    directory = _import_dir()
    now = time.time()
    for old in directory.glob("*.upload"):
        if now - old.stat().st_mtime > STAGED_FILE_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(18)
    (directory / f"{token}.upload").write_bytes(content)
    return token


def _staged_path(token: str) -> Path | None:
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    path = _import_dir() / f"{token}.upload"
    return path if path.is_file() else None


def _require_importer(request: HttpRequest) -> None:
    if not scope.can_manage_organisation(request.user):
        raise PermissionDenied


def _report_rows(report: importing.ImportReport) -> tuple[list[importing.RowReport], list[importing.RowReport]]:
    with_problems = [row for row in report.rows if row.problems][:PREVIEW_PROBLEM_ROWS]
    changing = [row for row in report.rows if not row.problems and row.action in (importing.CREATE, importing.UPDATE)][:PREVIEW_CHANGE_ROWS]
    return with_problems, changing


def _preview_page(
    request: HttpRequest,
    report: importing.ImportReport,
    agency: Agency,
    token: str,
    *,
    error: DomainError | None = None,
    confirm: ImportConfirmForm | None = None,
) -> HttpResponse:
    with_problems, changing = _report_rows(report)
    counts = report.counts()
    context = {
        **_page_context(request, "import", agency),
        "report": report,
        "counts": counts,
        "with_problems": with_problems,
        "problem_rows_total": sum(1 for row in report.rows if row.problems),
        "changing": changing,
        "changing_total": counts["created"]
        + counts["updated"]
        - sum(1 for row in report.rows if row.problems and row.action in (importing.CREATE, importing.UPDATE)),
        "confirm": confirm or ImportConfirmForm(initial={"token": token}),
        "error": error,
        "action_labels": importing.ACTION_LABELS,
    }
    return render(request, "organization/import_preview.html", context)


@login_required
def import_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 1: choose the agency and the file; on upload, show the row-by-row preview (step 2)."""
    _require_importer(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        agency = form.cleaned_data["agency"]
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            report = services.staff_import_preview(actor=request.user, agency=agency, file_name=upload.name, content=content)
        except DomainError as refusal:
            form.add_error("agency", str(refusal.message))
        else:
            token = _stage(content)
            request.session[SESSION_KEY] = {"token": token, "agency_id": agency.pk, "file_name": upload.name, "sha256": hashlib.sha256(content).hexdigest()}
            return _preview_page(request, report, agency, token)
    context = {**_page_context(request, "import", form.fixed_agency), "form": form, "columns": importing.COLUMNS}
    return render(request, "organization/import_start.html", context)


@login_required
@require_POST
def import_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Step 3: import the staged file. Refused (nothing written) when rows have errors and "only the valid rows"
    is not ticked; the preview is shown again with the rule."""
    _require_importer(request)
    confirm = ImportConfirmForm(request.POST)
    staged = request.session.get(SESSION_KEY) or {}
    path = _staged_path(staged.get("token", ""))
    if not confirm.is_valid() or confirm.cleaned_data["token"] != staged.get("token") or path is None:
        messages.error(request, _("The uploaded file is no longer available (it is kept for a day, in this session). Upload it again."))
        return redirect("organization:import")
    agency = Agency.objects.filter(pk=staged["agency_id"]).first()
    if agency is None or not scope.can_manage_organisation(request.user, agency):
        raise PermissionDenied
    content = path.read_bytes()
    try:
        result = services.staff_import(
            actor=request.user, agency=agency, file_name=staged["file_name"], content=content, valid_only=confirm.cleaned_data["valid_only"]
        )
    except services.ImportRefused as refusal:
        if refusal.rule == "import_all_rows_valid":
            confirm.add_error("valid_only", _("Tick this box to import the valid rows, or fix the file."))
        # The report below lists every problem row by row; the alert names the rule only.
        summary = ValidationFailed(refusal.message, rule=refusal.rule, params=refusal.params)
        return _preview_page(request, refusal.report, agency, staged["token"], error=summary, confirm=confirm)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return redirect("organization:import")
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    return redirect("organization:import_done", audit_id=result.audit_event.pk)


@login_required
@require_GET
def import_done(request: HttpRequest, audit_id: int) -> HttpResponse:
    """What an import did, read back from its audit row."""
    event = AuditEvent.objects.filter(pk=audit_id, action="organization.import").first()
    agency = Agency.objects.filter(pk=event.agency_id).first() if event is not None and event.agency_id else None
    if event is None or agency is None or not scope.can_manage_organisation(request.user, agency):
        raise Http404
    context = {
        **_page_context(request, "import", agency),
        "event": event,
        "counts": event.after or {},
        "audit_url": reverse("portal:audit_object", args=["organization.agency", str(agency.pk)]),
    }
    return render(request, "organization/import_done.html", context)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    """The .xlsx template with the headers, one example row and a sheet of instructions."""
    _require_importer(request)
    response = HttpResponse(importing.template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-can-bo.xlsx"'
    return response
