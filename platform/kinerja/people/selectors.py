"""Reading people and organisation data. Every list a user sees goes through `visible_employees`, the
one place that decides who may see whom."""
from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet

from kinerja.accounts.capabilities import has
from kinerja.people.models import (
    ActingSupervisor,
    Employee,
    EmployeeStatus,
    ImportBatch,
    Position,
    Unit,
)
from kinerja.region import facts


def active_headcount() -> int:
    """Employees the region counts as working today (candidates and those who left are not)."""
    return Employee.objects.filter(status=EmployeeStatus.ACTIVE).count()


def employee_for_user(user) -> Employee | None:
    if not user.is_authenticated:
        return None
    return Employee.objects.select_related("unit", "position", "supervisor").filter(user=user).first()


def acting_in_place_of(user, on: datetime.date | None = None) -> QuerySet[Employee]:
    """The supervisors whose place the user's employee takes (Plt/Plh) on a day (today by default, in
    the region's calendar). A subquery, so using it in a filter adds no query of its own."""
    on = on or facts.today()
    return Employee.objects.filter(pk__in=ActingSupervisor.objects.filter(
        acting__user=user, starts_on__lte=on, ends_on__gte=on).values("in_place_of_id"))


def acts_in_place_of(user, employee_id, on: datetime.date | None = None) -> bool:
    if not (user and user.is_authenticated) or employee_id is None:
        return False
    return acting_in_place_of(user, on).filter(pk=employee_id).exists()


def visible_employees(user) -> QuerySet[Employee]:
    """HR, leadership and auditors see the whole region; a supervisor sees their direct reports and
    themselves, and an acting supervisor (Plt/Plh) also the direct reports of the one they replace while
    the assignment runs; any other employee sees only themselves."""
    employees = Employee.objects.select_related("unit", "position", "supervisor")
    if has(user, "people.read_all"):
        return employees
    if has(user, "people.read"):
        return employees.filter(Q(user=user) | Q(supervisor__user=user)
                                | Q(supervisor__in=acting_in_place_of(user)))
    return employees.none()


def acting_supervisors() -> QuerySet[ActingSupervisor]:
    return ActingSupervisor.objects.select_related("acting", "in_place_of", "created_by")


def can_read_people(user) -> bool:
    return has(user, "people.read")


def can_read_organisation(user) -> bool:
    return has(user, "people.read_all")


def can_manage_people(user) -> bool:
    """Writing org and people data, imports and exports."""
    return has(user, "people.manage")


def employee_by_nip(nip) -> Employee | None:
    """The employee a NIP typed into a form names, or None."""
    nip = str(nip or "").strip()
    return Employee.objects.select_related("unit", "supervisor").filter(nip=nip).first() if nip else None


def visible_employee_by_nip(user, nip) -> Employee | None:
    """The employee a NIP typed by `user` names, among those the user may see: an NIP outside that set
    answers exactly as one that does not exist, so a form never confirms that someone has it."""
    nip = str(nip or "").strip()
    return visible_employees(user).select_related("unit", "supervisor").filter(nip=nip).first() if nip else None


def filter_employees(employees: QuerySet[Employee], *, unit: Unit | None = None, include_subunits: bool = True,
                     employee_type: str = "", status: str = "", search: str = "") -> QuerySet[Employee]:
    """Narrows an already visible set; it never widens what `visible_employees` allowed."""
    if unit is not None:
        employees = employees.filter(unit__path__startswith=unit.path) if include_subunits \
            else employees.filter(unit=unit)
    if employee_type:
        employees = employees.filter(employee_type=employee_type)
    if status:
        employees = employees.filter(status=status)
    search = search.strip()
    if search:
        digits = search.replace(" ", "")
        condition = Q(full_name__icontains=search)
        if digits.isdecimal():
            condition |= Q(nip__startswith=digits)
        employees = employees.filter(condition)
    return employees


def visible_employee(user, pk) -> Employee | None:
    return visible_employees(user).filter(pk=pk).first()


def unit_by_code(code: str) -> Unit | None:
    return Unit.objects.filter(code=code).first() if code else None


def units_for_choice() -> QuerySet[Unit]:
    return Unit.objects.order_by("path")


def import_batches() -> QuerySet[ImportBatch]:
    return ImportBatch.objects.select_related("uploaded_by", "applied_by")


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path)


def units_with_headcount() -> QuerySet[Unit]:
    return Unit.objects.select_related("parent").annotate(
        headcount=Count("employees", filter=Q(employees__status=EmployeeStatus.ACTIVE))
    )


def positions_with_headcount() -> QuerySet[Position]:
    return Position.objects.annotate(
        headcount=Count("employees", filter=Q(employees__status=EmployeeStatus.ACTIVE))
    ).order_by("-position_class", "title")


def region_overview() -> dict:
    counts = Employee.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=EmployeeStatus.ACTIVE)),
        pns=Count("id", filter=Q(employee_type="PNS")),
        pppk=Count("id", filter=Q(employee_type="PPPK")),
    )
    return {**counts, "units": Unit.objects.count(), "positions": Position.objects.count()}


def employees_without_login() -> QuerySet[Employee]:
    """Active employees who cannot sign in yet."""
    return Employee.objects.filter(status=EmployeeStatus.ACTIVE, user__isnull=True)
