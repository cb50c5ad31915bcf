"""TPP of Kota Tebingtinggi: rewards and sanctions. A day absent without reason loses that day's whole
share of the discipline part; lateness, early leave and missed morning assemblies cost a percent of the
discipline part; sanctions cut by their severity; Sangat Baik earns a fixed reward. Rules and a worked
example are in this package's README."""
from __future__ import annotations

from decimal import Decimal

from kinerja_plugin_api import explanations, tpp
from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.tpp import percent_field, percent_of
from kinerja_plugin_api.types import DEDUCTION, EARNING, IndicatorTemplate, PayInput

PLUGIN_META = {
    "name": "kinerja-tpp-tebingtinggi",
    "version": "1.2.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.1,<3.0",
    "description": "TPP of Kota Tebingtinggi: predikat factors, daily discipline shares, TL/PSW and assembly "
                   "deductions, sanctions by severity, reward for Sangat Baik, BPJS 1%/4%.",
}

BASE_BY_CLASS = {1: 1_300_000, 2: 1_450_000, 3: 1_600_000, 4: 1_800_000, 5: 1_950_000, 6: 2_200_000,
                 7: 2_500_000, 8: 2_750_000, 9: 3_100_000, 10: 3_600_000, 11: 4_200_000, 12: 4_900_000,
                 13: 5_700_000, 14: 6_800_000, 15: 8_200_000, 16: 10_000_000, 17: 12_500_000}
SEVERITY_FIELDS = {"ringan": "sanction_light_percent", "sedang": "sanction_medium_percent",
                   "berat": "sanction_heavy_percent"}


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        tpp.base_by_class_field(BASE_BY_CLASS),
        tpp.performance_percent_field("60"),
        *tpp.predikat_factor_fields("100", "90", "70", "50", "0"),
        ConfigField("reward_sangat_baik", "int", "Reward for Sangat Baik", 250_000, min=0, max=10_000_000,
                    help="Rupiah per month, paid on top of the TPP."),
        *tpp.bracket_fields("0.2", "0.4", "0.5", "0.6"),
        percent_field("assembly_percent", "Deduction per missed morning assembly", "2", "Percent of the discipline part."),
        ConfigField("sanction_source", "choice", "Sanction deduction taken from", "severity",
                    choices=("severity", "decision"),
                    help="'severity': the percents below by severity; 'decision': the percent in the decision."),
        percent_field("sanction_light_percent", "Light sanction (ringan)", "10", "Percent of the base TPP."),
        percent_field("sanction_medium_percent", "Medium sanction (sedang)", "25", "Percent of the base TPP."),
        percent_field("sanction_heavy_percent", "Heavy sanction (berat)", "50", "Percent of the base TPP."),
        *tpp.bpjs_fields(),
    ))


@hookimpl
def kinerja_pay_inputs():
    return ["position_class", "attendance", "appraisal", "sanctions"]


@hookimpl
def kinerja_compute_pay(employee: PayInput, config):
    base = Decimal(config["base_by_class"][employee.position_class])
    performance_part, discipline = tpp.split_base(base, config["performance_percent"])
    predikat = employee.appraisal.predikat if employee.appraisal else "Baik"
    performance = percent_of(performance_part, tpp.predikat_factor(config, predikat))
    reward = Decimal(config["reward_sangat_baik"]) if predikat == "Sangat Baik" else Decimal(0)

    attendance = employee.attendance
    # a day absent without reason loses that day's whole share of the discipline part
    absence_cut = (discipline * attendance.absent_without_reason / attendance.working_days
                   if attendance.working_days else Decimal(0))
    lateness_percent = attendance.missed_assemblies * config["assembly_percent"] + tpp.lateness_percent(
        attendance, tpp.bracket_percents(config))
    lateness_cut = min(discipline - min(discipline, absence_cut), percent_of(discipline, lateness_percent))
    absence_cut = min(discipline, absence_cut)
    if config["sanction_source"] == "severity":
        sanction_percent = sum((config[SEVERITY_FIELDS[s.severity]] for s in employee.sanctions), Decimal(0))
    else:
        sanction_percent = tpp.sanctions_percent(employee.sanctions)
    before_sanctions = performance + discipline + reward - absence_cut - lateness_cut
    sanction_cut = min(before_sanctions, percent_of(base, sanction_percent))
    after_deductions = before_sanctions - sanction_cut

    lines = [
        tpp.pay_line("TPP_KINERJA", "TPP Prestasi Kerja", performance, EARNING,
                     {"base": int(base), "predikat": predikat},
                     explanations.performance_part() + explanations.predikat(predikat)),
        tpp.pay_line("TPP_DISIPLIN", "TPP Disiplin Kerja", discipline, EARNING, {"base": int(base)},
                     explanations.discipline_part()),
    ]
    if reward:
        lines.append(tpp.pay_line("PENGHARGAAN", "Penghargaan Predikat Sangat Baik", reward, EARNING, {},
                                  explanations.performance_bonus()))
    if absence_cut:
        lines.append(tpp.pay_line("POT_ALPA", "Potongan Tanpa Keterangan", absence_cut, DEDUCTION,
                                  {"absent_days": attendance.absent_without_reason,
                                   "working_days": attendance.working_days},
                                  explanations.attendance_deduction()))
    if lateness_cut:
        lines.append(tpp.pay_line("POT_TL_PSW_APEL", "Potongan Terlambat, Pulang Cepat dan Apel", lateness_cut,
                                  DEDUCTION, {"late": list(attendance.late), "early_leave": list(attendance.early_leave),
                                              "missed_assemblies": attendance.missed_assemblies,
                                              "percent": str(lateness_percent)},
                                  explanations.attendance_deduction(lateness_percent)))
    if sanction_cut:
        lines.append(tpp.sanction_line(sanction_cut, [f"{s.kind} ({s.severity})" for s in employee.sanctions],
                                       sanction_percent))
    return lines + tpp.bpjs_lines(after_deductions, config)


@hookimpl
def kinerja_indicator_templates(agency_type):
    if agency_type != "health":
        return []
    return [
        IndicatorTemplate("TBT-KES-1", "health", "Penerima Layanan", "Meningkatnya cakupan imunisasi",
                          "Jumlah anak yang diimunisasi lengkap", "quantity", "anak"),
        IndicatorTemplate("TBT-KES-2", "health", "Proses Bisnis", "Pemantauan layanan secara langsung",
                          "Persentase laporan harian yang diverifikasi pada hari yang sama", "time", "%",
                          measured_by="daily_logs_verified_same_day"),
    ]
