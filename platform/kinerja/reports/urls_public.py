from django.urls import path

from kinerja.reports import views

app_name = "bkn"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
    path("regions/<slug:slug>/export.<str:fmt>", views.region_export, name="region-export"),
    path("compare/", views.compare, name="compare"),
    path("trends/", views.trends, name="trends"),
    path("export/<str:view>.<str:fmt>", views.export, name="export"),
    path("refresh/", views.runs, name="runs"),
    path("refresh/<int:pk>/", views.run_detail, name="run-detail"),
    path("refresh/<int:pk>/resume/", views.run_resume, name="run-resume"),
]
