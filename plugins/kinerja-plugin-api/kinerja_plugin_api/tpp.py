"""Building blocks of a regional TPP formula: the settings, the arithmetic and the pay lines that most
regions share, so a pay plugin writes only what its region does differently.

Settings (each returns `ConfigField`s for the plugin's `ConfigSchema`):
    percent_field, base_by_class_field, performance_percent_field, predikat_factor_fields,
    absence_percent_field, bracket_fields, bpjs_fields

Arithmetic (exact `Decimal`s; round only when a line is made):
    percent_of, split_base, predikat_factor, bracket_percents, lateness_percent, days_accounted,
    sanctions_percent

Lines (rounded once with `round_rupiah`, explained with `kinerja_plugin_api.explanations`):
    pay_line, sanction_line, bpjs_lines

Percent settings are typed `Decimal`s from 0 to 100 (the schema validates them), so `percent_of(base,
config["absence_percent"])` reads as the rule does. Every helper keeps the order of operations of the
rule as written, so two plugins computing the same rule get the same rupiah.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Mapping, Sequence

from kinerja_plugin_api import explanations
from kinerja_plugin_api.config_schema import ConfigField
from kinerja_plugin_api.types import (CONTRIBUTION, DEDUCTION, PREDIKATS, AttendanceSummary, Explanation, PayInput,
                                      PayLine,
                                      Sanction, round_rupiah)

HUNDRED = Decimal(100)

#: The setting that holds each predikat's factor, as `predikat_factor_fields` declares them.
PREDIKAT_FACTOR_SETTINGS = {
    "Sangat Baik": "factor_sangat_baik",
    "Baik": "factor_baik",
    "Butuh Perbaikan": "factor_butuh_perbaikan",
    "Kurang": "factor_kurang",
    "Sangat Kurang": "factor_sangat_kurang",
}
#: The minutes of the TL1..TL4 and PSW1..PSW4 brackets, in the words of a setting's help.
BRACKET_MINUTES = ("1-30 minutes", "31-60 minutes", "61-90 minutes", "over 90 minutes")
BPJS_WITHHELD = "BPJS_1"
BPJS_PAID_BY_REGION = "BPJS_4"
SANCTIONS = "POT_HUKDIS"
UNPAID_LEAVE = "POT_CLTN"


# -- settings ------------------------------------------------------------------------------------------
def percent_field(name: str, label: str, default: Decimal | int | str, help: str = "") -> ConfigField:
    """A percent setting (0..100) whose default may be written as text, e.g. percent_field("x", "X", "1.25")."""
    return ConfigField(name, "percent", label, Decimal(str(default)), help=help)


def base_by_class_field(amounts: Mapping[int, int], *, name: str = "base_by_class",
                        label: str = "Base TPP per position class", help: str = "Rupiah per month.",
                        maximum: int = 100_000_000) -> ConfigField:
    """The base TPP of each kelas jabatan 1..17 in rupiah a month, defaulting to `amounts` ({class: rupiah})."""
    return ConfigField(name, "mapping-by-class", label, {str(c): int(v) for c, v in amounts.items()}, help=help,
                       min=0, max=maximum)


def performance_percent_field(default: Decimal | int | str) -> ConfigField:
    """`performance_percent`: the share of the base paid for performance; the rest is the discipline part
    (see `split_base`)."""
    return percent_field("performance_percent", "Performance part", default,
                         "Share of the base paid for performance; the rest is the discipline part.")


def predikat_factor_fields(sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang) -> tuple[ConfigField, ...]:
    """`factor_sangat_baik` .. `factor_sangat_kurang`: the percent of the performance part each predikat
    pays (see `predikat_factor`)."""
    defaults = (sangat_baik, baik, butuh_perbaikan, kurang, sangat_kurang)
    return tuple(percent_field(PREDIKAT_FACTOR_SETTINGS[name], f"Factor for {name}", default,
                               "Percent of the performance part paid.")
                 for name, default in zip(PREDIKATS, defaults))


def absence_percent_field(default: Decimal | int | str, of: str = "the discipline part") -> ConfigField:
    """`absence_percent`: the deduction per day absent without reason, in percent of `of`."""
    return percent_field("absence_percent", "Deduction per day absent without reason", default,
                         f"Percent of {of}.")


def bracket_fields(tl1_psw1, tl2_psw2, tl3_psw3, tl4_psw4, of: str = "the discipline part") -> tuple[ConfigField, ...]:
    """`bracket1_percent` .. `bracket4_percent`: the deduction per late arrival (TL) or early departure
    (PSW) in each minute bracket, in percent of `of` (see `lateness_percent`)."""
    defaults = (tl1_psw1, tl2_psw2, tl3_psw3, tl4_psw4)
    return tuple(percent_field(f"bracket{n}_percent", f"Deduction per TL{n}/PSW{n}", default,
                               f"Percent of {of}, {BRACKET_MINUTES[n - 1]}.")
                 for n, default in enumerate(defaults, start=1))


def bpjs_fields(withheld: Decimal | int | str = "1", paid_by_region: Decimal | int | str = "4") -> tuple[ConfigField, ...]:
    """`bpjs_withheld_percent` and `bpjs_region_percent`: the employee's and the region's shares of BPJS
    Kesehatan, in percent of the TPP after deductions (see `bpjs_lines`)."""
    return (percent_field("bpjs_withheld_percent", "BPJS Kesehatan withheld", withheld,
                          "Percent of TPP after deductions."),
            percent_field("bpjs_region_percent", "BPJS Kesehatan paid by the region", paid_by_region,
                          "Percent of TPP after deductions."))


# -- arithmetic ----------------------------------------------------------------------------------------
def percent_of(amount: Decimal | int, percent: Decimal | int) -> Decimal:
    """`percent` % of `amount`, exactly: amount x percent / 100."""
    return Decimal(amount) * percent / HUNDRED


def split_base(base: Decimal, performance_percent: Decimal) -> tuple[Decimal, Decimal]:
    """(performance part, discipline part) of the base: the first is `performance_percent` % of the base,
    the second the rest."""
    performance_part = base * (performance_percent / HUNDRED)
    return performance_part, base - performance_part


def predikat_factor(config: Mapping[str, Any], predikat: str) -> Decimal:
    """The percent of the performance part the predikat pays, from the `predikat_factor_fields` settings."""
    return config[PREDIKAT_FACTOR_SETTINGS[predikat]]


def bracket_percents(config: Mapping[str, Any]) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """The four bracket percents of the `bracket_fields` settings, TL1/PSW1 first."""
    return (config["bracket1_percent"], config["bracket2_percent"], config["bracket3_percent"],
            config["bracket4_percent"])


def lateness_percent(attendance: AttendanceSummary, brackets: Sequence[Decimal]) -> Decimal:
    """The percent that late arrivals and early departures cost: for each bracket n, (TLn + PSWn) x its
    percent, added up."""
    return sum(((late + early) * percent for late, early, percent
                in zip(attendance.late, attendance.early_leave, brackets)), Decimal(0))


def days_accounted(attendance: AttendanceSummary) -> int:
    """Days the employee is accounted for: present, on official duty, on leave or sick (never more than the
    month's working days); days absent without reason are not."""
    return min(attendance.working_days, attendance.days_present + attendance.official_duty_days
               + attendance.leave_days + attendance.sick_days)


def unpaid_leave_days(employee: PayInput) -> int:
    """(hook API 2.1) Working days of the month on leave outside the state's account (CLTN), never more
    than the month's working days."""
    return min(employee.attendance.working_days, int(employee.leave.get("unpaid", 0)))


def unpaid_leave_line(paid: Decimal, employee: PayInput) -> PayLine | None:
    """`POT_CLTN`: the part of `paid` (the month's TPP after the other deductions, exact) falling on CLTN
    days, pro rata of the working days; the whole of it for a month of CLTN. None without CLTN days."""
    days, working_days = unpaid_leave_days(employee), employee.attendance.working_days
    if not days or not working_days or not paid:
        return None
    return pay_line(UNPAID_LEAVE, "Potongan Cuti di Luar Tanggungan Negara", paid * days / working_days, DEDUCTION,
                    {"unpaid_leave_days": days, "working_days": working_days},
                    explanations.unpaid_leave(days, working_days))


def sanctions_percent(sanctions: Iterable[Sanction]) -> Decimal:
    """The reductions the decisions of the sanctions set, in percent, added up."""
    return sum((sanction.percent for sanction in sanctions), Decimal(0))


# -- lines ---------------------------------------------------------------------------------------------
def pay_line(code: str, label: str, amount: Decimal | int, kind: str, inputs: Mapping[str, Any] | None = None,
             explanation: Explanation | None = None) -> PayLine:
    """A pay line of the exact `amount`, rounded to whole rupiah here, once."""
    return PayLine(code, label, round_rupiah(amount), kind, {} if inputs is None else inputs, explanation)


def sanction_line(amount: Decimal, kinds: Sequence[str], percent: Decimal, *,
                  coaching_only: Sequence[str] | None = None) -> PayLine:
    """`POT_HUKDIS`, the deduction for the sanctions in force (`kinds`, as the payslip names them) that add
    up to `percent`. `coaching_only` names the sanctions that cost nothing; give it (even empty) when the
    region's rules spare some, so the line records which."""
    inputs: dict[str, Any] = {"sanctions": list(kinds), "percent": str(percent)}
    explanation = explanations.sanctions(kinds)
    if coaching_only is not None:
        inputs["coaching_only"] = list(coaching_only)
        if coaching_only:
            explanation += explanations.coaching_only(coaching_only)
    return pay_line(SANCTIONS, "Potongan Hukuman Disiplin", amount, DEDUCTION, inputs, explanation)


def bpjs_lines(basis: Decimal, config: Mapping[str, Any]) -> list[PayLine]:
    """`BPJS_1` (the employee's share, a deduction) and `BPJS_4` (the region's, a contribution) of BPJS
    Kesehatan on the TPP after deductions (`basis`, exact), at the `bpjs_fields` settings' percents. No
    lines when there is nothing to insure."""
    if not basis:
        return []
    withheld, paid = config["bpjs_withheld_percent"], config["bpjs_region_percent"]
    inputs = {"basis": str(basis)}
    return [
        pay_line(BPJS_WITHHELD, f"Iuran BPJS Kesehatan {explanations.percent(withheld, 'id')}% (dipotong)",
                 percent_of(basis, withheld), DEDUCTION, inputs, explanations.bpjs_withheld(withheld, basis)),
        pay_line(BPJS_PAID_BY_REGION, f"Iuran BPJS Kesehatan {explanations.percent(paid, 'id')}% (dibayar Pemda)",
                 percent_of(basis, paid), CONTRIBUTION, inputs, explanations.bpjs_paid_by_region(paid)),
    ]


__all__ = [
    "UNPAID_LEAVE", "unpaid_leave_days", "unpaid_leave_line",
    "BPJS_PAID_BY_REGION", "BPJS_WITHHELD", "BRACKET_MINUTES", "HUNDRED", "PREDIKAT_FACTOR_SETTINGS", "SANCTIONS",
    "absence_percent_field", "base_by_class_field", "bpjs_fields", "bpjs_lines", "bracket_fields",
    "bracket_percents", "days_accounted", "lateness_percent", "pay_line", "percent_field", "percent_of",
    "performance_percent_field", "predikat_factor", "predikat_factor_fields", "sanction_line",
    "sanctions_percent", "split_base",
]
