"""The menu each role sees. One table, so the pages and the tests agree on what a role may open."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Role


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


ALL_REGION = frozenset({Role.EMPLOYEE, Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR})

REGION_NAV = [
    NavItem(_("Dashboard"), "dashboard", ALL_REGION),
    NavItem(_("Units"), "people:unit-list", frozenset({Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR})),
    NavItem(_("Employees"), "people:employee-list", frozenset({Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR})),
    NavItem(_("Imports"), "people:import", frozenset({Role.HR_ADMIN})),
    NavItem(_("Audit trail"), "audit:list", frozenset({Role.HR_ADMIN, Role.AUDITOR})),
]

PLATFORM_NAV = [
    NavItem(_("Dashboard"), "dashboard", frozenset({Role.OPERATOR, Role.BKN_ANALYST, Role.PLUGIN_VENDOR})),
    NavItem(_("Regions"), "operator:region-list", frozenset({Role.OPERATOR})),
    NavItem(_("Audit trail"), "audit:list", frozenset({Role.OPERATOR})),
]


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    tenant = getattr(request, "tenant", None)
    items = PLATFORM_NAV if tenant is None or tenant.schema_name == "public" else REGION_NAV
    menu = []
    for item in items:
        if user.role not in item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        menu.append({"label": item.label, "url": url, "active": request.path == url})
    return menu
