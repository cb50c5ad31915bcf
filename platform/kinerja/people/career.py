"""Career history: promotions, transfers, rank and pay-step changes, each effective from the date its
decree (SK) states, and the state in force on any date, which every module reads (a pay run for October
uses the position held in October even when the employee was promoted in November).

A change is applied to the employee record through the people service (audited, and announcing
workforce changes as any other edit) when it takes effect: at once when its date has come, otherwise by
`apply_due_career_events`, which the region runs daily. Changes are recorded in the order they take
effect, so each keeps the values it replaced."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.accounts.capabilities import has
from kinerja.audit.services import record_change, snapshot
from kinerja.people import services
from kinerja.people.models import CareerEvent, CareerEventKind, Employee, Position, Unit
from kinerja.region import facts

AUDIT_FIELDS = ["employee_id", "kind", "effective_on", "sk_number", "sk_date", "position_id", "unit_id", "rank",
                "previous_position_id", "previous_unit_id", "previous_rank"]


@dataclass(frozen=True)
class StateInForce:
    position_id: int
    position_class: int
    position_title: str
    unit_id: int
    unit_name: str
    rank: str


def _after(event: CareerEvent) -> StateInForce:
    position = event.position or event.previous_position
    unit = event.unit or event.previous_unit
    return StateInForce(position.pk, position.position_class, position.title, unit.pk, unit.name,
                        event.rank or event.previous_rank)


def _before(event: CareerEvent) -> StateInForce:
    position, unit = event.previous_position, event.previous_unit
    return StateInForce(position.pk, position.position_class, position.title, unit.pk, unit.name, event.previous_rank)


def state_on(employee_ids, on: datetime.date) -> dict[int, StateInForce]:
    """The position, unit and rank in force on a date for each employee who has a career history (those
    without one hold what their record says). One query, by an id range as pay chunks are."""
    ids = list(employee_ids)
    if not ids:
        return {}
    wanted = set(ids)
    events: dict[int, list[CareerEvent]] = {}
    for event in (CareerEvent.objects.filter(employee_id__gte=min(ids), employee_id__lte=max(ids))
                  .select_related("position", "unit", "previous_position", "previous_unit")
                  .order_by("employee_id", "effective_on", "id")):
        if event.employee_id in wanted:
            events.setdefault(event.employee_id, []).append(event)
    states = {}
    for employee_id, history in events.items():
        effective = [e for e in history if e.effective_on <= on]
        states[employee_id] = _after(effective[-1]) if effective else _before(history[0])
    return states


def history_of(employee: Employee):
    return employee.career_events.select_related("position", "unit", "previous_position", "previous_unit",
                                                 "recorded_by").order_by("-effective_on", "-id")


def _apply(actor, event: CareerEvent) -> None:
    changes = {}
    if event.position_id:
        changes["position"] = event.position
    if event.unit_id:
        changes["unit"] = event.unit
    if event.rank:
        changes["rank"] = event.rank
    if changes:
        services.update_employee(event.employee, actor=actor, reason=_("%(kind)s, SK %(sk)s, effective %(date)s") % {
            "kind": event.get_kind_display(), "sk": event.sk_number, "date": event.effective_on}, **changes)


@transaction.atomic
def record_career_event(*, actor, employee: Employee, kind: str, effective_on, sk_number: str, sk_date=None,
                        position=None, unit=None, rank: str = "", note: str = "", now=None) -> CareerEvent:
    """HR records a change with its decree; it applies to the employee record once its date has come."""
    if not has(actor, "people.manage"):
        raise PermissionDenied(_("Only HR administrators may do this."))
    employee = Employee.objects.select_for_update(of=("self",)).select_related("position", "unit").get(pk=employee.pk)
    errors: dict[str, list[str]] = {}
    if kind not in CareerEventKind.values:
        errors["kind"] = [_("Kind must be one of: %(values)s.") % {"values": ", ".join(CareerEventKind.values)}]
    if not isinstance(effective_on, datetime.date):
        errors["effective_on"] = [_("Enter the date the change takes effect (TMT).")]
    if not (sk_number or "").strip():
        errors["sk_number"] = [_("Enter the number of the decree (SK).")]
    last = employee.career_events.order_by("-effective_on", "-id").select_related(
        "position", "unit", "previous_position", "previous_unit").first()
    current = _after(last) if last else StateInForce(employee.position_id, employee.position.position_class,
                                                     employee.position.title, employee.unit_id, employee.unit.name,
                                                     employee.rank)
    if last and isinstance(effective_on, datetime.date) and effective_on < last.effective_on:
        errors["effective_on"] = [_("A change effective %(date)s is already recorded: record changes in the order "
                                    "they take effect.") % {"date": last.effective_on}]
    if kind == CareerEventKind.PROMOTION and (position is None or position.pk == current.position_id):
        errors["position"] = [_("Name the new position.")]
    if kind == CareerEventKind.TRANSFER and (unit is None or unit.pk == current.unit_id):
        errors["unit"] = [_("Name the unit the employee moves to.")]
    if kind == CareerEventKind.RANK:
        problem = services.rank_problem(employee.employee_type, rank) if rank else _("Name the new rank.")
        if problem:
            errors["rank"] = [problem]
    if errors:
        raise ValidationError(errors)
    event = CareerEvent.objects.create(
        employee=employee, kind=kind, effective_on=effective_on, sk_number=sk_number.strip(), sk_date=sk_date,
        position=position if kind == CareerEventKind.PROMOTION else None,
        unit=unit if kind in (CareerEventKind.TRANSFER, CareerEventKind.PROMOTION) else None,
        rank=rank if kind == CareerEventKind.RANK else "", note=(note or "").strip(),
        previous_position_id=current.position_id, previous_unit_id=current.unit_id, previous_rank=current.rank,
        recorded_by=actor)
    record_change(actor=actor, action="people.career.record", target=event, after=snapshot(event, AUDIT_FIELDS))
    if effective_on <= facts.today(now):
        _apply(actor, event)
    return event


@transaction.atomic
def apply_due_career_events(now=None) -> int:
    """Apply the changes whose date has come and that the record does not show yet (run daily)."""
    today, applied = facts.today(now), 0
    due = sorted(set(CareerEvent.objects.filter(effective_on__lte=today).values_list("employee_id", flat=True)))
    for employee_id, in_force in state_on(due, today).items():
        employee = Employee.objects.get(pk=employee_id)
        if (employee.position_id, employee.unit_id, employee.rank) != (in_force.position_id, in_force.unit_id,
                                                                       in_force.rank):
            services.update_employee(employee, actor=None, reason=_("Career change taking effect"),
                                     position=Position.objects.get(pk=in_force.position_id),
                                     unit=Unit.objects.get(pk=in_force.unit_id), rank=in_force.rank)
            applied += 1
    return applied
