"""Appraisal: the predicate distribution per period (and for the year), and whether each rated unit kept
to the distribution curve of its organisation rating."""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

from kinerja.appraisal.models import Cadence, CurveBound, Predicate
from kinerja.reports.collectors.base import Collected, CollectContext, Collector
from kinerja.reports.privacy import count, suppress_unit_result, tally

PREDICATES = list(Predicate.values)


def curve_rules(context: CollectContext) -> dict[str, list[tuple[list[str], str, Decimal]]]:
    """The region's curve, read once: {organisation rating: [(predicates, bound, percent)]}."""
    rules: dict[str, list] = {}
    for rating, predicates, bound, percent in context.rows(
            "SELECT organisation_rating, predicates, bound, percent FROM appraisal_curverule ORDER BY id"):
        # A raw cursor hands jsonb over undecoded (Django decodes it in the JSONField).
        rules.setdefault(rating, []).append((json.loads(predicates) if isinstance(predicates, str) else predicates,
                                             bound, percent))
    return rules


def keeps_curve(rules, counts: dict[str, int]) -> bool:
    """The appraisal module's check (kinerja.appraisal.selectors.check_curve) on rules read once, so a
    region with many rated units costs one query instead of one per unit. A test holds the two equal."""
    total = sum(counts.values())
    for predicates, bound, percent in rules:
        n = sum(counts.get(p, 0) for p in predicates)
        share = (Decimal(n * 100) / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if bound == CurveBound.AT_MOST and share > percent:
            return False
        if bound == CurveBound.AT_LEAST and share < percent:
            return False
        if bound == CurveBound.SOME and n < 1:
            return False
    return True


def period_key(year: int, cadence: str, number: int | None) -> str:
    """"2025" for the annual rating, "2025-Q1" for a quarter, "2025-M03" for a month."""
    if number is None:
        return str(year)
    return f"{year}-Q{number}" if cadence == Cadence.QUARTERLY else f"{year}-M{number:02d}"


def _predicates(context: CollectContext, figures: list) -> None:
    counts: dict[str, dict[str, int]] = {}
    for year, cadence, number, predicate, n in context.rows(
        """
        SELECT y.year, y.cadence, per.number, r.predicate, COUNT(*)
        FROM appraisal_rating r
        JOIN appraisal_skpplan p ON p.id = r.plan_id
        JOIN appraisal_appraisalyear y ON y.id = p.appraisal_year_id
        LEFT JOIN appraisal_appraisalperiod per ON per.id = r.period_id
        GROUP BY y.year, y.cadence, per.number, r.predicate
        """
    ):
        counts.setdefault(period_key(year, cadence, number), {})[predicate] = n
    for period, by_predicate in counts.items():
        for predicate in PREDICATES:
            figures.append(count("predicates", period, predicate, by_predicate.get(predicate, 0)))
        figures.append(count("predicates", period, "rated", sum(by_predicate.values()), group=None))


def _curve(context: CollectContext, figures: list, details: dict) -> None:
    rules = curve_rules(context)

    units: dict[int, dict] = {}
    # A unit's curve counts the annual ratings of every SKP made in its subtree, as the region's own
    # calibration check does.
    for unit_rating_id, year, unit_name, unit_type, rating, predicate, n in context.rows(
        """
        SELECT ur.id, y.year, u.name, u.unit_type, ur.rating, staff.predicate, COUNT(staff.predicate)
        FROM appraisal_unitrating ur
        JOIN appraisal_appraisalyear y ON y.id = ur.appraisal_year_id
        JOIN people_unit u ON u.id = ur.unit_id
        LEFT JOIN (
            SELECT p.appraisal_year_id, pu.path, r.predicate
            FROM appraisal_rating r
            JOIN appraisal_skpplan p ON p.id = r.plan_id
            JOIN people_unit pu ON pu.id = p.unit_id
            WHERE r.period_id IS NULL
        ) staff ON staff.appraisal_year_id = ur.appraisal_year_id AND staff.path LIKE u.path || '%'
        GROUP BY ur.id, y.year, u.name, u.unit_type, ur.rating, staff.predicate
        """
    ):
        unit = units.setdefault(unit_rating_id, {"year": year, "unit": unit_name, "unit_type": unit_type,
                                                 "rating": rating, "counts": {}})
        if predicate is not None:
            unit["counts"][predicate] = n
    results = []
    per_year: dict[int, dict[str, int]] = {}
    for unit in sorted(units.values(), key=lambda u: (-u["year"], u["unit"])):
        rated = sum(unit["counts"].values())
        ok = keeps_curve(rules.get(unit["rating"], []), unit["counts"]) if rated else None
        shown = suppress_unit_result(rated, ok)
        results.append({"year": unit["year"], "unit": unit["unit"], "unit_type": unit["unit_type"],
                        "rating": unit["rating"], **shown})
        tallies = per_year.setdefault(unit["year"], {"units_rated": 0, "units_checked": 0, "units_ok": 0,
                                                     "units_breaking": 0})
        tallies["units_rated"] += 1
        if shown["ok"] is not None:
            tallies["units_checked"] += 1
            tallies["units_ok" if shown["ok"] else "units_breaking"] += 1
    for year, tallies in per_year.items():
        for key, value in tallies.items():
            figures.append(tally("curve", str(year), key, value))
    details["curve_units"] = results


def collect(context: CollectContext) -> Collected:
    collected = Collected()
    _predicates(context, collected.figures)
    _curve(context, collected.figures, collected.details)
    return collected


COLLECTOR = Collector(
    section="appraisal",
    tables=("appraisal_rating", "appraisal_skpplan", "appraisal_appraisalyear", "appraisal_appraisalperiod",
            "appraisal_unitrating", "appraisal_curverule", "people_unit"),
    collect=collect,
)
