from django.urls import path

from kinerja.reports import views_region

app_name = "reports"
urlpatterns = [
    path("", views_region.region_report, name="region"),
    path("export.<str:fmt>", views_region.region_export, name="export"),
    path("refresh/", views_region.request_refresh, name="refresh"),
]
