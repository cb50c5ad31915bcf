"""Bracket tables: upper bounds are inclusive, an open last row catches everything above."""
from decimal import Decimal

import pytest

from kinerja.formula import FormulaError, compile_expression

# Late arrival (TL) / early leave (PSW) per occurrence: 1-30, 31-60, 61-90, >90 minutes (central template).
TL_PSW = [(0, 0), (30, "0.5%"), (60, "1%"), (90, "1.5%"), (None, "2%")]


@pytest.fixture
def rate():
    return compile_expression("lookup(tl_psw_rate, minutes)", names=["minutes"], tables={"tl_psw_rate": TL_PSW})


@pytest.mark.parametrize("minutes, expected", [
    (0, "0"), (1, "0.005"), (30, "0.005"), (31, "0.01"), (60, "0.01"), (61, "0.015"), (90, "0.015"),
    (91, "0.02"), (600, "0.02"), (Decimal("30.5"), "0.01"),
])
def test_brackets_at_their_edges(rate, minutes, expected):
    assert rate.evaluate({"minutes": minutes}) == Decimal(expected)


def test_value_above_a_closed_table_is_an_error_at_the_lookup():
    expression = compile_expression("2 * lookup(base_by_class, position_class)", names=["position_class"],
                                    tables={"base_by_class": [(1, 1_500_000), (2, 1_650_000), (3, 1_800_000)]})
    assert expression.evaluate({"position_class": 2}) == 3_300_000
    with pytest.raises(FormulaError) as caught:
        expression.evaluate({"position_class": 4})
    assert caught.value.position == 4 and caught.value.code == "table"
    assert "base_by_class" in caught.value.message


def test_table_name_may_be_quoted_and_the_value_an_expression():
    expression = compile_expression("lookup('tl_psw_rate', late + 1)", names=["late"], tables={"tl_psw_rate": TL_PSW})
    assert expression.evaluate({"late": 30}) == Decimal("0.01")
    assert expression.tables == frozenset({"tl_psw_rate"})


def test_unknown_table_is_refused_at_its_position():
    with pytest.raises(FormulaError) as caught:
        compile_expression("1 + lookup(tl_rate, 5)", tables={"tl_psw_rate": TL_PSW})
    assert caught.value.position == 11 and caught.value.message == "unknown table 'tl_rate'"
    with pytest.raises(FormulaError) as caught:
        compile_expression("lookup(5, 5)", tables={"tl_psw_rate": TL_PSW})
    assert caught.value.position == 7


@pytest.mark.parametrize("rows, reason", [
    ([], "non-empty"),
    ([(30, 1), (30, 2)], "row 2: upper bounds must increase"),
    ([(60, 1), (30, 2)], "row 2: upper bounds must increase"),
    ([(None, 1), (30, 2)], "row 1: only the last row may have no upper bound"),
    ([(30, 1.5)], "floating-point"),
    ([(30, "abc")], "row 1, value is not a number"),
    ([(30,)], "row 1: a row is a pair"),
    ([(10 ** 16, 1)], "row 1, upper bound is too large"),
])
def test_bad_tables_are_refused_with_the_row(rows, reason):
    with pytest.raises(FormulaError) as caught:
        compile_expression("lookup(t, 1)", tables={"t": rows})
    assert reason in caught.value.message
    assert caught.value.code == "table"
