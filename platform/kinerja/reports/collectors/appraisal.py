"""Appraisal: the predicate distribution per period (and for the year), and whether each rated unit kept
to the distribution curve of its organisation rating."""
from __future__ import annotations

import json
from decimal import ROUND_HALF_UP, Decimal

from kinerja.appraisal.models import Cadence, CurveBound, Predicate
from kinerja.reports.collectors.base import CollectContext, Collected, Collector
from kinerja.reports.privacy import count, suppress_unit_result, tally

PREDICATES = list(Predicate.values)


def curve_rules(context: CollectContext) -> dict[str, list[tuple[list[str], str, Decimal]]]:
    """The region's curve, read on its own: {organisation rating: [(predicates, bound, percent)]}."""
    return _rules(context.rows(
        "SELECT organisation_rating, predicates, bound, percent FROM appraisal_curverule ORDER BY id"))


def _rules(rows) -> dict[str, list[tuple[list[str], str, Decimal]]]:
    rules: dict[str, list] = {}
    for rating, predicates, bound, percent in rows:
        # A raw cursor hands jsonb over undecoded (Django decodes it in the JSONField).
        rules.setdefault(rating, []).append((json.loads(predicates) if isinstance(predicates, str) else predicates,
                                             bound, Decimal(str(percent))))
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


# One statement for the whole module: the ratings are read once, counted per period, unit and predicate;
# the per-period distribution and each rated unit's subtree are summed from those counts here.
MODULE_SQL = """
SELECT
    (SELECT COALESCE(json_agg(json_build_array(year_id, year, cadence, number, unit_id, predicate, n)), '[]')
     FROM (SELECT y.id AS year_id, y.year, y.cadence, per.number, p.unit_id, r.predicate, COUNT(*) AS n
           FROM appraisal_rating r
           JOIN appraisal_skpplan p ON p.id = r.plan_id
           JOIN appraisal_appraisalyear y ON y.id = p.appraisal_year_id
           LEFT JOIN appraisal_appraisalperiod per ON per.id = r.period_id
           GROUP BY y.id, y.year, y.cadence, per.number, p.unit_id, r.predicate) counted),
    (SELECT COALESCE(json_agg(json_build_array(ur.id, ur.appraisal_year_id, y.year, u.name, u.unit_type, u.path,
                                               ur.rating)), '[]')
     FROM appraisal_unitrating ur
     JOIN appraisal_appraisalyear y ON y.id = ur.appraisal_year_id
     JOIN people_unit u ON u.id = ur.unit_id),
    (SELECT COALESCE(json_agg(json_build_array(id, path)), '[]') FROM people_unit),
    (SELECT COALESCE(json_agg(json_build_array(organisation_rating, predicates, bound, percent::text) ORDER BY id), '[]')
     FROM appraisal_curverule)
"""


def _decoded(value):
    return json.loads(value) if isinstance(value, str) else value


def collect(context: CollectContext) -> Collected:
    collected = Collected()
    ((counted, unit_ratings, unit_paths, rules),) = context.rows(MODULE_SQL)
    counted, unit_ratings, rules = _decoded(counted), _decoded(unit_ratings), _rules(_decoded(rules))
    paths = dict(_decoded(unit_paths))

    by_period: dict[str, dict[str, int]] = {}
    annual: dict[int, dict[str, dict[str, int]]] = {}  # year id -> unit path -> predicate -> n
    for year_id, year, cadence, number, unit_id, predicate, n in counted:
        period = by_period.setdefault(period_key(year, cadence, number), {})
        period[predicate] = period.get(predicate, 0) + n
        if number is None:
            per_unit = annual.setdefault(year_id, {}).setdefault(paths.get(unit_id) or "", {})
            per_unit[predicate] = per_unit.get(predicate, 0) + n
    for period, by_predicate in by_period.items():
        for predicate in PREDICATES:
            collected.figures.append(count("predicates", period, predicate, by_predicate.get(predicate, 0),
                                           parent=("predicates", period, "rated"), sensitive=True))
        collected.figures.append(count("predicates", period, "rated", sum(by_predicate.values()), group=None))

    # A unit's curve counts the annual ratings of every SKP made in its subtree, as the region's own
    # calibration check does.
    units = []
    for _id, year_id, year, name, unit_type, path, rating in unit_ratings:
        counts: dict[str, int] = {}
        for unit_path, per_predicate in annual.get(year_id, {}).items():
            if unit_path.startswith(path):
                for predicate, n in per_predicate.items():
                    counts[predicate] = counts.get(predicate, 0) + n
        units.append({"year": year, "unit": name, "unit_type": unit_type, "rating": rating, "counts": counts})
    results = []
    per_year: dict[int, dict[str, int]] = {}
    for unit in sorted(units, key=lambda u: (-u["year"], u["unit"])):
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
            collected.figures.append(tally("curve", str(year), key, value))
    collected.details["curve_units"] = results
    return collected


COLLECTOR = Collector(
    section="appraisal",
    tables=("appraisal_rating", "appraisal_skpplan", "appraisal_appraisalyear", "appraisal_appraisalperiod",
            "appraisal_unitrating", "appraisal_curverule", "people_unit"),
    collect=collect,
)
