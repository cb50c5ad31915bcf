"""Disclosure control: the one place that decides what may leave a region's schema.

The published figures of a region form tables whose cells are tied by equations: a breakdown's counts
add up to the count they break down ("parent": headcount by employee type adds up to the headcount; the
PNS golongan counts add up to the PNS count; a period's predicate counts add up to the rated count). An
analyst may subtract any published figure from any other, across every breakdown of one population, so
hiding a small count is worth nothing unless no combination of equations gives it back. The rule:

1. Primary suppression: a count of 1-4 people is hidden (zero is shown: it names nobody).
2. Group disclosure: in a breakdown of a personal attribute (`sensitive`: predicates, training
   compliance), when one category holds everyone, every count of the breakdown is hidden, zeros
   included: "all 12 rated staff got Baik" tells each person's predicate without any small count.
3. Complementary suppression, repeated until nothing changes:
   a. in each equation whose parent is shown, the hidden parts are at least two and cover at least
      MIN_PEOPLE people, so "parent minus the shown parts" is never a small group; a hidden parent has
      at least one hidden part;
   b. no hidden count may be determined exactly by the equations together (exact linear algebra over
      every equation of every breakdown at once: a hidden cell whose unit vector lies in the row space
      of the equations restricted to the hidden cells is recoverable).
   The cell hidden next is always the smallest shown non-zero part of the equation concerned (ties by
   key), so the same figures always give the same pattern.
4. A sum, median, spread or mean computed over fewer than MIN_PEOPLE people is hidden, and so is any
   figure that `depends_on` a hidden count (a position class's TPP total once its headcount is hidden).
5. Over time (`still_hidden`): a count hidden in the region's previous snapshot stays hidden until the
   count it is part of has moved by at least MIN_PEOPLE since (or for good, when that count was hidden
   too). Otherwise "last month's shown total minus this month's shown parts" gives back last month's
   hidden count whenever nothing changed in between, as after a correction in a closed period.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MIN_PEOPLE = 5

Cell = tuple[str, str, str]


@dataclass
class RawFigure:
    """A figure as a collector computes it, before suppression. `base` is how many people it is computed
    over (a count's base is itself). Counts of one `group` are the parts of their `parent` count."""

    section: str
    breakdown: str
    key: str
    kind: str  # "count", "amount", "measure" or "tally"
    value: Decimal | int | None
    base: int | None = None
    group: str | None = None  # counts partitioning one parent
    depends_on: Cell | None = None  # (section, breakdown, key) of the count behind it
    parent: Cell | None = None  # the count this figure's group adds up to
    sensitive: bool = False  # the group is a personal attribute (rule 2)
    suppressed: bool = field(default=False, init=False)

    @property
    def cell(self) -> Cell:
        return (self.section, self.breakdown, self.key)

    @property
    def people(self) -> int | None:
        if self.kind == "count":
            return int(self.value or 0)
        return self.base


def count(section: str, breakdown: str, key: str, value: int, *, group: str | None = "",
          parent: Cell | None = None, sensitive: bool = False) -> RawFigure:
    """A count of people. By default the counts of one breakdown are one group; `parent` names the count
    they add up to (without one the group's total is not published and the counts stand alone)."""
    return RawFigure(section, breakdown, key, "count", int(value or 0),
                     group=f"{section}/{breakdown}" if group == "" else group, parent=parent, sensitive=sensitive)


def tally(section: str, breakdown: str, key: str, value: int) -> RawFigure:
    """A count of things that are not people (units, openings): never suppressed."""
    return RawFigure(section, breakdown, key, "tally", int(value or 0))


def amount(section: str, breakdown: str, key: str, value, *, base: int,
           depends_on: Cell | None = None) -> RawFigure:
    return RawFigure(section, breakdown, key, "amount", _whole(value), base=base, depends_on=depends_on)


def measure(section: str, breakdown: str, key: str, value, *, base: int,
            depends_on: Cell | None = None, places: str = "0.01") -> RawFigure:
    rounded = None if value is None else Decimal(value).quantize(Decimal(places), ROUND_HALF_UP)
    return RawFigure(section, breakdown, key, "measure", rounded, base=base, depends_on=depends_on)


def _whole(value) -> int | None:
    return None if value is None else int(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP))


def is_small(people: int | None) -> bool:
    return people is None or people < MIN_PEOPLE


# --- equations ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Equation:
    """parent = sum(parts): one breakdown of one count. A group whose total is not published (no
    `parent`) is treated as if it were: the total may be known from elsewhere, so its parts get the same
    protection."""

    parent: Cell | None
    parts: tuple[Cell, ...]


def equations(figures: list[RawFigure]) -> list[Equation]:
    """Every equation among the counts: one per group."""
    cells = {f.cell for f in figures if f.kind == "count"}
    groups: dict[str, list[RawFigure]] = {}
    for figure in figures:
        if figure.kind == "count" and figure.group:
            groups.setdefault(figure.group, []).append(figure)
    result = []
    for members in groups.values():
        parent = members[0].parent
        result.append(Equation(parent if parent in cells else None, tuple(sorted(f.cell for f in members))))
    # In a fixed order, so that the figures decide the pattern, not the order the collectors gave them in.
    return sorted(result, key=lambda e: (e.parent or ("",), e.parts))


def determined_cells(hidden: list[Cell], system: list[Equation]) -> set[Cell]:
    """The hidden cells whose value the equations fix exactly, whatever the shown values are: those whose
    unit vector lies in the row space of the equations restricted to the hidden cells (reduced row
    echelon form over the rationals: such a cell has a row of its own with no other hidden cell)."""
    index = {cell: i for i, cell in enumerate(hidden)}
    rows = []
    for equation in system:
        row = {}
        if equation.parent in index:
            row[index[equation.parent]] = Fraction(-1)
        for part in equation.parts:
            if part in index:
                row[index[part]] = row.get(index[part], Fraction(0)) + 1
        row = {k: v for k, v in row.items() if v}
        if row:
            rows.append(row)
    pivots: list[tuple[int, dict[int, Fraction]]] = []
    for row in rows:
        row = dict(row)
        for column, pivot_row in pivots:
            if column in row:
                factor = row[column]
                for k, v in pivot_row.items():
                    row[k] = row.get(k, Fraction(0)) - factor * v
                row = {k: v for k, v in row.items() if v}
        if not row:
            continue
        column = min(row)
        scale = row[column]
        row = {k: v / scale for k, v in row.items()}
        # keep the rows fully reduced against the new pivot
        for i, (other_column, other_row) in enumerate(pivots):
            if column in other_row:
                factor = other_row[column]
                updated = dict(other_row)
                for k, v in row.items():
                    updated[k] = updated.get(k, Fraction(0)) - factor * v
                pivots[i] = (other_column, {k: v for k, v in updated.items() if v})
        pivots.append((column, row))
    return {hidden[column] for column, row in pivots if len(row) == 1}


# --- suppression ----------------------------------------------------------------------------------
def suppress(figures: list[RawFigure], keep_hidden: set[Cell] | frozenset = frozenset()) -> list[RawFigure]:
    """Mark (and empty) every figure that could single someone out; returns the same list."""
    counts = {f.cell: f for f in figures if f.kind == "count"}
    for figure in figures:
        if figure.kind == "count":
            figure.suppressed = 0 < int(figure.value or 0) < MIN_PEOPLE or figure.cell in keep_hidden
        elif figure.kind == "tally":
            figure.suppressed = False
        else:
            figure.suppressed = figure.value is None or is_small(figure.base)
    system = equations(figures)
    for equation in system:
        parts = [counts[cell] for cell in equation.parts]
        total = sum(map(_value, parts))
        if any(f.sensitive for f in parts) and total > 0 and any(int(f.value or 0) == total for f in parts):
            for part in parts:
                part.suppressed = True
    _complement(counts, system)
    by_cell = {f.cell: f for f in figures}
    for figure in figures:
        if figure.depends_on and by_cell.get(figure.depends_on) is not None and by_cell[figure.depends_on].suppressed:
            figure.suppressed = True
    for figure in figures:
        if figure.suppressed:
            figure.value = None
    return figures


def _value(figure: RawFigure) -> int:
    return int(figure.value or 0)


def _hide_next(counts: dict[Cell, RawFigure], equation: Equation) -> bool:
    """Hide the smallest shown non-zero part of the equation; with none left, its parent."""
    shown = [counts[c] for c in equation.parts if not counts[c].suppressed and _value(counts[c]) > 0]
    if shown:
        min(shown, key=lambda f: (_value(f), f.key)).suppressed = True
        return True
    parent = counts.get(equation.parent)
    if parent is not None and not parent.suppressed and _value(parent) > 0:
        parent.suppressed = True
        return True
    return False


def _complement(counts: dict[Cell, RawFigure], system: list[Equation]) -> None:
    while True:
        changed = False
        for equation in system:
            hidden = [counts[c] for c in equation.parts if counts[c].suppressed]
            parent_hidden = equation.parent is not None and counts[equation.parent].suppressed
            if not parent_hidden and hidden and (len(hidden) < 2 or sum(map(_value, hidden)) < MIN_PEOPLE):
                changed |= _hide_next(counts, equation)
            elif parent_hidden and not hidden and sum(_value(counts[c]) for c in equation.parts) > 0:
                changed |= _hide_next(counts, equation)
        if changed:
            continue
        hidden_cells = sorted(cell for cell, f in counts.items() if f.suppressed)
        for cell in sorted(determined_cells(hidden_cells, system)):
            for equation in system:
                if (cell == equation.parent or cell in equation.parts) and _hide_next(counts, equation):
                    changed = True
                    break
            if changed:
                break
        if not changed:
            return


def still_hidden(figures: list[RawFigure], previous: dict[Cell, Decimal | int | None]) -> set[Cell]:
    """The counts that rule 5 keeps hidden: `previous` is the previous snapshot's published counts (None
    for a hidden one), read before suppression of the new figures."""
    counts = {f.cell: f for f in figures if f.kind == "count"}
    groups: dict[str, list[RawFigure]] = {}
    for figure in counts.values():
        if figure.group:
            groups.setdefault(figure.group, []).append(figure)
    keep = set()
    for figure in counts.values():
        if figure.cell not in previous or previous[figure.cell] is not None:
            continue
        if figure.parent is not None:
            before, now = previous.get(figure.parent), _value(counts[figure.parent]) if figure.parent in counts else None
        elif figure.group:
            parts = [previous.get(f.cell) for f in groups[figure.group]]
            before = None if None in parts else sum(parts)
            now = sum(_value(f) for f in groups[figure.group])
        else:
            before, now = None, None
        if before is None or now is None or abs(now - int(before)) < MIN_PEOPLE:
            keep.add(figure.cell)
    return keep


def suppress_unit_result(rated: int, ok: bool | None) -> dict:
    """One unit's distribution-curve result: hidden when fewer than 5 of its staff are rated (with two
    rated people, 'broke the at-most-70% rule' would tell what both got)."""
    if 0 < rated < MIN_PEOPLE:
        return {"rated": None, "ok": None, "suppressed": True}
    return {"rated": rated, "ok": ok, "suppressed": False}
