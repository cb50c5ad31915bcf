"""Whatever text comes in, compile_expression and evaluate raise nothing but FormulaError."""
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja.formula import FormulaError, Limits, compile_expression

TABLES = {"tl_psw": [(0, 0), (30, "0.5%"), (60, "1%"), (90, "1.5%"), (None, "2%")],
          "by_class": [(1, 100), (2, 200), (3, 300)]}
NAMES = ["x", "y", "base", "predikat"]

LANGUAGE_TOKENS = [
    "0", "1", "2", "0.5", "60", "100", "999999999999999", "1000000000000000", "0.000000001", "%",
    "x", "y", "base", "predikat", "unknown", "tl_psw", "by_class",
    "+", "-", "*", "/", "(", ")", ",", "<", "<=", ">", ">=", "==", "!=",
    "and", "or", "not", "min", "max", "round", "floor", "ceil", "abs", "if", "lookup", "'tl_psw'",
]
HOSTILE_TOKENS = ["**", ".", "[", "]", "__class__", "__import__", "'a'", "lambda", ":", "=", "\x00", "é", "1e9",
                  "9" * 40, "(" * 40, "-" * 40, "not " * 40]

numbers = st.one_of(
    st.integers(min_value=-10 ** 15, max_value=10 ** 15),
    st.decimals(min_value=-10 ** 15, max_value=10 ** 15, allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.integers(),
    st.sampled_from(["0", "12.5", "-3", "abc", "", "1e5", "NaN"]),
    st.floats(allow_nan=True),
    st.none(),
)

PROPERTY_SETTINGS = settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def evaluate_everything(source: str, env_values: list) -> None:
    for names in (None, NAMES):
        try:
            expression = compile_expression(source, names=names, tables=TABLES)
        except FormulaError as error:
            assert error.position is None or 0 <= error.position <= len(source)
            continue
        env = {name: env_values[index % len(env_values)] for index, name in enumerate(sorted(expression.names))}
        try:
            result = expression.evaluate(env)
        except FormulaError:
            continue
        assert isinstance(result, Decimal) and result.is_finite()
        assert abs(result) <= Limits().max_magnitude


@PROPERTY_SETTINGS
@given(source=st.text(max_size=200), env_values=st.lists(numbers, min_size=1, max_size=4))
def test_arbitrary_text_raises_only_formula_error(source, env_values):
    evaluate_everything(source, env_values)


@PROPERTY_SETTINGS
@given(tokens=st.lists(st.sampled_from(LANGUAGE_TOKENS), max_size=40),
       separator=st.sampled_from(["", " "]),
       env_values=st.lists(numbers, min_size=1, max_size=4))
def test_token_soup_raises_only_formula_error(tokens, separator, env_values):
    evaluate_everything(separator.join(tokens), env_values)


@PROPERTY_SETTINGS
@given(tokens=st.lists(st.sampled_from(LANGUAGE_TOKENS + HOSTILE_TOKENS), max_size=60),
       env_values=st.lists(numbers, min_size=1, max_size=4))
def test_hostile_token_soup_raises_only_formula_error(tokens, env_values):
    evaluate_everything(" ".join(tokens), env_values)


# A grammar of well-formed expressions: these compile, so evaluation paths get exercised deeply.
names = st.sampled_from(NAMES)
literals = st.sampled_from(["0", "1", "2", "0.5", "3%", "100", "999999999999999", "0.001"])


def _wrap(children):
    binary = st.tuples(children, st.sampled_from(["+", "-", "*", "/", "<", "==", "and", "or"]), children).map(
        lambda t: f"({t[0]} {t[1]} {t[2]})")
    unary = st.tuples(st.sampled_from(["-", "not "]), children).map(lambda t: f"{t[0]}({t[1]})")
    calls = st.one_of(
        st.tuples(st.sampled_from(["min", "max"]), st.lists(children, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(st.sampled_from(["floor", "ceil", "abs", "round"]), children).map(lambda t: f"{t[0]}({t[1]})"),
        st.tuples(children, st.integers(-12, 12)).map(lambda t: f"round({t[0]}, {t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(st.sampled_from(["tl_psw", "by_class"]), children).map(lambda t: f"lookup({t[0]}, {t[1]})"),
    )
    return st.one_of(binary, unary, calls)


expressions = st.recursive(st.one_of(names, literals), _wrap, max_leaves=30)


@PROPERTY_SETTINGS
@given(source=expressions, env_values=st.lists(numbers, min_size=1, max_size=4))
def test_well_formed_expressions_raise_only_formula_error(source, env_values):
    evaluate_everything(source, env_values)
