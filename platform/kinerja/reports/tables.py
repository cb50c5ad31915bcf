"""The tables of every report view. Pages render them, and the CSV and XLSX exports write the very same
tables, so an export always holds what the page shows (hidden figures as "<5")."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kinerja.appraisal.models import Predicate
from kinerja.people.models import EmployeeType, PositionKind, UnitType
from kinerja.region import formats
from kinerja.reports import selectors
from kinerja.reports.indicators import BY_KEY, INDICATORS
from kinerja.reports.selectors import Cell, NationalCell

HIDDEN_TEXT = "<5"


@dataclass
class Table:
    name: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    numeric_from: int = 1  # columns from this index on are right-aligned


@dataclass(frozen=True)
class Link:
    text: str
    url: str

    def __str__(self):
        return self.text


def plain(value):
    """A cell as the exports write it."""
    if isinstance(value, Link):
        return value.text
    if isinstance(value, Cell):
        if value.suppressed:
            return HIDDEN_TEXT
        value = value.value
    if isinstance(value, NationalCell):
        value = value.value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if value is None:
        return ""
    return value if isinstance(value, (int, float)) else str(value)


# --- labels ---------------------------------------------------------------------------------------
def key_label(section: str, breakdown: str, key: str) -> str:
    if section == "indicator":
        return str(BY_KEY[key].label) if key in BY_KEY else key
    if section == "predicates" and key in Predicate.values:
        return str(Predicate(key).label)
    if section == "headcount":
        choices = {"employee_type": EmployeeType, "position_kind": PositionKind, "unit_type": UnitType}.get(breakdown)
        if choices is not None and key in choices.values:
            return str(choices(key).label)
        if breakdown == "position_class":
            return _("Class %(class)s") % {"class": int(key)}
    if section == "tpp" and key.isdecimal():
        return _("Class %(class)s") % {"class": int(key)}
    return KEY_LABELS.get(key, key)


KEY_LABELS = {
    "employees": gettext_lazy("Employees"), "rated": gettext_lazy("Rated"), "units_rated": gettext_lazy("Units rated"),
    "units_checked": gettext_lazy("Units with 5 or more rated"), "units_ok": gettext_lazy("Units keeping the curve"),
    "units_breaking": gettext_lazy("Units breaking the curve"), "meeting_20jp": gettext_lazy("At least 20 JP"),
    "below_20jp": gettext_lazy("Below 20 JP"), "jp_total": gettext_lazy("JP in total"),
    "jp_per_employee": gettext_lazy("JP per employee"), "jp_median": gettext_lazy("Median JP"),
    "openings": gettext_lazy("Openings"), "posts": gettext_lazy("Posts"), "applications": pgettext_lazy("job applications", "Applications"),
    "passed_administrative": gettext_lazy("Passed the administrative check"),
    "passed_scored": gettext_lazy("Passed a scored stage"), "selected": gettext_lazy("Selected"),
    "hired": gettext_lazy("Hired"), "total": gettext_lazy("Total (Rp)"), "median": gettext_lazy("Median (Rp)"),
    "p25": gettext_lazy("25th percentile (Rp)"), "p75": gettext_lazy("75th percentile (Rp)"),
}

BREAKDOWN_LABELS = {
    "total": gettext_lazy("Total"), "all": gettext_lazy("All"), "employees": gettext_lazy("Employees"),
    "employee_type": gettext_lazy("Employee type"), "position_kind": gettext_lazy("Position kind"),
    "unit_type": gettext_lazy("Unit type"), "position_class": gettext_lazy("Position class"),
    "golongan": "Golongan",
}


def breakdown_label(breakdown: str) -> str:
    """"Employee type" for employee_type; a year or an opening kind (CPNS, PPPK) as it is."""
    if breakdown in BREAKDOWN_LABELS:
        return str(BREAKDOWN_LABELS[breakdown])
    return breakdown.upper() if breakdown.isalpha() and len(breakdown) <= 5 else breakdown.replace("_", " ")


SECTION_TITLES = {
    "headcount": gettext_lazy("Headcount"), "predicates": gettext_lazy("Predicate distribution"),
    "curve": gettext_lazy("Distribution curve"), "tpp": gettext_lazy("TPP"), "training": gettext_lazy("Training"),
    "recruitment": gettext_lazy("Recruitment"), "freshness": gettext_lazy("Days since the last change"),
    "indicator": gettext_lazy("Key indicators"),
}
MODULE_TITLES = {
    "people": gettext_lazy("People"), "appraisal": gettext_lazy("Appraisal"), "pay": gettext_lazy("Pay (TPP)"),
    "training": gettext_lazy("Training"), "recruitment": gettext_lazy("Recruitment"),
    "freshness": gettext_lazy("Data freshness"),
}


# --- national views -------------------------------------------------------------------------------
def _region_link(region) -> Link:
    from django.urls import reverse

    return Link(region.name, reverse("bkn:region", args=[region.schema_name]))


def regions_table(rows: list[selectors.RegionRow], medians: dict, *, with_median: bool = True) -> Table:
    table = Table("regions", _("Regions"), [_("Region"), _("Province"), _("Kind"), _("Snapshot taken")]
                  + [str(indicator.label) for indicator in INDICATORS], numeric_from=4)
    for row in rows:
        table.rows.append([_region_link(row.region), row.region.province, row.region.get_kind_display(),
                           row.snapshot.taken_at if row.snapshot else _("no snapshot yet")]
                          + [row.indicators.get(indicator.key) for indicator in INDICATORS])
    if with_median:
        table.rows.append([_("National median"), "", "", ""] + [medians.get(i.key) for i in INDICATORS])
    return table


def national_breakdown_table(name: str, title: str, sums: dict, section: str, breakdowns: list[str]) -> Table:
    table = Table(name, title, [_("Breakdown"), _("Group"), _("Total"), _("Regions showing it"),
                                _("Regions hiding it (<5)")], numeric_from=2)
    for breakdown in breakdowns:
        for key, cell in selectors.breakdown(sums, section, breakdown):
            table.rows.append([breakdown_label(breakdown), key_label(section, breakdown, key), cell.value,
                               cell.regions, cell.hidden_in])
    return table


def overview_tables(data: dict, rows: list[selectors.RegionRow]) -> list[Table]:
    sums = data["sums"]
    tables = [regions_table(rows, data["medians"])]
    tables.append(national_breakdown_table("headcount", _("Headcount"), sums, "headcount",
                                           ["total", "employee_type", "position_kind", "unit_type", "position_class",
                                            "golongan"]))
    if data["latest_year"]:
        tables.append(national_breakdown_table("predicates", _("Annual predicates %(year)s") % {
            "year": data["latest_year"]}, sums, "predicates", [data["latest_year"]]))
    tables.append(national_breakdown_table("tpp", _("TPP per position class"), sums, "tpp", ["employees", "total"]))
    training_years = sorted({b for (s, b, _k) in sums if s == "training"})
    tables.append(national_breakdown_table("training", _("Training"), sums, "training", training_years))
    kinds = sorted({b for (s, b, _k) in sums if s == "recruitment"})
    tables.append(national_breakdown_table("recruitment", _("Recruitment funnel per opening kind"), sums,
                                           "recruitment", kinds))
    provinces = Table("provinces", _("Headcount by province"), [_("Province"), _("Serving staff"),
                                                                 _("Regions reporting")])
    provinces.rows = [[province, total, regions] for province, total, regions in data["by_province"]]
    tables.append(provinces)
    return tables


def compare_tables(rows: list[selectors.RegionRow], medians: dict) -> list[Table]:
    table = Table("indicators", _("Indicators side by side"), [_("Indicator")] + [r.region.name for r in rows]
                  + [_("National median")])
    for indicator in INDICATORS:
        table.rows.append([str(indicator.label)] + [r.indicators.get(indicator.key) for r in rows]
                          + [medians.get(indicator.key)])
    return [table]


def trend_tables(trends: dict) -> list[Table]:
    table = Table("trends", _("Predicates by period (share of rated, %)"),
                  [_("Period"), _("Rated"), _("Regions")] + [str(label) for label in Predicate.labels])
    for period, entry in trends.items():
        rated = entry["rated"]
        table.rows.append([period, rated, entry["regions"]] + [
            (entry["counts"][p] * 100 / rated).quantize(Decimal("0.1")) if rated else None for p in Predicate.values])
    return [table]


# --- one region -----------------------------------------------------------------------------------
def region_tables(region, snapshot, cells: dict, medians: dict) -> list[Table]:
    indicators = Table("indicators", _("Key indicators"), [_("Indicator"), region.name, _("National median")])
    for indicator in INDICATORS:
        indicators.rows.append([str(indicator.label), cells.get("indicator", {}).get("", {}).get(indicator.key),
                                medians.get(indicator.key)])
    figures = Table("figures", _("All figures"), [_("Section"), _("Breakdown"), _("Group"), _("Value")],
                    numeric_from=3)
    for section in ("headcount", "predicates", "curve", "tpp", "training", "recruitment", "freshness"):
        for name in sorted(cells.get(section, {})):
            for key, cell in sorted(cells[section][name].items()):
                figures.rows.append([str(SECTION_TITLES[section]), breakdown_label(name),
                                     key_label(section, name, key), cell])
    curve = Table("curve", _("Distribution curve per rated unit"),
                  [_("Year"), _("Unit"), _("Organisation rating"), _("Rated staff"), _("Kept the curve")],
                  numeric_from=3)
    for unit in (snapshot.details.get("curve_units", []) if snapshot else []):
        curve.rows.append([unit["year"], unit["unit"], unit["rating"],
                           Cell(None, True) if unit["suppressed"] else Cell(Decimal(unit["rated"])),
                           HIDDEN_TEXT if unit["suppressed"] else (_("yes") if unit["ok"] else
                                                                   (_("no") if unit["ok"] is False else "—"))])
    availability = Table("availability", _("Modules read"), [_("Module"), _("Available"), _("Last change")],
                         numeric_from=9)
    last_change = snapshot.details.get("last_change", {}) if snapshot else {}
    for module, state in (snapshot.sections.items() if snapshot else []):
        availability.rows.append([str(MODULE_TITLES.get(module, module)),
                                  _("yes") if state.get("available") else _("not available"),
                                  formats.date_time(last_change[module]) if last_change.get(module) else ""])
    return [indicators, figures, curve, availability]


def runs_tables(runs) -> list[Table]:
    table = Table("runs", _("Refresh runs"), [_("Run"), _("Trigger"), _("Status"), _("Started"), _("Finished"),
                                              _("Regions"), _("Done"), _("Failed"), _("Waiting")], numeric_from=5)
    for run in runs:
        table.rows.append([run.pk, run.get_trigger_display(), run.get_status_display(), run.started_at,
                           run.finished_at, run.total, run.done, run.failed, run.waiting])
    return [table]
