"""Limits that keep a formula cheap to compile and to evaluate, whoever typed it."""
from __future__ import annotations

import dataclasses
from decimal import Decimal


@dataclasses.dataclass
class Limits:
    """Adjust the shared ``LIMITS`` in place, or pass ``limits=Limits(...)`` to one compile call.

    A compiled expression keeps the limits it was compiled with."""

    max_source_length: int = 2_000
    max_nodes: int = 500
    # Parentheses, function calls, unary minus and `not` each add a level; checked while parsing, so a
    # deep formula is refused before Python's own recursion limit is anywhere near.
    max_depth: int = 32
    max_number_length: int = 30
    max_name_length: int = 64
    # No intermediate result, input, literal or table value may exceed this in absolute value.
    max_magnitude: Decimal = Decimal(10) ** 15
    max_round_digits: int = 10
    max_components: int = 200
    max_table_rows: int = 500

    def copy(self) -> "Limits":
        return dataclasses.replace(self)


LIMITS = Limits()
