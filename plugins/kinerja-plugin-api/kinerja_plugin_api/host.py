"""The plugin host: finds plugins, refuses the ones that cannot work, and calls them.

Plugins are found through the entry-point group "kinerja.plugins" (or registered directly, as tests do).
A plugin module must declare PLUGIN_META:

    PLUGIN_META = {"name": "kinerja-tpp-example", "version": "1.2.0", "vendor": "...",
                   "hook_api": ">=2.0,<3.0", "description": "..."}

Missing or malformed metadata, a hook API range that excludes HOOK_API_VERSION, an import error, a hook
with an unknown name or arguments the hook does not have: each is refused with a message kept in
`load_errors` (shown to the operator on the plugin catalogue and to HR on the region's plugin page), and
the platform carries on without that plugin. This module does not need Django, so the vendor test kit can use it alone.

Calls go through pluggy: each plugin is called through a subset hook caller that holds it alone (see
`hook_caller`), so a call names the one plugin it runs and one plugin's failure neither stops nor is
blamed on another. Hook-call monitoring registered by the host times every call (DEBUG log) and turns a
plugin's exception into a `HookFailure`, handed to the host's `failure_listener`: the platform attaches
its failure log there; the test kit and the conformance check attach nothing.
"""
from __future__ import annotations

import hashlib
import inspect
import logging
import os
import re
import threading
import time
import traceback
from collections.abc import Callable, Iterable, Sequence
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


class PluginContractError(Exception):
    """A plugin answered, but with something the hook's contract does not allow (reported by the caller
    that checked the answer, through `PluginHost.report_failure`)."""


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
    # The name the plugin gives itself, when its PLUGIN_META could be read before it was refused.
    name: str | None = None

    def as_dict(self) -> dict:
        return {"source": self.source, "message": self.message, "name": self.name}


MESSAGE_LIMIT = 1_000
TRACEBACK_LIMIT = 10_000
_PLUGGY_DIR = os.path.dirname(pluggy.__file__)
_NUMBERS = re.compile(r"\d+")


@dataclass(frozen=True)
class HookFailure:
    """One failed call of a plugin's hook, described without the call's arguments (they carry personal
    data): the exception's type and message, and a traceback of code lines from the plugin's frames.

    `signature` is the same for every occurrence of the same bug: plugin, version, hook, exception type and
    where it was raised (the traceback's frames; for a broken contract, which has none, the message with
    its numbers left out), so a failure repeated for thousands of employees is one entry with a count."""
    plugin: str
    plugin_version: str
    vendor: str
    hook: str
    error_type: str
    message: str
    traceback: str
    signature: str

    def as_dict(self) -> dict:
        return {"plugin": self.plugin, "plugin_version": self.plugin_version, "vendor": self.vendor,
                "hook": self.hook, "error_type": self.error_type, "message": self.message,
                "traceback": self.traceback, "signature": self.signature}


def _plugin_frames(error: BaseException) -> list[traceback.FrameSummary]:
    """The traceback's frames from where the plugin's code starts: pluggy's and the host's own frames say
    nothing to a vendor. Only file, line, function and source line are kept, never local variables."""
    frames = traceback.extract_tb(error.__traceback__)
    start = 0
    while start < len(frames) and (frames[start].filename.startswith(_PLUGGY_DIR)
                                   or frames[start].filename == __file__):
        start += 1
    return list(frames[start:])


def _short_path(filename: str) -> str:
    head, tail = os.path.split(filename)
    return os.path.join(os.path.basename(head), tail)


def describe_failure(info: PluginInfo, hook_name: str, error: BaseException) -> HookFailure:
    error_type = type(error).__qualname__
    module = type(error).__module__
    if module not in ("builtins", None):
        error_type = f"{module}.{error_type}"
    try:
        message = str(error)[:MESSAGE_LIMIT]
    except Exception:  # a plugin's exception class may break even this; the failure must still be told
        message = "<the exception's message could not be read>"
    frames = _plugin_frames(error)
    if frames:
        text = "Traceback (most recent call last):\n" + "".join(traceback.format_list(frames))
        text += "".join(traceback.format_exception_only(type(error), error))
        # Files by their last two parts: the same bug keeps its signature wherever the plugin is installed.
        where = "|".join(f"{_short_path(frame.filename)}:{frame.lineno}:{frame.name}" for frame in frames)
    else:
        text = ""
        where = _NUMBERS.sub("#", message)
    key = "\n".join((info.name, info.version, hook_name, error_type, where))
    return HookFailure(plugin=info.name, plugin_version=info.version, vendor=info.vendor, hook=hook_name,
                       error_type=error_type, message=message, traceback=text[-TRACEBACK_LIMIT:],
                       signature=hashlib.sha256(key.encode()).hexdigest())


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


class _CallClock(threading.local):
    """Start times of the calls in progress in this thread (a stack: a plugin may call hooks itself)."""

    def __init__(self):
        self.started: list[float] = []


class PluginHost:
    def __init__(self):
        self.manager = pluggy.PluginManager(hookspecs.PROJECT_NAME)
        self.manager.add_hookspecs(hookspecs)
        self._plugins: dict[str, PluginInfo] = {}
        self.load_errors: list[LoadError] = []
        # Receives each HookFailure; the platform writes its failure log here. None: failures are logged.
        self.failure_listener: Callable[[HookFailure], None] | None = None
        self._callers: dict[tuple[str, frozenset[str] | None], pluggy.HookCaller] = {}
        self._clock = _CallClock()
        self.manager.add_hookcall_monitoring(self._before_call, self._after_call)

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
        meta = getattr(plugin, "PLUGIN_META", None)
        claimed = meta.get("name") if isinstance(meta, dict) and isinstance(meta.get("name"), str) else None
        try:
            info = self._validate(plugin, source)
            self.manager.register(plugin, name=info.name)
        except PluginRefused as error:
            self._refuse(source, str(error), claimed)
            return None
        except (pluggy.PluginValidationError, ValueError) as error:
            self._refuse(source, str(error), claimed)
            return None
        self._plugins[info.name] = info
        self._callers.clear()
        return info

    def unregister(self, name: str) -> None:
        plugin = self.manager.get_plugin(name)
        if plugin is not None:
            self.manager.unregister(plugin, name=name)
        self._plugins.pop(name, None)
        self._callers.clear()

    def _refuse(self, source: str, message: str, name: str | None = None) -> None:
        logger.error("Plugin refused: %s: %s", source, message)
        self.load_errors.append(LoadError(source, message, name))

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
    def hook_caller(self, hook_name: str, names: Iterable[str] | None = None) -> pluggy.HookCaller:
        """The hook as a pluggy hook caller over the named plugins only (every plugin when None): a
        `subset_hook_caller` without the others. Call it as pluggy hooks are called, `caller(**kwargs)`;
        pluggy passes each implementation only the arguments it accepts. Callers are kept until a plugin
        is registered or unregistered, so a pay run does not build one per employee."""
        key = (hook_name, None if names is None else frozenset(names))
        caller = self._callers.get(key)
        if caller is None:
            if key[1] is None:
                caller = getattr(self.manager.hook, hook_name)
            else:
                others = [plugin for name, plugin in self.manager.list_name_plugin()
                          if name not in key[1] and plugin is not None]
                caller = self.manager.subset_hook_caller(hook_name, others)
            if len(self._callers) > 4096:  # distinct sets of enabled plugins are few; never grow unbounded
                self._callers.clear()
            self._callers[key] = caller
        return caller

    def call(self, name: str, hook_name: str, **kwargs) -> Any:
        """Call one plugin's implementation of a hook, through a hook caller holding that plugin alone."""
        self.get(name)
        if not self.implements(name, hook_name):
            raise UnknownPlugin(f"{name} does not implement {hook_name}")
        results = self.hook_caller(hook_name, (name,))(**kwargs)
        return results[0] if results else None

    def call_each(self, hook_name: str, names: Iterable[str] | None = None, **kwargs) -> Iterator[tuple[str, Any]]:
        """Call the hook on each plugin (all, or those named) that implements it, one at a time, in name
        order; yields (name, result) or (name, exception) when one fails, so one plugin's error never stops
        the others. The failure has already gone to the failure listener."""
        wanted = None if names is None else set(names)
        for info in self.plugins():
            if hook_name not in info.hooks or (wanted is not None and info.name not in wanted):
                continue
            try:
                yield info.name, self.call(info.name, hook_name, **kwargs)
            except Exception as error:
                yield info.name, error

    # -- tracing and failures ------------------------------------------------------------------------
    # Timed only while DEBUG is on: a pay run makes one call per employee, and the clock and the
    # thread-local stack were most of the monitoring's own cost. A level changed mid-call at worst leaves
    # that one call untimed; the stack stays last-in first-out, so other calls' times stay right.
    def _before_call(self, hook_name: str, hook_impls: Sequence[pluggy.HookImpl], kwargs) -> None:
        if logger.isEnabledFor(logging.DEBUG):
            self._clock.started.append(time.perf_counter())

    def _after_call(self, outcome: pluggy.Result, hook_name: str, hook_impls: Sequence[pluggy.HookImpl],
                    kwargs) -> None:
        error = outcome.exception
        if logger.isEnabledFor(logging.DEBUG) and self._clock.started:
            elapsed = time.perf_counter() - self._clock.started.pop()
            logger.debug("plugin %s hook %s took %.3f ms%s", ",".join(i.plugin_name for i in hook_impls) or "-",
                         hook_name, elapsed * 1000, f" and failed: {type(error).__name__}" if error else "")
        if error is not None and isinstance(error, Exception):
            name = self._culprit(error, hook_impls)
            if name is not None:
                self.report_failure(name, hook_name, error)

    def _culprit(self, error: BaseException, hook_impls: Sequence[pluggy.HookImpl]) -> str | None:
        """The plugin whose implementation raised: the one called, or, when a caller held several, the one
        whose function is in the traceback."""
        if len(hook_impls) == 1:
            return hook_impls[0].plugin_name
        codes = {impl.function.__code__: impl.plugin_name for impl in hook_impls
                 if hasattr(impl.function, "__code__")}
        tb = error.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code in codes:
                return codes[tb.tb_frame.f_code]
            tb = tb.tb_next
        return None

    def report_failure(self, name: str, hook_name: str, error: BaseException) -> HookFailure | None:
        """Hand one plugin failure to the failure listener (hook-call monitoring does it for exceptions;
        callers that find a broken contract in an answer do it with a PluginContractError). Never raises:
        a failing listener is logged, the plugin call's own outcome stands."""
        info = self._plugins.get(name)
        if info is None:
            return None
        failure = describe_failure(info, hook_name, error)
        listener = self.failure_listener
        if listener is None:
            logger.warning("Plugin %s failed in %s: %s: %s", name, hook_name, failure.error_type, failure.message)
            return failure
        try:
            listener(failure)
        except Exception:
            logger.exception("Could not record the failure of plugin %s in %s", name, hook_name)
        return failure


_host: PluginHost | None = None
_lock = threading.Lock()
_process_host_setup: list[Callable[[PluginHost], None]] = []


def get_host() -> PluginHost:
    """The process's host, loaded from entry points on first use."""
    global _host
    if _host is None:
        with _lock:
            if _host is None:
                host = PluginHost()
                host.load_entry_points()
                for setup in _process_host_setup:
                    setup(host)
                _host = host
    return _host


def set_host(host: PluginHost | None) -> PluginHost | None:
    """Replace the process's host (tests register plugins without entry points); returns the old one.
    None makes the next get_host() load from entry points again. The new host is set up as the one
    get_host() loads would be (see `setup_process_host`)."""
    global _host
    with _lock:
        if host is not None:
            for setup in _process_host_setup:
                setup(host)
        previous, _host = _host, host
    return previous


def setup_process_host(setup: Callable[[PluginHost], None]) -> Callable[[], None]:
    """Run `setup` on the process's host, now if it is loaded and on every host that becomes it later;
    returns a function that stops it for later hosts. This is how the platform attaches its failure log
    without this module knowing Django; hosts made for a test kit or a conformance check are never the
    process's host and stay unattached. `setup` may run more than once on one host: make it idempotent."""
    with _lock:
        if setup not in _process_host_setup:
            _process_host_setup.append(setup)
        host = _host
    if host is not None:
        setup(host)

    def undo() -> None:
        with _lock:
            if setup in _process_host_setup:
                _process_host_setup.remove(setup)

    return undo
