"""Reading logins, roles and tokens. HR (accounts.manage) sees every login of its region; everyone else
sees only their own tokens. The region is the schema's: another region's logins are not there at all."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from kinerja.accounts.capabilities import has
from kinerja.accounts.models import PLATFORM_ROLES, ApiToken, Role, RoleGrant
from kinerja.people.models import Employee, Unit
from kinerja.people.selectors import filter_employees


def can_manage_logins(user) -> bool:
    return has(user, "accounts.manage")


def can_hold_tokens(user) -> bool:
    return has(user, "accounts.self")


def employees_for_logins(*, unit: Unit | None = None, has_login: str = "", status: str = "",
                         search: str = "") -> QuerySet[Employee]:
    """Employees with their login (or none), for HR's login page and bulk creation."""
    employees = filter_employees(Employee.objects.select_related("user", "unit", "position"), unit=unit,
                                 status=status, search=search)
    if has_login == "yes":
        employees = employees.filter(user__isnull=False)
    elif has_login == "no":
        employees = employees.filter(user__isnull=True)
    return employees


def logins_without_employee() -> QuerySet:
    """Logins that belong to no employee (the first HR admin, auditors from outside)."""
    return get_user_model().objects.filter(employee__isnull=True).order_by("username")


def managed_login(pk):
    """One login of the region, for HR (raises DoesNotExist)."""
    return get_user_model().objects.get(pk=pk)


def role_grants_of(user) -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(user=user).select_related("granted_by", "revoked_by")


def tokens_of(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).select_related("revoked_by")


def visible_tokens(user) -> QuerySet[ApiToken]:
    """HR sees every token of the region; anyone else their own."""
    tokens = ApiToken.objects.select_related("user", "revoked_by")
    if can_manage_logins(user):
        return tokens
    if can_hold_tokens(user):
        return tokens.filter(user=user)
    return tokens.none()


def hr_admins() -> QuerySet:
    return get_user_model().objects.filter(Q(role=Role.HR_ADMIN) | Q(granted_roles__contains=[Role.HR_ADMIN]),
                                           is_active=True).order_by("username")


def platform_logins() -> QuerySet:
    """Every login of the platform's own site (operators, BKN analysts, plugin vendors), active first."""
    return (get_user_model().objects.filter(role__in=PLATFORM_ROLES).select_related("vendor_account")
            .order_by("-is_active", "role", "username"))
