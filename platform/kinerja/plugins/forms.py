"""The settings form, generated from the schema a plugin declares. The form only turns text into values;
the rules (bounds, required classes, choices) are checked by the service, whose errors are put back on
the matching fields."""
from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from kinerja_plugin_api import config_schema as cs

from kinerja.plugins.catalogues import choice_labels

CLASS_SEPARATOR = "__class_"
# What each kind of setting holds, in words (the schema's type names are the plugin API's codes).
TYPE_LABELS = {cs.INT: gettext_lazy("whole number"), cs.DECIMAL: gettext_lazy("number"),
               cs.PERCENT: gettext_lazy("percent"), cs.BOOL: gettext_lazy("yes or no"),
               cs.CHOICE: gettext_lazy("choice"), cs.TEXT: gettext_lazy("text"), cs.TABLE: gettext_lazy("table"),
               cs.MAPPING_BY_CLASS: gettext_lazy("amount per position class")}


def _scalar_field(config_field: cs.ConfigField, module: str = "") -> forms.Field:
    common = {"label": config_field.label, "help_text": config_field.help}
    if config_field.type == cs.INT:
        return forms.IntegerField(**common)
    if config_field.type in (cs.DECIMAL, cs.PERCENT):
        return forms.DecimalField(**common)
    if config_field.type == cs.BOOL:
        return forms.BooleanField(required=False, **common)
    if config_field.type == cs.CHOICE:
        return forms.ChoiceField(choices=choice_labels(module, config_field), **common)
    return forms.CharField(**common)


class PluginSettingsForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the change"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, schema: cs.ConfigSchema, current: dict, *args, module: str = "", **kwargs):
        """`schema` with its labels already in the reader's language (`catalogues.translated_schema`);
        `module` is the plugin's, whose catalogue names the choices."""
        super().__init__(*args, **kwargs)
        self.schema = schema
        self.groups: list[dict] = []
        reason = self.fields.pop("reason")
        for config_field in schema.fields:
            value = current.get(config_field.name, schema.defaults()[config_field.name])
            if config_field.type == cs.MAPPING_BY_CLASS:
                names = []
                for position_class in cs.POSITION_CLASSES:
                    name = f"{config_field.name}{CLASS_SEPARATOR}{position_class}"
                    self.fields[name] = forms.IntegerField(label=_("Class %s") % position_class)
                    self.initial[name] = (value or {}).get(str(position_class))
                    names.append(name)
                self.groups.append({"field": config_field, "names": names})
            elif config_field.type == cs.TABLE:
                self.fields[config_field.name] = forms.CharField(
                    label=config_field.label, help_text=config_field.help,
                    widget=forms.Textarea(attrs={"rows": 8, "class": "mono"}))
                self.initial[config_field.name] = json.dumps(value, indent=1, ensure_ascii=False)
                self.groups.append({"field": config_field, "names": [config_field.name]})
            else:
                self.fields[config_field.name] = _scalar_field(config_field, module)
                self.initial[config_field.name] = value
                self.groups.append({"field": config_field, "names": [config_field.name]})
        self.fields["reason"] = reason

    def grouped(self):
        return [{"field": g["field"], "type_label": TYPE_LABELS.get(g["field"].type, g["field"].type),
                 "bound": [self[name] for name in g["names"]]} for g in self.groups]

    def clean(self):
        cleaned = super().clean()
        for config_field in self.schema.fields:
            if config_field.type == cs.TABLE and isinstance(cleaned.get(config_field.name), str):
                try:
                    cleaned[config_field.name] = json.loads(cleaned[config_field.name])
                except json.JSONDecodeError as error:
                    self.add_error(config_field.name, _("Not valid JSON: %s") % error.msg)
        return cleaned

    def raw_config(self) -> dict:
        """The submitted settings in the shape the service validates."""
        raw = {}
        for config_field in self.schema.fields:
            if config_field.type == cs.MAPPING_BY_CLASS:
                raw[config_field.name] = {
                    str(c): self.cleaned_data.get(f"{config_field.name}{CLASS_SEPARATOR}{c}") for c in cs.POSITION_CLASSES}
            elif config_field.type in (cs.DECIMAL, cs.PERCENT):
                raw[config_field.name] = str(self.cleaned_data.get(config_field.name))
            else:
                raw[config_field.name] = self.cleaned_data.get(config_field.name)
        return raw

    def add_service_errors(self, message_dict: dict[str, list[str]]) -> None:
        """Put each error of the service ("base.7", "rows.2.rate", "field") on its form field."""
        for key, messages in message_dict.items():
            parts = key.split(".")
            if len(parts) == 2 and f"{parts[0]}{CLASS_SEPARATOR}{parts[1]}" in self.fields:
                self.add_error(f"{parts[0]}{CLASS_SEPARATOR}{parts[1]}", messages)
            elif parts[0] in self.fields and len(parts) > 1:
                where = _("row %(row)s, %(column)s") % {"row": parts[1], "column": ".".join(parts[2:])} \
                    if len(parts) > 2 else parts[1]
                self.add_error(parts[0], [f"{where}: {m}" for m in messages])
            elif parts[0] in self.fields:
                self.add_error(parts[0], messages)
            else:
                self.add_error(None, [f"{key}: {m}" for m in messages])
