"""The small typed schema a plugin declares for its settings, and the one validator every path
(settings page, API, conformance check) goes through.

A schema is a tuple of `ConfigField`s. Types:
  int, decimal, percent (a decimal from 0 to 100 unless min/max say otherwise), bool,
  choice (one of `choices`), text (a line of text; `max` is its length), table (a list of rows, each a dict whose keys are the `columns`, themselves
  scalar fields), mapping-by-class (one integer per kelas jabatan 1..17, keys "1".."17").

`ConfigSchema.clean(raw)` takes JSON-like input (numbers may come as strings, as from a form) and returns
the typed configuration (Decimal for decimals and percents), or raises ConfigError with every problem
keyed by field: "field", "field.7" (class 7 of a mapping) or "field.2.column" (row 2 of a table).
`to_json` turns a typed configuration back into what is stored. This module does not need Django.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Callable, Mapping

INT, DECIMAL, PERCENT, BOOL, CHOICE, TEXT, TABLE, MAPPING_BY_CLASS = (
    "int", "decimal", "percent", "bool", "choice", "text", "table", "mapping-by-class")
FIELD_TYPES = (INT, DECIMAL, PERCENT, BOOL, CHOICE, TEXT, TABLE, MAPPING_BY_CLASS)
SCALAR_TYPES = (INT, DECIMAL, PERCENT, BOOL, CHOICE, TEXT)
POSITION_CLASSES = tuple(range(1, 18))


def _(message: str) -> str:
    """Translate once Django's apps are loaded (the platform), pass through otherwise (a vendor's tests, or
    a plugin host loaded outside Django, as the development server's plugin check does)."""
    try:
        from django.apps import apps
    except ImportError:
        return message
    if apps.ready:
        from django.utils.translation import gettext

        return gettext(message)
    return message


class ConfigError(ValueError):
    """Invalid settings: `errors` maps a field key to its messages."""

    def __init__(self, errors: Mapping[str, list[str]]):
        self.errors = {key: list(messages) for key, messages in errors.items()}
        super().__init__("; ".join(f"{key}: {' '.join(messages)}" for key, messages in self.errors.items()))


class SchemaDefinitionError(ValueError):
    """The schema itself is malformed (a plugin bug, reported at load and by the conformance check)."""


@dataclass(frozen=True)
class ConfigField:
    """One setting.

    name: key in the configuration (a Python identifier).
    type: one of FIELD_TYPES.
    label: short label shown on the settings form.
    default: the value used until HR changes it; must itself be valid.
    help: a sentence explaining the setting and its unit (rupiah, percent of base TPP, ...).
    min, max: bounds for numbers (for mapping-by-class, bounds of each class's amount).
    choices: allowed values of a choice field.
    columns: the scalar fields of each row of a table.
    """

    name: str
    type: str
    label: str
    default: Any
    help: str = ""
    min: Any = None
    max: Any = None
    choices: tuple[str, ...] = ()
    columns: tuple["ConfigField", ...] = ()


@dataclass(frozen=True)
class ConfigSchema:
    """The settings a plugin declares. `check`, when given, is called with the typed configuration once
    every field is valid and returns {field key: [messages]} for rules across fields or rules only the
    plugin can judge (e.g. that a formula compiles); an empty result means valid."""

    fields: tuple[ConfigField, ...] = field(default_factory=tuple)
    check: Callable[[dict], Mapping[str, list[str]]] | None = field(default=None, compare=False)

    def __post_init__(self):
        names = [f.name for f in self.fields]
        if len(names) != len(set(names)):
            raise SchemaDefinitionError("Field names repeat in the schema.")
        for config_field in self.fields:
            _check_definition(config_field)

    def field_named(self, name: str) -> ConfigField:
        return next(f for f in self.fields if f.name == name)

    def defaults(self) -> dict:
        """The default configuration, in stored (JSON) form."""
        return {f.name: _to_json(f, f.default) for f in self.fields}

    def clean(self, raw: Mapping[str, Any] | None) -> dict:
        """Validate `raw` (missing keys take their default) and return the typed configuration."""
        raw = dict(raw or {})
        errors: dict[str, list[str]] = {}
        cleaned: dict[str, Any] = {}
        for unknown in sorted(set(raw) - {f.name for f in self.fields}):
            errors.setdefault(unknown, []).append(_("This plugin has no such setting."))
        for config_field in self.fields:
            value = raw.get(config_field.name, config_field.default)
            cleaned[config_field.name] = _clean_field(config_field, value, config_field.name, errors)
        if not errors and self.check is not None:
            errors = {key: list(messages) for key, messages in (self.check(cleaned) or {}).items() if messages}
        if errors:
            raise ConfigError(errors)
        return cleaned

    def to_json(self, typed: Mapping[str, Any]) -> dict:
        return {f.name: _to_json(f, typed[f.name]) for f in self.fields if f.name in typed}

    def describe(self) -> list[dict]:
        """The schema as plain data, for the catalogue and the API."""
        return [_describe(f) for f in self.fields]


def _describe(config_field: ConfigField) -> dict:
    data = {"name": config_field.name, "type": config_field.type, "label": config_field.label,
            "default": _to_json(config_field, config_field.default), "help": config_field.help,
            "min": _json_scalar(config_field.min), "max": _json_scalar(config_field.max)}
    if config_field.choices:
        data["choices"] = list(config_field.choices)
    if config_field.columns:
        data["columns"] = [_describe(column) for column in config_field.columns]
    return data


def _json_scalar(value):
    return str(value) if isinstance(value, Decimal) else value


def _to_json(config_field: ConfigField, value: Any) -> Any:
    if config_field.type in (DECIMAL, PERCENT):
        return str(value)
    if config_field.type == MAPPING_BY_CLASS:
        return {str(k): int(v) for k, v in dict(value).items()}
    if config_field.type == TABLE:
        return [{c.name: _to_json(c, row[c.name]) for c in config_field.columns if c.name in row} for row in value]
    return value


def _check_definition(config_field: ConfigField) -> None:
    if not config_field.name.isidentifier():
        raise SchemaDefinitionError(f"'{config_field.name}' is not a valid setting name.")
    if config_field.type not in FIELD_TYPES:
        raise SchemaDefinitionError(f"Setting '{config_field.name}' has unknown type '{config_field.type}'.")
    if config_field.type == CHOICE and not config_field.choices:
        raise SchemaDefinitionError(f"Choice setting '{config_field.name}' declares no choices.")
    if config_field.type == TABLE:
        if not config_field.columns:
            raise SchemaDefinitionError(f"Table setting '{config_field.name}' declares no columns.")
        for column in config_field.columns:
            if column.type not in SCALAR_TYPES:
                raise SchemaDefinitionError(
                    f"Column '{column.name}' of table '{config_field.name}' must be a scalar type.")
            _check_definition(column)


def _clean_field(config_field: ConfigField, value: Any, key: str, errors: dict) -> Any:
    kind = config_field.type
    if kind == MAPPING_BY_CLASS:
        return _clean_mapping(config_field, value, key, errors)
    if kind == TABLE:
        return _clean_table(config_field, value, key, errors)
    return _clean_scalar(config_field, value, key, errors)


def _fail(errors: dict, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _clean_scalar(config_field: ConfigField, value: Any, key: str, errors: dict) -> Any:
    kind = config_field.type
    if kind == BOOL:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in {"true", "false", "on", "off", "1", "0", "yes", "no"}:
            return value.lower() in {"true", "on", "1", "yes"}
        _fail(errors, key, _("Enter true or false."))
        return None
    if kind == TEXT:
        if not isinstance(value, str) or not value.strip():
            _fail(errors, key, _("Enter some text."))
            return None
        if config_field.max is not None and len(value) > config_field.max:
            _fail(errors, key, _("At most %s characters.") % config_field.max)
        return value.strip()
    if kind == CHOICE:
        if value not in config_field.choices:
            _fail(errors, key, _("Choose one of: %s.") % ", ".join(config_field.choices))
            return None
        return value
    if kind == INT:
        if isinstance(value, bool) or not _is_whole(value):
            _fail(errors, key, _("Enter a whole number."))
            return None
        number = int(Decimal(str(value).strip()))
    else:
        try:
            if isinstance(value, (bool, float)) or value is None or str(value).strip() == "":
                raise InvalidOperation
            number = Decimal(str(value).strip())
            if not number.is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            _fail(errors, key, _("Enter a number."))
            return None
    low = config_field.min if config_field.min is not None else (0 if kind == PERCENT else None)
    high = config_field.max if config_field.max is not None else (100 if kind == PERCENT else None)
    if low is not None and number < Decimal(str(low)):
        _fail(errors, key, _("Must be at least %s.") % low)
    if high is not None and number > Decimal(str(high)):
        _fail(errors, key, _("Must be at most %s.") % high)
    return number


def _is_whole(value: Any) -> bool:
    if isinstance(value, int):
        return True
    if isinstance(value, str):
        text = value.strip()
        return text.lstrip("-").isdigit()
    return False


def _clean_mapping(config_field: ConfigField, value: Any, key: str, errors: dict) -> dict | None:
    if not isinstance(value, Mapping):
        _fail(errors, key, _("Give one amount per position class 1 to 17."))
        return None
    given = {str(k): v for k, v in value.items()}
    expected = {str(c) for c in POSITION_CLASSES}
    for extra in sorted(set(given) - expected):
        _fail(errors, f"{key}.{extra}", _("Position classes run from 1 to 17."))
    result = {}
    scalar = ConfigField(name=config_field.name, type=INT, label=config_field.label, default=0,
                         min=config_field.min, max=config_field.max)
    for position_class in POSITION_CLASSES:
        class_key = f"{key}.{position_class}"
        if str(position_class) not in given:
            _fail(errors, class_key, _("An amount for position class %s is required.") % position_class)
            continue
        result[position_class] = _clean_scalar(scalar, given[str(position_class)], class_key, errors)
    return result


def _clean_table(config_field: ConfigField, value: Any, key: str, errors: dict) -> list | None:
    if not isinstance(value, (list, tuple)):
        _fail(errors, key, _("Give a list of rows."))
        return None
    rows = []
    column_names = {c.name for c in config_field.columns}
    for number, row in enumerate(value, start=1):
        row_key = f"{key}.{number}"
        if not isinstance(row, Mapping):
            _fail(errors, row_key, _("Each row must have the table's columns."))
            continue
        for unknown in sorted(set(row) - column_names):
            _fail(errors, f"{row_key}.{unknown}", _("This table has no such column."))
        cleaned = {}
        for column in config_field.columns:
            if column.name not in row:
                _fail(errors, f"{row_key}.{column.name}", _("This column is required."))
                continue
            cleaned[column.name] = _clean_scalar(column, row[column.name], f"{row_key}.{column.name}", errors)
        rows.append(cleaned)
    return rows


__all__ = [
    "BOOL", "CHOICE", "DECIMAL", "FIELD_TYPES", "INT", "MAPPING_BY_CLASS", "PERCENT", "POSITION_CLASSES",
    "SCALAR_TYPES", "TABLE", "TEXT",
    "ConfigError", "ConfigField", "ConfigSchema", "SchemaDefinitionError",
]
