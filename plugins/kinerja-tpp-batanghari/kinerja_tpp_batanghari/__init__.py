"""TPP of Kabupaten Batanghari: PPPK receive a configurable share of the base, the discipline part is
paid in proportion to the days accounted for (present, official duty, leave, sick), lateness and early
leave cost a percent of the discipline part, and light sanctions mean coaching, not a deduction. Rules and
a worked example are in this package's README."""
from __future__ import annotations

from decimal import Decimal

from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import CONTRIBUTION, DEDUCTION, EARNING, PayInput, PayLine, round_rupiah

PLUGIN_META = {
    "name": "kinerja-tpp-batanghari",
    "version": "1.1.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "TPP of Kabupaten Batanghari: PPPK share, discipline part by attendance ratio, TL/PSW "
                   "deductions, coaching instead of deductions for light sanctions, BPJS 1%/4%.",
}

BASE_BY_CLASS = {1: 1_250_000, 2: 1_400_000, 3: 1_550_000, 4: 1_750_000, 5: 2_000_000, 6: 2_300_000,
                 7: 2_600_000, 8: 2_900_000, 9: 3_300_000, 10: 3_800_000, 11: 4_400_000, 12: 5_100_000,
                 13: 5_900_000, 14: 7_200_000, 15: 8_800_000, 16: 10_800_000, 17: 13_500_000}
PREDIKAT_FIELDS = {"Sangat Baik": "factor_sangat_baik", "Baik": "factor_baik",
                   "Butuh Perbaikan": "factor_butuh_perbaikan", "Kurang": "factor_kurang",
                   "Sangat Kurang": "factor_sangat_kurang"}
HUNDRED = Decimal(100)


def _percent(name, label, default, help_text):
    return ConfigField(name, "percent", label, Decimal(default), help=help_text)


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        ConfigField("base_by_class", "mapping-by-class", "Base TPP per position class (PNS)",
                    {str(k): v for k, v in BASE_BY_CLASS.items()}, help="Rupiah per month.", min=0, max=100_000_000),
        _percent("pppk_percent", "PPPK share of the base", "80", "Percent of the class's base paid to PPPK."),
        _percent("performance_percent", "Performance part", "60",
                 "Share of the base paid for performance; the rest is the discipline part."),
        _percent("factor_sangat_baik", "Factor for Sangat Baik", "100", "Percent of the performance part paid."),
        _percent("factor_baik", "Factor for Baik", "100", "Percent of the performance part paid."),
        _percent("factor_butuh_perbaikan", "Factor for Butuh Perbaikan", "70", "Percent of the performance part paid."),
        _percent("factor_kurang", "Factor for Kurang", "40", "Percent of the performance part paid."),
        _percent("factor_sangat_kurang", "Factor for Sangat Kurang", "20", "Percent of the performance part paid."),
        _percent("bracket1_percent", "Deduction per TL1/PSW1", "0.5", "Percent of the discipline part, 1-30 minutes."),
        _percent("bracket2_percent", "Deduction per TL2/PSW2", "1", "Percent of the discipline part, 31-60 minutes."),
        _percent("bracket3_percent", "Deduction per TL3/PSW3", "1.25", "Percent of the discipline part, 61-90 minutes."),
        _percent("bracket4_percent", "Deduction per TL4/PSW4", "1.5", "Percent of the discipline part, over 90 minutes."),
        ConfigField("deduct_light_sanctions", "bool", "Deduct for light sanctions", False,
                    help="Off: a light (ringan) sanction means coaching and costs no TPP."),
        _percent("bpjs_withheld_percent", "BPJS Kesehatan withheld", "1", "Percent of TPP after deductions."),
        _percent("bpjs_region_percent", "BPJS Kesehatan paid by the region", "4", "Percent of TPP after deductions."),
    ))


@hookimpl
def kinerja_pay_inputs():
    return ["position_class", "employee_type", "attendance", "appraisal", "sanctions"]


@hookimpl
def kinerja_compute_pay(employee: PayInput, config):
    base = Decimal(config["base_by_class"][employee.position_class])
    if employee.employee_type == "PPPK":
        base = base * config["pppk_percent"] / HUNDRED
    performance_share = config["performance_percent"] / HUNDRED
    predikat = employee.appraisal.predikat if employee.appraisal else "Baik"
    performance = base * performance_share * config[PREDIKAT_FIELDS[predikat]] / HUNDRED
    full_discipline = base - base * performance_share

    attendance = employee.attendance
    accounted = min(attendance.working_days, attendance.days_present + attendance.official_duty_days
                    + attendance.leave_days + attendance.sick_days)
    discipline = (full_discipline * accounted / attendance.working_days if attendance.working_days
                  else full_discipline)
    brackets = [config[f"bracket{n}_percent"] for n in range(1, 5)]
    lateness_percent = sum((late + early) * percent
                           for late, early, percent in zip(attendance.late, attendance.early_leave, brackets))
    lateness_cut = min(discipline, full_discipline * lateness_percent / HUNDRED)
    deducted = [s for s in employee.sanctions if s.severity != "ringan" or config["deduct_light_sanctions"]]
    sanction_percent = sum((s.percent for s in deducted), Decimal(0))
    sanction_cut = min(performance + discipline - lateness_cut, base * sanction_percent / HUNDRED)
    after_deductions = performance + discipline - lateness_cut - sanction_cut

    lines = [
        PayLine("TPP_KINERJA", "TPP Prestasi Kerja", round_rupiah(performance), EARNING,
                {"base": str(base), "employee_type": employee.employee_type, "predikat": predikat}),
        PayLine("TPP_DISIPLIN", "TPP Disiplin Kerja (rasio kehadiran)", round_rupiah(discipline), EARNING,
                {"full_discipline_part": str(full_discipline), "days_accounted": accounted,
                 "working_days": attendance.working_days}),
    ]
    if lateness_cut:
        lines.append(PayLine("POT_TL_PSW", "Potongan Terlambat dan Pulang Cepat", round_rupiah(lateness_cut),
                             DEDUCTION, {"late": list(attendance.late), "early_leave": list(attendance.early_leave),
                                         "percent": str(lateness_percent)}))
    if sanction_cut:
        lines.append(PayLine("POT_HUKDIS", "Potongan Hukuman Disiplin", round_rupiah(sanction_cut), DEDUCTION,
                             {"sanctions": [s.kind for s in deducted], "percent": str(sanction_percent),
                              "coaching_only": [s.kind for s in employee.sanctions if s not in deducted]}))
    if after_deductions:
        lines.append(PayLine("BPJS_1", "Iuran BPJS Kesehatan 1% (dipotong)",
                             round_rupiah(after_deductions * config["bpjs_withheld_percent"] / HUNDRED), DEDUCTION,
                             {"basis": str(after_deductions)}))
        lines.append(PayLine("BPJS_4", "Iuran BPJS Kesehatan 4% (dibayar Pemda)",
                             round_rupiah(after_deductions * config["bpjs_region_percent"] / HUNDRED), CONTRIBUTION,
                             {"basis": str(after_deductions)}))
    return lines
