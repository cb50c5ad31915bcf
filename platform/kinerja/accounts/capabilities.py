"""Who may do what: every capability of the platform and the roles that hold it, in one table.

The table says which roles may use a capability at all. How far it reaches (the user's own records,
their direct reports, their unit, the whole region) stays with each app's selectors, which read this
table instead of naming roles. The pages, the API's permission classes and the navigation menu all ask
here, so a role's menu never offers a page that would refuse it, and giving a role a right is one line.

A role belongs to one kind of site: region roles exist in a region's schema, platform roles in the
public schema. A capability is only ever held on the role's own site, so a platform role created inside
a region (or the other way round) holds nothing there."""
from __future__ import annotations

from django.db import connection
from django_tenants.utils import get_public_schema_name

from kinerja.accounts.models import PLATFORM_ROLES, REGION_ROLES, Role

HR = frozenset({Role.HR_ADMIN})
REGION_WIDE_READERS = frozenset({Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR})
EMPLOYEES = frozenset({Role.EMPLOYEE})

CAPABILITIES: dict[str, frozenset[str]] = {
    # the dashboard of each kind of site
    "region.dashboard": REGION_ROLES,
    "platform.dashboard": PLATFORM_ROLES,
    # people and organisation
    "people.read": REGION_ROLES,  # oneself and one's direct reports; region-wide with people.read_all
    "people.read_all": REGION_WIDE_READERS,
    "people.manage": HR,  # units, positions, employees, imports and exports
    # audit trail (a region's, or the platform's on the public site)
    "audit.read": frozenset({Role.HR_ADMIN, Role.AUDITOR, Role.OPERATOR}),
    # appraisal (SKP)
    "appraisal.read": REGION_ROLES,  # appraisal pages; what each sees is the selectors' business
    "appraisal.read_all": REGION_WIDE_READERS,  # every plan, calibration, exports
    "appraisal.take_part": EMPLOYEES,  # own SKP, appraising one's staff, deciding objections, peer input
    "appraisal.manage": HR,  # years, periods, rules, unit ratings, calibration, rewards and sanctions
    # pay (TPP)
    "pay.read": REGION_ROLES,  # one's own released results; every run and result with pay.read_all
    "pay.read_all": REGION_WIDE_READERS,
    "pay.run.start": HR,  # create, compute, resume, reset and cancel runs
    "pay.run.approve": HR,  # approve (never one's own run) and lock
    "pay.transfer.export": HR,
    "pay.payslips.archive": HR,
    "pay.data.manage": HR,  # attendance, service targets, working calendar, pay settings
    "pay.bank.manage": HR,  # enter employees' bank accounts (the maker); imports
    "pay.bank.approve": HR,  # approve or reject another HR admin's bank account change (the checker)
    # recruitment
    "recruitment.read": REGION_WIDE_READERS,
    "recruitment.manage": HR,
    "recruitment.assess": REGION_ROLES,  # the stages HR assigned the user to
    # training
    "training.read": REGION_ROLES,  # one's own and one's direct reports' training; all with training.read_all
    "training.read_all": REGION_WIDE_READERS,  # compliance, budgets, evaluations
    "training.take_part": EMPLOYEES,  # requesting training, nominating and deciding for one's direct reports
    "training.manage": HR,
    "training.export": frozenset({Role.HR_ADMIN, Role.AUDITOR}),
    # plugins
    "plugins.read": frozenset({Role.HR_ADMIN, Role.AUDITOR}),
    "plugins.manage": HR,
    "plugins.catalogue.diagnose": frozenset({Role.OPERATOR}),  # load errors in the public catalogue
    "plugins.failures.read": frozenset({Role.OPERATOR, Role.PLUGIN_VENDOR}),  # vendors: their plugins' rows
    "plugins.failures.read_all": frozenset({Role.OPERATOR}),  # every row of the plugin failure log
    # reports
    "reports.region.read": frozenset({Role.HR_ADMIN, Role.LEADERSHIP}),
    "reports.region.refresh": HR,
    "reports.national.read": frozenset({Role.BKN_ANALYST, Role.OPERATOR}),
    "reports.refresh.manage": frozenset({Role.OPERATOR}),
    # billing and the fleet of regions
    "billing.region.manage": HR,
    "billing.manage": frozenset({Role.OPERATOR}),
    "regions.manage": frozenset({Role.OPERATOR}),
    "platform_logins.manage": frozenset({Role.OPERATOR}),  # operators, BKN analysts and vendors
    # logins of a region: made for employees, roles granted and revoked, anyone's API tokens revoked,
    # the sign-in policy (two-factor, e-mailed links)
    "accounts.manage": HR,
    # one's own API tokens and two-factor device, on either kind of site
    "accounts.self": REGION_ROLES | PLATFORM_ROLES,
    # notifications: one's own inbox and choices
    "notifications.read": REGION_ROLES,
}


def roles_with(capability: str) -> frozenset[str]:
    """The roles holding a capability. An unknown name is an error, not a silent refusal."""
    return CAPABILITIES[capability]


def capabilities_of(role: str) -> frozenset[str]:
    return frozenset(name for name, roles in CAPABILITIES.items() if role in roles)


def on_public_site() -> bool:
    return connection.schema_name == get_public_schema_name()


def role_belongs_here(role: str) -> bool:
    return role in (PLATFORM_ROLES if on_public_site() else REGION_ROLES)


def roles_of(user) -> frozenset[str]:
    """The roles a signed-in user holds on the site being served: the login's own and those granted
    to it (kept on the user row, so this costs no query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    roles = getattr(user, "roles", None) or frozenset({user.role})
    return frozenset(role for role in roles if role_belongs_here(role))


def has(user, capability: str) -> bool:
    """Whether a signed-in user's roles hold a capability on the site being served."""
    return not roles_with(capability).isdisjoint(roles_of(user))
