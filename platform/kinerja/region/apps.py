from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionConfig(AppConfig):
    name = "kinerja.region"
    label = "region"
    verbose_name = _("Region calendar")

    def ready(self):
        from kinerja.celery import RUN_GUARDS
        from kinerja.region.facts import refuse_while_suspended

        if refuse_while_suspended not in RUN_GUARDS:
            RUN_GUARDS.append(refuse_while_suspended)
