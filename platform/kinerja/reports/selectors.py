"""Reading the snapshots, and who may. Every page and endpoint of this app asks here.

Public site: BKN analysts and platform operators read national figures and any region's aggregates;
only operators see and steer refresh runs. Region site: the region's HR admins and leadership see their
own region's snapshot next to the national medians. Nothing here reads a region's own schema."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import QuerySet

from kinerja.accounts.capabilities import has
from kinerja.appraisal.models import Predicate
from kinerja.region.facts import RegionKind, all_regions, region_model
from kinerja.reports.models import (
    RefreshRun,
    RegionRefresh,
    RegionSnapshot,
    SnapshotFigure,
)
from kinerja.reports.models import RegionRefreshStatus as S

if TYPE_CHECKING:
    from tenants.models import Region

def _on_public_schema() -> bool:
    return connection.schema_name == "public"


def can_read_national(user) -> bool:
    return has(user, "reports.national.read") and _on_public_schema()


def can_manage_refresh(user) -> bool:
    return has(user, "reports.refresh.manage") and _on_public_schema()


def can_read_own_region(user) -> bool:
    return has(user, "reports.region.read") and not _on_public_schema()


def can_request_region_refresh(user) -> bool:
    return has(user, "reports.region.refresh") and not _on_public_schema()


# --- filters --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Filters:
    province: str = ""
    kind: str = ""

    @classmethod
    def from_params(cls, params) -> "Filters":
        kind = params.get("kind", "")
        return cls(province=params.get("province", "").strip()[:80],
                   kind=kind if kind in (RegionKind.REGENCY, RegionKind.CITY, RegionKind.PROVINCE) else "")

    def as_query(self) -> str:
        from urllib.parse import urlencode

        return urlencode({k: v for k, v in (("province", self.province), ("kind", self.kind)) if v})

    def regions(self) -> QuerySet[Region]:
        regions = all_regions()
        if self.province:
            regions = regions.filter(province=self.province)
        if self.kind:
            regions = regions.filter(kind=self.kind)
        return regions


def provinces() -> list[str]:
    return list(all_regions().exclude(province="").order_by("province")
                .values_list("province", flat=True).distinct())


def current_snapshots(filters: Filters = Filters()) -> QuerySet[RegionSnapshot]:
    return RegionSnapshot.objects.filter(is_current=True, region__in=filters.regions())


# --- cells ----------------------------------------------------------------------------------------
@dataclass
class Cell:
    """A figure as pages show it: a value, or hidden ("<5")."""

    value: Decimal | None
    suppressed: bool = False

    @property
    def shown(self) -> bool:
        return self.value is not None and not self.suppressed


@dataclass
class NationalCell:
    """A figure summed over regions: the total of the regions that show it, and how many regions hid it."""

    value: Decimal = Decimal(0)
    regions: int = 0
    hidden_in: int = 0


NATIONAL_FIGURES_SQL = """
WITH current_snapshot (id, province) AS ({current}),
signature AS (
    SELECT COALESCE(md5(string_agg(id::text || ':' || province, ',' ORDER BY id)), '') AS value FROM current_snapshot
),
stored AS (
    SELECT r.data FROM reports_nationalrollup r, signature WHERE r.filters = %s AND r.signature = signature.value
),
computed AS (
    SELECT jsonb_build_object(
        'sums', (SELECT COALESCE(jsonb_agg(jsonb_build_array(section, breakdown, key, total, shown, hidden)), '[]')
                 FROM (SELECT section, breakdown, key, SUM(value) AS total,
                              COUNT(*) FILTER (WHERE NOT suppressed) AS shown, COUNT(*) FILTER (WHERE suppressed) AS hidden
                       FROM reports_snapshotfigure
                       WHERE kind IN ('count', 'amount', 'tally') AND snapshot_id IN (SELECT id FROM current_snapshot)
                       GROUP BY section, breakdown, key) sums),
        'medians', (SELECT COALESCE(jsonb_object_agg(key, median), '{{}}')
                    FROM (SELECT key, percentile_cont(0.5) WITHIN GROUP (ORDER BY value) AS median
                          FROM reports_snapshotfigure
                          WHERE section = 'indicator' AND NOT suppressed AND value IS NOT NULL
                                AND snapshot_id IN (SELECT id FROM current_snapshot)
                          GROUP BY key) medians),
        'by_province', (SELECT COALESCE(jsonb_agg(jsonb_build_array(province, total, regions) ORDER BY province), '[]')
                        FROM (SELECT c.province, SUM(f.value) AS total, COUNT(*) AS regions
                              FROM reports_snapshotfigure f JOIN current_snapshot c ON c.id = f.snapshot_id
                              WHERE f.section = 'headcount' AND f.breakdown = 'total' AND f.key = 'employees'
                                    AND NOT f.suppressed
                              GROUP BY c.province) provinces)
    ) AS data
    WHERE NOT EXISTS (SELECT 1 FROM stored)
),
saved AS (
    INSERT INTO reports_nationalrollup (filters, signature, computed_at, data)
    SELECT %s, signature.value, now(), computed.data FROM computed, signature
    ON CONFLICT (filters) DO UPDATE
    SET signature = EXCLUDED.signature, computed_at = EXCLUDED.computed_at, data = EXCLUDED.data
)
SELECT data FROM stored UNION ALL SELECT data FROM computed
"""


def national_figures(filters: Filters = Filters()) -> dict:
    """Sums, indicator medians and headcount by province over the current snapshots of the filtered
    regions, in one query whatever the number of regions. Aggregating every region's figures takes
    hundreds of milliseconds at national scale, so the result is kept (NationalRollup) with the signature
    of the snapshots it was computed from; the same query returns the kept result while the signature
    holds, and otherwise computes, stores and returns a new one."""
    import json

    current, params = current_snapshots(filters).order_by().values("id", "region__province").query.sql_with_params()
    key = filters.as_query()
    with connection.cursor() as cursor:
        cursor.execute(NATIONAL_FIGURES_SQL.format(current=current), [*params, key, key])
        (data,) = cursor.fetchone()
    if isinstance(data, str):  # a raw cursor hands jsonb over undecoded
        data = json.loads(data, parse_float=Decimal)
    return {
        "sums": {(section, name, k): NationalCell(Decimal(str(total)) if total is not None else Decimal(0), shown,
                                                  hidden)
                 for section, name, k, total, shown, hidden in data["sums"]},
        "medians": {k: Decimal(str(median)).quantize(Decimal("0.01")) for k, median in data["medians"].items()},
        "by_province": [(province or "—", Decimal(str(total)), regions)
                        for province, total, regions in data["by_province"]],
    }


def national_sums(filters: Filters = Filters(), sections: tuple[str, ...] = ()) -> dict[tuple, NationalCell]:
    """Counts, rupiah sums and tallies summed over the current snapshots."""
    sums = national_figures(filters)["sums"]
    if sections:
        return {cell: value for cell, value in sums.items() if cell[0] in sections}
    return sums


def national_medians(filters: Filters = Filters()) -> dict[str, Decimal]:
    """For each indicator, the median over the regions that show it."""
    return national_figures(filters)["medians"]


@dataclass
class RegionRow:
    region: Region
    snapshot: RegionSnapshot | None
    indicators: dict[str, Cell] = field(default_factory=dict)


def region_rows(filters: Filters = Filters(), regions: QuerySet[Region] | None = None) -> list[RegionRow]:
    """Every region (or the given ones) with its current snapshot's indicators: three queries. Only the
    columns the tables and the API show are read: at national scale this builds over a thousand objects."""
    regions = (filters.regions() if regions is None else regions).only(*ROW_REGION_FIELDS)
    current = RegionSnapshot.objects.filter(is_current=True, region__in=regions.order_by().values("id"))
    region_list = list(regions.order_by("province", "name"))
    snapshots = {s.region_id: s for s in current.only("id", "region_id", "taken_at")}
    rows = {region.pk: RegionRow(region, snapshots.get(region.pk)) for region in region_list}
    by_snapshot = {s.pk: rows[s.region_id] for s in snapshots.values() if s.region_id in rows}
    for snapshot_id, key, value, suppressed in (SnapshotFigure.objects.filter(
            snapshot__in=current.values("id"), section="indicator").values_list("snapshot_id", "key", "value",
                                                                                 "suppressed")):
        if snapshot_id in by_snapshot:
            by_snapshot[snapshot_id].indicators[key] = Cell(value, suppressed)
    return list(rows.values())


ROW_REGION_FIELDS = ("id", "schema_name", "name", "province", "kind", "region_code", "status")


def headcount_by_province(filters: Filters = Filters()) -> list[tuple[str, Decimal, int]]:
    return national_figures(filters)["by_province"]


def overview(filters: Filters = Filters()) -> dict:
    """The national overview: reporting regions, headcount and its breakdowns, predicate distribution of
    the latest year, TPP, training and recruitment totals, and the indicators' medians."""
    from django.db.models import Count, Max, Min, Q

    regions = filters.regions().aggregate(
        total=Count("id", distinct=True),
        reporting=Count("report_snapshots", filter=Q(report_snapshots__is_current=True)))
    freshness = current_snapshots(filters).aggregate(oldest=Min("taken_at"), newest=Max("taken_at"))
    national = national_figures(filters)
    sums = national["sums"]
    years = sorted({b for (s, b, _k) in sums if s == "predicates" and b.isdecimal()})
    latest_year = years[-1] if years else None
    return {
        "regions": regions, "freshness": freshness, "sums": sums, "latest_year": latest_year,
        "medians": national["medians"], "by_province": national["by_province"],
    }


def breakdown(sums: dict[tuple, NationalCell], section: str, name: str) -> list[tuple[str, NationalCell]]:
    return sorted(((k, cell) for (s, b, k), cell in sums.items() if s == section and b == name), key=lambda kv: kv[0])


# --- one region -----------------------------------------------------------------------------------
def current_snapshot(region: Region) -> RegionSnapshot | None:
    return RegionSnapshot.objects.filter(region=region, is_current=True).first()


def snapshot_cells(snapshot: RegionSnapshot | None) -> dict[str, dict[str, dict[str, Cell]]]:
    """{section: {breakdown: {key: Cell}}} of one snapshot: one query."""
    cells: dict = defaultdict(lambda: defaultdict(dict))
    if snapshot is None:
        return {}
    for section, name, key, value, suppressed in snapshot.figures.values_list(
            "section", "breakdown", "key", "value", "suppressed"):
        cells[section][name][key] = Cell(value, suppressed)
    return {section: dict(names) for section, names in cells.items()}


def region_for_slug(slug: str) -> Region | None:
    return all_regions().filter(schema_name=slug).first()


def own_region() -> Region:
    return region_model().objects.get(schema_name=connection.schema_name)


def headcount_history(region: Region) -> list[tuple[str, Decimal | None, bool]]:
    """The region's serving staff at each kept snapshot (one a month), oldest first."""
    rows = (SnapshotFigure.objects.filter(snapshot__region=region, section="headcount", breakdown="total",
                                          key="employees").order_by("snapshot__taken_at")
            .values_list("snapshot__taken_at", "value", "suppressed"))
    return [(taken_at.strftime("%Y-%m"), value, suppressed) for taken_at, value, suppressed in rows]


# --- comparisons and trends -----------------------------------------------------------------------
def compare(slugs: list[str]) -> list[RegionRow]:
    regions = all_regions().filter(schema_name__in=slugs[:12])
    return region_rows(regions=regions)


PERIOD_QUARTER_END_MONTHS = {"M03": "Q1", "M06": "Q2", "M09": "Q3", "M12": "Q4"}


def trend_key(period: str) -> str | None:
    """National trends line up quarters: a monthly region's rating at a quarter's last month stands for
    that quarter; its other months are left out. The annual rating keeps its year."""
    if period.isdecimal():
        return period
    year, _sep, part = period.partition("-")
    if part.startswith("Q"):
        return period
    quarter = PERIOD_QUARTER_END_MONTHS.get(part)
    return f"{year}-{quarter}" if quarter else None


def predicate_trends(filters: Filters = Filters()) -> dict[str, dict]:
    """{period: {"counts": {predicate: n}, "rated": n, "regions": n, "hidden": n}} nationally, periods in
    order (quarters before the year they belong to)."""
    sums = national_sums(filters, sections=("predicates",))
    periods: dict[str, dict] = {}
    for (section, period, key), cell in sums.items():
        normalised = trend_key(period)
        if normalised is None:
            continue
        entry = periods.setdefault(normalised, {"counts": {p: Decimal(0) for p in Predicate.values},
                                                "rated": Decimal(0), "regions": 0, "hidden": 0})
        if key == "rated":
            entry["rated"] += cell.value
            entry["regions"] += cell.regions
            entry["hidden"] += cell.hidden_in
        elif key in entry["counts"]:
            entry["counts"][key] += cell.value
    return dict(sorted(periods.items(), key=lambda kv: (kv[0][:4], len(kv[0]) == 4, kv[0])))


# --- refresh runs ---------------------------------------------------------------------------------
def refresh_runs() -> QuerySet[RefreshRun]:
    from django.db.models import Count, Q

    return RefreshRun.objects.annotate(
        total=Count("regions"), done=Count("regions", filter=Q(regions__status=S.DONE)),
        failed=Count("regions", filter=Q(regions__status=S.FAILED)),
        waiting=Count("regions", filter=Q(regions__status__in=(S.QUEUED, S.RUNNING, S.RETRYING))),
    ).order_by("-started_at", "-id")


def run_parts(run: RefreshRun) -> QuerySet[RegionRefresh]:
    return run.regions.select_related("region").order_by("status", "region__name")
