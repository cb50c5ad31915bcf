"""URLs of a region's site (<region>.<base domain>)."""
from django.urls import include, path

from kinerja.urls_common import common_urlpatterns

urlpatterns = common_urlpatterns + [
    path("people/", include("kinerja.people.urls")),
    path("plugins/", include("kinerja.plugins.urls")),
    path("appraisal/", include("kinerja.appraisal.urls")),
    path("billing/", include("tenants.billing.urls_region")),
    path("pay/", include("kinerja.pay.urls")),
    path("recruitment/", include("kinerja.recruitment.urls")),
    path("jobs/", include("kinerja.recruitment.urls_portal")),
    path("training/", include("kinerja.training.urls")),
    path("reports/", include("kinerja.reports.urls")),
    path("api/v1/", include("api.urls_tenant")),
    path("logins/", include("kinerja.logins.urls")),
    path("notifications/", include("kinerja.notifications.urls")),
]
