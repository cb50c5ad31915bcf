"""Plan templates: the region's starting plan for a position or a unit, which the bulk open copies into
new drafts when HR opens plans from templates (`bulk.open_plans(source="template")`). An employee gets
their position's template, else their unit's, else an empty draft. HR saves a template from an existing
plan or from its content; every save and removal is audited."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import Iki, PlanTemplate, Rhk, RhkKind, SkpPlan
from kinerja.audit.services import record_change

MAX_RESULTS = 50
MAX_INDICATORS = 20


def _require_hr(actor) -> None:
    if not selectors.is_hr(actor):
        raise PermissionDenied(_("Only HR administrators may do this."))


def content_of(plan: SkpPlan) -> list[dict]:
    """A plan's results and indicators in a template's shape (cascade links left out)."""
    return [{"kind": rhk.kind, "text": rhk.text, "ikis": [
        {"text": iki.text, "aspect": iki.aspect,
         "target_value": str(iki.target_value) if iki.target_value is not None else None,
         "target_unit": iki.target_unit, "target_text": iki.target_text, "measured_by": iki.measured_by}
        for iki in rhk.ikis.all()]} for rhk in plan.rhks.prefetch_related("ikis").order_by("kind", "position", "pk")]


def clean_content(content) -> list[dict]:
    """The content checked as `add_rhk`/`add_iki` would check each piece; errors name the result and
    indicator by their number (results.2.ikis.1.target_value)."""
    if not isinstance(content, list) or not content:
        raise ValidationError({"content": _("A template needs at least one result.")})
    if len(content) > MAX_RESULTS:
        raise ValidationError({"content": _("A template holds at most %(count)s results.") % {"count": MAX_RESULTS}})
    cleaned = []
    for number, result in enumerate(content, start=1):
        where = f"results.{number}"
        if not isinstance(result, dict):
            raise ValidationError({where: _("Each result is an object with kind, text and ikis.")})
        if result.get("kind") not in RhkKind.values:
            raise ValidationError({f"{where}.kind": _("Kind must be one of: %(values)s.")
                                   % {"values": ", ".join(RhkKind.values)}})
        text = str(result.get("text") or "").strip()
        if not text:
            raise ValidationError({f"{where}.text": _("Describe the planned result.")})
        ikis = result.get("ikis") or []
        if not isinstance(ikis, list) or len(ikis) > MAX_INDICATORS:
            raise ValidationError({f"{where}.ikis": _("At most %(count)s indicators per result.")
                                   % {"count": MAX_INDICATORS}})
        indicators = []
        for index, iki in enumerate(ikis, start=1):
            if not isinstance(iki, dict) or not str(iki.get("text") or "").strip():
                raise ValidationError({f"{where}.ikis.{index}.text": _("Describe the indicator.")})
            try:
                value, unit, qualitative, measured_by = services.clean_indicator(
                    aspect=iki.get("aspect") or "", target_value=iki.get("target_value"),
                    target_unit=str(iki.get("target_unit") or ""), target_text=str(iki.get("target_text") or ""),
                    measured_by=str(iki.get("measured_by") or ""))
            except ValidationError as error:
                raise ValidationError({f"{where}.ikis.{index}.{field}": messages
                                       for field, messages in error.message_dict.items()}) from None
            indicators.append({"text": str(iki["text"]).strip()[:500], "aspect": iki["aspect"],
                               "target_value": str(value) if value is not None else None, "target_unit": unit[:60],
                               "target_text": qualitative[:500], "measured_by": measured_by})
        cleaned.append({"kind": result["kind"], "text": text, "ikis": indicators})
    return cleaned


@transaction.atomic
def save_template(*, actor, name: str, content=None, from_plan: SkpPlan | None = None, position=None,
                  unit=None) -> PlanTemplate:
    """HR saves the template of a position or a unit (replacing the one it had), from `content` or from
    an existing plan's results and indicators."""
    _require_hr(actor)
    if (position is None) == (unit is None):
        raise ValidationError({"position": _("Choose a position or a unit, not both.")})
    if not (name or "").strip():
        raise ValidationError({"name": _("Name the template.")})
    cleaned = clean_content(content_of(from_plan) if from_plan is not None else content)
    existing = PlanTemplate.objects.select_for_update()
    template = (existing.filter(position=position) if position is not None else existing.filter(unit=unit)).first()
    before = {"name": template.name, "content": template.content} if template else None
    template = template or PlanTemplate(position=position, unit=unit)
    template.name, template.content, template.updated_by = name.strip()[:200], cleaned, actor
    template.save()
    record_change(actor=actor, action="appraisal.plan_template.save", target=template, before=before,
                  after={"name": template.name, "position": template.position_id, "unit": template.unit_id,
                         "content": cleaned, "from_plan": from_plan.pk if from_plan else None})
    return template


@transaction.atomic
def delete_template(*, actor, template: PlanTemplate) -> None:
    _require_hr(actor)
    record_change(actor=actor, action="appraisal.plan_template.delete", target=template,
                  before={"name": template.name, "position": template.position_id, "unit": template.unit_id,
                          "content": template.content})
    template.delete()


def templates() -> list[PlanTemplate]:
    return list(PlanTemplate.objects.select_related("position", "unit").order_by("name", "pk"))


def templates_for(employees) -> dict[int, PlanTemplate]:
    """The template each employee's plan opens from: their position's, else their unit's. One query."""
    employees = list(employees)
    found = PlanTemplate.objects.filter(
        position_id__in={e.position_id for e in employees if e.position_id}) | PlanTemplate.objects.filter(
        unit_id__in={e.unit_id for e in employees})
    by_position, by_unit = {}, {}
    for template in found:
        if template.position_id:
            by_position[template.position_id] = template
        else:
            by_unit[template.unit_id] = template
    return {e.pk: by_position.get(e.position_id) or by_unit.get(e.unit_id) for e in employees
            if by_position.get(e.position_id) or by_unit.get(e.unit_id)}


def copy_into(plan: SkpPlan, template: PlanTemplate) -> tuple[int, int]:
    """Write the template's results and indicators into a new draft. Returns (results, indicators)."""
    results = indicators = 0
    for position, result in enumerate(template.content, start=1):
        rhk = Rhk.objects.create(plan=plan, kind=result["kind"], text=result["text"], position=position)
        results += 1
        Iki.objects.bulk_create([
            Iki(rhk=rhk, text=iki["text"], aspect=iki["aspect"],
                target_value=Decimal(iki["target_value"]) if iki.get("target_value") is not None else None,
                target_unit=iki.get("target_unit", ""), target_text=iki.get("target_text", ""),
                measured_by=iki.get("measured_by", ""), position=index)
            for index, iki in enumerate(result["ikis"], start=1)])
        indicators += len(result["ikis"])
    return results, indicators
