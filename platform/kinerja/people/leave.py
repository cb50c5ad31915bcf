"""Leave (cuti) under PP 11/2017 as amended by PP 17/2020 and BKN regulation 24/2017: the rules, the
requests and their decisions (writes, each in one transaction and audited) and the reads the pages, the
API and pay use.

The figures below are the national ones as commonly applied (domain notes): a region may be stricter,
never looser; where a region's rule differs it belongs in its TPP plugin (how leave is paid), not here.
Collective leave days (cuti bersama) are not yet counted against annual leave: the calendar has no kind
for them.

Flow: the employee (or HR for them) requests; the direct supervisor decides. For annual, sick and
important-reasons leave the supervisor's approval grants it; long-service, maternity and unpaid leave
(CLTN) are granted by the official with the authority (the PPK, represented by HR) after the supervisor's
recommendation."""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.capabilities import has
from kinerja.audit.services import record_change, snapshot
from kinerja.people.models import Employee, EmployeeType, LeaveKind, LeaveRequest, LeaveStatus
from kinerja.region import facts

ANNUAL_DAYS = 12
CARRY_CAP = 18  # the year's 12 plus at most 6 unused days of the year before
CARRY_CAP_TWO_YEARS = 24  # when no annual leave was taken for two years running
DOCUMENT_EXTENSIONS = {".pdf", ".jpg", ".jpeg", ".png"}
DOCUMENT_MAX_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class LeaveRule:
    """What one kind of leave requires: years of service, who may take it, its longest length (in working
    days when `working_day_limit`, otherwise in calendar days), whether a document must come with it and
    whether the granting official (not the supervisor alone) grants it."""

    min_service_years: int
    employee_types: frozenset[str]
    max_days: int
    working_day_limit: bool
    needs_document: bool
    granted_by_official: bool


PNS_ONLY = frozenset({EmployeeType.PNS})
EVERYONE = frozenset({EmployeeType.PNS, EmployeeType.PPPK})
RULES = {
    LeaveKind.ANNUAL: LeaveRule(1, EVERYONE, CARRY_CAP_TWO_YEARS, True, False, False),
    LeaveKind.LONG_SERVICE: LeaveRule(5, PNS_ONLY, 92, False, False, True),  # up to 3 months
    LeaveKind.SICK: LeaveRule(0, EVERYONE, 548, False, True, False),  # 1 year + 6 months, on a doctor's note
    LeaveKind.MATERNITY: LeaveRule(0, EVERYONE, 92, False, True, True),  # up to 3 months
    LeaveKind.IMPORTANT_REASONS: LeaveRule(0, PNS_ONLY, 31, False, True, False),  # up to 1 month
    LeaveKind.UNPAID: LeaveRule(5, PNS_ONLY, 3 * 366 + 366, False, False, True),  # 3 years + 1
}
# Beyond these many days a sick leave needs the granting official (a government doctor's certificate).
SICK_DAYS_BY_SUPERVISOR = 14
OPEN_STATUSES = (LeaveStatus.REQUESTED, LeaveStatus.RECOMMENDED, LeaveStatus.APPROVED)


# --- reads --------------------------------------------------------------------------------------
def service_start(employee: Employee) -> datetime.date | None:
    """When service began, as the number says: a NIP carries the CPNS start month in digits 9-14, a PPPK
    number the appointment year in digits 9-12. None when the number does not say."""
    digits = (employee.nip or "").strip()
    if len(digits) != 18 or not digits.isdigit():
        return None
    try:
        if employee.employee_type == EmployeeType.PNS:
            return datetime.date(int(digits[8:12]), int(digits[12:14]), 1)
        return datetime.date(int(digits[8:12]), 1, 1)
    except ValueError:
        return None


def years_of_service(employee: Employee, on: datetime.date) -> int | None:
    start = service_start(employee)
    if start is None:
        return None
    return on.year - start.year - ((on.month, on.day) < (start.month, start.day))


def working_dates(starts_on: datetime.date, ends_on: datetime.date) -> list[datetime.date]:
    """The region's working days from one date to another (its week and its holidays)."""
    found, month = [], starts_on.replace(day=1)
    while month <= ends_on:
        found += [d for d in facts.work_calendar(month).working_dates if starts_on <= d <= ends_on]
        month = facts.next_month(month)
    return found


def _annual_taken(employee_id: int, year: int) -> int:
    """Working days of approved annual leave counted in a year (a leave across new year counts in the year
    it starts, as it is granted against that year's right)."""
    return sum(LeaveRequest.objects.filter(employee_id=employee_id, kind=LeaveKind.ANNUAL, status=LeaveStatus.APPROVED,
                                           starts_on__year=year).values_list("working_days", flat=True))


def _long_service_in(employee_id: int, year: int) -> bool:
    return LeaveRequest.objects.filter(employee_id=employee_id, kind=LeaveKind.LONG_SERVICE,
                                       status=LeaveStatus.APPROVED, starts_on__year=year).exists()


@dataclass(frozen=True)
class AnnualBalance:
    year: int
    entitlement: int  # this year's own days (0 when not yet eligible or forfeited by long-service leave)
    carried_over: int  # unused days of earlier years brought in, within the caps
    taken: int  # approved
    pending: int  # requested or recommended, not yet decided
    cap: int

    @property
    def available(self) -> int:
        return max(0, self.entitlement + self.carried_over - self.taken - self.pending)


def annual_balance(employee: Employee, year: int) -> AnnualBalance:
    """The employee's annual leave for a year: 12 working days once they have a year of service (none in a
    year of long-service leave), plus what was left of the year before, up to 18 days in all, or up to 24
    when no annual leave was taken in either of the two years before."""
    start = service_start(employee)
    first_year = (start.year + 1) if start else year

    def own(y: int) -> int:
        return 0 if y < first_year or _long_service_in(employee.pk, y) else ANNUAL_DAYS

    def total(y: int, depth: int) -> tuple[int, int, int]:
        """(days available in year y before any is taken, days carried in, the cap that applied)."""
        if y < first_year or depth == 0:
            return own(y), 0, CARRY_CAP
        previous_total, _c, _cap = total(y - 1, depth - 1)
        left = max(0, previous_total - _annual_taken(employee.pk, y - 1))
        idle_two_years = (y - 2 >= first_year and _annual_taken(employee.pk, y - 1) == 0
                          and _annual_taken(employee.pk, y - 2) == 0)
        cap = CARRY_CAP_TWO_YEARS if idle_two_years else CARRY_CAP
        carried = max(0, min(left, cap - own(y))) if own(y) else 0
        return own(y) + carried, carried, cap

    available, carried, cap = total(year, 3)
    pending = sum(LeaveRequest.objects.filter(
        employee=employee, kind=LeaveKind.ANNUAL, starts_on__year=year,
        status__in=(LeaveStatus.REQUESTED, LeaveStatus.RECOMMENDED)).values_list("working_days", flat=True))
    return AnnualBalance(year=year, entitlement=available - carried, carried_over=carried,
                         taken=_annual_taken(employee.pk, year), pending=pending, cap=cap)


def is_leave_official(user) -> bool:
    """The granting official's side (HR acting for the PPK): grants the kinds reserved to it and sees
    every request."""
    return has(user, "people.manage")


def visible_leave(user) -> QuerySet[LeaveRequest]:
    """Region-wide readers see every request; an employee their own and those they decide as supervisor."""
    requests = LeaveRequest.objects.select_related("employee__unit", "supervisor")
    if has(user, "people.read_all"):
        return requests
    if has(user, "people.read"):
        return requests.filter(Q(employee__user=user) | Q(supervisor__user=user))
    return requests.none()


def leave_awaiting(user) -> QuerySet[LeaveRequest]:
    """The requests waiting for the user's decision: as supervisor, and as granting official."""
    waiting = Q(status=LeaveStatus.REQUESTED, supervisor__user=user)
    if is_leave_official(user):
        waiting |= Q(status=LeaveStatus.RECOMMENDED)
    return LeaveRequest.objects.select_related("employee__unit", "supervisor").filter(waiting).order_by("starts_on")


def leave_by_day(employee_ids, first: datetime.date, last: datetime.date) -> dict[int, dict[datetime.date, str]]:
    """Approved leave between two dates, per employee id: {date: kind} for every calendar day covered.
    One query, by an id range as pay chunks are."""
    ids = list(employee_ids)
    if not ids:
        return {}
    wanted, found = set(ids), {}
    rows = LeaveRequest.objects.filter(employee_id__gte=min(ids), employee_id__lte=max(ids),
                                       status=LeaveStatus.APPROVED, starts_on__lte=last, ends_on__gte=first
                                       ).values_list("employee_id", "kind", "starts_on", "ends_on")
    for employee_id, kind, starts_on, ends_on in rows:
        if employee_id not in wanted:
            continue
        day = max(starts_on, first)
        while day <= min(ends_on, last):
            found.setdefault(employee_id, {})[day] = kind
            day += datetime.timedelta(days=1)
    return found


# --- writes -------------------------------------------------------------------------------------
AUDIT_FIELDS = ["employee_id", "kind", "starts_on", "ends_on", "working_days", "reason", "child_order", "status",
                "decision_comment", "decided_at"]


def _check_request(employee: Employee, kind: str, starts_on, ends_on, reason: str, document, child_order,
                   exclude_pk=None) -> int:
    """The working days a request takes, or a ValidationError naming every field that is wrong."""
    if kind not in LeaveKind.values:
        raise ValidationError({"kind": _("Kind must be one of: %(values)s.") % {"values": ", ".join(LeaveKind.values)}})
    rule = RULES[LeaveKind(kind)]
    label = LeaveKind(kind).label
    if not isinstance(starts_on, datetime.date) or not isinstance(ends_on, datetime.date):
        raise ValidationError({"starts_on": _("Enter the first and the last day (YYYY-MM-DD).")})
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The last day must not be before the first.")})
    errors: dict[str, list[str]] = {}
    if employee.employee_type not in rule.employee_types:
        errors.setdefault("kind", []).append(_("%(kind)s is not open to %(type)s employees.") % {
            "kind": label, "type": employee.employee_type})
    service = years_of_service(employee, starts_on)
    if rule.min_service_years and (service is None or service < rule.min_service_years):
        errors.setdefault("kind", []).append(
            _("%(kind)s needs %(years)s years of continuous service; %(name)s has %(has)s.") % {
                "kind": label, "years": rule.min_service_years, "name": employee.full_name,
                "has": service if service is not None else _("an unknown number")})
    days = working_dates(starts_on, ends_on)
    calendar_days = (ends_on - starts_on).days + 1
    if not days:
        errors.setdefault("ends_on", []).append(_("%(start)s to %(end)s holds no working day.") % {
            "start": starts_on, "end": ends_on})
    length = len(days) if rule.working_day_limit else calendar_days
    if length > rule.max_days:
        errors.setdefault("ends_on", []).append(_("%(kind)s lasts at most %(max)s days; this request is %(days)s.") % {
            "kind": label, "max": rule.max_days, "days": length})
    if kind == LeaveKind.MATERNITY:
        if employee.gender != "F":
            errors.setdefault("kind", []).append(_("Maternity leave is taken by the mother."))
        if child_order is None or child_order < 1:
            errors.setdefault("child_order", []).append(_("Say which child this is (1 for the first)."))
        elif child_order > 3:
            errors.setdefault("child_order", []).append(
                _("From the fourth child the rules grant long-service leave instead of maternity leave."))
    if rule.needs_document and not document:
        errors.setdefault("document", []).append(_("%(kind)s needs a supporting document (e.g. a doctor's note).")
                                                 % {"kind": label})
    if kind in (LeaveKind.IMPORTANT_REASONS, LeaveKind.UNPAID) and not (reason or "").strip():
        errors.setdefault("reason", []).append(_("Give the reason for this leave."))
    overlapping = LeaveRequest.objects.filter(employee=employee, status__in=OPEN_STATUSES, starts_on__lte=ends_on,
                                              ends_on__gte=starts_on).exclude(pk=exclude_pk).first()
    if overlapping:
        errors.setdefault("starts_on", []).append(_("It overlaps %(other)s (%(start)s to %(end)s).") % {
            "other": overlapping.get_kind_display(), "start": overlapping.starts_on, "end": overlapping.ends_on})
    if kind == LeaveKind.ANNUAL and not errors:
        balance = annual_balance(employee, starts_on.year)
        if len(days) > balance.available:
            errors.setdefault("ends_on", []).append(
                _("%(days)s working days asked; %(available)s left of annual leave for %(year)s.") % {
                    "days": len(days), "available": balance.available, "year": starts_on.year})
    if document:
        extension = os.path.splitext(document.name)[1].lower()
        if extension not in DOCUMENT_EXTENSIONS or document.size > DOCUMENT_MAX_BYTES:
            errors.setdefault("document", []).append(
                _("%(name)s: a PDF or an image of at most %(mb)s MB is accepted.") % {
                    "name": document.name, "mb": DOCUMENT_MAX_BYTES // (1024 * 1024)})
    if errors:
        raise ValidationError(errors)
    return len(days)


def _lock_employee(employee: Employee) -> Employee:
    """Requests and decisions of one employee run one at a time, so two cannot spend one balance."""
    return Employee.objects.select_for_update(of=("self",)).select_related("supervisor").get(pk=employee.pk)


@transaction.atomic
def request_leave(*, actor, employee: Employee, kind: str, starts_on, ends_on, reason: str = "", document=None,
                  child_order: int | None = None) -> LeaveRequest:
    """The employee (or HR for them) asks for leave; the direct supervisor decides first."""
    if not (employee.user_id and employee.user_id == actor.pk) and not is_leave_official(actor):
        raise PermissionDenied(_("Only the employee or HR may request this leave."))
    employee = _lock_employee(employee)
    days = _check_request(employee, kind, starts_on, ends_on, reason, document, child_order)
    if employee.supervisor_id is None:
        raise ValidationError({"employee": _("%(name)s has no direct supervisor to decide the request.")
                               % {"name": employee.full_name}})
    leave = LeaveRequest(employee=employee, kind=kind, starts_on=starts_on, ends_on=ends_on, working_days=days,
                         reason=(reason or "").strip(), child_order=child_order, supervisor=employee.supervisor)
    if document:
        leave.document.save(os.path.basename(document.name), document, save=False)
    leave.save()
    record_change(actor=actor, action="people.leave.request", target=leave, after=snapshot(leave, AUDIT_FIELDS))
    return leave


def _needs_official(leave: LeaveRequest) -> bool:
    rule = RULES[LeaveKind(leave.kind)]
    return rule.granted_by_official or (leave.kind == LeaveKind.SICK
                                        and (leave.ends_on - leave.starts_on).days + 1 > SICK_DAYS_BY_SUPERVISOR)


@transaction.atomic
def decide_leave(*, actor, leave: LeaveRequest, approve: bool, comment: str = "", now=None) -> LeaveRequest:
    """The supervisor approves (or, for the kinds the granting official grants, recommends) or rejects a
    request; then the granting official grants or rejects what was recommended. A rejection says why."""
    employee = _lock_employee(leave.employee)
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("supervisor").get(pk=leave.pk)
    before = snapshot(leave, AUDIT_FIELDS)
    if leave.status == LeaveStatus.REQUESTED:
        if not (leave.supervisor and leave.supervisor.user_id == actor.pk):
            raise PermissionDenied(_("Only the employee's supervisor decides this request first."))
        target = (LeaveStatus.RECOMMENDED if _needs_official(leave) else LeaveStatus.APPROVED) if approve \
            else LeaveStatus.REJECTED
        leave.recommended_by = actor if approve else None
    elif leave.status == LeaveStatus.RECOMMENDED:
        if not is_leave_official(actor):
            raise PermissionDenied(_("Only the granting official (HR) grants this leave."))
        target = LeaveStatus.APPROVED if approve else LeaveStatus.REJECTED
    else:
        raise ValidationError({"status": _("This request is %(status)s; it cannot be decided again.")
                               % {"status": leave.get_status_display()}})
    if not approve and not (comment or "").strip():
        raise ValidationError({"comment": _("Say why the leave is refused.")})
    if target == LeaveStatus.APPROVED and leave.kind == LeaveKind.ANNUAL:
        balance = annual_balance(employee, leave.starts_on.year)
        # the request's own days are among the pending ones
        if balance.taken + leave.working_days > balance.entitlement + balance.carried_over:
            raise ValidationError({"status": _("Not enough annual leave left for %(year)s.") % {
                "year": leave.starts_on.year}})
    leave.status, leave.decision_comment = target, (comment or "").strip()
    if target in (LeaveStatus.APPROVED, LeaveStatus.REJECTED):
        leave.decided_by, leave.decided_at = actor, now or timezone.now()
    leave.save()
    record_change(actor=actor, action=f"people.leave.{target}", target=leave, before=before,
                  after=snapshot(leave, AUDIT_FIELDS), reason=leave.decision_comment)
    return leave


@transaction.atomic
def cancel_leave(*, actor, leave: LeaveRequest, now=None) -> LeaveRequest:
    """The employee withdraws a request, or an approved leave that has not begun."""
    leave = LeaveRequest.objects.select_for_update(of=("self",)).select_related("employee").get(pk=leave.pk)
    if not (leave.employee.user_id == actor.pk or is_leave_official(actor)):
        raise PermissionDenied(_("Only the employee or HR may cancel this leave."))
    if leave.status not in OPEN_STATUSES:
        raise ValidationError({"status": _("This request is %(status)s already.") % {
            "status": leave.get_status_display()}})
    if leave.status == LeaveStatus.APPROVED and leave.starts_on <= facts.today(now):
        raise ValidationError({"status": _("This leave has begun; HR corrects it with the attendance.")})
    before = snapshot(leave, AUDIT_FIELDS)
    leave.status = LeaveStatus.CANCELLED
    leave.save(update_fields=["status"])
    record_change(actor=actor, action="people.leave.cancel", target=leave, before=before,
                  after=snapshot(leave, AUDIT_FIELDS))
    return leave
