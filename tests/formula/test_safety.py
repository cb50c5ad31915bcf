"""Escape and denial-of-service payloads are refused with a FormulaError that has a position; limits hold.
(How fast they are refused is measured by benchmarks/formula.py, not asserted here.)"""
from decimal import Decimal

import pytest

from kinerja.formula import FormulaError, Limits, compile_expression

PAYLOADS = {
    "().__class__": 2,
    "().__class__.__bases__[0].__subclasses__()": 2,
    "x.y": 1,
    "x.__class__": 1,
    "__class__": 0,
    "__import__('os')": 0,
    "__import__('os').system('ls')": 0,
    "__builtins__": 0,
    "lambda: 0": 6,
    "lambda x: x": 0,
    "x[0]": 1,
    "x[1:2]": 1,
    "9**9**9": 1,
    "'a'*10**9": 0,
    "'a' * 10": 0,
    "\"a\"": 0,
    "exec('1')": 0,
    "eval('1')": 0,
    "open('/etc/passwd')": 0,
    "x; 1": 1,
    "x if 1 else 2": 2,
    "[x for x in y]": 0,
    "{}": 0,
    "`x`": 0,
    "1\x00": 1,
    "x := 1": 2,
}


@pytest.mark.parametrize("source, position", PAYLOADS.items())
def test_escape_payloads_are_refused_with_a_position(source, position):
    with pytest.raises(FormulaError) as caught:
        compile_expression(source, names=["x", "y"])
    assert caught.value.position == position


@pytest.mark.parametrize("source, code", [
    ("(" * 10_000, "limit"),
    ("(" * 10_000 + "1" + ")" * 10_000, "limit"),
    ("1+" * 500_000 + "1", "limit"),
    ("x" * 1_000_000, "limit"),
    ("-" * 1_999 + "1", "limit"),
    ("not " * 450 + "1", "limit"),
    ("(" * 999 + "1" + ")" * 999, "limit"),
    ("max(" * 40 + "1" + ")" * 40, "limit"),
    ("abs(-" * 40 + "1" + ")" * 40, "limit"),
    ("9" * 1_999, "limit"),
    ("+".join(["1"] * 600), "limit"),
])
def test_denial_of_service_payloads_hit_a_limit_not_python(source, code):
    with pytest.raises(FormulaError) as caught:
        compile_expression(source)
    assert caught.value.code == code and caught.value.position is not None


def test_deep_nesting_is_refused_while_parsing_even_with_a_long_source_allowed():
    limits = Limits(max_source_length=100_000)
    for source in ("(" * 10_000 + "1" + ")" * 10_000, "-" * 20_000 + "1", "not " * 10_000 + "1",
                   "max(" * 10_000 + "1" + ")" * 10_000):
        with pytest.raises(FormulaError) as caught:
            compile_expression(source, limits=limits)
        assert caught.value.code == "limit" and caught.value.position is not None


def test_depth_limit_counts_each_level():
    limits = Limits(max_depth=3)
    assert compile_expression("((( 1 )))", limits=limits).evaluate({}) == 1
    with pytest.raises(FormulaError) as caught:
        compile_expression("((((1))))", limits=limits)
    assert caught.value.position == 3
    assert compile_expression("- - -1", limits=limits).evaluate({}) == -1
    assert compile_expression("abs(abs(abs(-1)))", limits=Limits(max_depth=4)).evaluate({}) == 1
    assert compile_expression("not not not 0", limits=limits).evaluate({}) == 1
    for source, position in (("- - - -1", 6), ("abs(abs(abs(abs(1))))", 12), ("not not not not 0", 12),
                             ("-(-(1))", 3)):
        with pytest.raises(FormulaError) as caught:
            compile_expression(source, limits=limits)
        assert caught.value.position == position, source


def test_default_depth_is_32():
    assert compile_expression("(" * 32 + "1" + ")" * 32).evaluate({}) == 1
    with pytest.raises(FormulaError) as caught:
        compile_expression("(" * 33 + "1" + ")" * 33)
    assert caught.value.position == 32


def test_raising_the_depth_limit_far_still_gives_a_formula_error():
    limits = Limits(max_source_length=100_000, max_depth=50_000, max_nodes=100_000)
    with pytest.raises(FormulaError) as caught:
        compile_expression("(" * 20_000 + "1" + ")" * 20_000, limits=limits)
    assert caught.value.code == "limit"


def test_source_length_limit():
    assert compile_expression("1" + " " * 1_998 + "2".replace("2", "")).evaluate({}) == 1
    with pytest.raises(FormulaError) as caught:
        compile_expression("1" + " " * 2_000)
    assert caught.value.position == 2_000 and caught.value.code == "limit"
    assert compile_expression("1 + 1" + " " * 95, limits=Limits(max_source_length=100)).evaluate({}) == 2


def test_node_limit():
    limits = Limits(max_nodes=5)
    assert compile_expression("1 + 2 + 3", limits=limits).evaluate({}) == 6
    with pytest.raises(FormulaError) as caught:
        compile_expression("1 + 2 + 3 + 4 + 5", limits=limits)
    assert caught.value.code == "limit" and caught.value.position == 12


def test_long_sums_are_not_deep_trees():
    # 400 terms: within the node limit, and evaluated without nesting 400 calls.
    expression = compile_expression(" + ".join(["x"] * 249), names=["x"])
    assert expression.evaluate({"x": 2}) == 498
    assert compile_expression(" * ".join(["x"] * 12), names=["x"]).evaluate({"x": 2}) == 4096
    assert compile_expression("x" + " / x" * 20, names=["x"]).evaluate({"x": 1}) == 1
    with pytest.raises(FormulaError) as caught:
        compile_expression("x" + " / x" * 20, names=["x"]).evaluate({"x": 0})
    assert caught.value.code == "division_by_zero" and caught.value.position == 2


def test_number_literal_length_limit():
    assert compile_expression("1" * 15).evaluate({}) == Decimal("1" * 15)
    with pytest.raises(FormulaError) as caught:
        compile_expression("0." + "1" * 40)
    assert caught.value.position == 0 and caught.value.code == "limit"
    assert compile_expression("0." + "1" * 40, limits=Limits(max_number_length=50)).evaluate({}) > 0


def test_name_length_limit():
    with pytest.raises(FormulaError) as caught:
        compile_expression("1 + " + "a" * 65)
    assert caught.value.position == 4


def test_magnitude_limit_on_literals_inputs_and_every_intermediate_result():
    with pytest.raises(FormulaError) as caught:
        compile_expression("1000000000000001")
    assert caught.value.position == 0
    square = compile_expression("x * x / x", names=["x"])
    assert square.evaluate({"x": 10 ** 7}) == 10 ** 7
    with pytest.raises(FormulaError) as caught:
        square.evaluate({"x": 10 ** 8})  # the intermediate 10^16 is refused even though the result fits
    assert caught.value.position == 2 and caught.value.code == "limit"
    with pytest.raises(FormulaError) as caught:
        compile_expression("x + 1", names=["x"]).evaluate({"x": 10 ** 15})
    assert caught.value.position == 2
    for huge in (10 ** 16, 10 ** 100_000, Decimal("1e999999"), "9" * 20):
        with pytest.raises(FormulaError) as caught:
            square.evaluate({"x": huge})
        assert caught.value.code == "input"
    with pytest.raises(FormulaError):
        compile_expression("x / 0.000000001", names=["x"]).evaluate({"x": 10 ** 14})
    small = Limits(max_magnitude=Decimal(1000))
    assert compile_expression("999 + 1", limits=small).evaluate({}) == 1000
    with pytest.raises(FormulaError):
        compile_expression("999 + 2", limits=small).evaluate({})


def test_a_compiled_expression_keeps_its_limits(limits):
    expression = compile_expression("x * 1000", names=["x"])
    limits.max_magnitude = Decimal(10)
    assert expression.evaluate({"x": 10 ** 6}) == 10 ** 9
    with pytest.raises(FormulaError):
        compile_expression("x * 1000", names=["x"]).evaluate({"x": 1})


def test_shared_limits_can_be_adjusted(limits):
    limits.max_source_length = 10
    with pytest.raises(FormulaError) as caught:
        compile_expression("1 + 2 + 3 + 4")
    assert caught.value.position == 10
