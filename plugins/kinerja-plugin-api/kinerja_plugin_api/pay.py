"""Calling a pay plugin for one employee, with its failures contained.

A `PayCalculator` is bound to one plugin, its version and one configuration version, so whatever it
computes can name exactly what produced it. `compute` never raises for a plugin's fault: an exception or
lines that break the contract become a `PluginFailure` for that employee only, and are reported to the
host's failure listener. This module does not need Django (the vendor test kit and the conformance check
use it too).
"""
from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from kinerja_plugin_api.host import PluginContractError, PluginHost, UnknownPlugin
from kinerja_plugin_api.types import PAY_LINE_KINDS, Explanation, PayInput, PayLine, PayResult, PluginFailure


HOOK = "kinerja_compute_pay"


def pay_line_problems(lines: Any) -> list[str]:
    """What is wrong with a plugin's answer to kinerja_compute_pay; empty when it keeps the contract."""
    if not isinstance(lines, (list, tuple)):
        return [f"kinerja_compute_pay must return a list of PayLine, not {type(lines).__name__}"]
    problems = []
    codes = set()
    for number, line in enumerate(lines, start=1):
        # Checked once per line of every employee of a run, so a well-formed line is let through on a
        # few cheap tests; the full check below names what is wrong with any other.
        if _well_formed(line, codes):
            codes.add(line.code)
            continue
        where = f"line {number}"
        if not isinstance(line, PayLine):
            problems.append(f"{where} is a {type(line).__name__}, not a PayLine")
            continue
        where = f"line {number} ({line.code!r})"
        if not isinstance(line.code, str) or not line.code.strip():
            problems.append(f"{where} has no rule code")
        elif line.code in codes:
            problems.append(f"{where} repeats a rule code")
        codes.add(line.code)
        if not isinstance(line.label, str) or not line.label.strip():
            problems.append(f"{where} has no label")
        if isinstance(line.amount, bool) or not isinstance(line.amount, int):
            problems.append(f"{where} amount {line.amount!r} is not whole rupiah (int)")
        elif line.amount < 0:
            problems.append(f"{where} amount {line.amount} is negative; use kind='deduction' instead")
        if line.kind not in PAY_LINE_KINDS:
            problems.append(f"{where} kind {line.kind!r} is not one of {', '.join(PAY_LINE_KINDS)}")
        if not isinstance(line.inputs, Mapping):
            problems.append(f"{where} inputs must be a dict")
        problems += [f"{where} {problem}" for problem in explanation_problems(line.explanation)]
    return problems


def _well_formed(line: Any, codes: set) -> bool:
    if type(line) is not PayLine:
        return False
    code, label, amount, explanation = line.code, line.label, line.amount, line.explanation
    return (type(code) is str and code.strip() != "" and code not in codes and type(label) is str
            and label.strip() != "" and type(amount) is int and amount >= 0 and line.kind in PAY_LINE_KINDS
            and type(line.inputs) is dict
            and (explanation is None or (type(explanation) is Explanation and bool(explanation.indonesian)
                                         and _sentences_ok(explanation.indonesian)
                                         and _sentences_ok(explanation.english))))


def _sentences_ok(sentences) -> bool:
    for sentence in sentences:
        if type(sentence) is not str or not sentence.strip():
            return False
    return True


def explanation_problems(explanation: Any) -> list[str]:
    """What is wrong with a line's explanation; empty when it is None or well formed."""
    if explanation is None:
        return []
    if not isinstance(explanation, Explanation):
        return [f"explanation is a {type(explanation).__name__}, not an Explanation"]
    problems = []
    if not explanation.indonesian:
        problems.append("explanation has no Indonesian sentence")
    for language, sentences in (("Indonesian", explanation.indonesian), ("English", explanation.english)):
        if not all(isinstance(sentence, str) and sentence.strip() for sentence in sentences):
            problems.append(f"explanation has an empty or non-text {language} sentence")
    return problems


@dataclass(frozen=True)
class PayCalculator:
    host: PluginHost
    plugin_name: str
    plugin_version: str
    config_version_id: int | None
    config: Mapping[str, Any]

    @cached_property
    def _hook(self):
        # One hook caller for the whole run: looked up once, not once per employee.
        if not self.host.implements(self.plugin_name, HOOK):
            raise UnknownPlugin(f"{self.plugin_name} does not implement {HOOK}")
        return self.host.hook_caller(HOOK, (self.plugin_name,))

    def compute(self, pay_input: PayInput, month: datetime.date) -> PayResult | PluginFailure:
        try:
            answers = self._hook(employee=pay_input, month=month, config=self.config)
        except Exception as error:  # a plugin's bug fails this employee's line, not the pay run
            return self._failure(pay_input, f"{type(error).__name__}: {error}")
        lines = answers[0] if answers else None
        problems = pay_line_problems(lines)
        if problems:
            error = "; ".join(problems)
            self.host.report_failure(self.plugin_name, HOOK, PluginContractError(error))
            return self._failure(pay_input, error)
        return PayResult(self.plugin_name, self.plugin_version, self.config_version_id, pay_input.employee_id,
                         tuple(lines))

    def _failure(self, pay_input: PayInput, error: str) -> PluginFailure:
        return PluginFailure(self.plugin_name, self.plugin_version, self.config_version_id, pay_input.employee_id,
                             error)
