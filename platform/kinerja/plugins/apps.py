from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PluginsConfig(AppConfig):
    name = "kinerja.plugins"
    label = "plugins"
    verbose_name = _("Plugins")
