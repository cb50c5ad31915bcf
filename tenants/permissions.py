from django.core.exceptions import PermissionDenied

from kinerja.accounts.models import Role


def is_operator(user) -> bool:
    return user.is_authenticated and user.role == Role.OPERATOR


def require_operator(user) -> None:
    if not is_operator(user):
        raise PermissionDenied
