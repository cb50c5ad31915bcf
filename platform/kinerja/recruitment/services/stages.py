"""A draft opening's pipeline: the order of its stages, which optional ones are included, and the rules HR
may adjust (minimum score, candidates per post, objection window, published fields)."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change, snapshot
from kinerja.recruitment import rules
from kinerja.recruitment.models import OpeningStage, OpeningStatus, StageKind
from kinerja.recruitment.services.access import require_hr

STAGE_RULE_FIELDS = ["sequence", "included", "threshold", "advance_per_post", "tie_breaks", "ranking_mix",
                     "publish_fields", "objection_window_days", "status"]
MAX_ADVANCE_PER_POST = 100
MAX_OBJECTION_WINDOW_DAYS = 60


def _stage_snapshot(stage: OpeningStage) -> dict:
    return snapshot(stage, ["name"] + STAGE_RULE_FIELDS)


def _draft_stage(stage: OpeningStage) -> OpeningStage:
    stage = OpeningStage.objects.select_for_update().select_related("opening").get(pk=stage.pk)
    if stage.opening.status != OpeningStatus.DRAFT:
        raise ValidationError({"stage": [_("The pipeline can only change while the opening is a draft.")]})
    return stage


@transaction.atomic
def move_stage(stage: OpeningStage, *, actor, up: bool) -> OpeningStage:
    require_hr(actor)
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
    require_hr(actor)
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
    require_hr(actor)
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
        elif isinstance(advance_per_post, bool) or not text.isdecimal() or not 1 <= int(text) <= MAX_ADVANCE_PER_POST:
            errors["advance_per_post"] = [_("candidates per post must be a whole number from 1 to %d")
                                          % MAX_ADVANCE_PER_POST]
        else:
            stage.advance_per_post = int(text)
    if objection_window_days is not None:
        text = str(objection_window_days).strip()
        if isinstance(objection_window_days, bool) or not text.isdecimal() or int(text) > MAX_OBJECTION_WINDOW_DAYS:
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


def stages_read(stage: OpeningStage) -> list[str]:
    """The other stages whose scores this stage reads: sources, ranking mix and tie-breakers."""
    names = [c["source"] for c in stage.components if c.get("source")]
    names += [part["stage"] for part in stage.ranking_mix if part["stage"] != stage.name]
    if stage.ranks:
        own = set(stage.component_names()) | {stage.name}
        names += [name for name in stage.tie_breaks if name not in own]
    return names
