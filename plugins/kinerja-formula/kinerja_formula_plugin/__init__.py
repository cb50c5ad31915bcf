"""The generic formula plugin: HR writes the region's TPP as named components, each a formula in
Kinerja's safe formula language (kinerja.formula) over the month's inputs and earlier components. Each
component is an earning, a deduction, a contribution or an intermediate value (computed, not printed).
Formulas are compiled when HR saves the settings, so a mistake is refused with the component and
position, never discovered during a pay run. Inputs and the default components are in the README."""
from __future__ import annotations

import functools
from decimal import Decimal

from kinerja.formula import FormulaError, compile_components
from kinerja_plugin_api.config_schema import (
    ConfigField,
    ConfigSchema,
    _,  # translates when Django is configured
)
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import (
    PAY_LINE_KINDS,
    PREDIKATS,
    RATINGS,
    PayInput,
    PayLine,
    round_rupiah,
)

PLUGIN_META = {
    "name": "kinerja-formula",
    "version": "1.2.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "TPP written by HR as formulas: named components over attendance, appraisal and sanctions.",
}

INTERMEDIATE = "intermediate"
# predikat as a number: 5 Sangat Baik .. 1 Sangat Kurang, 0 without an appraisal.
PREDIKAT_NUMBER = {name: 5 - index for index, name in enumerate(PREDIKATS)}
# ratings as a number: 3 Di Atas, 2 Sesuai, 1 Di Bawah Ekspektasi, 0 without an appraisal.
RATING_NUMBER = {name: 3 - index for index, name in enumerate(RATINGS)}
INPUTS = ("position_class", "tpp_base", "is_pppk", "predikat", "work_result", "behaviour", "working_days",
          "days_present", "absent_days", "tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4",
          "leave_days", "sick_days", "duty_days", "missed_assemblies", "service_targets",
          "service_targets_met", "sanction_percent")

DEFAULT_COMPONENTS = (
    ("performance_pay", "TPP Prestasi Kerja", "earning",
     "round(tpp_base * 60% * if(predikat == 3, 75%, if(predikat == 2, 50%, if(predikat == 1, 25%, 100%))))"),
    ("discipline_base", "Dasar TPP Disiplin", INTERMEDIATE, "tpp_base * 40%"),
    ("discipline_rate", "Persentase potongan disiplin", INTERMEDIATE,
     "(tl1 + psw1) * 0.5% + (tl2 + psw2) * 1% + (tl3 + psw3) * 1.5% + (tl4 + psw4) * 2% + absent_days * 4%"),
    ("discipline_pay", "TPP Disiplin Kerja", "earning", "round(discipline_base * max(0, 1 - discipline_rate))"),
    ("sanction_cut", "Potongan Hukuman Disiplin", "deduction",
     "round((performance_pay + discipline_pay) * min(sanction_percent, 100) / 100)"),
    ("bpjs_withheld", "Iuran BPJS Kesehatan 1% (dipotong)", "deduction",
     "round((performance_pay + discipline_pay - sanction_cut) * 1%)"),
    ("bpjs_region", "Iuran BPJS Kesehatan 4% (dibayar Pemda)", "contribution",
     "round((performance_pay + discipline_pay - sanction_cut) * 4%)"),
)


@functools.lru_cache(maxsize=64)
def _compiled(components: tuple[tuple[str, str], ...], base_rows: tuple[tuple[int, int], ...]):
    return compile_components(list(components), inputs=INPUTS, tables={"tpp_base_by_class": list(base_rows)})


def _compile(config: dict):
    components = tuple((row["code"], row["formula"]) for row in config["components"])
    base_rows = tuple(sorted(config["base_by_class"].items()))
    return _compiled(components, base_rows)


WORKING_DAYS = 21


def sample_inputs(config: dict):
    """(what it stands for, inputs) for every position class and every predikat (and none), each in a month
    fully present and in one absent throughout, without and with a full sanction: what a pay run may meet.
    A formula that fails on one of them (division by zero, a class missing from a table, a negative
    amount) would fail during a run, so saving refuses it."""
    for position_class in range(1, 18):
        for predikat in (*PREDIKATS, None):
            for absent in (0, WORKING_DAYS):
                for sanction in (Decimal(0), Decimal(100)):
                    rating = 2 if predikat else 0
                    values = {
                        "position_class": position_class, "tpp_base": config["base_by_class"][position_class],
                        "is_pppk": 0, "predikat": PREDIKAT_NUMBER[predikat] if predikat else 0,
                        "work_result": rating, "behaviour": rating, "working_days": WORKING_DAYS,
                        "days_present": WORKING_DAYS - absent, "absent_days": absent,
                        "tl1": 0, "tl2": 0, "tl3": 0, "tl4": 0, "psw1": 0, "psw2": 0, "psw3": 0, "psw4": 0,
                        "leave_days": 0, "sick_days": 0, "duty_days": 0, "missed_assemblies": 0,
                        "service_targets": 0, "service_targets_met": 0, "sanction_percent": sanction}
                    where = _("class %(class)s, predikat %(predikat)s, %(absent)d days absent, sanction %(sanction)s%%") % {
                        "class": position_class, "predikat": predikat or _("none"), "absent": absent,
                        "sanction": sanction}
                    yield where, values


def _run_time_problems(config: dict, compiled) -> dict[str, list[str]]:
    """The first failure of each component over the sample inputs, keyed as the form shows it."""
    rows = config["components"]
    number_of = {row["code"]: n for n, row in enumerate(rows, start=1)}
    printed = {row["code"] for row in rows if row["kind"] != INTERMEDIATE}
    errors: dict[str, list[str]] = {}
    for where, values in sample_inputs(config):
        try:
            found = compiled.evaluate(values)
        except FormulaError as error:
            key = f"components.{number_of[error.component]}.formula" if error.component in number_of else "components"
            if key not in errors:
                errors[key] = [_("fails for %(where)s: %(error)s") % {"where": where, "error": error}]
            continue
        for code in printed:
            key = f"components.{number_of[code]}.formula"
            if found[code] < 0 and key not in errors:
                errors[key] = [_("is negative for %(where)s (%(amount)s); write a deduction as a positive amount "
                                 "of kind deduction") % {"where": where, "amount": found[code]}]
    return errors


def _check(config: dict) -> dict[str, list[str]]:
    rows = config["components"]
    errors: dict[str, list[str]] = {}
    if not rows:
        return {"components": [_("Define at least one component.")]}
    if not any(row["kind"] == "earning" for row in rows):
        errors["components"] = [_("At least one component must be an earning.")]
    try:
        compiled = _compile(config)
    except FormulaError as error:
        number = next((n for n, row in enumerate(rows, start=1) if row["code"] == error.component), None)
        key = f"components.{number}.formula" if number else "components"
        errors.setdefault(key, []).append(str(error))
        return errors
    for key, messages in _run_time_problems(config, compiled).items():
        errors.setdefault(key, []).extend(messages)
    return errors


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        ConfigField("base_by_class", "mapping-by-class", "Base TPP per position class",
                    {str(c): 1_000_000 + 250_000 * (c - 1) for c in range(1, 18)},
                    help="Rupiah per month; formulas read it as tpp_base, or as the table tpp_base_by_class.",
                    min=0, max=100_000_000),
        ConfigField("components", "table", "Components",
                    [{"code": code, "label": label, "kind": kind, "formula": formula}
                     for code, label, kind, formula in DEFAULT_COMPONENTS],
                    help="Evaluated dependencies first. Earnings, deductions and contributions become slip "
                         "lines, rounded once to whole rupiah; intermediate values are not printed.",
                    columns=(ConfigField("code", "text", "Code", "", max=64),
                             ConfigField("label", "text", "Label on the slip", "", max=120),
                             ConfigField("kind", "choice", "Kind", "earning", choices=(*PAY_LINE_KINDS, INTERMEDIATE)),
                             ConfigField("formula", "text", "Formula", "", max=2000))),
    ), check=_check)


@hookimpl
def kinerja_pay_inputs():
    return ["position_class", "employee_type", "attendance", "appraisal", "sanctions"]


def formula_inputs(employee: PayInput, config: dict) -> dict[str, Decimal | int]:
    attendance, appraisal = employee.attendance, employee.appraisal
    late, early = attendance.late, attendance.early_leave
    return {
        "position_class": employee.position_class,
        "tpp_base": config["base_by_class"][employee.position_class],
        "is_pppk": int(employee.employee_type == "PPPK"),
        "predikat": PREDIKAT_NUMBER[appraisal.predikat] if appraisal else 0,
        "work_result": RATING_NUMBER[appraisal.work_result] if appraisal else 0,
        "behaviour": RATING_NUMBER[appraisal.behaviour] if appraisal else 0,
        "working_days": attendance.working_days, "days_present": attendance.days_present,
        "absent_days": attendance.absent_without_reason,
        "tl1": late[0], "tl2": late[1], "tl3": late[2], "tl4": late[3],
        "psw1": early[0], "psw2": early[1], "psw3": early[2], "psw4": early[3],
        "leave_days": attendance.leave_days, "sick_days": attendance.sick_days,
        "duty_days": attendance.official_duty_days, "missed_assemblies": attendance.missed_assemblies,
        "service_targets": appraisal.service_targets if appraisal else 0,
        "service_targets_met": appraisal.service_targets_met_on_time if appraisal else 0,
        "sanction_percent": sum((s.percent for s in employee.sanctions), Decimal(0)),
    }


@hookimpl
def kinerja_compute_pay(employee: PayInput, config):
    values = _compile(config).evaluate(formula_inputs(employee, config))
    lines = []
    for row in config["components"]:
        if row["kind"] == INTERMEDIATE:
            continue
        amount = values[row["code"]]
        if amount < 0:
            raise ValueError(f"component {row['code']} is negative ({amount}); a deduction is written as a "
                             "positive amount of kind deduction")
        lines.append(PayLine(row["code"], row["label"], round_rupiah(amount), row["kind"],
                             {"formula": row["formula"], "value": str(amount)}))
    return lines
