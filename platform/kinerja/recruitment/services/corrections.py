"""Changing results that are already out: HR's score corrections, and the re-ranking (and re-publishing)
of the later stages that a correction or an accepted objection causes."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change
from kinerja.recruitment.models import (
    Application,
    OpeningStage,
    OpeningStatus,
    StageResult,
    StageStatus,
)
from kinerja.recruitment.selectors import correctable
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.publication import publish
from kinerja.recruitment.services.ranking import compute
from kinerja.recruitment.services.scoring import clean_scores
from kinerja.recruitment.services.selection import (
    included_stages,
    refresh_statuses,
    sync_results,
)


@transaction.atomic
def correct_scores(stage: OpeningStage, application: Application, *, actor, scores: dict,
                   reason: str) -> StageResult:
    """HR corrects a candidate's component scores in a stage whose results are computed (a scoring error
    found after the fact), with a written reason. The correction wins over the score sheets; the stage and
    every later one are re-ranked and the announced ones re-published. Audited with the scores and the
    ranks before and after."""
    require_hr(actor)
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
            cleaned = clean_scores(stage, scores, complete=False)
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
    moved = recompute_from(stage, actor=actor, note=_("Re-published after a score correction for %s")
                            % application.number)
    result.refresh_from_db()
    record_change(actor=actor, action="recruitment.scores.corrected", target=application, reason=reason,
                  before={"stage": stage.name, **before},
                  after={"stage": stage.name, "corrected": cleaned, "scores": result.scores, "score": result.score,
                         "rank": result.rank, "outcome": result.outcome, "ranks": moved})
    return result


def recompute_from(start: OpeningStage, *, actor, note: str) -> dict:
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
            sync_results(stage, stages)
            continue
        before = compute(stage, stages)
        after = {r.application_id: (r.rank, r.outcome, r.application.number)
                 for r in StageResult.objects.filter(stage=stage).select_related("application")}
        changed = {number: [before.get(pk, (None, None))[0], rank, before.get(pk, (None, None))[1], outcome]
                   for pk, (rank, outcome, number) in after.items()
                   if before.get(pk, (None, None))[:2] != (rank, outcome)}
        if changed:
            moved[stage.name] = changed
        if stage.announced and stage.status in (StageStatus.PUBLISHED, StageStatus.CLOSED):
            publish(stage, actor=actor, note=note)
    refresh_statuses(opening)
    return moved
