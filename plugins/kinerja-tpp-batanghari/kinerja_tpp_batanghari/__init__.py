"""TPP of Kabupaten Batanghari: PPPK receive a configurable share of the base, the discipline part is
paid in proportion to the days accounted for (present, official duty, leave, sick), lateness and early
leave cost a percent of the discipline part, and light sanctions mean coaching, not a deduction. Rules and
a worked example are in this package's README."""
from __future__ import annotations

from decimal import Decimal

from kinerja_plugin_api import explanations, tpp
from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.tpp import percent_field, percent_of
from kinerja_plugin_api.types import DEDUCTION, EARNING, PayInput

PLUGIN_META = {
    "name": "kinerja-tpp-batanghari",
    "version": "1.2.0",
    "vendor": "Kinerja",
    "hook_api": ">=2.1,<3.0",
    "description": "TPP of Kabupaten Batanghari: PPPK share, discipline part by attendance ratio, TL/PSW "
                   "deductions, coaching instead of deductions for light sanctions, BPJS 1%/4%.",
}

BASE_BY_CLASS = {1: 1_250_000, 2: 1_400_000, 3: 1_550_000, 4: 1_750_000, 5: 2_000_000, 6: 2_300_000,
                 7: 2_600_000, 8: 2_900_000, 9: 3_300_000, 10: 3_800_000, 11: 4_400_000, 12: 5_100_000,
                 13: 5_900_000, 14: 7_200_000, 15: 8_800_000, 16: 10_800_000, 17: 13_500_000}


@hookimpl
def kinerja_pay_config_schema():
    return ConfigSchema((
        tpp.base_by_class_field(BASE_BY_CLASS, label="Base TPP per position class (PNS)"),
        percent_field("pppk_percent", "PPPK share of the base", "80", "Percent of the class's base paid to PPPK."),
        tpp.performance_percent_field("60"),
        *tpp.predikat_factor_fields("100", "100", "70", "40", "20"),
        *tpp.bracket_fields("0.5", "1", "1.25", "1.5"),
        ConfigField("deduct_light_sanctions", "bool", "Deduct for light sanctions", False,
                    help="Off: a light (ringan) sanction means coaching and costs no TPP."),
        ConfigField("pay_rewards", "bool", "Pay incentives recorded as rewards", True,
                    help="On: a reward in force pays its percent of the base TPP as an incentive (INSENTIF)."),
        *tpp.bpjs_fields(),
    ))


@hookimpl
def kinerja_pay_inputs():
    return ["position_class", "employee_type", "attendance", "appraisal", "sanctions"]


@hookimpl
def kinerja_compute_pay(employee: PayInput, config):
    base = Decimal(config["base_by_class"][employee.position_class])
    if employee.employee_type == "PPPK":
        base = percent_of(base, config["pppk_percent"])
    performance_part, full_discipline = tpp.split_base(base, config["performance_percent"])
    predikat = employee.appraisal.predikat if employee.appraisal else "Baik"
    performance = percent_of(performance_part, tpp.predikat_factor(config, predikat))

    attendance = employee.attendance
    accounted = tpp.days_accounted(attendance)
    discipline = (full_discipline * accounted / attendance.working_days if attendance.working_days
                  else full_discipline)
    lateness_percent = tpp.lateness_percent(attendance, tpp.bracket_percents(config))
    lateness_cut = min(discipline, percent_of(full_discipline, lateness_percent))
    deducted = [s for s in employee.sanctions if s.severity != "ringan" or config["deduct_light_sanctions"]]
    sanction_percent = tpp.sanctions_percent(deducted)
    sanction_cut = min(performance + discipline - lateness_cut, percent_of(base, sanction_percent))
    # incentives recorded as rewards in the appraisal are paid on top (hook API 2.1)
    reward_percent = sum((r.percent for r in employee.rewards), Decimal(0)) if config["pay_rewards"] else Decimal(0)
    incentive = percent_of(base, reward_percent)
    after_deductions = performance + discipline + incentive - lateness_cut - sanction_cut

    lines = [
        tpp.pay_line("TPP_KINERJA", "TPP Prestasi Kerja", performance, EARNING,
                     {"base": str(base), "employee_type": employee.employee_type, "predikat": predikat},
                     explanations.performance_part() + explanations.predikat(predikat)),
        tpp.pay_line("TPP_DISIPLIN", "TPP Disiplin Kerja (rasio kehadiran)", discipline, EARNING,
                     {"full_discipline_part": str(full_discipline), "days_accounted": accounted,
                      "working_days": attendance.working_days},
                     explanations.discipline_part() + explanations.days_accounted(accounted, attendance.working_days)),
    ]
    if incentive:
        lines.append(tpp.pay_line("INSENTIF", "Insentif Penghargaan", incentive, EARNING,
                                  {"rewards": [r.kind for r in employee.rewards], "percent": str(reward_percent)},
                                  explanations.performance_bonus()))
    if lateness_cut:
        lines.append(tpp.pay_line("POT_TL_PSW", "Potongan Terlambat dan Pulang Cepat", lateness_cut, DEDUCTION,
                                  {"late": list(attendance.late), "early_leave": list(attendance.early_leave),
                                   "percent": str(lateness_percent)},
                                  explanations.attendance_deduction(lateness_percent)))
    if sanction_cut:
        lines.append(tpp.sanction_line(sanction_cut, [s.kind for s in deducted], sanction_percent,
                                       coaching_only=[s.kind for s in employee.sanctions if s not in deducted]))
    return lines + tpp.bpjs_lines(after_deductions, config)
