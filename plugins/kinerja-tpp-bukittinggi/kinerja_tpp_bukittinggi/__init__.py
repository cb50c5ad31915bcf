"""TPP of Kota Bukittinggi: pay driven by the appraisal predikat, a bonus for Sangat Baik, discipline
deducted from the discipline part. The rules, with a worked example, are in this package's README."""
from __future__ import annotations

from decimal import Decimal

from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import (CONTRIBUTION, DEDUCTION, EARNING, IndicatorTemplate, PayInput, PayLine,
                                   round_rupiah)

PLUGIN_META = {
    "name": "kinerja-tpp-bukittinggi",
    "version": "1.1.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "TPP of Kota Bukittinggi: predikat-driven performance part, bonus for Sangat Baik, "
                   "discipline deductions, BPJS 1%/4%.",
}

BASE_BY_CLASS = {1: 1_500_000, 2: 1_650_000, 3: 1_800_000, 4: 2_000_000, 5: 2_200_000, 6: 2_450_000,
                 7: 2_700_000, 8: 3_000_000, 9: 3_400_000, 10: 3_900_000, 11: 4_500_000, 12: 5_200_000,
                 13: 6_000_000, 14: 7_500_000, 15: 9_000_000, 16: 11_000_000, 17: 14_000_000}
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
        _percent("factor_baik", "Factor for Baik", "100", "Percent of the performance part paid."),
        _percent("factor_butuh_perbaikan", "Factor for Butuh Perbaikan", "75", "Percent of the performance part paid."),
        _percent("factor_kurang", "Factor for Kurang", "50", "Percent of the performance part paid."),
        _percent("factor_sangat_kurang", "Factor for Sangat Kurang", "25", "Percent of the performance part paid."),
        _percent("factor_without_appraisal", "Factor without an appraisal", "100",
                 "Percent of the performance part paid to an employee with no appraisal yet."),
        _percent("bonus_sangat_baik_percent", "Bonus for Sangat Baik", "10", "Percent of the base TPP."),
        _percent("absence_percent", "Deduction per day absent without reason", "3", "Percent of the discipline part."),
        _percent("bracket1_percent", "Deduction per TL1/PSW1", "0.5", "Percent of the discipline part, 1-30 minutes."),
        _percent("bracket2_percent", "Deduction per TL2/PSW2", "1", "Percent of the discipline part, 31-60 minutes."),
        _percent("bracket3_percent", "Deduction per TL3/PSW3", "1.25", "Percent of the discipline part, 61-90 minutes."),
        _percent("bracket4_percent", "Deduction per TL4/PSW4", "1.5", "Percent of the discipline part, over 90 minutes."),
        _percent("bpjs_withheld_percent", "BPJS Kesehatan withheld", "1", "Percent of TPP after deductions."),
        _percent("bpjs_region_percent", "BPJS Kesehatan paid by the region", "4", "Percent of TPP after deductions."),
    ))


@hookimpl
def kinerja_pay_inputs():
    return ["position_class", "attendance", "appraisal", "sanctions"]


@hookimpl
def kinerja_compute_pay(employee: PayInput, config):
    base = Decimal(config["base_by_class"][employee.position_class])
    performance_share = config["performance_percent"] / HUNDRED
    predikat = employee.appraisal.predikat if employee.appraisal else None
    factor = config[PREDIKAT_FIELDS[predikat]] if predikat else config["factor_without_appraisal"]
    performance = base * performance_share * factor / HUNDRED
    discipline = base - base * performance_share
    bonus = base * config["bonus_sangat_baik_percent"] / HUNDRED if predikat == "Sangat Baik" else Decimal(0)

    attendance = employee.attendance
    brackets = [config[f"bracket{n}_percent"] for n in range(1, 5)]
    discipline_percent = attendance.absent_without_reason * config["absence_percent"] + sum(
        (late + early) * percent for late, early, percent in zip(attendance.late, attendance.early_leave, brackets))
    discipline_cut = min(discipline, discipline * discipline_percent / HUNDRED)
    sanction_percent = sum((s.percent for s in employee.sanctions), Decimal(0))
    sanction_cut = min(performance + discipline + bonus - discipline_cut, base * sanction_percent / HUNDRED)
    after_deductions = performance + discipline + bonus - discipline_cut - sanction_cut

    lines = [
        PayLine("TPP_KINERJA", "TPP Prestasi Kerja", round_rupiah(performance), EARNING,
                {"base": int(base), "performance_percent": str(config["performance_percent"]),
                 "predikat": predikat, "factor_percent": str(factor)}),
        PayLine("TPP_DISIPLIN", "TPP Disiplin Kerja", round_rupiah(discipline), EARNING, {"base": int(base)}),
    ]
    if bonus:
        lines.append(PayLine("BONUS_SANGAT_BAIK", "Bonus Predikat Sangat Baik", round_rupiah(bonus), EARNING,
                             {"percent": str(config["bonus_sangat_baik_percent"])}))
    if discipline_cut:
        lines.append(PayLine("POT_DISIPLIN", "Potongan Disiplin Kerja", round_rupiah(discipline_cut), DEDUCTION,
                             {"absent_days": attendance.absent_without_reason, "late": list(attendance.late),
                              "early_leave": list(attendance.early_leave), "percent": str(discipline_percent)}))
    if sanction_cut:
        lines.append(PayLine("POT_HUKDIS", "Potongan Hukuman Disiplin", round_rupiah(sanction_cut), DEDUCTION,
                             {"sanctions": [s.kind for s in employee.sanctions], "percent": str(sanction_percent)}))
    if after_deductions:
        lines.append(PayLine("BPJS_1", "Iuran BPJS Kesehatan 1% (dipotong)",
                             round_rupiah(after_deductions * config["bpjs_withheld_percent"] / HUNDRED), DEDUCTION,
                             {"basis": str(after_deductions)}))
        lines.append(PayLine("BPJS_4", "Iuran BPJS Kesehatan 4% (dibayar Pemda)",
                             round_rupiah(after_deductions * config["bpjs_region_percent"] / HUNDRED), CONTRIBUTION,
                             {"basis": str(after_deductions)}))
    return lines


INDICATORS = {
    "health": [
        ("BKT-KES-1", "Penerima Layanan", "Meningkatnya layanan kesehatan dasar",
         "Jumlah layanan kesehatan yang diberikan", "quantity", "layanan"),
        ("BKT-KES-2", "Penerima Layanan", "Meningkatnya kepuasan masyarakat",
         "Indeks kepuasan masyarakat terhadap layanan kesehatan", "quality", "indeks"),
        ("BKT-KES-3", "Proses Bisnis", "Program kesehatan berjalan efektif",
         "Persentase program kesehatan yang mencapai target", "quality", "%"),
    ],
    "education": [
        ("BKT-PDK-1", "Penerima Layanan", "Meningkatnya mutu hasil belajar",
         "Rata-rata nilai ujian peserta didik", "quality", "nilai"),
        ("BKT-PDK-2", "Penguatan Internal", "Meningkatnya kompetensi guru",
         "Jam pelajaran pelatihan guru yang diikuti", "quantity", "JP"),
    ],
}


@hookimpl
def kinerja_indicator_templates(agency_type):
    return [IndicatorTemplate(code, agency_type, perspective, rhk, indicator, kind, unit)
            for code, perspective, rhk, indicator, kind, unit in INDICATORS.get(agency_type, [])]
