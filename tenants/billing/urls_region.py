from django.urls import path

from tenants.billing import views_region

app_name = "region_billing"
urlpatterns = [
    path("", views_region.overview, name="overview"),
    path("checkout/", views_region.checkout, name="checkout"),
    path("portal/", views_region.portal, name="portal"),
    path("invoices/<int:pk>/", views_region.invoice_detail, name="invoice-detail"),
]
