from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PluginFailuresConfig(AppConfig):
    name = "kinerja.plugins.failures"
    label = "plugin_failures"
    verbose_name = _("Plugin failures")

    def ready(self):
        from kinerja_plugin_api.host import setup_process_host

        from kinerja.plugins.failures import services

        setup_process_host(services.attach)
