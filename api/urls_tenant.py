"""The region API (/api/v1/ on a region's host). Each module registers its viewsets in its own
`register(router)` function, so adding a module is one line here."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from api import (
    appraisal,
    bank_accounts,
    pay,
    people,
    plugins,
    recruitment,
    reports,
    training,
)

router = DefaultRouter()
for module in (people, plugins, appraisal, pay, recruitment, training, reports, bank_accounts):
    module.register(router)

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(urlconf="api.urls_tenant"), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
