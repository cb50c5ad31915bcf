"""BKN pages on the public site: national overview, a region's aggregates, comparisons, trends, exports
and (for operators) the refresh runs. Access is decided by the selectors; views read the request, ask the
selectors and tables, and render."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from kinerja.appraisal.models import Predicate
from kinerja.region.facts import RegionKind
from kinerja import charts
from kinerja.reports import exports, selectors, services, tables
from kinerja.reports.indicators import BY_KEY, INDICATORS
from kinerja.reports.models import RefreshRun
from kinerja.reports.selectors import Filters

REGIONS_PER_PAGE = 50
KINDS = [(k.value, k.label) for k in (RegionKind.REGENCY, RegionKind.CITY, RegionKind.PROVINCE)]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _base_context(request, filters=None) -> dict:
    filters = filters or selectors.Filters()
    return {"filters": filters, "filters_query": filters.as_query(), "provinces": selectors.provinces(),
            "kinds": KINDS, "can_manage_refresh": selectors.can_manage_refresh(request.user)}


def _sorted_rows(rows, sort: str):
    if sort not in BY_KEY:
        return rows
    present = [r for r in rows if (c := r.indicators.get(sort)) is not None and c.shown]
    rest = [r for r in rows if r not in present]
    return sorted(present, key=lambda r: r.indicators[sort].value, reverse=True) + rest


def _overview_data(request):
    filters = selectors.Filters.from_params(request.GET)
    data = selectors.overview(filters)
    rows = _sorted_rows(selectors.region_rows(filters), request.GET.get("sort", ""))
    return filters, data, rows


@login_required
def overview(request):
    _require(selectors.can_read_national(request.user))
    filters, data, rows = _overview_data(request)
    page = Paginator(rows, REGIONS_PER_PAGE).get_page(request.GET.get("page"))
    view_tables = tables.overview_tables(data, list(page.object_list))

    latest = data["latest_year"]
    sums = data["sums"]
    predicate_chart = charts.stacked_bars(
        _("Annual predicates %(year)s") % {"year": latest},
        [(latest, {p: sums[("predicates", latest, p)].value for p in Predicate.values
                   if ("predicates", latest, p) in sums})],
        [(p.value, p.label) for p in Predicate]) if latest else ""
    province_chart = charts.bar_chart(_("Serving staff by province"),
                                      [(province, total) for province, total, _n in data["by_province"]],
                                      axis=_("People serving"))
    return render(request, "reports/bkn_overview.html", {
        **_base_context(request, filters), "data": data, "page": page, "tables": view_tables,
        "predicate_chart": predicate_chart, "province_chart": province_chart, "indicators": INDICATORS,
        "sort": request.GET.get("sort", ""), "export_base": reverse("bkn:export", args=["overview", "x"])[:-2],
    })


@login_required
def region_detail(request, slug):
    _require(selectors.can_read_national(request.user))
    region = selectors.region_for_slug(slug)
    if region is None:
        raise Http404
    snapshot = selectors.current_snapshot(region)
    cells = selectors.snapshot_cells(snapshot)
    medians = selectors.national_medians()
    return render(request, "reports/region_detail.html", {
        **_base_context(request), **_region_charts(region, cells, medians), "region": region, "snapshot": snapshot,
        "tables": tables.region_tables(region, snapshot, cells, medians), "national": True,
        "export_base": reverse("bkn:region-export", args=[slug, "x"])[:-2],
    })


def _region_charts(region, cells: dict, medians: dict) -> dict:
    """Charts of one region's snapshot, shared by the BKN drill-down and the region's own page."""
    headcount = cells.get("headcount", {})
    periods = sorted(cells.get("predicates", {}), key=lambda p: (p[:4], len(p) == 4, p))
    shown = [p for p in periods if not cells["predicates"][p]["rated"].suppressed]
    return {
        "unit_type_chart": charts.bar_chart(_("Serving staff by unit type"), [
            (tables.key_label("headcount", "unit_type", k), None if c.suppressed else c.value)
            for k, c in sorted(headcount.get("unit_type", {}).items())], axis=_("People serving")),
        "class_chart": charts.bar_chart(_("Serving staff by position class"), [
            (tables.key_label("headcount", "position_class", k), None if c.suppressed else c.value)
            for k, c in sorted(headcount.get("position_class", {}).items())], axis=_("People serving")),
        "period_chart": charts.stacked_bars(_("Predicates by period"), [
            (p, {k: c.value for k, c in cells["predicates"][p].items() if k != "rated" and c.shown}) for p in shown],
            [(p.value, p.label) for p in Predicate]),
    }


@login_required
def compare(request):
    _require(selectors.can_read_national(request.user))
    slugs = [s for s in request.GET.getlist("region") if s]
    rows = selectors.compare(slugs) if slugs else []
    medians = selectors.national_medians()
    bar_charts = []
    for indicator in INDICATORS:
        values = [(r.region.name, r.indicators[indicator.key].value if indicator.key in r.indicators and
                   r.indicators[indicator.key].shown else None) for r in rows]
        if any(v is not None for _n, v in values):
            marker = (_("National median"), medians[indicator.key]) if indicator.key in medians else None
            bar_charts.append(charts.bar_chart(str(indicator.label), values, marker=marker,
                                               axis=str(AXIS_TITLES.get(indicator.unit, indicator.label))))

    return render(request, "reports/compare.html", {
        **_base_context(request), "rows": rows, "selected": slugs, "charts": bar_charts,
        "all_regions": Filters().regions().order_by("name").only("schema_name", "name", "province"),
        "tables": tables.compare_tables(rows, medians) if rows else [],
        "export_query": "&".join(f"region={s}" for s in slugs),
        "export_base": reverse("bkn:export", args=["compare", "x"])[:-2],
    })


# what a comparison chart's bars measure, by the indicator's unit
AXIS_TITLES = {"people": _lazy("People serving"), "percent": _lazy("Percent"), "rupiah": _lazy("Rupiah"),
               "jp": _lazy("Lesson hours (JP) per employee"), "ratio": _lazy("Ratio")}


def trend_title(labels: list[str]) -> str:
    if not labels:
        return _("Share of each predicate by period")
    return _("Share of each predicate by period, %(first)s to %(last)s") % {"first": labels[0], "last": labels[-1]}


@login_required
def trends(request):
    _require(selectors.can_read_national(request.user))

    filters = selectors.Filters.from_params(request.GET)
    trend = selectors.predicate_trends(filters)
    labels = list(trend)
    series = [(p.value, p.label, [(trend[t]["counts"][p.value] * 100 / trend[t]["rated"]) if trend[t]["rated"] else None
                                  for t in labels]) for p in Predicate]
    return render(request, "reports/trends.html", {
        **_base_context(request, filters), "tables": tables.trend_tables(trend),
        "chart": charts.line_chart(trend_title(labels), labels, series, x_title=_("Appraisal period"),
                                   y_title=_("Share of those rated (%)")),
        "export_query": filters.as_query(), "export_base": reverse("bkn:export", args=["trends", "x"])[:-2],
    })


def _view_tables(request, view: str) -> tuple[list, str]:
    if view == "overview":
        filters, data, rows = _overview_data(request)
        return tables.overview_tables(data, rows), "kinerja-national-overview"
    if view == "compare":
        return tables.compare_tables(selectors.compare(request.GET.getlist("region")), selectors.national_medians()), \
            "kinerja-region-comparison"
    if view == "trends":
        return tables.trend_tables(selectors.predicate_trends(selectors.Filters.from_params(request.GET))), \
            "kinerja-predicate-trends"
    if view == "runs":
        _require(selectors.can_manage_refresh(request.user))
        return tables.runs_tables(selectors.refresh_runs()[:200]), "kinerja-refresh-runs"
    raise Http404


@login_required
def export(request, view, fmt):
    _require(selectors.can_read_national(request.user))
    view_tables, filename = _view_tables(request, view)
    return exports.response(view_tables, fmt, filename, request.GET.get("table", ""))


@login_required
def region_export(request, slug, fmt):
    _require(selectors.can_read_national(request.user))
    region = selectors.region_for_slug(slug)
    if region is None:
        raise Http404
    snapshot = selectors.current_snapshot(region)
    view_tables = tables.region_tables(region, snapshot, selectors.snapshot_cells(snapshot), selectors.national_medians())
    return exports.response(view_tables, fmt, f"kinerja-{slug}", request.GET.get("table", ""))


# --- refresh runs (operator) ----------------------------------------------------------------------
@login_required
def runs(request):
    _require(selectors.can_manage_refresh(request.user))
    if request.method == "POST":
        run = services.start_refresh(actor=request.user)
        messages.success(request, _("Refresh #%(run)s started.") % {"run": run.pk})
        return redirect("bkn:run-detail", pk=run.pk)
    page = Paginator(selectors.refresh_runs(), 25).get_page(request.GET.get("page"))
    return render(request, "reports/runs.html", {**_base_context(request), "page": page,
                                                 "export_base": reverse("bkn:export", args=["runs", "x"])[:-2]})


@login_required
def run_detail(request, pk):
    _require(selectors.can_manage_refresh(request.user))
    run = get_object_or_404(selectors.refresh_runs(), pk=pk)
    return render(request, "reports/run_detail.html", {**_base_context(request), "run": run,
                                                       "parts": selectors.run_parts(run)})


@login_required
@require_POST
def run_resume(request, pk):
    _require(selectors.can_manage_refresh(request.user))
    run = get_object_or_404(RefreshRun, pk=pk)
    sent = services.resume_run(run)
    messages.success(request, _("%(count)s regions sent again.") % {"count": sent})
    return redirect("bkn:run-detail", pk=run.pk)
