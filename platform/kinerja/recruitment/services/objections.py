"""Objections (sanggah): filed by applicants while a published stage's window is open, decided by HR;
an accepted one may correct scores or let a candidate pass, and the stages from there on are re-ranked."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change, snapshot
from kinerja.recruitment.models import (
    Applicant,
    Application,
    Objection,
    ObjectionStatus,
    OpeningStage,
    OpeningStatus,
    Outcome,
    StageKind,
    StageResult,
)
from kinerja.recruitment.selectors import objection_window_open
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.corrections import recompute_from
from kinerja.recruitment.services.scoring import clean_scores


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
    require_hr(actor)
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
            cleaned = clean_scores(target, corrections["scores"], complete=False)
            if not cleaned:
                raise ValidationError({"corrections": [_("Give the corrected score of at least one component.")]})
            changes = {"stage": target.name, "scores_before": result.scores, "scores_after": cleaned}
            result.corrected_scores = {**result.corrected_scores, **cleaned}
        elif target.kind == StageKind.ADMINISTRATIVE or corrections.get("outcome") == Outcome.PASSED:
            changes = {"stage": target.name, "outcome_before": result.outcome, "outcome_after": Outcome.PASSED}
            result.outcome_override = Outcome.PASSED
        result.save(update_fields=["corrected_scores", "outcome_override"])
        if changes:
            changes["ranks"] = recompute_from(target, actor=actor, note=_("Re-published after objection by %s")
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
