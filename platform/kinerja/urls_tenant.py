"""URLs of a region's site (<region>.<base domain>)."""
from django.urls import include, path

from kinerja.urls_common import common_urlpatterns

urlpatterns = common_urlpatterns + [
    path("people/", include("kinerja.people.urls")),
    path("plugins/", include("kinerja.plugins.urls")),
    path("appraisal/", include("kinerja.appraisal.urls")),
    path("billing/", include("tenants.billing.urls_region")),
    path("api/v1/", include("api.urls_tenant")),
]
