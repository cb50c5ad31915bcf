"""Who may call what. Each endpoint names the roles it admits; the region is already fixed by the host."""
from rest_framework.permissions import BasePermission

from kinerja.accounts.models import Role


def roles_permission(*roles: str, read_only_roles: tuple[str, ...] = ()):
    """A permission class admitting `roles` for every method and `read_only_roles` for safe ones."""

    class HasRole(BasePermission):
        message = "Your role may not use this endpoint."

        def has_permission(self, request, view):
            user = request.user
            if not (user and user.is_authenticated):
                return False
            if user.role in roles:
                return True
            return request.method in ("GET", "HEAD", "OPTIONS") and user.role in read_only_roles

    HasRole.__name__ = f"HasRole_{'_'.join(roles)}"
    return HasRole


IsOperator = roles_permission(Role.OPERATOR)
IsHrAdmin = roles_permission(Role.HR_ADMIN)
OrganisationReader = roles_permission(Role.HR_ADMIN, read_only_roles=(Role.LEADERSHIP, Role.AUDITOR))
