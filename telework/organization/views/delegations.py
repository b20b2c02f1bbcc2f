"""Delegations (ủy quyền): a head names the deputy who acts in their name while they are away, and cancels it early;
the deputy sees the delegations that name them. Rules in ``telework.organization.delegations``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from telework.accounts.models import User
from telework.accounts.types import AuthenticatedHttpRequest
from telework.core import clock
from telework.core.exceptions import DomainError, NotFound
from telework.organization import delegations, scope
from telework.organization.models import Delegation


class DeputyChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        staff = scope.own_staff(obj)
        if staff is None:
            return delegations.person_name(obj)
        return f"{staff.full_name} · {staff.title or staff.unit.name}"


class DelegationForm(forms.Form):
    """Who acts for the head, and when. The rules (who may be the deputy, dates, length, overlaps) are the service's."""

    deputy = DeputyChoiceField(label=gettext_lazy("Deputy"), queryset=User.objects.none(), widget=forms.Select(attrs={"class": "form-select"}))
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    ends_on = forms.DateField(label=gettext_lazy("To"), widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    note = forms.CharField(label=gettext_lazy("Note"), required=False, max_length=300, widget=forms.TextInput(attrs={"class": "form-control"}))

    def __init__(self, *args: Any, head: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = delegations.deputy_choices(head=head)  # type: ignore[attr-defined]


def _rows(items: Any, *, viewer: User, other: str) -> list[dict[str, Any]]:
    today = clock.today()
    return [
        {
            "delegation": delegation,
            "name": delegations.person_name(getattr(delegation, other)),
            "state": delegations.state_of(delegation, today),
            "state_label": delegations.state_label(delegation, today),
            "can_cancel": delegations.delegation_cancel_check(delegation=delegation, actor=viewer, today=today).is_allowed,
        }
        for delegation in items
    ]


def _page(request: AuthenticatedHttpRequest, *, form: DelegationForm | None, error: DomainError | None = None, status: int = 200) -> HttpResponse:
    user = request.user
    is_head = user.role in scope.DECIDING_ROLES and scope.own_staff(user) is not None
    if form is None and is_head:
        form = DelegationForm(head=user, initial={"starts_on": clock.today()})
    context = {
        "form": form,
        "is_head": is_head,
        "error": error,
        "given": _rows(delegations.delegations_given(head=user), viewer=user, other="deputy"),
        "received": _rows(delegations.delegations_received(deputy=user), viewer=user, other="head"),
        "max_days": delegations.MAX_DELEGATION_DAYS,
        "today": clock.today(),
    }
    return render(request, "organization/delegations.html", context, status=status)


@login_required
def delegation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The viewer's delegations, given and received; a head declares a new one here."""
    user = request.user
    is_head = user.role in scope.DECIDING_ROLES and scope.own_staff(user) is not None
    if not is_head and not delegations.delegations_received(deputy=user).exists():
        raise PermissionDenied(_("Delegations are declared by unit and agency heads."))
    if request.method != "POST":
        return _page(request, form=None)
    if not is_head:
        raise PermissionDenied(_("Delegations are declared by unit and agency heads."))
    form = DelegationForm(request.POST, head=user)
    if not form.is_valid():
        return _page(request, form=form, status=422)
    data = form.cleaned_data
    try:
        delegation = delegations.delegation_create(
            head=user, deputy=data["deputy"], starts_on=data["starts_on"], ends_on=data["ends_on"], note=data["note"], actor=user
        )
    except DomainError as refusal:
        return _page(request, form=form, error=refusal, status=refusal.http_status)
    messages.success(
        request,
        _("%(deputy)s acts for you from %(starts)s to %(ends)s.")
        % {"deputy": delegations.person_name(delegation.deputy), "starts": f"{delegation.starts_on:%d/%m/%Y}", "ends": f"{delegation.ends_on:%d/%m/%Y}"},
    )
    return redirect("organization:delegations")


@login_required
@require_POST
def delegation_cancel(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The head ends a delegation early (or before it starts)."""
    try:
        delegation: Delegation = delegations.delegation_get(viewer=request.user, delegation_id=pk)
    except NotFound as missing:
        raise Http404 from missing
    try:
        delegations.delegation_cancel(delegation=delegation, actor=request.user, reason=request.POST.get("reason", "")[:300])
    except DomainError as refusal:
        return _page(request, form=None, error=refusal, status=refusal.http_status)
    messages.success(request, _("The delegation is cancelled: %(deputy)s no longer acts for you.") % {"deputy": delegations.person_name(delegation.deputy)})
    return redirect("organization:delegations")
