"""Reports endpoint of the region API: the region's own snapshot (aggregates only) with the national
medians to compare against.

GET /api/v1/reports/   HR admins and leadership of the region"""
from kinerja.reports import selectors
from rest_framework import viewsets
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from api.reports_public import snapshot_data


class OwnRegionReader(BasePermission):
    message = "Only the region's HR admins and leadership read its report."

    def has_permission(self, request, view):
        return selectors.can_read_own_region(request.user)


class RegionSnapshotViewSet(viewsets.ViewSet):
    permission_classes = [OwnRegionReader]

    def list(self, request):
        region = selectors.own_region()
        return Response(snapshot_data(region, selectors.current_snapshot(region), selectors.national_medians()))


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("reports", RegionSnapshotViewSet, basename="report")
