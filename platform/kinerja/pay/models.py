"""Pay (TPP) of one region: attendance, pay runs with their results and lines,
and adjustments carried into a later month (the working calendar is kinerja.region's).

Money is whole rupiah in integer fields. Times of attendance are the region's local wall-clock times
(imports convert any other zone on the way in), so lateness is always judged in local time."""
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class TransparencyMode(models.TextChoices):
    """What the public transparency page shows: aggregates by position class (the default, for every
    region), or, where the region's own regulation orders it, each employee's name, position class and TPP
    amount. Named mode is turned on only with that regulation's number recorded, after employees were told
    in advance (kinerja.pay.named_pay)."""

    CLASSES = "classes", _("Pay per position class (groups of 5 or more)")
    NAMED = "named", _("Name, position class and TPP of each employee (by the region's regulation)")


class PaySettings(models.Model):
    """The region's pay settings: one row (id 1)."""

    publish_transparency = models.BooleanField(
        _("publish pay per position class"), default=False,
        help_text=_("Show the TPP paid per position class of the last locked month on the region's public page."))
    transparency_mode = models.CharField(_("what the public page shows"), max_length=12,
                                         choices=TransparencyMode.choices, default=TransparencyMode.CLASSES)
    named_pay_regulation = models.CharField(
        _("regulation ordering pay to be published by name"), max_length=200, blank=True,
        help_text=_("Number and title of the Perbup/Perwali, e.g. Peraturan Wali Kota Nomor 17 Tahun 2026."))
    named_pay_from = models.DateField(_("names published from"), null=True, blank=True)
    named_pay_announced_at = models.DateTimeField(_("employees told on"), null=True, blank=True)
    # The region's criteria in its own words, as its regulation (Perbup/Perwali) states them.
    criteria_formula = models.TextField(_("the pay formula in words"), blank=True)
    criteria_deductions = models.TextField(_("deductions in words"), blank=True)
    criteria_predicate = models.TextField(_("what the appraisal predicate does to pay"), blank=True)
    chunk_size = models.PositiveIntegerField(_("employees per committed chunk"), default=2500)
    bank_file_format = models.CharField(_("bank transfer file format"), max_length=40, default="csv-generik")
    # {format code: [{"field", "header", "width", "align", "pad"}, ...]}: the bank's own column layout
    bank_file_layouts = models.JSONField(_("bank file column layouts"), default=dict, blank=True)
    payer_account = models.CharField(_("region's paying account (RKUD)"), max_length=30, blank=True)
    outlier_employee_percent = models.PositiveSmallIntegerField(
        _("flag an employee whose TPP moved more than (%)"), default=25)
    outlier_total_percent = models.PositiveSmallIntegerField(_("flag totals that moved more than (%)"), default=10)
    document_logo = models.FileField(_("logo on official documents"), upload_to="pay/logo/", blank=True,
                                     help_text=_("PNG or JPEG, printed at the top of payslips."))

    class Meta:
        verbose_name = _("pay settings")
        verbose_name_plural = _("pay settings")

    def __str__(self):
        return str(_("the region's pay settings"))


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("Leave (cuti)")
    SICK = "sick", _("Sick")
    OFFICIAL_DUTY = "official_duty", _("Official duty (dinas luar)")
    ABSENT = "absent", _("Absent without reason")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLIED = "applied", _("Applied")


class AttendanceImport(models.Model):
    """One uploaded export of an attendance machine or app: its bad rows, then whether it was applied."""

    file = models.FileField(_("file"), upload_to="pay/attendance/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # [{"row": 5, "field": "NIP", "reason": "..."}], row as the spreadsheet numbers it
    errors = models.JSONField(_("errors"), default=list, blank=True)
    months = models.JSONField(_("months covered"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attendance import")
        verbose_name_plural = _("attendance imports")

    def __str__(self):
        return f"#{self.pk} {self.original_name}"

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.PREVIEWED and self.error_count == 0 and self.total_rows > 0


class AttendanceRecord(models.Model):
    """One employee's day: local check-in and check-out times, or the reason for not being there."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="attendance",
                                 verbose_name=_("employee"))
    date = models.DateField(_("date"))
    status = models.CharField(_("status"), max_length=14, choices=AttendanceStatus.choices,
                              default=AttendanceStatus.PRESENT)
    check_in = models.TimeField(_("check-in"), null=True, blank=True)
    check_out = models.TimeField(_("check-out"), null=True, blank=True)
    # None: the export said nothing about the morning assembly (apel)
    attended_assembly = models.BooleanField(_("attended the morning assembly"), null=True, blank=True)
    source = models.ForeignKey(AttendanceImport, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="records")
    corrected = models.BooleanField(_("corrected by HR"), default=False)

    class Meta:
        ordering = ["employee", "date"]
        verbose_name = _("attendance record")
        verbose_name_plural = _("attendance records")
        constraints = [models.UniqueConstraint(fields=["employee", "date"], name="one_attendance_record_per_day")]
        indexes = [models.Index(fields=["date", "employee"], name="attendance_by_date")]

    def __str__(self):
        return f"{self.employee_id} {self.date} {self.status}"


class ServiceTargetImport(models.Model):
    """One uploaded list of public-service targets (CSV or XLSX): its bad rows, then whether it was applied."""

    file = models.FileField(_("file"), upload_to="pay/service-targets/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices,
                              default=ImportStatus.PREVIEWED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    error_count = models.PositiveIntegerField(_("errors"), default=0)
    # [{"row": 5, "field": "NIP", "reason": "..."}], row as the spreadsheet numbers it
    errors = models.JSONField(_("errors"), default=list, blank=True)
    months = models.JSONField(_("months covered"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("service target import")
        verbose_name_plural = _("service target imports")

    def __str__(self):
        return f"#{self.pk} {self.original_name}"

    @property
    def can_apply(self) -> bool:
        return self.status == ImportStatus.PREVIEWED and self.error_count == 0 and self.total_rows > 0


class ServiceTarget(models.Model):
    """One employee's public-service targets in one month: the citizens' requests due, and how many of
    them were completed within their time limit. A pay plugin may reward targets met on time."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="service_targets",
                                 verbose_name=_("employee"))
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    targets = models.PositiveIntegerField(_("requests due"))
    met_on_time = models.PositiveIntegerField(_("completed on time"))
    source = models.ForeignKey(ServiceTargetImport, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="records")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "employee"]
        verbose_name = _("service target")
        verbose_name_plural = _("service targets")
        constraints = [
            models.UniqueConstraint(fields=["employee", "month"], name="one_service_target_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="service_target_month_first_day"),
            models.CheckConstraint(condition=models.Q(met_on_time__lte=models.F("targets")),
                                   name="service_target_met_within_targets"),
        ]
        indexes = [models.Index(fields=["month", "employee"], name="service_target_by_month")]

    def __str__(self):
        return f"{self.employee_id} {self.month:%Y-%m} {self.met_on_time}/{self.targets}"


class PayRunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    COMPUTING = "computing", _("Computing")
    COMPUTED = "computed", _("Computed")
    APPROVED = "approved", _("Approved")
    LOCKED = "locked", _("Locked (paid)")
    CANCELLED = "cancelled", _("Cancelled")


class PayRun(models.Model):
    """The TPP of one month for the whole region. Its population, plugin and configuration version are
    fixed when computing starts, so a run resumed after a crash computes exactly what it began."""

    month = models.DateField(_("month"), help_text=_("The first day of the month paid."))
    status = models.CharField(_("status"), max_length=10, choices=PayRunStatus.choices,
                              default=PayRunStatus.DRAFT, db_index=True)
    plugin_name = models.CharField(_("plugin"), max_length=64, blank=True)
    plugin_version = models.CharField(_("plugin version"), max_length=40, blank=True)
    config_version = models.ForeignKey("plugins.PluginConfigVersion", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("configuration version"))
    employee_ids = ArrayField(models.BigIntegerField(), default=list, blank=True)
    total_employees = models.PositiveIntegerField(_("employees"), default=0)
    processed = models.PositiveIntegerField(_("computed"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    total_earnings = models.BigIntegerField(_("earnings"), default=0)
    total_deductions = models.BigIntegerField(_("deductions"), default=0)
    total_contributions = models.BigIntegerField(_("paid by the region"), default=0)
    total_net = models.BigIntegerField(_("take-home total"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("created by"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("computed by"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("approved by"))
    locked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("locked by"))
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    # when a chunk was last committed (or computing started): a computing run whose progress stands
    # still past the stall threshold is sent to the workers again
    progress_at = models.DateTimeField(_("progress last advanced"), null=True, blank=True)
    resume_requested_at = models.DateTimeField(_("resume requested"), null=True, blank=True)
    # times the run was sent to the workers again (a database error retried, a dead worker's run resumed),
    # and, while a database error waits for its next try, when that is and what the error was
    attempts = models.PositiveSmallIntegerField(_("sent again"), default=0)
    retry_at = models.DateTimeField(_("next try"), null=True, blank=True)
    retry_reason = models.CharField(_("why it is tried again"), max_length=300, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    payslip_archive = models.CharField(_("payslip archive"), max_length=300, blank=True)
    # what the checks found when computing started ([Finding.as_dict()]), and HR's written reason to go on
    checks = models.JSONField(_("checks before computing"), default=list, blank=True)
    checks_reason = models.TextField(_("reason to compute despite the gaps"), blank=True)

    class Meta:
        ordering = ["-month", "-id"]
        verbose_name = _("pay run")
        verbose_name_plural = _("pay runs")
        constraints = [
            models.UniqueConstraint(fields=["month"], condition=~models.Q(status="cancelled"),
                                    name="one_open_pay_run_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="pay_run_month_first_day"),
        ]

    def __str__(self):
        return f"TPP {self.month:%Y-%m} ({self.status})"

    @property
    def progress_percent(self) -> int:
        return int(100 * self.processed / self.total_employees) if self.total_employees else 0


class PayResult(models.Model):
    """One employee's TPP in one run. Facts about the employee are copied in, so the result reads the
    same after the employee moves or is promoted."""

    # no index of its own: one_pay_result_per_employee (run, employee) serves lookups by run
    run = models.ForeignKey(PayRun, on_delete=models.CASCADE, related_name="results", db_index=False)
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="pay_results")
    nip = models.CharField(max_length=18)
    full_name = models.CharField(max_length=200)
    unit_name = models.CharField(max_length=200, blank=True)
    position_title = models.CharField(max_length=200, blank=True)
    position_class = models.PositiveSmallIntegerField()
    employee_type = models.CharField(max_length=4)
    rank = models.CharField(max_length=5, blank=True)
    earnings = models.BigIntegerField(default=0)
    deductions = models.BigIntegerField(default=0)
    contributions = models.BigIntegerField(default=0)
    net = models.BigIntegerField(default=0)
    ok = models.BooleanField(default=True)
    error = models.TextField(blank=True)
    # the PayInput as the plugin saw it (attendance, appraisal, sanctions), for the explanation
    inputs = models.JSONField(default=dict)

    class Meta:
        ordering = ["run", "full_name", "id"]
        constraints = [models.UniqueConstraint(fields=["run", "employee"], name="one_pay_result_per_employee")]

    def __str__(self):
        return f"{self.run} {self.nip}"


class PayLine(models.Model):
    """One line of a result. Lines are written only by the pay run, in the transaction that writes their
    result, and removed with it through the ORM, so the database does not check each line's reference
    again at commit (tens of thousands of row locks per run); one_pay_line_per_code (result, code)
    serves lookups by result."""

    result = models.ForeignKey(PayResult, on_delete=models.CASCADE, related_name="lines", db_constraint=False,
                               db_index=False)
    position = models.PositiveSmallIntegerField()
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    kind = models.CharField(max_length=12)
    amount = models.BigIntegerField()
    inputs = models.JSONField(default=dict)
    # The plugin's sentences for the payslip, joined by SENTENCE_SEPARATOR; empty when the plugin gave none
    # or computed the line before pay lines carried their explanation (hook API 2.0). Plain text, not JSON:
    # a run writes tens of thousands of lines, and parsing each as jsonb cost a fifth of the run.
    explanation_indonesian = models.TextField(blank=True, default="")
    explanation_english = models.TextField(blank=True, default="")

    SENTENCE_SEPARATOR = "\x1f"  # ASCII unit separator: never part of a sentence

    def sentences(self, language: str) -> list[str]:
        """The sentences in `language` ("id" or "en"), Indonesian when the plugin gave no English."""
        text = self.explanation_english if language == "en" and self.explanation_english else self.explanation_indonesian
        return text.split(self.SENTENCE_SEPARATOR) if text else []

    class Meta:
        ordering = ["result", "position"]
        constraints = [models.UniqueConstraint(fields=["result", "code"], name="one_pay_line_per_code"),
                       models.CheckConstraint(condition=models.Q(amount__gte=0), name="pay_line_amount_not_negative")]

    def __str__(self):
        return f"{self.code} {self.label}"


class PayAdjustment(models.Model):
    """A correction of a locked month, paid (or withheld) in a later month's run as its own line."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="pay_adjustments")
    corrects_run = models.ForeignKey(PayRun, on_delete=models.PROTECT, related_name="corrections")
    pay_month = models.DateField(_("paid in month"))
    amount = models.BigIntegerField(_("amount"), help_text=_("Positive: paid to the employee; negative: withheld."))
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pay_month", "id"]
        verbose_name = _("pay adjustment")
        verbose_name_plural = _("pay adjustments")
        constraints = [models.CheckConstraint(condition=models.Q(pay_month__day=1), name="adjustment_month_first_day")]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class Bank(models.Model):
    """A bank the region pays into, with what is known of its account numbers. Indonesian banks publish
    no check-digit rule, and the account number lengths come from secondary sources, so both are data
    the region corrects (admin or the bank page), with the source written beside them."""

    code = models.CharField(_("bank code (sandi bank)"), max_length=10, unique=True,
                            help_text=_("Bank Indonesia's clearing code, e.g. 118 for Bank Nagari."))
    name = models.CharField(_("name"), max_length=200)
    account_lengths = ArrayField(models.PositiveSmallIntegerField(), default=list, blank=True,
                                 verbose_name=_("account number lengths"),
                                 help_text=_("Digits an account number of this bank has; empty: 6 to 20."))
    source = models.CharField(_("source of the rule"), max_length=300, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("bank")
        verbose_name_plural = _("banks")

    def __str__(self):
        return f"{self.name} ({self.code})"


class BankAccount(models.Model):
    """Where an employee's TPP is transferred: always an approved change (see BankAccountChange)."""

    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE, related_name="bank_account")
    bank = models.ForeignKey(Bank, null=True, blank=True, on_delete=models.PROTECT, related_name="accounts",
                             verbose_name=_("bank"))
    bank_code = models.CharField(_("bank code"), max_length=10)
    account_number = models.CharField(_("account number"), max_length=30)
    account_name = models.CharField(_("account holder"), max_length=200)
    approved_change = models.ForeignKey("BankAccountChange", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", verbose_name=_("approved change"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, null=True)

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")

    def __str__(self):
        return f"{self.employee_id} {self.bank_code} {self.account_number}"


class NameCheck(models.TextChoices):
    SAME = "same", _("Same as the employee's name")
    SIMILAR = "similar", _("Shortened or abbreviated")
    DIFFERENT = "different", _("Different from the employee's name")


class ChangeStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class BankAccountChange(models.Model):
    """A new or changed bank account, entered by one HR admin (the maker) and used only once another
    approves it (the checker): a changed account is the classic payroll fraud."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="bank_account_changes",
                                 verbose_name=_("employee"))
    bank = models.ForeignKey(Bank, on_delete=models.PROTECT, related_name="+", verbose_name=_("bank"))
    account_number = models.CharField(_("account number"), max_length=30)
    holder_name = models.CharField(_("account holder"), max_length=200)
    name_check = models.CharField(_("holder name"), max_length=10, choices=NameCheck.choices)
    note = models.TextField(_("maker's note"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING,
                              db_index=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("entered by"))
    requested_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("checker's note"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("bank account change")
        verbose_name_plural = _("bank account changes")
        constraints = [models.UniqueConstraint(fields=["employee"], condition=models.Q(status="pending"),
                                               name="one_pending_bank_change_per_employee")]

    def __str__(self):
        return f"{self.employee_id} {self.bank_id} {self.account_number} ({self.status})"
