"""The menu each role sees. One table, so the pages and the tests agree on what a role may open.

An item whose URL is not routed on the current host (or not built yet) is left out rather than failing
the page. The table only says what is offered; each view still decides access through its app's selector."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import PLATFORM_ROLES, REGION_ROLES, Role


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[str]


REGION_WIDE_READERS = frozenset({Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR})

REGION_NAV = [
    NavItem("dashboard", _("Dashboard"), "dashboard", frozenset(REGION_ROLES)),
    NavItem("skp", _("SKP"), "appraisal:plan-list", frozenset(REGION_ROLES)),
    NavItem("appraisal-years", _("Appraisal years"), "appraisal:year-list", frozenset({Role.HR_ADMIN})),
    NavItem("calibration", _("Calibration"), "appraisal:calibration", REGION_WIDE_READERS),
    NavItem("objections", _("Objections"), "appraisal:objection-list", frozenset(REGION_ROLES)),
    NavItem("peer-input", _("Peer input"), "appraisal:peer-input", frozenset({Role.EMPLOYEE})),
    NavItem("rewards-sanctions", _("Rewards and sanctions"), "appraisal:rewards-sanctions", frozenset(REGION_ROLES)),
    NavItem("units", _("Units"), "people:unit-list", REGION_WIDE_READERS),
    NavItem("employees", _("Employees"), "people:employee-list", REGION_WIDE_READERS),
    NavItem("imports", _("Imports"), "people:import", frozenset({Role.HR_ADMIN})),
    NavItem("recruitment", _("Recruitment"), "recruitment:opening-list", REGION_WIDE_READERS),
    NavItem("training", _("Training"), "training:catalog", frozenset(REGION_ROLES)),
    NavItem("training-hours", _("Training hours"), "training:hours", frozenset(REGION_ROLES)),
    NavItem("training-compliance", _("JP compliance"), "training:compliance", REGION_WIDE_READERS),
    NavItem("audit", _("Audit trail"), "audit:list", frozenset({Role.HR_ADMIN, Role.AUDITOR})),
    NavItem("plugins", _("Plugins"), "plugins:list", frozenset({Role.HR_ADMIN, Role.AUDITOR})),
    NavItem("pay", _("TPP"), "pay:home", frozenset(REGION_ROLES)),
    NavItem("attendance", _("Attendance"), "pay:attendance", frozenset({Role.HR_ADMIN})),
    NavItem("billing", _("Billing"), "region_billing:overview", frozenset({Role.HR_ADMIN})),
    NavItem("reports", _("Reports"), "reports:region", frozenset({Role.HR_ADMIN, Role.LEADERSHIP})),
]

PLATFORM_NAV = [
    NavItem("dashboard", _("Dashboard"), "dashboard", frozenset(PLATFORM_ROLES)),
    NavItem("regions", _("Regions"), "operator:region-list", frozenset({Role.OPERATOR})),
    NavItem("billing", _("Billing"), "billing:region-list", frozenset({Role.OPERATOR})),
    NavItem("applications", _("Applications"), "billing:application-list", frozenset({Role.OPERATOR})),
    NavItem("audit", _("Audit trail"), "audit:list", frozenset({Role.OPERATOR})),
    NavItem("bkn-reports", _("Cross-region reports"), "bkn:overview", frozenset({Role.BKN_ANALYST, Role.OPERATOR})),
    NavItem("report-refresh", _("Report refreshes"), "bkn:runs", frozenset({Role.OPERATOR})),
    NavItem("api-docs", _("API documentation"), "api-docs",
            frozenset({Role.OPERATOR, Role.BKN_ANALYST, Role.PLUGIN_VENDOR})),
    NavItem("plugin-catalogue", _("Plugin catalogue"), "plugin_catalogue:catalogue", frozenset(PLATFORM_ROLES)),
]


def is_public_site(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is None or tenant.schema_name == "public"


def items_for(role: str, *, public: bool) -> list[NavItem]:
    """The items a role is offered on one kind of site, in menu order."""
    return [item for item in (PLATFORM_NAV if public else REGION_NAV) if role in item.roles]


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    menu = []
    for item in items_for(user.role, public=is_public_site(request)):
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        active = request.path == url or (url != "/" and item.key != "dashboard" and request.path.startswith(url))
        menu.append({"key": item.key, "label": item.label, "url": url, "active": active})
    return menu
