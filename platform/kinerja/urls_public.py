"""URLs of the platform's public site (the bare base domain)."""
from django.urls import include, path

from kinerja.urls_common import common_urlpatterns

urlpatterns = common_urlpatterns + [
    path("operator/", include("tenants.urls")),
    path("plugins/", include("kinerja.plugins.urls_public")),
    path("billing/", include("tenants.billing.urls")),
    path("bkn/", include("kinerja.reports.urls_public")),
    path("api/v1/", include("api.urls_public")),
]
