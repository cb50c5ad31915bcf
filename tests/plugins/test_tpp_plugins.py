"""Each first-party TPP plugin on worked examples computed by hand (default settings unless stated).
Every line is computed exactly and rounded once, half up, to whole rupiah."""
import datetime
from decimal import Decimal

import pytest

from kinerja_plugin_api.types import Sanction
from tests.plugins.conftest import first_party_module

MARCH = datetime.date(2025, 3, 1)


def lines_of(result):
    return {line.code: (line.kind, line.amount) for line in result.lines}


@pytest.fixture
def runner(kinerja_plugin):
    return lambda module_name: kinerja_plugin(first_party_module(module_name))


def test_bukittinggi_sangat_baik_with_lateness_and_one_absence(runner, make_pay_input):
    # Class 9: base 3,400,000. Performance 60% x factor 100% = 2,040,000; discipline part 40% = 1,360,000;
    # bonus for Sangat Baik 10% of base = 340,000. Discipline: 1 day absent x 3% + 2 x TL1 x 0.5%
    # + 1 x PSW2 x 1% = 5% of 1,360,000 = 68,000. BPJS on 2,040,000 + 1,360,000 + 340,000 - 68,000
    # = 3,672,000: 1% = 36,720 withheld, 4% = 146,880 paid by the region.
    pay_input = make_pay_input(position_class=9, appraisal={"predikat": "Sangat Baik"}, attendance={
        "working_days": 21, "days_present": 20, "absent_without_reason": 1, "late": (2, 0, 0, 0),
        "early_leave": (0, 1, 0, 0)})
    result = runner("kinerja_tpp_bukittinggi").compute(pay_input, MARCH)
    assert lines_of(result) == {
        "TPP_KINERJA": ("earning", 2_040_000), "TPP_DISIPLIN": ("earning", 1_360_000),
        "BONUS_SANGAT_BAIK": ("earning", 340_000), "POT_DISIPLIN": ("deduction", 68_000),
        "BPJS_1": ("deduction", 36_720), "BPJS_4": ("contribution", 146_880)}
    assert result.net == 3_635_280
    assert all(line.label for line in result.lines)


def test_bukittinggi_butuh_perbaikan_with_a_sanction(runner, make_pay_input):
    # Class 5: base 2,200,000. Performance 2,200,000 x 60% x 75% = 990,000; discipline part 880,000; no bonus.
    # Sanction 40% of base = 880,000. BPJS on 990,000 + 880,000 - 880,000 = 990,000: 9,900 and 39,600.
    pay_input = make_pay_input(position_class=5, appraisal={"predikat": "Butuh Perbaikan"},
                               sanctions=(Sanction("penundaan kenaikan gaji berkala", "sedang", Decimal("40"), 6),))
    result = runner("kinerja_tpp_bukittinggi").compute(pay_input, MARCH)
    assert lines_of(result) == {
        "TPP_KINERJA": ("earning", 990_000), "TPP_DISIPLIN": ("earning", 880_000),
        "POT_HUKDIS": ("deduction", 880_000), "BPJS_1": ("deduction", 9_900), "BPJS_4": ("contribution", 39_600)}
    assert result.net == 980_100


def test_bukittinggi_amounts_come_from_the_region_settings(runner, make_pay_input):
    base = {str(c): 1_000_000 for c in range(1, 18)}
    result = runner("kinerja_tpp_bukittinggi").compute(make_pay_input(position_class=9), MARCH,
                                                        base_by_class=base, performance_percent="50")
    # 1,000,000: performance 50% x Baik 100% = 500,000; discipline 500,000; BPJS 1% of 1,000,000.
    assert lines_of(result)["TPP_KINERJA"] == ("earning", 500_000)
    assert result.net == 990_000


def test_kotalama_results_and_behaviour_with_service_bonus(runner, make_pay_input):
    # Class 8: base 2,800,000. Score 60% x 100 (Di Atas) + 40% x 90 (Sesuai) = 96;
    # performance 2,800,000 x 70% x 96% = 1,881,600; discipline part 30% = 840,000.
    # 10 of 10 service targets met on time: bonus 5% of base = 140,000.
    # TL2 (1%) + TL4 (2%) = 3% of the base = 84,000. BPJS on 2,777,600: 27,776 and 111,104.
    pay_input = make_pay_input(position_class=8, appraisal={
        "predikat": "Baik", "work_result": "Di Atas Ekspektasi", "behaviour": "Sesuai Ekspektasi",
        "service_targets": 10, "service_targets_met_on_time": 10}, attendance={"late": (0, 1, 0, 1)})
    result = runner("kinerja_tpp_kotalama").compute(pay_input, MARCH)
    assert lines_of(result) == {
        "TPP_KINERJA": ("earning", 1_881_600), "TPP_DISIPLIN": ("earning", 840_000),
        "BONUS_LAYANAN": ("earning", 140_000), "POT_DISIPLIN": ("deduction", 84_000),
        "BPJS_1": ("deduction", 27_776), "BPJS_4": ("contribution", 111_104)}
    assert result.net == 2_749_824


def test_kotalama_bonus_needs_the_threshold_of_targets_met(runner, make_pay_input):
    appraisal = {"predikat": "Baik", "service_targets": 10, "service_targets_met_on_time": 9}
    plugin = runner("kinerja_tpp_kotalama")
    assert "BONUS_LAYANAN" not in lines_of(plugin.compute(make_pay_input(appraisal=appraisal), MARCH))
    lowered = plugin.compute(make_pay_input(position_class=8, appraisal=appraisal), MARCH,
                             service_bonus_threshold_percent="90")
    assert lines_of(lowered)["BONUS_LAYANAN"] == ("earning", 140_000)


def test_tebingtinggi_daily_shares_assembly_and_sanction_by_severity(runner, make_pay_input):
    # Class 7: base 2,500,000. Performance 60% x Baik 90% = 1,350,000; discipline part 1,000,000.
    # 2 of 20 days absent: 1,000,000 x 2/20 = 100,000. 5 x TL1 x 0.2% + PSW3 0.5% + 1 missed assembly 2%
    # = 3.5% of 1,000,000 = 35,000. Light sanction: 10% of base = 250,000 (the decision's 20% is not used).
    # BPJS on 2,350,000 - 385,000 = 1,965,000: 19,650 and 78,600.
    pay_input = make_pay_input(position_class=7, appraisal={"predikat": "Baik"}, attendance={
        "working_days": 20, "days_present": 18, "absent_without_reason": 2, "late": (5, 0, 0, 0),
        "early_leave": (0, 0, 1, 0), "missed_assemblies": 1},
        sanctions=(Sanction("teguran tertulis", "ringan", Decimal("20"), 1),))
    result = runner("kinerja_tpp_tebingtinggi").compute(pay_input, MARCH)
    assert lines_of(result) == {
        "TPP_KINERJA": ("earning", 1_350_000), "TPP_DISIPLIN": ("earning", 1_000_000),
        "POT_ALPA": ("deduction", 100_000), "POT_TL_PSW_APEL": ("deduction", 35_000),
        "POT_HUKDIS": ("deduction", 250_000), "BPJS_1": ("deduction", 19_650), "BPJS_4": ("contribution", 78_600)}
    assert result.net == 1_945_350


def test_tebingtinggi_reward_and_decision_percent(runner, make_pay_input):
    # Class 1: base 1,300,000; Sangat Baik 100%: 780,000 + 520,000 + reward 250,000 = 1,550,000.
    # Sanction by decision: 20% of 1,300,000 = 260,000. BPJS on 1,290,000: 12,900 and 51,600.
    pay_input = make_pay_input(position_class=1, appraisal={"predikat": "Sangat Baik"},
                               sanctions=(Sanction("teguran tertulis", "ringan", Decimal("20"), 1),))
    result = runner("kinerja_tpp_tebingtinggi").compute(pay_input, MARCH, sanction_source="decision")
    assert lines_of(result) == {
        "TPP_KINERJA": ("earning", 780_000), "TPP_DISIPLIN": ("earning", 520_000),
        "PENGHARGAAN": ("earning", 250_000), "POT_HUKDIS": ("deduction", 260_000),
        "BPJS_1": ("deduction", 12_900), "BPJS_4": ("contribution", 51_600)}
    assert result.net == 1_277_100


def test_batanghari_pppk_attendance_ratio_and_coaching_for_light_sanctions(runner, make_pay_input):
    # PPPK class 6: 80% of 2,300,000 = 1,840,000. Performance 60% x Butuh Perbaikan 70% = 772,800.
    # Discipline part 736,000 paid for 20 of 22 days (18 present + 1 duty + 1 sick):
    # 736,000 x 20/22 = 669,090.909... -> 669,091. TL3 twice: 2 x 1.25% of 736,000 = 18,400.
    # The light sanction is coaching only; the medium one costs 25% of 1,840,000 = 460,000.
    # BPJS on the exact 963,490.909...: 1% = 9,634.909 -> 9,635; 4% = 38,539.636 -> 38,540.
    pay_input = make_pay_input(employee_type="PPPK", rank="IX", position_class=6,
                               appraisal={"predikat": "Butuh Perbaikan"},
                               attendance={"working_days": 22, "days_present": 18, "official_duty_days": 1,
                                           "sick_days": 1, "absent_without_reason": 2, "late": (0, 0, 2, 0)},
                               sanctions=(Sanction("teguran lisan", "ringan", Decimal("20"), 1),
                                          Sanction("penundaan kenaikan pangkat", "sedang", Decimal("25"), 12)))
    result = runner("kinerja_tpp_batanghari").compute(pay_input, MARCH)
    assert lines_of(result) == {
        "TPP_KINERJA": ("earning", 772_800), "TPP_DISIPLIN": ("earning", 669_091),
        "POT_TL_PSW": ("deduction", 18_400), "POT_HUKDIS": ("deduction", 460_000),
        "BPJS_1": ("deduction", 9_635), "BPJS_4": ("contribution", 38_540)}
    assert result.net == 953_856
    sanction_line = next(line for line in result.lines if line.code == "POT_HUKDIS")
    assert sanction_line.inputs["coaching_only"] == ["teguran lisan"]


def test_the_four_formulas_differ_on_the_same_employee(runner, make_pay_input):
    pay_input = make_pay_input(position_class=9, attendance={"late": (1, 1, 0, 0)})
    nets = {name: runner(name).compute(pay_input, MARCH).net for name in (
        "kinerja_tpp_bukittinggi", "kinerja_tpp_kotalama", "kinerja_tpp_tebingtinggi", "kinerja_tpp_batanghari")}
    assert len(set(nets.values())) == 4


@pytest.mark.parametrize("module_name", ["kinerja_tpp_bukittinggi", "kinerja_tpp_kotalama",
                                         "kinerja_tpp_tebingtinggi", "kinerja_tpp_batanghari"])
def test_first_party_tpp_plugins_pass_conformance(runner, module_name):
    assert runner(module_name).conformance().problems == []


@pytest.mark.parametrize("module_name", ["kinerja_tpp_bukittinggi", "kinerja_tpp_kotalama",
                                         "kinerja_tpp_tebingtinggi", "kinerja_tpp_batanghari"])
def test_every_line_of_the_first_party_tpp_plugins_explains_itself_in_both_languages(runner, module_name,
                                                                                     sample_pay_inputs):
    plugin = runner(module_name)
    for pay_input in sample_pay_inputs:
        for line in plugin.compute(pay_input, MARCH).lines:
            assert line.explanation is not None, (pay_input.employee_id, line.code)
            assert line.explanation.indonesian and line.explanation.english, (pay_input.employee_id, line.code)


def test_the_explanations_cite_the_figures_of_the_rule(runner, make_pay_input):
    pay_input = make_pay_input(employee_type="PPPK", rank="IX", position_class=6,
                               attendance={"working_days": 22, "days_present": 18, "official_duty_days": 1,
                                           "sick_days": 1, "absent_without_reason": 2, "late": (0, 0, 2, 0)},
                               sanctions=(Sanction("teguran lisan", "ringan", Decimal("20"), 1),
                                          Sanction("penundaan kenaikan pangkat", "sedang", Decimal("25"), 12)))
    lines = {line.code: line for line in runner("kinerja_tpp_batanghari").compute(pay_input, MARCH).lines}
    assert lines["TPP_DISIPLIN"].explanation.sentences("en")[1].startswith("Paid for 20 of 22 working days")
    assert lines["POT_TL_PSW"].explanation.sentences("en")[1] == "Together 2.5% by the region's rules."
    assert lines["POT_TL_PSW"].explanation.sentences("id")[1] == "Total 2,5% menurut aturan daerah."
    assert lines["POT_HUKDIS"].explanation.sentences("en") == (
        "Withheld because of disciplinary sanctions in force: penundaan kenaikan pangkat.",
        "Coaching only, no deduction: teguran lisan.")
    kotalama = runner("kinerja_tpp_kotalama").compute(make_pay_input(position_class=8, appraisal={
        "predikat": "Baik", "work_result": "Di Atas Ekspektasi", "behaviour": "Sesuai Ekspektasi"}), MARCH)
    assert kotalama.lines[0].explanation.sentences("en")[1] == (
        "Work result: Di Atas Ekspektasi; behaviour: Sesuai Ekspektasi; score 96%.")
