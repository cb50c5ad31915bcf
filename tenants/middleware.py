"""Per-request region context: the region's own time zone, the door closed on suspended or archived
regions (pages and the API answer 403; only the region's HR admins read why it is suspended), and a
short maintenance notice for changes sent while the region is being moved to another database node (503
with Retry-After): reads go on during a move, writes would only wait for it."""
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from kinerja.accounts.capabilities import has

from tenants.models import RegionStatus

MOVE_RETRY_AFTER_SECONDS = 60
READS = {"GET", "HEAD", "OPTIONS", "TRACE"}


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
        if region.moving_to and request.method not in READS and not request.path.startswith("/static/"):
            return self._moving(request, region)
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
        """Why a region is suspended is between it and the platform (an unpaid invoice, an audit): its HR
        admins read the reason; employees, applicants and the public read that it is unavailable."""
        status = region.status
        if status == RegionStatus.SUSPENDED and has(getattr(request, "user", None), "billing.region.manage"):
            message = _("The region %(name)s is suspended: %(reason)s") % {
                "name": region.name, "reason": region.status_reason or _("no reason given")}
        elif status == RegionStatus.SUSPENDED:
            status = "unavailable"
            message = _("%(name)s is not available at the moment. Your HR office knows why and when it comes "
                        "back.") % {"name": region.name}
        else:
            message = _("The region %(name)s is archived and no longer in service.") % {"name": region.name}
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message, "region_status": status}, status=403)
        return render(request, "web/region_closed.html", {"region": region, "message": message}, status=403)

    @staticmethod
    def _moving(request, region):
        message = _("The region %(name)s is being moved to another database server. Reading works as usual; "
                    "changes can be saved again in a minute or two.") % {"name": region.name}
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message, "region_status": "moving"}, status=503)
        else:
            response = render(request, "web/region_moving.html", {"region": region, "message": message}, status=503)
        response["Retry-After"] = str(MOVE_RETRY_AFTER_SECONDS)
        return response
