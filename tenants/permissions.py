from django.core.exceptions import PermissionDenied
from kinerja.accounts.capabilities import has


def can_manage_regions(user) -> bool:
    return has(user, "regions.manage")


def can_manage_billing(user) -> bool:
    return has(user, "billing.manage")


def require(user, capability: str) -> None:
    if not has(user, capability):
        raise PermissionDenied
