"""The organisation: city → agencies → units (a tree) → job positions → staff; one-stop desks and duty posts."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Specialised department")
    WARD_COMMITTEE = "ward_committee", _("Ward/commune People's Committee")
    PUBLIC_SERVICE_UNIT = "public_service_unit", _("Public service unit")


class Agency(models.Model):
    """A sở/ban/ngành, a ward or commune People's Committee, or a public service unit."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=AgencyKind.choices)
    # Official administrative-unit code of the ward/commune (after 1 July 2025), when the agency is one.
    administrative_code = models.CharField(_("administrative unit code"), max_length=16, blank=True)
    # Date of birth and sex are personal data (Decree 13/2023/ND-CP): kept only when the agency turns this on.
    keeps_personal_data = models.BooleanField(_("keeps date of birth and sex"), default=False)
    # The staff-list columns this agency's HR office uses, remembered from its last import: {header: field}.
    import_mapping = models.JSONField(_("import column mapping"), default=dict, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A phòng/ban inside an agency. Units form a tree; ``path`` ("/3/17/") makes subtree queries one LIKE."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="units")
    parent = models.ForeignKey("self", verbose_name=_("parent unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    # Seats usable in the unit's office room(s) — under distancing, the seats two metres apart. Caps how many of the
    # unit may be on site on a day, whatever the regime; None = not limited.
    office_seats = models.PositiveSmallIntegerField(
        _("usable office seats"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(1000)],
        help_text=_("Seats usable in the unit's office rooms (under distancing: two metres apart). Leave empty for no limit."),
    )

    class Meta:
        ordering = ["agency__code", "path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            Unit.objects.filter(pk=self.pk).update(path=path)


class Position(models.Model):
    """A job position (vị trí việc làm) and the flags that decide whether it may be done from home."""

    agency = models.ForeignKey(Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="positions")
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    faces_citizens = models.BooleanField(_("faces citizens or businesses"), default=False)
    handles_dossiers = models.BooleanField(_("receives or returns administrative dossiers"), default=False)
    is_one_stop_desk = models.BooleanField(_("one-stop desk"), default=False)
    is_duty_post = models.BooleanField(_("duty post"), default=False)

    class Meta:
        ordering = ["agency__code", "code"]
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="position_code_unique_per_agency")]
        verbose_name = _("job position")
        verbose_name_plural = _("job positions")

    def __str__(self) -> str:
        return self.name


class StaffType(models.TextChoices):
    CONG_CHUC = "cong_chuc", _("Civil servant (công chức)")
    VIEN_CHUC = "vien_chuc", _("Public employee (viên chức)")
    NGUOI_LAO_DONG = "nguoi_lao_dong", _("Contract worker (người lao động)")


class Equipment(models.TextChoices):
    """Working conditions a staff member may have at home (the seeds list phone, computer, printer, Internet)."""

    PHONE = "phone", _("Phone")
    COMPUTER = "computer", _("Computer")
    PRINTER = "printer", _("Printer")
    INTERNET = "internet", _("Internet")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class EndReason(models.TextChoices):
    """Why a person left the agency's staff (the pilot's attrition figures count these)."""

    RESIGNED = "resigned", _("Resigned")
    TRANSFERRED_OUT = "transferred_out", _("Transferred to another agency")
    RETIRED = "retired", _("Retired")
    DISMISSED = "dismissed", _("Dismissed")
    DECEASED = "deceased", _("Deceased")
    OTHER = "other", _("Other reason")


class Staff(models.Model):
    """A cán bộ, công chức, viên chức or người lao động."""

    code = models.CharField(_("staff code"), max_length=32, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    staff_type = models.CharField(_("staff type"), max_length=32, choices=StaffType.choices)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff")
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="staff")
    is_leader = models.BooleanField(_("leader"), default=False)
    # A deputy (phó) is also a leader; the flag tells the head of a unit from their deputies.
    is_deputy = models.BooleanField(_("deputy"), default=False)
    # The title as the HR file writes it ("Chức vụ": "Phó Trưởng phòng", "Chuyên viên"...).
    title = models.CharField(_("title"), max_length=120, blank=True)
    direct_superior = models.ForeignKey("self", verbose_name=_("direct superior"), null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("email"), blank=True)
    # Equipment on file: a list of ``Equipment`` values.
    equipment = models.JSONField(_("equipment on file"), default=list, blank=True)
    training_completed_on = models.DateField(_("telework training completed on"), null=True, blank=True)
    disciplined_until = models.DateField(_("under discipline until"), null=True, blank=True)
    # Personal data: stored only when the agency ``keeps_personal_data``.
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    started_on = models.DateField(_("joined the agency on"), null=True, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Set when the person leaves the agency's staff (``is_active`` turns false on that day).
    ended_on = models.DateField(_("left on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for leaving"), max_length=24, choices=EndReason.choices, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff")

    class Meta:
        ordering = ["code"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.code})"

    @property
    def agency_id(self) -> int:
        return self.unit.agency_id


class ServicePointKind(models.TextChoices):
    ONE_STOP_DESK = "one_stop_desk", _("One-stop desk")
    DUTY_POST = "duty_post", _("Duty post")


class ServicePoint(models.Model):
    """A one-stop desk (bộ phận một cửa) or duty post (trực) that must be staffed on site every working day.

    How many qualified staff it needs on site comes from the policy (``desk_staff_on_site`` /
    ``duty_staff_on_site``) unless ``required_on_site`` overrides it for this point. ``required_by_weekday`` (five
    entries, Monday to Friday, each a number or null for "as on other days") sets it weekday by weekday: a desk
    that needs three on Mondays and two otherwise is ``[3, null, null, null, null]`` with ``required_on_site`` 2.
    """

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="service_points")
    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=32, choices=ServicePointKind.choices)
    required_on_site = models.PositiveSmallIntegerField(_("staff required on site"), null=True, blank=True)
    required_by_weekday = models.JSONField(_("staff required on site by weekday"), default=list, blank=True)
    qualified_staff = models.ManyToManyField(Staff, verbose_name=_("qualified staff"), related_name="service_points", blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("service point")
        verbose_name_plural = _("service points")

    def __str__(self) -> str:
        return self.name

    def required_on_weekday(self, weekday: int, default: int) -> int:
        """Qualified staff needed on site on ``weekday`` (0 = Monday), ``default`` being the everyday number (this
        point's ``required_on_site`` or, when blank, the policy's)."""
        overrides = self.required_by_weekday or []
        value = overrides[weekday] if weekday < len(overrides) else None
        return int(value) if value is not None else default


class StaffEventKind(models.TextChoices):
    JOINED = "joined", _("Joined")
    TRANSFERRED = "transferred", _("Transferred to another unit")
    ENDED = "ended", _("Left the staff")
    REINSTATED = "reinstated", _("Reinstated")


class StaffEvent(models.Model):
    """A change in a person's place on the staff: joining, a transfer between units, leaving. The pilot's attrition
    and mobility figures read these rows; the audit trail keeps who recorded them."""

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=StaffEventKind.choices)
    effective_on = models.DateField(_("effective on"))
    from_unit = models.ForeignKey(Unit, verbose_name=_("from unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(Unit, verbose_name=_("to unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=24, choices=EndReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-effective_on", "-id"]
        indexes = [models.Index(fields=["kind", "effective_on"])]
        verbose_name = _("staff change")
        verbose_name_plural = _("staff changes")

    def __str__(self) -> str:
        return f"{self.staff.full_name}: {self.get_kind_display()} {self.effective_on:%d/%m/%Y}"


class Delegation(models.Model):
    """A head away from ``starts_on`` to ``ends_on`` lets a deputy act in their name: the deputy sees the head's
    inbox and decides; every decision records both (the deputy as actor, the head as the one acted for)."""

    head = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("head"), on_delete=models.PROTECT, related_name="delegations_given")
    deputy = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="delegations_received")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="delegation_dates_ordered")]
        indexes = [models.Index(fields=["deputy", "starts_on", "ends_on"])]
        verbose_name = _("delegation")
        verbose_name_plural = _("delegations")

    def __str__(self) -> str:
        return f"{self.head} → {self.deputy} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"
