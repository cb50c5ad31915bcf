from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LoginsConfig(AppConfig):
    name = "kinerja.logins"
    label = "logins"
    verbose_name = _("Logins and roles")
