"""Cross-region report endpoints of the public API: the same data as the BKN pages, aggregates only.

GET  /api/v1/reports/overview/?province=&kind=    national sums, medians of the indicators, by province
GET  /api/v1/reports/regions/?province=&kind=     regions with their current indicators (paginated)
GET  /api/v1/reports/regions/<slug>/              one region's current snapshot: every figure
GET  /api/v1/reports/compare/?region=a&region=b   indicators of the chosen regions and the national median
GET  /api/v1/reports/trends/?province=&kind=      predicate counts per period, nationally
GET  /api/v1/reports/refresh-runs/                refresh runs with per-region progress (operators)
POST /api/v1/reports/refresh-runs/                start a refresh of every region (operators)
GET  /api/v1/reports/refresh-runs/<id>/           one run with every region's status

A hidden figure is {"value": null, "suppressed": true}: it was computed over fewer than 5 people."""
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from kinerja.reports import selectors, services
from rest_framework import status, viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from api.pagination import Pages


class NationalReader(BasePermission):
    message = "Only BKN analysts and platform operators read cross-region reports."

    def has_permission(self, request, view):
        return selectors.can_read_national(request.user)


class RefreshManager(BasePermission):
    message = "Only platform operators see and start refresh runs."

    def has_permission(self, request, view):
        return selectors.can_manage_refresh(request.user)


def cell(value) -> dict:
    if value is None:
        return {"value": None, "suppressed": False}
    return {"value": value.value if value.shown else None, "suppressed": value.suppressed}


def region_row(row: selectors.RegionRow) -> dict:
    region = row.region
    return {"slug": region.schema_name, "name": region.name, "province": region.province, "kind": region.kind,
            "region_code": region.region_code, "taken_at": row.snapshot.taken_at if row.snapshot else None,
            "indicators": {key: cell(value) for key, value in row.indicators.items()}}


def snapshot_data(region, snapshot, medians: dict) -> dict:
    cells = selectors.snapshot_cells(snapshot)
    return {
        "slug": region.schema_name, "name": region.name, "province": region.province, "kind": region.kind,
        "taken_at": snapshot.taken_at if snapshot else None,
        "sections": snapshot.sections if snapshot else {},
        "details": snapshot.details if snapshot else {},
        "figures": [{"section": section, "breakdown": name, "key": key, **cell(value)}
                    for section, names in cells.items() for name, keys in names.items() for key, value in keys.items()],
        "national_medians": medians,
    }


class OverviewViewSet(viewsets.ViewSet):
    permission_classes = [NationalReader]

    def list(self, request):
        data = selectors.overview(selectors.Filters.from_params(request.query_params))
        return Response({
            "regions": data["regions"], "snapshots": data["freshness"], "latest_year": data["latest_year"],
            "national": [{"section": s, "breakdown": b, "key": k, "value": c.value, "regions": c.regions,
                          "hidden_in": c.hidden_in} for (s, b, k), c in sorted(data["sums"].items())],
            "medians": data["medians"],
            "by_province": [{"province": p, "headcount": total, "regions": n} for p, total, n in data["by_province"]],
        })


class RegionReportViewSet(viewsets.ViewSet):
    permission_classes = [NationalReader]
    lookup_field = "slug"

    def list(self, request):
        rows = selectors.region_rows(selectors.Filters.from_params(request.query_params))
        paginator = Pages()
        page = paginator.paginate_queryset(rows, request, view=self)
        return paginator.get_paginated_response([region_row(row) for row in page])

    @extend_schema(parameters=[OpenApiParameter("slug", str, OpenApiParameter.PATH, description="the region's subdomain")])
    def retrieve(self, request, slug=None):
        region = selectors.region_for_slug(slug)
        if region is None:
            raise Http404
        return Response(snapshot_data(region, selectors.current_snapshot(region), selectors.national_medians()))


class CompareViewSet(viewsets.ViewSet):
    permission_classes = [NationalReader]

    def list(self, request):
        rows = selectors.compare(request.query_params.getlist("region"))
        return Response({"regions": [region_row(row) for row in rows], "national_medians": selectors.national_medians()})


class TrendViewSet(viewsets.ViewSet):
    permission_classes = [NationalReader]

    def list(self, request):
        trends = selectors.predicate_trends(selectors.Filters.from_params(request.query_params))
        return Response([{"period": period, **entry} for period, entry in trends.items()])


def run_data(run) -> dict:
    return {"id": run.pk, "trigger": run.trigger, "status": run.status, "requested_by": run.requested_by,
            "started_at": run.started_at, "finished_at": run.finished_at, "regions": run.total, "done": run.done,
            "failed": run.failed, "waiting": run.waiting}


class RefreshRunViewSet(viewsets.ViewSet):
    permission_classes = [RefreshManager]

    def list(self, request):
        paginator = Pages()
        page = paginator.paginate_queryset(selectors.refresh_runs(), request, view=self)
        return paginator.get_paginated_response([run_data(run) for run in page])

    @extend_schema(request=None)
    def create(self, request):
        run = services.start_refresh(actor=request.user)
        return Response(run_data(selectors.refresh_runs().get(pk=run.pk)), status=status.HTTP_201_CREATED)

    def retrieve(self, request, pk=None):
        run = selectors.refresh_runs().filter(pk=pk).first() if str(pk).isdecimal() else None
        if run is None:
            raise Http404
        parts = [{"region": part.region.schema_name, "status": part.status, "attempts": part.attempts,
                  "error": part.error, "started_at": part.started_at, "finished_at": part.finished_at,
                  "duration_ms": part.duration_ms} for part in selectors.run_parts(run)]
        return Response({**run_data(run), "parts": parts})


def register(router) -> None:
    """Register this module's viewsets on the public router."""
    router.register("reports/overview", OverviewViewSet, basename="report-overview")
    router.register("reports/regions", RegionReportViewSet, basename="report-region")
    router.register("reports/compare", CompareViewSet, basename="report-compare")
    router.register("reports/trends", TrendViewSet, basename="report-trends")
    router.register("reports/refresh-runs", RefreshRunViewSet, basename="report-refresh-run")
