"""One's own API tokens and two-factor sign-in, on every host."""
from django.urls import path

from kinerja.logins import views

app_name = "me"
urlpatterns = [
    path("tokens/", views.my_tokens, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.my_token_revoke, name="token-revoke"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
    path("two-factor/verify/", views.two_factor_verify, name="two-factor-verify"),
    path("two-factor/remove/", views.two_factor_remove, name="two-factor-remove"),
]
