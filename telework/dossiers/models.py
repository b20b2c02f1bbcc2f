"""The one-stop dossier register (hồ sơ thủ tục hành chính) and the ratings citizens and businesses give.

A dossier is recorded as the provincial one-stop system keeps it: its code, the procedure, the receiving unit and
desk, when it was received, when it is due (the legal deadline in working days, moved once by an apology letter) and
when the result was returned, who handled it, how far it was online and through which channel. It arrives by import
(the one-stop system's daily export, re-runnable: the code is the key) or through the push API, and links to the
legal-deadline work item with the same code — one record, not two.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from telework.assignments.models import WorkItem
from telework.dossiers import indicators
from telework.organization.models import Agency, ServicePoint, Staff, Unit


class OnlineLevel(models.TextChoices):
    FULLY_ONLINE = "fully_online", _("Fully online")
    PARTLY_ONLINE = "partly_online", _("Partly online")
    IN_PERSON = "in_person", _("In person")


class Channel(models.TextChoices):
    DESK = "desk", _("At the one-stop desk")
    ONLINE = "online", _("Online public-service portal")
    POST = "post", _("By post")


class DossierStatus(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("dossier", "Received")
    IN_PROGRESS = "in_progress", pgettext_lazy("dossier", "Being handled")
    RETURNED = "returned", pgettext_lazy("dossier", "Result returned")
    SUPPLEMENT = "supplement", pgettext_lazy("dossier", "Waiting for the applicant")
    WITHDRAWN = "withdrawn", pgettext_lazy("dossier", "Withdrawn")
    REFUSED = "refused", pgettext_lazy("dossier", "Refused")


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) with its legal handling time in working days."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=400)
    legal_working_days = models.PositiveSmallIntegerField(_("legal deadline (working days)"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative procedure")
        verbose_name_plural = _("administrative procedures")

    def __str__(self) -> str:
        return self.name


class DossierSource(models.TextChoices):
    IMPORT = "import", _("Imported from the one-stop system's export")
    API = "api", _("Pushed by the one-stop system")


class Dossier(models.Model):
    code = models.CharField(_("dossier code"), max_length=64, unique=True)
    procedure = models.ForeignKey(Procedure, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="dossiers")
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="dossiers")
    unit = models.ForeignKey(Unit, verbose_name=_("receiving unit"), on_delete=models.PROTECT, related_name="dossiers")
    service_point = models.ForeignKey(ServicePoint, verbose_name=_("one-stop desk"), null=True, blank=True, on_delete=models.PROTECT, related_name="dossiers")
    received_at = models.DateTimeField(_("received at"))
    # The legal due moment (received + the procedure's working days); ``due_at`` is it, or the new date an apology
    # letter set.
    legal_due_at = models.DateTimeField(_("legal due date"))
    due_at = models.DateTimeField(_("due"))
    returned_at = models.DateTimeField(_("result returned at"), null=True, blank=True)
    online_level = models.CharField(_("online level"), max_length=16, choices=OnlineLevel.choices)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=16, choices=DossierStatus.choices, db_index=True)
    handlers = models.ManyToManyField(Staff, verbose_name=_("handled by"), related_name="dossiers_handled", blank=True)
    # Who staffed the receiving desk on the day the dossier was received (from the published roster), kept so the
    # figures per desk and officer do not change when a roster is edited later.
    desk_staff = models.ManyToManyField(Staff, verbose_name=_("desk staffed by"), related_name="dossiers_at_desk", blank=True)
    work_item = models.OneToOneField(WorkItem, verbose_name=_("work item"), null=True, blank=True, on_delete=models.SET_NULL, related_name="dossier")
    source = models.CharField(_("source"), max_length=8, choices=DossierSource.choices)
    # A digest of the imported row: a re-import that brings nothing new writes nothing.
    row_digest = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_at", "code"]
        indexes = [
            models.Index(fields=["agency", "received_at"]),
            models.Index(fields=["unit", "received_at"]),
            models.Index(fields=["service_point", "received_at"]),
        ]
        constraints = [models.CheckConstraint(condition=Q(due_at__gte=models.F("received_at")), name="dossier_due_after_received")]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")

    def __str__(self) -> str:
        return self.code


class ApologyLetter(models.Model):
    """The letter of apology and new date (Form 04, renamed by Circular 03/2025/TT-VPCP) for a dossier about to be
    late. The legacy rule (Decree 61/2018 Art. 19 cl. 9) allows the new date to be set once."""

    dossier = models.ForeignKey(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="apologies")
    issued_at = models.DateTimeField(_("issued at"))
    new_due_at = models.DateTimeField(_("new due date"))
    reason = models.CharField(_("reason"), max_length=500, blank=True)

    class Meta:
        ordering = ["issued_at"]
        constraints = [models.UniqueConstraint(fields=["dossier", "issued_at"], name="apology_once_per_moment")]
        verbose_name = _("apology letter")
        verbose_name_plural = _("apology letters")

    def __str__(self) -> str:
        return f"{self.dossier.code} {self.new_due_at:%d/%m/%Y}"


class RatingSource(models.TextChoices):
    PORTAL = "portal", _("Public-service portal")
    QR = "qr", _("QR code at the desk or on the slip")


class Rating(models.Model):
    """A citizen's or business's evaluation of one dossier: the satisfaction level and the nine indicators (0–2,
    blank when skipped), with an optional comment screened for personal data before it is stored. Nothing about
    the person is kept: no name, no address, no IP."""

    dossier = models.OneToOneField(Dossier, verbose_name=_("dossier"), on_delete=models.CASCADE, related_name="rating")
    source = models.CharField(_("source"), max_length=8, choices=RatingSource.choices)
    level = models.CharField(_("satisfaction"), max_length=16, choices=[(level, label) for level, label in indicators.LEVEL_LABELS.items()])
    scores = models.JSONField(_("indicator scores"), default=list)
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["submitted_at"])]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")

    def __str__(self) -> str:
        return f"{self.dossier.code}: {self.get_level_display()}"


class DeskCard(models.Model):
    """The card on a one-stop desk whose QR code opens the public rating page. The token in the link identifies the
    desk; a rating still needs the dossier's slip code. Reprinting issues a new token and retires the old one."""

    service_point = models.ForeignKey(ServicePoint, verbose_name=_("one-stop desk"), on_delete=models.CASCADE, related_name="cards")
    token = models.CharField(max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("desk card")
        verbose_name_plural = _("desk cards")

    def __str__(self) -> str:
        return str(self.service_point)


class RatingAttempt(models.Model):
    """One try at the public rating page, kept a day to throttle bursts from one address. The address is stored only
    as a keyed digest that changes every day, so it cannot be turned back into the address or followed across days."""

    address_digest = models.CharField(max_length=64)
    at = models.DateTimeField()
    succeeded = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["address_digest", "at"])]


class ImportKind(models.TextChoices):
    DOSSIERS = "dossiers", _("One-stop dossiers")
    RATINGS = "ratings", _("Portal ratings")


class DossierImport(models.Model):
    """One run of the one-stop export's (or the portal rating export's) import into the register, with its counts:
    what the audit row points at and what the history of imports lists."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="dossier_imports")
    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("file fingerprint (SHA-256)"), max_length=64)
    counts = models.JSONField(_("counts"), default=dict)
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("dossier import")
        verbose_name_plural = _("dossier imports")

    def __str__(self) -> str:
        return self.file_name
