"""Stage rules: what a plugin's stage definition means for scoring, passing and ranking, and the
evaluation of one stage's candidates. Pure functions, no database, so every rule is tested on its own.

A `RecruitmentStage` states its rules as typed fields: components (weight, maximum, passing grade), a
minimum stage score, how many candidates per post go on, tie-breakers and a ranking mix of stage scores.
They are copied here once, when an opening's pipeline is built, into the stage's fields HR sees and may
adjust before publishing. The pass and ranking sentences are only shown to applicants. A stage with no
components whose ranking mix names earlier stages is computed from their scores (integration).

Scores are kept to three decimals: each computed score is rounded half up once, when it is made.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

SCORE_QUANTUM = Decimal("0.001")
HUNDRED = Decimal(100)

# Fields a stage can publish on the portal, in display order.
PUBLISHABLE_FIELDS = ("number", "name", "components", "score", "rank", "outcome")

KIND_ADMINISTRATIVE = "administrative"
KIND_SCORED = "scored"
KIND_COMPUTED = "computed"
KIND_ANNOUNCEMENT = "announcement"
KIND_NOTICE = "notice"

PASSED, FAILED = "passed", "failed"


def quantize(value: Decimal) -> Decimal:
    return Decimal(value).quantize(SCORE_QUANTUM, rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A decimal as people write it: 150, 60.5 (never 1.5E+2)."""
    return format(Decimal(value).normalize(), "f")


def to_decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        result = Decimal(str(value).strip().replace(",", ".") if isinstance(value, str) and "." not in value
                         else str(value).strip())
    except InvalidOperation:
        return None
    return result if result.is_finite() else None


# --- reading a stage definition ---------------------------------------------------------------------------

def _decimal_text(value) -> str:
    return str(Decimal(str(value)))


def _part_maximum(part, earlier: dict) -> Decimal:
    """The most a ranking part can read: 100 for a score, the components' maxima added up for points (a
    stage without components of its own has only its score)."""
    source = earlier.get(part.stage)
    if part.scale_to_100 or source is None or not source.components:
        return HUNDRED
    return sum((Decimal(str(c.max_score)) for c in source.components), Decimal(0))


def default_publish_fields(kind: str, scored_by: str) -> list[str]:
    if kind == KIND_ADMINISTRATIVE or kind == KIND_NOTICE:
        return ["number", "name", "outcome"]
    if kind == KIND_ANNOUNCEMENT:
        return ["number", "name", "rank", "outcome"]
    if scored_by == "psychologist":  # psychological scores stay with the candidate
        return ["number", "name", "outcome"]
    if scored_by in ("panel", "committee"):
        return ["number", "name", "score", "rank", "outcome"]
    return ["number", "name", "components", "score", "rank", "outcome"]


def derive(definition, earlier: list, is_first: bool) -> dict:
    """The fields of an opening stage built from a plugin's `RecruitmentStage`; `earlier` holds the
    definitions of the stages before it in the opening."""
    earlier_by_name = {stage.name: stage for stage in earlier}
    components = [{"name": c.name, "weight": str(c.weight), "max_score": str(c.max_score),
                   "passing_grade": None if c.passing_grade is None else str(c.passing_grade), "source": None}
                  for c in definition.components]
    parts = [{"stage": part.stage, "weight": _decimal_text(part.weight), "scale_to_100": bool(part.scale_to_100)}
             for part in definition.ranking or ()]
    if components:
        kind = KIND_SCORED
    elif parts:
        # Computed from earlier stages: each part becomes a component that reads that stage's score.
        kind = KIND_COMPUTED
        components = [{"name": part["stage"], "weight": part["weight"],
                       "max_score": str(_part_maximum(source, earlier_by_name)), "passing_grade": None,
                       "source": part["stage"], "scale_to_100": part["scale_to_100"]}
                      for part, source in zip(parts, definition.ranking)]
        parts = []
    elif definition.scored_by == "none":
        kind = KIND_ANNOUNCEMENT
    elif is_first:
        kind = KIND_ADMINISTRATIVE
    else:
        kind = KIND_NOTICE
    ranks = bool(components) and bool(definition.ranked)
    threshold = definition.min_stage_score
    return {
        "name": definition.name, "plugin_order": definition.order, "scored_by": definition.scored_by,
        "kind": kind, "components": components, "pass_rule": definition.pass_rule,
        "ranking_rule": definition.ranking_rule, "announced": definition.announced,
        "objection_window_days": definition.objection_window_days, "optional": definition.optional,
        "applies_to": definition.applies_to or "all",
        "threshold": None if threshold is None or not components else Decimal(str(threshold)),
        "advance_per_post": definition.advance_per_post if ranks else None,
        "ranks": ranks,
        "tie_breaks": [str(name) for name in definition.tie_breakers or ()] if ranks else [],
        "ranking_mix": parts if ranks else [],
        "publish_fields": [name for name in default_publish_fields(kind, definition.scored_by)
                           if name != "rank" or ranks or kind in (KIND_ANNOUNCEMENT, KIND_NOTICE)],
    }


# --- evaluating a stage ---------------------------------------------------------------------------------------

@dataclass
class Candidate:
    """One application's inputs to a stage."""

    key: int
    number: str
    scores: dict[str, Decimal] = field(default_factory=dict)  # component -> score
    mix_scores: dict[str, Decimal] = field(default_factory=dict)  # earlier stage name -> its score on 100
    mix_points: dict[str, Decimal] = field(default_factory=dict)  # earlier stage name -> its points added up
    carried_rank: int | None = None  # rank in the last ranking stage, for announcements
    admin_outcome: str | None = None  # administrative stages: passed / failed from the documents
    admin_reason: tuple[str, str] = ("", "")
    override: str = ""  # outcome set by an accepted objection
    eligible: bool = True  # announcements and notices: passed the stage before


@dataclass
class Evaluation:
    key: int
    score: Decimal | None = None
    ranking_score: Decimal | None = None
    rank: int | None = None
    outcome: str = PASSED
    reason_code: str = ""
    reason_detail: str = ""


def average(sheets: list[dict], names: list[str]) -> dict[str, Decimal]:
    """Each component's average over several scorers' sheets ({component: score}), rounded once."""
    return {name: quantize(sum(Decimal(str(sheet[name])) for sheet in sheets) / len(sheets)) for name in names}


def weighted_score(components: list[dict], scores: dict[str, Decimal]) -> Decimal:
    """Sum of score / maximum x weight over the components, i.e. the stage score on 100."""
    total = Decimal(0)
    for component in components:
        maximum = Decimal(component["max_score"])
        total += scores[component["name"]] / maximum * Decimal(component["weight"])
    return quantize(total)


def mixed_score(components: list[dict], scores: dict[str, Decimal]) -> Decimal:
    """A computed stage's score: what each part reads x its weight in percent, added up."""
    return quantize(sum((scores[c["name"]] * Decimal(c["weight"]) / HUNDRED for c in components), Decimal(0)))


def _part_value(part: dict, stage: dict, candidate: Candidate, result: Evaluation) -> Decimal:
    scaled = part.get("scale_to_100", True)
    if part["stage"] == stage["name"]:
        return result.score if scaled else sum(candidate.scores.values(), Decimal(0))
    return (candidate.mix_scores if scaled else candidate.mix_points)[part["stage"]]


def _tie_value(name: str, stage: dict, candidate: Candidate, result: Evaluation) -> Decimal:
    """A tie-breaker names one of the stage's components, the stage itself or an earlier stage."""
    if name in candidate.scores:
        return candidate.scores[name]
    if name == stage["name"]:
        return result.score
    return candidate.mix_scores[name]


def evaluate(stage: dict, candidates: list[Candidate], posts: int) -> list[Evaluation]:
    """Outcomes, scores and ranks of one stage. `stage` holds the fields `derive` makes (as stored)."""
    kind = stage["kind"]
    results = {c.key: Evaluation(c.key) for c in candidates}
    if kind == KIND_ADMINISTRATIVE:
        for c in candidates:
            result = results[c.key]
            result.outcome = c.admin_outcome or FAILED
            result.reason_code, result.reason_detail = c.admin_reason if result.outcome == FAILED else ("", "")
            if c.override:
                result.outcome, result.reason_code, result.reason_detail = c.override, "objection", ""
        return [results[c.key] for c in candidates]
    if kind in (KIND_ANNOUNCEMENT, KIND_NOTICE):
        # Everyone who took part in the stage before is listed; only those who passed it can pass here,
        # and an announcement selects at most as many as there are posts.
        ordered = sorted(candidates, key=lambda c: (not c.eligible, c.carried_rank is None, c.carried_rank or 0,
                                                    c.number))
        selected = 0
        for position, c in enumerate(ordered, start=1):
            result = results[c.key]
            result.rank = position
            if not c.eligible:
                result.outcome, result.reason_code = FAILED, "earlier_stage"
            elif kind == KIND_ANNOUNCEMENT:
                selected += 1
                if selected > posts:
                    result.outcome, result.reason_code = FAILED, "not_selected"
            if c.override:
                result.outcome, result.reason_code = c.override, ""
        return [results[c.key] for c in candidates]

    components = stage["components"]
    threshold = Decimal(stage["threshold"]) if stage.get("threshold") not in (None, "") else None
    for c in candidates:
        result = results[c.key]
        result.score = (mixed_score if kind == KIND_COMPUTED else weighted_score)(components, c.scores)
        failing = [comp["name"] for comp in components if comp.get("passing_grade") not in (None, "")
                   and c.scores[comp["name"]] < Decimal(comp["passing_grade"])]
        if failing:
            result.outcome, result.reason_code, result.reason_detail = FAILED, "below_passing_grade", ", ".join(failing)
        elif threshold is not None and result.score < threshold:
            result.outcome, result.reason_code, result.reason_detail = FAILED, "below_threshold", str(threshold)
        if stage.get("ranks"):
            mix = stage.get("ranking_mix") or []
            if mix:
                result.ranking_score = quantize(sum(
                    _part_value(part, stage, c, result) * Decimal(part["weight"]) / HUNDRED for part in mix))
            else:
                result.ranking_score = result.score
    if stage.get("ranks"):
        tie_breaks = stage.get("tie_breaks") or []

        def order(c: Candidate):
            result = results[c.key]
            # Candidates who passed the grades rank above those who did not; then score, tie-breaks,
            # and finally the registration number (who registered first).
            return (result.outcome != PASSED, -result.ranking_score,
                    *[-_tie_value(name, stage, c, result) for name in tie_breaks], c.number)

        ordered = sorted(candidates, key=order)
        limit = stage.get("advance_per_post")
        quota = limit * posts if limit else None
        passed_so_far = 0
        for position, c in enumerate(ordered, start=1):
            result = results[c.key]
            result.rank = position
            if result.outcome == PASSED:
                passed_so_far += 1
                if quota is not None and passed_so_far > quota:
                    result.outcome, result.reason_code, result.reason_detail = FAILED, "outside_quota", str(quota)
    for c in candidates:
        if c.override:
            results[c.key].outcome = c.override
    return [results[c.key] for c in candidates]
