"""Bracket tables for lookup(table, value): rows of (upper bound inclusive, or None for "and above", value)."""
from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from decimal import Decimal

from kinerja.formula.errors import FormulaError, _
from kinerja.formula.limits import Limits
from kinerja.formula.tokens import NAME_PATTERN, RESERVED
from kinerja.formula.values import to_decimal

# e.g. [(0, 0), (30, "0.5%"), (60, "1%"), (90, "1.5%"), (None, "2%")]
BracketTable = Sequence[tuple[object, object]]


class CompiledTable:
    """A validated table; find() returns the value of the first row whose upper bound >= the value."""
    __slots__ = ("name", "bounds", "values", "above")

    def __init__(self, name: str, bounds: list[Decimal], values: list[Decimal], above: Decimal | None) -> None:
        self.name, self.bounds, self.values, self.above = name, bounds, values, above

    def find(self, value: Decimal) -> Decimal | None:
        index = bisect_left(self.bounds, value)
        if index < len(self.values):
            return self.values[index]
        return self.above

    @property
    def rows(self) -> list[tuple[Decimal | None, Decimal]]:
        rows: list[tuple[Decimal | None, Decimal]] = list(zip(self.bounds, self.values))
        if self.above is not None:
            rows.append((None, self.above))
        return rows


def compile_tables(tables: Mapping[str, BracketTable] | None, limits: Limits) -> dict[str, CompiledTable]:
    if tables is None:
        return {}
    if not isinstance(tables, Mapping):
        raise FormulaError(_("tables must be a mapping of table name to rows"), code="table")
    return {name: compile_table(name, rows, limits) for name, rows in tables.items()}


def compile_table(name: str, rows: BracketTable, limits: Limits) -> CompiledTable:
    if isinstance(rows, CompiledTable):
        return rows
    if not isinstance(name, str) or not NAME_PATTERN.match(name) or name in RESERVED or name.startswith("__"):
        raise FormulaError(_("%(name)r is not a valid table name") % {"name": name}, code="table")
    if isinstance(rows, (str, bytes)) or not isinstance(rows, Sequence) or not rows:
        raise FormulaError(_("table %(name)r must be a non-empty list of (upper bound, value) rows")
                           % {"name": name}, code="table")
    if len(rows) > limits.max_table_rows:
        raise FormulaError(_("table %(name)r has more than %(limit)s rows")
                           % {"name": name, "limit": limits.max_table_rows}, code="table")
    bounds: list[Decimal] = []
    values: list[Decimal] = []
    above = None
    for number, row in enumerate(rows, start=1):
        where = _("table %(name)r, row %(row)s") % {"name": name, "row": number}
        if isinstance(row, (str, bytes)) or not isinstance(row, Sequence) or len(row) != 2:
            raise FormulaError(_("%(where)s: a row is a pair (upper bound or None, value)") % {"where": where},
                               code="table")
        bound, value = row
        value = to_decimal(value, what=lambda: _("%(where)s, value") % {"where": where},
                           max_magnitude=limits.max_magnitude, max_length=limits.max_number_length,
                           allow_percent=True, code="table")
        if bound is None:
            if number != len(rows):
                raise FormulaError(_("%(where)s: only the last row may have no upper bound") % {"where": where},
                                   code="table")
            above = value
            continue
        bound = to_decimal(bound, what=lambda: _("%(where)s, upper bound") % {"where": where},
                           max_magnitude=limits.max_magnitude, max_length=limits.max_number_length,
                           code="table")
        if bounds and bound <= bounds[-1]:
            raise FormulaError(_("%(where)s: upper bounds must increase from row to row") % {"where": where},
                               code="table")
        bounds.append(bound)
        values.append(value)
    return CompiledTable(name, bounds, values, above)
