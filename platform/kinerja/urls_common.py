"""URLs every host has: sign-in, language switch, admin, dashboard."""
from django.contrib import admin
from django.urls import include, path

from kinerja.web import views as web_views

common_urlpatterns = [
    path("", web_views.home, name="home"),
    path("dashboard/", web_views.dashboard, name="dashboard"),
    path("accounts/password_reset/", web_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", include("kinerja.audit.urls")),
    path("admin/", admin.site.urls),
    path("me/", include("kinerja.logins.urls_me")),
]
