"""The failure log and who may read it, in the public schema.

One row per distinct failure (plugin, version, region, hook, exception type and the place it was raised:
see `kinerja_plugin_api.host.HookFailure`), counted: a bug that fails 20,000 employees of a pay run is one
row with a count of 20,000. Nothing personal is kept: no hook arguments, only the exception's type and
message and the traceback's code lines."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PluginFailureRecord(models.Model):
    plugin_name = models.CharField(_("plugin"), max_length=64, db_index=True)
    plugin_version = models.CharField(_("plugin version"), max_length=40)
    # PLUGIN_META["vendor"] when the failure happened: whose vendor account may read the row.
    vendor = models.CharField(_("vendor"), max_length=200, db_index=True)
    # The schema the call ran in: a region's slug, or "public" for calls on the platform's own site.
    region_slug = models.CharField(_("region"), max_length=63)
    hook = models.CharField(_("hook"), max_length=64)
    error_type = models.CharField(_("error type"), max_length=200)
    message = models.TextField(_("message"), blank=True)
    traceback = models.TextField(_("traceback"), blank=True)
    signature = models.CharField(_("signature"), max_length=64)
    first_seen = models.DateTimeField(_("first seen"))
    last_seen = models.DateTimeField(_("last seen"), db_index=True)
    count = models.PositiveBigIntegerField(_("count"), default=0)

    class Meta:
        ordering = ["-last_seen", "-id"]
        verbose_name = _("plugin failure")
        verbose_name_plural = _("plugin failures")
        constraints = [models.UniqueConstraint(fields=["region_slug", "signature"],
                                               name="plugin_failure_region_signature_unique")]

    def __str__(self):
        return f"{self.plugin_name} {self.plugin_version} {self.hook}: {self.error_type} ({self.count})"


class VendorAccount(models.Model):
    """Which vendor a platform user of role plugin vendor speaks for: the exact `PLUGIN_META["vendor"]`
    of their plugins. The rule is this one line and nothing else: a vendor user reads the failures whose
    vendor equals their account's, and a user without an account reads none."""
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_account",
                                verbose_name=_("user"))
    vendor = models.CharField(_("vendor"), max_length=200, db_index=True,
                              help_text=_('Exactly as the plugins declare it in PLUGIN_META["vendor"].'))

    class Meta:
        verbose_name = _("vendor account")
        verbose_name_plural = _("vendor accounts")

    def __str__(self):
        return f"{self.user} → {self.vendor}"
