"""Reading the audit trail: a city-wide search and one object's history. Nothing here edits or deletes a row.

Scope: Home Affairs, city leadership and system administrators read every row; agency heads, agency HR and unit
heads read the rows of their own agency (``AuditEvent.agency_id``); nobody else reads the trail.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from telework.accounts import scope
from telework.core.models import AuditEvent

PAGE_SIZE = 50

# Every action the services record, as a person reads it. Unknown actions show their code.
ACTION_LABELS: dict[str, Any] = {
    "registration.submit": _("Registration submitted"),
    "registration.resubmit": _("Registration resubmitted"),
    "registration.withdraw": _("Registration withdrawn"),
    "registration.approve": _("Registration approved"),
    "registration.reject": _("Registration rejected"),
    "registration.request_changes": _("Changes requested to a registration"),
    "registration.revoke": _("Registration revoked"),
    "policy.create": _("Policy version created"),
    "policy.close": _("Policy version ended"),
    "pilot.save": _("Pilot saved"),
    "switch.on": _("City-wide switch turned on"),
    "switch.off": _("City-wide switch turned off"),
}

# Keys of the before/after snapshots, as a person reads them. Policy parameters use ``telework.policy.labels``.
FIELD_LABELS: dict[str, Any] = {
    "status": _("Status"),
    "starts_on": _("From"),
    "ends_on": _("To"),
    "days": _("Home days"),
    "revoked_effective_on": _("Home days end after"),
    "version": _("Version"),
    "effective_from": _("In force from"),
    "effective_to": _("In force until"),
    "is_active": _("On"),
    "exempted_staff": _("Exempted staff"),
    "code": _("Code"),
    "name": _("Name"),
    "agencies": _("Agencies"),
    "units": _("Units"),
    "positions": _("Job positions"),
    "phases": _("Phases"),
    "comment": _("Comment"),
}

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- Reads -------------------------------------------------------------------------------------------------------


def audit_visible_events(*, viewer: Any) -> QuerySet[AuditEvent]:
    """The rows ``viewer`` may read, newest first: all for city-wide roles, their agency's for agency and unit roles."""
    if not scope.can_read_audit(viewer):
        return AuditEvent.objects.none()
    queryset = AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
    if viewer.role in scope.CITY_WIDE_ROLES or viewer.is_superuser:
        return queryset
    me = scope.own_staff(viewer)
    if me is None:
        return AuditEvent.objects.none()
    return queryset.filter(agency_id=me.unit.agency_id)


def audit_search_events(*, viewer: Any, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
    """Visible rows matching ``filters``: ``actor`` (name contains), ``action``, ``object_type``, ``date_from`` and
    ``date_to`` (local dates, inclusive), ``text`` (in the object's label or the reason)."""
    queryset = audit_visible_events(viewer=viewer)
    if filters.get("actor"):
        queryset = queryset.filter(actor_label__icontains=filters["actor"])
    if filters.get("action"):
        queryset = queryset.filter(action=filters["action"])
    if filters.get("object_type"):
        queryset = queryset.filter(object_type=filters["object_type"])
    if filters.get("date_from"):
        queryset = queryset.filter(occurred_at__date__gte=filters["date_from"])
    if filters.get("date_to"):
        queryset = queryset.filter(occurred_at__date__lte=filters["date_to"])
    if filters.get("text"):
        queryset = queryset.filter(Q(object_label__icontains=filters["text"]) | Q(reason__icontains=filters["text"]))
    return queryset


# --- Presentation ------------------------------------------------------------------------------------------------


def action_label(action: str) -> str:
    label = ACTION_LABELS.get(action)
    return str(label) if label else action


def object_type_label(object_type: str) -> str:
    try:
        return str(apps.get_model(object_type)._meta.verbose_name).capitalize()
    except (LookupError, ValueError):
        return object_type


def object_url(object_type: str, object_id: str, viewer: Any) -> str:
    """The page of the object a row is about, when it has one the viewer may open."""
    from telework.policy import selectors as policy_selectors

    targets = {
        "policy.pilot": ("policy:pilot_detail", True, policy_selectors.can_read_city_policy),
        "policy.policy": ("policy:policy_detail", True, policy_selectors.can_read_policies),
        "policy.policyswitch": ("policy:policies", False, policy_selectors.can_read_policies),
        "registrations.registration": ("registrations:detail", True, None),
    }
    target = targets.get(object_type)
    if target is None:
        return ""
    name, takes_id, allowed = target
    if allowed is not None and not allowed(viewer):
        return ""
    try:
        if takes_id:
            return reverse(name, args=[int(object_id)])
        return reverse(name) + "#switches"
    except (NoReverseMatch, ValueError):
        return ""


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None when the row created the object
    after: str


def field_label(key: str) -> str:
    from telework.policy import labels as policy_labels

    if key.startswith("parameters."):
        return policy_labels.label(key.split(".", 1)[1])
    label = FIELD_LABELS.get(key)
    return str(label) if label else key.replace("_", " ")


def format_value(key: str, value: Any, object_type: str = "") -> str:
    """A snapshot value as a person reads it: dates dd/mm/yyyy, yes/no, policy parameters in their units."""
    from telework.policy import labels as policy_labels

    if value is None:
        return "—"
    if key.startswith("parameters."):
        return policy_labels.format_value(key.split(".", 1)[1], value)
    if key == "status":
        return _status_label(object_type, str(value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, str) and ISO_DATE.match(value):
        return _date(value)
    if isinstance(value, list):
        if not value:
            return gettext("none")
        if key == "phases":
            return "; ".join(_phase(item) for item in value)
        return ", ".join(_date(str(item)) if ISO_DATE.match(str(item)) else str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{field_label(str(inner))}: {format_value(str(inner), item, object_type)}" for inner, item in value.items())
    return str(value)


def _date(value: str) -> str:
    try:
        return dt.date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return value


def _phase(item: Any) -> str:
    if isinstance(item, list) and len(item) == 3:
        return f"{item[0]} ({_date(str(item[1]))}–{_date(str(item[2]))})"
    return str(item)


def _status_label(object_type: str, value: str) -> str:
    choices: dict[str, Any] = {}
    if object_type == "registrations.registration":
        from telework.registrations.models import RegistrationStatus

        choices = dict(RegistrationStatus.choices)
    elif object_type == "policy.pilot":
        from telework.policy.models import PilotStatus

        choices = dict(PilotStatus.choices)
    return str(choices.get(value, value))


def _flatten(snapshot: Any) -> dict[str, Any]:
    """{"parameters": {"max_home_share": 0.3}} → {"parameters.max_home_share": 0.3}: a policy's parameters diff one by one."""
    if not isinstance(snapshot, dict):
        return {} if snapshot is None else {"value": snapshot}
    flat: dict[str, Any] = {}
    for key, value in snapshot.items():
        if key == "parameters" and isinstance(value, dict):
            for name, item in value.items():
                flat[f"parameters.{name}"] = item
        else:
            flat[str(key)] = value
    return flat


def changes(event: AuditEvent) -> list[Change]:
    """What the row changed, key by key: only the keys whose value differs (or every key of a creation)."""
    before, after = _flatten(event.before), _flatten(event.after)
    rows = []
    for key in list(dict.fromkeys([*before, *after])):
        old, new = before.get(key), after.get(key)
        if event.before is not None and _same(old, new):
            continue
        if event.before is None:
            before_text = None  # a creation: there was nothing before
        else:
            before_text = format_value(key, old, event.object_type) if key in before else "—"
        rows.append(Change(field_label(key), before_text, format_value(key, new, event.object_type) if key in after else "—"))
    return rows


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, list) and isinstance(new, list):
        try:
            return sorted(old) == sorted(new)
        except TypeError:
            return old == new
    return bool(old == new)


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    action: str
    object_type: str
    url: str
    history_url: str
    changes: list[Change]


def audit_rows(events: Any, viewer: Any) -> list[AuditRow]:
    return [
        AuditRow(
            event=event,
            action=action_label(event.action),
            object_type=object_type_label(event.object_type),
            url=object_url(event.object_type, event.object_id, viewer),
            history_url=reverse("core:audit_object", args=[event.object_type, event.object_id]),
            changes=changes(event),
        )
        for event in events
    ]


# --- Views -------------------------------------------------------------------------------------------------------


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=_("Who"), required=False, widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("name contains")}))
    action = forms.ChoiceField(label=_("Action"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    object_type = forms.ChoiceField(label=_("Object type"), required=False, widget=forms.Select(attrs={"class": "form-select"}))
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"))
    text = forms.CharField(
        label=_("Text"), required=False, widget=forms.TextInput(attrs={"class": "form-control", "placeholder": _("in the object or the reason")})
    )

    def __init__(self, *args: Any, visible: QuerySet[AuditEvent], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        actions = sorted(set(ACTION_LABELS) | set(visible.order_by().values_list("action", flat=True).distinct()))
        self.fields["action"].choices = [("", gettext("All actions")), *sorted(((a, action_label(a)) for a in actions), key=lambda c: c[1])]  # type: ignore[attr-defined]
        types = sorted(set(visible.order_by().values_list("object_type", flat=True).distinct()))
        self.fields["object_type"].choices = [("", gettext("All objects")), *((t, object_type_label(t)) for t in types)]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", gettext("The end date is before the start date."))
        return cleaned


@login_required
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    if not scope.can_read_audit(request.user):
        raise PermissionDenied
    visible = audit_visible_events(viewer=request.user)
    form = AuditFilterForm(request.GET or None, visible=visible)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page: Page[AuditEvent] = Paginator(audit_search_events(viewer=request.user, filters=filters), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": audit_rows(page.object_list, request.user),
        "query": query.urlencode(),
        "is_city_wide": getattr(request.user, "role", "") in scope.CITY_WIDE_ROLES or request.user.is_superuser,
    }
    return render(request, "core/audit_search.html", context)


@login_required
@require_GET
def audit_for_object(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """The history of one object, oldest first. 404 when the viewer may see none of it (another agency's object)."""
    if not scope.can_read_audit(request.user):
        raise PermissionDenied
    events = list(audit_visible_events(viewer=request.user).filter(object_type=object_type, object_id=object_id).order_by("occurred_at", "id"))
    if not events:
        raise Http404
    latest = events[-1]
    context = {
        "rows": audit_rows(events, request.user),
        "object_label": latest.object_label,
        "object_type": object_type_label(object_type),
        "object_url": object_url(object_type, object_id, request.user),
    }
    return render(request, "core/audit_object.html", context)
