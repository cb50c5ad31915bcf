"""Reading pay data, and the one place that decides who sees whose pay.

HR admins see and manage every run and result of their region; leadership and auditors read them. An
employee sees only their own results, and only of approved or locked runs: never a colleague's, not even
as their supervisor (pay is personal; supervisors see appraisal, not TPP)."""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from kinerja_plugin_api.host import get_host

from kinerja.accounts.capabilities import has
from kinerja.pay.explain import rupiah
from kinerja.audit.models import AuditEntry
from kinerja.pay.models import (
    AttendanceImport,
    AttendanceRecord,
    Bank,
    BankAccount,
    BankAccountChange,
    PayAdjustment,
    PayLine,
    PayResult,
    PayRun,
    PayRunStatus,
    PaySettings,
    ServiceTarget,
    ServiceTargetImport,
    TransparencyMode,
)
from kinerja.people.models import Employee
from kinerja.region import facts
from kinerja.region.facts import month_end
from kinerja.region.models import Holiday, WorkingDay

RELEASED = (PayRunStatus.APPROVED, PayRunStatus.LOCKED)
# Transfer files are made from runs a checker approved; a locked run may be sent again.
TRANSFERABLE = RELEASED


def can(user, capability: str) -> bool:
    """Whether the user may use a pay capability at all (kinerja.accounts.capabilities)."""
    return has(user, capability)


def reads_all_pay(user) -> bool:
    return has(user, "pay.read_all")


def visible_runs(user) -> QuerySet[PayRun]:
    runs = PayRun.objects.select_related("started_by", "approved_by", "locked_by")
    if reads_all_pay(user):
        return runs
    if has(user, "pay.read"):
        return runs.filter(status__in=RELEASED, results__employee__user=user).distinct()
    return runs.none()


def run_for(user, run_id) -> PayRun:
    run = visible_runs(user).filter(pk=run_id).first()
    if run is None:
        raise Http404
    return run


def visible_results(user) -> QuerySet[PayResult]:
    results = PayResult.objects.select_related("run")
    if reads_all_pay(user):
        return results
    if has(user, "pay.read"):
        return results.filter(employee__user=user, run__status__in=RELEASED)
    return results.none()


def result_for(user, result_id) -> PayResult:
    result = visible_results(user).filter(pk=result_id).prefetch_related(
        Prefetch("lines", queryset=PayLine.objects.order_by("position"))).first()
    if result is None:
        raise Http404
    return result


def is_maker(user, run: PayRun) -> bool:
    """Whether the user computed the run (and so may not be the one to approve it)."""
    return bool(user and user.is_authenticated and run.started_by_id == user.pk)


def changed_inputs(user, run: PayRun) -> bool:
    """Whether the user changed the run's inputs after it started computing (and so may not approve it)."""
    return bool(user and user.is_authenticated and user.pk in input_changers(run))


def may_approve(user, run: PayRun) -> bool:
    return has(user, "pay.run.approve") and not is_maker(user, run) and not changed_inputs(user, run)


def run_actions_for(user, run: PayRun) -> dict[str, bool]:
    """Which of a run's controls the page offers the user: only those the services would accept."""
    start = has(user, "pay.run.start")
    return {"start": start, "approve": may_approve(user, run), "lock": has(user, "pay.run.approve"),
            "transfer": has(user, "pay.transfer.export") and run.status in TRANSFERABLE,
            "payslips": has(user, "pay.payslips.archive")}


@dataclass(frozen=True)
class TransferRow:
    nip: str
    full_name: str
    net: int
    account: BankAccount | None


def transfer_rows(run: PayRun) -> list[TransferRow]:
    """Who the transfer file pays: every employee computed without error whose take-home is above zero,
    with their bank account when one is on file. Two queries."""
    accounts = {a.employee_id: a for a in BankAccount.objects.filter(employee_id__in=run.results.values("employee_id"))
                .select_related("bank")}
    return [TransferRow(r.nip, r.full_name, r.net, accounts.get(r.employee_id))
            for r in results_of(run).filter(ok=True, net__gt=0).only("employee_id", "nip", "full_name", "net")]


def missing_accounts(run: PayRun) -> list[TransferRow]:
    """Who the transfer file would pay but has no approved bank account on file (a change waiting for
    approval does not count): the run cannot be exported for transfer until this list is empty."""
    return [row for row in transfer_rows(run) if row.account is None]


# Changes to what a run computes from, by audit action. Whoever made one after the run started
# computing may not approve that run (separation of duties, wider than the maker of the run).
INPUT_CHANGE_ACTIONS = (
    "pay.attendance_corrected", "pay.attendance_imported", "pay.service_target_set", "pay.service_targets_imported",
    "pay.adjustment_created", "pay.settings_changed", "plugin.config_changed", "plugin.enabled", "plugin.disabled",
    "pay.bank_account_change_requested", "pay.bank_account_change_approved", "pay.bank_accounts_imported",
    # the calendar decides working days (and so absences), the bank list the account checks
    "pay.working_day_changed", "pay.holiday_added", "pay.holiday_removed", "pay.bank_set",
)


def input_changers(run: PayRun) -> dict[int, list[str]]:
    """{user id: [audit actions]} of those who changed the run's inputs since it started computing."""
    if run.started_at is None:
        return {}
    changers: dict[int, list[str]] = {}
    for actor_id, action in (AuditEntry.objects.filter(at__gte=run.started_at, action__in=INPUT_CHANGE_ACTIONS,
                                                       actor_id__isnull=False)
                             .order_by("at").values_list("actor_id", "action")):
        actions = changers.setdefault(actor_id, [])
        if action not in actions:
            actions.append(action)
    return changers


def bank_accounts() -> QuerySet[BankAccount]:
    return BankAccount.objects.select_related("employee", "bank", "approved_change__requested_by",
                                              "approved_change__decided_by").order_by("employee__full_name")


def bank_account_changes(status: str | None = None) -> QuerySet[BankAccountChange]:
    changes = BankAccountChange.objects.select_related("employee", "bank", "requested_by", "decided_by")
    return changes.filter(status=status) if status else changes


def banks() -> QuerySet[Bank]:
    return Bank.objects.all()


def employees_without_account() -> QuerySet:
    """Payable employees with no approved account, by name."""
    return (Employee.objects.filter(status__in=("active", "on_leave"), bank_account__isnull=True)
            .select_related("unit").order_by("full_name"))


def is_storage_name(name: str) -> bool:
    """Archives are kept as names in the region's storage; older rows hold an absolute file path."""
    return bool(name) and not os.path.isabs(name)


def payslip_archive(run: PayRun):
    """The run's payslip archive opened from the region's storage, or None when there is none (yet)."""
    name = run.payslip_archive
    if name and not is_storage_name(name):
        location = os.path.abspath(default_storage.location)
        inside = os.path.commonpath([location, os.path.abspath(name)]) == location
        name = os.path.relpath(name, location) if inside else ""
    if not name or not default_storage.exists(name):
        return None
    return default_storage.open(name, "rb")


def comparable_runs(user, run: PayRun, limit: int = 12) -> QuerySet[PayRun]:
    """Other runs with results the user may compare this run with."""
    return visible_runs(user).exclude(pk=run.pk).filter(
        status__in=(PayRunStatus.COMPUTED, PayRunStatus.APPROVED, PayRunStatus.LOCKED))[:limit]


def previous_result(user, result: PayResult) -> PayResult | None:
    """The same employee's result of the latest released month before this one, if the user may see it."""
    return (visible_results(user).filter(employee_id=result.employee_id, run__month__lt=result.run.month,
                                         run__status__in=RELEASED).order_by("-run__month").first())


def result_pair(user, result_id, other_id) -> tuple[PayResult, PayResult]:
    """Two results of one employee to compare; Http404 unless the user sees both and they are one person's."""
    result, other = result_for(user, result_id), result_for(user, other_id)
    if result.employee_id != other.employee_id:
        raise Http404
    return result, other


def results_of(run: PayRun) -> QuerySet[PayResult]:
    return run.results.order_by("unit_name", "full_name", "id")


def results_with_lines(run: PayRun) -> QuerySet[PayResult]:
    return results_of(run).prefetch_related(Prefetch("lines", queryset=PayLine.objects.order_by("position")))


def my_results(user) -> QuerySet[PayResult]:
    return visible_results(user).filter(employee__user=user).order_by("-run__month")


def latest_runs(limit: int = 24) -> QuerySet[PayRun]:
    return PayRun.objects.order_by("-month", "-id")[:limit]


def stall_threshold() -> datetime.timedelta:
    """How long a computing run's progress may stand still before it counts as stalled."""
    return datetime.timedelta(seconds=getattr(settings, "KINERJA_PAY_STALL_SECONDS", 45))


def stalled_runs(*, now: datetime.datetime | None = None) -> QuerySet[PayRun]:
    """Computing runs whose last progress (or start) is older than the threshold and that were not sent
    again within the threshold either."""
    cutoff = (now or timezone.now()) - stall_threshold()
    return (PayRun.objects.filter(status=PayRunStatus.COMPUTING)
            .annotate(last_progress=Coalesce("progress_at", "started_at", "created_at"))
            .filter(last_progress__lt=cutoff)
            .filter(Q(resume_requested_at__isnull=True) | Q(resume_requested_at__lt=cutoff)))


def stalled_run_ids(*, now: datetime.datetime | None = None) -> list[int]:
    return list(stalled_runs(now=now).order_by("pk").values_list("pk", flat=True))


def stall_state(run: PayRun, *, now: datetime.datetime | None = None) -> str:
    """"resuming" when the run was sent to the workers again after its last progress, "stalled" when
    its progress has stood still past the threshold, "" otherwise."""
    if run.status != PayRunStatus.COMPUTING:
        return ""
    last = run.progress_at or run.started_at or run.created_at
    if run.resume_requested_at and (last is None or run.resume_requested_at > last):
        return "resuming"
    if last and last < (now or timezone.now()) - stall_threshold():
        return "stalled"
    return ""


def attendance_imports() -> QuerySet[AttendanceImport]:
    return AttendanceImport.objects.select_related("uploaded_by")


def attendance_of(employee_id: int, month) -> QuerySet[AttendanceRecord]:

    return AttendanceRecord.objects.filter(employee_id=employee_id, date__gte=month, date__lte=month_end(month))


def service_target_imports() -> QuerySet[ServiceTargetImport]:
    return ServiceTargetImport.objects.select_related("uploaded_by")


def service_targets_of_month(month) -> QuerySet[ServiceTarget]:
    return (ServiceTarget.objects.filter(month=month).select_related("employee", "updated_by")
            .order_by("employee__full_name", "employee_id"))


def working_days() -> QuerySet[WorkingDay]:
    return WorkingDay.objects.all()


def holidays(year: int | None = None) -> QuerySet[Holiday]:
    found = Holiday.objects.all()
    return found.filter(date__year=year) if year else found


def adjustments_for(run: PayRun) -> QuerySet[PayAdjustment]:
    return PayAdjustment.objects.filter(corrects_run=run).select_related("employee")


# The smallest group of people whose pay the public page shows (the same threshold as BKN's figures).
PUBLIC_GROUP_MINIMUM = 5
# Public averages are rounded (half up) to this many rupiah: a visitor who keeps every month's page and
# sees a class join a group would otherwise get its one person's pay back as 6 x this month's average
# minus 5 x last month's; rounded, that difference is off by up to 5.5 x this step.
PUBLIC_AVERAGE_STEP = 100_000


@dataclass
class PayGroup:
    """Position classes whose paid staff are counted together on the public page."""

    classes: list[int]
    count: int
    total: int
    base_low: int | None = None
    base_high: int | None = None

    @property
    def label(self) -> str:
        low, high = self.classes[0], self.classes[-1]
        return str(low) if low == high else f"{low}\u2013{high}"

    @property
    def average(self) -> int:
        """Half up to PUBLIC_AVERAGE_STEP rupiah."""
        steps = (Decimal(self.total) / self.count / PUBLIC_AVERAGE_STEP).quantize(Decimal(1), ROUND_HALF_UP)
        return int(steps) * PUBLIC_AVERAGE_STEP


def pool_small_classes(per_class: list[tuple[int, int, int]], minimum: int = PUBLIC_GROUP_MINIMUM) -> list[PayGroup]:
    """[(class, people, total)] in class order -> groups of adjacent classes of at least `minimum` people
    each: a class of 5 or more stands alone, smaller ones join their neighbours upwards, and a small
    remainder at the top joins the group below it. With fewer than `minimum` paid in all, nothing."""
    groups: list[PayGroup] = []
    current: PayGroup | None = None
    for position_class, people, total in sorted(per_class):
        if current is None:
            current = PayGroup([], 0, 0)
        current.classes.append(position_class)
        current.count += people
        current.total += total
        if current.count >= minimum:
            groups.append(current)
            current = None
    if current is not None:
        if not groups:
            return []
        last = groups[-1]
        last.classes += current.classes
        last.count += current.count
        last.total += current.total
    return groups


def transparency_table() -> dict | None:
    """The region's public pay page, when the region publishes it: take-home TPP of the last locked
    month per position class for classes of at least 5 paid people, smaller classes pooled with their
    neighbours, averages rounded to PUBLIC_AVERAGE_STEP (no lowest or highest amount, which would be one
    person's pay), and the criteria: the
    region's own words, and the settings the run was computed with. No names, no NIPs."""
    pay = PaySettings.objects.filter(pk=1).first()
    if not pay or not pay.publish_transparency:
        return None
    run = (PayRun.objects.filter(status=PayRunStatus.LOCKED).select_related("config_version")
           .order_by("-month").first())
    result = {"run": run, "rows": [], "settings": pay, "criteria": [], "paid": 0, "average": None, "named": [],
              "minimum": PUBLIC_GROUP_MINIMUM, "step": PUBLIC_AVERAGE_STEP}
    if run is None:
        return result
    per_class = list(run.results.filter(ok=True).values_list("position_class").annotate(
        n=Count("id"), total=Sum("net")).order_by("position_class"))
    groups = pool_small_classes(per_class)
    config = run.config_version.config if run.config_version else {}
    bases = {int(k): int(v) for k, v in (config.get("base_by_class") or {}).items() if str(k).isdigit()}
    for group in groups:
        amounts = [bases[c] for c in group.classes if c in bases]
        group.base_low, group.base_high = (min(amounts), max(amounts)) if amounts else (None, None)
    result["rows"] = groups
    if groups:
        result["paid"] = sum(g.count for g in groups)
        result["average"] = PayGroup([0], result["paid"], sum(g.total for g in groups)).average
    result["criteria"] = criteria_in_words(run)
    result["named"] = named_pay_rows(run, pay)
    return result


def named_pay_in_force(pay: PaySettings | None, today: datetime.date) -> bool:
    """Whether names are on the public page today: the named mode is on under a recorded regulation, the
    page is published, and the first day announced to employees has come (kinerja.pay.named_pay)."""
    return bool(pay and pay.publish_transparency and pay.transparency_mode == TransparencyMode.NAMED
                and pay.named_pay_regulation and pay.named_pay_from and pay.named_pay_from <= today)


def named_pay_rows(run: PayRun, pay: PaySettings, today: datetime.date | None = None) -> list[dict]:
    """Name, position class and take-home TPP of everyone paid in the run, only while the region's named
    mode is in force: nothing else about anyone, never while the mode is off."""
    if not named_pay_in_force(pay, today or facts.today()):
        return []
    rows = run.results.filter(ok=True).order_by("employee__full_name", "employee_id").values_list(
        "employee__full_name", "position_class", "net")
    return [{"name": name, "position_class": position_class, "amount": net} for name, position_class, net in rows]


def criteria_in_words(run: PayRun) -> list[dict]:
    """The settings a run was computed with, as the plugin labels and explains them: [{label, value,
    help}] with percents and rupiah written out. Per-class tables are shown in the pay table instead."""
    host = get_host()
    if not run.plugin_name or run.plugin_name not in host or run.config_version is None:
        return []
    config = run.config_version.config
    lines = []
    for field in host.config_schema(run.plugin_name).fields:
        if field.name not in config or field.type in ("mapping-by-class", "table"):
            continue
        value = config[field.name]
        if field.type == "percent":
            text = f"{Decimal(str(value)).normalize():f}%"
        elif field.type in ("rupiah", "money"):
            text = rupiah(int(value))
        elif isinstance(value, bool):
            text = "✓" if value else "–"
        else:
            text = str(value)
        lines.append({"label": field.label, "value": text, "help": field.help})
    return lines


def diff_results(old: PayResult | None, new: PayResult | None) -> list[dict]:
    """Line by line difference between two results of one employee (two months or two runs)."""
    old_lines = {line.code: line for line in (old.lines.all() if old else [])}
    new_lines = {line.code: line for line in (new.lines.all() if new else [])}
    codes = list(dict.fromkeys([*new_lines, *old_lines]))
    rows = []
    for code in codes:
        before, after = old_lines.get(code), new_lines.get(code)
        line = after or before
        rows.append({"code": code, "label": line.label, "kind": line.kind,
                     "before": before.amount if before else 0, "after": after.amount if after else 0,
                     "change": (after.amount if after else 0) - (before.amount if before else 0)})
    return rows


def run_diff(old: PayRun, new: PayRun) -> list[dict]:
    """Employees whose take-home differs between two runs, with both figures (one query per run)."""
    before = dict(old.results.values_list("employee_id", "net"))
    after = {row[0]: row for row in new.results.values_list("employee_id", "net", "nip", "full_name")}
    names = {row[0]: (row[1], row[2]) for row in old.results.values_list("employee_id", "nip", "full_name")}
    rows = []
    for employee_id in sorted(set(before) | set(after)):
        was, now = before.get(employee_id, 0), (after[employee_id][1] if employee_id in after else 0)
        if was != now:
            nip, name = (after[employee_id][2:] if employee_id in after else names[employee_id])
            rows.append({"employee_id": employee_id, "nip": nip, "full_name": name, "before": was, "after": now,
                         "change": now - was})
    return rows


# --- what to do next (dashboards) -----------------------------------------------------------------
def runs_awaiting_approval(user) -> QuerySet[PayRun]:
    """Computed runs the user may approve: another HR admin computed them."""
    if not has(user, "pay.run.approve"):
        return PayRun.objects.none()
    return PayRun.objects.filter(status=PayRunStatus.COMPUTED).exclude(started_by=user).order_by("month")


def attendance_imported(month: datetime.date) -> bool:
    """Whether any attendance of the month has been imported (or entered)."""
    return AttendanceRecord.objects.filter(date__gte=month, date__lte=month_end(month)).exists()


def my_latest_result(user) -> PayResult | None:
    """The user's own result of the latest released run."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (PayResult.objects.filter(employee__user=user, run__status__in=RELEASED).select_related("run")
            .order_by("-run__month").first())
