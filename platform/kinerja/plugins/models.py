"""A region's plugin settings, in the region's own schema: which plugins it uses, and every version of
each plugin's configuration. Versions are never edited: a change is a new version, so a pay result that
names a version can always be explained and reproduced."""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PluginActivation(models.Model):
    plugin_name = models.CharField(_("plugin"), max_length=64, unique=True)
    enabled = models.BooleanField(_("enabled"), default=False)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("changed by"))

    class Meta:
        ordering = ["plugin_name"]
        verbose_name = _("plugin activation")
        verbose_name_plural = _("plugin activations")

    def __str__(self):
        return f"{self.plugin_name} ({'on' if self.enabled else 'off'})"


class PluginConfigVersion(models.Model):
    plugin_name = models.CharField(_("plugin"), max_length=64, db_index=True)
    number = models.PositiveIntegerField(_("version number"))
    # The plugin's version when this configuration was saved (the schema it was validated against).
    plugin_version = models.CharField(_("plugin version"), max_length=40)
    config = models.JSONField(_("configuration"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["plugin_name", "-number"]
        verbose_name = _("plugin configuration version")
        verbose_name_plural = _("plugin configuration versions")
        constraints = [models.UniqueConstraint(fields=["plugin_name", "number"], name="plugin_config_number_unique")]

    def __str__(self):
        return f"{self.plugin_name} v{self.number}"
