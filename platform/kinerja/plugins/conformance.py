"""The conformance check a plugin must pass before it is offered to regions: metadata, hook names and
signatures against the specifications, the settings schema (its defaults must validate), and sample
calls of every hook it implements (pay lines well formed, whole rupiah). `python manage.py kinerja_plugin
check <name>` runs it; vendors run it in their own tests through the pytest fixtures. No Django needed."""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kinerja.plugins import hookspecs, samples
from kinerja.plugins.host import PluginHost, declared_hooks, hook_names
from kinerja.plugins.pay import PayCalculator
from kinerja.plugins.types import IndicatorTemplate, RecruitmentStage, TrainingCourse

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
        orders = [s.order for s in stages]
        if len(orders) != len(set(orders)):
            problems.append(f"{where} repeats a stage order")
        for stage in stages:
            if not stage.name or stage.objection_window_days < 0:
                problems.append(f"{where} stage {stage.order} needs a name and a non-negative objection window")
            if stage.components:
                total = sum((Decimal(c.weight) for c in stage.components), Decimal(0))
                if abs(total - 100) > Decimal("0.01"):
                    problems.append(f"{where} stage {stage.name!r} weights add up to {total}, not 100")
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
    arguments = {"region_slug": "sample", "plugin_name": name, "config": host.config_schema(name).defaults()}
    host.call(name, hook, **arguments)
    return []


def documented_arguments(hook_name: str) -> dict[str, bool]:
    """For each argument of a hook, whether its docstring documents it (used by the docs test)."""
    spec = getattr(hookspecs, hook_name)
    doc = inspect.getdoc(spec) or ""
    return {arg: f"{arg}:" in doc for arg in inspect.signature(spec).parameters}


__all__ = ["ConformanceReport", "check_plugin", "documented_arguments", "hook_names"]
