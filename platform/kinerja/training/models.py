"""Training in one region: the course catalog (synced from the region's catalog plugins, plus the
region's own courses), sessions with seats, enrolments with approval and a waiting list, completion
with certificates, participants' evaluations, courses taken elsewhere, and training budgets per unit.

JP (jam pelajaran) are 45-minute training hours. Money is whole rupiah."""
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Method(models.TextChoices):
    CLASSROOM = "klasikal", _("Classroom (klasikal)")
    E_LEARNING = "e-learning", _("E-learning")
    BLENDED = "blended", _("Blended")
    WORKSHOP = "workshop", _("Workshop")
    COACHING = "coaching", _("Coaching and mentoring")
    SEMINAR = "seminar", _("Seminar")


class RecordKind(models.TextChoices):
    """How the national HR system (SIASN) files a completed course: structural and basic training
    (Latsar, PKP, PKA, PKN) as diklat, everything else as kursus."""

    DIKLAT = "diklat", _("Structural training (diklat)")
    KURSUS = "kursus", _("Course (kursus)")


class TrainingSettings(models.Model):
    """The region's training settings (one row)."""

    annual_jp_target = models.PositiveSmallIntegerField(
        _("JP target per employee per year"), default=20, validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("training settings")
        verbose_name_plural = _("training settings")


class CatalogSync(models.Model):
    """One run of one catalog plugin's hook: the plugin version it came from and what it changed."""

    class Status(models.TextChoices):
        OK = "ok", _("Synced")
        FAILED = "failed", _("Failed")

    plugin_name = models.CharField(_("plugin"), max_length=64, db_index=True)
    plugin_version = models.CharField(_("plugin version"), max_length=40)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    created = models.PositiveIntegerField(_("new"), default=0)
    changed = models.PositiveIntegerField(_("changed"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    withdrawn = models.PositiveIntegerField(_("withdrawn"), default=0)
    # [{"code": "...", "reason": "..."}]: entries left out (a code owned by another catalog, bad data)
    skipped = models.JSONField(_("skipped entries"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    synced_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("synced by"))
    synced_at = models.DateTimeField(_("synced at"), auto_now_add=True)

    class Meta:
        ordering = ["-synced_at", "-id"]
        verbose_name = _("catalog sync")
        verbose_name_plural = _("catalog syncs")

    def __str__(self):
        return f"{self.plugin_name} {self.plugin_version} ({self.synced_at:%Y-%m-%d %H:%M})"


class Course(models.Model):
    """A catalog entry. `plugin_name` is empty for the region's own courses. Codes are unique in the
    region, so a course can be named by its code alone (e.g. when new hires are enrolled)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=12, choices=Method.choices)
    jp_hours = models.PositiveIntegerField(_("JP"), validators=[MinValueValidator(1)])
    cost = models.PositiveBigIntegerField(_("cost per participant (Rp)"), default=0)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    competencies = ArrayField(models.CharField(max_length=120), default=list, blank=True,
                              verbose_name=_("competencies"))
    record_kind = models.CharField(_("national record"), max_length=6, choices=RecordKind.choices,
                                   default=RecordKind.KURSUS)
    plugin_name = models.CharField(_("catalog plugin"), max_length=64, blank=True, db_index=True)
    plugin_version = models.CharField(_("plugin version"), max_length=40, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=1)
    # A plugin course the plugin no longer supplies is withdrawn, never deleted: sessions refer to it.
    active = models.BooleanField(_("active"), default=True, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["title", "code"]
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        constraints = [models.CheckConstraint(condition=Q(jp_hours__gte=1), name="training_course_jp_positive")]
        indexes = [models.Index(fields=["method", "jp_hours"])]

    def __str__(self):
        return f"{self.code} {self.title}"

    @property
    def is_region_course(self) -> bool:
        return not self.plugin_name


class CourseRevision(models.Model):
    """The content of a course as it was at one revision, and where that revision came from."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    data = models.JSONField(_("content"))
    plugin_version = models.CharField(_("plugin version"), max_length=40, blank=True)
    sync = models.ForeignKey(CatalogSync, null=True, blank=True, on_delete=models.SET_NULL, related_name="revisions")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["course", "-number"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="training_revision_unique")]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class TrainingSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    seats = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    cost = models.PositiveBigIntegerField(_("cost per participant (Rp)"), default=0)
    jp_hours = models.PositiveIntegerField(_("JP"), validators=[MinValueValidator(1)])
    trainer = models.CharField(_("trainer"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=SessionStatus.choices,
                              default=SessionStatus.SCHEDULED, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="training_session_dates"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="training_session_seats"),
        ]

    def __str__(self):
        return f"{self.course.title} ({self.starts_on:%d-%m-%Y})"


class EnrolmentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    CONFIRMED = "confirmed", _("Seat confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    AWAITING_SESSION = "awaiting_session", _("Approved, awaiting a session")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")
    NO_SHOW = "no_show", _("Did not attend")


LIVE_STATUSES = (EnrolmentStatus.PENDING, EnrolmentStatus.CONFIRMED, EnrolmentStatus.WAITLISTED,
                 EnrolmentStatus.AWAITING_SESSION)
# Statuses whose cost is charged to the unit's budget.
CHARGED_STATUSES = (EnrolmentStatus.CONFIRMED, EnrolmentStatus.COMPLETED, EnrolmentStatus.NO_SHOW)


class Origin(models.TextChoices):
    SELF = "self", _("Requested by the employee")
    SUPERVISOR = "supervisor", _("Nominated by the supervisor")
    HR = "hr", _("Nominated by HR")
    NEW_HIRE = "new_hire", _("New hire onboarding")


class Enrolment(models.Model):
    """An employee's place in a course: requested, approved, seated or waiting, then completed.

    `session` is empty while an approved enrolment waits for the course's next session. `unit` and
    `cost` are fixed when the seat is taken: the unit whose budget pays, and what it pays."""

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrolments")
    session = models.ForeignKey(TrainingSession, null=True, blank=True, on_delete=models.PROTECT,
                                related_name="enrolments")
    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="training_enrolments")
    unit = models.ForeignKey("people.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=EnrolmentStatus.choices, db_index=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", verbose_name=_("nominated by"))
    reason = models.TextField(_("reason"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    # Order of the waiting list: the time the enrolment joined it.
    waitlisted_at = models.DateTimeField(null=True, blank=True)
    cost = models.PositiveBigIntegerField(_("cost (Rp)"), default=0)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    jp_hours = models.PositiveIntegerField(_("JP earned"), default=0)
    completed_on = models.DateField(_("completed on"), null=True, blank=True, db_index=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(fields=["course", "employee"], condition=Q(status__in=LIVE_STATUSES),
                                    name="training_one_live_enrolment_per_course"),
        ]

    def __str__(self):
        return f"{self.employee.full_name} · {self.course.code}"


class Evaluation(models.Model):
    """A participant's evaluation of a completed session (1 = poor .. 5 = excellent)."""

    enrolment = models.OneToOneField(Enrolment, on_delete=models.CASCADE, related_name="evaluation")
    content = models.PositiveSmallIntegerField(_("content"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    trainer = models.PositiveSmallIntegerField(_("trainer"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    relevance = models.PositiveSmallIntegerField(_("relevance to my work"),
                                                 validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class ExternalCourse(models.Model):
    """Training taken outside the region's sessions (e.g. at a ministry), counted once HR verifies it."""

    employee = models.ForeignKey("people.Employee", on_delete=models.PROTECT, related_name="external_courses")
    unit = models.ForeignKey("people.Unit", on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    record_kind = models.CharField(_("national record"), max_length=6, choices=RecordKind.choices,
                                   default=RecordKind.KURSUS)
    organiser = models.CharField(_("organiser"), max_length=200)
    jp_hours = models.PositiveIntegerField(_("JP"), validators=[MinValueValidator(1)])
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), db_index=True)
    certificate_number = models.CharField(_("certificate number"), max_length=60, blank=True)
    cost = models.PositiveBigIntegerField(_("cost paid by the unit (Rp)"), default=0)
    verified = models.BooleanField(_("verified"), default=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-ended_on", "-id"]
        verbose_name = _("external course")
        verbose_name_plural = _("external courses")
        constraints = [
            models.CheckConstraint(condition=Q(ended_on__gte=models.F("started_on")), name="training_external_dates"),
        ]

    def __str__(self):
        return f"{self.title} ({self.employee.full_name})"


class UnitBudget(models.Model):
    """A unit's training budget for a year; spending of its sub-units counts against it."""

    unit = models.ForeignKey("people.Unit", on_delete=models.PROTECT, related_name="training_budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.PositiveBigIntegerField(_("budget (Rp)"))
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["year", "unit__path"]
        verbose_name = _("training budget")
        verbose_name_plural = _("training budgets")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="training_budget_unit_year")]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} {self.year}"
