from django.urls import path

from kinerja.plugins import views

app_name = "plugin_catalogue"
urlpatterns = [
    path("", views.catalogue_page, name="catalogue"),
    path("catalogue.json", views.catalogue_json, name="catalogue-json"),
    path("failures/", views.failure_list, name="failures"),
    path("failures/<int:pk>/", views.failure_detail, name="failure"),
]
