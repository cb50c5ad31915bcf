"""TPP of Kota Bukittinggi: pay driven by the appraisal predikat, a bonus for Sangat Baik, discipline
deducted from the discipline part. The rules, with a worked example, are in this package's README."""
from __future__ import annotations

from decimal import Decimal

from kinerja_plugin_api import explanations, tpp
from kinerja_plugin_api.config_schema import ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.tpp import percent_field, percent_of
from kinerja_plugin_api.types import DEDUCTION, EARNING, IndicatorTemplate, PayInput

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


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        tpp.base_by_class_field(BASE_BY_CLASS),
        tpp.performance_percent_field("60"),
        *tpp.predikat_factor_fields("100", "100", "75", "50", "25"),
        percent_field("factor_without_appraisal", "Factor without an appraisal", "100",
                      "Percent of the performance part paid to an employee with no appraisal yet."),
        percent_field("bonus_sangat_baik_percent", "Bonus for Sangat Baik", "10", "Percent of the base TPP."),
        tpp.absence_percent_field("3"),
        *tpp.bracket_fields("0.5", "1", "1.25", "1.5"),
        *tpp.bpjs_fields(),
    ))


@hookimpl
def kinerja_pay_inputs():
    return ["position_class", "attendance", "appraisal", "sanctions"]


@hookimpl
def kinerja_compute_pay(employee: PayInput, config):
    base = Decimal(config["base_by_class"][employee.position_class])
    performance_part, discipline = tpp.split_base(base, config["performance_percent"])
    predikat = employee.appraisal.predikat if employee.appraisal else None
    factor = tpp.predikat_factor(config, predikat) if predikat else config["factor_without_appraisal"]
    performance = percent_of(performance_part, factor)
    bonus = percent_of(base, config["bonus_sangat_baik_percent"]) if predikat == "Sangat Baik" else Decimal(0)

    attendance = employee.attendance
    discipline_percent = attendance.absent_without_reason * config["absence_percent"] + tpp.lateness_percent(
        attendance, tpp.bracket_percents(config))
    discipline_cut = min(discipline, percent_of(discipline, discipline_percent))
    sanction_percent = tpp.sanctions_percent(employee.sanctions)
    sanction_cut = min(performance + discipline + bonus - discipline_cut, percent_of(base, sanction_percent))
    after_deductions = performance + discipline + bonus - discipline_cut - sanction_cut

    lines = [
        tpp.pay_line("TPP_KINERJA", "TPP Prestasi Kerja", performance, EARNING,
                     {"base": int(base), "performance_percent": str(config["performance_percent"]),
                      "predikat": predikat, "factor_percent": str(factor)},
                     explanations.performance_part() + explanations.predikat(predikat)
                     + explanations.performance_share(config["performance_percent"], factor)),
        tpp.pay_line("TPP_DISIPLIN", "TPP Disiplin Kerja", discipline, EARNING, {"base": int(base)},
                     explanations.discipline_part()),
    ]
    if bonus:
        lines.append(tpp.pay_line("BONUS_SANGAT_BAIK", "Bonus Predikat Sangat Baik", bonus, EARNING,
                                  {"percent": str(config["bonus_sangat_baik_percent"])},
                                  explanations.performance_bonus()))
    if discipline_cut:
        lines.append(tpp.pay_line("POT_DISIPLIN", "Potongan Disiplin Kerja", discipline_cut, DEDUCTION,
                                  {"absent_days": attendance.absent_without_reason, "late": list(attendance.late),
                                   "early_leave": list(attendance.early_leave), "percent": str(discipline_percent)},
                                  explanations.attendance_deduction(discipline_percent)))
    if sanction_cut:
        lines.append(tpp.sanction_line(sanction_cut, [s.kind for s in employee.sanctions], sanction_percent))
    return lines + tpp.bpjs_lines(after_deductions, config)


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
