from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api import accounts, cluster, plugins, reports_public
from api.regions import RegionViewSet
from api.routers import Router

router = Router()
router.register("regions", RegionViewSet, basename="region")
reports_public.register(router)
cluster.register(router)
plugins.register_public(router)
accounts.register_public(router)

urlpatterns = [
    path("", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(urlconf="api.urls_public"), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
