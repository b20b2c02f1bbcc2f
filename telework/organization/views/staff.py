"""The staff list and a person's record."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from telework.core.exceptions import NotFound
from telework.core.web import is_htmx
from telework.organization import scope, selectors
from telework.organization.forms import StaffFilterForm
from telework.organization.models import Equipment
from telework.organization.views.common import STAFF_PAGE_SIZE, _page_context


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
