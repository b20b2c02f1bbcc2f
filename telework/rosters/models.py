"""Rosters as stored: one version per unit and ISO week, each person's status per working day, and the facts the
solver respects besides registrations (approved leave, unit events) and the swaps colleagues ask for.

The rules live in the pure engine (``instance``, ``solver``, ``checker``, ``explain``); these tables only keep what
it was given and what it decided. History is the audit trail (one row per generate, edit, publish, swap), plus the
older versions themselves, which are never edited once a newer one exists.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telework.core import calendar
from telework.core.models import Decided
from telework.core.workflow import Workflow
from telework.organization.models import Agency, ServicePoint, Staff, Unit


class RosterStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


# The declared state machine: action → (states it may start from, state it leads to).
ROSTER_WORKFLOW = Workflow.declare(
    {"publish": ({RosterStatus.DRAFT}, RosterStatus.PUBLISHED)},
    rule="roster.status",
    refusal=_("This roster is already published."),
)
ROSTER_TRANSITIONS = ROSTER_WORKFLOW.as_table()


class RosterRun(models.Model):
    """One generation of many rosters at once (a week, city-wide or for one agency): its progress while it runs and
    its summary when done. The screens poll it; ``roster_solve`` prints it."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    week_start = models.DateField(_("week starting"))
    iso_week = models.CharField(_("ISO week"), max_length=8)
    agency = models.ForeignKey(Agency, verbose_name=_("agency"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.RUNNING)
    units_total = models.PositiveIntegerField(_("units"), default=0)
    units_done = models.PositiveIntegerField(_("units done"), default=0)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # Fanned out to Celery workers: when a unit was last stored (or the run queued or re-queued), and how many times the
    # sweep queued its missing units again after it stalled (``services.runs.roster_runs_requeue_stalled``).
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)
    requeued = models.PositiveIntegerField(_("times queued again"), default=0)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("roster generation")
        verbose_name_plural = _("roster generations")

    def __str__(self) -> str:
        return f"{self.iso_week} {self.agency or _('city-wide')} ({self.get_status_display()})"

    @property
    def progress_share(self) -> float:
        return self.units_done / self.units_total if self.units_total else 0.0


class RosterRunUnit(models.Model):
    """One unit of a run fanned out to Celery workers: pending until a worker stores its roster (``done_at`` set,
    ``roster`` the version stored, or none when the unit had nobody to roster).

    The ledger is what makes a run survive lost and repeated messages: a chunk delivered twice, or queued again by the
    sweep, stores only the units still pending, under the run's row lock; the run's progress is counted from these
    rows, never from increments a killed worker may have half made; the sweep queues again exactly the pending ones."""

    run = models.ForeignKey(RosterRun, on_delete=models.CASCADE, related_name="units")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    roster = models.ForeignKey("Roster", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "unit"], name="one_ledger_row_per_run_unit")]
        indexes = [models.Index(fields=["run", "done_at"])]
        verbose_name = _("unit of a roster generation")
        verbose_name_plural = _("units of a roster generation")

    def __str__(self) -> str:
        return f"{self.run_id}/{self.unit_id}"


class Roster(models.Model):
    """One version of a unit's roster for one ISO week.

    ``is_current`` marks the newest version of the unit-week (exactly one, by a partial unique constraint): the one a
    head edits and publishes. Staff see the newest *published* version, which is the current one unless the head
    is working on a newer draft.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="rosters")
    week_start = models.DateField(_("week starting"))  # the Monday of the ISO week
    iso_week = models.CharField(_("ISO week"), max_length=8, db_index=True)  # "2026-W49"
    version = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=16, choices=RosterStatus.choices, default=RosterStatus.DRAFT)
    is_current = models.BooleanField(_("current version"), default=True)
    # The working days of the week (ISO dates): public holidays are not in it.
    days = models.JSONField(_("working days"), default=list)
    # The rule set the roster was solved against (RosterPolicy numbers, plus where each came from).
    policy = models.JSONField(_("policy"), default=dict, blank=True)
    # What the solver proves: status, objective, bound, gap, seed, solver version, parameters, timings, the hard-rule
    # slack by rule, the rules it broke ("breaches", each flagged relaxable or not).
    certificate = models.JSONField(_("certificate"), default=dict, blank=True)
    # Why rules could not all be met, in words: {"unavoidable": [...], "conflicts": [...], "relaxed": [...]}, each
    # message {"code", "rule", "params", "vi", "en"}.
    explanation = models.JSONField(_("explanation"), default=dict, blank=True)
    input_hash = models.CharField(_("input hash"), max_length=64, blank=True)
    output_hash = models.CharField(_("output hash"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    run = models.ForeignKey(RosterRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="rosters")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["unit_id", "-week_start", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "week_start", "version"], name="roster_version_unique"),
            models.UniqueConstraint(fields=["unit", "week_start"], condition=Q(is_current=True), name="one_current_roster_per_unit_week"),
            # A run stores one roster per unit, whichever worker (or redelivery of the same chunk) gets there first.
            models.UniqueConstraint(fields=["run", "unit"], condition=Q(run__isnull=False), name="one_roster_per_unit_per_run"),
        ]
        indexes = [models.Index(fields=["week_start", "is_current"]), models.Index(fields=["unit", "week_start", "status"])]
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")

    def __str__(self) -> str:
        return f"{self.unit.name} {self.iso_week} v{self.version}"

    @property
    def is_draft(self) -> bool:
        return self.status == RosterStatus.DRAFT

    @property
    def is_published(self) -> bool:
        return self.status == RosterStatus.PUBLISHED


class EntryStatus(models.TextChoices):
    OFFICE = "office", _("At the office")
    HOME = "home", _("At home")
    LEAVE = "leave", _("On leave")
    # On site, staffing the one-stop desk or duty post named by ``service_point``.
    DESK = "desk", _("On desk duty")


class RosterEntry(models.Model):
    """One person's status on one working day of a roster version."""

    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="entries")
    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="roster_entries")
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=16, choices=EntryStatus.choices)
    service_point = models.ForeignKey(ServicePoint, verbose_name=_("desk or duty post"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    # Set when the head changed the cell by hand (or a swap changed it) after generation.
    is_manual = models.BooleanField(_("changed by hand"), default=False)

    class Meta:
        ordering = ["roster_id", "staff_id", "day"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "staff", "day"], name="roster_entry_unique"),
            models.CheckConstraint(
                condition=Q(status="desk", service_point__isnull=False) | (~Q(status="desk") & Q(service_point__isnull=True)), name="desk_entry_names_point"
            ),
        ]
        indexes = [models.Index(fields=["staff", "day"])]
        verbose_name = _("roster entry")
        verbose_name_plural = _("roster entries")

    def __str__(self) -> str:
        return f"{self.staff_id} {self.day} {self.status}"

    @property
    def engine_status(self) -> str:
        """The status as the pure engine writes it ("office", "home", "leave", "desk:<point id>")."""
        if self.status == EntryStatus.DESK:
            return f"desk:{self.service_point_id}"
        return self.status


class LeaveKind(models.TextChoices):
    ANNUAL = "annual", _("Annual leave")
    SICK = "sick", _("Sick leave")
    MATERNITY = "maternity", _("Maternity leave")
    BUSINESS_TRIP = "business_trip", _("Business trip")
    OTHER = "other", _("Other leave")


class Leave(models.Model):
    """Approved leave (or a business trip): the person is neither at the office nor at home on those working days.
    A head or HR records it (recording it is the approval), or it is recorded when a head approves the person's
    ``LeaveRequest``; a cancelled leave keeps its row (``cancelled_at``) for the record."""

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="leaves")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    kind = models.CharField(_("kind"), max_length=16, choices=LeaveKind.choices, default=LeaveKind.ANNUAL)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="leave_dates_ordered")]
        indexes = [models.Index(fields=["staff", "starts_on", "ends_on"])]
        verbose_name = _("leave")
        verbose_name_plural = _("leave")

    def __str__(self) -> str:
        return f"{self.staff.full_name}: {self.get_kind_display()} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class LeaveRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the head")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# action → (states it may start from, state it leads to)
LEAVE_REQUEST_WORKFLOW = Workflow.declare(
    {
        "approve": ({LeaveRequestStatus.REQUESTED}, LeaveRequestStatus.APPROVED),
        "reject": ({LeaveRequestStatus.REQUESTED}, LeaveRequestStatus.REJECTED),
        "withdraw": ({LeaveRequestStatus.REQUESTED}, LeaveRequestStatus.WITHDRAWN),
    },
    rule="leave_request.status",
    refusal=_("This leave request is “%(status)s”; it cannot be changed that way."),
)


class LeaveRequest(Decided):
    """A staff member asks for leave (or a business trip); their head approves or rejects it. Approval records the
    ``Leave`` exactly as a head recording it would (the rosters follow), so the rest of the product reads only
    ``Leave``: a request waiting or rejected never counts as leave anywhere."""

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="leave_requests")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    kind = models.CharField(_("kind"), max_length=16, choices=LeaveKind.choices, default=LeaveKind.ANNUAL)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=LeaveRequestStatus.choices, default=LeaveRequestStatus.REQUESTED, db_index=True)
    # The leave the approval recorded.
    leave = models.OneToOneField(Leave, verbose_name=_("leave"), null=True, blank=True, on_delete=models.PROTECT, related_name="request")
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    # decided_by, decided_at, decision_comment: ``Decided`` (the head's decision, or the person withdrawing).

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="leave_request_dates_ordered")]
        indexes = [models.Index(fields=["staff", "starts_on", "ends_on"])]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")

    def __str__(self) -> str:
        return f"{self.staff.full_name}: {self.get_kind_display()} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"

    @property
    def working_days(self) -> int:
        """Working days the leave covers (weekends and public holidays do not count: ``telework.core.calendar``)."""
        return len(calendar.working_days(self.starts_on, self.ends_on))


class UnitEventKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    TRAINING = "training", _("Training")
    TEAM_DAY = "team_day", _("Team day")


class UnitEvent(models.Model):
    """A meeting, training or team day: everyone in the unit, or the listed staff, are on site that day (a fixed
    on-site day the solver keeps; only the head may relax it)."""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="events")
    day = models.DateField(_("day"))
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitEventKind.choices, default=UnitEventKind.MEETING)
    is_for_everyone = models.BooleanField(_("everyone on site"), default=True)
    attendees = models.ManyToManyField(Staff, verbose_name=_("staff on site"), blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["day", "id"]
        indexes = [models.Index(fields=["unit", "day"])]
        verbose_name = _("unit event")
        verbose_name_plural = _("unit events")

    def __str__(self) -> str:
        return f"{self.title} ({self.day:%d/%m/%Y})"


class SwapStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the colleague")
    ACCEPTED = "accepted", _("Accepted by the colleague, waiting for the head")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# action → (states it may start from, state it leads to)
SWAP_WORKFLOW = Workflow.declare(
    {
        "accept": ({SwapStatus.REQUESTED}, SwapStatus.ACCEPTED),
        "approve": ({SwapStatus.ACCEPTED}, SwapStatus.APPROVED),
        "reject": ({SwapStatus.REQUESTED, SwapStatus.ACCEPTED}, SwapStatus.REJECTED),
        "withdraw": ({SwapStatus.REQUESTED, SwapStatus.ACCEPTED}, SwapStatus.WITHDRAWN),
    },
    rule="swap.status",
    refusal=_("This swap is “%(status)s”; it cannot be changed that way."),
)
SWAP_TRANSITIONS = SWAP_WORKFLOW.as_table()


class SwapRequest(Decided):
    """Two colleagues exchange their statuses: on ``requester_day`` and on ``counterpart_day`` (the same day or two
    days of the same week), each takes the other's status. Typically one gives a home day for an office day. The
    colleague accepts, then the head approves; the roster is re-validated against the hard rules at approval."""

    roster = models.ForeignKey(Roster, on_delete=models.PROTECT, related_name="swaps")
    requester = models.ForeignKey(Staff, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    counterpart = models.ForeignKey(Staff, verbose_name=_("colleague"), on_delete=models.PROTECT, related_name="+")
    requester_day = models.DateField(_("day of the requester"))
    counterpart_day = models.DateField(_("day of the colleague"))
    status = models.CharField(_("status"), max_length=16, choices=SwapStatus.choices, default=SwapStatus.REQUESTED, db_index=True)
    reason = models.TextField(_("reason"), blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    # decided_by, decided_at, decision_comment: ``Decided`` (the head's decision, or the colleague declining).
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("swap request")
        verbose_name_plural = _("swap requests")

    def __str__(self) -> str:
        return f"{self.requester.full_name} ⇄ {self.counterpart.full_name} ({self.requester_day:%d/%m}, {self.counterpart_day:%d/%m})"
