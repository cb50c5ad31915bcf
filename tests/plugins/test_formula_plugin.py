"""The generic formula plugin: HR's formulas are compiled when saved (mistakes refused with the row and
position), evaluated per employee, and an evaluation error fails only that employee."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from kinerja.accounts.models import Role
from kinerja.plugins import services
from kinerja.plugins.models import PluginConfigVersion
from kinerja_plugin_api.samples import build_pay_input
from kinerja_plugin_api.types import Sanction

from tests.helpers import in_region, make_user
from tests.plugins.conftest import first_party_module

MARCH = datetime.date(2025, 3, 1)
NAME = "kinerja-formula"


@pytest.fixture
def formula(kinerja_plugin):
    return kinerja_plugin(first_party_module("kinerja_formula_plugin"))


def test_worked_example_with_the_default_components(formula, make_pay_input):
    # Class 9, base 3,000,000; Butuh Perbaikan (75%); TL1 x 3, TL2 x 1, 1 day absent: 6.5%; 20% sanction.
    # performance round(3,000,000 x 60% x 75%) = 1,350,000; discipline round(1,200,000 x 93.5%) = 1,122,000;
    # sanction round(2,472,000 x 20%) = 494,400; BPJS on 1,977,600: 19,776 withheld, 79,104 by the region.
    pay_input = make_pay_input(position_class=9, appraisal={"predikat": "Butuh Perbaikan"},
                               attendance={"days_present": 20, "absent_without_reason": 1, "late": (3, 1, 0, 0)},
                               sanctions=(Sanction("teguran tertulis", "ringan", Decimal("20"), 1),))
    result = formula.compute(pay_input, MARCH)
    assert {line.code: (line.kind, line.amount) for line in result.lines} == {
        "performance_pay": ("earning", 1_350_000), "discipline_pay": ("earning", 1_122_000),
        "sanction_cut": ("deduction", 494_400), "bpjs_withheld": ("deduction", 19_776),
        "bpjs_region": ("contribution", 79_104)}
    assert result.net == 1_957_824


def test_components_written_by_hr_replace_the_defaults(formula, make_pay_input):
    components = [
        {"code": "flat", "label": "TPP", "kind": "earning", "formula": "tpp_base * if(is_pppk, 80%, 100%) / 3"},
        {"code": "bonus", "label": "Bonus Layanan", "kind": "earning",
         "formula": "if(service_targets > 0 and service_targets_met == service_targets, 100000, 0)"},
    ]
    pay_input = make_pay_input(position_class=1, employee_type="PPPK",
                               appraisal={"service_targets": 4, "service_targets_met_on_time": 4})
    result = formula.compute(pay_input, MARCH, components=components)
    # 1,000,000 x 80% / 3 = 266,666.66... rounded once, half up, to 266,667
    assert [(line.code, line.amount) for line in result.lines] == [("flat", 266_667), ("bonus", 100_000)]


@pytest.mark.django_db
def test_saving_a_formula_that_does_not_compile_is_refused_with_row_and_position(plugin_host, region_a):
    hr = make_user(region_a, Role.HR_ADMIN)
    with in_region(region_a):
        services.set_plugin_enabled(NAME, True, actor=hr)
        config = PluginConfigVersion.objects.get(plugin_name=NAME).config
        broken = [dict(row) for row in config["components"]]
        broken[3]["formula"] = "round(discipline_base * (1 - discipline_rat))"
        with pytest.raises(ValidationError) as error:
            services.save_plugin_config(NAME, dict(config, components=broken), actor=hr)
        assert list(error.value.message_dict) == ["components.4.formula"]
        assert "discipline_pay, position 29: unknown name 'discipline_rat'" in error.value.message_dict[
            "components.4.formula"][0]
        cyclic = [dict(row) for row in config["components"]]
        cyclic[1]["formula"] = "discipline_pay * 40%"
        with pytest.raises(ValidationError, match="circular"):
            services.save_plugin_config(NAME, dict(config, components=cyclic), actor=hr)
        assert PluginConfigVersion.objects.filter(plugin_name=NAME).count() == 1


@pytest.mark.django_db
def test_an_evaluation_error_fails_only_that_employee(plugin_host, region_a):
    hr = make_user(region_a, Role.HR_ADMIN)
    with in_region(region_a):
        services.set_plugin_enabled(NAME, True, actor=hr)
        services.save_plugin_config(NAME, {"components": [
            {"code": "daily", "label": "TPP Harian", "kind": "earning",
             "formula": "round(tpp_base / working_days * days_present)"}]}, actor=hr)
        calculator = services.pay_calculator_for_region()
    ok = calculator.compute(build_pay_input(position_class=1, attendance={"working_days": 20, "days_present": 15}), MARCH)
    broken = calculator.compute(build_pay_input(employee_id="no-days", attendance={"working_days": 0, "days_present": 0}),
                                MARCH)
    assert ok.ok and ok.net == 750_000
    assert not broken.ok and broken.plugin_name == NAME and "division by zero" in broken.error.lower()


@pytest.mark.django_db
def test_formulas_that_would_fail_only_during_a_run_are_refused_when_saved(plugin_host, region_a):
    """Each formula is evaluated over every position class and predikat (present and absent all month,
    with and without a sanction) when saved: a division by zero for one class, a class missing from a
    table and a negative slip line are refused with the case that fails, and nothing is saved."""
    hr = make_user(region_a, Role.HR_ADMIN)
    with in_region(region_a):
        services.set_plugin_enabled(NAME, True, actor=hr)
        cases = {
            "round(tpp_base / if(position_class == 7, 0, 1))": ("class 7,", "division by zero"),
            "lookup(tpp_base_by_class, position_class + 1)": ("class 17,", ""),
            "round(tpp_base * (predikat - 3))": ("is negative for class 1, predikat Kurang,", ""),
        }
        for formula, (case, reason) in cases.items():
            with pytest.raises(ValidationError) as refused:
                services.save_plugin_config(NAME, {"components": [
                    {"code": "pay", "label": "TPP", "kind": "earning", "formula": formula}]}, actor=hr)
            message = refused.value.message_dict["components.1.formula"][0]
            assert case in message and reason in message.lower(), message
        assert PluginConfigVersion.objects.filter(plugin_name=NAME).count() == 1
        fine = services.save_plugin_config(NAME, {"components": [
            {"code": "pay", "label": "TPP", "kind": "earning", "formula": "round(tpp_base / position_class)"}]},
            actor=hr)
        assert fine.number == 2
