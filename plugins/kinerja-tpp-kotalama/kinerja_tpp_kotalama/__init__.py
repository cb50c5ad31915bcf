"""TPP of Kotalama: the performance part weighs the work-result rating and the work-behaviour rating
(process as well as results), a bonus rewards public-service targets met on time, and discipline
deductions follow the central template as percent of the whole base. Rules and a worked example are in
this package's README."""
from __future__ import annotations

from decimal import Decimal

from kinerja_plugin_api import explanations, tpp
from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.tpp import HUNDRED, percent_field, percent_of
from kinerja_plugin_api.types import DEDUCTION, EARNING, PayInput

PLUGIN_META = {
    "name": "kinerja-tpp-kotalama",
    "version": "1.2.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.1,<3.0",
    "description": "TPP of Kotalama: results and behaviour weighed 60/40, bonus for public-service targets "
                   "met on time, central-template discipline deductions, BPJS 1%/4%.",
}

BASE_BY_CLASS = {1: 1_400_000, 2: 1_550_000, 3: 1_700_000, 4: 1_900_000, 5: 2_100_000, 6: 2_300_000,
                 7: 2_550_000, 8: 2_800_000, 9: 3_200_000, 10: 3_700_000, 11: 4_300_000, 12: 5_000_000,
                 13: 5_800_000, 14: 7_000_000, 15: 8_500_000, 16: 10_500_000, 17: 13_000_000}
RATING_FIELDS = {"Di Atas Ekspektasi": "factor_above", "Sesuai Ekspektasi": "factor_as_expected",
                 "Di Bawah Ekspektasi": "factor_below"}


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        tpp.base_by_class_field(BASE_BY_CLASS),
        tpp.performance_percent_field("70"),
        percent_field("result_weight_percent", "Weight of the work-result rating", "60",
                      "Within the performance score; the work-behaviour rating weighs the rest."),
        percent_field("factor_above", "Factor for Di Atas Ekspektasi", "100", "Score of a rating above expectations."),
        percent_field("factor_as_expected", "Factor for Sesuai Ekspektasi", "90", "Score of a rating as expected."),
        percent_field("factor_below", "Factor for Di Bawah Ekspektasi", "50", "Score of a rating below expectations."),
        percent_field("service_bonus_percent", "Public-service bonus", "5", "Percent of the base TPP."),
        percent_field("service_bonus_threshold_percent", "Targets met on time for the bonus", "100",
                      "Share of the month's public-service targets that must be met on time."),
        tpp.absence_percent_field("4", of="the base TPP"),
        *tpp.bracket_fields("0.5", "1", "1.5", "2", of="the base TPP"),
        *tpp.bpjs_fields(),
        ConfigField("pay_unpaid_leave", "bool", "Pay TPP for days of CLTN", False,
                    help="Leave outside the state's account (CLTN) is unpaid: by default its working days "
                         "cost their share of the month's TPP."),
    ))


@hookimpl
def kinerja_pay_inputs():
    return ["position_class", "attendance", "appraisal", "sanctions"]


@hookimpl
def kinerja_compute_pay(employee: PayInput, config):
    base = Decimal(config["base_by_class"][employee.position_class])
    performance_part, discipline = tpp.split_base(base, config["performance_percent"])
    appraisal = employee.appraisal
    result_rating = appraisal.work_result if appraisal else "Sesuai Ekspektasi"
    behaviour_rating = appraisal.behaviour if appraisal else "Sesuai Ekspektasi"
    result_weight = config["result_weight_percent"] / HUNDRED
    score = (config[RATING_FIELDS[result_rating]] * result_weight
             + config[RATING_FIELDS[behaviour_rating]] * (1 - result_weight))
    performance = percent_of(performance_part, score)

    # the month's targets travel on the PayInput itself since hook API 2.1, rating or not; an input built
    # the 2.0 way carries them on the appraisal result only
    targets, met_on_time = employee.service_targets, employee.service_targets_met_on_time
    if not targets and appraisal is not None:
        targets, met_on_time = appraisal.service_targets, appraisal.service_targets_met_on_time
    bonus = Decimal(0)
    if targets:
        met = Decimal(met_on_time) / targets * HUNDRED
        if met >= config["service_bonus_threshold_percent"]:
            bonus = percent_of(base, config["service_bonus_percent"])

    attendance = employee.attendance
    discipline_percent = attendance.absent_without_reason * config["absence_percent"] + tpp.lateness_percent(
        attendance, tpp.bracket_percents(config))
    discipline_cut = min(discipline, percent_of(base, discipline_percent))
    sanction_percent = tpp.sanctions_percent(employee.sanctions)
    sanction_cut = min(performance + discipline + bonus - discipline_cut, percent_of(base, sanction_percent))
    after_deductions = performance + discipline + bonus - discipline_cut - sanction_cut

    lines = [
        tpp.pay_line("TPP_KINERJA", "TPP Prestasi Kerja", performance, EARNING,
                     {"base": int(base), "work_result": result_rating, "behaviour": behaviour_rating,
                      "score_percent": str(score)},
                     explanations.performance_part() + explanations.ratings(result_rating, behaviour_rating, score)),
        tpp.pay_line("TPP_DISIPLIN", "TPP Disiplin Kerja", discipline, EARNING, {"base": int(base)},
                     explanations.discipline_part()),
    ]
    if bonus:
        lines.append(tpp.pay_line("BONUS_LAYANAN", "Bonus Target Layanan Publik Tepat Waktu", bonus, EARNING,
                                  {"targets": targets, "met_on_time": met_on_time},
                                  explanations.performance_bonus() + explanations.service_targets_met(
                                      met_on_time, targets)))
    if discipline_cut:
        lines.append(tpp.pay_line("POT_DISIPLIN", "Potongan Disiplin Kerja", discipline_cut, DEDUCTION,
                                  {"absent_days": attendance.absent_without_reason, "late": list(attendance.late),
                                   "early_leave": list(attendance.early_leave),
                                   "percent_of_base": str(discipline_percent)},
                                  explanations.attendance_deduction(discipline_percent)))
    if sanction_cut:
        lines.append(tpp.sanction_line(sanction_cut, [s.kind for s in employee.sanctions], sanction_percent))
    unpaid = None if config["pay_unpaid_leave"] else tpp.unpaid_leave_line(after_deductions, employee)
    if unpaid:
        lines.append(unpaid)
        days, working_days = tpp.unpaid_leave_days(employee), employee.attendance.working_days
        after_deductions = after_deductions * (working_days - days) / working_days
    return lines + tpp.bpjs_lines(after_deductions, config)
