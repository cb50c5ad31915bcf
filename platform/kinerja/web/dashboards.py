"""Which dashboard a user gets and what it shows. The figures come from the apps' selectors, which also
decide access; this module only picks and combines them. A role that does not belong to the site it is
on (a platform role inside a region, a region role on the public site) gets no dashboard at all."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied

from kinerja.accounts.capabilities import has, roles_of
from kinerja.accounts.models import Role
from kinerja.audit.selectors import audit_entries_for
from kinerja.people.models import EmployeeStatus, EmployeeType
from kinerja.people.selectors import (
    employee_for_user,
    region_overview,
    units_with_headcount,
    visible_employees,
)
from kinerja.web.navigation import is_public_site
from tenants.models import RegionStatus
from tenants.selectors import platform_overview, regions

RECENT_AUDIT_ENTRIES = 8
LARGEST_UNITS = 8
NEWEST_REGIONS = 6


def dashboard_context(request) -> tuple[str, dict]:
    user = request.user
    public = is_public_site(request)
    if not has(user, "platform.dashboard" if public else "region.dashboard"):
        raise PermissionDenied
    dashboards = PLATFORM_DASHBOARDS if public else REGION_DASHBOARDS
    roles = roles_of(user)
    # A login holding several roles (an employee granted HR admin) gets the dashboard of the widest one.
    role = next((role for role in DASHBOARD_PRIORITY if role in roles and role in dashboards), user.role)
    return dashboards[role](user)


DASHBOARD_PRIORITY = (Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR, Role.OPERATOR, Role.BKN_ANALYST,
                      Role.PLUGIN_VENDOR, Role.EMPLOYEE)


# --- region site ----------------------------------------------------------------------------------

def _employee(user) -> tuple[str, dict]:
    employee = employee_for_user(user)
    team = []
    if employee is not None:
        # visible_employees keeps the access rule in one place: a supervisor sees their direct reports.
        team = list(visible_employees(user).filter(supervisor=employee).order_by("full_name"))
    context = {"employee": employee, "subordinates": team}
    if team:
        context["team_summary"] = _team_summary(team)
        return "web/dashboard_supervisor.html", context
    return "web/dashboard_employee.html", context


def _team_summary(team) -> dict:
    summary = {"total": len(team), "active": 0, "pns": 0, "pppk": 0}
    for member in team:
        summary["active"] += member.status == EmployeeStatus.ACTIVE
        summary["pns"] += member.employee_type == EmployeeType.PNS
        summary["pppk"] += member.employee_type == EmployeeType.PPPK
    return summary


def _largest_units():
    return list(units_with_headcount().filter(headcount__gt=0).order_by("-headcount", "name")[:LARGEST_UNITS])


def _recent_audit(user):
    return list(audit_entries_for(user)[:RECENT_AUDIT_ENTRIES])


def _hr_admin(user) -> tuple[str, dict]:
    return "web/dashboard_hr_admin.html", {
        "overview": region_overview(), "units": _largest_units(), "audit_entries": _recent_audit(user),
    }


def _leadership(user) -> tuple[str, dict]:
    return "web/dashboard_leadership.html", {"overview": region_overview(), "units": _largest_units()}


def _auditor(user) -> tuple[str, dict]:
    return "web/dashboard_auditor.html", {"overview": region_overview(), "audit_entries": _recent_audit(user)}


REGION_DASHBOARDS = {
    Role.EMPLOYEE: _employee,
    Role.HR_ADMIN: _hr_admin,
    Role.LEADERSHIP: _leadership,
    Role.AUDITOR: _auditor,
}


# --- public site ----------------------------------------------------------------------------------

def _operator(user) -> tuple[str, dict]:
    newest = list(regions().order_by("-created_at")[:NEWEST_REGIONS])
    return "web/dashboard_operator.html", {"overview": platform_overview(), "newest_regions": newest}


def _regions_by_province() -> list[dict]:
    from django.db.models import Count, Q

    # Counts of regions only: nothing personal is read on the public site.
    return list(
        regions().order_by().values("province")
        .annotate(total=Count("id"), active=Count("id", filter=Q(status=RegionStatus.ACTIVE)))
        .order_by("province")
    )


def _bkn_analyst(user) -> tuple[str, dict]:
    return "web/dashboard_bkn_analyst.html", {"overview": platform_overview(), "provinces": _regions_by_province()}


def _plugin_vendor(user) -> tuple[str, dict]:
    return "web/dashboard_plugin_vendor.html", {"overview": platform_overview()}


PLATFORM_DASHBOARDS = {
    Role.OPERATOR: _operator,
    Role.BKN_ANALYST: _bkn_analyst,
    Role.PLUGIN_VENDOR: _plugin_vendor,
}
