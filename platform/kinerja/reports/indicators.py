"""Key indicators: one number per region per question a BKN analyst asks first. They are derived from a
snapshot's figures after suppression, so an indicator built on a hidden count is hidden as well, and
stored with the snapshot (section "indicator") so that national medians are one query."""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from kinerja.reports.privacy import RawFigure


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str  # "people", "percent", "rupiah", "jp", "ratio"
    higher_is: str = ""  # "better", "worse" or "" when neither


INDICATORS = [
    Indicator("headcount", _("Serving staff"), "people"),
    Indicator("pppk_share", _("PPPK share of staff"), "percent"),
    Indicator("sangat_baik_share", _("Sangat Baik share (latest annual rating)"), "percent"),
    Indicator("below_baik_share", _("Below Baik share (latest annual rating)"), "percent", "worse"),
    Indicator("curve_kept_share", _("Units keeping the distribution curve"), "percent", "better"),
    Indicator("tpp_median", _("Median TPP (latest locked month)"), "rupiah"),
    Indicator("jp_per_employee", _("Training JP per employee (this year)"), "jp", "better"),
    Indicator("training_20jp_share", _("Staff with at least 20 JP (this year)"), "percent", "better"),
    Indicator("applications_per_post", _("Applications per post"), "ratio"),
]
BY_KEY = {indicator.key: indicator for indicator in INDICATORS}
HIDDEN = object()  # an input that exists but is suppressed


def _share(numerator, denominator):
    if numerator is HIDDEN or denominator is HIDDEN:
        return HIDDEN
    if numerator is None or denominator in (None, 0):
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def _latest(breakdowns: set[str], pattern_len: int = 4) -> str | None:
    years = sorted(b for b in breakdowns if len(b) == pattern_len and b.isdecimal())
    return years[-1] if years else None


def compute(figures: list[RawFigure], today: datetime.date) -> list[RawFigure]:
    cells = {f.cell: (HIDDEN if f.suppressed else f.value) for f in figures}
    breakdowns = {}
    for section, breakdown, _key in cells:
        breakdowns.setdefault(section, set()).add(breakdown)

    def get(section, breakdown, key):
        return cells.get((section, breakdown, key))

    values: dict[str, object] = {}
    values["headcount"] = get("headcount", "total", "employees")
    if values["headcount"] is not None:
        values["pppk_share"] = _share(get("headcount", "employee_type", "PPPK") or 0, values["headcount"])
    year = _latest(breakdowns.get("predicates", set()))
    if year:
        rated = get("predicates", year, "rated")
        values["sangat_baik_share"] = _share(get("predicates", year, "sangat_baik"), rated)
        below = [get("predicates", year, p) for p in ("butuh_perbaikan", "kurang", "sangat_kurang")]
        values["below_baik_share"] = HIDDEN if HIDDEN in below else _share(sum(v or 0 for v in below), rated)
    curve_year = _latest(breakdowns.get("curve", set()))
    if curve_year:
        values["curve_kept_share"] = _share(get("curve", curve_year, "units_ok"),
                                            get("curve", curve_year, "units_checked"))
    values["tpp_median"] = get("tpp", "all", "median")
    this_year = str(today.year)
    values["jp_per_employee"] = get("training", this_year, "jp_per_employee")
    if get("training", this_year, "employees") is not None:
        values["training_20jp_share"] = _share(get("training", this_year, "meeting_20jp"),
                                               get("training", this_year, "employees"))
    kinds = breakdowns.get("recruitment", set())
    if kinds:
        applications = [get("recruitment", kind, "applications") for kind in kinds]
        posts = sum(get("recruitment", kind, "posts") or 0 for kind in kinds)
        values["applications_per_post"] = (HIDDEN if HIDDEN in applications else
                                           (Decimal(sum(a or 0 for a in applications)) / posts if posts else None))
    result = []
    for key, value in values.items():
        if value is None:
            continue
        figure = RawFigure("indicator", "", key, "measure",
                           None if value is HIDDEN else Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))
        figure.suppressed = value is HIDDEN
        result.append(figure)
    return result
