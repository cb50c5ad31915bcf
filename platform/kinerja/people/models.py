"""Organisation and people of one region: units (OPD and sub-units as a tree), positions, employees."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    OPD = "opd", _("Regional agency (OPD)")
    SUB_UNIT = "sub_unit", _("Sub-unit")


class UnitType(models.TextChoices):
    SECRETARIAT = "sekretariat", _("Secretariat")
    DINAS = "dinas", _("Agency (dinas)")
    BADAN = "badan", _("Board (badan)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    INSPECTORATE = "inspektorat", _("Inspectorate")
    HEALTH_CENTRE = "puskesmas", _("Health centre (puskesmas)")
    SCHOOL = "sekolah", _("School")
    OTHER = "lainnya", _("Other")


class Unit(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=UnitKind.choices, default=UnitKind.OPD)
    unit_type = models.CharField(_("unit type"), max_length=20, choices=UnitType.choices, default=UnitType.OTHER)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent unit")
    )
    # Materialised path of ids ("/3/17/"), kept by the services, so a whole subtree is one indexed query.
    path = models.CharField(max_length=255, db_index=True, editable=False, default="/")

    class Meta:
        ordering = ["path", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self):
        return self.name

    @property
    def depth(self) -> int:
        return self.path.strip("/").count("/")


class PositionKind(models.TextChoices):
    STRUCTURAL = "struktural", _("Structural (leadership)")
    FUNCTIONAL = "fungsional", _("Functional")
    EXECUTIVE = "pelaksana", _("Executive (pelaksana)")


class Position(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("position kind"), max_length=12, choices=PositionKind.choices)
    position_class = models.PositiveSmallIntegerField(
        _("position class (kelas jabatan)"), validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    # BUP: the age limit of the position (58, 60 or 65); empty takes the default of kinerja.people.departures
    retirement_age = models.PositiveSmallIntegerField(
        _("retirement age (BUP)"), null=True, blank=True, validators=[MinValueValidator(50), MaxValueValidator(70)])

    class Meta:
        ordering = ["-position_class", "title"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(position_class__gte=1, position_class__lte=17), name="position_class_1_17"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.position_class})"


class EmployeeType(models.TextChoices):
    PNS = "PNS", _("Civil servant (PNS)")
    PPPK = "PPPK", _("Contract civil servant (PPPK)")


class EmployeeStatus(models.TextChoices):
    CANDIDATE = "candidate", _("Candidate")
    ACTIVE = "active", _("Active")
    ON_LEAVE = "on_leave", _("On leave")
    RETIRED = "retired", _("Retired")
    TERMINATED = "terminated", _("Terminated")
    TRANSFERRED = "transferred", _("Moved to another region")


# Statuses of someone who has left the region's service: their login ends the day the status is set.
DEPARTED_STATUSES = frozenset({EmployeeStatus.RETIRED, EmployeeStatus.TERMINATED, EmployeeStatus.TRANSFERRED})


PNS_RANKS = [f"{group}/{room}" for group, rooms in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
             for room in rooms]
PPPK_GRADES = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
               "XVI", "XVII"]


class Employee(models.Model):
    nip = models.CharField(_("NIP / PPPK number"), max_length=18, unique=True)
    employee_type = models.CharField(_("employee type"), max_length=4, choices=EmployeeType.choices)
    full_name = models.CharField(_("full name"), max_length=200)
    gender = models.CharField(_("gender"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))])
    birth_date = models.DateField(_("birth date"))
    # golongan/ruang for PNS (I/a .. IV/e), grade for PPPK (I .. XVII)
    rank = models.CharField(_("rank (golongan / PPPK grade)"), max_length=5)
    status = models.CharField(_("status"), max_length=12, choices=EmployeeStatus.choices,
                              default=EmployeeStatus.ACTIVE, db_index=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="employees", verbose_name=_("unit"))
    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="employees",
                                 verbose_name=_("position"))
    supervisor = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="subordinates", verbose_name=_("direct supervisor"))
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="employee", verbose_name=_("login"))
    email = models.EmailField(_("email"), blank=True)
    # PPPK only: the last day of the current contract (HR is alerted ahead of it)
    contract_ends_on = models.DateField(_("contract ends on (PPPK)"), null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

    def __str__(self):
        return f"{self.full_name} ({self.nip})"


class ImportKind(models.TextChoices):
    EMPLOYEES = "employees", _("Employees")
    UNITS = "units", _("Units")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")
    FAILED = "failed", _("Failed")
    READING = "reading", _("Reading the file")
    APPLYING = "applying", _("Applying")
    DISCARDED = "discarded", _("Discarded")


class ImportBatch(models.Model):
    """One uploaded spreadsheet: what it would change (the preview), then whether it was applied.
    The file itself is kept, so an import can be checked against what was uploaded long after."""

    kind = models.CharField(_("kind"), max_length=10, choices=ImportKind.choices)
    file = models.FileField(_("file"), upload_to="people/imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("uploaded by"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("applied by"))
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED, db_index=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    to_create = models.PositiveIntegerField(_("to create"), default=0)
    to_update = models.PositiveIntegerField(_("to update"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    # [{"row": 5, "field": "NIP", "reason": "..."}]; row is the spreadsheet's own row number
    errors = models.JSONField(_("errors"), default=list, blank=True)
    # [{"row": 5, "key": "1985...", "name": "...", "action": "create" | "update" | "unchanged", "changes": [...]}]
    plan = models.JSONField(_("planned changes"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    # Work in the background (large files): rows read so far, and when the worker last reported.
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    progress_total = models.PositiveIntegerField(_("rows to do"), default=0)
    progress_at = models.DateTimeField(_("last progress"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk} ({self.original_name})"

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.PREVIEWED and self.error_count == 0 and self.total_rows > 0

    @property
    def in_progress(self) -> bool:
        return self.status in (ImportStatus.READING, ImportStatus.APPLYING)

    @property
    def progress_percent(self) -> int:
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)


class ActingKind(models.TextChoices):
    PLT = "plt", _("Plt (pelaksana tugas: the post is vacant)")
    PLH = "plh", _("Plh (pelaksana harian: the holder is away)")


class ActingSupervisor(models.Model):
    """An acting supervisor (Plt/Plh): from `starts_on` to `ends_on` (both included, in the region's
    calendar) `acting` holds the supervisor's rights over the direct reports and the appraisees of
    `in_place_of`, beside the org chart's own supervisor line."""

    acting = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="acting_assignments",
                               verbose_name=_("acting supervisor"))
    in_place_of = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="replaced_by",
                                    verbose_name=_("in place of"))
    kind = models.CharField(_("kind"), max_length=3, choices=ActingKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    decree_number = models.CharField(_("decree (SK) number"), max_length=100, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("acting supervisor")
        verbose_name_plural = _("acting supervisors")
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="acting_ends_after_start")]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.acting} → {self.in_place_of}"


# --- leave (cuti) ---------------------------------------------------------------------------------
class LeaveKind(models.TextChoices):
    """The kinds of leave of PP 11/2017 (as amended by PP 17/2020) and BKN regulation 24/2017."""

    ANNUAL = "annual", _("Annual leave (cuti tahunan)")
    LONG_SERVICE = "long_service", _("Long-service leave (cuti besar)")
    SICK = "sick", _("Sick leave (cuti sakit)")
    MATERNITY = "maternity", _("Maternity leave (cuti melahirkan)")
    IMPORTANT_REASONS = "important_reasons", _("Leave for important reasons (cuti karena alasan penting)")
    UNPAID = "unpaid", _("Unpaid leave outside the state's account (CLTN)")


class LeaveStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested, awaiting the supervisor")
    RECOMMENDED = "recommended", _("Recommended, awaiting the granting official")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


def leave_document_path(instance, filename: str) -> str:
    return f"people/leave/{instance.employee_id}/{filename}"


class LeaveRequest(models.Model):
    """A request for leave from one day to another, recommended by the direct supervisor and, for the
    kinds the rules reserve to them, granted by the official with the authority (HR, for the PPK)."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="leave_requests",
                                 verbose_name=_("employee"))
    kind = models.CharField(_("kind of leave"), max_length=20, choices=LeaveKind.choices)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    reason = models.TextField(_("reason"), blank=True)
    child_order = models.PositiveSmallIntegerField(_("which child (maternity leave)"), null=True, blank=True)
    document = models.FileField(_("supporting document"), upload_to=leave_document_path, max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=LeaveStatus.choices,
                              default=LeaveStatus.REQUESTED, db_index=True)
    supervisor = models.ForeignKey(Employee, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("supervisor who decides"))
    decision_comment = models.TextField(_("decision comment"), blank=True)
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        verbose_name = _("leave request")
        verbose_name_plural = _("leave requests")
        indexes = [models.Index(fields=["employee", "starts_on"], name="leave_by_employee_start")]
        constraints = [models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")),
                                              name="leave_ends_after_start")]

    def __str__(self):
        return f"{self.employee.full_name}: {self.get_kind_display()} {self.starts_on}..{self.ends_on}"


# --- career history --------------------------------------------------------------------------------
class CareerEventKind(models.TextChoices):
    PROMOTION = "promotion", _("Promotion to another position")
    TRANSFER = "transfer", _("Transfer to another unit (mutasi)")
    RANK = "rank", _("Promotion in rank (kenaikan pangkat)")
    PAY_STEP = "pay_step", _("Periodic pay step (kenaikan gaji berkala)")


class CareerEvent(models.Model):
    """One change in an employee's career, effective from a date stated in a decree (SK). The values
    before the change are kept, so every module can read the state in force on any date."""

    employee = models.ForeignKey(Employee, on_delete=models.PROTECT, related_name="career_events",
                                 verbose_name=_("employee"))
    kind = models.CharField(_("kind"), max_length=12, choices=CareerEventKind.choices)
    effective_on = models.DateField(_("effective from (TMT)"))
    sk_number = models.CharField(_("decree (SK) number"), max_length=100)
    sk_date = models.DateField(_("decree date"), null=True, blank=True)
    position = models.ForeignKey(Position, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("new position"))
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("new unit"))
    rank = models.CharField(_("new rank"), max_length=5, blank=True)
    previous_position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="+")
    previous_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    previous_rank = models.CharField(max_length=5)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["employee", "effective_on", "id"]
        verbose_name = _("career event")
        verbose_name_plural = _("career history")
        indexes = [models.Index(fields=["employee", "effective_on"], name="career_by_employee_date")]

    def __str__(self):
        return f"{self.employee.full_name}: {self.get_kind_display()} {self.effective_on} ({self.sk_number})"
