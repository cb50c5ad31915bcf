"""Which dashboard a user gets and what it shows. The figures come from the apps' selectors, which also
decide access; this module only picks and combines them. A role that does not belong to the site it is
on (a platform role inside a region, a region role on the public site) gets no dashboard at all."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kinerja import charts
from kinerja.accounts.capabilities import has, roles_of
from kinerja.accounts.models import Role
from kinerja.appraisal import selectors as appraisal
from kinerja.appraisal.models import Predicate
from kinerja.audit.selectors import audit_entries_for
from kinerja.logins.selectors import hr_admins
from kinerja.pay import selectors as pay
from kinerja.people import departures
from kinerja.people.models import EmployeeStatus, EmployeeType
from kinerja.people.selectors import (
    employee_for_user,
    employees_without_login,
    region_overview,
    units_with_headcount,
    visible_employees,
)
from kinerja.plugins.failures.selectors import failure_counts_by_plugin
from kinerja.plugins.services import pay_plugin_names
from kinerja.region import facts, formats
from kinerja.training import selectors as training
from kinerja.demo.tour import tour_for
from kinerja.web.navigation import is_public_site
from tenants.models import RegionStatus
from tenants.selectors import platform_overview, regions

RECENT_AUDIT_ENTRIES = 8
LARGEST_UNITS = 8
NEWEST_REGIONS = 6
LISTED_STEPS = 5  # rows named one by one under a step (plans to approve, units behind, ...)


@dataclass(frozen=True)
class NextStep:
    """One thing a person should do next: a sentence, the page where it is done, and when it is a list
    (plans waiting, units behind) the first rows, each with its own page. `done` steps say all is well."""

    key: str
    text: str
    url: str
    items: tuple = ()
    done: bool = False


def _item(text: str, url: str) -> dict:
    return {"text": text, "url": url}


def dashboard_context(request) -> tuple[str, dict]:
    user = request.user
    public = is_public_site(request)
    if not has(user, "platform.dashboard" if public else "region.dashboard"):
        raise PermissionDenied
    dashboards = PLATFORM_DASHBOARDS if public else REGION_DASHBOARDS
    roles = roles_of(user)
    # A login holding several roles (an employee granted HR admin) gets the dashboard of the widest one.
    role = next((role for role in DASHBOARD_PRIORITY if role in roles and role in dashboards), user.role)
    template, context = dashboards[role](user)
    if not public:
        context["demo_tour"] = tour_for(role)  # empty outside the demo regions
    return template, context


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
    if employee is None:
        return "web/dashboard_employee.html", context
    context["my_steps"] = _my_steps(user, employee)
    supervising = _supervisor_steps(user, bool(team))
    if team or supervising:
        context["team_summary"] = _team_summary(team)
        context["team_steps"] = supervising
        return "web/dashboard_supervisor.html", context
    return "web/dashboard_employee.html", context


def _my_steps(user, employee) -> list[NextStep]:
    """An employee's own state: this year's SKP, the last predicate, the latest TPP, JP so far and an
    objection still waiting."""
    year = facts.today().year
    steps = []
    plan = appraisal.plan_of(user, year)
    if plan is None:
        steps.append(NextStep("my-skp", _("You have no SKP for %(year)s yet: draft it with your supervisor.")
                              % {"year": year}, reverse("appraisal:plan-list")))
    else:
        steps.append(NextStep("my-skp", _("Your SKP for %(year)s: %(status)s.") % {
            "year": year, "status": plan.get_status_display()}, reverse("appraisal:plan-detail", args=[plan.pk]),
            done=plan.status == "approved"))
    rating = appraisal.last_delivered_rating(user)
    if rating is not None:
        label = str(rating.period) if rating.period_id else str(rating.plan.appraisal_year.year)
        steps.append(NextStep("my-predicate", _("Your last predicate (%(period)s): %(predicate)s.") % {
            "period": label, "predicate": rating.get_predicate_display()},
            reverse("appraisal:plan-result", args=[rating.plan_id]), done=True))
    result = pay.my_latest_result(user)
    if result is not None:
        steps.append(NextStep("my-tpp", _("Your TPP for %(month)s: %(net)s.") % {
            "month": formats.month(result.run.month), "net": formats.rupiah(result.net)},
            reverse("pay:result-detail", args=[result.pk]), done=True))
    if training.takes_part(user):
        jp = training.jp_of(employee, year)
        steps.append(NextStep("my-jp", _("Training this year: %(jp)s of %(target)s JP.") % {
            "jp": jp["total"], "target": jp["target"]}, reverse("training:hours"), done=jp["total"] >= jp["target"]))
    objection = appraisal.open_objection_of(user)
    if objection is not None:
        steps.append(NextStep("my-objection", _("Your objection waits for the decision of your appraiser's superior."),
                              reverse("appraisal:objection-detail", args=[objection.pk])))
    return steps


def _supervisor_steps(user, has_team: bool) -> list[NextStep]:
    """Plans waiting for the user's approval, ratings due, and direct reports without a plan. Only the
    user's own appraisees and direct reports: the selectors filter by the user."""
    year = facts.today().year
    steps = []
    waiting = list(appraisal.plans_to_approve(user)[:LISTED_STEPS + 1])
    if waiting:
        steps.append(NextStep("plans-to-approve", ngettext(
            "%(count)d SKP plan waits for your approval.", "%(count)d SKP plans wait for your approval.",
            len(waiting)) % {"count": len(waiting)}, reverse("appraisal:plan-list") + "?status=submitted",
            items=tuple(_item(f"{plan.employee.full_name} ({plan.appraisal_year.year})",
                              reverse("appraisal:plan-detail", args=[plan.pk])) for plan in waiting[:LISTED_STEPS])))
    due = appraisal.ratings_due(user)
    if due:
        steps.append(NextStep("ratings-due", ngettext(
            "%(count)d rating is due.", "%(count)d ratings are due.", len(due)) % {"count": len(due)},
            reverse("appraisal:plan-list"), items=tuple(
                _item(f"{row['plan'].employee.full_name}: {row['period'] or row['plan'].appraisal_year.year}",
                      reverse("appraisal:plan-period", args=[row["plan"].pk, row["period"].number]) if row["period"]
                      else reverse("appraisal:plan-result", args=[row["plan"].pk]))
                for row in due[:LISTED_STEPS])))
    if has_team:
        missing = list(appraisal.subordinates_without_plan(user, year)[:LISTED_STEPS + 1])
        if missing:
            steps.append(NextStep("team-without-plan", ngettext(
                "%(count)d of your direct reports has no SKP for %(year)s.",
                "%(count)d of your direct reports have no SKP for %(year)s.", len(missing))
                % {"count": len(missing), "year": year}, reverse("appraisal:plan-list"),
                items=tuple(_item(member.full_name, reverse("appraisal:plan-list")) for member in missing[:LISTED_STEPS])))
    return steps


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
    overview = region_overview()
    return "web/dashboard_hr_admin.html", {
        "overview": overview, "units": _largest_units(), "audit_entries": _recent_audit(user),
        "hr_steps": _hr_steps(user), "getting_started": _getting_started(overview),
    }


def _getting_started(overview: dict) -> list[NextStep]:
    """A new region's checklist from onboarding to its first pay run and appraisal year, each step ticked
    by the region's own data (six small queries); the dashboard shows it until every step is done."""
    has_people = overview["total"] > 0
    steps = [
        NextStep("units", _("Import the unit tree (agencies and their sections)."), reverse("people:import"),
                 done=overview["units"] > 0),
        NextStep("employees", _("Import the employees."), reverse("people:import"), done=has_people),
        NextStep("logins", _("Create logins for the employees."), reverse("logins:create-bulk"),
                 done=has_people and not employees_without_login().exists()),
        NextStep("second-hr-admin", _("Give a second person the HR admin role: a pay run is approved by an "
                                      "admin other than the one who computed it."), reverse("logins:list"),
                 done=hr_admins().count() >= 2),
        NextStep("pay-plugin", _("Enable the region's pay (TPP) plugin and check its settings."),
                 reverse("plugins:list"), done=bool(pay_plugin_names())),
        NextStep("holidays", _("Check this year's working days and holidays."), reverse("pay:calendar"),
                 done=pay.holidays(facts.today().year).exists()),
        NextStep("bank-accounts", _("Record the employees' bank accounts for the transfer file."),
                 reverse("pay:bank-accounts"), done=has_people and not pay.employees_without_account().exists()),
        NextStep("appraisal-year", _("Open this year's appraisal (SKP) year."), reverse("appraisal:year-list"),
                 done=appraisal.appraisal_years().filter(year=facts.today().year).exists()),
    ]
    return [] if all(step.done for step in steps) else steps


def _hr_steps(user) -> list[NextStep]:
    """What waits for HR: runs to approve, last month's attendance, logins, plans behind per unit,
    objections, training below the JP target."""
    today = facts.today()
    year = today.year
    steps = []
    runs = list(pay.runs_awaiting_approval(user)[:LISTED_STEPS + 1])
    if runs:
        steps.append(NextStep("runs-to-approve", ngettext(
            "%(count)d TPP run waits for your approval.", "%(count)d TPP runs wait for your approval.", len(runs))
            % {"count": len(runs)}, reverse("pay:home"), items=tuple(
                _item(formats.month(run.month), reverse("pay:run-detail", args=[run.pk])) for run in runs[:LISTED_STEPS])))
    last_month = facts.month_start(facts.month_start(today) - datetime.timedelta(days=1))
    imported = pay.attendance_imported(last_month)
    steps.append(NextStep("attendance", (_("Attendance for %(month)s is imported.") if imported else
                                         _("Attendance for %(month)s has not been imported yet."))
                          % {"month": formats.month(last_month)}, reverse("pay:attendance"), done=imported))
    without_login = employees_without_login().count()
    if without_login:
        steps.append(NextStep("without-login", ngettext(
            "%(count)d active employee has no login.", "%(count)d active employees have no login.", without_login)
            % {"count": without_login}, reverse("logins:create-bulk")))
    behind = appraisal.unsubmitted_plans_by_unit(year, limit=LISTED_STEPS)
    if behind:
        steps.append(NextStep("plans-not-submitted", _("SKP plans for %(year)s not yet submitted, by unit:")
                              % {"year": year}, reverse("appraisal:plan-list") + f"?year={year}", items=tuple(
                                  _item(f"{row['unit__name']}: {row['missing']}",
                                        reverse("people:employee-list") + f"?unit={row['unit__code']}&subunits=0") for row in behind)))
    objections = appraisal.open_objections().count()
    if objections:
        steps.append(NextStep("objections-open", ngettext(
            "%(count)d objection awaits a decision.", "%(count)d objections await a decision.", objections)
            % {"count": objections}, reverse("appraisal:objection-list")))
    leaving = departures.upcoming_departures(today)
    if leaving:
        steps.append(NextStep("departures", ngettext(
            "%(count)d employee retires or reaches the end of a PPPK contract soon:",
            "%(count)d employees retire or reach the end of a PPPK contract soon:", len(leaving))
            % {"count": len(leaving)}, reverse("people:employee-list"), items=tuple(
                _item((_("%(name)s: retirement (BUP %(age)s) on %(date)s") if d.kind == departures.RETIREMENT
                       else _("%(name)s: PPPK contract ends on %(date)s"))
                      % {"name": d.employee.full_name, "age": d.age, "date": formats.date(d.on)},
                      reverse("people:employee-detail", args=[d.employee.pk])) for d in leaving[:LISTED_STEPS])))
    below = training.below_jp_target(year)
    if below:
        steps.append(NextStep("training-below-target", ngettext(
            "%(count)d employee is below the JP target this year.",
            "%(count)d employees are below the JP target this year.", below) % {"count": below},
            reverse("training:compliance")))
    return steps


def _leadership(user) -> tuple[str, dict]:
    counted, distribution = appraisal.latest_predicate_distribution()
    curve_year, curve_checks = appraisal.latest_curve_checks()
    chart = charts.stacked_bars(_("Predicates per unit: %(round)s") % {"round": counted},
                                [(row["unit"], row["counts"]) for row in distribution],
                                [(code, str(label)) for code, label in Predicate.choices]) if distribution else ""
    return "web/dashboard_leadership.html", {"overview": region_overview(), "units": _largest_units(),
                                             "distribution": distribution, "distribution_of": counted,
                                             "distribution_chart": chart, "predicates": Predicate.choices,
                                             "curve_year": curve_year, "curve_checks": curve_checks}


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
    return "web/dashboard_operator.html", {"overview": platform_overview(), "newest_regions": newest,
                                           "operator_steps": _operator_steps(user)}


def _operator_steps(user) -> list[NextStep]:
    """Regions still onboarding or suspended, and plugins that fail."""
    steps = []
    waiting = list(regions().filter(status__in=[RegionStatus.ONBOARDING, RegionStatus.SUSPENDED])
                   .order_by("status", "name"))
    for status, key, text in ((RegionStatus.ONBOARDING, "regions-onboarding", _("Regions still onboarding:")),
                              (RegionStatus.SUSPENDED, "regions-suspended", _("Suspended regions:"))):
        rows = [region for region in waiting if region.status == status]
        if rows:
            steps.append(NextStep(key, text, reverse("operator:region-list"), items=tuple(
                _item(region.name, reverse("operator:region-list")) for region in rows)))
    failing = failure_counts_by_plugin(user)
    if failing:
        steps.append(NextStep("failing-plugins", _("Plugins with recorded failures:"), reverse("plugin_catalogue:failures"),
                              items=tuple(_item(ngettext("%(plugin)s: %(count)d failure", "%(plugin)s: %(count)d failures",
                                                         row["count"]) % {"plugin": name, "count": row["count"]},
                                                reverse("plugin_catalogue:failures") + f"?plugin={name}")
                                          for name, row in sorted(failing.items()))))
    return steps


def _regions_by_province() -> list[dict]:
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
