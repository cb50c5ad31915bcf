from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "tenants.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self):
        from kinerja.people.signals import workforce_changed

        from tenants.billing.services import headcount_changed

        # The bill follows the region's active employees as soon as they change, not only nightly.
        workforce_changed.connect(lambda sender, schema_name, **kwargs: headcount_changed(schema_name),
                                  weak=False, dispatch_uid="billing.headcount")
