from django.urls import path

from kinerja.recruitment import views_portal as views

app_name = "jobs"
urlpatterns = [
    path("", views.opening_list, name="opening-list"),
    path("register/", views.register, name="register"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("me/", views.my_applications, name="me"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("documents/<int:pk>/", views.document_download, name="document"),
    path("<slug:code>/", views.opening_detail, name="opening-detail"),
    path("<slug:code>/apply/", views.apply, name="apply"),
    path("<slug:code>/results/<int:stage_id>/", views.stage_results, name="stage-results"),
]
