"""Reading recruitment data, and the one place that decides who sees what.

Staff: HR admins manage everything; leadership and auditors read; an assessor (any staff member HR
assigns to a stage) sees the candidates of the stages they assess and their own scores, and another
assessor's scores only once they have submitted their own for that candidate.
Applicants (portal sessions, never staff users) see the published openings and publications, and only
their own applications, documents and objections. Anonymous visitors see what is published."""
from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.capabilities import has
from kinerja.recruitment import rules
from kinerja.recruitment.models import (
    Applicant,
    Application,
    ApplicationDocument,
    Objection,
    Opening,
    OpeningStage,
    OpeningStatus,
    ScoreSheet,
    StageAssessor,
    StageKind,
    StagePublication,
    StageResult,
    StageStatus,
)

PUBLIC_STATUSES = (OpeningStatus.OPEN, OpeningStatus.SELECTION, OpeningStatus.FINISHED, OpeningStatus.HIRED)


# --- staff --------------------------------------------------------------------------------------------

def can_manage(user) -> bool:
    return has(user, "recruitment.manage")


def can_read(user) -> bool:
    return has(user, "recruitment.read")


def can_assess(user) -> bool:
    """Whether the user may assess stages at all; which ones HR assigned is `assessed_stages`."""
    return has(user, "recruitment.assess")


def is_assessor(user) -> bool:
    return has(user, "recruitment.assess") and StageAssessor.objects.filter(user=user).exists()


def openings(user) -> QuerySet[Opening]:
    if not can_read(user):
        return Opening.objects.none()
    return Opening.objects.select_related("unit", "position").annotate(application_count=Count("applications"))


def opening(user, pk) -> Opening | None:
    return openings(user).filter(pk=pk).first()


def stages_of(opening: Opening) -> list[OpeningStage]:
    return list(opening.stages.order_by("sequence").annotate(
        result_count=Count("results", distinct=True),
        open_objections=Count("objections", filter=Q(objections__status="filed"), distinct=True)))


def current_stage(opening: Opening) -> OpeningStage | None:
    return opening.stages.filter(included=True).exclude(status__in=[StageStatus.PENDING, StageStatus.CLOSED]) \
        .order_by("sequence").first()


def documents_under_review(opening: Opening) -> bool:
    """Documents are accepted or rejected only while the administrative stage is open (active, or
    computed and not yet published): the page offers the buttons exactly then."""
    stage = current_stage(opening)
    return (stage is not None and stage.kind == StageKind.ADMINISTRATIVE
            and stage.status in (StageStatus.ACTIVE, StageStatus.COMPUTED))


def readable_stages(user) -> QuerySet[OpeningStage]:
    """Every stage of the region for its readers, none for anyone else."""
    return OpeningStage.objects.all() if can_read(user) else OpeningStage.objects.none()


def stage_for_staff(user, pk) -> OpeningStage | None:
    """A stage HR or a reader may open, or an assessor of that stage."""
    stage = OpeningStage.objects.select_related("opening").filter(pk=pk).first()
    if stage is None:
        return None
    if can_read(user) or assesses(user, stage):
        return stage
    return None


def stage_by_pk(pk) -> OpeningStage | None:
    """A stage of this region, whoever asks: the pages decide access with the functions around it."""
    return OpeningStage.objects.select_related("opening").filter(pk=pk).first()


def assesses(user, stage: OpeningStage) -> bool:
    return has(user, "recruitment.assess") and StageAssessor.objects.filter(stage=stage, user=user).exists()


def takes_input(stage: OpeningStage) -> bool:
    """Whether a stage takes scores now: while active, and after computing until it is published."""
    return stage.status in (StageStatus.ACTIVE, StageStatus.COMPUTED)


def score_entry_open(user, stage: OpeningStage) -> bool:
    """Whether HR may type a candidate's scores into a stage scored by the test centre."""
    return can_manage(user) and hr_scored(stage) and takes_input(stage)


def hr_scored(stage: OpeningStage) -> bool:
    """A stage whose scores HR enters or imports (not one scored by assessors, nor one without scores)."""
    return stage.takes_scores and not stage.uses_assessors


def objection_window_open(stage: OpeningStage, now=None) -> bool:
    """Whether applicants may still object to the stage's published results."""
    return bool(stage.status == StageStatus.PUBLISHED and stage.objection_window_days and stage.objection_deadline
                and (now or timezone.now()) <= stage.objection_deadline)


CORRECTABLE_STATUSES = (StageStatus.COMPUTED, StageStatus.PUBLISHED, StageStatus.CLOSED)


def correctable(stage: OpeningStage) -> bool:
    """Whether the stage's scores can be corrected: one that gives scores, once its results are computed."""
    return stage.kind in (StageKind.SCORED, StageKind.COMPUTED) and stage.status in CORRECTABLE_STATUSES \
        and stage.included


def scores_correctable(user, stage: OpeningStage) -> bool:
    """Whether HR may correct a computed stage's scores now: until the hires are made."""
    return can_manage(user) and correctable(stage) and stage.opening.status != OpeningStatus.HIRED


def entered_scores(stage: OpeningStage) -> set[int]:
    """The applications whose scores HR has entered in the stage."""
    return set(ScoreSheet.objects.filter(stage=stage, assessor__isnull=True).values_list("application_id", flat=True))


def hr_sheet(stage: OpeningStage, application: Application) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(stage=stage, application=application, assessor__isnull=True).first()


def result_of(stage: OpeningStage, application: Application) -> StageResult | None:
    return StageResult.objects.filter(stage=stage, application=application).first()


def stage_of_application(application: Application, stage_id) -> OpeningStage | None:
    """A stage of the application's opening, by id as a form gives it."""
    try:
        return OpeningStage.objects.filter(pk=int(stage_id), opening_id=application.opening_id).first()
    except (TypeError, ValueError):
        return None


def participant(stage: OpeningStage, application_id) -> Application | None:
    """The application if it takes part in the stage."""
    return Application.objects.select_related("applicant", "opening").filter(
        pk=application_id, results__stage=stage).first()


def next_to_score(stage: OpeningStage, application: Application, *, assessor=None) -> Application | None:
    """The next candidate of the stage (in registration order, wrapping round) still waiting for scores:
    the assessor's unsubmitted sheets, or the candidates without HR-entered scores."""
    if assessor is not None:
        done = ScoreSheet.objects.filter(stage=stage, assessor=assessor, submitted_at__isnull=False)
    else:
        done = ScoreSheet.objects.filter(stage=stage, assessor__isnull=True)
    waiting = list(Application.objects.filter(results__stage=stage).exclude(pk__in=done.values("application_id"))
                   .exclude(pk=application.pk).order_by("number"))
    later = [a for a in waiting if a.number > application.number]
    return (later or waiting or [None])[0]


def assessed_stages(user) -> QuerySet[OpeningStage]:
    if not has(user, "recruitment.assess"):
        return OpeningStage.objects.none()
    return OpeningStage.objects.filter(assessors__user=user).select_related("opening").order_by("opening", "sequence")


def stage_results(stage: OpeningStage) -> QuerySet[StageResult]:
    return StageResult.objects.filter(stage=stage).select_related("application__applicant") \
        .order_by("rank", "application__number")


def applications_of_opening(user, opening: Opening) -> QuerySet[Application]:
    if not can_read(user):
        return Application.objects.none()
    return opening.applications.select_related("applicant", "eliminated_at").annotate(
        document_count=Count("documents")).order_by("number")


def application_for_staff(user, pk) -> Application | None:
    if not can_read(user):
        return None
    return Application.objects.select_related("applicant", "opening").filter(pk=pk).first()


def document_for_staff(user, pk) -> ApplicationDocument | None:
    if not can_read(user):
        return None
    return ApplicationDocument.objects.select_related("application__opening").filter(pk=pk).first()


def objections_of(opening: Opening) -> QuerySet[Objection]:
    return Objection.objects.filter(stage__opening=opening).select_related("stage", "application__applicant",
                                                                            "decided_by")


def objection_for_staff(user, pk) -> Objection | None:
    if not can_read(user):
        return None
    return Objection.objects.select_related("stage__opening", "application__applicant").filter(pk=pk).first()


def assessor_view(user, stage: OpeningStage, application: Application) -> dict:
    """What an assessor sees of one candidate: their own sheet always; the other assessors' submitted
    scores only after submitting their own. HR and readers see every submitted sheet."""
    sheets = list(ScoreSheet.objects.filter(stage=stage, application=application).select_related("assessor"))
    own = next((s for s in sheets if s.assessor_id == user.pk), None)
    others = [s for s in sheets if s.assessor_id != user.pk and s.submitted_at is not None]
    may_see_others = can_read(user) or (own is not None and own.submitted_at is not None)
    return {"own": own, "others": others if may_see_others else [], "others_hidden": not may_see_others}


def assessor_queue(user, stage: OpeningStage) -> list[dict]:
    """The candidates of a stage the user assesses, with the user's own sheet status. Two queries."""
    results = list(stage_results(stage))
    own = {s.application_id: s for s in ScoreSheet.objects.filter(stage=stage, assessor=user)}
    return [{"result": r, "sheet": own.get(r.application_id)} for r in results]


def panel_summary(stage: OpeningStage) -> dict:
    """HR's view of an assessor panel: per candidate, which assessors have submitted, and the panel's
    average per component with the weighted stage score once every assessor has submitted (never
    before, so no one reads a partial average). Three queries whatever the number of candidates."""
    assessors = [a.user for a in stage.assessors.select_related("user").order_by("user__full_name", "user__username")]
    sheets: dict[int, dict[int, ScoreSheet]] = {}
    for sheet in ScoreSheet.objects.filter(stage=stage, assessor__isnull=False).only(
            "application_id", "assessor_id", "scores", "submitted_at"):
        sheets.setdefault(sheet.application_id, {})[sheet.assessor_id] = sheet
    names = stage.component_names()
    rows = []
    for result in stage_results(stage):
        own = sheets.get(result.application_id, {})
        statuses = [{"assessor": user,
                     "status": "submitted" if own.get(user.pk) and own[user.pk].submitted_at else
                     "draft" if own.get(user.pk) else "missing"} for user in assessors]
        submitted = [own[user.pk].scores for user in assessors if own.get(user.pk) and own[user.pk].submitted_at]
        complete = bool(assessors) and len(submitted) == len(assessors)
        average = rules.average(submitted, names) if complete else None
        rows.append({"result": result, "statuses": statuses, "submitted": len(submitted),
                     "complete": complete, "average": [average[name] for name in names] if average else None,
                     "score": rules.weighted_score(stage.components, average) if average else None})
    return {"assessors": assessors, "rows": rows, "complete": sum(1 for row in rows if row["complete"]),
            "components": stage.components}


# --- the public portal -----------------------------------------------------------------------------------

def public_openings() -> QuerySet[Opening]:
    return Opening.objects.filter(status__in=PUBLIC_STATUSES).select_related("unit", "position") \
        .order_by("-registration_opens", "code")


def public_opening(code: str) -> Opening | None:
    return public_openings().filter(code=code).first()


def public_stages(opening: Opening) -> list[OpeningStage]:
    """The opening's included stages with their latest publication, for the portal."""
    latest = StagePublication.objects.order_by("-version")
    return list(opening.stages.filter(included=True).order_by("sequence")
                .prefetch_related(Prefetch("publications", queryset=latest, to_attr="publication_list")))


def latest_publication(opening: Opening, stage_pk) -> StagePublication | None:
    return StagePublication.objects.filter(stage__opening=opening, stage__included=True, stage_id=stage_pk) \
        .select_related("stage").order_by("-version").first()


def applications_of(applicant: Applicant) -> QuerySet[Application]:
    return Application.objects.filter(applicant=applicant).select_related("opening", "eliminated_at") \
        .order_by("-submitted_at")


def application_of(applicant: Applicant | None, pk) -> Application | None:
    if applicant is None:
        return None
    return applications_of(applicant).filter(pk=pk).first()


def document_of(applicant: Applicant | None, pk) -> ApplicationDocument | None:
    if applicant is None:
        return None
    return ApplicationDocument.objects.filter(pk=pk, application__applicant=applicant).first()


def own_stage_rows(application: Application) -> list[dict]:
    """The applicant's own line of each published list of their opening, with only its published fields,
    and whether an objection can be filed now."""
    rows = []
    for stage in public_stages(application.opening):
        publication = stage.publication_list[0] if stage.publication_list else None
        own = None
        if publication is not None:
            own = next((row for row in publication.rows if row.get("number") == application.number), None)
            if own is None and "number" not in publication.fields:
                own = {}
        took_part = StageResult.objects.filter(stage=stage, application=application).exists()
        rows.append({"stage": stage, "publication": publication, "row": own,
                     "can_object": took_part and objection_window_open(stage)})
    return rows


REASON_TEXTS = {
    "documents_missing": lambda d: _("Documents missing: %s") % d,
    "documents_rejected": lambda d: _("Documents rejected: %s") % d,
    "below_passing_grade": lambda d: _("Below the passing grade in %s") % d,
    "below_threshold": lambda d: _("Stage score below %s") % d,
    "outside_quota": lambda d: _("Passed the grades but ranked outside the %s who go on") % d,
    "not_selected": lambda d: _("Ranked below the number of posts"),
    "earlier_stage": lambda d: _("Did not pass the stage before"),
    "objection": lambda d: _("Passed after an objection"),
}


def reason_text(result: StageResult) -> str:
    text = REASON_TEXTS.get(result.reason_code)
    return text(result.reason_detail) if text else ""
