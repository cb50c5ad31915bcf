from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PayConfig(AppConfig):
    name = "kinerja.pay"
    label = "pay"
    verbose_name = _("Pay (TPP)")

    def ready(self):
        from kinerja.pay import documents
        from kinerja.region import letterhead

        letterhead.register_logo_source(documents.stored_logo)
