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
    group: str = ""  # a key of GROUPS; "" stands at the top, ungrouped


# Menu sections, in the order they appear.
GROUPS = {
    "": "",
    "performance": _("Performance (SKP)"),
    "pay": _("Pay (TPP)"),
    "people": _("People"),
    "recruitment": _("Recruitment"),
    "training": _("Training"),
    "regions": _("Regions"),
    "reports": _("Reports"),
    "administration": _("Administration"),
}


REGION_WIDE_READERS = frozenset({Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR})

REGION_NAV = [
    NavItem("dashboard", _("Dashboard"), "dashboard", frozenset(REGION_ROLES)),
    NavItem("skp", _("SKP"), "appraisal:plan-list", frozenset(REGION_ROLES), group="performance"),
    NavItem("appraisal-years", _("Appraisal years"), "appraisal:year-list", frozenset({Role.HR_ADMIN}), group="performance"),
    NavItem("calibration", _("Calibration"), "appraisal:calibration", REGION_WIDE_READERS, group="performance"),
    NavItem("objections", _("Objections"), "appraisal:objection-list", frozenset(REGION_ROLES), group="performance"),
    NavItem("peer-input", _("Peer input"), "appraisal:peer-input", frozenset({Role.EMPLOYEE}), group="performance"),
    NavItem("rewards-sanctions", _("Rewards and sanctions"), "appraisal:rewards-sanctions", frozenset(REGION_ROLES), group="performance"),
    NavItem("units", _("Units"), "people:unit-list", REGION_WIDE_READERS, group="people"),
    NavItem("employees", _("Employees"), "people:employee-list", REGION_WIDE_READERS, group="people"),
    NavItem("imports", _("Imports"), "people:import", frozenset({Role.HR_ADMIN}), group="people"),
    NavItem("recruitment", _("Recruitment"), "recruitment:opening-list", REGION_WIDE_READERS, group="recruitment"),
    NavItem("training", _("Training"), "training:catalog", frozenset(REGION_ROLES), group="training"),
    NavItem("training-hours", _("Training hours"), "training:hours", frozenset(REGION_ROLES), group="training"),
    NavItem("training-compliance", _("JP compliance"), "training:compliance", REGION_WIDE_READERS, group="training"),
    NavItem("audit", _("Audit trail"), "audit:list", frozenset({Role.HR_ADMIN, Role.AUDITOR}), group="administration"),
    NavItem("plugins", _("Plugins"), "plugins:list", frozenset({Role.HR_ADMIN, Role.AUDITOR}), group="administration"),
    NavItem("pay", _("TPP"), "pay:home", frozenset(REGION_ROLES), group="pay"),
    NavItem("attendance", _("Attendance"), "pay:attendance", frozenset({Role.HR_ADMIN}), group="pay"),
    NavItem("billing", _("Billing"), "region_billing:overview", frozenset({Role.HR_ADMIN}), group="administration"),
    NavItem("reports", _("Reports"), "reports:region", frozenset({Role.HR_ADMIN, Role.LEADERSHIP}), group="reports"),
]

PLATFORM_NAV = [
    NavItem("dashboard", _("Dashboard"), "dashboard", frozenset(PLATFORM_ROLES)),
    NavItem("regions", _("Regions"), "operator:region-list", frozenset({Role.OPERATOR}), group="regions"),
    NavItem("billing", _("Billing"), "billing:region-list", frozenset({Role.OPERATOR}), group="regions"),
    NavItem("applications", _("Applications"), "billing:application-list", frozenset({Role.OPERATOR}), group="regions"),
    NavItem("audit", _("Audit trail"), "audit:list", frozenset({Role.OPERATOR}), group="administration"),
    NavItem("bkn-reports", _("Cross-region reports"), "bkn:overview", frozenset({Role.BKN_ANALYST, Role.OPERATOR}), group="reports"),
    NavItem("report-refresh", _("Report refreshes"), "bkn:runs", frozenset({Role.OPERATOR}), group="reports"),
    NavItem("api-docs", _("API documentation"), "api-docs",
            frozenset({Role.OPERATOR, Role.BKN_ANALYST, Role.PLUGIN_VENDOR}), group="administration"),
    NavItem("plugin-catalogue", _("Plugin catalogue"), "plugin_catalogue:catalogue", frozenset(PLATFORM_ROLES), group="administration"),
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
        menu.append({"key": item.key, "label": item.label, "url": url, "active": active, "group": item.group})
    return menu


def grouped(menu: list[dict]) -> list[dict]:
    """The menu as sections in GROUPS order, each with its items; empty sections are left out."""
    sections = {key: {"key": key, "label": label, "items": []} for key, label in GROUPS.items()}
    for item in menu:
        sections.get(item["group"], sections[""])["items"].append(item)
    return [section for section in sections.values() if section["items"]]
