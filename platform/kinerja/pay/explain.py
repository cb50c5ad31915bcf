"""How each rupiah of a result came about, in plain words for the employee.

The explanation is built from what the result stored: each line's sentences as its plugin wrote them
(`PayLine.explanation_indonesian` and `_english`, hook API 2.0; the platform does not word lines by their rule codes), the
PayInput the plugin saw, and the month's attendance day by day, so every deduction names its dates. A
line without sentences is explained neutrally by the figures it was computed from."""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import formats, translation
from django.utils.translation import gettext as _
from kinerja_plugin_api.types import CONTRIBUTION, DEDUCTION, EARNING, round_rupiah

from kinerja.pay.inputs import attendance_findings
from kinerja.pay.models import PayResult
from kinerja.region import formats as shown


def rupiah(amount: int) -> str:
    """Rp 1.234.567: the platform's one way of writing money (`kinerja.region.formats`)."""
    return shown.rupiah(amount)


@dataclass
class Explained:
    code: str
    label: str
    kind: str
    amount: int
    sentences: list[str] = field(default_factory=list)


def _finding_text(finding) -> str:
    day = formats.date_format(finding.date, "j F Y")
    if finding.kind == "absent":
        return _("%s: absent without reason") % day
    if finding.kind == "late":
        if finding.minutes is None:
            return _("%(day)s: no check-in recorded (counted as TL4)") % {"day": day}
        return _("%(day)s: arrived %(minutes)d minutes late (TL%(bracket)d)") % {
            "day": day, "minutes": finding.minutes, "bracket": finding.bracket}
    if finding.kind == "early_leave":
        if finding.minutes is None:
            return _("%(day)s: no check-out recorded (counted as PSW4)") % {"day": day}
        return _("%(day)s: left %(minutes)d minutes early (PSW%(bracket)d)") % {
            "day": day, "minutes": finding.minutes, "bracket": finding.bracket}
    if finding.kind == "missed_assembly":
        return _("%s: missed the morning assembly (apel)") % day
    if finding.kind == "leave":
        return _("%s: on leave (cuti), not deducted") % day
    if finding.kind == "sick":
        return _("%s: sick, not deducted") % day
    return _("%s: on official duty, counted as present") % day


def _line_sentences(line) -> list[str]:
    """The plugin's sentences for the active language (Indonesian when it gave no others); for a line
    without any, a neutral list of the figures it was computed from."""
    language = "en" if (translation.get_language() or "").lower().startswith("en") else "id"
    chosen = line.sentences(language)
    if chosen:
        return chosen
    inputs = line.inputs or {}
    if inputs:
        return [_("Computed from: %s.") % ", ".join(f"{k} = {v}" for k, v in inputs.items())]
    return []


def _base_of(lines) -> int | None:
    """The month's base TPP, from the first line whose inputs name a `base` (the documented input the
    payslip opens with); None when no line gives a number."""
    for line in lines:
        if line.inputs and "base" in line.inputs:
            try:
                return round_rupiah(Decimal(str(line.inputs["base"])))
            except (InvalidOperation, ValueError):
                return None
    return None


def explain(result: PayResult) -> dict:
    """The explanation of one result: the base, each line with its sentences, the attendance findings
    with their dates, and the totals."""
    lines = list(result.lines.all())
    intro = [_("Your TPP for %(month)s, position class %(class)d (%(position)s).") % {
        "month": formats.date_format(result.run.month, "F Y"), "class": result.position_class,
        "position": result.position_title}]
    base = _base_of(lines)
    if base is not None:
        intro.append(_("The base TPP for position class %(class)d is %(base)s a month.") % {
            "class": result.position_class, "base": rupiah(base)})
    explained = [Explained(line.code, line.label, line.kind, line.amount, _line_sentences(line)) for line in lines]
    findings = [_finding_text(f) for f in attendance_findings(result.employee_id, result.run.month)]
    attendance = result.inputs.get("attendance", {})
    summary = _("%(working)s working days: %(present)s present, %(duty)s on official duty, %(leave)s on leave, "
                "%(sick)s sick, %(absent)s absent without reason.") % {
        "working": attendance.get("working_days", 0), "present": attendance.get("days_present", 0),
        "duty": attendance.get("official_duty_days", 0), "leave": attendance.get("leave_days", 0),
        "sick": attendance.get("sick_days", 0), "absent": attendance.get("absent_without_reason", 0)}
    totals = _("Earnings %(earnings)s minus deductions %(deductions)s: you receive %(net)s.") % {
        "earnings": rupiah(result.earnings), "deductions": rupiah(result.deductions), "net": rupiah(result.net)}
    region_pays = (_("The region also pays %s on your behalf (not part of your take-home pay).")
                   % rupiah(result.contributions)) if result.contributions else ""
    return {"intro": intro, "lines": explained, "attendance_summary": summary, "findings": findings,
            "totals": totals, "region_pays": region_pays,
            "earnings": [e for e in explained if e.kind == EARNING],
            "deductions": [e for e in explained if e.kind == DEDUCTION],
            "contributions": [e for e in explained if e.kind == CONTRIBUTION]}
