from django.urls import path

from kinerja.training import views

app_name = "training"
urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("courses/<str:code>/", views.course_detail, name="course-detail"),
    path("sessions/", views.session_list, name="session-list"),
    path("sessions/<int:pk>/", views.session_detail, name="session-detail"),
    path("enrolments/", views.enrolment_list, name="enrolment-list"),
    path("enrolments/<int:pk>/", views.enrolment_detail, name="enrolment-detail"),
    path("enrolments/<int:pk>/certificate.pdf", views.certificate, name="certificate"),
    path("hours/", views.hours, name="hours"),
    path("hours/<int:employee_id>/", views.employee_hours, name="employee-hours"),
    path("compliance/", views.compliance, name="compliance"),
    path("budget/", views.budget, name="budget"),
    path("external/", views.external, name="external"),
    path("export/", views.export, name="export"),
]
