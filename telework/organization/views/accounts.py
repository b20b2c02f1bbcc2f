"""The agency's accounts page (HR): who has no account, who has not activated it, who has; bulk actions to create the
missing accounts, e-mail activation links and print activation codes (a PDF, a sheet per unit)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock
from telework.core.exceptions import DomainError
from telework.organization import accounts
from telework.organization.models import Agency, Staff, Unit
from telework.organization.views.common import _agency_for, _page_context

# The page lists this many people; a bulk action on "everyone listed" reaches every match, shown or not.
SHOWN_ROWS = 500


def _filters(request: AuthenticatedHttpRequest, agency: Agency) -> accounts.AccountFilters:
    raw_unit, raw_import = request.GET.get("unit", ""), request.GET.get("import", "")
    unit = Unit.objects.filter(agency=agency, pk=int(raw_unit)).first() if raw_unit.isdigit() else None
    status = request.GET.get("status", "")
    return accounts.AccountFilters(
        unit=unit,
        status=status if status in accounts.AccountStatus.ORDER else "",
        import_audit_id=int(raw_import) if raw_import.isdigit() else None,
        search=request.GET.get("q", "").strip()[:100],
    )


def _back(request: AuthenticatedHttpRequest) -> HttpResponse:
    query = request.GET.urlencode()
    return redirect(reverse("organization:accounts") + (f"?{query}" if query else ""))


@login_required
def accounts_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    agency = _agency_for(request)
    if agency is None or not accounts.may_manage_accounts(request.user, agency):
        raise PermissionDenied
    filters = _filters(request, agency)
    rows = accounts.account_rows(viewer=request.user, agency=agency, filters=filters)
    if request.method == "POST":
        return _bulk_action(request, agency, rows)
    unfiltered = accounts.account_rows(
        viewer=request.user, agency=agency, filters=accounts.AccountFilters(unit=filters.unit, import_audit_id=filters.import_audit_id, search=filters.search)
    )
    counts = accounts.status_counts(unfiltered)
    total = rows.count()
    query = request.GET.copy()
    query.pop("status", None)
    context: dict[str, Any] = {
        **_page_context(request, "accounts", agency),
        "filters": filters,
        "rows": [
            (person, accounts.status_of(person), accounts.AccountStatus.LABELS[accounts.status_of(person)])
            for person in accounts.with_open_codes(rows)[:SHOWN_ROWS]
        ],
        "total": total,
        "shown_limit": SHOWN_ROWS,
        "statuses": [(status, accounts.AccountStatus.LABELS[status], counts[status]) for status in accounts.AccountStatus.ORDER],
        "all_count": sum(counts.values()),
        "query_without_status": query.urlencode(),
        "units": Unit.objects.filter(agency=agency).order_by("path"),
        "query": request.GET.urlencode(),
    }
    return render(request, "organization/accounts/list.html", context)


def _bulk_action(request: AuthenticatedHttpRequest, agency: Agency, rows: Any) -> HttpResponse:
    action = request.POST.get("action", "")
    people = list(rows) if request.POST.get("apply_to") == "all" else accounts.selected_staff(rows, request.POST.getlist("staff"))
    if not people:
        messages.warning(request, _("Tick the people first, or choose “everyone listed”."))
        return _back(request)
    try:
        if action == "create":
            created = accounts.accounts_create(actor=request.user, agency=agency, staff=people)
            messages.success(request, ngettext("%(count)s account created.", "%(count)s accounts created.", len(created)) % {"count": len(created)})
        elif action == "send":
            sent, without_email = accounts.accounts_send_links(
                actor=request.user, agency=agency, staff=people, base_url=request.build_absolute_uri("/").rstrip("/")
            )
            messages.success(
                request,
                ngettext("Activation link e-mailed to %(count)s person.", "Activation links e-mailed to %(count)s people.", len(sent)) % {"count": len(sent)},
            )
            if without_email:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s person has no e-mail address: print an activation code for them.",
                        "%(count)s people have no e-mail address: print activation codes for them.",
                        len(without_email),
                    )
                    % {"count": len(without_email)},
                )
        elif action == "print":
            printed = accounts.accounts_print_codes(
                actor=request.user, agency=agency, staff=people, activate_url=request.build_absolute_uri(reverse("accounts:activate"))
            )
            if not printed.count:
                messages.warning(request, _("Nobody chosen is waiting to activate an account: codes are printed only for accounts not activated yet."))
                return _back(request)
            response = HttpResponse(accounts.activation_sheets_pdf(printed), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="activation-codes-{agency.code}-{clock.today():%Y%m%d}.pdf"'
            response["Cache-Control"] = "no-store"
            return response
        else:
            messages.error(request, _("Choose what to do with the people ticked."))
    except DomainError as error:
        messages.error(request, str(error.message))
    return _back(request)


def _person(request: AuthenticatedHttpRequest, pk: int) -> Any:
    """A staff member of an agency whose accounts the viewer runs (404 otherwise: an id they may not see)."""
    person = Staff.objects.select_related("user", "unit__agency").filter(pk=pk, user__isnull=False).first()
    if person is None or not accounts.may_manage_accounts(request.user, person.unit.agency):
        raise Http404
    return person


def _back_to_list(request: AuthenticatedHttpRequest, agency: Agency) -> HttpResponse:
    return redirect(
        reverse("organization:accounts")
        + f"?agency={agency.pk}"
        + (f"&status={request.POST['status']}" if request.POST.get("status") in accounts.AccountStatus.ORDER else "")
    )


@login_required
@require_POST
def account_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HR closes one person's account (a lost phone, a suspected misuse): sessions and tokens end at once."""
    person = _person(request, pk)
    try:
        accounts.staff_account_deactivate(actor=request.user, staff=person, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s's account is closed.") % {"name": person.full_name})
    return _back_to_list(request, person.unit.agency)


@login_required
@require_POST
def account_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    try:
        reopened = accounts.staff_account_reactivate(actor=request.user, staff=person, reason=request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if reopened is None:
            messages.error(request, _("%(name)s has left the staff: reinstate the record before reopening the account.") % {"name": person.full_name})
        else:
            messages.success(request, _("%(name)s's account is open again.") % {"name": person.full_name})
    return _back_to_list(request, person.unit.agency)


@login_required
@require_POST
def account_reset_second_factor(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """HR resets one person's two-step login (a lost or stolen phone): they set it up again at their next login."""
    person = _person(request, pk)
    try:
        accounts.staff_account_reset_second_factor(actor=request.user, staff=person, reason=request.POST.get("reason", "")[:300])
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("%(name)s's two-step login is reset: they set it up again at their next login.") % {"name": person.full_name})
    return _back_to_list(request, person.unit.agency)
