from django.urls import path

from tenants.billing import views

app_name = "billing"
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("signup/done/", views.signup_done, name="signup-done"),
    path("webhook/", views.stripe_webhook, name="stripe-webhook"),
    path("applications/", views.application_list, name="application-list"),
    path("applications/<int:pk>/", views.application_detail, name="application-detail"),
    path("plans/", views.plan_list, name="plan-list"),
    path("regions/", views.region_list, name="region-list"),
    path("regions/<int:pk>/", views.region_detail, name="region-detail"),
    path("invoices/<int:pk>/payments/", views.invoice_payment, name="invoice-payment"),
]
