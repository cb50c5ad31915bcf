"""Reading plugins and their settings, and who may see and change them: the one place that decides."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from kinerja_plugin_api.hookspecs import HOOK_API_VERSION
from kinerja_plugin_api.host import LoadError, PluginHost, PluginInfo, get_host

from kinerja.accounts.capabilities import has
from kinerja.plugins.failures import selectors as failure_selectors
from kinerja.plugins.models import PluginActivation, PluginConfigVersion
from kinerja.region.facts import regions_in_service


def can_manage_plugins(user) -> bool:
    """Enabling, disabling and configuring the region's plugins."""
    return has(user, "plugins.manage")


def can_read_plugin_settings(user) -> bool:
    return has(user, "plugins.read")


def can_diagnose_catalogue(user) -> bool:
    """Seeing why an installed plugin failed to load."""
    return has(user, "plugins.catalogue.diagnose")


@dataclass
class RegionPlugin:
    info: PluginInfo | None
    name: str
    enabled: bool
    current: PluginConfigVersion | None
    installed: bool = True
    extra: dict = field(default_factory=dict)
    # Why the platform refused to load it, for a plugin the region enabled that is no longer installed.
    load_error: LoadError | None = None

    @property
    def is_pay(self) -> bool:
        return self.info is not None and "kinerja_compute_pay" in self.info.hooks


def current_versions(names: list[str] | None = None) -> dict[str, PluginConfigVersion]:
    """The configuration version in force for each plugin, in one query."""
    versions = PluginConfigVersion.objects.select_related("created_by").order_by("plugin_name", "-number")
    if names is not None:
        versions = versions.filter(plugin_name__in=names)
    return {v.plugin_name: v for v in versions.distinct("plugin_name")}


def region_plugins(host: PluginHost | None = None) -> list[RegionPlugin]:
    """Every installed plugin with the region's activation and settings in force, plus plugins the region
    still has enabled that are no longer installed (so HR can see and disable them). Two queries."""
    host = host or get_host()
    activations = {a.plugin_name: a.enabled for a in PluginActivation.objects.all()}
    versions = current_versions()
    rows = [RegionPlugin(info, info.name, activations.get(info.name, False), versions.get(info.name))
            for info in host.plugins()]
    refused = refused_by_name(host)
    rows += [RegionPlugin(None, name, enabled, versions.get(name), installed=False, load_error=refused.get(name))
             for name, enabled in sorted(activations.items()) if name not in host and enabled]
    return rows


def region_plugin(plugin_name: str, host: PluginHost | None = None) -> RegionPlugin | None:
    host = host or get_host()
    activation = PluginActivation.objects.filter(plugin_name=plugin_name).first()
    if plugin_name not in host and not (activation and activation.enabled):
        return None
    current = current_versions([plugin_name]).get(plugin_name)
    return RegionPlugin(host.get(plugin_name) if plugin_name in host else None, plugin_name,
                        bool(activation and activation.enabled), current, installed=plugin_name in host,
                        load_error=None if plugin_name in host else refused_by_name(host).get(plugin_name))


def refused_by_name(host: PluginHost | None = None) -> dict[str, LoadError]:
    """Load errors of plugins whose metadata named them, by that name."""
    host = host or get_host()
    return {error.name: error for error in host.load_errors if error.name}


def load_errors_for_region(user, host: PluginHost | None = None) -> list[LoadError]:
    """Plugins the platform refused at load, with the reason, for the region's plugin readers (HR, auditors):
    they explain why a plugin the region expects is missing. Platform-wide facts about plugin code, nothing
    about any region."""
    if not can_read_plugin_settings(user):
        return []
    return list((host or get_host()).load_errors)


def config_history(plugin_name: str) -> QuerySet[PluginConfigVersion]:
    return PluginConfigVersion.objects.filter(plugin_name=plugin_name).select_related("created_by").order_by("-number")


def flatten(config: Any, prefix: str = "") -> dict[str, Any]:
    """{"base": {"7": 100}} -> {"base.7": 100}; rows of tables are numbered from 1."""
    if isinstance(config, dict):
        items = config.items()
    elif isinstance(config, list):
        items = ((str(n), row) for n, row in enumerate(config, start=1))
    else:
        return {prefix: config}
    flat = {}
    for key, value in items:
        flat.update(flatten(value, f"{prefix}.{key}" if prefix else str(key)))
    return flat


def config_diff(before: dict | None, after: dict) -> list[tuple[str, Any, Any]]:
    """(setting, before, after) for each setting that differs, in setting order."""
    old, new = flatten(before or {}), flatten(after)
    return [(key, old.get(key), new.get(key)) for key in sorted(set(old) | set(new), key=_natural)
            if old.get(key) != new.get(key)]


def _natural(key: str):
    return [(0, int(part), "") if part.isdecimal() else (1, 0, part) for part in key.split(".")]


def history_with_diffs(plugin_name: str) -> list[dict]:
    versions = list(config_history(plugin_name))
    rows = []
    for index, version in enumerate(versions):
        previous = versions[index + 1] if index + 1 < len(versions) else None
        rows.append({"version": version, "diff": config_diff(previous.config if previous else None, version.config)})
    return rows


def plugin_usage_by_region() -> dict[str, list[dict]]:
    """For the public catalogue: plugin name -> regions (name, slug) that have it enabled. Reads each
    region's activation table in one UNION query; nothing personal leaves the regions."""
    regions = {r.schema_name: r for r in regions_in_service().order_by("name")}
    if not regions:
        return {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_schema FROM information_schema.tables WHERE table_name = "
                       "'plugins_pluginactivation' AND table_schema = ANY(%s)", [list(regions)])
        schemas = sorted(row[0] for row in cursor.fetchall())
        if not schemas:
            return {}
        union = " UNION ALL ".join(f"SELECT %s, plugin_name FROM {quote(s)}.plugins_pluginactivation WHERE enabled"
                                   for s in schemas)
        cursor.execute(union, schemas)
        pairs = cursor.fetchall()
    usage: dict[str, list[dict]] = {}
    for schema, plugin_name in sorted(pairs, key=lambda pair: (pair[1], regions[pair[0]].name)):
        usage.setdefault(plugin_name, []).append({"name": regions[schema].name, "slug": schema})
    return usage


def catalogue(user, host: PluginHost | None = None) -> dict:
    """The public catalogue: installed plugins with versions, hooks, settings and the regions using them.
    Load errors are shown to the platform operator only."""
    host = host or get_host()
    usage = plugin_usage_by_region()
    plugins = []
    for info in host.plugins():
        data = info.as_dict()
        data["config_schema"] = host.config_schema(info.name).describe()
        data["regions"] = usage.get(info.name, [])
        plugins.append(data)

    result = {"hook_api_version": HOOK_API_VERSION, "plugins": plugins}
    if can_diagnose_catalogue(user):
        result["load_errors"] = [error.as_dict() for error in host.load_errors]
    if failure_selectors.can_read_failures(user):
        counts = failure_selectors.failure_counts_by_plugin(user)
        for data in plugins:
            data["failures"] = counts.get(data["name"], {"entries": 0, "count": 0})
    return result
