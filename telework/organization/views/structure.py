"""Units, positions, one-stop desks and duty posts."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock, ui
from telework.core.exceptions import DomainError, NotFound
from telework.core.web import is_htmx
from telework.organization import on_site, scope, selectors, services
from telework.organization.forms import PositionFlagsForm, ServicePointForm
from telework.organization.models import ServicePoint, ServicePointKind, Unit
from telework.organization.views.common import _agency_for, _page_context, _require_reader


@login_required
@require_GET
def unit_tree(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def position_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_reader(request)
    agency = _agency_for(request)
    if agency is None:
        raise PermissionDenied
    context = {**_page_context(request, "positions", agency), "positions": list(selectors.position_list(viewer=request.user, agency=agency))}
    return render(request, "organization/position_list.html", context)


@login_required
@require_POST
def position_flags(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def service_point_list(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def service_point_create(request: AuthenticatedHttpRequest) -> HttpResponse:
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
def service_point_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
