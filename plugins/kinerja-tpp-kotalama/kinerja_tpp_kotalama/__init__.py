"""TPP of Kotalama: the performance part weighs the work-result rating and the work-behaviour rating
(process as well as results), a bonus rewards public-service targets met on time, and discipline
deductions follow the central template as percent of the whole base. Rules and a worked example are in
this package's README."""
from __future__ import annotations

from decimal import Decimal

from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import CONTRIBUTION, DEDUCTION, EARNING, PayInput, PayLine, round_rupiah

PLUGIN_META = {
    "name": "kinerja-tpp-kotalama",
    "version": "1.1.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.0,<3.0",
    "description": "TPP of Kotalama: results and behaviour weighed 60/40, bonus for public-service targets "
                   "met on time, central-template discipline deductions, BPJS 1%/4%.",
}

BASE_BY_CLASS = {1: 1_400_000, 2: 1_550_000, 3: 1_700_000, 4: 1_900_000, 5: 2_100_000, 6: 2_300_000,
                 7: 2_550_000, 8: 2_800_000, 9: 3_200_000, 10: 3_700_000, 11: 4_300_000, 12: 5_000_000,
                 13: 5_800_000, 14: 7_000_000, 15: 8_500_000, 16: 10_500_000, 17: 13_000_000}
RATING_FIELDS = {"Di Atas Ekspektasi": "factor_above", "Sesuai Ekspektasi": "factor_as_expected",
                 "Di Bawah Ekspektasi": "factor_below"}
HUNDRED = Decimal(100)


def _percent(name, label, default, help_text):
    return ConfigField(name, "percent", label, Decimal(default), help=help_text)


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        ConfigField("base_by_class", "mapping-by-class", "Base TPP per position class",
                    {str(k): v for k, v in BASE_BY_CLASS.items()}, help="Rupiah per month.", min=0, max=100_000_000),
        _percent("performance_percent", "Performance part", "70",
                 "Share of the base paid for performance; the rest is the discipline part."),
        _percent("result_weight_percent", "Weight of the work-result rating", "60",
                 "Within the performance score; the work-behaviour rating weighs the rest."),
        _percent("factor_above", "Factor for Di Atas Ekspektasi", "100", "Score of a rating above expectations."),
        _percent("factor_as_expected", "Factor for Sesuai Ekspektasi", "90", "Score of a rating as expected."),
        _percent("factor_below", "Factor for Di Bawah Ekspektasi", "50", "Score of a rating below expectations."),
        _percent("service_bonus_percent", "Public-service bonus", "5", "Percent of the base TPP."),
        _percent("service_bonus_threshold_percent", "Targets met on time for the bonus", "100",
                 "Share of the month's public-service targets that must be met on time."),
        _percent("absence_percent", "Deduction per day absent without reason", "4", "Percent of the base TPP."),
        _percent("bracket1_percent", "Deduction per TL1/PSW1", "0.5", "Percent of the base TPP, 1-30 minutes."),
        _percent("bracket2_percent", "Deduction per TL2/PSW2", "1", "Percent of the base TPP, 31-60 minutes."),
        _percent("bracket3_percent", "Deduction per TL3/PSW3", "1.5", "Percent of the base TPP, 61-90 minutes."),
        _percent("bracket4_percent", "Deduction per TL4/PSW4", "2", "Percent of the base TPP, over 90 minutes."),
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
    appraisal = employee.appraisal
    result_rating = appraisal.work_result if appraisal else "Sesuai Ekspektasi"
    behaviour_rating = appraisal.behaviour if appraisal else "Sesuai Ekspektasi"
    result_weight = config["result_weight_percent"] / HUNDRED
    score = (config[RATING_FIELDS[result_rating]] * result_weight
             + config[RATING_FIELDS[behaviour_rating]] * (1 - result_weight))
    performance = base * performance_share * score / HUNDRED
    discipline = base - base * performance_share

    bonus = Decimal(0)
    if appraisal and appraisal.service_targets:
        met = Decimal(appraisal.service_targets_met_on_time) / appraisal.service_targets * HUNDRED
        if met >= config["service_bonus_threshold_percent"]:
            bonus = base * config["service_bonus_percent"] / HUNDRED

    attendance = employee.attendance
    brackets = [config[f"bracket{n}_percent"] for n in range(1, 5)]
    discipline_percent = attendance.absent_without_reason * config["absence_percent"] + sum(
        (late + early) * percent for late, early, percent in zip(attendance.late, attendance.early_leave, brackets))
    discipline_cut = min(discipline, base * discipline_percent / HUNDRED)
    sanction_percent = sum((s.percent for s in employee.sanctions), Decimal(0))
    sanction_cut = min(performance + discipline + bonus - discipline_cut, base * sanction_percent / HUNDRED)
    after_deductions = performance + discipline + bonus - discipline_cut - sanction_cut

    lines = [
        PayLine("TPP_KINERJA", "TPP Prestasi Kerja", round_rupiah(performance), EARNING,
                {"base": int(base), "work_result": result_rating, "behaviour": behaviour_rating,
                 "score_percent": str(score)}),
        PayLine("TPP_DISIPLIN", "TPP Disiplin Kerja", round_rupiah(discipline), EARNING, {"base": int(base)}),
    ]
    if bonus:
        lines.append(PayLine("BONUS_LAYANAN", "Bonus Target Layanan Publik Tepat Waktu", round_rupiah(bonus),
                             EARNING, {"targets": appraisal.service_targets,
                                       "met_on_time": appraisal.service_targets_met_on_time}))
    if discipline_cut:
        lines.append(PayLine("POT_DISIPLIN", "Potongan Disiplin Kerja", round_rupiah(discipline_cut), DEDUCTION,
                             {"absent_days": attendance.absent_without_reason, "late": list(attendance.late),
                              "early_leave": list(attendance.early_leave), "percent_of_base": str(discipline_percent)}))
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
