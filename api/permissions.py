"""Who may call what. Every permission class here reads the capability table
(kinerja.accounts.capabilities), the same one the pages and the menu read; the region is already fixed by
the host, and which records a caller sees stays with the apps' selectors."""
from kinerja.accounts.capabilities import has, roles_with
from rest_framework.permissions import SAFE_METHODS, BasePermission

REFUSED = "Your role may not use this endpoint."


def capability_permission(read: str, write: str | None = None, *, message: str = REFUSED):
    """A permission class admitting holders of `read` to safe methods and holders of `write` (default:
    `read`) to the others."""
    roles_with(read), roles_with(write or read)  # an unknown capability fails at import, not per request

    class HasCapability(BasePermission):
        def has_permission(self, request, view):
            return has(request.user, read if request.method in SAFE_METHODS else (write or read))

    HasCapability.message = message
    HasCapability.__name__ = f"Can_{read.replace('.', '_')}"
    return HasCapability


class ActionCapabilities(BasePermission):
    """For viewsets whose actions need different capabilities: the view's `capabilities` maps an action
    name to the capability it needs, "default" to the one every other action needs. `refusals` may give
    a clearer message per capability."""

    def has_permission(self, request, view):
        capability = view.capabilities.get(view.action, view.capabilities["default"])
        if has(request.user, capability):
            return True
        self.message = getattr(view, "refusals", {}).get(capability, REFUSED)
        return False


IsOperator = capability_permission("regions.manage")
IsHrAdmin = capability_permission("people.manage")
OrganisationReader = capability_permission("people.read_all", write="people.manage")
