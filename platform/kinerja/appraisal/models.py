"""The appraisal core (SKP, PermenPANRB 6/2022) of one region.

Rules that differ between regions or sources (the predicate matrix, the distribution curve, deadlines)
are rows in this schema, seeded by a data migration, never constants in code."""
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

# No region may show peer (360) input from fewer respondents than this.
PEER_MINIMUM_FLOOR = 3


class Cadence(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


class Level(models.TextChoices):
    """The three levels of both the work-result and the behaviour rating."""

    ABOVE = "above", _("Above expectations (Di Atas Ekspektasi)")
    AS_EXPECTED = "as_expected", _("As expected (Sesuai Ekspektasi)")
    BELOW = "below", _("Below expectations (Di Bawah Ekspektasi)")


class Predicate(models.TextChoices):
    SANGAT_BAIK = "sangat_baik", _("Sangat Baik")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class OrganisationRating(models.TextChoices):
    ISTIMEWA = "istimewa", _("Istimewa")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


class CurveEnforcement(models.TextChoices):
    WARN = "warn", _("Warn")
    BLOCK = "block", _("Block")


# shown while a region has recorded no source of its own
DEFAULT_SIASN_SOURCE = _("Kinerja's default. Levels 1 (below) to 3 (above expectations) as public SIASN "
                         "integrations send them; the predicate (kuadran) codes 1 (Sangat Kurang) to 5 (Sangat Baik) "
                         "are not confirmed by a published BKN code list: check them against your SIASN account.")


def default_siasn_codes() -> dict:
    """Codes of the national system (SIASN) for exports. Public integrations agree that levels are 1
    (below) .. 3 (above); the predicate (kuadran) codes are unconfirmed, so a region can correct them,
    recording where its codes come from (`siasn_codes_source`)."""
    return {
        "level": {"below": 1, "as_expected": 2, "above": 3},
        "predicate": {"sangat_kurang": 1, "kurang": 2, "butuh_perbaikan": 3, "baik": 4, "sangat_baik": 5},
    }


class AppraisalSettings(models.Model):
    """The region's appraisal settings: one row (id 1), seeded by migration."""

    curve_enforcement = models.CharField(_("distribution curve enforcement"), max_length=5,
                                         choices=CurveEnforcement.choices, default=CurveEnforcement.WARN)
    objection_window_days = models.PositiveSmallIntegerField(_("days to file an objection"), default=14)
    peer_minimum_respondents = models.PositiveSmallIntegerField(
        _("peer responses needed before peer input is shown"), default=3,
        validators=[MinValueValidator(PEER_MINIMUM_FLOOR)])
    realisation_grace_days = models.PositiveSmallIntegerField(
        _("days after a period ends that realisation stays open"), default=10)
    # Organisation rating -> the unit head's work-result level.
    head_work_result = models.JSONField(_("unit head's work result by organisation rating"), default=dict)
    siasn_codes = models.JSONField(_("national system codes for exports"), default=default_siasn_codes)
    siasn_codes_source = models.TextField(_("where the national system codes come from"), max_length=1000,
                                          blank=True, default="")

    @property
    def siasn_source_shown(self) -> str:
        return self.siasn_codes_source or str(DEFAULT_SIASN_SOURCE)

    class Meta:
        verbose_name = _("appraisal settings")
        verbose_name_plural = _("appraisal settings")
        constraints = [models.CheckConstraint(condition=models.Q(peer_minimum_respondents__gte=3),
                                              name="peer_minimum_at_least_three")]

    def __str__(self):
        return str(_("Appraisal settings"))


class PredicateRule(models.Model):
    """One cell of the predicate matrix: work result x behaviour -> predicate."""

    work_result = models.CharField(_("work result (hasil kerja)"), max_length=12, choices=Level.choices)
    behaviour = models.CharField(_("behaviour (perilaku kerja)"), max_length=12, choices=Level.choices)
    predicate = models.CharField(_("predicate"), max_length=16, choices=Predicate.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("predicate matrix cell")
        verbose_name_plural = _("predicate matrix")
        constraints = [models.UniqueConstraint(fields=["work_result", "behaviour"], name="predicate_rule_cell")]

    def __str__(self):
        return f"{self.work_result} x {self.behaviour} -> {self.predicate}"


class CurveBound(models.TextChoices):
    AT_MOST = "at_most", _("at most")
    AT_LEAST = "at_least", _("at least")
    SOME = "some", _("at least one")


class CurveRule(models.Model):
    """One line of the distribution curve: for a unit rated `organisation_rating`, the share of its staff
    whose predicate is one of `predicates` is `bound` `percent`."""

    organisation_rating = models.CharField(_("organisation rating"), max_length=16,
                                           choices=OrganisationRating.choices)
    predicates = models.JSONField(_("predicates"), help_text=_("List of predicate codes counted together."))
    bound = models.CharField(_("bound"), max_length=8, choices=CurveBound.choices)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2, default=0)

    class Meta:
        ordering = ["organisation_rating", "id"]
        verbose_name = _("distribution curve rule")
        verbose_name_plural = _("distribution curve")

    def __str__(self):
        return f"{self.organisation_rating}: {self.bound} {self.percent}% {'+'.join(self.predicates)}"


class AppraisalYear(models.Model):
    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    cadence = models.CharField(_("periodic evaluation cadence"), max_length=10, choices=Cadence.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # A closed year takes no new plans, transitions or ratings; it stays readable (kinerja.appraisal.rollover).
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("closed by"))
    close_reason = models.TextField(_("reason to close with work still open"), blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("appraisal year")
        verbose_name_plural = _("appraisal years")

    def __str__(self):
        return str(self.year)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


QUARTER_NAMES = ["TW I", "TW II", "TW III", "TW IV"]


class AppraisalPeriod(models.Model):
    appraisal_year = models.ForeignKey(AppraisalYear, on_delete=models.CASCADE, related_name="periods",
                                       verbose_name=_("appraisal year"))
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    opens_on = models.DateField(_("realisation opens on"))
    closes_on = models.DateField(_("realisation closes on"))

    class Meta:
        ordering = ["appraisal_year", "number"]
        verbose_name = _("appraisal period")
        verbose_name_plural = _("appraisal periods")
        constraints = [
            models.UniqueConstraint(fields=["appraisal_year", "number"], name="appraisal_period_number"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="period_ends_after_start"),
            models.CheckConstraint(condition=models.Q(closes_on__gte=models.F("opens_on")), name="period_closes_after_open"),
        ]

    def __str__(self):
        return f"{self.label} {self.starts_on.year}"

    @property
    def label(self) -> str:
        from django.utils.dates import MONTHS

        if self.appraisal_year.cadence == Cadence.QUARTERLY:
            return QUARTER_NAMES[self.number - 1]
        return str(MONTHS[self.number])

    @property
    def start_month(self) -> int:
        return self.starts_on.month

    @property
    def end_month(self) -> int:
        return self.ends_on.month


# --- the SKP plan ---------------------------------------------------------------------------------
class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    APPROVED = "approved", _("Approved")


class SkpPlan(models.Model):
    """An employee's SKP for one year, agreed with one appraiser (by default the direct supervisor)."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="skp_plans",
                                 verbose_name=_("employee"))
    appraisal_year = models.ForeignKey(AppraisalYear, on_delete=models.PROTECT, related_name="plans",
                                       verbose_name=_("appraisal year"))
    appraiser = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="appraisee_plans",
                                  verbose_name=_("appraiser"))
    # The unit the plan was made in: ratings are counted against this unit's curve.
    unit = models.ForeignKey("people.Unit", on_delete=models.PROTECT, related_name="skp_plans", verbose_name=_("unit"))
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT,
                              db_index=True)
    revision = models.PositiveSmallIntegerField(_("approved revision"), default=0)
    return_comment = models.TextField(_("appraiser's comments"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-appraisal_year__year", "employee__full_name"]
        verbose_name = _("SKP plan")
        verbose_name_plural = _("SKP plans")
        constraints = [models.UniqueConstraint(fields=["employee", "appraisal_year"], name="one_skp_per_employee_year")]

    def __str__(self):
        return f"SKP {self.appraisal_year_id and self.appraisal_year.year} {self.employee.full_name}"


class RhkKind(models.TextChoices):
    UTAMA = "utama", _("Main (Utama)")
    TAMBAHAN = "tambahan", _("Additional (Tambahan)")


class Rhk(models.Model):
    """Rencana Hasil Kerja: a planned result, optionally supporting one of the appraiser's RHKs."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.CASCADE, related_name="rhks", verbose_name=_("SKP plan"))
    kind = models.CharField(_("kind"), max_length=8, choices=RhkKind.choices)
    text = models.TextField(_("planned result"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="supporting",
                               verbose_name=_("supports the appraiser's RHK"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "kind", "position", "id"]
        verbose_name = _("RHK")
        verbose_name_plural = _("RHKs")

    def __str__(self):
        return self.text[:80]


class IkiAspect(models.TextChoices):
    QUANTITY = "quantity", _("Quantity")
    QUALITY = "quality", _("Quality")
    TIME = "time", _("Time")
    COST = "cost", _("Cost")
    QUALITATIVE = "qualitative", _("Qualitative")


class IkiMeasure(models.TextChoices):
    """Where an indicator's realisation comes from: the employee's own figure, the daily work log, or the
    training records (JP of the sessions the employee completed in the period)."""

    ENTERED = "", _("Entered by the employee")
    DAILY_LOG_SUM = "daily_log_sum", _("Sum of the verified daily log quantities")
    DAILY_LOGS_VERIFIED_SAME_DAY = "daily_logs_verified_same_day", _(
        "Share of the staff's daily logs verified on the day they were sent (percent)")
    TRAINING_JP = "training_jp", _("Training hours (JP) completed in the period, from the training records")


class Iki(models.Model):
    """Indikator Kinerja Individu: how an RHK is measured, with its target."""

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="ikis", verbose_name=_("RHK"))
    text = models.CharField(_("indicator"), max_length=500)
    aspect = models.CharField(_("aspect"), max_length=12, choices=IkiAspect.choices)
    target_value = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    target_unit = models.CharField(_("unit of the target"), max_length=60, blank=True)
    target_text = models.CharField(_("qualitative target"), max_length=500, blank=True)
    template_code = models.CharField(_("from template"), max_length=60, blank=True)
    measured_by = models.CharField(_("realisation comes from"), max_length=32, choices=IkiMeasure.choices,
                                   blank=True, default=IkiMeasure.ENTERED)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rhk", "position", "id"]
        verbose_name = _("IKI")
        verbose_name_plural = _("IKIs")

    def __str__(self):
        return self.text[:80]

    @property
    def target_display(self) -> str:
        if self.aspect == IkiAspect.QUALITATIVE:
            return self.target_text
        value = self.target_value.normalize() if self.target_value is not None else ""
        return f"{value:f} {self.target_unit}".strip() if value != "" else self.target_unit


class PlanEvent(models.Model):
    """The plan's history of transitions, with the comment or reason given."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    ACTION_LABELS = {"create": _("Created"), "submit": _("Submitted for approval"), "approve": _("Approved"),
                     "return": _("Returned for changes"), "reopen": _("Reopened for revision")}

    def get_action_display(self) -> str:
        """The step in words ("Approved"), as a choice field's display would give it."""
        return str(self.ACTION_LABELS.get(self.action, self.action))

    def __str__(self):
        return f"{self.get_action_display()} ({self.plan_id})"


class PlanRevision(models.Model):
    """The plan as approved, frozen: one per approval, so revisions during the year keep their history."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveSmallIntegerField(_("revision"))
    content = models.JSONField(_("approved content"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    approved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["plan", "number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_revision_number")]


# --- during the year: realisation, evidence, feedback, self-reports ------------------------------

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class Realisation(models.Model):
    """What was achieved on one indicator in one period."""

    iki = models.ForeignKey(Iki, on_delete=models.CASCADE, related_name="realisations", verbose_name=_("IKI"))
    period = models.ForeignKey(AppraisalPeriod, on_delete=models.PROTECT, related_name="realisations",
                               verbose_name=_("period"))
    value = models.DecimalField(_("achieved"), max_digits=14, decimal_places=2, null=True, blank=True)
    text = models.TextField(_("description of the achievement"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period", "iki"]
        verbose_name = _("realisation")
        verbose_name_plural = _("realisations")
        constraints = [models.UniqueConstraint(fields=["iki", "period"], name="one_realisation_per_iki_period")]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


def evidence_path(instance, filename: str) -> str:
    # The default storage already puts each region in its own folder.
    return f"appraisal/evidence/{instance.realisation.iki.rhk.plan_id}/{filename}"


class Evidence(models.Model):
    """Bukti dukung: a file behind a realisation."""

    realisation = models.ForeignKey(Realisation, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    title = models.CharField(_("title"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class Feedback(models.Model):
    """Continuous feedback (umpan balik) on an RHK, threaded by replies."""

    rhk = models.ForeignKey(Rhk, on_delete=models.CASCADE, related_name="feedback", verbose_name=_("RHK"))
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField(_("feedback"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class SelfReport(models.Model):
    """The employee's own account of a period: achievements, obstacles, improvement plans."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.CASCADE, related_name="self_reports")
    period = models.ForeignKey(AppraisalPeriod, on_delete=models.PROTECT, related_name="self_reports")
    achievements = models.TextField(_("achievements"), blank=True)
    obstacles = models.TextField(_("obstacles"), blank=True)
    improvement_plan = models.TextField(_("improvement plan"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["period"]
        verbose_name = _("self-report")
        verbose_name_plural = _("self-reports")
        constraints = [models.UniqueConstraint(fields=["plan", "period"], name="one_self_report_per_period")]


# --- ratings ------------------------------------------------------------------------------------

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


BEHAVIOUR_VALUES = [
    ("berorientasi_pelayanan", _("Service-oriented (Berorientasi Pelayanan)")),
    ("akuntabel", _("Accountable (Akuntabel)")),
    ("kompeten", _("Competent (Kompeten)")),
    ("harmonis", _("Harmonious (Harmonis)")),
    ("loyal", _("Loyal (Loyal)")),
    ("adaptif", _("Adaptive (Adaptif)")),
    ("kolaboratif", _("Collaborative (Kolaboratif)")),
]
BEHAVIOUR_VALUE_CODES = [code for code, _label in BEHAVIOUR_VALUES]


class PredicateSource(models.TextChoices):
    MATRIX = "matrix", _("Predicate matrix")
    CALIBRATION = "calibration", _("HR calibration")
    OBJECTION = "objection", _("Objection decision")


class Rating(models.Model):
    """The appraiser's rating of one SKP for one period, or for the year when `period` is empty."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.CASCADE, related_name="ratings")
    period = models.ForeignKey(AppraisalPeriod, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="ratings", verbose_name=_("period"))
    work_result = models.CharField(_("work result (hasil kerja)"), max_length=12, choices=Level.choices)
    behaviour = models.CharField(_("behaviour (perilaku kerja)"), max_length=12, choices=Level.choices)
    behaviour_values = models.JSONField(_("BerAKHLAK values"), default=dict)
    predicate = models.CharField(_("predicate"), max_length=16, choices=Predicate.choices)
    predicate_source = models.CharField(_("predicate set by"), max_length=12, choices=PredicateSource.choices,
                                        default=PredicateSource.MATRIX)
    reason = models.TextField(_("reason"), blank=True)
    # Why the predicate differs from the appraiser's (calibration or objection), shown to the employee.
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    rated_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(_("delivered to the employee"), null=True, blank=True)

    class Meta:
        ordering = ["plan", models.F("period").asc(nulls_last=True)]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], condition=models.Q(period__isnull=False),
                                    name="one_rating_per_plan_period"),
            models.UniqueConstraint(fields=["plan"], condition=models.Q(period__isnull=True),
                                    name="one_annual_rating_per_plan"),
        ]

    def __str__(self):
        scope = self.period.label if self.period_id else _("annual")
        return f"{self.plan} · {scope} · {self.predicate}"

    @property
    def is_annual(self) -> bool:
        return self.period_id is None


class PeerInput(models.Model):
    """A colleague's (360) view of an employee's behaviour. The respondent is stored only to refuse a
    second answer; it is never shown, and answers appear only in aggregate once enough have come in."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.CASCADE, related_name="peer_inputs")
    period = models.ForeignKey(AppraisalPeriod, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    respondent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    behaviour_values = models.JSONField(default=dict)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The region's minimum in force when this answer was given: it holds for this answer for ever, so
    # lowering the setting later never shows an answer given under a higher promise.
    minimum_respondents = models.PositiveSmallIntegerField(default=3)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["plan", "period", "respondent"], condition=models.Q(period__isnull=False),
                                    name="one_peer_input_per_period"),
            models.UniqueConstraint(fields=["plan", "respondent"], condition=models.Q(period__isnull=True),
                                    name="one_annual_peer_input"),
            models.CheckConstraint(condition=models.Q(minimum_respondents__gte=3),
                                   name="peer_input_minimum_at_least_three"),
        ]


# --- organisation rating ------------------------------------------------------------------------

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class UnitRating(models.Model):
    """A unit's own rating for a year. It limits its staff's predicates (the distribution curve, counted
    over the unit's subtree) and gives the unit head's work-result level."""

    unit = models.ForeignKey("people.Unit", on_delete=models.PROTECT, related_name="appraisal_ratings",
                             verbose_name=_("unit"))
    appraisal_year = models.ForeignKey(AppraisalYear, on_delete=models.PROTECT, related_name="unit_ratings")
    rating = models.CharField(_("organisation rating"), max_length=16, choices=OrganisationRating.choices)
    reason = models.TextField(_("reason"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["appraisal_year", "unit__path"]
        verbose_name = _("organisation rating")
        verbose_name_plural = _("organisation ratings")
        constraints = [models.UniqueConstraint(fields=["unit", "appraisal_year"], name="one_unit_rating_per_year")]

    def __str__(self):
        return f"{self.unit} {self.appraisal_year_id and self.appraisal_year.year}: {self.rating}"


# --- objections (keberatan) ---------------------------------------------------------------------
class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("Filed, awaiting decision")
    UPHELD = "upheld", _("Upheld: result changed")
    REJECTED = "rejected", _("Rejected: result stands")


class Objection(models.Model):
    """An employee's objection to a delivered result, decided (finally) by the appraiser's superior."""

    rating = models.OneToOneField(Rating, on_delete=models.PROTECT, related_name="objection")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField()
    deadline = models.DateField(_("last day to object"))
    reasons = models.TextField(_("reasons"))
    decider = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="objections_to_decide",
                                verbose_name=_("decided by (the appraiser's superior)"))
    appraiser_response = models.TextField(_("appraiser's response"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.FILED, db_index=True)
    decision = models.TextField(_("decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    previous_predicate = models.CharField(max_length=16, choices=Predicate.choices, blank=True)

    class Meta:
        ordering = ["-filed_at"]
        verbose_name = _("objection (keberatan)")
        verbose_name_plural = _("objections (keberatan)")


# --- rewards and sanctions ----------------------------------------------------------------------

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class RecordKind(models.TextChoices):
    REWARD = "reward", _("Reward")
    SANCTION = "sanction", _("Sanction")


class Severity(models.TextChoices):
    LIGHT = "light", _("Light (ringan)")
    MEDIUM = "medium", _("Medium (sedang)")
    HEAVY = "heavy", _("Heavy (berat)")


class RewardSanction(models.Model):
    """A reward or a (disciplinary) sanction in force for whole months; pay formulas read `percent`
    through `sanctions_in_force` / `rewards_in_force`."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="rewards_sanctions",
                                 verbose_name=_("employee"))
    kind = models.CharField(_("kind"), max_length=8, choices=RecordKind.choices)
    category = models.CharField(_("category"), max_length=60,
                                help_text=_("e.g. verbal_warning, written_warning, certificate, incentive"))
    severity = models.CharField(_("severity"), max_length=6, choices=Severity.choices, blank=True)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first month"))
    duration_months = models.PositiveSmallIntegerField(_("duration (months)"))
    ends_on = models.DateField(_("last day in force"), editable=False)
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-starts_on", "employee__full_name"]
        verbose_name = _("reward or sanction")
        verbose_name_plural = _("rewards and sanctions")
        indexes = [models.Index(fields=["kind", "starts_on", "ends_on"], name="reward_sanction_in_force")]
        constraints = [
            models.CheckConstraint(condition=models.Q(duration_months__gte=1), name="reward_sanction_duration_1"),
            models.CheckConstraint(condition=models.Q(percent__gte=0, percent__lte=100), name="reward_sanction_percent"),
        ]


# --- daily work log (laporan harian) -------------------------------------------------------------

    def __str__(self):
        return f"{self.get_kind_display()}: {self.category}"


class DailyLogStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    RETURNED = "returned", _("Returned for correction")


def daily_log_evidence_path(instance, filename: str) -> str:
    return f"appraisal/daily/{instance.plan_id}/{filename}"


class DailyLog(models.Model):
    """One day's work of an employee against one RHK of their approved SKP, verified by the appraiser.
    Verified entries feed the period's realisation of the indicators measured by the daily log."""

    plan = models.ForeignKey(SkpPlan, on_delete=models.PROTECT, related_name="daily_logs",
                             verbose_name=_("SKP plan"))
    rhk = models.ForeignKey(Rhk, on_delete=models.PROTECT, related_name="daily_logs", verbose_name=_("RHK"))
    iki = models.ForeignKey(Iki, null=True, blank=True, on_delete=models.PROTECT, related_name="daily_logs",
                            verbose_name=_("indicator advanced"))
    date = models.DateField(_("date"))
    activity = models.TextField(_("what was done"))
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=2, null=True, blank=True)
    evidence = models.FileField(_("evidence"), upload_to=daily_log_evidence_path, max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=DailyLogStatus.choices,
                              default=DailyLogStatus.SUBMITTED, db_index=True)
    submitted_at = models.DateTimeField(_("sent for verification at"))
    verifier_comment = models.TextField(_("appraiser's comment"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    verified_same_day = models.BooleanField(_("verified on the day it was sent"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("daily log entry")
        verbose_name_plural = _("daily log")
        indexes = [models.Index(fields=["plan", "date"], name="daily_log_plan_date")]
        constraints = [
            models.CheckConstraint(condition=models.Q(quantity__isnull=True) | models.Q(quantity__gte=0),
                                   name="daily_log_quantity_not_negative"),
        ]

    def __str__(self):
        return f"{self.date} · {self.activity[:60]}"

    @property
    def evidence_name(self) -> str:
        import os

        return os.path.basename(self.evidence.name) if self.evidence else ""


# --- plan templates -----------------------------------------------------------------------------
class PlanTemplate(models.Model):
    """A region-kept starting plan for a position or a unit: the results (RHK) and indicators (IKI) a
    bulk open copies into a new draft when asked to open from templates. `content` is
    [{"kind", "text", "ikis": [{"text", "aspect", "target_value", "target_unit", "target_text",
    "measured_by"}]}], checked by `kinerja.appraisal.plan_templates` when saved."""

    name = models.CharField(_("name"), max_length=200)
    position = models.OneToOneField("people.Position", null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="plan_template", verbose_name=_("position"))
    unit = models.OneToOneField("people.Unit", null=True, blank=True, on_delete=models.CASCADE,
                                related_name="plan_template", verbose_name=_("unit"))
    content = models.JSONField(_("results and indicators"), default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("plan template")
        verbose_name_plural = _("plan templates")
        constraints = [models.CheckConstraint(
            condition=(models.Q(position__isnull=False, unit__isnull=True)
                       | models.Q(position__isnull=True, unit__isnull=False)),
            name="plan_template_for_position_or_unit")]

    def __str__(self):
        return self.name
