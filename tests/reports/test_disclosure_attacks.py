"""Attacks on the published figures, as a BKN analyst would make them: every subtraction of published
figures from one another (rows, columns, totals, other breakdowns of the same population, the previous
snapshot), by exact linear algebra and by bounds, must leave every hidden count unknown.

The attacker here knows only what is published and how the tables add up (a breakdown adds up to its
total; golongan add up to their employee type; predicates to the number rated); it is written apart
from the suppression code it attacks."""
from __future__ import annotations

import itertools
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st
from kinerja.reports.privacy import MIN_PEOPLE, count, still_hidden, suppress

PNS_RANKS = ("II/c", "III/a", "III/b", "IV/a")
PPPK_GRADES = ("IX", "X")
PREDICATES = ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang")
KINDS = ("structural", "functional", "executive")
UNIT_TYPES = ("dinas", "badan", "secretariat")


# --- the published tables of a population, shaped as the collectors shape them ----------------------
def published_figures(people: list[dict]) -> list:
    """Headcount by type, golongan, kind, class and unit type, and the predicate distribution."""
    from collections import Counter

    everyone = ("headcount", "total", "employees")
    figures = [count(*everyone, len(people), group=None)]
    for attribute, breakdown in (("type", "employee_type"), ("kind", "position_kind"),
                                 ("class", "position_class"), ("unit_type", "unit_type")):
        for key, n in sorted(Counter(p[attribute] for p in people).items()):
            figures.append(count("headcount", breakdown, str(key), n, parent=everyone))
    for (employee_type, rank), n in sorted(Counter((p["type"], p["rank"]) for p in people).items()):
        figures.append(count("headcount", "golongan", f"{employee_type} {rank}", n,
                             group=f"headcount/golongan/{employee_type}",
                             parent=("headcount", "employee_type", employee_type)))
    rated = [p["predicate"] for p in people if p["predicate"]]
    if rated:
        by_predicate = Counter(rated)
        figures.append(count("predicates", "2025", "rated", len(rated), group=None))
        for predicate in PREDICATES:
            figures.append(count("predicates", "2025", predicate, by_predicate[predicate],
                                 parent=("predicates", "2025", "rated"), sensitive=True))
    return figures


def table_equations(cells: set) -> list[tuple[tuple, list[tuple]]]:
    """How the published tables add up, as an analyst reads them off the pages: (total, its parts)."""
    result = []
    everyone = ("headcount", "total", "employees")
    for breakdown in ("employee_type", "position_kind", "position_class", "unit_type"):
        result.append((everyone, [c for c in cells if c[:2] == ("headcount", breakdown)]))
    for employee_type in ("PNS", "PPPK"):
        parent = ("headcount", "employee_type", employee_type)
        if parent in cells:
            result.append((parent, [c for c in cells if c[1] == "golongan" and c[2].startswith(employee_type + " ")]))
    rated = ("predicates", "2025", "rated")
    if rated in cells:
        result.append((rated, [c for c in cells if c[0] == "predicates" and c != rated]))
    return result


# --- the attacker ------------------------------------------------------------------------------------
def solve_exactly(published: dict, system) -> dict:
    """Gaussian elimination over the rationals on [A | b], unknowns the hidden cells: every hidden cell
    the equations fix, with its value."""
    hidden = sorted(c for c, v in published.items() if v is None)
    column = {c: i for i, c in enumerate(hidden)}
    rows = []
    for parent, parts in system:
        coefficients = [Fraction(0)] * len(hidden)
        constant = Fraction(0)  # sum(parts) - parent = 0  ->  hidden terms = -(shown terms)
        for cell, sign in [(parent, -1)] + [(part, 1) for part in parts]:
            if published[cell] is None:
                coefficients[column[cell]] += sign
            else:
                constant -= sign * published[cell]
        rows.append(coefficients + [constant])
    pivot_row = 0
    pivots = []
    for col in range(len(hidden)):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][col] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        scale = rows[pivot_row][col]
        rows[pivot_row] = [v / scale for v in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][col] != 0:
                factor = rows[r][col]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row])]
        pivots.append((col, pivot_row))
        pivot_row += 1
    recovered = {}
    for col, r in pivots:
        if all(rows[r][c] == 0 for c in range(len(hidden)) if c != col):
            recovered[hidden[col]] = rows[r][-1]
    return recovered


def bound_everything(published: dict, system) -> dict:
    """Interval reasoning to a fixed point: a hidden count is at least 1 unless its whole breakdown is
    hidden (zeros are shown otherwise), at most the population; each equation narrows each of its terms
    from the others' bounds. Returns {hidden cell: (low, high)}."""
    # No hidden count exceeds the population; the generator's is at most 60, and the attacker is granted
    # only that it is under a thousand when the headcount itself is hidden.
    population = published.get(("headcount", "total", "employees")) or 1000
    bounds = {}
    for cell, value in published.items():
        if value is not None:
            bounds[cell] = (value, value)
    for parent, parts in system:
        wholly_hidden = all(published[p] is None for p in parts)
        for part in parts:
            if published[part] is None:
                low = 0 if wholly_hidden else 1
                bounds[part] = (max(bounds.get(part, (0, population))[0], low), population)
    for cell, value in published.items():
        bounds.setdefault(cell, (0 if value is None else value, population if value is None else value))
    changed, rounds = True, 0
    while changed:
        changed, rounds = False, rounds + 1
        assert rounds < 10_000, "the published figures contradict the equations"
        for parent, parts in system:
            terms = [(parent, -1)] + [(p, 1) for p in parts]
            for cell, sign in terms:
                others = [(c, s) for c, s in terms if c != cell]
                # sign*cell = -sum(s*other): the others' bounds bound this cell
                low_sum = sum(s * (bounds[c][0] if s > 0 else bounds[c][1]) for c, s in others)
                high_sum = sum(s * (bounds[c][1] if s > 0 else bounds[c][0]) for c, s in others)
                low, high = (-high_sum, -low_sum) if sign > 0 else (low_sum, high_sum)
                current = bounds[cell]
                new = (max(current[0], low), min(current[1], high))
                if new != current:
                    bounds[cell], changed = new, True
    return {c: b for c, b in bounds.items() if published[c] is None}


def attack(figures: list) -> list[str]:
    """What an analyst learns that they should not: hidden counts pinned down, and a breakdown of a
    personal attribute that puts everyone in one category."""
    published = {f.cell: (None if f.suppressed else int(f.value)) for f in figures if f.kind == "count"}
    truth = {f.cell: f.people for f in figures if f.kind == "count"}
    system = [(parent, parts) for parent, parts in table_equations(set(published)) if parts]
    leaks = []
    for cell, value in solve_exactly(published, system).items():
        leaks.append(f"{cell} recovered exactly as {value} (true {truth[cell]})")
    for cell, (low, high) in bound_everything(published, system).items():
        if low == high:
            leaks.append(f"{cell} pinned to {low} by bounds (true {truth[cell]})")
    for parent, parts in system:
        if parent[0] == "predicates" and published[parent]:
            for part in parts:
                bounds = bound_everything(published, system).get(part)
                low = published[part] if published[part] is not None else bounds[0]
                if low == published[parent]:
                    leaks.append(f"everyone rated got {part[2]}")
    return leaks


def true_values(people: list[dict]) -> dict:
    return {f.cell: f.people for f in published_figures(people)}


# --- the property -------------------------------------------------------------------------------------
person = st.one_of(
    st.fixed_dictionaries({"type": st.just("PNS"), "rank": st.sampled_from(PNS_RANKS)}),
    st.fixed_dictionaries({"type": st.just("PPPK"), "rank": st.sampled_from(PPPK_GRADES)}),
).flatmap(lambda base: st.fixed_dictionaries({
    "type": st.just(base["type"]), "rank": st.just(base["rank"]), "kind": st.sampled_from(KINDS),
    "class": st.integers(1, 6), "unit_type": st.sampled_from(UNIT_TYPES),
    "predicate": st.one_of(st.none(), st.sampled_from(PREDICATES)),
}))


@given(st.lists(person, max_size=60))
def test_no_subtraction_over_the_published_tables_recovers_a_hidden_count(people):
    figures = suppress(published_figures(people))
    truth = true_values(people)
    for figure in figures:
        if figure.kind == "count" and not figure.suppressed:
            assert truth[figure.cell] == 0 or truth[figure.cell] >= MIN_PEOPLE, figure
    assert attack(figures) == []


@given(st.lists(person, min_size=1, max_size=40))
def test_the_same_figures_always_give_the_same_pattern(people):
    first = [(f.cell, f.suppressed) for f in suppress(published_figures(people))]
    again = [(f.cell, f.suppressed) for f in suppress(list(reversed(published_figures(people))))]
    assert sorted(first) == sorted(again)


# --- the attacks the old rule let through -------------------------------------------------------------
def staff(*groups) -> list[dict]:
    """(type, rank, how many) groups of identical people otherwise."""
    people = []
    for employee_type, rank, how_many, *predicate in groups:
        people += [{"type": employee_type, "rank": rank, "kind": "executive", "class": 7, "unit_type": "dinas",
                    "predicate": predicate[0] if predicate else "baik"} for _ in range(how_many)]
    return people


def test_an_analyst_cannot_get_a_hidden_golongan_back_from_its_employee_type():
    """PNS IV/a (1) and PPPK IX (3) are small. Hidden together with PPPK X, the PNS count (13, shown)
    minus PNS III/a (12, shown) would give PNS IV/a = 1: golongan are protected within their type."""
    people = staff(("PNS", "IV/a", 1), ("PNS", "III/a", 12), ("PPPK", "IX", 3), ("PPPK", "X", 10))
    figures = suppress(published_figures(people))
    assert attack(figures) == []
    shown = {f.cell: f.value for f in figures}
    assert shown[("headcount", "golongan", "PNS IV/a")] is None


def test_an_analyst_cannot_recover_a_count_hidden_in_one_breakdown_through_another():
    """A single structural employee in class 14: hidden by kind and by class, and neither breakdown's
    shown counts, nor the two together, give the other back."""
    people = staff(("PNS", "III/a", 20)) + [
        {"type": "PNS", "rank": "IV/a", "kind": "structural", "class": 14, "unit_type": "badan", "predicate": "baik"}]
    figures = suppress(published_figures(people))
    assert attack(figures) == []


def test_a_unit_where_everyone_got_the_same_predicate_shows_no_predicate():
    people = staff(("PNS", "III/a", 12, "baik"))
    figures = suppress(published_figures(people))
    shown = {f.cell: (f.suppressed, f.value) for f in figures}
    assert shown[("predicates", "2025", "rated")] == (False, 12)
    assert all(shown[("predicates", "2025", p)] == (True, None) for p in PREDICATES)
    assert attack(figures) == []


def test_the_attacker_finds_what_the_old_rule_leaked():
    """The attacker is not blind: with golongan protected across types only (the rule before), it
    recovers PNS IV/a."""
    people = staff(("PNS", "IV/a", 1), ("PNS", "III/a", 12), ("PPPK", "IX", 3), ("PPPK", "X", 10))
    figures = published_figures(people)
    for figure in figures:
        if figure.breakdown == "golongan":
            figure.group, figure.parent = "headcount/golongan", None
    suppress(figures)
    assert any("PNS IV/a" in leak for leak in attack(figures))


@pytest.mark.parametrize("rated", [5, 9])
def test_the_attacker_notices_everyone_in_one_category(rated):
    figures = [count("predicates", "2025", "rated", rated, group=None)] + [
        count("predicates", "2025", p, rated if p == "baik" else 0, parent=("predicates", "2025", "rated"))
        for p in PREDICATES]  # not marked sensitive: the all-in-one rule does not apply
    suppress(figures)
    assert "everyone rated got baik" in attack(figures)


def test_every_pair_of_breakdowns_is_consistent_with_one_population():
    """Sanity of the generator: every breakdown adds up to the headcount."""
    people = staff(("PNS", "IV/a", 2), ("PPPK", "X", 7))
    truth = true_values(people)
    for parent, parts in table_equations(set(truth)):
        assert truth[parent] == sum(truth[p] for p in parts)
    assert list(itertools.islice(truth, 1))


# --- over time: last month's snapshot against this month's ------------------------------------------
def published_counts(figures: list) -> dict:
    return {f.cell: (None if f.suppressed else int(f.value)) for f in figures if f.kind == "count"}


def next_month(previous: dict, people: list[dict], *, over_time: bool = True) -> dict:
    figures = published_figures(people)
    suppress(figures, keep_hidden=still_hidden(figures, previous) if over_time else frozenset())
    return published_counts(figures)


IV_A = ("headcount", "golongan", "PNS IV/a")
PNS = ("headcount", "employee_type", "PNS")


def test_last_months_hidden_count_is_not_given_back_by_this_months_change():
    """Attack: PNS IV/a is hidden in October (3 people). In November two more join; IV/a (5) would pass
    the threshold on its own, and "November's 5 minus the 2 the PNS total grew by" gives back October's
    3. The count stays hidden until its total has moved by the threshold."""
    october_people = staff(("PNS", "IV/a", 3), ("PNS", "III/a", 12), ("PPPK", "X", 10))
    october = published_counts(suppress(published_figures(october_people)))
    assert october[IV_A] is None and october[PNS] == 15
    november_people = october_people + staff(("PNS", "IV/a", 2))

    careless = next_month(october, november_people, over_time=False)
    assert careless[IV_A] - (careless[PNS] - october[PNS]) == 3  # the leak the rule is there for

    november = next_month(october, november_people)
    assert november[IV_A] is None and november[PNS] == 17
    assert attack(suppress(published_figures(november_people),
                           keep_hidden=still_hidden(published_figures(november_people), october))) == []


def test_a_hidden_count_is_shown_again_once_its_total_has_moved_by_the_threshold():
    october_people = staff(("PNS", "IV/a", 3), ("PNS", "III/a", 12), ("PPPK", "X", 10))
    october = published_counts(suppress(published_figures(october_people)))
    grown = next_month(october, october_people + staff(("PNS", "IV/a", MIN_PEOPLE)))
    assert grown[IV_A] == 3 + MIN_PEOPLE
