"""Disclosure control: the one place that decides what may leave a region's schema.

Rules, applied to every figure before it is stored:
1. A count of 1-4 people is suppressed (zero is shown: it names nobody).
2. Counts that partition a published total (the same `group`) get secondary suppression: once one of
   them is hidden, the smallest other non-zero ones are hidden too until at least two are hidden and
   they cover at least 5 people together, so subtracting the shown counts from the total reveals nothing
   smaller.
3. A sum, median, spread or mean computed over fewer than 5 people is suppressed, and so is any figure
   that `depends_on` a suppressed count (a position class's TPP total once its headcount is hidden).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MIN_PEOPLE = 5


@dataclass
class RawFigure:
    """A figure as a collector computes it, before suppression. `base` is how many people it is computed
    over (a count's base is itself)."""

    section: str
    breakdown: str
    key: str
    kind: str  # "count", "amount" or "measure"
    value: Decimal | int | None
    base: int | None = None
    group: str | None = None  # counts partitioning one published total
    depends_on: tuple[str, str, str] | None = None  # (section, breakdown, key) of the count behind it
    suppressed: bool = field(default=False, init=False)

    @property
    def cell(self) -> tuple[str, str, str]:
        return (self.section, self.breakdown, self.key)

    @property
    def people(self) -> int | None:
        if self.kind == "count":
            return int(self.value or 0)
        return self.base


def count(section: str, breakdown: str, key: str, value: int, *, group: str | None = "") -> RawFigure:
    """A count of people. By default the counts of one breakdown partition its total (one group)."""
    return RawFigure(section, breakdown, key, "count", int(value or 0), group=f"{section}/{breakdown}"
                     if group == "" else group)


def tally(section: str, breakdown: str, key: str, value: int) -> RawFigure:
    """A count of things that are not people (units, openings): never suppressed."""
    return RawFigure(section, breakdown, key, "tally", int(value or 0))


def amount(section: str, breakdown: str, key: str, value, *, base: int,
           depends_on: tuple[str, str, str] | None = None) -> RawFigure:
    return RawFigure(section, breakdown, key, "amount", _whole(value), base=base, depends_on=depends_on)


def measure(section: str, breakdown: str, key: str, value, *, base: int,
            depends_on: tuple[str, str, str] | None = None, places: str = "0.01") -> RawFigure:
    rounded = None if value is None else Decimal(value).quantize(Decimal(places), ROUND_HALF_UP)
    return RawFigure(section, breakdown, key, "measure", rounded, base=base, depends_on=depends_on)


def _whole(value) -> int | None:
    return None if value is None else int(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP))


def is_small(people: int | None) -> bool:
    return people is None or people < MIN_PEOPLE


def suppress(figures: list[RawFigure]) -> list[RawFigure]:
    """Mark (and empty) every figure that could single someone out; returns the same list."""
    for figure in figures:
        if figure.kind == "count":
            figure.suppressed = 0 < int(figure.value or 0) < MIN_PEOPLE
        elif figure.kind == "tally":
            figure.suppressed = False
        else:
            figure.suppressed = figure.value is None or is_small(figure.base)
    groups: dict[str, list[RawFigure]] = {}
    for figure in figures:
        if figure.kind == "count" and figure.group:
            groups.setdefault(figure.group, []).append(figure)
    for members in groups.values():
        hidden = [f for f in members if f.suppressed]
        # Keep hiding the smallest shown count until the hidden ones are at least two and cover at least
        # MIN_PEOPLE people together: subtracting the shown counts from the total then reveals no group
        # smaller than the threshold.
        while hidden and (len(hidden) < 2 or sum(int(f.value or 0) for f in hidden) < MIN_PEOPLE):
            shown = [f for f in members if not f.suppressed and int(f.value or 0) > 0]
            if not shown:
                break
            smallest = min(shown, key=lambda f: (int(f.value), f.key))
            smallest.suppressed = True
            hidden.append(smallest)
    by_cell = {f.cell: f for f in figures}
    for figure in figures:
        if figure.depends_on and by_cell.get(figure.depends_on) is not None and by_cell[figure.depends_on].suppressed:
            figure.suppressed = True
    for figure in figures:
        if figure.suppressed:
            figure.value = None
    return figures


def suppress_unit_result(rated: int, ok: bool | None) -> dict:
    """One unit's distribution-curve result: hidden when fewer than 5 of its staff are rated (with two
    rated people, 'broke the at-most-70% rule' would tell what both got)."""
    if 0 < rated < MIN_PEOPLE:
        return {"rated": None, "ok": None, "suppressed": True}
    return {"rated": rated, "ok": ok, "suppressed": False}
