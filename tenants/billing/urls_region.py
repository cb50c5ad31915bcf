from django.urls import path  # noqa: F401

app_name = "region_billing"
urlpatterns: list = []
