"""Numbers: the decimal context every evaluation runs in, and conversion of inputs and table cells."""
from __future__ import annotations

import re
from collections.abc import Callable
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

from kinerja.formula.errors import FormulaError, _

# Fixed, so that results never depend on whatever context the calling thread happens to have.
# 34 digits hold any value within the magnitude limit (16 integer digits) with 18 decimals to spare.
CONTEXT = Context(prec=34, rounding=ROUND_HALF_EVEN, Emin=-999_999, Emax=999_999,
                  traps=[InvalidOperation, DivisionByZero, Overflow])
ZERO = Decimal(0)
ONE = Decimal(1)

_NUMBER_TEXT = re.compile(r"[ \t]*([-+]?)([0-9]+(?:\.[0-9]+)?)[ \t]*(%?)[ \t]*\Z")


def to_decimal(value: object, *, what: Callable[[], str], max_magnitude: Decimal, max_length: int,
               allow_percent: bool = False, code: str = "input") -> Decimal:
    """Decimal from a Decimal, an int or a plain decimal text ("1500000", "-2.5", and "0.5%" where
    allowed). Floats are refused: money is never binary floating point. ``what()`` names the value in
    errors; it is only called when there is one."""
    kind = type(value)
    if kind is Decimal:
        number = value
    elif kind is int or kind is bool:
        number = _from_int(value, what, code)
    elif kind is str:
        number = _from_text(value, what, max_length, allow_percent, code)
    elif isinstance(value, Decimal):
        number = Decimal(value)
    elif isinstance(value, int):
        number = _from_int(int(value), what, code)
    elif isinstance(value, str):
        number = _from_text(str(value), what, max_length, allow_percent, code)
    elif isinstance(value, float):
        raise FormulaError(_("%(what)s is a floating-point number; give a Decimal, an int or a text such as "
                             "'1500000'") % {"what": what()}, code=code)
    else:
        raise FormulaError(_("%(what)s is not a number") % {"what": what()}, code=code)
    if not number.is_finite():
        raise FormulaError(_("%(what)s is not a finite number") % {"what": what()}, code=code)
    if not -max_magnitude <= number <= max_magnitude:
        raise FormulaError(_("%(what)s is too large (the limit is %(limit)s)")
                           % {"what": what(), "limit": max_magnitude}, code=code)
    return number


def _from_int(value: int, what: Callable[[], str], code: str) -> Decimal:
    # Bounded before conversion: a huge int would be slow to turn into a Decimal.
    if value.bit_length() > 256:
        raise FormulaError(_("%(what)s is too large") % {"what": what()}, code=code)
    return Decimal(value)


def _from_text(value: str, what: Callable[[], str], max_length: int, allow_percent: bool, code: str) -> Decimal:
    match = _NUMBER_TEXT.match(value) if len(value) <= max_length + 8 else None
    if match is None or (match.group(3) and not allow_percent) or len(match.group(2)) > max_length:
        shown = value if len(value) <= 40 else value[:40] + "..."
        raise FormulaError(_("%(what)s is not a number: %(value)r") % {"what": what(), "value": shown}, code=code)
    sign, digits, percent = match.groups()
    return Decimal(sign + digits + ("E-2" if percent else ""))
