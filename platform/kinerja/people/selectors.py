"""Reading people and organisation data. Every list a user sees goes through `visible_employees`, the
one place that decides who may see whom."""
from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, EmployeeStatus, Position, Unit

REGION_WIDE_READERS = {Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR}


def employee_for_user(user) -> Employee | None:
    if not user.is_authenticated:
        return None
    return Employee.objects.select_related("unit", "position", "supervisor").filter(user=user).first()


def visible_employees(user) -> QuerySet[Employee]:
    """HR, leadership and auditors see the whole region; a supervisor sees their direct reports and
    themselves; any other employee sees only themselves."""
    employees = Employee.objects.select_related("unit", "position", "supervisor")
    if not user.is_authenticated:
        return employees.none()
    if user.role in REGION_WIDE_READERS:
        return employees
    if user.role == Role.EMPLOYEE:
        return employees.filter(Q(user=user) | Q(supervisor__user=user))
    return employees.none()


def can_read_organisation(user) -> bool:
    return user.is_authenticated and user.role in REGION_WIDE_READERS


def unit_subtree(unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(path__startswith=unit.path)


def units_with_headcount() -> QuerySet[Unit]:
    return Unit.objects.select_related("parent").annotate(
        headcount=Count("employees", filter=Q(employees__status=EmployeeStatus.ACTIVE))
    )


def region_overview() -> dict:
    counts = Employee.objects.aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=EmployeeStatus.ACTIVE)),
        pns=Count("id", filter=Q(employee_type="PNS")),
        pppk=Count("id", filter=Q(employee_type="PPPK")),
    )
    return {**counts, "units": Unit.objects.count(), "positions": Position.objects.count()}
