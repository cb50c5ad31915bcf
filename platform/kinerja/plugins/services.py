"""Changing a region's plugins: enabling, disabling, configuring. Runs in the region's schema (the
request's). Every change is validated against what the plugin declares, saved as a new record (never an
edit) and written to the audit trail with the state before and after."""
from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.translation import gettext as _
from kinerja_plugin_api.config_schema import ConfigError
from kinerja_plugin_api.host import PluginHost, PluginInfo, get_host
from kinerja_plugin_api.pay import PayCalculator

from kinerja.audit.services import record_change, snapshot
from kinerja.plugins.models import PluginActivation, PluginConfigVersion

logger = logging.getLogger(__name__)


def installed_plugin(plugin_name: str, host: PluginHost | None = None) -> PluginInfo:
    host = host or get_host()
    if plugin_name not in host:
        raise ValidationError({"plugin": [_("No plugin named '%s' is installed.") % plugin_name]})
    return host.get(plugin_name)


def _latest_version(plugin_name: str, *, lock: bool = False) -> PluginConfigVersion | None:
    versions = PluginConfigVersion.objects.filter(plugin_name=plugin_name).order_by("-number")
    if lock:
        # Serialises concurrent saves of one plugin's settings, so version numbers never collide.
        PluginActivation.objects.select_for_update().filter(plugin_name=plugin_name).first()
    return versions.first()


def validated_config(plugin_name: str, raw_config, host: PluginHost | None = None) -> dict:
    """The typed configuration, or ValidationError keyed by field ("base_by_class.7", "rows.2.rate")."""
    host = host or get_host()
    schema = host.config_schema(plugin_name)
    if raw_config is not None and not isinstance(raw_config, dict):
        raise ValidationError({"config": [_("The configuration must be an object of settings.")]})
    try:
        return schema.clean(raw_config)
    except ConfigError as error:
        raise ValidationError(error.errors) from None


def merged_config(in_force: dict | None, raw_config) -> dict:
    """What a save means: the settings in force with the submitted ones over them, so a save of some
    settings keeps the others (and a mapping by class given for some classes keeps the other classes)."""
    if not isinstance(raw_config, dict):
        return raw_config
    merged = dict(in_force or {})
    for key, value in raw_config.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = {**merged[key], **value}
        else:
            merged[key] = value
    return merged


def save_plugin_config(plugin_name: str, raw_config: dict, *, actor, reason: str = "",
                       host: PluginHost | None = None) -> PluginConfigVersion:
    """Validate and store a new version of the plugin's settings; the previous versions stay as they were.
    Settings left out of `raw_config` keep the value in force (a partial save never resets them)."""
    host = host or get_host()
    info = installed_plugin(plugin_name, host)
    schema = host.config_schema(plugin_name)
    with transaction.atomic():
        PluginActivation.objects.get_or_create(plugin_name=plugin_name)
        previous = _latest_version(plugin_name, lock=True)
        names = {f.name for f in schema.fields}  # settings a newer plugin version dropped are not carried over
        in_force = {key: value for key, value in (previous.config if previous else {}).items() if key in names}
        stored = schema.to_json(validated_config(plugin_name, merged_config(in_force, raw_config), host))
        if previous is not None and previous.config == stored:
            raise ValidationError({"config": [_("Nothing changed: these are the settings in force (version %s).")
                                              % previous.number]})
        version = PluginConfigVersion.objects.create(
            plugin_name=plugin_name, number=(previous.number + 1) if previous else 1, plugin_version=info.version,
            config=stored, created_by=actor if getattr(actor, "is_authenticated", False) else None,
            reason=reason.strip(),
        )
        record_change(actor=actor, action="plugin.config_changed", target=version,
                      before=previous.config if previous else None, after=stored, reason=reason.strip())
    return version


def set_plugin_enabled(plugin_name: str, enabled: bool, *, actor, reason: str = "",
                       host: PluginHost | None = None) -> PluginActivation:
    """Enable or disable a plugin for the region. A region has at most one pay plugin enabled at a time;
    enabling a plugin with no saved settings saves its defaults as version 1."""
    host = host or get_host()
    if enabled:
        info = installed_plugin(plugin_name, host)
    with transaction.atomic():
        activation, _created = PluginActivation.objects.select_for_update().get_or_create(plugin_name=plugin_name)
        if activation.enabled == enabled:
            raise ValidationError({"enabled": [
                (_("%s is already enabled.") if enabled else _("%s is already disabled.")) % plugin_name]})
        if enabled and host.implements(plugin_name, "kinerja_compute_pay"):
            other_pay = [a.plugin_name for a in PluginActivation.objects.filter(enabled=True)
                         if a.plugin_name != plugin_name and host.implements(a.plugin_name, "kinerja_compute_pay")]
            if other_pay:
                raise ValidationError({"enabled": [
                    _("%(other)s is the region's pay plugin; disable it before enabling %(plugin)s.")
                    % {"other": other_pay[0], "plugin": plugin_name}]})
        before = snapshot(activation, ["plugin_name", "enabled"])
        activation.enabled = enabled
        activation.changed_by = actor if getattr(actor, "is_authenticated", False) else None
        activation.save(update_fields=["enabled", "changed_by", "changed_at"])
        record_change(actor=actor, action="plugin.enabled" if enabled else "plugin.disabled", target=activation,
                      before=before, after=snapshot(activation, ["plugin_name", "enabled"]), reason=reason.strip())
        if enabled and _latest_version(plugin_name) is None:
            save_plugin_config(plugin_name, host.config_schema(plugin_name).defaults(), actor=actor,
                               reason=_("Default settings, saved when the plugin was first enabled."), host=host)
    if enabled:
        _notify_enabled(info.name, host)
    return activation


def _notify_enabled(plugin_name: str, host: PluginHost) -> None:
    """Every plugin learns which plugin the region enabled; only that plugin receives its settings."""
    region_slug = connection.schema_name
    for name, outcome in host.call_each("kinerja_plugin_enabled", region_slug=region_slug, plugin_name=plugin_name):
        if isinstance(outcome, Exception):
            logger.error("Plugin %s failed on kinerja_plugin_enabled: %s", name, outcome)
    if not host.implements(plugin_name, "kinerja_enabled_for_region"):
        return
    try:
        config = validated_config(plugin_name, _latest_version(plugin_name).config, host)
    except ValidationError as error:
        # settings saved by an earlier version of the plugin; the settings page and the pay run say so
        logger.error("Plugin %s not told it was enabled: its settings do not validate: %s", plugin_name, error)
        return
    for name, outcome in host.call_each("kinerja_enabled_for_region", names=[plugin_name], region_slug=region_slug,
                                        config=config):
        if isinstance(outcome, Exception):
            logger.error("Plugin %s failed on kinerja_enabled_for_region: %s", name, outcome)


def notify_region_created(region_slug: str, host: PluginHost | None = None) -> list[tuple[str, str]]:
    """Tell every installed plugin about a new region; returns (plugin, error) for those that failed."""
    host = host or get_host()
    return [(name, str(outcome)) for name, outcome in host.call_each("kinerja_region_created", region_slug=region_slug)
            if isinstance(outcome, Exception)]


def enabled_plugin_names() -> list[str]:
    return list(PluginActivation.objects.filter(enabled=True).values_list("plugin_name", flat=True))


def pay_plugin_names(host: PluginHost | None = None) -> list[str]:
    """The enabled plugins that compute pay (a region uses one)."""
    host = host or get_host()
    return [name for name in enabled_plugin_names() if host.implements(name, "kinerja_compute_pay")]


def pay_calculator_for_region(plugin_name: str | None = None, host: PluginHost | None = None) -> PayCalculator:
    """The region's pay plugin bound to its current configuration version. The calculator carries the
    plugin's name and version and the configuration version's id, for the pay run to record with each
    result. Raises ValidationError when the region has no usable pay plugin or its settings no longer
    validate (for instance after an upgrade changed the schema)."""
    host = host or get_host()
    enabled = pay_plugin_names(host)
    if plugin_name is None:
        if not enabled:
            raise ValidationError({"plugin": [_("The region has no pay plugin enabled.")]})
        plugin_name = enabled[0]
    elif plugin_name not in enabled:
        raise ValidationError({"plugin": [_("%s is not an enabled pay plugin in this region.") % plugin_name]})
    info = host.get(plugin_name)
    version = _latest_version(plugin_name)
    if version is None:
        raise ValidationError({"plugin": [_("%s has no saved settings; save them first.") % plugin_name]})
    try:
        config = validated_config(plugin_name, version.config, host)
    except ValidationError as error:
        raise ValidationError({"config": [
            _("The settings in force (version %(number)s) do not fit %(plugin)s %(version)s any more: %(errors)s "
              "Review and save them again.") % {"number": version.number, "plugin": plugin_name,
                                                "version": info.version, "errors": " ".join(error.messages)}]}) from None
    return PayCalculator(host=host, plugin_name=info.name, plugin_version=info.version,
                         config_version_id=version.pk, config=config)
