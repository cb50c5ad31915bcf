"""URLs of a region's site (<region>.<base domain>)."""
from django.urls import include, path

from kinerja.urls_common import common_urlpatterns

urlpatterns = common_urlpatterns + [
    path("people/", include("kinerja.people.urls")),
    path("api/v1/", include("api.urls_tenant")),
]
