from django.urls import path

from kinerja.people import views

app_name = "people"
urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/export.xlsx", views.unit_export, name="unit-export"),
    path("positions/", views.position_list, name="position-list"),
    path("positions/<int:pk>/edit/", views.position_edit, name="position-edit"),
    path("employees/", views.employee_list, name="employee-list"),
    path("employees/export.xlsx", views.employee_export, name="employee-export"),
    path("employees/<int:pk>/", views.employee_detail, name="employee-detail"),
    path("employees/<int:pk>/edit/", views.employee_edit, name="employee-edit"),
    path("imports/", views.import_page, name="import"),
    path("imports/<int:pk>/", views.import_detail, name="import-detail"),
    path("imports/<int:pk>/apply/", views.import_apply, name="import-apply"),
    path("imports/<int:pk>/progress/", views.import_progress, name="import-progress"),
    path("imports/<int:pk>/discard/", views.import_discard, name="import-discard"),
    path("imports/template/<str:kind>.xlsx", views.import_template, name="import-template"),
    path("leave/", views.leave_page, name="leave"),
]
