"""The plugin host: finds plugins, refuses the ones that cannot work, and calls them.

Plugins are found through the entry-point group "kinerja.plugins" (or registered directly, as tests do).
A plugin module must declare PLUGIN_META:

    PLUGIN_META = {"name": "kinerja-tpp-example", "version": "1.2.0", "vendor": "...",
                   "hook_api": ">=2.0,<3.0", "description": "..."}

Missing or malformed metadata, a hook API range that excludes HOOK_API_VERSION, an import error, a hook
with an unknown name or arguments the hook does not have: each is refused with a message kept in
`load_errors` (shown to the operator on the plugin catalogue), and the platform carries on without that
plugin. This module does not need Django, so the vendor test kit can use it alone.
"""
from __future__ import annotations

import inspect
import logging
import re
import threading
from dataclasses import dataclass
from importlib.metadata import entry_points
from types import ModuleType
from typing import Any, Iterator

import pluggy

from kinerja_plugin_api import hookspecs
from kinerja_plugin_api.config_schema import ConfigSchema, SchemaDefinitionError

ENTRY_POINT_GROUP = "kinerja.plugins"
REQUIRED_META = ("name", "version", "vendor", "hook_api", "description")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,62}$")
VERSION_PATTERN = re.compile(r"^\d+(\.\d+)*([a-z0-9.+-]*)$")
_RANGE_PART = re.compile(r"^(>=|<=|==|!=|>|<)\s*(\d+(?:\.\d+)*)$")

# Arguments a hook lost in a major version, with where they went, for plugins ported half-way.
MOVED_ARGUMENTS = {
    ("kinerja_plugin_enabled", ("config",)): "since hook API 2.0 a plugin receives its own settings in "
                                              "kinerja_enabled_for_region(region_slug, config)",
}

logger = logging.getLogger(__name__)


class PluginRefused(Exception):
    """A plugin that cannot be loaded; the message says why, in words an operator can act on."""


class UnknownPlugin(KeyError):
    pass


def hook_names() -> tuple[str, ...]:
    return tuple(sorted(name for name, value in vars(hookspecs).items()
                        if name.startswith("kinerja_") and callable(value)))


def _version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.match(r"^\d+(?:\.\d+)*", text).group(0).split("."))


def version_in_range(version: str, spec: str) -> bool:
    """Whether `version` ("1.0") satisfies a range such as ">=1.0,<2.0". Raises ValueError on a bad range."""
    if not spec or not spec.strip():
        raise ValueError("empty range")
    current = _version_tuple(version)
    for part in spec.split(","):
        match = _RANGE_PART.match(part.strip())
        if not match:
            raise ValueError(f"cannot read '{part.strip()}'")
        operator, bound = match.group(1), _version_tuple(match.group(2))
        width = max(len(current), len(bound))
        left, right = current + (0,) * (width - len(current)), bound + (0,) * (width - len(bound))
        ok = {">=": left >= right, "<=": left <= right, ">": left > right, "<": left < right,
              "==": left == right, "!=": left != right}[operator]
        if not ok:
            return False
    return True


@dataclass(frozen=True)
class PluginInfo:
    name: str
    version: str
    vendor: str
    hook_api: str
    description: str
    module: str
    hooks: tuple[str, ...]
    source: str

    def as_dict(self) -> dict:
        return {"name": self.name, "version": self.version, "vendor": self.vendor, "hook_api": self.hook_api,
                "description": self.description, "module": self.module, "hooks": list(self.hooks),
                "source": self.source}


@dataclass(frozen=True)
class LoadError:
    source: str
    message: str

    def as_dict(self) -> dict:
        return {"source": self.source, "message": self.message}


def check_meta(plugin: Any) -> dict:
    """The plugin's validated PLUGIN_META, or PluginRefused saying what is wrong."""
    meta = getattr(plugin, "PLUGIN_META", None)
    if not isinstance(meta, dict):
        raise PluginRefused("it declares no PLUGIN_META dict (name, version, vendor, hook_api, description)")
    missing = [key for key in REQUIRED_META if not isinstance(meta.get(key), str) or not meta[key].strip()]
    if missing:
        raise PluginRefused(f"PLUGIN_META lacks {', '.join(missing)}")
    if not NAME_PATTERN.match(meta["name"]):
        raise PluginRefused(f"plugin name '{meta['name']}' must be lowercase letters, digits and hyphens")
    if not VERSION_PATTERN.match(meta["version"]):
        raise PluginRefused(f"version '{meta['version']}' is not a version number such as 1.0.0")
    try:
        compatible = version_in_range(hookspecs.HOOK_API_VERSION, meta["hook_api"])
    except ValueError as error:
        raise PluginRefused(f"hook_api range '{meta['hook_api']}' is unreadable ({error}); "
                            "write it like '>=2.0,<3.0'") from None
    if not compatible:
        raise PluginRefused(incompatibility(meta["hook_api"]))
    return meta


def _major(version: str) -> int:
    return _version_tuple(version)[0]


def incompatibility(spec: str) -> str:
    """Why a plugin declaring the hook API range `spec` (which excludes HOOK_API_VERSION) is refused. A
    plugin written for an earlier major version is told what changed since and where to read more."""
    current = hookspecs.HOOK_API_VERSION
    message = f"it needs hook API {spec} but this platform provides {current}"
    # Minor numbers are few; trying each of an earlier major's is enough to learn whether the range is one.
    earlier = [major for major in range(1, _major(current))
               if any(version_in_range(f"{major}.{minor}", spec) for minor in range(100))]
    if not earlier:
        return f"{message}; it is written for a newer platform"
    changes = [f"hook API {version} changed: " + "; ".join(f"({n}) {item}" for n, item in enumerate(items, start=1))
               for version, items in sorted(hookspecs.BREAKING_CHANGES.items()) if _major(version) > max(earlier)]
    return (f"{message}. It is written for hook API {max(earlier)}.x, and " + ". ".join(changes)
            + f". Adapt the plugin, declare \"hook_api\": \">={_major(current)}.0,<{_major(current) + 1}.0\" "
            f"and see the {hookspecs.CHANGELOG}.")


def declared_hooks(plugin: Any) -> dict[str, Any]:
    """Functions of the plugin marked with @hookimpl, by name."""
    found = {}
    for name in dir(plugin):
        value = getattr(plugin, name, None)
        if callable(value) and hasattr(value, f"{hookspecs.PROJECT_NAME}_impl"):
            found[name] = value
    return found


class PluginHost:
    def __init__(self):
        self.manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.manager.add_hookspecs(hookspecs)
        self._plugins: dict[str, PluginInfo] = {}
        self.load_errors: list[LoadError] = []

    # -- loading ---------------------------------------------------------------------------------
    def load_entry_points(self, group: str = ENTRY_POINT_GROUP) -> None:
        for entry_point in sorted(entry_points(group=group), key=lambda ep: ep.name):
            source = f"entry point '{entry_point.name}' ({entry_point.value})"
            if entry_point.dist is not None:
                source += f" from {entry_point.dist.name} {entry_point.dist.version}"
            try:
                plugin = entry_point.load()
            except Exception as error:  # a broken plugin must never take the platform down
                self._refuse(source, f"import failed: {type(error).__name__}: {error}")
                continue
            self.register(plugin, source=source)

    def register(self, plugin: ModuleType | Any, *, source: str | None = None) -> PluginInfo | None:
        """Register a plugin module (or object); returns its info, or None when refused (see load_errors)."""
        source = source or getattr(plugin, "__name__", repr(plugin))
        try:
            info = self._validate(plugin, source)
            self.manager.register(plugin, name=info.name)
        except PluginRefused as error:
            self._refuse(source, str(error))
            return None
        except (pluggy.PluginValidationError, ValueError) as error:
            self._refuse(source, str(error))
            return None
        self._plugins[info.name] = info
        return info

    def unregister(self, name: str) -> None:
        plugin = self.manager.get_plugin(name)
        if plugin is not None:
            self.manager.unregister(plugin, name=name)
        self._plugins.pop(name, None)

    def _refuse(self, source: str, message: str) -> None:
        logger.error("Plugin refused: %s: %s", source, message)
        self.load_errors.append(LoadError(source, message))

    def _validate(self, plugin: Any, source: str) -> PluginInfo:
        meta = check_meta(plugin)
        if meta["name"] in self._plugins:
            raise PluginRefused(f"a plugin named '{meta['name']}' is already loaded "
                                f"({self._plugins[meta['name']].source})")
        known = set(hook_names())
        hooks = declared_hooks(plugin)
        unknown = sorted(set(hooks) - known)
        if unknown:
            raise PluginRefused(f"unknown hook(s) {', '.join(unknown)}; this platform's hooks are "
                                f"{', '.join(sorted(known))}")
        for name, function in hooks.items():
            spec_args = set(inspect.signature(getattr(hookspecs, name)).parameters)
            extra = [a for a in inspect.signature(function).parameters if a not in spec_args]
            if extra:
                hint = MOVED_ARGUMENTS.get((name, tuple(extra)), "")
                raise PluginRefused(f"hook {name} takes argument(s) {', '.join(extra)} that the hook does not "
                                    f"have (it has: {', '.join(sorted(spec_args)) or 'none'})"
                                    + (f"; {hint}" if hint else ""))
        if "kinerja_pay_config_schema" in hooks:
            try:
                schema = hooks["kinerja_pay_config_schema"]()
            except SchemaDefinitionError as error:
                raise PluginRefused(f"its configuration schema is malformed: {error}") from None
            except Exception as error:
                raise PluginRefused(f"kinerja_pay_config_schema failed: {type(error).__name__}: {error}") from None
            if schema is not None and not isinstance(schema, ConfigSchema):
                raise PluginRefused("kinerja_pay_config_schema must return a ConfigSchema or None")
            if schema is not None:
                try:
                    schema.clean(schema.defaults())
                except ValueError as error:
                    raise PluginRefused(f"the defaults of its configuration schema are invalid: {error}") from None
        return PluginInfo(
            name=meta["name"], version=meta["version"], vendor=meta["vendor"], hook_api=meta["hook_api"],
            description=meta["description"], module=getattr(plugin, "__name__", type(plugin).__name__),
            hooks=tuple(sorted(hooks)), source=source,
        )

    # -- reading ---------------------------------------------------------------------------------
    def plugins(self) -> list[PluginInfo]:
        return sorted(self._plugins.values(), key=lambda info: info.name)

    def get(self, name: str) -> PluginInfo:
        try:
            return self._plugins[name]
        except KeyError:
            raise UnknownPlugin(name) from None

    def __contains__(self, name: str) -> bool:
        return name in self._plugins

    def implements(self, name: str, hook_name: str) -> bool:
        return name in self._plugins and hook_name in self._plugins[name].hooks

    def pay_plugins(self) -> list[PluginInfo]:
        return [info for info in self.plugins() if "kinerja_compute_pay" in info.hooks]

    def config_schema(self, name: str) -> ConfigSchema:
        """The plugin's declared settings; an empty schema when it declares none."""
        if not self.implements(name, "kinerja_pay_config_schema"):
            self.get(name)
            return ConfigSchema()
        return self.call(name, "kinerja_pay_config_schema") or ConfigSchema()

    # -- calling ---------------------------------------------------------------------------------
    def call(self, name: str, hook_name: str, **kwargs) -> Any:
        """Call one plugin's implementation of a hook, passing only the arguments it accepts."""
        self.get(name)
        plugin = self.manager.get_plugin(name)
        for impl in getattr(self.manager.hook, hook_name).get_hookimpls():
            if impl.plugin is plugin:
                return impl.function(*[kwargs[arg] for arg in impl.argnames],
                                     **{k: kwargs[k] for k in impl.kwargnames if k in kwargs})
        raise UnknownPlugin(f"{name} does not implement {hook_name}")

    def call_each(self, hook_name: str, names: list[str] | None = None, **kwargs) -> Iterator[tuple[str, Any]]:
        """Call the hook on each plugin (all, or those named) that implements it; yields (name, result) or
        (name, exception) when one fails, so one plugin's error never stops the others."""
        for info in self.plugins():
            if hook_name not in info.hooks or (names is not None and info.name not in names):
                continue
            try:
                yield info.name, self.call(info.name, hook_name, **kwargs)
            except Exception as error:
                logger.exception("Plugin %s failed in %s", info.name, hook_name)
                yield info.name, error


_host: PluginHost | None = None
_lock = threading.Lock()


def get_host() -> PluginHost:
    """The process's host, loaded from entry points on first use."""
    global _host
    if _host is None:
        with _lock:
            if _host is None:
                host = PluginHost()
                host.load_entry_points()
                _host = host
    return _host


def set_host(host: PluginHost | None) -> PluginHost | None:
    """Replace the process's host (tests register plugins without entry points); returns the old one.
    None makes the next get_host() load from entry points again."""
    global _host
    with _lock:
        previous, _host = _host, host
    return previous
