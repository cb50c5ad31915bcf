"""Arithmetic, precedence, exact decimals, percentages, comparisons, logic and every function."""
from decimal import Decimal

import pytest

from kinerja.formula import FormulaError, compile_expression


def value(source: str, **env) -> Decimal:
    return compile_expression(source, names=env.keys()).evaluate(env)


def error(source: str, **env) -> FormulaError:
    with pytest.raises(FormulaError) as caught:
        value(source, **env)
    return caught.value


@pytest.mark.parametrize("source, expected", [
    ("1 + 2 * 3", "7"),
    ("(1 + 2) * 3", "9"),
    ("10 - 4 - 3", "3"),
    ("12 / 4 / 3", "1"),
    ("2 * 3 + 4 * 5", "26"),
    ("20 - 2 * 3", "14"),
    ("-2 * -3", "6"),
    ("2 - -3", "5"),
    ("-(2 + 3) * 2", "-10"),
    ("+4", "4"),
    ("- - 4", "4"),
    ("7 / 2", "3.5"),
    ("1500000 * 60%", "900000"),
])
def test_arithmetic_and_precedence(source, expected):
    assert value(source) == Decimal(expected)


def test_decimal_arithmetic_is_exact():
    result = value("0.1 + 0.2")
    assert result == Decimal("0.3") and isinstance(result, Decimal)
    assert value("a * b", a=Decimal("0.1"), b=3) == Decimal("0.3")
    assert value("1 / 3 * 3") == Decimal("0.9999999999999999999999999999999999")  # 34 digits, stated
    assert value("1234567.89 - 0.01") == Decimal("1234567.88")


def test_percentages_are_hundredths():
    assert value("60%") == Decimal("0.60")
    assert value("0.5%") == Decimal("0.005")
    assert value("12.5 %") == Decimal("0.125")
    assert value("100% - 40%") == Decimal("0.60")
    assert value("-2%") == Decimal("-0.02")


def test_percent_only_follows_a_number():
    assert error("x %", x=1).position == 2
    assert error("(5) %").position == 4


def test_comparisons_give_one_or_zero():
    assert [value(f"2 {op} 3") for op in ("<", "<=", ">", ">=", "==", "!=")] == [1, 1, 0, 0, 0, 1]
    assert value("3 <= 3") == 1 and value("3 >= 3") == 1
    assert value("1 == 1.00") == 1
    assert value("1 + 1 == 2") == 1  # arithmetic binds tighter than comparison


def test_comparisons_do_not_chain():
    assert error("1 < 2 < 3").position == 6


def test_and_or_not():
    assert value("1 and 0") == 0 and value("1 and 2") == 1
    assert value("0 or 0") == 0 and value("0 or 5") == 1
    assert value("not 0") == 1 and value("not 3") == 0
    assert value("not 1 == 2") == 1  # not (1 == 2)
    assert value("1 or 0 and 0") == 1  # and binds tighter than or
    assert value("0 and 1 or 1") == 1
    assert value("1 and 1 and 1 and 0") == 0
    assert value("0 or 0 or 0 or 1") == 1
    assert value("0 + 0 and 0") == 0 and value("1 + 1 and 2") == 1  # a sum as the first operand of and
    assert value("2 * 3 or 0") == 1 and value("1 - 1 or 0 and 1") == 0


def test_not_needs_parentheses_after_an_operator():
    assert value("1 + (not 0)") == 2
    assert value("not 1 + 1 == 3") == 1  # not ((1 + 1) == 3)
    assert value("not not 2") == 1
    for source, position in (("1 + not 0", 4), ("1 == not 0", 5), ("-not 1", 1)):
        with pytest.raises(FormulaError) as caught:
            compile_expression(source)
        assert caught.value.position == position, source


def test_and_or_stop_once_decided():
    assert value("0 and 1 / x", x=0) == 0
    assert value("1 or 1 / x", x=0) == 1
    assert error("1 and 1 / x", x=0).code == "division_by_zero"


def test_min_max_abs():
    assert value("min(3, 1, 2)") == 1
    assert value("max(3, 1, 2)") == 3
    assert value("max(0, 1 - a)", a=2) == 0
    assert value("min(x)", x=7) == 7
    assert value("abs(-3.5)") == Decimal("3.5") and value("abs(2)") == 2


def test_round_halves_away_from_zero():
    assert value("round(2.5)") == 3
    assert value("round(-2.5)") == -3
    assert value("round(3.5)") == 4  # not banker's rounding
    assert value("round(2.4999)") == 2
    assert value("round(1.005, 2)") == Decimal("1.01")
    assert value("round(2.675, 2)") == Decimal("2.68")
    assert value("round(x, d)", x=Decimal("1.2345"), d=3) == Decimal("1.235")


def test_round_to_thousands_with_negative_digits():
    assert value("round(1234567, -3)") == 1235000
    assert value("round(1234499, -3)") == 1234000
    assert str(value("round(1234567, -3)")) == "1235000"


def test_round_digits_must_be_whole_and_bounded():
    assert error("round(1, 0.5)").position == 0
    assert error("round(1, 11)").position == 0
    assert error("round(1, d)", d=Decimal("1.5")).position == 0


def test_floor_and_ceil():
    assert value("floor(1.7)") == 1 and value("floor(-1.2)") == -2
    assert value("ceil(1.2)") == 2 and value("ceil(-1.7)") == -1
    assert value("floor(4)") == 4 and value("ceil(4)") == 4


def test_if_evaluates_only_the_chosen_branch():
    guarded = compile_expression("if(d == 0, 0, a / d)", names=["a", "d"])
    assert guarded.evaluate({"a": 10, "d": 0}) == 0
    assert guarded.evaluate({"a": 10, "d": 4}) == Decimal("2.5")
    assert value("if(1, 2, 1 / 0)") == 2
    assert value("if(0, 1 / 0, 3)") == 3
    assert error("if(0, 1, 1 / x)", x=0).code == "division_by_zero"


def test_division_by_zero_is_a_formula_error_at_the_operator():
    caught = error("a / (b - b)", a=1, b=2)
    assert caught.code == "division_by_zero" and caught.position == 2
    assert error("1 / 0").position == 2
    assert error("a / b", a=0, b=0).code == "division_by_zero"


def test_function_arity_is_checked_at_the_function_name():
    for source in ("round(1, 2, 3)", "abs(1, 2)", "floor()", "if(1, 2)", "max()"):
        with pytest.raises(FormulaError):
            compile_expression(source)
    assert error("x + if(1, 2)", x=1).position == 4


def test_unknown_and_misused_names_have_positions():
    caught = error("predikat * 60% + predikat_x", predikat=1)
    assert caught.position == 17 and caught.code == "unknown_name"
    assert caught.message == "unknown name 'predikat_x'"
    assert str(caught) == "position 17: unknown name 'predikat_x'"
    assert error("foo(1)").position == 0
    assert error("1 + min").position == 4
    assert error("Base + 1", base=1).position == 0


def test_without_names_anything_is_accepted_and_reported():
    expression = compile_expression("a + b * a")
    assert expression.names == frozenset({"a", "b"})
    assert expression.evaluate({"a": 2, "b": 3}) == 8


def test_syntax_errors_point_at_the_problem():
    cases = {"": 0, "   ": 0, "1 +": 3, "(1 + 2": 6, "1 2": 2, ")": 0, "a = 1": 2, "1.": 1, ".5": 0,
             "1 ^ 2": 2, "a & b": 2, "x!": 1, "1 e": 2}
    for source, position in cases.items():
        with pytest.raises(FormulaError) as caught:
            compile_expression(source)
        assert caught.value.position == position, source


def test_inputs_may_be_decimal_int_or_text_but_not_float():
    expression = compile_expression("x * 2", names=["x"])
    assert expression.evaluate({"x": Decimal("1.25")}) == Decimal("2.50")
    assert expression.evaluate({"x": 3}) == 6
    assert expression.evaluate({"x": "1500000.50"}) == Decimal("3000001.00")
    assert expression.evaluate({"x": " -2 "}) == -4
    for bad in (1.5, "abc", "1e5", "NaN", Decimal("NaN"), Decimal("Infinity"), None, [1], "5%"):
        with pytest.raises(FormulaError) as caught:
            expression.evaluate({"x": bad})
        assert caught.value.code == "input" and "'x'" in caught.value.message


def test_missing_input_is_named():
    with pytest.raises(FormulaError) as caught:
        compile_expression("a + b", names=["a", "b"]).evaluate({"a": 1})
    assert caught.value.message == "input 'b' is missing" and caught.value.position is None


def test_results_do_not_depend_on_the_callers_decimal_context():
    import decimal
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_DOWN)):
        assert value("1234567 * 60%") == Decimal("740740.2")
        assert value("x * 60% + y / 3", x=1234567, y=1) == Decimal("740740.5333333333333333333333333333")
        assert value("round(x)", x=Decimal("2.5")) == 3


def test_error_text_names_component_and_position():
    caught = FormulaError("unknown name 'predikat_x'", 14, "tpp_kinerja")
    assert str(caught) == "tpp_kinerja, position 14: unknown name 'predikat_x'"
    assert str(FormulaError("input 'x' is missing")) == "input 'x' is missing"
    assert str(FormulaError("division by zero", component="gross")) == "gross: division by zero"
    assert isinstance(caught, ValueError)
    assert caught.as_dict() == {"message": "unknown name 'predikat_x'", "position": 14, "component": "tpp_kinerja",
                                "code": "syntax"}
    import pickle
    copy = pickle.loads(pickle.dumps(caught))
    assert (copy.message, copy.position, copy.component) == (caught.message, 14, "tpp_kinerja")
