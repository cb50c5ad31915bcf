"""Recruitment in one region: openings (formasi) whose selection stages come from the region's recruitment
plugins, applicants with their own portal login, applications with documents, score sheets, stage results,
publications on the job portal, objections (sanggah) and hires.

Rules live in the services package and rules.py; these models only hold the data."""
from django.conf import settings
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kinerja.people.models import EmployeeType


class OpeningStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Registration open")
    SELECTION = "selection", _("Selection in progress")
    FINISHED = "finished", _("Selection finished")
    HIRED = "hired", _("Hired")


class Opening(models.Model):
    """An approved vacancy (formasi): one position in one unit, with a number of posts."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    # "cpns", "pppk" or a region's own kind such as "kontrak": the key the plugins' stage templates use.
    kind = models.CharField(_("opening kind"), max_length=20)
    position = models.ForeignKey("people.Position", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("position"))
    unit = models.ForeignKey("people.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    posts = models.PositiveSmallIntegerField(_("number of posts"))
    managerial = models.BooleanField(_("managerial post"), default=False)
    employee_type = models.CharField(_("employee type on hiring"), max_length=4, choices=EmployeeType.choices,
                                     default=EmployeeType.PNS)
    rank = models.CharField(_("rank on hiring (golongan / PPPK grade)"), max_length=5)
    requirements = models.TextField(_("requirements"))
    # Names of the documents each applicant uploads, e.g. ["KTP", "Ijazah", "Transkrip nilai"].
    documents_required = models.JSONField(_("documents required"), default=list)
    registration_opens = models.DateField(_("registration opens"))
    registration_closes = models.DateField(_("registration closes"))
    schedule = models.TextField(_("schedule"), blank=True)
    # Training course codes from the region's catalog that every hire is enrolled in.
    onboarding_courses = models.JSONField(_("onboarding courses"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OpeningStatus.choices, default=OpeningStatus.DRAFT,
                              db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["-registration_opens", "code"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        constraints = [models.CheckConstraint(condition=models.Q(posts__gte=1), name="opening_posts_positive")]

    def __str__(self):
        return f"{self.title} ({self.code})"


class StageKind(models.TextChoices):
    ADMINISTRATIVE = "administrative", _("Administrative check")
    SCORED = "scored", _("Scored")
    COMPUTED = "computed", _("Computed from earlier stages")
    ANNOUNCEMENT = "announcement", _("Announcement")
    NOTICE = "notice", _("Notice")


class StageStatus(models.TextChoices):
    PENDING = "pending", _("Not started")
    ACTIVE = "active", _("In progress")
    COMPUTED = "computed", _("Results computed")
    PUBLISHED = "published", _("Results published")
    CLOSED = "closed", _("Closed")


class OpeningStage(models.Model):
    """One stage of an opening's pipeline: a copy of the plugin's stage definition, the rules derived from
    it (which HR may adjust before publishing the opening) and the stage's progress."""

    opening = models.ForeignKey(Opening, on_delete=models.CASCADE, related_name="stages", verbose_name=_("opening"))
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    included = models.BooleanField(_("included"), default=True)
    name = models.CharField(_("name"), max_length=200)
    plugin_name = models.CharField(_("plugin"), max_length=64)
    plugin_order = models.PositiveSmallIntegerField(_("order in the plugin"))
    scored_by = models.CharField(_("scored by"), max_length=20)
    kind = models.CharField(_("kind"), max_length=15, choices=StageKind.choices)
    # [{"name", "weight", "max_score", "passing_grade", "source"}]; decimals as strings; source names the
    # earlier stage a computed component reads ("scale_to_100": false when it reads that stage's points).
    components = models.JSONField(_("components"), default=list, blank=True)
    pass_rule = models.TextField(_("pass rule"), blank=True)
    ranking_rule = models.TextField(_("ranking rule"), blank=True)
    announced = models.BooleanField(_("announced"), default=False)
    objection_window_days = models.PositiveSmallIntegerField(_("objection window (days)"), default=0)
    optional = models.BooleanField(_("optional"), default=False)
    applies_to = models.CharField(_("applies to"), max_length=30, default="all")
    threshold = models.DecimalField(_("minimum stage score"), max_digits=9, decimal_places=3, null=True, blank=True)
    advance_per_post = models.PositiveSmallIntegerField(_("candidates going on per post"), null=True, blank=True)
    ranks = models.BooleanField(_("ranks candidates"), default=False)
    tie_breaks = models.JSONField(_("tie-breaks"), default=list, blank=True)
    # [{"stage": "<stage name>", "weight": "60", "scale_to_100": true}]: ranking by a mix of stage scores
    # (false: the stage's points added up); empty = this stage's score.
    ranking_mix = models.JSONField(_("ranking mix"), default=list, blank=True)
    publish_fields = models.JSONField(_("published fields"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=StageStatus.choices, default=StageStatus.PENDING)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    objection_deadline = models.DateTimeField(_("objections until"), null=True, blank=True)

    class Meta:
        ordering = ["opening", "sequence"]
        verbose_name = _("stage")
        verbose_name_plural = _("stages")

    def __str__(self):
        return self.name

    @property
    def uses_assessors(self) -> bool:
        return self.kind == StageKind.SCORED and self.scored_by != "system"

    @property
    def takes_scores(self) -> bool:
        return self.kind == StageKind.SCORED

    def component_names(self) -> list[str]:
        return [component["name"] for component in self.components]


class StageAssessor(models.Model):
    stage = models.ForeignKey(OpeningStage, on_delete=models.CASCADE, related_name="assessors")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("assessor"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["stage", "user"], name="stage_assessor_unique")]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class Applicant(models.Model):
    """A member of the public who applies through the region's job portal. Not a staff user: an applicant
    signs in to the portal only, with a password hashed by Django's hashers."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    password = models.CharField(_("password"), max_length=128)
    birth_date = models.DateField(_("birth date"))
    gender = models.CharField(_("gender"), max_length=1, choices=[("M", _("Male")), ("F", _("Female"))])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    last_login = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("applicant")
        verbose_name_plural = _("applicants")

    def __str__(self):
        return self.full_name


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_SELECTION = "in_selection", _("In selection")
    ELIMINATED = "eliminated", _("Did not pass")
    SELECTED = "selected", _("Selected")
    HIRED = "hired", _("Hired")


class Application(models.Model):
    opening = models.ForeignKey(Opening, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="applications")
    number = models.CharField(_("registration number"), max_length=60, unique=True)
    status = models.CharField(_("status"), max_length=15, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.SUBMITTED, db_index=True)
    eliminated_at = models.ForeignKey(OpeningStage, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name=_("did not pass at"))
    final_rank = models.PositiveIntegerField(_("final rank"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["opening", "number"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["opening", "applicant"], name="one_application_per_opening")]

    def __str__(self):
        return self.number


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Not yet checked")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


def document_path(instance, filename: str) -> str:
    import uuid

    # A random folder, so a document's address cannot be guessed from another's.
    return f"recruitment/documents/{instance.application.opening_id}/{uuid.uuid4().hex}/{filename}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    name = models.CharField(_("document"), max_length=100)
    file = models.FileField(_("file"), upload_to=document_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now=True)
    review_status = models.CharField(_("check"), max_length=10, choices=ReviewStatus.choices,
                                     default=ReviewStatus.PENDING)
    review_reason = models.TextField(_("reason"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("checked by"))
    reviewed_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "name"]
        constraints = [models.UniqueConstraint(fields=["application", "name"], name="one_document_per_name")]

    def __str__(self):
        return f"{self.application} · {self.name}"


class SheetSource(models.TextChoices):
    ASSESSOR = "assessor", _("Assessor")
    ENTRY = "entry", _("Entered by HR")
    IMPORT = "import", _("Imported")


class ScoreSheet(models.Model):
    """One scorer's component scores for one application in one stage. A stage's score per component is
    the average of the submitted sheets."""

    stage = models.ForeignKey(OpeningStage, on_delete=models.CASCADE, related_name="sheets")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="sheets")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("assessor"))
    source = models.CharField(_("source"), max_length=10, choices=SheetSource.choices)
    scores = models.JSONField(_("scores"), default=dict)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["stage", "application", "id"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "application", "assessor"], name="one_sheet_per_assessor"),
            models.UniqueConstraint(fields=["stage", "application"], condition=models.Q(assessor__isnull=True),
                                    name="one_system_sheet"),
        ]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class Outcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Did not pass")


class StageResult(models.Model):
    stage = models.ForeignKey(OpeningStage, on_delete=models.CASCADE, related_name="results")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="results")
    scores = models.JSONField(_("component scores"), default=dict, blank=True)
    # Scores or outcome set by an accepted objection; they win over the sheets and the documents.
    corrected_scores = models.JSONField(_("corrected scores"), default=dict, blank=True)
    outcome_override = models.CharField(_("outcome set by objection"), max_length=10, blank=True)
    score = models.DecimalField(_("stage score"), max_digits=9, decimal_places=3, null=True, blank=True)
    ranking_score = models.DecimalField(_("ranking score"), max_digits=9, decimal_places=3, null=True, blank=True)
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    reason_code = models.CharField(_("reason"), max_length=30, blank=True)
    reason_detail = models.CharField(_("reason detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["stage", "rank", "application__number"]
        constraints = [models.UniqueConstraint(fields=["stage", "application"], name="one_result_per_stage")]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class StagePublication(models.Model):
    """What the portal shows of a stage: a frozen list holding only the fields the stage publishes.
    A re-publication after an accepted objection is a new version; older versions stay."""

    stage = models.ForeignKey(OpeningStage, on_delete=models.CASCADE, related_name="publications")
    version = models.PositiveSmallIntegerField(_("version"))
    fields = models.JSONField(_("published fields"), default=list)
    component_names = models.JSONField(default=list)
    rows = models.JSONField(_("rows"), default=list)
    note = models.CharField(_("note"), max_length=300, blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["stage", "-version"]
        constraints = [models.UniqueConstraint(fields=["stage", "version"], name="publication_version_unique")]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class ObjectionStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Objection(models.Model):
    """A sanggah: an applicant's objection to a stage's published result, decided by HR."""

    stage = models.ForeignKey(OpeningStage, on_delete=models.PROTECT, related_name="objections")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="objections")
    reason = models.TextField(_("reasons"))
    filed_at = models.DateTimeField(_("filed at"), auto_now_add=True)
    status = models.CharField(_("status"), max_length=10, choices=ObjectionStatus.choices,
                              default=ObjectionStatus.FILED, db_index=True)
    decision_reason = models.TextField(_("decision"), blank=True)
    # {"stage": <stage id>, "scores": {component: "value"}} or {"stage": <id>, "outcome": "passed"}
    corrections = models.JSONField(_("corrections"), default=dict, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")

    def __str__(self):
        return f"{self.application} · {self.stage}"


class ScoreImport(models.Model):
    stage = models.ForeignKey(OpeningStage, on_delete=models.CASCADE, related_name="imports")
    original_name = models.CharField(_("file name"), max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied = models.BooleanField(_("applied"), default=False)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    # [{"row": 5, "field": "TWK", "reason": "..."}]
    errors = models.JSONField(_("errors"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"


class Hire(models.Model):
    """A selected application turned into an employee record (status candidate), with the onboarding
    training the hire is to follow."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="hire")
    employee = models.OneToOneField("people.Employee", on_delete=models.PROTECT, related_name="+")
    hired_at = models.DateTimeField(_("hired at"), auto_now_add=True)
    hired_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    # [{"code", "title", "jp_hours", "status": "enrolled" | "to_enrol"}]
    onboarding = models.JSONField(_("onboarding training"), default=list, blank=True)

    class Meta:
        ordering = ["application__final_rank"]

    def __str__(self):
        return f"{capfirst(self._meta.verbose_name)} #{self.pk}"
