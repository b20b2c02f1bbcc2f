"""Work items (công việc được giao), their progress, comments, attachments and apology slips; the stall alerts the
daily detection raises; and the progress reports staff send to their direct superior."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from telework.core.models import Decided
from telework.core.workflow import Workflow
from telework.organization.models import Staff, Unit
from telework.policy.models import SwitchChange


class WorkStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed, awaiting the head")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted for acceptance")
    RETURNED = "returned", _("Returned for rework")
    # A context: "Accepted" alone is already a registration word (a commitment accepted), translated differently.
    ACCEPTED = "accepted", pgettext_lazy("work item", "Accepted")
    DECLINED = "declined", _("Proposal declined")
    CANCELLED = "cancelled", _("Cancelled")


# The declared state machine: action → (states it may start from, state it leads to). Services refuse any other move.
WORK_ITEM_FLOW = Workflow.declare(
    {
        "accept_proposal": ([WorkStatus.PROPOSED], WorkStatus.ASSIGNED),
        "decline_proposal": ([WorkStatus.PROPOSED], WorkStatus.DECLINED),
        "start": ([WorkStatus.ASSIGNED, WorkStatus.RETURNED], WorkStatus.IN_PROGRESS),
        "submit": ([WorkStatus.IN_PROGRESS], WorkStatus.SUBMITTED),
        "accept": ([WorkStatus.SUBMITTED], WorkStatus.ACCEPTED),
        "return": ([WorkStatus.SUBMITTED], WorkStatus.RETURNED),
        "cancel": ([WorkStatus.ASSIGNED, WorkStatus.IN_PROGRESS, WorkStatus.SUBMITTED, WorkStatus.RETURNED], WorkStatus.CANCELLED),
    },
    rule="work_item.status",
    refusal=_("This work item is “%(status)s”; it cannot be changed that way."),
)
TRANSITIONS = WORK_ITEM_FLOW.as_table()
# A progress update is recorded while the work is the staff member's to do; on an assigned or returned item it
# starts (or restarts) the work, as the "start" transition does.
PROGRESS_STATES = frozenset({WorkStatus.ASSIGNED, WorkStatus.IN_PROGRESS, WorkStatus.RETURNED})
PROGRESS_FLOW = Workflow.declare(
    {"progress": (PROGRESS_STATES, WorkStatus.IN_PROGRESS)},
    rule="work_item.status",
    refusal=_("This work item is “%(status)s”; progress can no longer be reported on it."),
)
# Work still to be finished: what stall detection watches and what the board counts as open.
OPEN_STATES = frozenset({WorkStatus.ASSIGNED, WorkStatus.IN_PROGRESS, WorkStatus.SUBMITTED, WorkStatus.RETURNED})
# Work that counts as planned effort in the workload (a proposal is not planned until accepted; declined and
# cancelled work never was).
PLANNED_STATES = OPEN_STATES | {WorkStatus.ACCEPTED}


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class WorkCategory(models.TextChoices):
    """What kind of work an item is. "general" is never paused; the others are the categories a distancing switch may
    pause (``policy.parameters.PAUSABLE_WORK_CATEGORIES``: Directive 16/CT-TTg, Hanoi 2020; HCMC 2021)."""

    GENERAL = "general", pgettext_lazy("work category", "General work")
    INSPECTION = "inspection", pgettext_lazy("work category", "Inspection (not urgent)")
    CITIZEN_RECEPTION = "citizen_reception", pgettext_lazy("work category", "In-person citizen reception")
    GATHERING = "gathering", pgettext_lazy("work category", "Conference or in-person training")
    FIELD_VISIT = "field_visit", pgettext_lazy("work category", "Field visit")


class WorkItem(Decided):
    """One piece of work for one staff member, with its effort, dates and, for an administrative dossier, the
    legal deadline (thời hạn giải quyết) counted in working days from the day the dossier was received. The decision
    stamp (``Decided``) keeps the head's last reason: why the work was returned, the proposal declined or the item
    cancelled."""

    staff = models.ForeignKey(Staff, verbose_name=_("assigned to"), on_delete=models.PROTECT, related_name="work_items")
    # The unit the work belongs to, fixed at creation (boards and reports read it without joining staff).
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="work_items")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    estimated_hours = models.DecimalField(_("estimated effort (hours)"), max_digits=6, decimal_places=1)
    starts_on = models.DateField(_("start date"))
    due_on = models.DateField(_("deadline"))
    priority = models.CharField(_("priority"), max_length=16, choices=Priority.choices, default=Priority.NORMAL)
    category = models.CharField(pgettext_lazy("work item", "category"), max_length=24, choices=WorkCategory.choices, default=WorkCategory.GENERAL)
    # The day the work was paused by a city-wide switch (its open ``WorkPause``), None when it is not paused: boards,
    # the stall detection and other apps filter on it without joining the pauses.
    paused_since = models.DateField(_("paused since"), null=True, blank=True, db_index=True)
    is_legal_deadline = models.BooleanField(_("deadline fixed by law"), default=False)
    dossier_code = models.CharField(_("dossier code"), max_length=64, blank=True)
    dossier_received_on = models.DateField(_("dossier received on"), null=True, blank=True)
    legal_deadline_working_days = models.PositiveSmallIntegerField(_("legal deadline (working days)"), null=True, blank=True)
    # The legal due date computed from the received date and the working days; ``due_on`` moves only by an apology slip.
    legal_due_on = models.DateField(_("legal due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=WorkStatus.choices, default=WorkStatus.ASSIGNED, db_index=True)
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    hours_spent = models.DecimalField(_("hours spent"), max_digits=7, decimal_places=1, default=0)
    # The day of the last progress update (or of the assignment): stall detection counts working days from it.
    last_activity_on = models.DateField(_("last activity"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    quality_rating = models.PositiveSmallIntegerField(_("quality rating"), null=True, blank=True)
    rating_comment = models.TextField(_("rating comment"), blank=True)
    accepted_at = models.DateTimeField(pgettext_lazy("work item", "accepted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["staff", "status"]), models.Index(fields=["unit", "status"])]
        constraints = [
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="work_item_dates_ordered"),
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="work_item_progress_at_most_100"),
            models.CheckConstraint(condition=Q(estimated_hours__gt=0), name="work_item_effort_positive"),
            models.CheckConstraint(condition=Q(quality_rating__isnull=True) | Q(quality_rating__gte=1, quality_rating__lte=5), name="work_item_rating_1_to_5"),
        ]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_since is not None


class WorkPause(models.Model):
    """One pause of one work item by a city-wide switch (issue 14: a distancing regime pauses categories of work),
    from the day it was paused to the day it resumed. On resume the deadline (and a start date not yet reached) moves
    by ``working_days_paused``; a legal deadline never moves (``legal_deadline_kept``): the dossier is handled online
    or an apology slip is issued. At most one open pause per item, so a retried follow-up pauses nothing twice."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="pauses")
    category = models.CharField(pgettext_lazy("work item", "category"), max_length=24, choices=WorkCategory.choices)
    switch_change = models.ForeignKey(SwitchChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    switch_kind = models.CharField(_("switch"), max_length=16, blank=True)
    paused_on = models.DateField(_("paused on"))
    resumed_on = models.DateField(_("resumed on"), null=True, blank=True)
    resume_change = models.ForeignKey(SwitchChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    working_days_paused = models.PositiveSmallIntegerField(_("working days paused"), null=True, blank=True)
    starts_on_before = models.DateField(_("start date before"))
    due_on_before = models.DateField(_("deadline before"))
    starts_on_after = models.DateField(_("start date after"), null=True, blank=True)
    due_on_after = models.DateField(_("deadline after"), null=True, blank=True)
    legal_deadline_kept = models.BooleanField(_("legal deadline not moved"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-paused_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(resumed_on__isnull=True), name="work_pause_one_open_per_item"),
            models.CheckConstraint(condition=Q(resumed_on__isnull=True) | Q(resumed_on__gte=models.F("paused_on")), name="work_pause_dates_ordered"),
        ]
        verbose_name = _("work pause")
        verbose_name_plural = _("work pauses")

    def __str__(self) -> str:
        return f"{self.item_id} {self.paused_on}–{self.resumed_on or ''}"

    @property
    def is_open(self) -> bool:
        return self.resumed_on is None


class ProgressUpdate(models.Model):
    """What the staff member reports: how far the work is, the hours spent on a given day, a note."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    work_date = models.DateField(_("day worked"))
    progress_percent = models.PositiveSmallIntegerField(_("progress (%)"))
    hours_spent = models.DecimalField(_("hours spent"), max_digits=4, decimal_places=1, default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["item", "work_date"])]
        constraints = [
            models.CheckConstraint(condition=Q(progress_percent__lte=100), name="progress_update_at_most_100"),
            models.CheckConstraint(condition=Q(hours_spent__gte=0, hours_spent__lte=24), name="progress_update_hours_in_a_day"),
        ]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self) -> str:
        return f"{self.item_id}: {self.progress_percent} %"


class AttachmentKind(models.TextChoices):
    """The file types accepted, recognised from the content (see ``uploads.sniff``), never from the name alone."""

    PDF = "pdf", "PDF"
    DOCX = "docx", "Word (.docx)"
    XLSX = "xlsx", "Excel (.xlsx)"
    PNG = "png", "PNG"
    JPEG = "jpg", "JPEG"


class Attachment(models.Model):
    """A file attached to a work item (a draft, a result, a scan). Kept in the database: every application server
    reads it without a shared disk, and it is only ever served after the viewer's scope is checked."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="attachments")
    progress_update = models.ForeignKey(ProgressUpdate, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    filename = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=8, choices=AttachmentKind.choices)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class Comment(models.Model):
    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    body = models.TextField(_("comment"))

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self) -> str:
        return self.body[:60]


class ApologySlip(models.Model):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả: issued before a dossier's deadline when it will be late, with the
    reason and the new date (Decree 118/2025/NĐ-CP, carrying over Decree 61/2018/NĐ-CP art. 19; Form 04 of Circular
    01/2018/TT-VPCP). ``sequence`` numbers the slips of one item; the service allows ``max_reschedules`` of them."""

    item = models.ForeignKey(WorkItem, on_delete=models.PROTECT, related_name="apology_slips")
    sequence = models.PositiveSmallIntegerField(default=1)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason for the delay"))
    previous_due_date = models.DateField(_("previous due date"))
    new_due_date = models.DateField(_("new date for the result"))

    class Meta:
        ordering = ["item", "sequence"]
        constraints = [
            # Two people issuing a slip at once for the same item: one wins, the other is refused.
            models.UniqueConstraint(fields=["item", "sequence"], name="apology_slip_sequence_unique"),
            models.CheckConstraint(condition=Q(new_due_date__gt=models.F("previous_due_date")), name="apology_slip_moves_the_date_later"),
        ]
        verbose_name = _("apology slip")
        verbose_name_plural = _("apology slips")

    def __str__(self) -> str:
        return f"{self.item_id} #{self.sequence}"


class AlertKind(models.TextChoices):
    NO_UPDATE = "no_update", _("No progress update")
    BEHIND_SCHEDULE = "behind_schedule", _("Behind schedule, deadline at risk")
    OVERDUE = "overdue", _("Past its deadline")
    LEGAL_AT_RISK = "legal_at_risk", _("Legal deadline at risk")
    LEGAL_OVERDUE = "legal_overdue", _("Legal deadline passed")
    # Raised by a pause (not by the daily detection): the work is paused but its legal deadline does not move.
    LEGAL_PAUSED = "legal_paused", _("Legal deadline falls in a paused period")


class AlertSeverity(models.TextChoices):
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Serious")


class Alert(models.Model):
    """One finding of the daily stall detection on one item. The unique key (item, kind, day) makes a second run on
    the same day find the row and send nothing; ``resolved_at`` is set when the finding no longer holds."""

    item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="alerts")
    kind = models.CharField(_("kind"), max_length=24, choices=AlertKind.choices)
    severity = models.CharField(_("severity"), max_length=8, choices=AlertSeverity.choices)
    day = models.DateField(_("day"))
    rule = models.CharField(_("rule"), max_length=64)
    params = models.JSONField(default=dict, blank=True)
    is_escalated = models.BooleanField(_("escalated to the agency head"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "item_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["item", "kind", "day"], name="alert_once_per_item_kind_day")]
        indexes = [models.Index(fields=["resolved_at", "day"])]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self) -> str:
        return f"{self.item_id} {self.kind} {self.day}"


class ReportPeriod(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting review")
    REVIEWED = "reviewed", _("Reviewed")


# A report is reviewed once; until then the person may replace it (``progress_report_submit``).
REPORT_FLOW = Workflow.declare(
    {"review": ([ReportStatus.SUBMITTED], ReportStatus.REVIEWED)},
    rule="progress_report.status",
    refusal=_("This report was already reviewed."),
)


class ProgressReport(models.Model):
    """A daily or weekly report to the direct superior: the person's work items in the period (assembled by the
    service and frozen in ``lines``), the hours, and their own note; the head reviews and comments."""

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="progress_reports")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="progress_reports")
    period = models.CharField(_("period"), max_length=8, choices=ReportPeriod.choices)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    note = models.TextField(_("note"), blank=True)
    lines = models.JSONField(default=list, blank=True)
    hours_total = models.DecimalField(_("hours reported"), max_digits=6, decimal_places=1, default=0)
    items_completed = models.PositiveSmallIntegerField(_("items completed"), default=0)
    status = models.CharField(_("status"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.SUBMITTED)
    submitted_at = models.DateTimeField(_("submitted at"))
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)

    class Meta:
        ordering = ["-period_start", "staff__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "period", "period_start"], name="one_report_per_person_and_period"),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="report_period_ordered"),
        ]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")

    def __str__(self) -> str:
        return f"{self.staff.full_name}: {self.period_start:%d/%m/%Y}–{self.period_end:%d/%m/%Y}"
