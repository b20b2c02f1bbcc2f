"""Attendance as stored: one check-in per person and day (with its check-out and reachable status), and the missed
check-ins that were alerted.

Privacy by design: a check-in holds the time, the mode the person chose and their own note. No location, no IP
address, no device identifier is stored (MISSION: "presence checks that respect privacy (no GPS trails)").

A check-in is its own record: its owner writes it once, the check-out fills ``checked_out_at`` once, so the row says
who did what and when without an audit row beside it (which would double the writes of the morning peak, MISSION
"Scale to plan for"). The one other writer is a head's correction (a wrong time, a forgotten check-out, a forgotten
check-in): it changes the row and keeps what the row said before in a ``CheckInCorrection``, with who, when and why,
beside an audit row. The correction lives in its own table so that the check-in's INSERT at the peak stays as it is.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.conf import settings
from django.db import connections, models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from telework.attendance import rules
from telework.core import numbers
from telework.core.db import hot_cursor
from telework.organization.models import Staff, Unit


class WorkMode(models.TextChoices):
    OFFICE = rules.OFFICE, _("At the office")
    HOME = rules.HOME, _("At home")


class Reachability(models.TextChoices):
    """What a person working at home tells their head (MISSION item 6: staff at home stay reachable by phone)."""

    REACHABLE = "reachable", _("Reachable")
    IN_MEETING = "in_meeting", _("In a meeting")
    AWAY = "away", _("Briefly away")


class Finding(models.TextChoices):
    """A check-in compared with the published roster (``rules.compare``)."""

    MATCHES = rules.MATCHES, _("As in the roster")
    HOME_WHILE_ROSTERED_ON_SITE = rules.HOME_WHILE_ROSTERED_ON_SITE, _("At home, but the roster says at the office")
    OFFICE_WHILE_ROSTERED_AT_HOME = rules.OFFICE_WHILE_ROSTERED_AT_HOME, _("At the office, but the roster says at home")
    CHECKED_IN_ON_LEAVE = rules.CHECKED_IN_ON_LEAVE, _("Checked in while on leave")
    NO_PUBLISHED_ROSTER = rules.NO_PUBLISHED_ROSTER, _("No published roster for this day")
    NOT_A_WORKING_DAY = rules.NOT_A_WORKING_DAY, _("Not a working day")


class CheckInManager(models.Manager["CheckIn"]):
    def insert(self, check_in: CheckIn) -> CheckIn:
        """INSERT one new check-in, as ``check_in.save(force_insert=True)`` would, with the statement prepared once.

        The unique index still guards it (a second check-in of the day raises ``IntegrityError``). Building the INSERT
        through the query compiler at every call is a good part of the CPU a check-in costs the server at the
        morning peak (measured by ``bench/checkin.py``). No model signal is sent; none is connected to check-ins.
        """
        connection = connections[self.db]
        sql, fields = _insert_statement(connection.alias)
        values = [field.get_db_prep_save(field.pre_save(check_in, add=True), connection) for field in fields]
        with hot_cursor(self.db) as cursor:
            cursor.execute(sql, values)
            row = cursor.fetchone()
        check_in.pk = row[0] if row else None
        check_in._state.adding = False
        check_in._state.db = connection.alias
        return check_in


@cache
def _insert_statement(alias: str) -> tuple[str, list[Any]]:
    connection = connections[alias]
    fields = [field for field in CheckIn._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    table, key = quote(CheckIn._meta.db_table), quote(str(CheckIn._meta.pk.column if CheckIn._meta.pk else "id"))
    return f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) RETURNING {key}", fields  # noqa: S608 - names from the model


class CheckIn(models.Model):
    """A person's working day: where they said they work, when they started and stopped, and (at home) whether
    they can be reached now.

    ``rostered`` and ``finding`` keep what the published roster said at check-in time (the board recomputes the
    finding from the roster in force, which the head may have changed since).
    """

    # No single-column indexes on the two keys: the unique (staff, day) and the (unit, day) indexes lead with them and
    # serve every lookup by person or unit; two more indexes would be two more writes per check-in at the peak.
    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="check_ins", db_index=False)
    # The unit at check-in time: the live board and the timesheet read a unit's day or month through (unit, day).
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="check_ins", db_index=False)
    day = models.DateField(_("day"))
    mode = models.CharField(_("mode"), max_length=8, choices=WorkMode.choices)
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    check_out_note = models.CharField(_("note at check-out"), max_length=300, blank=True)
    rostered = models.CharField(_("status in the roster"), max_length=8, blank=True)
    finding = models.CharField(_("compared with the roster"), max_length=32, choices=Finding.choices, default=Finding.MATCHES)
    is_mismatch = models.BooleanField(_("not as in the roster"), default=False)
    reachability = models.CharField(_("reachable status"), max_length=16, choices=Reachability.choices, blank=True)
    reachability_at = models.DateTimeField(_("reachable status set at"), null=True, blank=True)

    objects = CheckInManager()

    class Meta:
        ordering = ["-day", "staff_id"]
        constraints = [
            # The morning peak's guard: a second check-in of the same day fails on this index, whatever the race.
            models.UniqueConstraint(fields=["staff", "day"], name="one_check_in_per_person_per_day"),
            models.CheckConstraint(
                condition=Q(checked_out_at__isnull=True) | Q(checked_out_at__gte=models.F("checked_in_at")), name="check_out_after_check_in"
            ),
            models.CheckConstraint(condition=Q(mode__in=rules.MODES), name="check_in_mode_known"),
        ]
        indexes = [models.Index(fields=["unit", "day"])]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.staff_id} {self.day} {self.mode}"

    @property
    def minutes_worked(self) -> int | None:
        return rules.minutes_worked(self.checked_in_at, self.checked_out_at)

    @property
    def hours_text(self) -> str:
        """Hours worked with the reader's decimal separator: "7,5" in Vietnamese, "7.5" in English."""
        return rules.hours_text(self.minutes_worked, numbers.decimal_separator())

    @property
    def is_open(self) -> bool:
        return self.checked_out_at is None


class MissedCheckIn(models.Model):
    """A working day on which the roster expected a person who had not checked in by the cut-off. One row per
    person and day, so detection runs as often as it likes and alerts once."""

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="missed_check_ins")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="missed_check_ins")
    day = models.DateField(_("day"))
    rostered = models.CharField(_("status in the roster"), max_length=8)
    cutoff = models.TimeField(_("cut-off"))
    detected_at = models.DateTimeField(_("detected at"))
    # Set once the person and their head were alerted; a retried alert task skips the rows it already sent.
    notified_at = models.DateTimeField(_("alerted at"), null=True, blank=True)
    # Set when a head recorded the day's check-in afterwards (the person forgot to check in): the alert stays on
    # record, answered by that correction.
    cleared_by = models.ForeignKey(
        "CheckInCorrection", verbose_name=_("cleared by the correction"), null=True, blank=True, on_delete=models.PROTECT, related_name="cleared_missed"
    )

    class Meta:
        ordering = ["-day", "staff_id"]
        constraints = [models.UniqueConstraint(fields=["staff", "day"], name="one_missed_check_in_per_person_per_day")]
        indexes = [models.Index(fields=["unit", "day"]), models.Index(fields=["day", "notified_at"])]
        verbose_name = _("missed check-in")
        verbose_name_plural = _("missed check-ins")

    def __str__(self) -> str:
        return f"{self.staff_id} {self.day}"


class CheckInCorrection(models.Model):
    """A head's correction of one person's working day: what the check-in said before (nothing, when the person forgot
    to check in and the head recorded the day), what it says now, who corrected it, when and why. Rows are never
    changed; the newest one of a check-in is what the person, the board, the timesheet and its export show
    ("corrected by X: reason")."""

    check_in = models.ForeignKey(CheckIn, verbose_name=_("check-in"), on_delete=models.PROTECT, related_name="corrections")
    created_check_in = models.BooleanField(_("check-in recorded by the head"), default=False)
    mode_before = models.CharField(_("mode before"), max_length=8, choices=WorkMode.choices, blank=True)
    checked_in_at_before = models.DateTimeField(_("checked in at, before"), null=True, blank=True)
    checked_out_at_before = models.DateTimeField(_("checked out at, before"), null=True, blank=True)
    mode = models.CharField(_("mode"), max_length=8, choices=WorkMode.choices)
    checked_in_at = models.DateTimeField(_("checked in at"))
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("corrected by"), null=True, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(_("corrected at"))

    class Meta:
        ordering = ["-corrected_at", "-id"]
        indexes = [models.Index(fields=["check_in", "corrected_at"])]
        verbose_name = _("check-in correction")
        verbose_name_plural = _("check-in corrections")

    def __str__(self) -> str:
        return f"{self.check_in_id} {self.corrected_at:%Y-%m-%d %H:%M}"

    @property
    def corrected_by_name(self) -> str:
        """The head's name as staff know it (their staff record's), else the account's."""
        user = self.corrected_by
        if user is None:
            return ""
        staff = getattr(user, "staff", None)
        return getattr(staff, "full_name", "") or user.get_full_name() or user.get_username()
