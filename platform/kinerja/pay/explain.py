"""How each rupiah of a result came about, in plain words for the employee.

The explanation is built from what the result stored (its lines with their inputs and the PayInput the
plugin saw) and from the month's attendance day by day, so every deduction names its dates. Lines of
plugins this module does not know are still explained by their label, amount and inputs."""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from kinerja.pay.inputs import attendance_findings
from kinerja.pay.models import PayResult
from kinerja_plugin_api.types import CONTRIBUTION, DEDUCTION, EARNING


def rupiah(amount: int) -> str:
    """Rp1.234.567: whole rupiah with dots, as Indonesian slips write them."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp{abs(int(amount)):,}".replace(",", ".")


@dataclass
class Explained:
    code: str
    label: str
    kind: str
    amount: int
    sentences: list[str] = field(default_factory=list)


def _percent(value) -> str:
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


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


def _line_sentences(line, result: PayResult) -> list[str]:
    inputs = line.inputs or {}
    code = line.code
    said = []
    if code == "TPP_KINERJA":
        said.append(_("The performance part of your base TPP, paid according to your appraisal."))
        if inputs.get("predikat"):
            said.append(_("Your predikat: %s.") % inputs["predikat"])
        elif "predikat" in inputs:
            said.append(_("You had no appraisal result yet, so the rule for employees without one applies."))
        if inputs.get("performance_percent") and inputs.get("factor_percent"):
            said.append(_("%(share)s%% of the base is the performance part, of which %(factor)s%% is paid for "
                          "your predikat.") % {"share": _percent(inputs["performance_percent"]),
                                               "factor": _percent(inputs["factor_percent"])})
        if inputs.get("work_result"):
            said.append(_("Work result: %(result)s; behaviour: %(behaviour)s; score %(score)s%%.") % {
                "result": inputs["work_result"], "behaviour": inputs.get("behaviour", ""),
                "score": _percent(inputs.get("score_percent", ""))})
    elif code == "TPP_DISIPLIN":
        said.append(_("The discipline part of your base TPP."))
        if "days_accounted" in inputs:
            said.append(_("Paid for %(days)s of %(working)s working days (present, official duty, leave and "
                          "sick days count; days absent without reason do not).")
                        % {"days": inputs["days_accounted"], "working": inputs["working_days"]})
    elif code.startswith("BONUS") or code == "PENGHARGAAN":
        said.append(_("An extra payment for your performance."))
        if "targets" in inputs and "met_on_time" in inputs:
            said.append(_("%(met)s of your %(targets)s public-service targets this month were met on time.")
                        % {"met": inputs["met_on_time"], "targets": inputs["targets"]})
    elif code == "POT_HUKDIS":
        sanctions = inputs.get("sanctions") or []
        said.append(_("Withheld because of disciplinary sanctions in force: %s.") % ", ".join(sanctions))
        if inputs.get("coaching_only"):
            said.append(_("Coaching only, no deduction: %s.") % ", ".join(inputs["coaching_only"]))
    elif code.startswith("POT_"):
        said.append(_("Withheld for attendance and discipline this month (the dates are listed below)."))
        if inputs.get("percent") or inputs.get("percent_of_base"):
            said.append(_("Together %s%% by the region's rules.") % _percent(inputs.get("percent")
                                                                        or inputs.get("percent_of_base")))
    elif code == "BPJS_1":
        said.append(_("Your 1%% share of the BPJS Kesehatan health insurance, withheld from your TPP after "
                      "deductions (%s).") % rupiah(round(float(inputs.get("basis", 0) or 0))))
    elif code == "BPJS_4":
        said.append(_("The region's 4% share of your BPJS Kesehatan health insurance, paid on your behalf; "
                      "it is not part of your take-home pay."))
    elif code.startswith("KOREKSI_"):
        said.append(_("A correction of the TPP of an earlier month (%(month)s): %(reason)s")
                    % {"month": inputs.get("corrects_month", "")[:7], "reason": inputs.get("reason", "")})
    elif inputs:
        said.append(_("Computed from: %s.") % ", ".join(f"{k} = {v}" for k, v in inputs.items()))
    return said


def explain(result: PayResult) -> dict:
    """The explanation of one result: the base, each line with its sentences, the attendance findings
    with their dates, and the totals."""
    lines = list(result.lines.all())
    base = next((line.inputs.get("base") for line in lines if line.inputs and "base" in line.inputs), None)
    intro = [_("Your TPP for %(month)s, position class %(class)d (%(position)s).") % {
        "month": formats.date_format(result.run.month, "F Y"), "class": result.position_class,
        "position": result.position_title}]
    if base is not None:
        intro.append(_("The base TPP for position class %(class)d is %(base)s a month; it is split into a "
                       "performance part and a discipline part.") % {
            "class": result.position_class, "base": rupiah(round(float(base)))})
    explained = [Explained(line.code, line.label, line.kind, line.amount, _line_sentences(line, result))
                 for line in lines]
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
