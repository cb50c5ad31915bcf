"""Plugins carry their own translations: a plugin's package may hold `locale/<language>/LC_MESSAGES/plugin.mo`
(a gettext catalogue, compiled and shipped with the package), which translates the texts the plugin gives
in English: its description, its settings' labels and help, and the labels of choices. A text the plugin's
catalogue lacks is looked up in the plugin API's catalogue (the labels of the shared TPP settings the
helpers in `kinerja_plugin_api.tpp` make), and is shown as written when neither has it.

The plugin stays free of Django: it ships a plain gettext catalogue, which the platform reads with the
standard library for the active language."""
from __future__ import annotations

import dataclasses
import gettext
import importlib.util
from functools import lru_cache
from pathlib import Path

from django.utils import translation
from kinerja_plugin_api.config_schema import ConfigField, ConfigSchema

DOMAIN = "plugin"
API_PACKAGE = "kinerja_plugin_api"


def _locale_folder(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module.split(".")[0])
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin:
        return None
    folder = Path(spec.origin).parent / "locale"
    return folder if folder.is_dir() else None


@lru_cache(maxsize=256)
def catalogue(module: str, language: str) -> gettext.NullTranslations:
    """The plugin's catalogue for `language`, falling back to the plugin API's, then to the text itself."""
    fallback = gettext.NullTranslations()
    api_folder = _locale_folder(API_PACKAGE)
    if api_folder is not None and module != API_PACKAGE:
        fallback = gettext.translation(DOMAIN, api_folder, languages=[language], fallback=True)
    folder = _locale_folder(module) if module else None
    if folder is None:
        return fallback
    found = gettext.translation(DOMAIN, folder, languages=[language], fallback=True)
    if found is not fallback:
        found.add_fallback(fallback)
    return found


def _language(language: str | None) -> str:
    return (language or translation.get_language() or "id").split("-")[0]


def plugin_text(module: str, text: str, language: str | None = None) -> str:
    """`text` (as the plugin wrote it) in the reader's language, from the plugin's own catalogue."""
    if not text:
        return text
    return catalogue(module or "", _language(language)).gettext(text)


def translated_field(module: str, config_field: ConfigField, language: str | None = None) -> ConfigField:
    return dataclasses.replace(
        config_field, label=plugin_text(module, config_field.label, language),
        help=plugin_text(module, config_field.help, language),
        columns=tuple(translated_field(module, column, language) for column in config_field.columns))


def choice_labels(module: str, config_field: ConfigField, language: str | None = None) -> list[tuple[str, str]]:
    """(stored value, label) for each choice of a choice field: the value stays, the label is translated."""
    return [(choice, plugin_text(module, choice, language)) for choice in config_field.choices]


def translated_schema(module: str, schema: ConfigSchema, language: str | None = None) -> ConfigSchema:
    """The schema with its labels and help in the reader's language (names, types, bounds and choices'
    stored values unchanged), for the settings form."""
    return dataclasses.replace(schema, fields=tuple(translated_field(module, f, language) for f in schema.fields))
