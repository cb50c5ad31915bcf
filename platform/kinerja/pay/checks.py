"""Checks before and after computing a run.

Before: what the region's pay plugin says it reads (`kinerja_pay_inputs`) decides what must be complete;
each gap is counted and linked to the page that fixes it. HR fixes the gaps or computes anyway with a
written reason, which the run keeps and its approver reads; a gap that is not waivable (no one to pay)
only a fix closes. A plugin that does not answer the hook is
taken to read everything. Bank accounts are always checked: the transfer file needs them.

After: the run is compared with the month before (the latest approved or locked run of an earlier month);
an employee whose take-home moved more than the region's percentage, and totals that moved more than
the region's other percentage, are flagged for the approver.

Each check is one aggregate query over the region, so a run of ten thousand employees spends a few
hundredths of a second here."""
from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _
from kinerja_plugin_api.host import get_host

from kinerja.appraisal import selectors as appraisal_selectors
from kinerja.appraisal.models import Rating
from kinerja.pay import inputs as pay_inputs
from kinerja.pay.models import (
    AttendanceRecord,
    AttendanceStatus,
    PayRun,
    PayRunStatus,
    PaySettings,
)
from kinerja.people.models import Employee
from kinerja.plugins.services import pay_calculator_for_region
from kinerja.region import facts, formats

PAYABLE_STATUSES = ("active", "on_leave")
EVERY_INPUT = frozenset({"position_class", "employee_type", "rank", "attendance", "appraisal", "sanctions",
                         "region_config"})


@dataclass(frozen=True)
class Finding:
    """One line of the checks: a gap (`blocking`: computing needs a fix or a written reason) or a fact the
    approver should know."""

    code: str
    message: str
    count: int
    link: str
    blocking: bool = True
    waivable: bool = True  # a blocking gap HR may compute past with a written reason

    def as_dict(self) -> dict:
        return asdict(self)


def plugin_reads(plugin_name: str) -> frozenset[str]:
    """What the plugin says it reads; everything when it does not say (or its answer fails)."""
    host = get_host()
    if not plugin_name or not host.implements(plugin_name, "kinerja_pay_inputs"):
        return EVERY_INPUT
    try:
        answer = host.call(plugin_name, "kinerja_pay_inputs")
    except Exception:  # reported to the plugin failure log by the host
        return EVERY_INPUT
    return frozenset(answer) if isinstance(answer, (list, tuple, set, frozenset)) else EVERY_INPUT


def _attendance(month: datetime.date, payable) -> list[Finding]:
    """Two scans of the month's records by the (date, employee) index: the working days with any record,
    and the payable employees with a record on every working day."""
    days = facts.work_calendar(month).working_dates
    if not days:
        return []
    link = reverse("pay:attendance")
    found = []
    records = AttendanceRecord.objects.filter(date__in=days)
    covered_days = records.values("date").distinct().count()
    if covered_days < len(days):
        found.append(Finding("attendance_days", _("Attendance is imported for %(covered)d of the %(days)d working "
                                                  "days of %(month)s.") % {"covered": covered_days, "days": len(days),
                                                                           "month": formats.month(month)},
                             len(days) - covered_days, link))
    complete = (records.filter(employee__status__in=PAYABLE_STATUSES).values("employee_id")
                .annotate(days=Count("id")).filter(days__gte=len(days)).count())
    incomplete = payable.count() - complete
    if incomplete:
        found.append(Finding("attendance_employees", _("%d employee(s) lack attendance for some working day (a "
                                                       "day without a record counts as absent).") % incomplete,
                             incomplete, link))
    return found


def _status(month: datetime.date, payable) -> list[Finding]:
    """On leave, by their status, yet no leave or sick day recorded in the month: what kind of leave, and
    so whether TPP is cut, is unknown."""
    unknown = (payable.filter(status="on_leave")
               .exclude(attendance__date__gte=month, attendance__date__lte=facts.month_end(month),
                        attendance__status__in=(AttendanceStatus.LEAVE, AttendanceStatus.SICK)).count())
    if not unknown:
        return []
    return [Finding("status", _("%d employee(s) are on leave by their status but have no leave or sick day "
                                "recorded this month.") % unknown, unknown, reverse("pay:attendance-correct"))]


def _appraisal(month: datetime.date, payable_ids: list[int]) -> list[Finding]:
    """Payable employees without a delivered rating whose period ended by the end of the month (the
    ratings a run reads), counted in one aggregate."""
    rated = (Rating.objects.filter(delivered_at__isnull=False, plan__employee__status__in=PAYABLE_STATUSES)
             .annotate(effective_end=pay_inputs.effective_end())
             .filter(effective_end__lte=facts.month_end(month))
             .values("plan__employee_id").distinct().count())
    missing = len(payable_ids) - rated
    if missing <= 0:
        return []
    return [Finding("appraisal", _("%d employee(s) have no delivered rating in force for this month.") % missing,
                    missing, reverse("appraisal:calibration"))]


def _sanctions(month: datetime.date, payable_ids: list[int]) -> list[Finding]:
    held = len(appraisal_selectors.sanctions_in_force(payable_ids, month))
    if not held:
        return []
    return [Finding("sanctions", _("%d employee(s) have a sanction in force this month; it moves their TPP.") % held,
                    held, reverse("appraisal:rewards-sanctions"), blocking=False)]


def _bank_accounts(payable) -> list[Finding]:
    missing = payable.filter(bank_account__isnull=True).count()
    if not missing:
        return []
    return [Finding("bank_accounts", _("%d employee(s) have no approved bank account; the transfer file waits "
                                       "for them.") % missing, missing, reverse("pay:bank-accounts"))]


def before_run(month: datetime.date, plugin_name: str) -> list[Finding]:
    """Every finding for computing `month` with the plugin, gaps first."""
    payable = Employee.objects.filter(status__in=PAYABLE_STATUSES)
    payable_ids = list(payable.order_by("pk").values_list("pk", flat=True))
    if not payable_ids:  # a run of nobody is never what HR meant: a new region has not imported its people yet
        return [Finding("no_employees", _("No employee is active or on leave, so there is no one to pay; import "
                                          "the region's employees first."), 0, reverse("people:import"),
                        waivable=False)]
    reads = plugin_reads(plugin_name)
    found: list[Finding] = []
    if "attendance" in reads:
        found += _attendance(month, payable) + _status(month, payable)
    if "appraisal" in reads:
        found += _appraisal(month, payable_ids)
    if "sanctions" in reads:
        found += _sanctions(month, payable_ids)
    found += _bank_accounts(payable)
    return sorted(found, key=lambda f: not f.blocking)


def _field(finding, name: str, default: bool) -> bool:
    return getattr(finding, name) if isinstance(finding, Finding) else finding.get(name, default)


def gaps(findings) -> list:
    return [f for f in findings if _field(f, "blocking", True)]


def unwaivable(findings) -> list:
    """Gaps no written reason lets a run past."""
    return [f for f in gaps(findings) if not _field(f, "waivable", True)]


# --- after computing: month on month ---------------------------------------------------------------
@dataclass(frozen=True)
class Comparison:
    previous: PayRun | None
    total_before: int
    total_after: int
    total_change_percent: float | None
    total_flagged: bool
    employee_percent: int
    total_percent: int
    outliers: list[dict]


def _percent(before: int, after: int) -> float | None:
    return None if before == 0 else round(100 * (after - before) / before, 1)


def month_on_month(run: PayRun, settings: PaySettings) -> Comparison:
    """The run against the latest approved or locked run of an earlier month: employees whose take-home
    moved more than the region's percentage (or who are new or gone), and whether the total did. Two
    queries."""
    previous = (PayRun.objects.filter(month__lt=run.month, status__in=(PayRunStatus.APPROVED, PayRunStatus.LOCKED))
                .order_by("-month").first())
    limit, total_limit = settings.outlier_employee_percent, settings.outlier_total_percent
    if previous is None:
        return Comparison(None, 0, run.total_net, None, False, limit, total_limit, [])
    before = dict(previous.results.filter(ok=True).values_list("employee_id", "net"))
    outliers = []
    for employee_id, nip, name, net in run.results.filter(ok=True).values_list("employee_id", "nip", "full_name", "net"):
        was = before.get(employee_id)
        change = _percent(was, net) if was is not None else None
        if was is None or (change is not None and abs(change) > limit) or (was == 0 and net != 0):
            outliers.append({"employee_id": employee_id, "nip": nip, "full_name": name, "before": was, "after": net,
                             "change_percent": change})
    outliers.sort(key=lambda row: -abs(row["change_percent"] or 1000))
    total_change = _percent(previous.total_net, run.total_net)
    return Comparison(previous, previous.total_net, run.total_net, total_change,
                      total_change is not None and abs(total_change) > total_limit, limit, total_limit, outliers)


def findings_for(run: PayRun) -> list[dict]:
    """A draft's findings as they stand now; a started run's as they stood when computing started."""
    if run.status == PayRunStatus.DRAFT:
        try:
            plugin_name = pay_calculator_for_region().plugin_name
        except ValidationError:  # no pay plugin enabled: the first thing a new region must fix
            missing = Finding("pay_plugin", _("No pay (TPP) plugin is enabled in this region: enable the one "
                                              "that computes its TPP before computing."), 0, reverse("plugins:list"))
            return [missing.as_dict()] + [f.as_dict() for f in before_run(facts.month_start(run.month), "")]
        return [f.as_dict() for f in before_run(facts.month_start(run.month), plugin_name)]
    return list(run.checks or [])
