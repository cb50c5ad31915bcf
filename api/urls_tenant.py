"""The region API (/api/v1/ on a region's host). Each module registers its viewsets in its own
`register(router)` function, so adding a module is one line here."""
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import (
    accounts,
    appraisal,
    bank_accounts,
    notifications,
    pay,
    people,
    plugins,
    recruitment,
    reports,
    training,
)
from api.routers import Router

router = Router()
for module in (people, plugins, appraisal, pay, recruitment, training, reports, accounts, notifications, bank_accounts):
    module.register(router)

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(urlconf="api.urls_tenant"), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
