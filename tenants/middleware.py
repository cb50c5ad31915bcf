"""Per-request region context: the region's own time zone, and the door closed on suspended or
archived regions (pages say so plainly, the API answers 403 with the reason)."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tenants.models import RegionStatus


class RegionContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        region = getattr(request, "tenant", None)
        if region is None or region.is_platform:
            timezone.deactivate()
            return self.get_response(request)
        timezone.activate(region.time_zone)
        if region.status in (RegionStatus.SUSPENDED, RegionStatus.ARCHIVED) and not self._stays_open(request, region):
            return self._closed(request, region)
        return self.get_response(request)

    @staticmethod
    def _stays_open(request, region) -> bool:
        """A suspended region keeps sign-in and billing open so its HR admin can pay; the billing
        views admit only that role."""
        if request.path.startswith("/static/"):
            return True
        return region.status == RegionStatus.SUSPENDED and request.path.startswith(("/accounts/", "/billing/"))

    @staticmethod
    def _closed(request, region):
        if region.status == RegionStatus.SUSPENDED:
            message = _("The region %(name)s is suspended: %(reason)s") % {
                "name": region.name, "reason": region.status_reason or _("no reason given")}
        else:
            message = _("The region %(name)s is archived and no longer in service.") % {"name": region.name}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "region_status": region.status}, status=403)
        return render(request, "web/region_closed.html", {"region": region, "message": message}, status=403)
