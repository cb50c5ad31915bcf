"""The conformance check a plugin must pass before it is offered to regions: metadata, hook names and
signatures against the specifications, the settings schema (its defaults must validate), and sample
calls of every hook it implements (pay lines well formed, whole rupiah; recruitment stages with weights
adding up to 100 and rules that name only their own components or earlier stages). `python -m
kinerja_plugin_api check <module>` runs it without the platform, `python manage.py kinerja_plugin check
<name>` on the platform; vendors also run it in their own tests through the pytest fixtures. No Django
needed."""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kinerja_plugin_api import hookspecs, samples
from kinerja_plugin_api.host import PluginHost, declared_hooks, hook_names
from kinerja_plugin_api.pay import PayCalculator
from kinerja_plugin_api.types import (
    IndicatorTemplate,
    RankingPart,
    RecruitmentStage,
    ScoreComponent,
    TrainingCourse,
)

TRAINING_METHODS = {"klasikal", "e-learning", "blended", "workshop", "coaching", "seminar"}
TARGET_KINDS = {"quantity", "quality", "time", "cost"}


@dataclass
class ConformanceReport:
    plugin: str
    passed: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_plugin(plugin: Any) -> ConformanceReport:
    report = ConformanceReport(getattr(plugin, "PLUGIN_META", {}).get("name") or getattr(plugin, "__name__", "?"))
    for name in dir(plugin):
        value = getattr(plugin, name, None)
        if name.startswith("kinerja_") and callable(value) and name not in declared_hooks(plugin):
            report.problems.append(f"{name} looks like a hook but is not marked with @hookimpl")
    host = PluginHost()
    info = host.register(plugin)
    if info is None:
        report.problems += [error.message for error in host.load_errors]
        return report
    report.passed.append(f"metadata: {info.name} {info.version}, hook API {info.hook_api}")
    report.passed.append(f"hooks known and signatures match: {', '.join(info.hooks) or 'none'}")
    report.passed.append(f"settings schema: {len(host.config_schema(info.name).fields)} setting(s), defaults valid")
    checks = {
        "kinerja_pay_inputs": _check_pay_inputs,
        "kinerja_compute_pay": _check_compute_pay,
        "kinerja_recruitment_stages": _check_recruitment,
        "kinerja_training_catalog": _check_training,
        "kinerja_indicator_templates": _check_indicators,
        "kinerja_region_created": _check_notification,
        "kinerja_plugin_enabled": _check_notification,
        "kinerja_enabled_for_region": _check_notification,
    }
    for hook in info.hooks:
        if hook in checks:
            try:
                problems = checks[hook](host, info.name, hook)
            except Exception as error:
                problems = [f"{hook} raised {type(error).__name__}: {error}"]
            if problems:
                report.problems += problems
            else:
                report.passed.append(f"{hook}: sample calls well formed")
    return report


def _check_pay_inputs(host, name, hook) -> list[str]:
    names = host.call(name, hook)
    if not isinstance(names, (list, tuple)):
        return [f"{hook} must return a list of input names"]
    unknown = [n for n in names if n not in samples.PAY_INPUT_NAMES]
    return [f"{hook} names unknown input(s) {', '.join(map(str, unknown))}"] if unknown else []


def _check_compute_pay(host, name, hook) -> list[str]:
    info = host.get(name)
    schema = host.config_schema(name)
    calculator = PayCalculator(host, name, info.version, None, schema.clean(schema.defaults()))
    problems = []
    for pay_input in samples.sample_pay_inputs():
        result = calculator.compute(pay_input, samples.SAMPLE_MONTH)
        if not result.ok:
            problems.append(f"{hook} with {pay_input.employee_id} (default settings): {result.error}")
    return problems


def _check_recruitment(host, name, hook) -> list[str]:
    problems = []
    for kind in samples.OPENING_KINDS:
        stages = host.call(name, hook, opening_kind=kind)
        if stages is None:
            continue
        where = f"{hook}({kind!r})"
        if not isinstance(stages, (list, tuple)) or not all(isinstance(s, RecruitmentStage) for s in stages):
            problems.append(f"{where} must return a list of RecruitmentStage or None")
            continue
        problems += [f"{where} {problem}" for problem in recruitment_stage_problems(stages)]
    return problems


def _number(value) -> Decimal | None:
    """A finite Decimal from an int or Decimal (bools and floats are refused: stage rules are exact)."""
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        return None
    value = Decimal(value)
    return value if value.is_finite() else None


def _sequence_of(value, kind) -> bool:
    return isinstance(value, (tuple, list)) and all(isinstance(item, kind) for item in value)


def recruitment_stage_problems(stages) -> list[str]:
    """What is wrong with one plugin's stages for one opening kind: orders and names, component weights,
    and the typed rules (minimum score, candidates per post, tie-breakers, ranking mix). Stage names in
    tie-breakers and ranking parts must be stages of the same list with a lower order. Also run when an
    opening's pipeline is built, so a plugin that skipped this check cannot build a broken one."""
    problems = []
    orders = [s.order for s in stages]
    if len(orders) != len(set(orders)):
        problems.append("repeats a stage order")
    names = [s.name for s in stages]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        problems.append(f"repeats stage name(s) {', '.join(map(repr, repeated))}; rules refer to stages by name")
    for stage in stages:
        problems += [f"stage {stage.name!r} {problem}" for problem in _stage_problems(stage, stages)]
    return problems


def _stage_problems(stage: RecruitmentStage, stages) -> list[str]:
    problems = []
    if not stage.name or isinstance(stage.objection_window_days, bool) or \
            not isinstance(stage.objection_window_days, int) or stage.objection_window_days < 0:
        problems.append(f"(order {stage.order}) needs a name and a whole, non-negative objection window")
    if not _sequence_of(stage.components, ScoreComponent):
        return problems + ["components must be a tuple of ScoreComponent"]
    if stage.components:
        try:
            total = sum((Decimal(str(c.weight)) for c in stage.components), Decimal(0))
        except ArithmeticError:
            problems.append("has a component weight that is not a number")
        else:
            if not total.is_finite() or abs(total - 100) > Decimal("0.01"):
                problems.append(f"weights add up to {total}, not 100")
    earlier = {s.name: s for s in stages if s.order < stage.order}
    later = {s.name for s in stages if s.order >= stage.order and s is not stage}
    component_names = {c.name for c in stage.components}

    def reference_problem(field_name: str, name) -> str | None:
        if not isinstance(name, str) or not name:
            return f"{field_name} must name stages by their names"
        if name == stage.name:
            if stage.components:
                return None
            return f"{field_name} names the stage itself, which has no components to score"
        if name in earlier:
            return None if earlier[name].has_score else f"{field_name} names {name!r}, which gives no score"
        if name in later:
            return f"{field_name} names {name!r}, which comes later in the flow (a stage reads only earlier stages)"
        if field_name == "tie_breakers":
            return f"{field_name} names {name!r}, which is neither one of its components nor a stage of this flow"
        return f"{field_name} names {name!r}, which is no stage of this flow"

    if not isinstance(stage.ranked, bool):
        problems.append("ranked must be True or False")
    if not isinstance(stage.ranking, (tuple, list)) or not all(isinstance(p, RankingPart) for p in stage.ranking):
        problems.append("ranking must be a tuple of RankingPart")
    elif stage.ranking:
        weights = [_number(part.weight) for part in stage.ranking]
        if None in weights or any(w <= 0 for w in weights):
            problems.append("ranking weights must be positive whole numbers or Decimals")
        elif sum(weights, Decimal(0)) != 100:
            problems.append(f"ranking weights add up to {sum(weights, Decimal(0))}, not 100")
        parts = [part.stage for part in stage.ranking]
        if len(parts) != len(set(parts)):
            problems.append("ranking names a stage more than once")
        for part in stage.ranking:
            if not isinstance(part.scale_to_100, bool):
                problems.append(f"ranking part {part.stage!r}: scale_to_100 must be True or False")
            if problem := reference_problem("ranking", part.stage):
                problems.append(problem)
        if stage.components and stage.ranked is False:
            problems.append("has a ranking but does not rank its candidates")
    ranks = stage.has_score and stage.ranked is True
    if stage.min_stage_score is not None:
        value = _number(stage.min_stage_score)
        if value is None or not 0 <= value <= 100:
            problems.append("min_stage_score must be a Decimal from 0 to 100 (the stage score is on 100)")
        elif not stage.has_score:
            problems.append("has min_stage_score but no score (no components or ranking)")
    if stage.advance_per_post is not None:
        if isinstance(stage.advance_per_post, bool) or not isinstance(stage.advance_per_post, int) \
                or stage.advance_per_post < 1:
            problems.append("advance_per_post must be a whole number of 1 or more, or None")
        elif not ranks:
            problems.append("has advance_per_post but does not rank its candidates")
    if not _sequence_of(stage.tie_breakers, str):
        problems.append("tie_breakers must be a tuple of names")
    elif stage.tie_breakers:
        if not ranks:
            problems.append("has tie_breakers but does not rank its candidates")
        if len(stage.tie_breakers) != len(set(stage.tie_breakers)):
            problems.append("tie_breakers name something more than once")
        for name in stage.tie_breakers:
            if name not in component_names and (problem := reference_problem("tie_breakers", name)):
                problems.append(problem)
    return problems


def _check_training(host, name, hook) -> list[str]:
    courses = host.call(name, hook)
    if not isinstance(courses, (list, tuple)) or not all(isinstance(c, TrainingCourse) for c in courses):
        return [f"{hook} must return a list of TrainingCourse"]
    problems = []
    codes = [c.code for c in courses]
    if len(codes) != len(set(codes)):
        problems.append(f"{hook} repeats a course code")
    for course in courses:
        if isinstance(course.jp_hours, bool) or not isinstance(course.jp_hours, int) or course.jp_hours <= 0:
            problems.append(f"{hook} {course.code}: jp_hours must be a positive whole number")
        if isinstance(course.cost, bool) or not isinstance(course.cost, int) or course.cost < 0:
            problems.append(f"{hook} {course.code}: cost must be whole rupiah (int, not negative)")
        if course.method not in TRAINING_METHODS:
            problems.append(f"{hook} {course.code}: method must be one of {', '.join(sorted(TRAINING_METHODS))}")
    return problems


def _check_indicators(host, name, hook) -> list[str]:
    problems = []
    for agency_type in samples.AGENCY_TYPES:
        templates = host.call(name, hook, agency_type=agency_type) or []
        if not all(isinstance(t, IndicatorTemplate) for t in templates):
            problems.append(f"{hook}({agency_type!r}) must return a list of IndicatorTemplate")
            continue
        for template in templates:
            if template.target_kind not in TARGET_KINDS:
                problems.append(f"{hook} {template.code}: target_kind must be one of {', '.join(sorted(TARGET_KINDS))}")
    return problems


def _check_notification(host, name, hook) -> list[str]:
    schema = host.config_schema(name)
    arguments = {"region_slug": "sample", "plugin_name": name, "config": schema.clean(schema.defaults())}
    host.call(name, hook, **arguments)
    return []


def documented_arguments(hook_name: str) -> dict[str, bool]:
    """For each argument of a hook, whether its docstring documents it (used by the docs test)."""
    spec = getattr(hookspecs, hook_name)
    doc = inspect.getdoc(spec) or ""
    return {arg: f"{arg}:" in doc for arg in inspect.signature(spec).parameters}


__all__ = ["ConformanceReport", "check_plugin", "documented_arguments", "hook_names", "recruitment_stage_problems"]
