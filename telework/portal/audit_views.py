"""Reading the audit trail: a city-wide search, one row, and one object's history. Nothing here edits or deletes a row.

Scope: a row is read by whoever may see the object it describes. Home Affairs, city leadership and system
administrators read every row; everyone else reads the rows about objects their role lets them see, as declared by
the app that owns each kind of object (``telework.core.audit_subjects``): a unit head the registrations, work, leave
and evaluations of their unit's subtree, never a sibling unit's; a staff member the rows about their own
registrations, work, leave, swaps, evaluations and staff record. The scope is one SQL filter (an ``IN`` subquery
per object type), never a check per row.

Words, not codes: actions, object types, snapshot keys and their values are shown through labels (the declared
ones, else the model's ``verbose_name`` and choices); an action nobody declared reads "<object> changed".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from telework.accounts.types import Viewer
from telework.core import audit_subjects
from telework.core.models import AuditEvent
from telework.organization import scope

PAGE_SIZE = 50

# Rows about no model: the sample city's seed.
CORE_ACTION_LABELS: dict[str, Any] = {"demo.seed": _("Sample city created")}
CORE_OBJECT_TYPES: dict[str, Any] = {"organization.city": _("City")}

# Snapshot keys shared by many objects, as a person reads them (declared subjects and model fields come first).
FIELD_LABELS: dict[str, Any] = {
    "status": _("Status"),
    "starts_on": _("From"),
    "ends_on": _("To"),
    "version": _("Version"),
    "is_active": _("On"),
    "code": _("Code"),
    "name": _("Name"),
    "comment": _("Comment"),
    "value": _("Value"),
}

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# --- Reads -------------------------------------------------------------------------------------------------------


def reads_everything(viewer: Viewer) -> bool:
    return bool(viewer.is_authenticated and (viewer.role in scope.CITY_WIDE_ROLES or viewer.is_superuser))


def audit_visible_events(*, viewer: Viewer) -> QuerySet[AuditEvent]:
    """The rows ``viewer`` may read, newest first: every row for the city-wide roles; otherwise the rows about objects
    the viewer may see (``audit_subjects.visible_filter``)."""
    if not scope.can_read_audit(viewer):
        return AuditEvent.objects.none()
    queryset = AuditEvent.objects.select_related("actor").order_by("-occurred_at", "-id")
    if reads_everything(viewer):
        return queryset
    return queryset.filter(audit_subjects.visible_filter(viewer))


def audit_search_events(*, viewer: Viewer, filters: dict[str, Any]) -> QuerySet[AuditEvent]:
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


def audit_event_get(*, viewer: Viewer, event_id: int) -> AuditEvent:
    """One row ``viewer`` may read; otherwise 404 (never 403, so ids do not leak)."""
    event = audit_visible_events(viewer=viewer).filter(pk=event_id).first()
    if event is None:
        raise Http404
    return event


# --- Presentation ------------------------------------------------------------------------------------------------


def all_action_labels() -> dict[str, Any]:
    return {**CORE_ACTION_LABELS, **audit_subjects.action_labels()}


def action_label(action: str, object_type: str = "") -> str:
    """The action as a person reads it; an undeclared one reads "<object> changed", never its code."""
    label = all_action_labels().get(action)
    if label:
        return str(label)
    return gettext("%(object)s changed") % {"object": object_type_label(object_type)} if object_type else gettext("Change recorded")


def _model(object_type: str) -> Any:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    if object_type in CORE_OBJECT_TYPES:
        return str(CORE_OBJECT_TYPES[object_type])
    model = _model(object_type)
    return str(model._meta.verbose_name).capitalize() if model is not None else gettext("Other object")


def object_url(object_type: str, object_id: str, viewer: Viewer | None = None) -> str:
    """The page of the object a row is about, when it has one (the row is only shown to those who may see the
    object)."""
    subject = audit_subjects.subject(object_type)
    if subject is None or not subject.url_name:
        return ""
    try:
        if subject.url_takes_id:
            return reverse(subject.url_name, args=[int(object_id)])
        return reverse(subject.url_name) + "#switches"
    except (NoReverseMatch, ValueError):
        return ""


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None when the row created the object
    after: str


def _model_field(object_type: str, key: str) -> Any:
    model = _model(object_type)
    if model is None:
        return None
    try:
        return model._meta.get_field(key)
    except FieldDoesNotExist:
        return None


def field_label(key: str, object_type: str = "") -> str:
    """A snapshot key as a person reads it: the subject's declared label, the model field's ``verbose_name``, a
    shared label, or the key in words."""
    subject = audit_subjects.subject(object_type)
    if subject is not None:
        if subject.label_of is not None and (hooked := subject.label_of(key)) is not None:
            return hooked
        if key in subject.fields:
            return str(subject.fields[key])
    if key in FIELD_LABELS:
        return str(FIELD_LABELS[key])
    model_field = _model_field(object_type, key)
    if model_field is not None and getattr(model_field, "verbose_name", None):
        return str(model_field.verbose_name).capitalize()
    return key.replace("_", " ").capitalize()


def _choice_label(object_type: str, key: str, value: Any) -> str | None:
    subject = audit_subjects.subject(object_type)
    if subject is not None and key in subject.choices:
        label = subject.choices[key].get(str(value))
        if label is not None:
            return str(label)
    model_field = _model_field(object_type, key)
    if model_field is not None and getattr(model_field, "choices", None):
        label = dict(model_field.flatchoices).get(value)
        if label is not None:
            return str(label)
    return None


def format_value(key: str, value: Any, object_type: str = "") -> str:
    """A snapshot value as a person reads it: labels of states and choices, dates dd/mm/yyyy, yes/no, policy
    parameters in their units."""
    subject = audit_subjects.subject(object_type)
    if subject is not None and subject.text_of is not None and (hooked := subject.text_of(key, value)) is not None:
        return hooked
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, str | int) and (label := _choice_label(object_type, key, value)) is not None:
        return label
    if isinstance(value, str) and ISO_DATE.match(value):
        return _date(value)
    if isinstance(value, list):
        if not value:
            return gettext("none")
        if key == "phases":
            return "; ".join(_phase(item) for item in value)
        return (
            "; ".join(format_value(key, item, object_type) for item in value)
            if any(isinstance(item, dict) for item in value)
            else ", ".join(format_value(key, item, object_type) for item in value)
        )
    if isinstance(value, dict):
        return ", ".join(f"{field_label(str(inner), object_type)}: {format_value(str(inner), item, object_type)}" for inner, item in value.items())
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
    """What the row changed, key by key: only the keys whose value differs (or every key of a creation); keys that
    hold internal ids are left out."""
    before, after = _flatten(event.before), _flatten(event.after)
    subject = audit_subjects.subject(event.object_type)
    hidden = subject.hidden if subject is not None else frozenset()
    rows = []
    for key in [key for key in dict.fromkeys([*before, *after]) if key not in hidden]:
        old, new = before.get(key), after.get(key)
        if event.before is not None and _same(old, new):
            continue
        if event.before is None:
            before_text = None  # a creation: there was nothing before
        else:
            before_text = format_value(key, old, event.object_type) if key in before else "—"
        rows.append(Change(field_label(key, event.object_type), before_text, format_value(key, new, event.object_type) if key in after else "—"))
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
    object_label: str
    url: str
    history_url: str
    detail_url: str
    changes: list[Change]


def object_names(events: list[AuditEvent]) -> dict[tuple[str, str], str]:
    """Today's names of the objects whose subject declares ``names``: one query per such object type on the page."""
    wanted: dict[str, tuple[Any, list[str]]] = {}
    for event in events:
        subject = audit_subjects.subject(event.object_type)
        if subject is not None and subject.names is not None:
            wanted.setdefault(event.object_type, (subject.names, []))[1].append(event.object_id)
    found: dict[tuple[str, str], str] = {}
    for object_type, (names, ids) in wanted.items():
        found.update({(object_type, object_id): name for object_id, name in names(sorted(set(ids))).items()})
    return found


def audit_rows(events: Any, viewer: Viewer) -> list[AuditRow]:
    events = list(events)
    names = object_names(events)
    return [
        AuditRow(
            event=event,
            action=action_label(event.action, event.object_type),
            object_type=object_type_label(event.object_type),
            object_label=names.get((event.object_type, event.object_id)) or event.object_label or event.object_id,
            url=object_url(event.object_type, event.object_id, viewer),
            history_url=reverse("portal:audit_object", args=[event.object_type, event.object_id]),
            detail_url=reverse("portal:audit_event", args=[event.pk]),
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
        labels = {action: str(label) for action, label in all_action_labels().items()}
        for action, object_type in visible.order_by().values_list("action", "object_type").distinct():
            labels.setdefault(action, action_label(action, object_type))
        self.fields["action"].choices = [("", gettext("All actions")), *sorted(labels.items(), key=lambda choice: choice[1])]  # type: ignore[attr-defined]
        # Every declared type and action is offered (their names leak nothing), so a filter always filters.
        types = {item.object_type for item in audit_subjects.all_subjects()} | set(CORE_OBJECT_TYPES)
        types |= set(visible.order_by().values_list("object_type", flat=True).distinct())
        choices = sorted(((object_type, object_type_label(object_type)) for object_type in types), key=lambda choice: choice[1])
        self.fields["object_type"].choices = [("", gettext("All objects")), *choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_to < date_from:
            self.add_error("date_to", gettext("The end date is before the start date."))
        return cleaned


@login_required
@require_GET
def audit_search(request: HttpRequest) -> HttpResponse:
    """The rows the reader may read, newest first, 50 a page, with filters."""
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
        "is_city_wide": reads_everything(request.user),
    }
    return render(request, "portal/audit_search.html", context)


@login_required
@require_GET
def audit_event(request: HttpRequest, event_id: int) -> HttpResponse:
    """One row in full. 404 when the reader may not see the object it describes."""
    event = audit_event_get(viewer=request.user, event_id=event_id)
    rows = audit_rows([event], request.user)
    context = {"row": rows[0], "rows": rows, "object_type": object_type_label(event.object_type)}
    return render(request, "portal/audit_event.html", context)


@login_required
@require_GET
def audit_for_object(request: HttpRequest, object_type: str, object_id: str) -> HttpResponse:
    """The history of one object, oldest first. 404 when the viewer may not see the object (or it has no row)."""
    events = list(audit_visible_events(viewer=request.user).filter(object_type=object_type, object_id=object_id).order_by("occurred_at", "id"))
    if not events:
        raise Http404
    rows = audit_rows(events, request.user)
    context = {
        "rows": rows,
        "object_label": rows[-1].object_label,
        "object_type": object_type_label(object_type),
        "object_url": object_url(object_type, object_id, request.user),
    }
    return render(request, "portal/audit_object.html", context)
