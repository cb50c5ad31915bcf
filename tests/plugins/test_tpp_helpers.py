"""The helpers of kinerja_plugin_api.tpp and .explanations, and the explanation contract of pay lines."""
import types
from decimal import Decimal

import pytest

from kinerja_plugin_api import explanations, tpp
from kinerja_plugin_api.config_schema import ConfigError, ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.host import PluginHost
from kinerja_plugin_api.pay import PayCalculator, pay_line_problems
from kinerja_plugin_api.samples import build_pay_input
from kinerja_plugin_api.types import (CONTRIBUTION, DEDUCTION, EARNING, AttendanceSummary, Explanation, PayLine,
                                      Sanction)

D = Decimal


def test_percent_of_and_split_base_are_exact():
    assert tpp.percent_of(D(3_400_000), D("1.25")) == D("42500")
    assert tpp.percent_of(1_000_001, D(50)) == D("500000.5")  # not rounded: lines round, once
    performance, discipline = tpp.split_base(D(3_400_000), D(60))
    assert (performance, discipline) == (D(2_040_000), D(1_360_000))
    performance, discipline = tpp.split_base(D(1_000_000), D("33.3"))
    assert performance + discipline == D(1_000_000) and performance == D("333000")


def test_lateness_percent_adds_late_and_early_of_each_bracket():
    attendance = AttendanceSummary(21, 21, late=(3, 2, 0, 1), early_leave=(1, 0, 2, 0))
    # (3+1) x 0.5 + (2+0) x 1 + (0+2) x 1.25 + (1+0) x 1.5 = 2 + 2 + 2.5 + 1.5
    assert tpp.lateness_percent(attendance, (D("0.5"), D(1), D("1.25"), D("1.5"))) == D("8")
    assert tpp.lateness_percent(AttendanceSummary(21, 21), (D(1),) * 4) == 0


def test_days_accounted_count_duty_leave_and_sickness_but_never_more_than_the_month():
    assert tpp.days_accounted(AttendanceSummary(22, 18, absent_without_reason=2, official_duty_days=1,
                                                sick_days=1)) == 20
    assert tpp.days_accounted(AttendanceSummary(20, 20, leave_days=3)) == 20


def test_sanctions_percent_and_the_sanction_line():
    sanctions = (Sanction("teguran lisan", "ringan", D("20"), 1), Sanction("penundaan", "sedang", D("12.5"), 6))
    assert tpp.sanctions_percent(sanctions) == D("32.5") and tpp.sanctions_percent(()) == 0
    line = tpp.sanction_line(D("460000.4"), ["penundaan"], D(25), coaching_only=["teguran lisan"])
    assert (line.code, line.kind, line.amount) == ("POT_HUKDIS", DEDUCTION, 460_000)
    assert line.inputs == {"sanctions": ["penundaan"], "percent": "25", "coaching_only": ["teguran lisan"]}
    assert line.explanation.sentences("en") == ("Withheld because of disciplinary sanctions in force: penundaan.",
                                                "Coaching only, no deduction: teguran lisan.")
    assert "coaching_only" not in tpp.sanction_line(D(1), ["x"], D(1)).inputs


def test_setting_fields_are_named_and_typed_as_the_helpers_read_them():
    schema = ConfigSchema((tpp.base_by_class_field({c: 1_000 * c for c in range(1, 18)}),
                           tpp.performance_percent_field("60"),
                           *tpp.predikat_factor_fields("100", "90", "70", "50", "0"),
                           tpp.absence_percent_field("3", of="the base TPP"),
                           *tpp.bracket_fields("0.5", "1", "1.25", "1.5"), *tpp.bpjs_fields()))
    config = schema.clean(schema.defaults())
    assert config["base_by_class"][17] == 17_000
    assert tpp.predikat_factor(config, "Butuh Perbaikan") == D(70)
    assert tpp.bracket_percents(config) == (D("0.5"), D(1), D("1.25"), D("1.5"))
    assert schema.field_named("bracket3_percent").help == "Percent of the discipline part, 61-90 minutes."
    assert schema.field_named("absence_percent").help == "Percent of the base TPP."
    assert (config["bpjs_withheld_percent"], config["bpjs_region_percent"]) == (D(1), D(4))
    with pytest.raises(ConfigError) as invalid:
        schema.clean({"factor_kurang": "101"})
    assert list(invalid.value.errors) == ["factor_kurang"]


def test_bpjs_lines_follow_the_settings_and_explain_themselves():
    lines = tpp.bpjs_lines(D("3672000"), {"bpjs_withheld_percent": D("1.5"), "bpjs_region_percent": D(4)})
    assert [(line.code, line.kind, line.amount) for line in lines] == [
        ("BPJS_1", DEDUCTION, 55_080), ("BPJS_4", CONTRIBUTION, 146_880)]
    assert lines[0].label == "Iuran BPJS Kesehatan 1,5% (dipotong)"
    assert lines[0].explanation.sentences("en") == (
        "Your 1.5% share of the BPJS Kesehatan health insurance, withheld from your TPP after deductions "
        "(Rp 3.672.000).",)
    assert lines[0].explanation.sentences("id") == (
        "Iuran 1,5% BPJS Kesehatan yang menjadi bagian Anda, dipotong dari TPP Anda setelah potongan lain "
        "(Rp 3.672.000).",)
    assert tpp.bpjs_lines(D(0), {"bpjs_withheld_percent": D(1), "bpjs_region_percent": D(4)}) == []


def test_pay_line_rounds_once_half_up():
    assert tpp.pay_line("X", "X", D("669090.5"), EARNING).amount == 669_091
    assert tpp.pay_line("X", "X", D("669090.4999"), EARNING).amount == 669_090


def test_explanations_add_up_and_never_mix_languages():
    both = explanations.performance_part() + explanations.predikat("Baik")
    assert both.sentences("en") == ("The performance part of your base TPP, paid according to your appraisal.",
                                    "Your predikat: Baik.")
    assert both.sentences("id")[1] == "Predikat Anda: Baik."
    half = both + Explanation("Hanya Indonesia.")
    assert half.english == () and half.sentences("en") == half.indonesian
    assert Explanation("Satu.", "One.").indonesian == ("Satu.",)
    assert explanations.predikat(None).sentences("en") == (
        "You had no appraisal result yet, so the rule for employees without one applies.",)


def test_figures_are_written_as_each_language_writes_them():
    assert explanations.percent(D("1.250"), "id") == "1,25" and explanations.percent(D("1.250")) == "1.25"
    assert explanations.percent(D("60.00")) == "60" and explanations.percent(D("1E+2")) == "100"
    assert explanations.rupiah(D("3672000.5")) == "Rp 3.672.001"
    assert explanations.attendance_deduction(D("5.0")).sentences("en")[1] == "Together 5% by the region's rules."
    assert len(explanations.attendance_deduction().sentences("id")) == 1


@pytest.mark.parametrize("explanation, problem", [
    ("Potongan.", "explanation is a str, not an Explanation"),
    (Explanation(()), "explanation has no Indonesian sentence"),
    (Explanation(" ", "Withheld."), "explanation has an empty or non-text Indonesian sentence"),
    (Explanation("Dipotong.", ("Withheld.", 3)), "explanation has an empty or non-text English sentence"),
])
def test_a_malformed_explanation_breaks_the_contract(explanation, problem):
    line = PayLine("POT", "Potongan", 1, DEDUCTION, {}, explanation)
    assert pay_line_problems([line]) == [f"line 1 ('POT') {problem}"]
    assert pay_line_problems([PayLine("POT", "Potongan", 1, DEDUCTION)]) == []


def test_the_calculator_contains_a_plugin_returning_a_bad_explanation():
    module = types.ModuleType("test_bad_explanation")
    module.PLUGIN_META = {"name": "test-bad-explanation", "version": "1.0.0", "vendor": "Tests",
                          "hook_api": ">=2.0,<3.0", "description": "An empty explanation."}

    @hookimpl
    def kinerja_compute_pay(employee):
        return [PayLine("FLAT", "TPP", 10, EARNING, {}, Explanation(""))]

    module.kinerja_compute_pay = kinerja_compute_pay
    host = PluginHost()
    assert host.register(module) is not None
    result = PayCalculator(host, "test-bad-explanation", "1.0.0", None, {}).compute(build_pay_input(), None)
    assert not result.ok and "explanation has an empty or non-text Indonesian sentence" in result.error


def test_a_schema_check_judges_settings_across_fields_once_each_is_valid():
    calls = []

    def check(config):
        calls.append(config)
        if config["low"] > config["high"]:
            return {"low": ["Must not exceed the upper bound."], "high": []}
        return {}

    schema = ConfigSchema((ConfigField("low", "percent", "Low", D(1)), ConfigField("high", "percent", "High", D(4))),
                          check=check)
    assert schema.clean({"low": "2"}) == {"low": D(2), "high": D(4)}
    with pytest.raises(ConfigError) as crossed:
        schema.clean({"low": "5"})
    assert crossed.value.errors == {"low": ["Must not exceed the upper bound."]}
    calls.clear()
    with pytest.raises(ConfigError) as invalid:
        schema.clean({"low": "500", "high": "x"})
    assert set(invalid.value.errors) == {"low", "high"} and calls == []  # field errors first, check not run
