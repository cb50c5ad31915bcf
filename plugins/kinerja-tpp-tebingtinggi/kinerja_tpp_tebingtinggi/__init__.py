"""TPP of Kota Tebingtinggi: rewards and sanctions. A day absent without reason loses that day's whole
share of the discipline part; lateness, early leave and missed morning assemblies cost a percent of the
discipline part; sanctions cut by their severity; Sangat Baik earns a fixed reward. Rules and a worked
example are in this package's README."""
from __future__ import annotations

from decimal import Decimal

from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import (CONTRIBUTION, DEDUCTION, EARNING, IndicatorTemplate, PayInput, PayLine,
                                   round_rupiah)

PLUGIN_META = {
    "name": "kinerja-tpp-tebingtinggi",
    "version": "1.1.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "TPP of Kota Tebingtinggi: predikat factors, daily discipline shares, TL/PSW and assembly "
                   "deductions, sanctions by severity, reward for Sangat Baik, BPJS 1%/4%.",
}

BASE_BY_CLASS = {1: 1_300_000, 2: 1_450_000, 3: 1_600_000, 4: 1_800_000, 5: 1_950_000, 6: 2_200_000,
                 7: 2_500_000, 8: 2_750_000, 9: 3_100_000, 10: 3_600_000, 11: 4_200_000, 12: 4_900_000,
                 13: 5_700_000, 14: 6_800_000, 15: 8_200_000, 16: 10_000_000, 17: 12_500_000}
PREDIKAT_FIELDS = {"Sangat Baik": "factor_sangat_baik", "Baik": "factor_baik",
                   "Butuh Perbaikan": "factor_butuh_perbaikan", "Kurang": "factor_kurang",
                   "Sangat Kurang": "factor_sangat_kurang"}
HUNDRED = Decimal(100)


def _percent(name, label, default, help_text):
    return ConfigField(name, "percent", label, Decimal(default), help=help_text)


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        ConfigField("base_by_class", "mapping-by-class", "Base TPP per position class",
                    {str(k): v for k, v in BASE_BY_CLASS.items()}, help="Rupiah per month.", min=0, max=100_000_000),
        _percent("performance_percent", "Performance part", "60",
                 "Share of the base paid for performance; the rest is the discipline part."),
        _percent("factor_sangat_baik", "Factor for Sangat Baik", "100", "Percent of the performance part paid."),
        _percent("factor_baik", "Factor for Baik", "90", "Percent of the performance part paid."),
        _percent("factor_butuh_perbaikan", "Factor for Butuh Perbaikan", "70", "Percent of the performance part paid."),
        _percent("factor_kurang", "Factor for Kurang", "50", "Percent of the performance part paid."),
        _percent("factor_sangat_kurang", "Factor for Sangat Kurang", "0", "Percent of the performance part paid."),
        ConfigField("reward_sangat_baik", "int", "Reward for Sangat Baik", 250_000, min=0, max=10_000_000,
                    help="Rupiah per month, paid on top of the TPP."),
        _percent("bracket1_percent", "Deduction per TL1/PSW1", "0.2", "Percent of the discipline part, 1-30 minutes."),
        _percent("bracket2_percent", "Deduction per TL2/PSW2", "0.4", "Percent of the discipline part, 31-60 minutes."),
        _percent("bracket3_percent", "Deduction per TL3/PSW3", "0.5", "Percent of the discipline part, 61-90 minutes."),
        _percent("bracket4_percent", "Deduction per TL4/PSW4", "0.6", "Percent of the discipline part, over 90 minutes."),
        _percent("assembly_percent", "Deduction per missed morning assembly", "2", "Percent of the discipline part."),
        ConfigField("sanction_source", "choice", "Sanction deduction taken from", "severity",
                    choices=("severity", "decision"),
                    help="'severity': the percents below by severity; 'decision': the percent in the decision."),
        _percent("sanction_light_percent", "Light sanction (ringan)", "10", "Percent of the base TPP."),
        _percent("sanction_medium_percent", "Medium sanction (sedang)", "25", "Percent of the base TPP."),
        _percent("sanction_heavy_percent", "Heavy sanction (berat)", "50", "Percent of the base TPP."),
        _percent("bpjs_withheld_percent", "BPJS Kesehatan withheld", "1", "Percent of TPP after deductions."),
        _percent("bpjs_region_percent", "BPJS Kesehatan paid by the region", "4", "Percent of TPP after deductions."),
    ))


@hookimpl
def kinerja_pay_inputs():
    return ["position_class", "attendance", "appraisal", "sanctions"]


SEVERITY_FIELDS = {"ringan": "sanction_light_percent", "sedang": "sanction_medium_percent",
                   "berat": "sanction_heavy_percent"}


@hookimpl
def kinerja_compute_pay(employee: PayInput, config):
    base = Decimal(config["base_by_class"][employee.position_class])
    performance_share = config["performance_percent"] / HUNDRED
    predikat = employee.appraisal.predikat if employee.appraisal else "Baik"
    performance = base * performance_share * config[PREDIKAT_FIELDS[predikat]] / HUNDRED
    discipline = base - base * performance_share
    reward = Decimal(config["reward_sangat_baik"]) if predikat == "Sangat Baik" else Decimal(0)

    attendance = employee.attendance
    absence_cut = (discipline * attendance.absent_without_reason / attendance.working_days
                   if attendance.working_days else Decimal(0))
    brackets = [config[f"bracket{n}_percent"] for n in range(1, 5)]
    lateness_percent = attendance.missed_assemblies * config["assembly_percent"] + sum(
        (late + early) * percent for late, early, percent in zip(attendance.late, attendance.early_leave, brackets))
    lateness_cut = min(discipline - min(discipline, absence_cut), discipline * lateness_percent / HUNDRED)
    absence_cut = min(discipline, absence_cut)
    if config["sanction_source"] == "severity":
        sanction_percent = sum((config[SEVERITY_FIELDS[s.severity]] for s in employee.sanctions), Decimal(0))
    else:
        sanction_percent = sum((s.percent for s in employee.sanctions), Decimal(0))
    before_sanctions = performance + discipline + reward - absence_cut - lateness_cut
    sanction_cut = min(before_sanctions, base * sanction_percent / HUNDRED)
    after_deductions = before_sanctions - sanction_cut

    lines = [
        PayLine("TPP_KINERJA", "TPP Prestasi Kerja", round_rupiah(performance), EARNING,
                {"base": int(base), "predikat": predikat}),
        PayLine("TPP_DISIPLIN", "TPP Disiplin Kerja", round_rupiah(discipline), EARNING, {"base": int(base)}),
    ]
    if reward:
        lines.append(PayLine("PENGHARGAAN", "Penghargaan Predikat Sangat Baik", round_rupiah(reward), EARNING, {}))
    if absence_cut:
        lines.append(PayLine("POT_ALPA", "Potongan Tanpa Keterangan", round_rupiah(absence_cut), DEDUCTION,
                             {"absent_days": attendance.absent_without_reason,
                              "working_days": attendance.working_days}))
    if lateness_cut:
        lines.append(PayLine("POT_TL_PSW_APEL", "Potongan Terlambat, Pulang Cepat dan Apel",
                             round_rupiah(lateness_cut), DEDUCTION,
                             {"late": list(attendance.late), "early_leave": list(attendance.early_leave),
                              "missed_assemblies": attendance.missed_assemblies, "percent": str(lateness_percent)}))
    if sanction_cut:
        lines.append(PayLine("POT_HUKDIS", "Potongan Hukuman Disiplin", round_rupiah(sanction_cut), DEDUCTION,
                             {"sanctions": [f"{s.kind} ({s.severity})" for s in employee.sanctions],
                              "percent": str(sanction_percent)}))
    if after_deductions:
        lines.append(PayLine("BPJS_1", "Iuran BPJS Kesehatan 1% (dipotong)",
                             round_rupiah(after_deductions * config["bpjs_withheld_percent"] / HUNDRED), DEDUCTION,
                             {"basis": str(after_deductions)}))
        lines.append(PayLine("BPJS_4", "Iuran BPJS Kesehatan 4% (dibayar Pemda)",
                             round_rupiah(after_deductions * config["bpjs_region_percent"] / HUNDRED), CONTRIBUTION,
                             {"basis": str(after_deductions)}))
    return lines


@hookimpl
def kinerja_indicator_templates(agency_type):
    if agency_type != "health":
        return []
    return [
        IndicatorTemplate("TBT-KES-1", "health", "Penerima Layanan", "Meningkatnya cakupan imunisasi",
                          "Jumlah anak yang diimunisasi lengkap", "quantity", "anak"),
        IndicatorTemplate("TBT-KES-2", "health", "Proses Bisnis", "Pemantauan layanan secara langsung",
                          "Persentase laporan harian yang diverifikasi pada hari yang sama", "time", "%"),
    ]
