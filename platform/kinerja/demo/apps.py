from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """The demo regions and their `seed_demo` command. No models: the demo is made through the
    modules' own services and the tenancy layer's onboarding, above both."""

    name = "kinerja.demo"
    label = "demo"
    verbose_name = _("Demo regions")
