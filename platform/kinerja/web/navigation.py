"""The menu each role sees. Each item names the capability its page requires, so the menu reads the
same table as the pages and the API (kinerja.accounts.capabilities): a role is offered exactly the pages
it may open.

An item whose URL is not routed on the current host (or not built yet) is left out rather than failing
the page. The table only says what is offered; each view still decides access through its app's selector."""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.capabilities import roles_of, roles_with
from kinerja.accounts.models import PLATFORM_ROLES, REGION_ROLES


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    capability: str
    group: str = ""  # a key of GROUPS; "" stands at the top, ungrouped

    @property
    def roles(self) -> frozenset[str]:
        return roles_with(self.capability)


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


REGION_NAV = [
    NavItem("dashboard", _("Dashboard"), "dashboard", "region.dashboard"),
    NavItem("skp", _("SKP"), "appraisal:plan-list", "appraisal.read", group="performance"),
    NavItem("appraisal-years", _("Appraisal years"), "appraisal:year-list", "appraisal.manage", group="performance"),
    NavItem("calibration", _("Calibration"), "appraisal:calibration", "appraisal.read_all", group="performance"),
    NavItem("objections", _("Objections"), "appraisal:objection-list", "appraisal.read", group="performance"),
    NavItem("peer-input", _("Peer input"), "appraisal:peer-input", "appraisal.take_part", group="performance"),
    NavItem("rewards-sanctions", _("Rewards and sanctions"), "appraisal:rewards-sanctions", "appraisal.read",
            group="performance"),
    NavItem("units", _("Units"), "people:unit-list", "people.read_all", group="people"),
    NavItem("positions", _("Positions"), "people:position-list", "people.read_all", group="people"),
    NavItem("employees", _("Employees"), "people:employee-list", "people.read_all", group="people"),
    NavItem("imports", _("Imports"), "people:import", "people.manage", group="people"),
    NavItem("recruitment", _("Recruitment"), "recruitment:opening-list", "recruitment.read", group="recruitment"),
    NavItem("training", _("Training"), "training:catalog", "training.read", group="training"),
    NavItem("training-hours", _("Training hours"), "training:hours", "training.read", group="training"),
    NavItem("training-compliance", _("JP compliance"), "training:compliance", "training.read_all", group="training"),
    NavItem("audit", _("Audit trail"), "audit:list", "audit.read", group="administration"),
    NavItem("plugins", _("Plugins"), "plugins:list", "plugins.read", group="administration"),
    NavItem("pay", _("TPP"), "pay:home", "pay.read", group="pay"),
    NavItem("attendance", _("Attendance"), "pay:attendance", "pay.data.manage", group="pay"),
    NavItem("bank-accounts", _("Bank accounts"), "pay:bank-accounts", "pay.bank.manage", group="pay"),
    NavItem("billing", _("Billing"), "region_billing:overview", "billing.region.manage", group="administration"),
    NavItem("reports", _("Reports"), "reports:region", "reports.region.read", group="reports"),
    NavItem("logins", _("Logins and roles"), "logins:list", "accounts.manage", group="administration"),
    NavItem("my-tokens", _("My API tokens"), "me:tokens", "accounts.self", group="administration"),
    NavItem("daily-log", _("Daily log"), "appraisal:daily-log", "appraisal.take_part", group="performance"),
    NavItem("leave", _("Leave"), "people:leave", "people.read", group="people"),
    NavItem("bulk-appraisal", _("Approve and deliver in bulk"), "appraisal:bulk", "appraisal.take_part",
            group="performance"),
    NavItem("bulk-open-plans", _("Open plans in bulk"), "appraisal:bulk-open", "appraisal.manage",
            group="performance"),
    NavItem("annual-tpp", _("Annual TPP summary"), "pay:annual-summary", "pay.read_all", group="pay"),
]

PLATFORM_NAV = [
    NavItem("dashboard", _("Dashboard"), "dashboard", "platform.dashboard"),
    NavItem("regions", _("Regions"), "operator:region-list", "regions.manage", group="regions"),
    NavItem("cluster", _("Database nodes"), "operator:cluster", "regions.manage", group="regions"),
    NavItem("platform-logins", _("Platform logins"), "operator:logins", "platform_logins.manage", group="regions"),
    NavItem("billing", _("Billing"), "billing:region-list", "billing.manage", group="regions"),
    NavItem("applications", _("Applications"), "billing:application-list", "billing.manage", group="regions"),
    NavItem("audit", _("Audit trail"), "audit:list", "audit.read", group="administration"),
    NavItem("bkn-reports", _("Cross-region reports"), "bkn:overview", "reports.national.read", group="reports"),
    NavItem("report-refresh", _("Report refreshes"), "bkn:runs", "reports.refresh.manage", group="reports"),
    # The API documentation and the plugin catalogue are open pages; every platform user is shown them.
    NavItem("api-docs", _("API documentation"), "api-docs", "platform.dashboard", group="administration"),
    NavItem("plugin-catalogue", _("Plugin catalogue"), "plugin_catalogue:catalogue", "platform.dashboard",
            group="administration"),
    NavItem("my-tokens", _("My API tokens"), "me:tokens", "accounts.self", group="administration"),
]


def is_public_site(request) -> bool:
    tenant = getattr(request, "tenant", None)
    return tenant is None or tenant.schema_name == "public"


def items_for(role: str | frozenset[str], *, public: bool) -> list[NavItem]:
    """The items a role (or a login's set of roles) is offered on one kind of site, in menu order: none
    on a site the role does not belong to, as it holds no capability there."""
    roles = frozenset([role]) if isinstance(role, str) else frozenset(role)
    roles &= PLATFORM_ROLES if public else REGION_ROLES
    return [item for item in (PLATFORM_NAV if public else REGION_NAV) if roles & item.roles]


def navigation_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    menu = []
    for item in items_for(roles_of(user) or user.role, public=is_public_site(request)):
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
