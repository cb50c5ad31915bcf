from django.urls import path

from tenants import views

app_name = "operator"
urlpatterns = [
    path("regions/", views.region_list, name="region-list"),
    path("regions/new/", views.region_onboard, name="region-onboard"),
    path("regions/<int:pk>/suspend/", views.region_suspend, name="region-suspend"),
    path("regions/<int:pk>/reactivate/", views.region_reactivate, name="region-reactivate"),
    path("regions/<int:pk>/archive/", views.region_archive, name="region-archive"),
    path("regions/<int:pk>/archive/export/", views.region_export, name="region-export"),
    path("regions/<int:pk>/archive/download/<str:token>/", views.region_archive_download,
         name="region-archive-download"),
    path("cluster/", views.cluster_page, name="cluster"),
    path("logins/", views.platform_login_list_page, name="logins"),
    path("logins/<int:pk>/", views.platform_login_detail, name="login-detail"),
    path("logins/<int:pk>/<str:action>/", views.platform_login_action, name="login-action"),
]
