"""Component sets: dependency order, cycles, unknown names, and a TPP worked out by hand."""
from decimal import Decimal

import pytest

from kinerja.formula import ComponentSet, FormulaError, compile_components

TABLES = {
    "tpp_base_by_class": [(7, 3_000_000), (8, 3_500_000), (9, 4_123_450), (10, 4_800_000)],
    # predikat 1 Sangat Kurang, 2 Kurang, 3 Butuh Perbaikan, 4 Baik, 5 Sangat Baik
    "predikat_factor": [(1, "25%"), (2, "50%"), (3, "75%"), (4, "100%"), (5, "100%")],
}
INPUTS = ["position_class", "predikat", "tl1", "tl2", "tl3", "tl4", "psw1", "psw2", "psw3", "psw4",
          "absent_days", "sanction_percent"]
TPP = [
    ("tpp_paid", "tpp_gross - bpjs_withheld"),  # declared first on purpose: the order comes from use
    ("tpp_base", "lookup(tpp_base_by_class, position_class)"),
    ("performance_base", "tpp_base * 60%"),
    ("performance_pay", "performance_base * lookup(predikat_factor, predikat)"),
    ("discipline_base", "tpp_base * 40%"),
    ("lateness_rate", "(tl1 + psw1) * 0.5% + (tl2 + psw2) * 1% + (tl3 + psw3) * 1.5% + (tl4 + psw4) * 2%"),
    ("absence_rate", "absent_days * 4%"),
    ("discipline_pay", "discipline_base * max(0, 1 - lateness_rate - absence_rate)"),
    ("sanction_cut", "(performance_pay + discipline_pay) * sanction_percent / 100"),
    ("tpp_gross", "round(performance_pay + discipline_pay - sanction_cut)"),
    ("bpjs_withheld", "round(tpp_gross * 1%)"),
    ("bpjs_region", "round(tpp_gross * 4%)"),
]


@pytest.fixture
def tpp() -> ComponentSet:
    return compile_components(TPP, inputs=INPUTS, tables=TABLES)


def test_worked_tpp_example(tpp):
    """Class 9, predikat Butuh Perbaikan, 3 arrivals/leavings of 1-30 minutes and 1 of 31-60, one day
    absent, a 20% sanction:
        base 4,123,450; performance 60% = 2,474,070 x 75% = 1,855,552.5
        discipline 40% = 1,649,380 x (100% - 2.5% - 4%) = 1,542,170.3
        sanction 20% of 3,397,722.8 = 679,544.56; gross round(2,718,178.24) = 2,718,178
        BPJS 1% withheld round(27,181.78) = 27,182; 4% by the region round(108,727.12) = 108,727
        paid 2,718,178 - 27,182 = 2,690,996"""
    employee = {"position_class": 9, "predikat": 3, "tl1": 2, "tl2": 1, "tl3": 0, "tl4": 0, "psw1": 1,
                "psw2": 0, "psw3": 0, "psw4": 0, "absent_days": 1, "sanction_percent": 20}
    result = tpp.evaluate(employee)
    assert result == {
        "tpp_base": 4_123_450,
        "performance_base": 2_474_070,
        "performance_pay": Decimal("1855552.5"),
        "discipline_base": 1_649_380,
        "lateness_rate": Decimal("0.025"),
        "absence_rate": Decimal("0.04"),
        "discipline_pay": Decimal("1542170.3"),
        "sanction_cut": Decimal("679544.56"),
        "tpp_gross": 2_718_178,
        "bpjs_withheld": 27_182,
        "bpjs_region": 108_727,
        "tpp_paid": 2_690_996,
    }
    assert all(isinstance(amount, Decimal) for amount in result.values())
    assert list(result) == tpp.order


def test_order_puts_dependencies_first_and_otherwise_keeps_declaration_order(tpp):
    assert tpp.order == ["tpp_base", "performance_base", "performance_pay", "discipline_base", "lateness_rate",
                         "absence_rate", "discipline_pay", "sanction_cut", "tpp_gross", "bpjs_withheld",
                         "tpp_paid", "bpjs_region"]
    position = {name: index for index, name in enumerate(tpp.order)}
    for name, dependencies in tpp.dependencies.items():
        assert all(position[dependency] < position[name] for dependency in dependencies)
    assert set(tpp.required_inputs) == set(INPUTS)


def test_mapping_and_list_of_pairs_are_both_accepted():
    as_mapping = compile_components({"b": "a * 2", "a": "x + 1"}, inputs=["x"])
    as_pairs = compile_components([("b", "a * 2"), ("a", "x + 1")], inputs=["x"])
    assert as_mapping.order == as_pairs.order == ["a", "b"]
    assert as_mapping.evaluate({"x": 1}) == {"a": 2, "b": 4}


def test_cycle_is_named_with_its_members():
    with pytest.raises(FormulaError) as caught:
        compile_components({"total": "x + a", "a": "b * 2", "b": "c + 1", "c": "a - x"}, inputs=["x"])
    error = caught.value
    assert error.code == "cycle" and error.component == "a"
    assert error.message == "circular reference: a -> b -> c -> a"
    assert error.position == 0  # where 'a' refers to 'b'


def test_self_reference_is_a_cycle():
    with pytest.raises(FormulaError) as caught:
        compile_components({"a": "x + 2 * a"}, inputs=["x"])
    assert caught.value.message == "circular reference: a -> a" and caught.value.position == 8


def test_unknown_name_in_a_component_names_component_and_position():
    with pytest.raises(FormulaError) as caught:
        compile_components({"base": "x", "tpp_kinerja": "base * 0.60 * predikat_x"}, inputs=["x", "predikat"])
    assert str(caught.value) == "tpp_kinerja, position 14: unknown name 'predikat_x'"
    assert (caught.value.component, caught.value.position) == ("tpp_kinerja", 14)


def test_syntax_error_in_a_component_names_the_component():
    with pytest.raises(FormulaError) as caught:
        compile_components({"ok": "x", "broken": "x **2"}, inputs=["x"])
    assert (caught.value.component, caught.value.position) == ("broken", 2)


@pytest.mark.parametrize("components, inputs, reason", [
    ([("a", "1"), ("a", "2")], [], "defined twice"),
    ({"x": "1"}, ["x"], "same name as an input"),
    ({"Bad": "1"}, [], "must be lower-case"),
    ({"__class__": "1"}, [], "must be lower-case"),
    ({"round": "1"}, [], "reserved word"),
    ({"a": "1"}, ["and"], "reserved word"),
    ([("a", "1", "extra")], [], "(name, formula) pairs"),
])
def test_bad_definitions_are_refused(components, inputs, reason):
    with pytest.raises(FormulaError) as caught:
        compile_components(components, inputs=inputs)
    assert reason in caught.value.message


def test_evaluation_error_names_the_component_that_failed():
    formula = compile_components({"share": "amount / people", "rounded": "round(share)"},
                                 inputs=["amount", "people"])
    assert formula.evaluate({"amount": 10, "people": 4}) == {"share": Decimal("2.5"), "rounded": 3}
    with pytest.raises(FormulaError) as caught:
        formula.evaluate({"amount": 10, "people": 0})
    assert (caught.value.component, caught.value.position, caught.value.code) == ("share", 7, "division_by_zero")
    assert str(caught.value) == "share, position 7: division by zero"


def test_missing_input_is_reported_before_anything_runs(tpp):
    with pytest.raises(FormulaError) as caught:
        tpp.evaluate({"position_class": 9})
    assert caught.value.code == "input" and "is missing" in caught.value.message


def test_extra_inputs_are_ignored_and_unused_inputs_are_not_required():
    formula = compile_components({"a": "x * 2"}, inputs=["x", "y"])
    assert formula.required_inputs == ("x",)
    assert formula.evaluate({"x": 2, "unrelated": "not a number"}) == {"a": 4}


def test_components_share_the_tables_and_the_set_can_be_reused(tpp):
    first = tpp.evaluate({name: 0 for name in INPUTS} | {"position_class": 8, "predikat": 4})
    second = tpp.evaluate({name: 0 for name in INPUTS} | {"position_class": 10, "predikat": 5})
    assert first["tpp_gross"] == 3_500_000 and second["tpp_gross"] == 4_800_000
    assert first["tpp_paid"] == 3_465_000
