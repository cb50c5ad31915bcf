"""Indicator (IKI) templates per agency type. The built-in set ships here as data; `indicator_templates`
is the one place other sources (plugins answering `kinerja_indicator_templates(agency_type)`) join it."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from django.utils.translation import gettext_lazy as _
from kinerja_plugin_api.host import get_host

from kinerja.appraisal.models import IkiMeasure
from kinerja.plugins.services import enabled_plugin_names


class AgencyType:
    HEALTH = "health"
    EDUCATION = "education"
    PUBLIC_SERVICE = "public_service"

    choices = [(HEALTH, _("Health")), (EDUCATION, _("Education")), (PUBLIC_SERVICE, _("Public service"))]
    values = [HEALTH, EDUCATION, PUBLIC_SERVICE]


@dataclass(frozen=True)
class IndicatorTemplate:
    code: str
    agency_type: str
    text: str
    aspect: str
    target_unit: str = ""
    target_text: str = ""
    source: str = "builtin"
    rhk_hint: str = ""
    measured_by: str = ""  # an IkiMeasure value: "" when the employee enters the realisation

    def as_dict(self) -> dict:
        data = asdict(self)
        data["text"] = str(self.text)
        data["target_unit"] = str(self.target_unit)
        data["target_text"] = str(self.target_text)
        data["rhk_hint"] = str(self.rhk_hint)
        return data


BUILTIN_TEMPLATES = [
    IndicatorTemplate("health-services", AgencyType.HEALTH, _("Health services delivered"), "quantity",
                      _("services")),
    IndicatorTemplate("health-immunisation", AgencyType.HEALTH, _("Children immunised"), "quantity", _("children")),
    IndicatorTemplate("health-satisfaction", AgencyType.HEALTH, _("Citizen satisfaction index"), "quality",
                      _("index points")),
    IndicatorTemplate("education-exam", AgencyType.EDUCATION, _("Students passing the final exam"), "quality",
                      _("percent")),
    IndicatorTemplate("education-training", AgencyType.EDUCATION, _("Teacher training hours completed"), "quantity",
                      _("JP"), measured_by=IkiMeasure.TRAINING_JP),
    IndicatorTemplate("public-requests-on-time", AgencyType.PUBLIC_SERVICE,
                      _("Citizen requests completed within the service standard time"), "time", _("percent")),
    IndicatorTemplate("public-requests", AgencyType.PUBLIC_SERVICE, _("Citizen requests completed"), "quantity",
                      _("requests")),
]


def agency_type_for_unit(unit) -> str:
    """Which template set suits a unit by default (the employee may still pick from any set)."""
    name = (unit.name or "").lower()
    if unit.unit_type == "puskesmas" or "kesehatan" in name or "rumah sakit" in name:
        return AgencyType.HEALTH
    if unit.unit_type == "sekolah" or "pendidikan" in name:
        return AgencyType.EDUCATION
    return AgencyType.PUBLIC_SERVICE


ASPECTS = {"quantity", "quality", "time", "cost", "qualitative"}
# A plugin's template naming a measure this platform does not know is skipped like a malformed one.


def plugin_templates(agency_types: list[str]) -> list[IndicatorTemplate]:
    """Templates from the region's enabled plugins (hook `kinerja_indicator_templates`). Codes are
    prefixed with the plugin's name; a failing plugin or a malformed template is skipped."""
    names = enabled_plugin_names()
    if not names:
        return []
    templates = []
    for agency_type in agency_types:
        for name, result in get_host().call_each("kinerja_indicator_templates", names=names,
                                                 agency_type=agency_type):
            if isinstance(result, Exception) or not result:
                continue
            for item in result:
                kind = getattr(item, "target_kind", "")
                if kind not in ASPECTS or not getattr(item, "indicator", ""):
                    continue
                measured_by = getattr(item, "measured_by", "") or ""  # hook API 2.1
                if measured_by not in IkiMeasure.values:
                    continue
                templates.append(IndicatorTemplate(
                    code=f"{name}:{item.code}", agency_type=item.agency_type or agency_type, text=item.indicator,
                    aspect=kind, target_unit=item.unit or "", source=name, rhk_hint=item.rhk or "",
                    measured_by=measured_by))
    return templates


def indicator_templates(agency_type: str | None = None) -> list[IndicatorTemplate]:
    """Templates for an agency type (every type when None): the built-in set, then the region's plugins'."""
    templates = [t for t in BUILTIN_TEMPLATES if agency_type in (None, t.agency_type)]
    return templates + plugin_templates([agency_type] if agency_type else AgencyType.values)


def indicator_template(code: str) -> IndicatorTemplate | None:
    return next((t for t in indicator_templates() if t.code == code), None)
