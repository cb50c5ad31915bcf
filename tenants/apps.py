from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TenantsConfig(AppConfig):
    name = "tenants"
    label = "tenants"
    verbose_name = _("Regions")

    def ready(self):
        from django.core import checks

        from tenants.checks import citus_cluster

        checks.register(citus_cluster)
