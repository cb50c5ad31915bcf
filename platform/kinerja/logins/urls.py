from django.urls import path

from kinerja.logins import views

app_name = "logins"
urlpatterns = [
    path("", views.login_list, name="list"),
    path("create/<int:employee_pk>/", views.login_create, name="create"),
    path("create-many/", views.login_create_bulk, name="create-bulk"),
    path("spreadsheet/", views.login_spreadsheet, name="spreadsheet"),
    path("<int:pk>/", views.login_detail, name="detail"),
    path("<int:pk>/roles/grant/", views.role_grant, name="role-grant"),
    path("<int:pk>/roles/revoke/", views.role_revoke, name="role-revoke"),
    path("<int:pk>/deactivate/", views.login_deactivate, name="deactivate"),
    path("<int:pk>/reactivate/", views.login_reactivate, name="reactivate"),
    path("<int:pk>/link/", views.login_link, name="link"),
    path("<int:pk>/two-factor/remove/", views.login_remove_two_factor, name="remove-two-factor"),
    path("tokens/<int:pk>/revoke/", views.token_revoke_any, name="token-revoke"),
    path("policy/", views.policy, name="policy"),
    path("acting/", views.acting_list, name="acting"),
    path("acting/<int:pk>/end/", views.acting_end, name="acting-end"),
]
