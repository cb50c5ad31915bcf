"""Computing a stage: gathering each candidate's documents or scores, then scoring, checking and ranking
them by the stage's rules (kinerja.recruitment.rules)."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change
from kinerja.recruitment import rules
from kinerja.recruitment.models import (
    Application,
    ApplicationDocument,
    Opening,
    OpeningStage,
    Outcome,
    ReviewStatus,
    ScoreSheet,
    StageAssessor,
    StageKind,
    StageResult,
    StageStatus,
)
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.selection import (
    active_stage,
    included_stages,
    sync_results,
)
from kinerja.recruitment.services.stages import stages_read


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
    read = set(stages_read(stage)) - {c["source"] for c in stage.components if c.get("source")}
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


def compute(stage: OpeningStage, stages: list[OpeningStage]) -> dict[int, tuple]:
    """Evaluate the stage and store its results; returns application id -> (rank, outcome) before."""
    participants = sync_results(stage, stages)
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
    require_hr(actor)
    stage = active_stage(stage)
    stages = included_stages(stage.opening)
    compute(stage, stages)
    stage.status, stage.computed_at = StageStatus.COMPUTED, timezone.now()
    stage.save(update_fields=["status", "computed_at"])
    counts = dict.fromkeys(Outcome.values, 0)
    for outcome in StageResult.objects.filter(stage=stage).values_list("outcome", flat=True):
        counts[outcome] += 1
    record_change(actor=actor, action="recruitment.stage.computed", target=stage, after={"outcomes": counts})
    return stage
