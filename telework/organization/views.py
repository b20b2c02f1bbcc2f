"""Organisation screens: staff list and record, unit tree, positions, one-stop desks and duty posts, the import.

Who: everybody reads what ``telework.organization.scope`` lets them see (a unit head their subtree, an agency head or
HR officer their agency, Home Affairs the city); agency HR (own agency), Home Affairs and system administrators
import and edit (``scope.can_manage_organisation``). Views shape requests; rules live in ``services`` and
``importing``, reads in ``selectors``.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telework.accounts.models import Role
from telework.core import clock, ui
from telework.core.exceptions import DomainError, NotFound, ValidationFailed
from telework.core.models import AuditEvent
from telework.core.web import is_htmx
from telework.organization import importing, on_site, scope, selectors, services
from telework.organization.forms import ImportConfirmForm, ImportUploadForm, PositionFlagsForm, ServicePointForm, StaffFilterForm
from telework.organization.models import Agency, Equipment, ServicePoint, ServicePointKind, Unit

STAFF_PAGE_SIZE = 50
# The preview lists every row with a problem up to this many, and this many rows that change.
PREVIEW_PROBLEM_ROWS = 1000
PREVIEW_CHANGE_ROWS = 300
SESSION_KEY = "organization_import"
STAGED_FILE_MAX_AGE = 24 * 3600


def _require_reader(request: HttpRequest) -> None:
    """Units, positions and desks are read by unit heads and above; a staff member sees their own record only."""
    user: Any = request.user
    if user.role == Role.STAFF and not user.is_superuser:
        raise PermissionDenied


def _agency_for(request: HttpRequest) -> Agency | None:
    """The agency a page shows: ``?agency=`` if the viewer may see it, else the viewer's own, else the first."""
    agencies = scope.visible_agencies(request.user).order_by("name")
    raw = request.GET.get("agency", "")
    if raw.isdigit():
        chosen = agencies.filter(pk=int(raw)).first()
        if chosen is not None:
            return chosen
    me = scope.own_staff(request.user)
    if me is not None and agencies.filter(pk=me.unit.agency_id).exists():
        return me.unit.agency
    return agencies.first()


def _page_context(request: HttpRequest, tab: str, agency: Agency | None = None) -> dict[str, Any]:
    agencies = scope.visible_agencies(request.user)
    return {
        "tab": tab,
        "agency": agency,
        "agency_choices": agencies.order_by("name") if agencies.count() > 1 else None,
        "can_manage": scope.can_manage_organisation(request.user, agency) if agency is not None else scope.can_manage_organisation(request.user),
        "can_import": scope.can_manage_organisation(request.user),
    }


# --- Staff ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def staff_list(request: HttpRequest) -> HttpResponse:
    form = StaffFilterForm(request.GET or None, viewer=request.user)
    queryset = selectors.staff_list(viewer=request.user, filters=form.filters())
    page = Paginator(queryset, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **_page_context(request, "staff", form.chosen_agency),
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "equipment": Equipment.choices,
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "staff-results":
        return render(request, "organization/_staff_results.html", context)
    return render(request, "organization/staff_list.html", context)


@login_required
@require_GET
def staff_detail(request: HttpRequest, code: str) -> HttpResponse:
    try:
        staff = selectors.staff_get(viewer=request.user, code=code)
    except NotFound as missing:
        raise Http404 from missing
    context = {
        **_page_context(request, "staff", staff.unit.agency),
        "staff": staff,
        "reports": list(selectors.staff_reports(viewer=request.user, staff=staff)),
        "equipment": [(value, label, value in (staff.equipment or [])) for value, label in Equipment.choices],
        "service_points": list(staff.service_points.all()),
        "superior_visible": staff.direct_superior is not None and scope.can_see_staff(request.user, staff.direct_superior),
        "audit_url": reverse("portal:audit_object", args=["organization.staff", str(staff.pk)]),
    }
    return render(request, "organization/staff_detail.html", context)


# --- Units and positions -------------------------------------------------------------------------------------


@login_required
@require_GET
def unit_tree(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    agency = _agency_for(request)
    if agency is None:
        raise PermissionDenied
    nodes = selectors.unit_tree(viewer=request.user, agency=agency)
    context = {
        **_page_context(request, "units", agency),
        "nodes": nodes,
        "total": sum(node.headcount for node in nodes),
    }
    return render(request, "organization/unit_tree.html", context)


@login_required
@require_GET
def position_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    agency = _agency_for(request)
    if agency is None:
        raise PermissionDenied
    context = {**_page_context(request, "positions", agency), "positions": list(selectors.position_list(viewer=request.user, agency=agency))}
    return render(request, "organization/position_list.html", context)


@login_required
@require_POST
def position_flags(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        position = selectors.position_get(viewer=request.user, position_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    if not scope.can_manage_organisation(request.user, position.agency):
        raise PermissionDenied
    form = PositionFlagsForm(request.POST)
    error: DomainError | None = None
    saved = False
    if form.is_valid():
        try:
            position = services.position_update_flags(actor=request.user, position=position, flags=form.cleaned_data)
            saved = True
        except DomainError as refusal:
            error = refusal
    counted = selectors.position_list(viewer=request.user, agency=position.agency).filter(pk=position.pk).first()
    position.headcount = getattr(counted, "headcount", 0)  # type: ignore[attr-defined]
    if is_htmx(request):
        return render(request, "organization/_position_row.html", {"position": position, "can_manage": True, "error": error, "saved": saved})
    if error is not None:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Flags of position %(name)s saved.") % {"name": position.name})
    return redirect(f"{reverse('organization:positions')}?agency={position.agency_id}")


# --- Service points ------------------------------------------------------------------------------------------


def _policy_on_site(units: list[Unit]) -> dict[int, dict[str, int]]:
    """How many staff the policy in force today wants on site per desk and duty post, by unit."""
    return on_site.policy_on_site(units, clock.today())


@login_required
@require_GET
def service_point_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    agency = _agency_for(request)
    if agency is None:
        raise PermissionDenied
    unit = None
    raw = request.GET.get("unit", "")
    if raw.isdigit():
        unit = scope.visible_units(request.user).filter(pk=int(raw), agency=agency).first()
    points = list(selectors.service_point_list(viewer=request.user, agency=agency, unit=unit))
    policy = _policy_on_site(list({point.unit_id: point.unit for point in points}.values()))
    rows = []
    for point in points:
        from_policy = policy[point.unit_id][point.kind]
        required = point.required_on_site if point.required_on_site is not None else from_policy
        qualified = list(point.qualified_staff.all())
        needs = [point.required_on_weekday(weekday, required) for weekday in range(5)]
        by_weekday = [{"label": ui.WEEKDAY_NAMES[weekday], "count": count} for weekday, count in enumerate(needs) if count != required]
        busiest = max([required, *needs])
        rows.append(
            {
                "point": point,
                "required": required,
                "by_weekday": by_weekday,
                "from_policy": point.required_on_site is None,
                "qualified": qualified,
                "short": len(qualified) < busiest,
            }
        )
    context = {
        **_page_context(request, "service_points", agency),
        "rows": rows,
        "unit": unit,
        "units": scope.visible_units(request.user).filter(agency=agency).order_by("code"),
    }
    return render(request, "organization/service_point_list.html", context)


def _service_point_form_page(request: HttpRequest, form: ServicePointForm, point: ServicePoint | None, error: DomainError | None) -> HttpResponse:
    agency = form.chosen_unit.agency if form.chosen_unit is not None else (point.unit.agency if point else _agency_for(request))
    policy = _policy_on_site([form.chosen_unit]) if form.chosen_unit is not None else {}
    context = {
        **_page_context(request, "service_points", agency),
        "form": form,
        "point": point,
        "error": error,
        "policy_on_site": policy.get(form.chosen_unit.pk) if form.chosen_unit is not None else None,
    }
    return render(request, "organization/service_point_form.html", context)


_SERVICE_POINT_FIELDS = {
    "name": "name",
    "kind": "kind",
    "code": "code",
    "required_on_site": "required_on_site",
    "required_by_weekday": "required_monday",
    "qualified_staff": "qualified_staff",
    "unit": "unit",
}


def _place_error(form: ServicePointForm, error: DomainError) -> DomainError | None:
    """Show a service refusal next to the field its rule names; otherwise above the form."""
    field = _SERVICE_POINT_FIELDS.get(error.rule)
    if field is not None:
        form.add_error(field, str(error.message))
        return None
    return error


@login_required
def service_point_create(request: HttpRequest) -> HttpResponse:
    if not scope.can_manage_organisation(request.user):
        raise PermissionDenied
    initial_unit = None
    raw = request.GET.get("unit", "")
    if raw.isdigit():
        initial_unit = scope.visible_units(request.user).filter(pk=int(raw)).first()
    form = ServicePointForm(
        request.POST or None, viewer=request.user, unit=initial_unit, initial={"unit": initial_unit, "kind": ServicePointKind.ONE_STOP_DESK}
    )
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            point = services.service_point_create(
                actor=request.user,
                unit=data["unit"],
                name=data["name"],
                kind=data["kind"],
                code=data["code"],
                required_on_site=data["required_on_site"],
                qualified_staff=data["qualified_staff"],
                required_by_weekday=form.required_by_weekday(),
            )
        except DomainError as refusal:
            error = _place_error(form, refusal)
        else:
            messages.success(request, _("%(name)s created.") % {"name": point.name})
            return redirect(f"{reverse('organization:service_points')}?agency={point.unit.agency_id}")
    return _service_point_form_page(request, form, None, error)


@login_required
def service_point_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        point = selectors.service_point_get(viewer=request.user, service_point_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    if not scope.can_manage_organisation(request.user, point.unit.agency):
        raise PermissionDenied
    initial = {
        "unit": point.unit,
        "name": point.name,
        "kind": point.kind,
        "code": point.code,
        "required_on_site": point.required_on_site,
        **ServicePointForm.weekday_initial(point.required_by_weekday or []),
        "qualified_staff": list(point.qualified_staff.all()),
    }
    form = ServicePointForm(request.POST or None, viewer=request.user, unit=point.unit, initial=initial)
    error: DomainError | None = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            point = services.service_point_update(
                actor=request.user,
                service_point=point,
                unit=data["unit"],
                name=data["name"],
                kind=data["kind"],
                code=data["code"],
                required_on_site=data["required_on_site"],
                qualified_staff=data["qualified_staff"],
                required_by_weekday=form.required_by_weekday(),
            )
        except DomainError as refusal:
            error = _place_error(form, refusal)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": point.name})
            return redirect(f"{reverse('organization:service_points')}?agency={point.unit.agency_id}")
    return _service_point_form_page(request, form, point, error)


@login_required
@require_GET
def service_point_staff_options(request: HttpRequest) -> HttpResponse:
    """The qualified-staff checkboxes for the unit chosen in the form (HTMX, on unit change)."""
    if not scope.can_manage_organisation(request.user):
        raise PermissionDenied
    form = ServicePointForm(request.GET, viewer=request.user)
    policy = _policy_on_site([form.chosen_unit]) if form.chosen_unit is not None else {}
    return render(
        request,
        "organization/_service_point_staff.html",
        {"form": form, "policy_on_site": policy.get(form.chosen_unit.pk) if form.chosen_unit is not None else None},
    )


# --- Import --------------------------------------------------------------------------------------------------


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
def import_start(request: HttpRequest) -> HttpResponse:
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
def import_confirm(request: HttpRequest) -> HttpResponse:
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
