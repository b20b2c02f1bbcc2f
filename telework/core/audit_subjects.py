"""What the audit trail is about, declared by the apps that own the objects.

An audit row describes one object (``AuditEvent.object_type`` and ``object_id``). Who may read the row is who may
see that object, and only the app that owns the object knows that: each app declares its objects in an
``audit_subjects`` module (found at start-up, as Django finds ``admin`` modules) with

* ``visible``: the objects a reader may see, as a queryset built from the app's own ``permissions``/selectors;
* ``actions``: every action it records on them, as a person reads it;
* ``fields``: snapshot keys that are not fields of the model (model fields read their ``verbose_name`` and their
  choices' labels);
* ``choices``: value labels of snapshot keys the model's choices do not cover; ``hidden``: keys holding internal
  ids, never shown; ``names``: the objects' names, read in one query, when the stored label reads badly;
* ``url_name``: the page of the object, when it has one.

``core`` stays the ground floor: it imports no app, the apps register here. An object type nobody declares is
read only by the roles that read everything.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class AuditSubject:
    """One kind of object the trail records (``object_type`` is the model's ``app_label.model_name``)."""

    object_type: str
    visible: Callable[[Any], QuerySet[Any]]
    actions: Mapping[str, Any] = field(default_factory=dict)
    fields: Mapping[str, Any] = field(default_factory=dict)
    # Value labels per snapshot key, where the model field's own choices do not say it (or the key is no field).
    choices: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    url_name: str = ""
    url_takes_id: bool = True  # False: ``url_name`` is a list page (the object has no page of its own)
    # Hooks for keys no table can list (a policy's parameters): a label, and a value as a person reads it, or None.
    label_of: Callable[[str], str | None] | None = None
    text_of: Callable[[str, Any], str | None] | None = None
    # Snapshot keys that hold internal ids (a comment's or a roster's row number): never shown.
    hidden: frozenset[str] = frozenset()
    # Today's name of each object, by id, for objects whose stored label reads badly: one query for a page of rows.
    names: Callable[[list[str]], dict[str, str]] | None = None


_SUBJECTS: dict[str, AuditSubject] = {}


def register(*subjects: AuditSubject) -> None:
    """Declare object types the trail records (called from each app's ``audit_subjects`` module)."""
    for subject in subjects:
        _SUBJECTS[subject.object_type] = subject


def autodiscover() -> None:
    """Import every installed app's ``audit_subjects`` module (``CoreConfig.ready``)."""
    autodiscover_modules("audit_subjects")


def subject(object_type: str) -> AuditSubject | None:
    return _SUBJECTS.get(object_type)


def all_subjects() -> list[AuditSubject]:
    return list(_SUBJECTS.values())


def action_labels() -> dict[str, Any]:
    """Every declared action code with its label."""
    labels: dict[str, Any] = {}
    for item in _SUBJECTS.values():
        labels.update(item.actions)
    return labels


def visible_filter(viewer: AbstractUser | AnonymousUser) -> Q:
    """A filter on ``AuditEvent`` for the rows about objects ``viewer`` may see: one ``IN (subquery)`` per object type,
    so the database does the scoping in the one query that lists the rows (no check per row)."""
    condition = Q(pk__in=[])
    for item in _SUBJECTS.values():
        ids = item.visible(viewer).order_by().annotate(audit_object_id=Cast("pk", output_field=CharField())).values("audit_object_id")
        condition |= Q(object_type=item.object_type, object_id__in=ids)
    return condition


def is_visible(viewer: AbstractUser | AnonymousUser, object_type: str, object_id: str) -> bool:
    """Whether ``viewer`` may see the object an audit row describes (one query)."""
    item = _SUBJECTS.get(object_type)
    if item is None or not object_id.isdigit():
        return False
    return item.visible(viewer).filter(pk=int(object_id)).exists()
