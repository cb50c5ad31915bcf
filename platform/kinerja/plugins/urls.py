from django.urls import path

from kinerja.plugins import views

app_name = "plugins"
urlpatterns = [
    path("", views.plugin_list, name="list"),
    path("<slug:name>/", views.plugin_detail, name="detail"),
    path("<slug:name>/enabled/", views.plugin_toggle, name="toggle"),
]
