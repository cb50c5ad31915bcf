"""Stage rules: what a plugin's stage definition means for scoring, passing and ranking, and the
evaluation of one stage's candidates. Pure functions, no database, so every rule is tested on its own.

A `RecruitmentStage` carries its machine-readable parts as components (weight, maximum, passing grade)
and its pass and ranking rules as sentences an applicant can read. The parts the sentences add are read
here once, when an opening's pipeline is built, into explicit fields HR sees and may adjust before
publishing: a minimum stage score ("Nilai tertimbang >= 60"), how many candidates per post go on
("3 x jumlah formasi", "sebanyak jumlah formasi"), tie-breaks ("jika sama: TKP, lalu TIU") and a ranking
mix of stage scores ("tes tertulis 60% + wawancara 40%"). A component named after an earlier stage
("SKD (skala 100)") reads that stage's score, which makes the stage a computed one (integration).

Scores are kept to three decimals: each computed score is rounded half up once, when it is made.
"""
from __future__ import annotations

import re
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

def stage_aliases(name: str) -> set[str]:
    """Names a stage can be referred to by: its full name and the abbreviation in brackets, lowercased."""
    lowered = name.strip().lower()
    aliases = {lowered}
    for inner in re.findall(r"\(([^)]+)\)", lowered):
        aliases.add(inner.strip())
    return aliases


def referenced_stage(component_name: str, earlier_names: list[str]) -> str | None:
    """The earlier stage a component is named after ("SKD (skala 100)" -> the SKD stage), or None."""
    lowered = component_name.strip().lower()
    first_word = re.split(r"[\s(]+", lowered, maxsplit=1)[0]
    for name in reversed(earlier_names):
        aliases = stage_aliases(name)
        if lowered in aliases or first_word in aliases:
            return name
    return None


_AT_LEAST = re.compile(r"(?:>=|≥)\s*(\d+(?:[.,]\d+)?)")
_PER_POST = re.compile(r"(\d+)\s*x\s*jumlah\s+formasi", re.IGNORECASE)
_AS_MANY_AS_POSTS = re.compile(r"sebanyak\s+jumlah\s+formasi", re.IGNORECASE)
_NOT_RANKED = re.compile(r"tidak\s+diperingkat", re.IGNORECASE)
_MIX_PART = re.compile(r"([A-Za-z][A-Za-z ]*?)\s+(\d+(?:[.,]\d+)?)\s*%")


def _threshold(pass_rule: str, components: list[dict]) -> Decimal | None:
    """A minimum on the stage score, when the rule states one number and no component has its own grade."""
    if any(component.get("passing_grade") is not None for component in components):
        return None
    numbers = _AT_LEAST.findall(pass_rule or "")
    if len(numbers) != 1:
        return None
    return to_decimal(numbers[0].replace(",", "."))


def _advance_per_post(pass_rule: str) -> int | None:
    match = _PER_POST.search(pass_rule or "")
    if match:
        return int(match.group(1))
    if _AS_MANY_AS_POSTS.search(pass_rule or ""):
        return 1
    return None


def _tie_breaks(ranking_rule: str, component_names: list[str]) -> list[str]:
    """Component names in the order the rule's "jika sama" (if equal) part mentions them."""
    text = ranking_rule or ""
    match = re.search(r"jika\s+sama", text, re.IGNORECASE)
    if not match:
        return []
    tail = text[match.end():].lower()
    found = []
    for name in component_names:
        aliases = {name.lower(), re.split(r"[\s(]+", name.lower(), maxsplit=1)[0]}
        positions = [m.start() for alias in aliases if alias
                     for m in re.finditer(r"(?<![a-z])" + re.escape(alias) + r"(?![a-z])", tail)]
        if positions:
            found.append((min(positions), name))
    return [name for _position, name in sorted(found)]


def _ranking_mix(ranking_rule: str, stage_name: str, earlier_names: list[str]) -> list[dict]:
    """[{"stage": name, "weight": "60"}, ...] when the rule ranks by weighted stage scores summing to 100."""
    parts = [part.strip() for part in (ranking_rule or "").rstrip(". ").split("+")]
    if len(parts) < 2:
        return []
    mix = []
    for part in parts:
        match = _MIX_PART.search(part)
        if not match:
            return []
        words = match.group(1).strip().lower()
        words = re.sub(r"^nilai\s+", "", words)
        candidates = earlier_names + [stage_name]
        target = next((name for name in candidates if words in stage_aliases(name) or words == name.lower()), None)
        if target is None:
            return []
        mix.append({"stage": target, "weight": str(to_decimal(match.group(2).replace(",", ".")))})
    if sum(Decimal(part["weight"]) for part in mix) != HUNDRED:
        return []
    return mix


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


def derive(definition, earlier_names: list[str], is_first: bool) -> dict:
    """The fields of an opening stage built from a plugin's `RecruitmentStage`."""
    components = [{"name": c.name, "weight": str(c.weight), "max_score": str(c.max_score),
                   "passing_grade": None if c.passing_grade is None else str(c.passing_grade), "source": None}
                  for c in definition.components]
    sources = [referenced_stage(c["name"], earlier_names) for c in components]
    if components and all(sources):
        kind = KIND_COMPUTED
        for component, source in zip(components, sources):
            component["source"] = source
    elif components:
        kind = KIND_SCORED
    elif definition.scored_by == "none":
        kind = KIND_ANNOUNCEMENT
    elif is_first:
        kind = KIND_ADMINISTRATIVE
    else:
        kind = KIND_NOTICE
    ranks = bool(components) and not _NOT_RANKED.search(definition.ranking_rule or "")
    return {
        "name": definition.name, "plugin_order": definition.order, "scored_by": definition.scored_by,
        "kind": kind, "components": components, "pass_rule": definition.pass_rule,
        "ranking_rule": definition.ranking_rule, "announced": definition.announced,
        "objection_window_days": definition.objection_window_days, "optional": definition.optional,
        "applies_to": definition.applies_to or "all",
        "threshold": _threshold(definition.pass_rule, components),
        "advance_per_post": _advance_per_post(definition.pass_rule),
        "ranks": ranks,
        "tie_breaks": _tie_breaks(definition.ranking_rule, [c["name"] for c in components]) if ranks else [],
        "ranking_mix": _ranking_mix(definition.ranking_rule, definition.name, earlier_names) if ranks else [],
        "publish_fields": default_publish_fields(kind, definition.scored_by),
    }


# --- evaluating a stage ---------------------------------------------------------------------------------------

@dataclass
class Candidate:
    """One application's inputs to a stage."""

    key: int
    number: str
    scores: dict[str, Decimal] = field(default_factory=dict)  # component -> score
    mix_scores: dict[str, Decimal] = field(default_factory=dict)  # stage name -> that stage's score
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


def weighted_score(components: list[dict], scores: dict[str, Decimal]) -> Decimal:
    """Sum of score / maximum x weight over the components, i.e. the stage score on 100."""
    total = Decimal(0)
    for component in components:
        maximum = Decimal(component["max_score"])
        total += scores[component["name"]] / maximum * Decimal(component["weight"])
    return quantize(total)


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
        result.score = weighted_score(components, c.scores)
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
                    (result.score if part["stage"] == stage["name"] else c.mix_scores[part["stage"]])
                    * Decimal(part["weight"]) / HUNDRED for part in mix))
            else:
                result.ranking_score = result.score
    if stage.get("ranks"):
        tie_breaks = stage.get("tie_breaks") or []

        def order(c: Candidate):
            result = results[c.key]
            # Candidates who passed the grades rank above those who did not; then score, tie-breaks,
            # and finally the registration number (who registered first).
            return (result.outcome != PASSED, -result.ranking_score,
                    *[-c.scores[name] for name in tie_breaks], c.number)

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
