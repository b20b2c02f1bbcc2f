"""The audit trail: one append-only row per decision or policy change."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from telework.core import audit_chain, clock


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def bulk_create(self, objs: Iterable[AuditEvent], *args: Any, **kwargs: Any) -> list[AuditEvent]:
        """Append several rows, linked into the hash chain in their order (``telework.core.audit_chain``)."""
        events = list(objs)
        if not events:
            return events
        with transaction.atomic(using=self.db, savepoint=False):
            audit_chain.lock_for_append()
            now = clock.now()
            for event in events:
                event.occurred_at = now  # as auto_now_add did: the moment it is recorded, never a given one
            audit_chain.chain(events, AuditEvent.last_hash())
            return super().bulk_create(events, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        raise PermissionError("The audit trail is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only")


class AuditEvent(models.Model):
    """Who did what, when, to which object, from what to what.

    Append-only three times over: the model refuses ``save`` on an existing row and ``delete``, the queryset
    refuses bulk ``update``/``delete``, and database triggers (migration 0002) refuse UPDATE and DELETE from
    any client, including raw SQL.
    """

    # Set when the row is appended (save, bulk_create), as auto_now_add did, before the row is hashed.
    occurred_at = models.DateTimeField(_("time"), default=clock.now, editable=False, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Kept as text so the row stays readable if the account is renamed.
    actor_label = models.CharField(_("actor"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=80, db_index=True)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    object_label = models.CharField(_("object"), max_length=300, blank=True)
    # The agency the object belongs to (None for city-wide objects); scopes who may read the row.
    agency_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # The hash chain (telework.core.audit_chain): the previous row's hash, and this row's over its content and that link.
    prev_hash = models.CharField(max_length=64, blank=True, editable=False)
    row_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self) -> str:
        return f"{self.occurred_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_label}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("The audit trail is append-only")
        with transaction.atomic(using=kwargs.get("using"), savepoint=False):
            audit_chain.lock_for_append()
            self.occurred_at = clock.now()
            audit_chain.chain([self], AuditEvent.last_hash())
            super().save(*args, **kwargs)

    @staticmethod
    def last_hash() -> str:
        """The hash of the newest row (the chain's head), or the genesis value for an empty trail."""
        last = AuditEvent.objects.order_by("-id").values_list("row_hash", flat=True).first()
        return last or audit_chain.GENESIS

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The audit trail is append-only")


class NotificationCategory(models.TextChoices):
    """What a notification is about: people choose, per category, which channels bring it to them
    (``core.notifications``)."""

    APPROVALS = "approvals", _("Requests and decisions")
    ROSTERS = "rosters", _("Rosters published or changed")
    WORK_ALERTS = "work_alerts", _("Work alerts: stalled or late work, apology slips")
    COMMENTS = "comments", _("Comments on work")
    ATTENDANCE = "attendance", _("Attendance reminders")
    EMERGENCY = "emergency", _("Emergency switches")
    ACCOUNT = "account", _("Account and security")
    GENERAL = "general", _("Other messages")


class Notification(models.Model):
    """A message to one user: always in the app (this row), and by the other channels the user chose for its
    category (``core.notifications``); ``deliveries`` records which of them delivered it, and when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    category = models.CharField(_("category"), max_length=32, choices=NotificationCategory.choices, default=NotificationCategory.GENERAL)
    # {channel name: ISO time it went out}, written by the background delivery; a retried delivery skips the channels
    # already here, so nobody gets the same e-mail twice.
    deliveries = models.JSONField(_("deliveries"), default=dict, blank=True)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    # Makes delivery idempotent: a retried task finds the row and sends nothing twice.
    key = models.CharField(max_length=200)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notification_key_unique_per_user")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.title

    @property
    def emailed_at(self) -> dt.datetime | None:
        """When the e-mail copy went out, or None (not chosen, no address, or the mail server refused it)."""
        sent = self.deliveries.get("email")
        return dt.datetime.fromisoformat(sent) if sent else None


class NotificationPreferences(models.Model):
    """One person's choices: which channels bring each category of notification, and the language of the e-mails.
    Only choices that differ from the defaults need a key (``core.notifications.DEFAULT_CHANNELS``)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences")
    # {category: {channel: bool}}
    channels = models.JSONField(_("channels"), default=dict, blank=True)
    # Blank: the site's language (Vietnamese unless TELEWORK_LANGUAGE says otherwise).
    language = models.CharField(_("language of e-mails"), max_length=8, choices=[("vi", _("Vietnamese")), ("en", _("English"))], blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification preferences")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self.user)


class ScheduledRun(models.Model):
    """One run of a periodic job for one slot (``core.scheduler``): at most one row per job and slot, whatever number
    of processes run the in-process scheduler — the unique constraint is the claim. The boards read the latest."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    job = models.CharField(_("job"), max_length=80)
    slot = models.DateTimeField(_("scheduled for"))
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.RUNNING)
    # What the job reported (its task's return value): counts such as missed check-ins found, stalls alerted.
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    # Which process ran it (host:pid), for the administrator reading the table.
    runner = models.CharField(_("run by"), max_length=120, blank=True)

    class Meta:
        ordering = ["-slot", "-id"]
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="scheduled_run_once_per_slot")]
        indexes = [models.Index(fields=["job", "-started_at"])]
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")

    def __str__(self) -> str:
        return f"{self.job} {self.slot:%Y-%m-%d %H:%M} ({self.get_outcome_display()})"


class Decided(models.Model):
    """The decision stamp a stateful model carries, declared once (``core.workflow.perform`` writes it): who
    decided, when, and the comment or reason."""

    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.TextField(_("decision comment"), blank=True)

    class Meta:
        abstract = True
