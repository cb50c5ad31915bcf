"""Writing recruitment data. Every rule about openings, stages, applications, scores, objections and
hiring lives here; HR pages, the job portal, the API and the score import call these functions.

Errors are `ValidationError`s keyed by field, so each caller can name what is wrong; every write that
matters is audited with `record_change`; a failing step saves nothing (transaction.atomic)."""
from __future__ import annotations

import datetime
import logging
import zoneinfo
from decimal import Decimal

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import REGION_ROLES, Role
from kinerja.audit.services import record_change, snapshot
from kinerja_plugin_api.conformance import recruitment_stage_problems
from kinerja_plugin_api.host import PluginContractError, PluginHost, get_host
from kinerja.plugins.failures.messages import stages_failed
from kinerja.plugins.models import PluginActivation
from kinerja_plugin_api.types import RecruitmentStage
from kinerja.recruitment import rules
from kinerja.recruitment.models import (
    Applicant,
    Application,
    ApplicationDocument,
    ApplicationStatus,
    Hire,
    Objection,
    ObjectionStatus,
    Opening,
    OpeningStage,
    OpeningStatus,
    Outcome,
    ReviewStatus,
    ScoreSheet,
    SheetSource,
    StageAssessor,
    StageKind,
    StagePublication,
    StageResult,
    StageStatus,
)

logger = logging.getLogger(__name__)

OPENING_FIELDS = ["code", "title", "kind", "position_id", "unit_id", "posts", "managerial", "employee_type", "rank",
                  "requirements", "documents_required", "registration_opens", "registration_closes", "schedule",
                  "onboarding_courses", "status"]
STAGE_RULE_FIELDS = ["sequence", "included", "threshold", "advance_per_post", "tie_breaks", "ranking_mix",
                     "publish_fields", "objection_window_days", "status"]
MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# Bounds on what HR may set for a stage; the national rules use 3 x posts and 3 days.
MAX_ADVANCE_PER_POST = 100
MAX_OBJECTION_WINDOW_DAYS = 60
DOCUMENT_EXTENSIONS = (".pdf", ".jpg", ".jpeg", ".png")
APPLICANT_SESSION_KEY = "recruitment_applicant"


# --- the region's clock -------------------------------------------------------------------------

def region_zone() -> zoneinfo.ZoneInfo:
    name = getattr(connection.tenant, "time_zone", None)
    return zoneinfo.ZoneInfo(name or "Asia/Jakarta")


def region_today(now: datetime.datetime | None = None) -> datetime.date:
    return (now or timezone.now()).astimezone(region_zone()).date()


def _end_of_local_day(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=region_zone())


def _require_hr(actor) -> None:
    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.role == Role.HR_ADMIN):
        raise PermissionDenied(_("Only the region's HR admins manage recruitment."))


# --- stage templates from the plugins ----------------------------------------------------------

def stage_definitions(kind: str, host: PluginHost | None = None) -> list[tuple[str, RecruitmentStage]]:
    """The stages the region's enabled recruitment plugins supply for an opening kind, in flow order.
    A plugin that fails or returns something other than stages is named in the error."""
    host = host or get_host()
    enabled = list(PluginActivation.objects.filter(enabled=True).values_list("plugin_name", flat=True))
    found: list[tuple[str, RecruitmentStage]] = []
    for plugin_name, outcome in host.call_each("kinerja_recruitment_stages", names=enabled, opening_kind=kind):
        if isinstance(outcome, Exception):  # the host logged the exception for the operator and the vendor
            raise ValidationError({"kind": [stages_failed(plugin_name)]})
        if outcome is None:
            continue
        if not isinstance(outcome, (list, tuple)) or not all(isinstance(s, RecruitmentStage) for s in outcome):
            host.report_failure(plugin_name, "kinerja_recruitment_stages", PluginContractError(
                "kinerja_recruitment_stages must return a list of RecruitmentStage or None"))
            raise ValidationError({"kind": [stages_failed(plugin_name)]})
        # The check vendors run before publishing a plugin, run again: a broken rule must not reach a pipeline.
        if problems := recruitment_stage_problems(outcome):
            host.report_failure(plugin_name, "kinerja_recruitment_stages", PluginContractError("; ".join(problems)))
            raise ValidationError({"kind": [_("The recruitment plugin %(plugin)s supplies stages that cannot be "
                                              "used: %(problems)s") % {"plugin": plugin_name,
                                                                       "problems": "; ".join(problems)}]})
        found.extend((plugin_name, stage) for stage in outcome)
    return sorted(found, key=lambda pair: (pair[1].order, pair[0]))


def training_catalog(host: PluginHost | None = None) -> dict[str, dict]:
    """Course code -> {code, title, jp_hours} from the region's enabled training plugins."""
    host = host or get_host()
    enabled = list(PluginActivation.objects.filter(enabled=True).values_list("plugin_name", flat=True))
    catalog = {}
    for _name, outcome in host.call_each("kinerja_training_catalog", names=enabled):
        if isinstance(outcome, Exception) or not outcome:
            continue
        for course in outcome:
            catalog.setdefault(course.code, {"code": course.code, "title": course.title, "jp_hours": course.jp_hours})
    return catalog


# --- openings ----------------------------------------------------------------------------------

def _clean_documents(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    names = [str(name).strip() for name in (value or []) if str(name).strip()]
    return list(dict.fromkeys(names))


def _validate_opening(opening: Opening, host: PluginHost | None) -> None:
    errors: dict[str, list[str]] = {}
    opening.code = (opening.code or "").strip()
    opening.title = (opening.title or "").strip()
    opening.kind = (opening.kind or "").strip().lower()
    if not opening.code:
        errors.setdefault("code", []).append(_("an opening needs a code"))
    elif Opening.objects.filter(code=opening.code).exclude(pk=opening.pk).exists():
        errors.setdefault("code", []).append(_("code %s is already used by another opening") % opening.code)
    if not opening.title:
        errors.setdefault("title", []).append(_("an opening needs a title"))
    if not opening.kind:
        errors.setdefault("kind", []).append(_("an opening needs a kind (cpns, pppk, ...)"))
    if not isinstance(opening.posts, int) or opening.posts < 1:
        errors.setdefault("posts", []).append(_("the number of posts must be at least 1"))
    if not (opening.requirements or "").strip():
        errors.setdefault("requirements", []).append(_("state the requirements applicants must meet"))
    if not opening.documents_required:
        errors.setdefault("documents_required", []).append(_("name at least one document applicants upload"))
    if opening.registration_opens and opening.registration_closes and \
            opening.registration_closes < opening.registration_opens:
        errors.setdefault("registration_closes", []).append(_("registration cannot close before it opens"))
    from kinerja.people.services import rank_problem

    if problem := rank_problem(opening.employee_type, opening.rank):
        errors.setdefault("rank", []).append(problem)
    if opening.onboarding_courses:
        catalog = training_catalog(host)
        unknown = [code for code in opening.onboarding_courses if code not in catalog]
        if unknown:
            errors.setdefault("onboarding_courses", []).append(
                _("no enabled training catalog has course %s") % ", ".join(unknown))
    if errors:
        raise ValidationError(errors)


def _stage_snapshot(stage: OpeningStage) -> dict:
    return snapshot(stage, ["name"] + STAGE_RULE_FIELDS)


@transaction.atomic
def create_opening(*, actor, code: str, title: str, kind: str, position, unit, posts: int, rank: str,
                   requirements: str, documents_required, registration_opens: datetime.date,
                   registration_closes: datetime.date, employee_type: str = "PNS", managerial: bool = False,
                   schedule: str = "", onboarding_courses=(), host: PluginHost | None = None) -> Opening:
    """A draft opening with its pipeline built from the region's recruitment plugins for its kind."""
    _require_hr(actor)
    opening = Opening(code=code, title=title, kind=kind, position=position, unit=unit, posts=posts, rank=rank,
                      requirements=(requirements or "").strip(), documents_required=_clean_documents(documents_required),
                      registration_opens=registration_opens, registration_closes=registration_closes,
                      employee_type=employee_type, managerial=managerial, schedule=(schedule or "").strip(),
                      onboarding_courses=[str(c).strip() for c in onboarding_courses if str(c).strip()],
                      created_by=actor)
    _validate_opening(opening, host)
    definitions = stage_definitions(opening.kind, host)
    if not definitions:
        raise ValidationError({"kind": [_("No enabled recruitment plugin supplies stages for openings of kind "
                                          "'%s'. Enable one on the Plugins page.") % opening.kind]})
    opening.save()
    earlier: list[RecruitmentStage] = []
    for sequence, (plugin_name, definition) in enumerate(definitions, start=1):
        fields = rules.derive(definition, earlier, is_first=sequence == 1)
        applies = fields["applies_to"] == "all" or (fields["applies_to"] == "managerial" and opening.managerial)
        OpeningStage.objects.create(opening=opening, sequence=sequence, plugin_name=plugin_name,
                                    included=applies or not fields["optional"], **fields)
        earlier.append(definition)
    record_change(actor=actor, action="recruitment.opening.created", target=opening,
                  after={**snapshot(opening, OPENING_FIELDS),
                         "stages": [s.name for s in opening.stages.filter(included=True)]})
    return opening


def _draft_stage(stage: OpeningStage) -> OpeningStage:
    stage = OpeningStage.objects.select_for_update().select_related("opening").get(pk=stage.pk)
    if stage.opening.status != OpeningStatus.DRAFT:
        raise ValidationError({"stage": [_("The pipeline can only change while the opening is a draft.")]})
    return stage


@transaction.atomic
def move_stage(stage: OpeningStage, *, actor, up: bool) -> OpeningStage:
    _require_hr(actor)
    stage = _draft_stage(stage)
    neighbour = (stage.opening.stages.filter(sequence__lt=stage.sequence).order_by("-sequence") if up
                 else stage.opening.stages.filter(sequence__gt=stage.sequence).order_by("sequence")).first()
    if neighbour is None:
        raise ValidationError({"stage": [_("%s cannot move further.") % stage.name]})
    before = [s.name for s in stage.opening.stages.order_by("sequence")]
    stage.sequence, neighbour.sequence = neighbour.sequence, stage.sequence
    stage.save(update_fields=["sequence"])
    neighbour.save(update_fields=["sequence"])
    record_change(actor=actor, action="recruitment.stage.moved", target=stage.opening, before={"stages": before},
                  after={"stages": [s.name for s in stage.opening.stages.order_by("sequence")]})
    return stage


@transaction.atomic
def set_stage_included(stage: OpeningStage, *, actor, included: bool) -> OpeningStage:
    """Drop an optional stage from the pipeline, or put it back."""
    _require_hr(actor)
    stage = _draft_stage(stage)
    if not included and not stage.optional:
        raise ValidationError({"included": [_("%s is not optional and cannot be dropped.") % stage.name]})
    before = _stage_snapshot(stage)
    stage.included = included
    stage.save(update_fields=["included"])
    record_change(actor=actor, action="recruitment.stage.included" if included else "recruitment.stage.dropped",
                  target=stage, before=before, after=_stage_snapshot(stage))
    return stage


def stage_maximum(stage: OpeningStage) -> Decimal | None:
    """The highest score a stage can give, or None for a stage without scores: 100 for a scored stage
    (its weights add up to 100); for a computed stage, what its parts can read x their weights."""
    if not stage.components:
        return None
    if stage.kind != StageKind.COMPUTED:
        return rules.HUNDRED
    return rules.quantize(sum((Decimal(c["max_score"]) * Decimal(c["weight"]) / rules.HUNDRED
                               for c in stage.components), Decimal(0)))


def publishable_fields(stage: OpeningStage) -> list[str]:
    """The portal fields that mean something for the stage: scores only where it scores, ranks only where
    it ranks (announcements carry the rank of the stage before)."""
    fields = []
    for name in rules.PUBLISHABLE_FIELDS:
        if name in ("components", "score") and not stage.components:
            continue
        if name == "rank" and not (stage.ranks or stage.kind in (StageKind.ANNOUNCEMENT, StageKind.NOTICE)):
            continue
        fields.append(name)
    return fields


@transaction.atomic
def update_stage_rules(stage: OpeningStage, *, actor, publish_fields=None, threshold=None,
                       advance_per_post=None, objection_window_days=None) -> OpeningStage:
    """Adjust the rules taken from the plugin's stage definition before the opening is published. A value
    of None leaves that rule as it is; an empty threshold or candidates-per-post removes the limit."""
    _require_hr(actor)
    stage = _draft_stage(stage)
    before = _stage_snapshot(stage)
    errors: dict[str, list[str]] = {}
    if publish_fields is not None:
        allowed = publishable_fields(stage)
        if isinstance(publish_fields, str) or not isinstance(publish_fields, (list, tuple)):
            errors["publish_fields"] = [_("give the published fields as a list of field names")]
        elif unknown := [str(f) for f in publish_fields if f not in allowed]:
            errors["publish_fields"] = [_("%(stage)s cannot publish %(fields)s; it can publish %(allowed)s")
                                        % {"stage": stage.name, "fields": ", ".join(unknown),
                                           "allowed": ", ".join(allowed)}]
        elif not publish_fields:
            errors["publish_fields"] = [_("choose at least one field to publish")]
        else:
            stage.publish_fields = [f for f in rules.PUBLISHABLE_FIELDS if f in publish_fields]
    if threshold is not None:
        maximum = stage_maximum(stage)
        value = rules.to_decimal(threshold) if threshold != "" else None
        if threshold == "":
            stage.threshold = None
        elif maximum is None:
            errors["threshold"] = [_("%s gives no score, so it has no minimum score") % stage.name]
        elif isinstance(threshold, bool) or value is None or not Decimal(0) <= value <= maximum:
            errors["threshold"] = [_("the minimum score must be a number from 0 to %s") % rules.plain(maximum)]
        else:
            stage.threshold = rules.quantize(value)
    if advance_per_post is not None:
        text = str(advance_per_post).strip()
        if text == "":
            stage.advance_per_post = None
        elif not stage.ranks:
            errors["advance_per_post"] = [_("%s does not rank its candidates, so it has no quota per post")
                                          % stage.name]
        elif isinstance(advance_per_post, bool) or not text.isdigit() or not 1 <= int(text) <= MAX_ADVANCE_PER_POST:
            errors["advance_per_post"] = [_("candidates per post must be a whole number from 1 to %d")
                                          % MAX_ADVANCE_PER_POST]
        else:
            stage.advance_per_post = int(text)
    if objection_window_days is not None:
        text = str(objection_window_days).strip()
        if isinstance(objection_window_days, bool) or not text.isdigit() or int(text) > MAX_OBJECTION_WINDOW_DAYS:
            errors["objection_window_days"] = [_("the objection window is a whole number of days from 0 to %d")
                                               % MAX_OBJECTION_WINDOW_DAYS]
        else:
            stage.objection_window_days = int(text)
    if errors:
        raise ValidationError(errors)
    stage.save(update_fields=["publish_fields", "threshold", "advance_per_post", "objection_window_days"])
    after = _stage_snapshot(stage)
    if after != before:
        record_change(actor=actor, action="recruitment.stage.rules_changed", target=stage, before=before,
                      after=after)
    return stage


def _stages_read(stage: OpeningStage) -> list[str]:
    """The other stages whose scores this stage reads: sources, ranking mix and tie-breakers."""
    names = [c["source"] for c in stage.components if c.get("source")]
    names += [part["stage"] for part in stage.ranking_mix if part["stage"] != stage.name]
    if stage.ranks:
        own = set(stage.component_names()) | {stage.name}
        names += [name for name in stage.tie_breaks if name not in own]
    return names


def _pipeline_problems(opening: Opening) -> list[str]:
    stages = list(opening.stages.filter(included=True).order_by("sequence"))
    problems = []
    if not stages:
        return [_("The pipeline has no stages.")]
    seen: list[str] = []
    for stage in stages:
        for name in dict.fromkeys(_stages_read(stage)):
            if name not in seen:
                problems.append(_("%(stage)s reads the score of %(source)s, which must be included and come before it.")
                                % {"stage": stage.name, "source": name})
        seen.append(stage.name)
    if stages[0].kind != StageKind.ADMINISTRATIVE:
        problems.append(_("The first stage must be the administrative check of the applicants' documents."))
    return problems


@transaction.atomic
def publish_opening(opening: Opening, *, actor, now=None) -> Opening:
    """Put a draft opening on the job portal, with registration open on its dates."""
    _require_hr(actor)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.status != OpeningStatus.DRAFT:
        raise ValidationError({"status": [_("Only a draft opening can be published.")]})
    problems = _pipeline_problems(opening)
    if problems:
        raise ValidationError({"stages": problems})
    before = snapshot(opening, ["status"])
    opening.status = OpeningStatus.OPEN
    opening.published_at = now or timezone.now()
    opening.save(update_fields=["status", "published_at"])
    record_change(actor=actor, action="recruitment.opening.published", target=opening, before=before,
                  after={"status": opening.status, "stages": [s.name for s in opening.stages.filter(included=True)]})
    return opening


# --- applicants and their portal sign-in ---------------------------------------------------------

@transaction.atomic
def register_applicant(*, email: str, password: str, full_name: str, birth_date: datetime.date, gender: str,
                       phone: str = "") -> Applicant:
    errors: dict[str, list[str]] = {}
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("%r is not an email address") % email]
    else:
        if Applicant.objects.filter(email=email).exists():
            errors["email"] = [_("an applicant with this email is already registered; sign in instead")]
    if not (full_name or "").strip():
        errors["full_name"] = [_("give your full name as on your identity card")]
    if gender not in ("M", "F"):
        errors["gender"] = [_("gender must be M or F")]
    if not isinstance(birth_date, datetime.date):
        errors["birth_date"] = [_("a birth date is needed")]
    elif birth_date > timezone.localdate() - datetime.timedelta(days=17 * 365):
        errors["birth_date"] = [_("applicants must be at least 17 years old")]
    try:
        validate_password(password or "")
    except ValidationError as error:
        errors["password"] = list(error.messages)
    if errors:
        raise ValidationError(errors)
    return Applicant.objects.create(email=email, password=make_password(password), full_name=full_name.strip(),
                                    birth_date=birth_date, gender=gender, phone=(phone or "").strip())


def authenticate_applicant(email: str, password: str) -> Applicant | None:
    """The applicant of this region with that email and password, or None."""
    applicant = Applicant.objects.filter(email=(email or "").strip().lower()).first()
    if applicant is None:
        make_password(password)  # same work as a real check, so timing does not tell who is registered
        return None
    return applicant if check_password(password, applicant.password) else None


def sign_in_applicant(request, applicant: Applicant) -> None:
    """Start the applicant's portal session. The key names the region's schema too, so a session can
    never be read as another region's applicant."""
    request.session.cycle_key()
    request.session[APPLICANT_SESSION_KEY] = {"id": applicant.pk, "schema": connection.schema_name}
    Applicant.objects.filter(pk=applicant.pk).update(last_login=timezone.now())


def sign_out_applicant(request) -> None:
    request.session.pop(APPLICANT_SESSION_KEY, None)
    request.session.cycle_key()


# --- applications and documents ------------------------------------------------------------------

@transaction.atomic
def apply(*, applicant: Applicant, opening: Opening, now=None) -> Application:
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    today = region_today(now)
    if opening.status != OpeningStatus.OPEN or not (opening.registration_opens <= today <= opening.registration_closes):
        raise ValidationError({"opening": [_("Registration for this opening is not open.")]})
    if Application.objects.filter(opening=opening, applicant=applicant).exists():
        raise ValidationError({"opening": [_("You have already applied for this opening.")]})
    count = Application.objects.filter(opening=opening).count()
    application = Application.objects.create(opening=opening, applicant=applicant,
                                             number=f"{opening.code.upper()}-{count + 1:05d}")
    record_change(actor=None, action="recruitment.application.submitted", target=application,
                  after={"opening": opening.code, "applicant": applicant.email, "number": application.number})
    return application


def registration_open(opening: Opening, now=None) -> bool:
    return opening.status == OpeningStatus.OPEN and \
        opening.registration_opens <= region_today(now) <= opening.registration_closes


@transaction.atomic
def upload_document(*, applicant: Applicant, application: Application, name: str, uploaded_file,
                    now=None) -> ApplicationDocument:
    """Upload (or replace) one of the opening's required documents while registration is open."""
    if application.applicant_id != applicant.pk:
        raise PermissionDenied
    opening = application.opening
    if not registration_open(opening, now):
        raise ValidationError({"file": [_("Documents can only be uploaded while registration is open.")]})
    if name not in opening.documents_required:
        raise ValidationError({"name": [_("%s is not one of the documents this opening asks for.") % name]})
    filename = getattr(uploaded_file, "name", "") or ""
    if not filename.lower().endswith(DOCUMENT_EXTENSIONS):
        raise ValidationError({"file": [_("Upload a PDF, JPG or PNG file.")]})
    if uploaded_file.size > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": [_("The file is larger than %d MB.") % (MAX_DOCUMENT_BYTES // (1024 * 1024))]})
    document = ApplicationDocument.objects.filter(application=application, name=name).first()
    if document is None:
        document = ApplicationDocument(application=application, name=name)
    elif document.file:
        document.file.delete(save=False)
    document.file = uploaded_file
    document.original_name = filename.rsplit("/", 1)[-1][:255]
    document.review_status, document.review_reason, document.reviewed_by, document.reviewed_at = \
        ReviewStatus.PENDING, "", None, None
    document.save()
    return document


@transaction.atomic
def review_document(document: ApplicationDocument, *, actor, accepted: bool, reason: str = "") -> ApplicationDocument:
    """HR's administrative check of one document; a rejection needs a reason the applicant will read."""
    _require_hr(actor)
    document = ApplicationDocument.objects.select_for_update().select_related("application__opening").get(pk=document.pk)
    stage = _current_stage(document.application.opening)
    if stage is None or stage.kind != StageKind.ADMINISTRATIVE or stage.status not in (StageStatus.ACTIVE,
                                                                                      StageStatus.COMPUTED):
        raise ValidationError({"document": [_("Documents are checked during the administrative stage.")]})
    reason = (reason or "").strip()
    if not accepted and not reason:
        raise ValidationError({"reason": [_("Say why the document is rejected.")]})
    before = snapshot(document, ["review_status", "review_reason"])
    document.review_status = ReviewStatus.ACCEPTED if accepted else ReviewStatus.REJECTED
    document.review_reason = reason
    document.reviewed_by, document.reviewed_at = actor, timezone.now()
    document.save()
    _back_to_active(stage)
    record_change(actor=actor, action="recruitment.document.reviewed", target=document, before=before,
                  after=snapshot(document, ["review_status", "review_reason"]), reason=reason)
    return document


# --- running the stages ----------------------------------------------------------------------------

def included_stages(opening: Opening) -> list[OpeningStage]:
    return list(opening.stages.filter(included=True).order_by("sequence"))


def _current_stage(opening: Opening) -> OpeningStage | None:
    return opening.stages.filter(included=True).exclude(status__in=[StageStatus.PENDING, StageStatus.CLOSED]) \
        .order_by("sequence").first()


def _back_to_active(stage: OpeningStage) -> None:
    """New input after a computation makes the computed results stale."""
    if stage.status == StageStatus.COMPUTED:
        stage.status = StageStatus.ACTIVE
        stage.save(update_fields=["status"])


def _participants(stage: OpeningStage, stages: list[OpeningStage]) -> list[Application]:
    index = [s.pk for s in stages].index(stage.pk)
    applications = Application.objects.filter(opening_id=stage.opening_id).select_related("applicant")
    if index > 0 and stage.kind in (StageKind.ANNOUNCEMENT, StageKind.NOTICE):
        # Announcements list everyone who took part in the stage before, so each can see and object.
        applications = applications.filter(results__stage=stages[index - 1])
    elif index > 0:
        applications = applications.filter(results__stage=stages[index - 1], results__outcome=Outcome.PASSED)
    return list(applications.order_by("number"))


def _sync_results(stage: OpeningStage, stages: list[OpeningStage]) -> list[Application]:
    """Make the stage's result rows match who takes part in it (score sheets are kept either way)."""
    participants = _participants(stage, stages)
    ids = {a.pk for a in participants}
    StageResult.objects.filter(stage=stage).exclude(application_id__in=ids).delete()
    existing = set(StageResult.objects.filter(stage=stage).values_list("application_id", flat=True))
    StageResult.objects.bulk_create([StageResult(stage=stage, application=a) for a in participants
                                     if a.pk not in existing])
    return participants


@transaction.atomic
def close_registration(opening: Opening, *, actor) -> OpeningStage:
    """End registration and start the first stage with every application."""
    _require_hr(actor)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.status != OpeningStatus.OPEN:
        raise ValidationError({"status": [_("Registration is not open.")]})
    if not opening.applications.exists():
        raise ValidationError({"status": [_("No one has applied yet.")]})
    stages = included_stages(opening)
    opening.status = OpeningStatus.SELECTION
    opening.save(update_fields=["status"])
    first = stages[0]
    first.status = StageStatus.ACTIVE
    first.save(update_fields=["status"])
    _sync_results(first, stages)
    opening.applications.update(status=ApplicationStatus.IN_SELECTION)
    record_change(actor=actor, action="recruitment.opening.registration_closed", target=opening,
                  before={"status": OpeningStatus.OPEN}, after={"status": opening.status,
                                                               "applications": opening.applications.count()})
    return first


def _active_stage(stage: OpeningStage) -> OpeningStage:
    stage = OpeningStage.objects.select_for_update().select_related("opening").get(pk=stage.pk)
    if stage.status not in (StageStatus.ACTIVE, StageStatus.COMPUTED):
        raise ValidationError({"stage": [_("%s is not taking input now.") % stage.name]})
    return stage


@transaction.atomic
def assign_assessor(stage: OpeningStage, user, *, actor) -> StageAssessor:
    _require_hr(actor)
    stage = OpeningStage.objects.select_for_update().get(pk=stage.pk)
    if not stage.uses_assessors:
        raise ValidationError({"user": [_("%s is not scored by assessors.") % stage.name]})
    if stage.status in (StageStatus.PUBLISHED, StageStatus.CLOSED):
        raise ValidationError({"user": [_("%s is finished.") % stage.name]})
    if user.role not in REGION_ROLES or not user.is_active:
        raise ValidationError({"user": [_("Assessors are the region's own staff.")]})
    assessor, created = StageAssessor.objects.get_or_create(stage=stage, user=user)
    if not created:
        raise ValidationError({"user": [_("%s already assesses this stage.") % user]})
    record_change(actor=actor, action="recruitment.assessor.assigned", target=stage,
                  after={"assessor": user.get_username()})
    return assessor


def _clean_scores(stage: OpeningStage, raw: dict, *, complete: bool) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    names = stage.component_names()
    for key in raw:
        if key not in names:
            errors.setdefault(key, []).append(_("%(stage)s has no component %(name)s") % {"stage": stage.name,
                                                                                           "name": key})
    for component in stage.components:
        name = component["name"]
        value = raw.get(name)
        if value in (None, ""):
            if complete:
                errors.setdefault(name, []).append(_("a score is needed"))
            continue
        number = rules.to_decimal(value)
        maximum = Decimal(component["max_score"])
        if number is None:
            errors.setdefault(name, []).append(_("%r is not a number") % value)
        elif not Decimal(0) <= number <= maximum:
            errors.setdefault(name, []).append(_("must be between 0 and %s") % rules.plain(maximum))
        else:
            cleaned[name] = str(rules.quantize(number))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _participant(stage: OpeningStage, application: Application) -> None:
    if not StageResult.objects.filter(stage=stage, application=application).exists():
        raise ValidationError({"application": [_("%(number)s does not take part in %(stage)s.")
                                               % {"number": application.number, "stage": stage.name}]})


@transaction.atomic
def save_score_sheet(stage: OpeningStage, application: Application, *, assessor, scores: dict,
                     submit: bool = False) -> ScoreSheet:
    """An assessor's own scores for one candidate; a submitted sheet is final."""
    stage = _active_stage(stage)
    if not stage.uses_assessors or not StageAssessor.objects.filter(stage=stage, user=assessor).exists():
        raise PermissionDenied(_("You do not assess this stage."))
    _participant(stage, application)
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
        stage=stage, application=application, assessor=assessor, defaults={"source": SheetSource.ASSESSOR})
    if sheet.submitted_at is not None:
        raise ValidationError({"scores": [_("These scores were submitted and can no longer change.")]})
    sheet.scores = {**sheet.scores, **_clean_scores(stage, scores, complete=False)}
    if submit:
        _clean_scores(stage, sheet.scores, complete=True)
        sheet.submitted_at = timezone.now()
    sheet.save()
    if submit:
        _back_to_active(stage)
        record_change(actor=assessor, action="recruitment.scores.submitted", target=application,
                      after={"stage": stage.name, "scores": sheet.scores})
    return sheet


def _write_system_sheet(stage, application, scores, source) -> tuple[dict | None, dict]:
    sheet = ScoreSheet.objects.filter(stage=stage, application=application, assessor__isnull=True).first()
    before = dict(sheet.scores) if sheet else None
    if sheet is None:
        sheet = ScoreSheet(stage=stage, application=application, assessor=None)
    sheet.source, sheet.scores, sheet.submitted_at = source, scores, timezone.now()
    sheet.save()
    return before, scores


@transaction.atomic
def enter_scores(stage: OpeningStage, application: Application, *, actor, scores: dict) -> ScoreSheet:
    """HR enters a candidate's scores of a computer-scored stage (the test centre's results)."""
    _require_hr(actor)
    stage = _active_stage(stage)
    if stage.kind != StageKind.SCORED or stage.uses_assessors:
        raise ValidationError({"stage": [_("%s is not scored by the test centre.") % stage.name]})
    _participant(stage, application)
    cleaned = _clean_scores(stage, scores, complete=True)
    before, after = _write_system_sheet(stage, application, cleaned, SheetSource.ENTRY)
    _back_to_active(stage)
    record_change(actor=actor, action="recruitment.scores.entered", target=application, before=before,
                  after={"stage": stage.name, "scores": after})
    return ScoreSheet.objects.get(stage=stage, application=application, assessor__isnull=True)


def write_imported_scores(stage: OpeningStage, rows: list[tuple[Application, dict]], *, actor) -> None:
    """Store a checked import (called by imports.py inside its transaction)."""
    for application, scores in rows:
        _write_system_sheet(stage, application, scores, SheetSource.IMPORT)
    _back_to_active(stage)


# --- computing, publishing, advancing ----------------------------------------------------------------

def _average(sheets: list[ScoreSheet], names: list[str]) -> dict[str, Decimal]:
    return rules.average([s.scores for s in sheets], names)


def _candidates(stage: OpeningStage, stages: list[OpeningStage], participants: list[Application]) -> list[rules.Candidate]:
    results = {r.application_id: r for r in StageResult.objects.filter(stage=stage)}
    candidates = [rules.Candidate(key=a.pk, number=a.number, override=results[a.pk].outcome_override)
                  for a in participants]
    by_key = {c.key: c for c in candidates}
    problems: list[str] = []
    if stage.kind == StageKind.ADMINISTRATIVE:
        required = stage.opening.documents_required
        documents: dict[int, dict[str, ApplicationDocument]] = {}
        for document in ApplicationDocument.objects.filter(application__in=participants):
            documents.setdefault(document.application_id, {})[document.name] = document
        for application in participants:
            candidate, own = by_key[application.pk], documents.get(application.pk, {})
            missing = [name for name in required if name not in own]
            rejected = [own[name] for name in required if name in own and own[name].review_status == ReviewStatus.REJECTED]
            pending = [name for name in required if name in own and own[name].review_status == ReviewStatus.PENDING]
            if missing:
                candidate.admin_outcome, candidate.admin_reason = rules.FAILED, ("documents_missing", ", ".join(missing))
            elif rejected:
                candidate.admin_outcome = rules.FAILED
                candidate.admin_reason = ("documents_rejected",
                                          "; ".join(f"{d.name}: {d.review_reason}" for d in rejected)[:300])
            elif pending and not candidate.override:
                problems.append(_("%(number)s: %(documents)s not checked yet")
                                % {"number": application.number, "documents": ", ".join(pending)})
            else:
                candidate.admin_outcome = rules.PASSED
    elif stage.kind == StageKind.SCORED:
        names = stage.component_names()
        sheets: dict[int, list[ScoreSheet]] = {}
        for sheet in ScoreSheet.objects.filter(stage=stage, application__in=participants, submitted_at__isnull=False):
            sheets.setdefault(sheet.application_id, []).append(sheet)
        assessors = set(StageAssessor.objects.filter(stage=stage).values_list("user_id", flat=True))
        if stage.uses_assessors and not assessors:
            raise ValidationError({"stage": [_("Assign at least one assessor to %s.") % stage.name]})
        for application in participants:
            candidate = by_key[application.pk]
            own = sheets.get(application.pk, [])
            if stage.uses_assessors:
                own = [s for s in own if s.assessor_id in assessors]
                waiting = len(assessors) - len(own)
                if waiting and not results[application.pk].corrected_scores:
                    problems.append(_("%(number)s: %(count)d assessor(s) have not submitted")
                                    % {"number": application.number, "count": waiting})
                    continue
            elif not own and not results[application.pk].corrected_scores:
                problems.append(_("%s: no scores") % application.number)
                continue
            scores = _average(own, names) if own else {}
            scores.update({k: Decimal(v) for k, v in results[application.pk].corrected_scores.items()})
            missing = [name for name in names if name not in scores]
            if missing:
                problems.append(_("%(number)s: no score for %(names)s") % {"number": application.number,
                                                                           "names": ", ".join(missing)})
                continue
            candidate.scores = scores
    elif stage.kind == StageKind.COMPUTED:
        sources = {c["source"] for c in stage.components}
        scores = _stage_scores(stage.opening, sources, participants)
        for application in participants:
            candidate = by_key[application.pk]
            for component in stage.components:
                value = scores.get((component["source"], application.pk))
                if value is None:
                    problems.append(_("%(number)s: no %(stage)s score") % {"number": application.number,
                                                                         "stage": component["source"]})
                else:
                    candidate.scores[component["name"]] = value[0 if component.get("scale_to_100", True) else 1]
            correction = results[application.pk].corrected_scores
            candidate.scores.update({k: Decimal(v) for k, v in correction.items()})
    else:
        previous = [s for s in stages if s.sequence < stage.sequence]
        ranked = StageResult.objects.filter(stage__in=previous, application__in=participants, rank__isnull=False) \
            .order_by("stage__sequence").values_list("application_id", "rank")
        for application_id, rank in ranked:
            by_key[application_id].carried_rank = rank  # the latest stage wins (ordered by sequence)
        before = [s for s in stages if s.sequence < stage.sequence][-1:]
        passed_before = set(StageResult.objects.filter(stage__in=before, outcome=Outcome.PASSED)
                            .values_list("application_id", flat=True))
        for candidate in candidates:
            candidate.eligible = candidate.key in passed_before
    read = set(_stages_read(stage)) - {c["source"] for c in stage.components if c.get("source")}
    if read and stage.kind in (StageKind.SCORED, StageKind.COMPUTED):
        scores = _stage_scores(stage.opening, read, participants)
        for candidate in candidates:
            for name in sorted(read):
                value = scores.get((name, candidate.key))
                if value is None:
                    problems.append(_("%(number)s: no %(stage)s score") % {"number": candidate.number, "stage": name})
                else:
                    candidate.mix_scores[name], candidate.mix_points[name] = value
    if problems:
        raise ValidationError({"stage": [_("%(stage)s cannot be computed yet: %(problems)s")
                                         % {"stage": stage.name, "problems": "; ".join(problems[:20])
                                            + ("; ..." if len(problems) > 20 else "")}]})
    return candidates


def _stage_scores(opening: Opening, stage_names: set[str],
                  participants) -> dict[tuple[str, int], tuple[Decimal, Decimal]]:
    """(stage name, application id) -> (score on 100, points added up). A stage computed from others has
    only its score, which then stands for its points too."""
    rows = StageResult.objects.filter(stage__opening=opening, stage__name__in=stage_names, stage__included=True,
                                      application__in=participants, score__isnull=False) \
        .values_list("stage__name", "stage__kind", "application_id", "score", "scores")
    found = {}
    for name, kind, application_id, score, scores in rows:
        points = score if kind == StageKind.COMPUTED else sum((Decimal(v) for v in scores.values()), Decimal(0))
        found[(name, application_id)] = (score, points)
    return found


def _stage_rules(stage: OpeningStage) -> dict:
    return {"kind": stage.kind, "name": stage.name, "components": stage.components, "threshold": stage.threshold,
            "advance_per_post": stage.advance_per_post, "ranks": stage.ranks, "tie_breaks": stage.tie_breaks,
            "ranking_mix": stage.ranking_mix}


def _compute(stage: OpeningStage, stages: list[OpeningStage]) -> dict[int, tuple]:
    """Evaluate the stage and store its results; returns application id -> (rank, outcome) before."""
    participants = _sync_results(stage, stages)
    candidates = _candidates(stage, stages, participants)
    evaluations = rules.evaluate(_stage_rules(stage), candidates, stage.opening.posts)
    results = {r.application_id: r for r in StageResult.objects.filter(stage=stage)}
    before = {pk: (r.rank, r.outcome, r.score) for pk, r in results.items()}
    scores_by_key = {c.key: c.scores for c in candidates}
    for evaluation in evaluations:
        result = results[evaluation.key]
        result.scores = {name: str(value) for name, value in scores_by_key[evaluation.key].items()}
        result.score, result.ranking_score, result.rank = evaluation.score, evaluation.ranking_score, evaluation.rank
        result.outcome, result.reason_code = evaluation.outcome, evaluation.reason_code
        result.reason_detail = evaluation.reason_detail[:300]
    StageResult.objects.bulk_update(results.values(), ["scores", "score", "ranking_score", "rank", "outcome",
                                                       "reason_code", "reason_detail"])
    return before


@transaction.atomic
def compute_stage(stage: OpeningStage, *, actor) -> OpeningStage:
    """Score, check and rank the stage's candidates by its rules. Refused, naming each candidate, while
    any input is missing."""
    _require_hr(actor)
    stage = _active_stage(stage)
    stages = included_stages(stage.opening)
    _compute(stage, stages)
    stage.status, stage.computed_at = StageStatus.COMPUTED, timezone.now()
    stage.save(update_fields=["status", "computed_at"])
    counts = dict.fromkeys(Outcome.values, 0)
    for outcome in StageResult.objects.filter(stage=stage).values_list("outcome", flat=True):
        counts[outcome] += 1
    record_change(actor=actor, action="recruitment.stage.computed", target=stage, after={"outcomes": counts})
    return stage


def publication_rows(stage: OpeningStage, fields: list[str]) -> list[dict]:
    """The stage's results as the portal shows them: only `fields`, in rank order."""
    rows = []
    results = StageResult.objects.filter(stage=stage).select_related("application__applicant") \
        .order_by("rank", "application__number")
    for result in results:
        full = {"number": result.application.number, "name": result.application.applicant.full_name,
                "components": result.scores, "score": None if result.score is None else str(result.score),
                "rank": result.rank, "outcome": result.outcome}
        rows.append({field: full[field] for field in fields})
    return rows


def _publish(stage: OpeningStage, *, actor, note: str = "") -> StagePublication | None:
    fields = [f for f in rules.PUBLISHABLE_FIELDS if f in stage.publish_fields]
    rows = publication_rows(stage, fields)
    latest = stage.publications.order_by("-version").first()
    if latest is not None and latest.rows == rows and latest.fields == fields:
        return None
    publication = StagePublication.objects.create(
        stage=stage, version=(latest.version + 1) if latest else 1, fields=fields, rows=rows, note=note[:300],
        component_names=stage.component_names() if "components" in fields else [],
        published_by=actor if getattr(actor, "is_authenticated", False) else None)
    record_change(actor=actor, action="recruitment.stage.published", target=stage, reason=note,
                  after={"version": publication.version, "fields": fields, "rows": len(rows)})
    return publication


def _refresh_statuses(opening: Opening) -> None:
    """Each application's status from the results of the stages whose results are out."""
    done = [s for s in included_stages(opening) if s.status in (StageStatus.PUBLISHED, StageStatus.CLOSED)]
    failed_at: dict[int, int] = {}
    for application_id, stage_id in StageResult.objects.filter(stage__in=done, outcome=Outcome.FAILED) \
            .order_by("-stage__sequence").values_list("application_id", "stage_id"):
        failed_at[application_id] = stage_id  # the earliest stage wins (ordered latest first)
    applications = list(opening.applications.exclude(status=ApplicationStatus.HIRED))
    for application in applications:
        if application.pk in failed_at:
            application.status, application.eliminated_at_id = ApplicationStatus.ELIMINATED, failed_at[application.pk]
        else:
            application.status, application.eliminated_at_id = ApplicationStatus.IN_SELECTION, None
        application.final_rank = None
    if opening.status in (OpeningStatus.FINISHED, OpeningStatus.HIRED):
        last = done[-1]
        final = {r.application_id: r for r in StageResult.objects.filter(stage=last, outcome=Outcome.PASSED)}
        for application in applications:
            if application.pk in final:
                application.status = ApplicationStatus.SELECTED
                application.final_rank = final[application.pk].rank
    Application.objects.bulk_update(applications, ["status", "eliminated_at", "final_rank"])


@transaction.atomic
def publish_stage(stage: OpeningStage, *, actor, now=None) -> OpeningStage:
    """Make the computed results final: announced stages go on the portal (only their published fields)
    and open their objection window; other stages are recorded without a public list."""
    _require_hr(actor)
    stage = OpeningStage.objects.select_for_update().select_related("opening").get(pk=stage.pk)
    if stage.status != StageStatus.COMPUTED:
        raise ValidationError({"stage": [_("Compute %s before publishing it.") % stage.name]})
    now = now or timezone.now()
    if stage.announced:
        _publish(stage, actor=actor)
    stage.status, stage.published_at = StageStatus.PUBLISHED, now
    stage.objection_deadline = (_end_of_local_day(region_today(now) + datetime.timedelta(days=stage.objection_window_days))
                                if stage.objection_window_days else None)
    stage.save(update_fields=["status", "published_at", "objection_deadline"])
    _refresh_statuses(stage.opening)
    return stage


@transaction.atomic
def advance(opening: Opening, *, actor, now=None) -> OpeningStage | None:
    """Close the current stage and start the next one with the candidates who passed; after the last
    stage the selection is finished. Waits for the objection window to end and every objection to be
    decided."""
    _require_hr(actor)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    stage = _current_stage(opening)
    if stage is None or stage.status != StageStatus.PUBLISHED:
        raise ValidationError({"stage": [_("Publish the current stage's results before moving on.")]})
    now = now or timezone.now()
    if stage.objection_deadline and now <= stage.objection_deadline:
        raise ValidationError({"stage": [_("Objections to %(stage)s may be filed until %(deadline)s.") % {
            "stage": stage.name, "deadline": stage.objection_deadline.astimezone(region_zone()).strftime("%Y-%m-%d %H:%M")}]})
    open_objections = stage.objections.filter(status=ObjectionStatus.FILED).count()
    if open_objections:
        raise ValidationError({"stage": [_("Decide the %d open objection(s) first.") % open_objections]})
    stage.status = StageStatus.CLOSED
    stage.save(update_fields=["status"])
    stages = included_stages(opening)
    following = [s for s in stages if s.sequence > stage.sequence]
    if following:
        successor = following[0]
        successor.status = StageStatus.ACTIVE
        successor.save(update_fields=["status"])
        participants = _sync_results(successor, stages)
        if not participants:
            raise ValidationError({"stage": [_("No candidate passed %s.") % stage.name]})
    else:
        successor = None
        opening.status = OpeningStatus.FINISHED
        opening.save(update_fields=["status"])
    _refresh_statuses(opening)
    record_change(actor=actor, action="recruitment.stage.closed", target=stage,
                  after={"next": successor.name if successor else None, "opening_status": opening.status})
    return successor


# --- objections (sanggah) ------------------------------------------------------------------------------

def objection_window_open(stage: OpeningStage, now=None) -> bool:
    return bool(stage.status == StageStatus.PUBLISHED and stage.objection_window_days and stage.objection_deadline
                and (now or timezone.now()) <= stage.objection_deadline)


@transaction.atomic
def file_objection(*, applicant: Applicant, application: Application, stage: OpeningStage, reason: str,
                   now=None) -> Objection:
    if application.applicant_id != applicant.pk or stage.opening_id != application.opening_id:
        raise PermissionDenied
    stage = OpeningStage.objects.select_for_update().get(pk=stage.pk)
    if not objection_window_open(stage, now):
        raise ValidationError({"stage": [_("The objection window for %s is closed.") % stage.name]})
    if not StageResult.objects.filter(stage=stage, application=application).exists():
        raise ValidationError({"stage": [_("You did not take part in %s.") % stage.name]})
    if Objection.objects.filter(stage=stage, application=application, status=ObjectionStatus.FILED).exists():
        raise ValidationError({"stage": [_("Your objection to %s is still being decided.") % stage.name]})
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError({"reason": [_("Explain your objection (at least 10 characters).")]})
    objection = Objection.objects.create(stage=stage, application=application, reason=reason)
    record_change(actor=None, action="recruitment.objection.filed", target=objection, reason=reason,
                  after={"applicant": applicant.email, "stage": stage.name, "number": application.number})
    return objection


def _corrected_stage(objection: Objection, corrections: dict) -> OpeningStage:
    stage_id = corrections.get("stage", objection.stage_id)
    stage = OpeningStage.objects.filter(pk=stage_id, opening_id=objection.stage.opening_id, included=True).first()
    if stage is None or stage.sequence > objection.stage.sequence:
        raise ValidationError({"corrections": [_("Corrections apply to this stage or an earlier one of the opening.")]})
    return stage


@transaction.atomic
def decide_objection(objection: Objection, *, actor, accept: bool, reason: str, corrections: dict | None = None,
                     now=None) -> Objection:
    """Decide a sanggah. An accepted one may correct the candidate's scores in this or an earlier stage, or
    (for a document check) let the candidate pass; the stages from there on are re-ranked and the
    announced ones re-published. Audited with the ranks before and after."""
    _require_hr(actor)
    objection = Objection.objects.select_for_update().select_related("stage__opening", "application").get(pk=objection.pk)
    if objection.status != ObjectionStatus.FILED:
        raise ValidationError({"status": [_("This objection has already been decided.")]})
    if objection.stage.opening.status == OpeningStatus.HIRED:
        raise ValidationError({"status": [_("The hires of this opening are already made.")]})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reasons for the decision; the applicant reads them.")]})
    corrections = dict(corrections or {})
    before = snapshot(objection, ["status", "decision_reason", "corrections"])
    changes: dict = {}
    if accept:
        target = _corrected_stage(objection, corrections)
        result = StageResult.objects.select_for_update().get(stage=target, application=objection.application)
        if "scores" in corrections:
            if target.kind not in (StageKind.SCORED, StageKind.COMPUTED):
                raise ValidationError({"corrections": [_("%s has no scores to correct.") % target.name]})
            cleaned = _clean_scores(target, corrections["scores"], complete=False)
            if not cleaned:
                raise ValidationError({"corrections": [_("Give the corrected score of at least one component.")]})
            changes = {"stage": target.name, "scores_before": result.scores, "scores_after": cleaned}
            result.corrected_scores = {**result.corrected_scores, **cleaned}
        elif target.kind == StageKind.ADMINISTRATIVE or corrections.get("outcome") == Outcome.PASSED:
            changes = {"stage": target.name, "outcome_before": result.outcome, "outcome_after": Outcome.PASSED}
            result.outcome_override = Outcome.PASSED
        result.save(update_fields=["corrected_scores", "outcome_override"])
        if changes:
            changes["ranks"] = _recompute_from(target, actor=actor, note=_("Re-published after objection by %s")
                                               % objection.application.number)
        objection.status = ObjectionStatus.ACCEPTED
        objection.corrections = {k: v for k, v in {"stage": target.pk, **corrections}.items()} if changes else {}
    else:
        objection.status = ObjectionStatus.REJECTED
    objection.decision_reason, objection.decided_by, objection.decided_at = reason, actor, now or timezone.now()
    objection.save()
    record_change(actor=actor, action=f"recruitment.objection.{objection.status}", target=objection, before=before,
                  after={**snapshot(objection, ["status", "decision_reason", "corrections"]), "changes": changes},
                  reason=reason)
    return objection


CORRECTABLE_STATUSES = (StageStatus.COMPUTED, StageStatus.PUBLISHED, StageStatus.CLOSED)


def correctable(stage: OpeningStage) -> bool:
    """Whether HR may correct scores of the stage: one that gives scores, once its results are computed."""
    return stage.kind in (StageKind.SCORED, StageKind.COMPUTED) and stage.status in CORRECTABLE_STATUSES \
        and stage.included


@transaction.atomic
def correct_scores(stage: OpeningStage, application: Application, *, actor, scores: dict,
                   reason: str) -> StageResult:
    """HR corrects a candidate's component scores in a stage whose results are computed (a scoring error
    found after the fact), with a written reason. The correction wins over the score sheets; the stage and
    every later one are re-ranked and the announced ones re-published. Audited with the scores and the
    ranks before and after."""
    _require_hr(actor)
    stage = OpeningStage.objects.select_for_update().select_related("opening").get(pk=stage.pk)
    if not correctable(stage):
        raise ValidationError({"stage": [_("Scores of %s can be corrected once its results are computed.")
                                         % stage.name]})
    if stage.opening.status == OpeningStatus.HIRED:
        raise ValidationError({"stage": [_("The hires of this opening are already made.")]})
    result = StageResult.objects.select_for_update().filter(stage=stage, application=application).first()
    if result is None:
        raise ValidationError({"application": [_("%(number)s does not take part in %(stage)s.")
                                               % {"number": application.number, "stage": stage.name}]})
    errors: dict[str, list[str]] = {}
    reason = (reason or "").strip()
    if len(reason) < 10:
        errors["reason"] = [_("Write the reason for the correction (at least 10 characters); it is kept in the "
                              "audit trail.")]
    if not isinstance(scores, dict):
        errors["scores"] = [_("give the corrected scores by component")]
        cleaned = {}
    else:
        try:
            cleaned = _clean_scores(stage, scores, complete=False)
        except ValidationError as error:
            errors.update(error.message_dict)
            cleaned = {}
        else:
            current = {name: Decimal(value) for name, value in result.scores.items()}
            if not cleaned:
                errors["scores"] = [_("Give the corrected score of at least one component.")]
            elif all(current.get(name) == Decimal(value) for name, value in cleaned.items()):
                errors["scores"] = [_("These are the scores the candidate already has.")]
    if errors:
        raise ValidationError(errors)
    before = {"scores": dict(result.scores), "score": result.score, "rank": result.rank, "outcome": result.outcome}
    result.corrected_scores = {**result.corrected_scores, **cleaned}
    result.save(update_fields=["corrected_scores"])
    moved = _recompute_from(stage, actor=actor, note=_("Re-published after a score correction for %s")
                            % application.number)
    result.refresh_from_db()
    record_change(actor=actor, action="recruitment.scores.corrected", target=application, reason=reason,
                  before={"stage": stage.name, **before},
                  after={"stage": stage.name, "corrected": cleaned, "scores": result.scores, "score": result.score,
                         "rank": result.rank, "outcome": result.outcome, "ranks": moved})
    return result


def _recompute_from(start: OpeningStage, *, actor, note: str) -> dict:
    """Re-rank every stage from `start` up to the current one and re-publish the announced ones whose
    list changed. Returns {stage: {number: [rank before, rank after, outcome before, outcome after]}} for
    the candidates whose rank or outcome moved."""
    opening = start.opening
    stages = included_stages(opening)
    moved: dict[str, dict] = {}
    for stage in stages:
        if stage.sequence < start.sequence or stage.status == StageStatus.PENDING:
            continue
        if stage.status == StageStatus.ACTIVE:
            _sync_results(stage, stages)
            continue
        before = _compute(stage, stages)
        after = {r.application_id: (r.rank, r.outcome, r.application.number)
                 for r in StageResult.objects.filter(stage=stage).select_related("application")}
        changed = {number: [before.get(pk, (None, None))[0], rank, before.get(pk, (None, None))[1], outcome]
                   for pk, (rank, outcome, number) in after.items()
                   if before.get(pk, (None, None))[:2] != (rank, outcome)}
        if changed:
            moved[stage.name] = changed
        if stage.announced and stage.status in (StageStatus.PUBLISHED, StageStatus.CLOSED):
            _publish(stage, actor=actor, note=note)
    _refresh_statuses(opening)
    return moved


# --- hiring --------------------------------------------------------------------------------------------

def _next_number(prefix: str) -> str:
    from kinerja.people.models import Employee

    taken = Employee.objects.filter(nip__startswith=prefix).values_list("nip", flat=True)
    sequence = max((int(nip[len(prefix):]) for nip in taken if nip[len(prefix):].isdigit()), default=0) + 1
    if sequence > 999:
        raise ValidationError({"nip": [_("No free sequence number is left for %s.") % prefix]})
    return f"{prefix}{sequence:03d}"


def _employee_number(opening: Opening, applicant: Applicant, start: datetime.date) -> str:
    gender = "1" if applicant.gender == "M" else "2"
    birth = applicant.birth_date.strftime("%Y%m%d")
    if opening.employee_type == "PNS":
        return _next_number(f"{birth}{start:%Y%m}{gender}")
    # PPPK: birth date, appointment year, contract count (01 for a first contract), gender, sequence.
    return _next_number(f"{birth}{start:%Y}01{gender}")


def _enrol_onboarding(employee, opening: Opening, *, actor, catalog: dict) -> list[dict]:
    courses = [catalog.get(code, {"code": code, "title": code, "jp_hours": None}) for code in opening.onboarding_courses]
    if not courses:
        return []
    try:
        from kinerja.training.services import enrol_new_hire
    except ImportError:  # a deployment without the training module: HR enrols the hire by hand
        return [{**course, "status": "to_enrol"} for course in courses]
    enrolments = enrol_new_hire(employee, [c["code"] for c in courses], actor=actor,
                                reason=_("Onboarding for opening %s") % opening.code)
    by_code = {e.course.code: e for e in enrolments}
    return [{**course, "status": "enrolled", "enrolment": by_code[course["code"]].pk} for course in courses]


@transaction.atomic
def hire(opening: Opening, *, actor, start: datetime.date | None = None, host: PluginHost | None = None) -> list[Hire]:
    """Turn the selected applications into employee records (status candidate) and enrol each hire in the
    opening's onboarding courses."""
    from kinerja.people.models import EmployeeStatus
    from kinerja.people.services import create_employee
    from tenants.billing.services import headcount_changed

    _require_hr(actor)
    opening = Opening.objects.select_for_update().select_related("unit", "position").get(pk=opening.pk)
    if opening.status != OpeningStatus.FINISHED:
        raise ValidationError({"status": [_("Hiring comes after the selection is finished.")]})
    selected = list(opening.applications.filter(status=ApplicationStatus.SELECTED).select_related("applicant")
                    .order_by("final_rank", "number"))
    if not selected:
        raise ValidationError({"status": [_("No applicant was selected.")]})
    start = start or region_today()
    catalog = training_catalog(host) if opening.onboarding_courses else {}
    hires = []
    for application in selected:
        applicant = application.applicant
        try:
            employee = create_employee(
                actor=actor, nip=_employee_number(opening, applicant, start), employee_type=opening.employee_type,
                full_name=applicant.full_name, gender=applicant.gender, birth_date=applicant.birth_date,
                rank=opening.rank, unit=opening.unit, position=opening.position, status=EmployeeStatus.CANDIDATE,
                email=applicant.email)
        except ValidationError as error:
            raise ValidationError({application.number: [f"{field}: {message}" for field, messages in
                                                        error.message_dict.items() for message in messages]}) from None
        onboarding = _enrol_onboarding(employee, opening, actor=actor, catalog=catalog)
        hires.append(Hire.objects.create(application=application, employee=employee, hired_by=actor,
                                         onboarding=onboarding))
        application.status = ApplicationStatus.HIRED
        application.save(update_fields=["status"])
    opening.status = OpeningStatus.HIRED
    opening.save(update_fields=["status"])
    record_change(actor=actor, action="recruitment.opening.hired", target=opening,
                  after={"hires": [{"number": h.application.number, "nip": h.employee.nip} for h in hires]})
    headcount_changed()
    return hires
