"""The region's own report page: its snapshot (aggregates, as BKN sees them) next to the national medians."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.reports import exports, selectors, services, tables
from kinerja.reports.views import _region_charts


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _own():
    region = selectors.own_region()
    snapshot = selectors.current_snapshot(region)
    cells = selectors.snapshot_cells(snapshot)
    medians = selectors.national_medians()
    return region, snapshot, cells, medians


@login_required
def region_report(request):
    _require(selectors.can_read_own_region(request.user))
    region, snapshot, cells, medians = _own()
    return render(request, "reports/region_detail.html", {
        **_region_charts(region, cells, medians), "region": region, "snapshot": snapshot, "national": False,
        "tables": tables.region_tables(region, snapshot, cells, medians),
        "history": selectors.headcount_history(region),
        "can_request_refresh": selectors.can_request_region_refresh(request.user),
        "export_base": reverse("reports:export", args=["x"])[:-2],
    })


@login_required
def region_export(request, fmt):
    _require(selectors.can_read_own_region(request.user))
    region, snapshot, cells, medians = _own()
    return exports.response(tables.region_tables(region, snapshot, cells, medians), fmt,
                            f"kinerja-{region.schema_name}", request.GET.get("table", ""))


@login_required
@require_POST
def request_refresh(request):
    _require(selectors.can_request_region_refresh(request.user))
    run = services.request_region_refresh(selectors.own_region().schema_name)
    messages.success(request, _("The snapshot will be refreshed shortly.") if run else
                     _("A refresh of this region is already waiting to start."))
    return redirect("reports:region")
