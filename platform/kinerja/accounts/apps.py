from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kinerja.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from kinerja.accounts.twofactor import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="kinerja.accounts.two_factor")
