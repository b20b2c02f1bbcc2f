"""The staff list and a person's record; HR's record keeping (create, edit, transfer, end, reinstate); a person's own
profile (phone and equipment); the list as a workbook."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock, ui
from telework.core.db import reporting_view
from telework.core.exceptions import DomainError, NotFound
from telework.core.web import is_htmx
from telework.organization import scope, selectors, staff_records
from telework.organization.forms import OwnContactForm, StaffEndForm, StaffFilterForm, StaffRecordForm, StaffReinstateForm, StaffTransferForm
from telework.organization.models import Agency, Equipment, Staff
from telework.organization.staff_export import staff_workbook
from telework.organization.views.common import STAFF_PAGE_SIZE, _page_context, _require_reader


@login_required
@require_GET
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
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
        "can_export": _is_reader(request),
        # Whoever manages an organisation adds people to it (``staff_create`` asks which agency when there are several).
        "can_create": scope.can_manage_organisation(request.user),
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "staff-results":
        return render(request, "organization/_staff_results.html", context)
    return render(request, "organization/staff_list.html", context)


def _is_reader(request: AuthenticatedHttpRequest) -> bool:
    try:
        _require_reader(request)
    except PermissionDenied:
        return False
    return True


@login_required
@require_GET
@reporting_view
def staff_list_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list as filtered on screen, as an .xlsx workbook. Unit heads and above (a staff member's list is
    themselves)."""
    _require_reader(request)
    form = StaffFilterForm(request.GET or None, viewer=request.user)
    people = selectors.staff_list(viewer=request.user, filters=form.filters()).select_related("user")
    agency = form.chosen_agency
    title = _("Staff list of %(agency)s on %(date)s") % {"agency": agency.name, "date": f"{clock.today():%d/%m/%Y}"} if agency else _("Staff list")
    content = staff_workbook(people.iterator(chunk_size=1000), title=title, with_personal_data=bool(agency and agency.keeps_personal_data))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="danh-sach-can-bo-{clock.today():%Y%m%d}.xlsx"'
    return response


def _person(request: AuthenticatedHttpRequest, code: str) -> Staff:
    try:
        return selectors.staff_get(viewer=request.user, code=code)
    except NotFound as missing:
        raise Http404 from missing


@login_required
@require_GET
def staff_detail(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    staff = _person(request, code)
    context = {
        **_page_context(request, "staff", staff.unit.agency),
        "staff": staff,
        "reports": list(selectors.staff_reports(viewer=request.user, staff=staff)),
        "equipment": [(value, label, value in (staff.equipment or [])) for value, label in Equipment.choices],
        "service_points": list(staff.service_points.all()),
        "superior_visible": staff.direct_superior is not None and scope.can_see_staff(request.user, staff.direct_superior),
        "history": list(selectors.staff_history(staff=staff)),
        # The trail of a record is read by whoever may see the person (organization.audit_subjects), so by this viewer.
        "audit_url": reverse("portal:audit_object", args=["organization.staff", str(staff.pk)]) if scope.can_read_audit(request.user) else "",
        "can_manage_record": scope.can_manage_organisation(request.user, staff.unit.agency),
        "reinstate_form": StaffReinstateForm(),
    }
    return render(request, "organization/staff_detail.html", context)


# --- HR's record keeping ---------------------------------------------------------------------------------------------


def _creatable_agencies(request: AuthenticatedHttpRequest) -> Any:
    return selectors.manageable_agencies(request.user)


def _managed(request: AuthenticatedHttpRequest, code: str) -> Staff:
    """The person, if the viewer sees them (else 404) and may change their agency's records (else 403)."""
    person = _person(request, code)
    if not scope.can_manage_organisation(request.user, person.unit.agency):
        raise PermissionDenied
    return person


def _place(form: Any, refusal: DomainError) -> list[dict[str, Any]]:
    """A refusal under the field its rule names (the services name their rules after the fields), else above."""
    return ui.place_refusal(form, refusal, {name: name for name in form.fields})


@login_required
@require_http_methods(["GET", "POST"])
def staff_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new person: HR of the agency (Home Affairs and administrators choose the agency with ``?agency=``)."""
    agencies = _creatable_agencies(request)
    if not agencies.exists():
        raise PermissionDenied
    raw = request.GET.get("agency", "")
    agency: Agency | None = agencies.filter(pk=int(raw)).first() if raw.isdigit() else None
    if agency is None:
        if agencies.count() > 1:
            context = {**_page_context(request, "staff"), "agencies": agencies}
            return render(request, "organization/staff_choose_agency.html", context)
        agency = agencies.first()
    assert agency is not None
    form = StaffRecordForm(request.POST or None, agency=agency, initial={"started_on": clock.today()})
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            person = staff_records.staff_create(actor=request.user, agency=agency, code=form.cleaned_data["code"], record=form.record())
        except DomainError as refusal:
            problems = _place(form, refusal)
        else:
            messages.success(request, _("%(name)s was added to the staff, with the account %(code)s.") % {"name": person.full_name, "code": person.code})
            return redirect("organization:staff_detail", code=person.code)
    context = {**_page_context(request, "staff", agency), "form": form, "person": None, "problems": problems}
    return render(request, "organization/staff_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_edit(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = _managed(request, code)
    agency = person.unit.agency
    form = StaffRecordForm(request.POST or None, agency=agency, person=person, initial=StaffRecordForm.initial_of(person))
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            staff_records.staff_update(actor=request.user, staff=person, record=form.record())
        except DomainError as refusal:
            problems = _place(form, refusal)
        else:
            messages.success(request, _("The record of %(name)s was saved.") % {"name": person.full_name})
            return redirect("organization:staff_detail", code=person.code)
    context = {**_page_context(request, "staff", agency), "form": form, "person": person, "problems": problems}
    return render(request, "organization/staff_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_transfer(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = _managed(request, code)
    form = StaffTransferForm(request.POST or None, person=person, initial={"effective_on": clock.today()})
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff_records.staff_transfer(
                actor=request.user,
                staff=person,
                to_unit=data["to_unit"],
                effective_on=data["effective_on"],
                note=data["note"],
                position=data["position"],
                direct_superior=data["direct_superior"],
            )
        except DomainError as refusal:
            problems = _place(form, refusal)
        else:
            messages.success(request, _("%(name)s now works in %(unit)s.") % {"name": person.full_name, "unit": data["to_unit"].name})
            return redirect("organization:staff_detail", code=person.code)
    context = {
        **_page_context(request, "staff", person.unit.agency),
        "form": form,
        "person": person,
        "problems": problems,
        "reports": list(staff_records.dangling_reports(person)),
    }
    return render(request, "organization/staff_transfer.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def staff_end(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The end form, with the people who report to the person (HR gives them another superior)."""
    person = _managed(request, code)
    form = StaffEndForm(request.POST or None, initial={"ended_on": clock.today()})
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            staff_records.staff_end(actor=request.user, staff=person, ended_on=data["ended_on"], reason=data["reason"], note=data["note"])
        except DomainError as refusal:
            problems = _place(form, refusal)
        else:
            if data["ended_on"] <= clock.today():
                messages.success(request, _("%(name)s has left the staff; their account is closed.") % {"name": person.full_name})
            else:
                messages.success(
                    request,
                    _("%(name)s leaves the staff on %(date)s: the record closes that morning.")
                    % {"name": person.full_name, "date": f"{data['ended_on']:%d/%m/%Y}"},
                )
            return redirect("organization:staff_detail", code=person.code)
    context = {
        **_page_context(request, "staff", person.unit.agency),
        "form": form,
        "person": person,
        "problems": problems,
        "reports": list(staff_records.dangling_reports(person)),
    }
    return render(request, "organization/staff_end.html", context)


@login_required
@require_POST
def staff_reinstate(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    person = _managed(request, code)
    form = StaffReinstateForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        staff_records.staff_reinstate(actor=request.user, staff=person, note=note)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
    else:
        messages.success(request, _("%(name)s is on the staff again; their account is open.") % {"name": person.full_name})
    return redirect("organization:staff_detail", code=person.code)


# --- My profile ---------------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person's own record, read-only but for the phone number and the equipment at home, which they keep."""
    me = scope.own_staff(request.user)
    if me is None:
        raise PermissionDenied(_("Your account is not linked to a staff record."))
    person = selectors.staff_get(viewer=request.user, code=me.code)
    form = OwnContactForm(request.POST or None, initial={"phone": person.phone, "equipment": person.equipment})
    problems: list[dict[str, Any]] = []
    if request.method == "POST" and form.is_valid():
        try:
            staff_records.staff_update_own_contact(actor=request.user, phone=form.cleaned_data["phone"], equipment=list(form.cleaned_data["equipment"]))
        except DomainError as refusal:
            problems = _place(form, refusal)
        else:
            messages.success(request, _("Your phone number and equipment were saved."))
            return redirect("organization:my_profile")
    context = {"person": person, "form": form, "problems": problems, "history": list(selectors.staff_history(staff=person))}
    return render(request, "organization/my_profile.html", context)
