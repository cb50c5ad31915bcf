"""A banner on every page of a region whose payment is overdue, saying until when it stays open.

Added after the region middleware in settings.MIDDLEWARE:
    "tenants.billing.middleware.BillingBannerMiddleware",
It reads the billing account (one query) only for full HTML pages of a region's site."""
import re

from django.template.loader import render_to_string

from tenants.billing.selectors import billing_banner

MAIN_TAG = re.compile(rb"<main\b[^>]*>")


class BillingBannerMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        region = getattr(request, "tenant", None)
        if (region is None or region.is_platform or response.status_code != 200 or response.streaming
                or not response.get("Content-Type", "").startswith("text/html")):
            return response
        main = MAIN_TAG.search(response.content)
        if main is None:
            return response
        banner = billing_banner(region)
        if banner is None:
            return response
        html = render_to_string("billing/_banner.html", {"banner": banner, "region": region}, request=request)
        content = response.content
        response.content = content[:main.end()] + html.encode(response.charset) + content[main.end():]
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
