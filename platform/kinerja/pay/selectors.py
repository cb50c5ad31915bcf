"""Reading pay data, and the one place that decides who sees whose pay.

HR admins see and manage every run and result of their region; leadership and auditors read them. An
employee sees only their own results, and only of approved or locked runs: never a colleague's, not even
as their supervisor (pay is personal; supervisors see appraisal, not TPP)."""
from __future__ import annotations

import datetime
import os
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from kinerja.accounts.capabilities import has
from kinerja.pay.models import (
    AttendanceImport,
    AttendanceRecord,
    BankAccount,
    PayAdjustment,
    PayLine,
    PayResult,
    PayRun,
    PayRunStatus,
    PaySettings,
    ServiceTarget,
    ServiceTargetImport,
)
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


def may_approve(user, run: PayRun) -> bool:
    return has(user, "pay.run.approve") and not is_maker(user, run)


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
    accounts = {a.employee_id: a for a in BankAccount.objects.filter(employee_id__in=run.results.values("employee_id"))}
    return [TransferRow(r.nip, r.full_name, r.net, accounts.get(r.employee_id))
            for r in results_of(run).filter(ok=True, net__gt=0).only("employee_id", "nip", "full_name", "net")]


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


def transparency_table() -> dict | None:
    """Pay per position class of the last locked month, when the region publishes it: counts, average
    and range of take-home TPP. No names, no NIPs."""
    settings = PaySettings.objects.filter(pk=1).first()
    if not settings or not settings.publish_transparency:
        return None
    run = PayRun.objects.filter(status=PayRunStatus.LOCKED).order_by("-month").first()
    if run is None:
        return {"run": None, "rows": []}
    from django.db.models import Max, Min

    rows = (run.results.filter(ok=True).values("position_class")
            .annotate(count=Count("id"), total=Sum("net"), low=Min("net"), high=Max("net"))
            .order_by("-position_class"))
    return {"run": run, "rows": [{**row, "average": round(row["total"] / row["count"]) if row["count"] else 0}
                                 for row in rows]}


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
