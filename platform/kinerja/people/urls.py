from django.urls import path

from kinerja.people import views

app_name = "people"
urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("employees/", views.employee_list, name="employee-list"),
    path("imports/", views.import_page, name="import"),
]
