"""Pay runs and the region's pay data: every write and every rule of the pay module.

A run moves draft -> computing -> computed -> approved -> locked. Computing happens in the background in
chunks: each chunk's results, lines and the run's progress are committed together, so a run whose worker
dies resumes at the first employee not yet committed and ends with the same totals, never with a
duplicate or a missing employee. Approval needs a second HR user (maker-checker); a locked run never
changes again, and corrections of it are paid as adjustment lines in a later month.

Rounding: plugins round each line once, half up, to whole rupiah (`kinerja_plugin_api.types.round_rupiah`);
the engine only adds whole-rupiah lines, so an employee's total is the sum of their lines and a run's
total the sum of its employees, exactly."""
from __future__ import annotations

import datetime
import json
import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from kinerja_plugin_api.host import get_host
from kinerja_plugin_api.pay import PayCalculator
from kinerja_plugin_api.types import (
    DEDUCTION,
    EARNING,
    Explanation,
)
from kinerja_plugin_api.types import (
    PayLine as PluginPayLine,
)
from kinerja_plugin_api.types import (
    PayResult as PluginResult,
)

from kinerja import jobs
from kinerja.audit.services import record_change, snapshot
from kinerja.notifications.services import (
    month_param,
    notify,
    notify_each,
    page,
    rupiah,
    users_holding,
)
from kinerja.pay import bank_files, checks, documents, selectors
from kinerja.pay import inputs as pay_inputs
from kinerja.pay.models import (
    PayAdjustment,
    PayLine,
    PayResult,
    PayRun,
    PayRunStatus,
    PaySettings,
)
from kinerja.people.models import Employee
from kinerja.plugins.failures import messages as plugin_messages
from kinerja.plugins.failures import services as plugin_failures
from kinerja.plugins.models import PluginConfigVersion
from kinerja.plugins.services import pay_calculator_for_region, validated_config
from kinerja.region import facts, formats
from kinerja.region.models import Holiday, WorkingDay

logger = logging.getLogger(__name__)
PAYABLE_STATUSES = ("active", "on_leave")
RUN_FIELDS = ["month", "status", "plugin_name", "plugin_version", "config_version_id", "total_employees",
              "processed", "failed", "total_net"]


def _require(actor, capability: str) -> None:
    if not selectors.can(actor, capability):
        raise PermissionDenied(_("Only the region's HR admins manage pay."))


def pay_settings() -> PaySettings:
    return PaySettings.objects.get_or_create(pk=1)[0]


CRITERIA_FIELDS = ("criteria_formula", "criteria_deductions", "criteria_predicate")
CRITERIA_MAX_LENGTH = 4000


@transaction.atomic
def update_pay_settings(*, actor, publish_transparency: bool, criteria: dict | None = None) -> PaySettings:
    """Whether the public page shows pay per position class, and the region's criteria in its own words
    (`criteria`: any of CRITERIA_FIELDS; None leaves them as they are)."""
    _require(actor, "pay.data.manage")
    settings = pay_settings()
    fields = ["publish_transparency", *CRITERIA_FIELDS]
    before = snapshot(settings, fields)
    errors = {}
    for name, text in (criteria or {}).items():
        if name not in CRITERIA_FIELDS:
            errors[name] = [_("Not a published criterion.")]
        elif len(str(text or "")) > CRITERIA_MAX_LENGTH:
            errors[name] = [_("At most %d characters.") % CRITERIA_MAX_LENGTH]
        else:
            setattr(settings, name, str(text or "").strip())
    if errors:
        raise ValidationError(errors)
    settings.publish_transparency = bool(publish_transparency)
    settings.save(update_fields=fields)
    record_change(actor=actor, action="pay.settings_changed", target=settings, before=before,
                  after=snapshot(settings, fields))
    return settings


def set_document_logo(*, actor, content: bytes, filename: str) -> PaySettings:
    """The logo printed on the region's official documents: a PNG or JPEG of at most 1 MB."""
    _require(actor, "pay.data.manage")
    if len(content) > 1024 * 1024:
        raise ValidationError({"logo": [_("The logo is larger than 1 MB.")]})
    if not (content.startswith(b"\x89PNG\r\n\x1a\n") or content.startswith(b"\xff\xd8\xff")):
        raise ValidationError({"logo": [_("The logo must be a PNG or JPEG image.")]})
    with transaction.atomic():
        settings = PaySettings.objects.select_for_update().get(pk=pay_settings().pk)
        before = {"document_logo": settings.document_logo.name or ""}
        settings.document_logo.save(filename[-100:] or "logo", ContentFile(content), save=False)
        settings.save(update_fields=["document_logo"])
        record_change(actor=actor, action="pay.settings_changed", target=settings, before=before,
                      after={"document_logo": settings.document_logo.name})
    return settings


OUTLIER_FIELDS = ["outlier_employee_percent", "outlier_total_percent"]
OUTLIER_LIMITS = (1, 1000)


@transaction.atomic
def set_outlier_limits(*, actor, employee_percent, total_percent) -> PaySettings:
    """How far one employee's TPP and the run's totals may move from the month before without being
    flagged before approval, in whole percent."""
    _require(actor, "pay.data.manage")
    low, high = OUTLIER_LIMITS
    values, errors = {}, {}
    for name, given in zip(OUTLIER_FIELDS, (employee_percent, total_percent)):
        try:
            values[name] = int(str(given).strip())
        except (TypeError, ValueError):
            errors[name] = [_("Enter a whole number of percent, for example 25.")]
            continue
        if not low <= values[name] <= high:
            errors[name] = [_("Between %(low)d and %(high)d percent.") % {"low": low, "high": high}]
    if errors:
        raise ValidationError(errors)
    settings = PaySettings.objects.select_for_update().get(pk=pay_settings().pk)
    before = snapshot(settings, OUTLIER_FIELDS)
    for name, value in values.items():
        setattr(settings, name, value)
    settings.save(update_fields=OUTLIER_FIELDS)
    record_change(actor=actor, action="pay.settings_changed", target=settings, before=before,
                  after=snapshot(settings, OUTLIER_FIELDS))
    return settings


BANK_FILE_FIELDS = ["bank_file_format", "bank_file_layouts", "payer_account"]


def update_bank_file_settings(*, actor, bank_file_format: str, payer_account: str = "",
                              layout: list | None = None) -> PaySettings:
    """The region's transfer file format, its paying account and (optionally) its bank's column layout for
    that format; a layout of None keeps the one saved, an empty list goes back to the format's default."""
    _require(actor, "pay.data.manage")
    payer_account = (payer_account or "").strip()
    if payer_account and not payer_account.replace(" ", "").isdigit():
        raise ValidationError({"payer_account": [_("The paying account is digits only.")]})
    layouts = dict(pay_settings().bank_file_layouts or {})
    if layout:
        layouts[bank_file_format] = bank_files.check_layout(bank_file_format, layout)
    else:
        bank_files.check_layout(bank_file_format, None)
        if layout is not None:
            layouts.pop(bank_file_format, None)
    with transaction.atomic():
        settings = PaySettings.objects.select_for_update().get(pk=pay_settings().pk)
        before = snapshot(settings, BANK_FILE_FIELDS)
        settings.bank_file_format, settings.bank_file_layouts = bank_file_format, layouts
        settings.payer_account = payer_account.replace(" ", "")
        settings.save(update_fields=BANK_FILE_FIELDS)
        record_change(actor=actor, action="pay.settings_changed", target=settings, before=before,
                      after=snapshot(settings, BANK_FILE_FIELDS))
    return settings


# --- the working calendar -------------------------------------------------------------------------
def set_working_day(*, actor, weekday: int, is_working: bool, starts_at: datetime.time | None = None,
                    ends_at: datetime.time | None = None) -> WorkingDay | None:
    _require(actor, "pay.data.manage")
    if weekday not in range(7):
        raise ValidationError({"weekday": [_("A weekday is 0 (Monday) to 6 (Sunday).")]})
    existing = WorkingDay.objects.filter(weekday=weekday).first()
    before = snapshot(existing, ["weekday", "is_working", "starts_at", "ends_at"]) if existing else None
    if is_working and (starts_at is None or ends_at is None or ends_at <= starts_at):
        raise ValidationError({"ends_at": [_("A working day needs a start and an end after it.")]})
    with transaction.atomic():
        if existing is None and not is_working:
            return None
        day = existing or WorkingDay(weekday=weekday)
        day.is_working = is_working
        if is_working:
            day.starts_at, day.ends_at = starts_at, ends_at
        day.save()
        record_change(actor=actor, action="pay.working_day_changed", target=day, before=before,
                      after=snapshot(day, ["weekday", "is_working", "starts_at", "ends_at"]))
    return day


def add_holiday(*, actor, date: datetime.date, name: str) -> Holiday:
    _require(actor, "pay.data.manage")
    if not (name or "").strip():
        raise ValidationError({"name": [_("Name the holiday.")]})
    if Holiday.objects.filter(date=date).exists():
        raise ValidationError({"date": [_("%s is already a holiday.") % date.isoformat()]})
    holiday = Holiday.objects.create(date=date, name=name.strip())
    record_change(actor=actor, action="pay.holiday_added", target=holiday, after=snapshot(holiday, ["date", "name"]))
    return holiday


def remove_holiday(holiday: Holiday, *, actor) -> None:
    _require(actor, "pay.data.manage")
    record_change(actor=actor, action="pay.holiday_removed", target=holiday, before=snapshot(holiday, ["date", "name"]))
    holiday.delete()


# --- runs -----------------------------------------------------------------------------------------
def _audit(run: PayRun, actor, action: str, before: dict | None, reason: str = "") -> None:
    record_change(actor=actor, action=action, target=run, before=before, after=snapshot(run, RUN_FIELDS),
                  reason=reason)


def create_run(*, month: datetime.date, actor) -> PayRun:
    """A draft run for a month. A region has one run per month (a cancelled one aside): the database
    refuses a second one even when two requests race."""
    _require(actor, "pay.run.start")
    month = facts.month_start(month)
    try:
        with transaction.atomic():
            run = PayRun.objects.create(month=month, created_by=actor)
            _audit(run, actor, "pay.run_created", None)
    except IntegrityError:
        raise ValidationError({"month": [_("%s already has a pay run; open it, or cancel it first.")
                                         % month.strftime("%Y-%m")]}) from None
    return run


def _locked(run_id: int) -> PayRun:
    return PayRun.objects.select_for_update().get(pk=run_id)


def _refuse(run: PayRun, allowed: tuple[str, ...], verb: str) -> None:
    if run.status not in allowed:
        raise ValidationError({"status": [_("A run that is %(status)s cannot be %(verb)s.")
                                          % {"status": PayRunStatus(run.status).label, "verb": verb}]})


def start_run(run: PayRun, *, actor, enqueue: bool = True, reason: str = "") -> PayRun:
    """Check the inputs the plugin reads, fix the plugin, its configuration version and the employees to
    pay, then compute in the background. A gap in the inputs (attendance, ratings, leave, bank accounts)
    stops it unless HR gives a written reason, which the run keeps for its approver."""
    _require(actor, "pay.run.start")
    calculator = pay_calculator_for_region()
    reason = (reason or "").strip()
    findings = checks.before_run(facts.month_start(run.month), calculator.plugin_name)
    open_gaps = checks.gaps(findings)
    if blocked := checks.unwaivable(open_gaps):
        raise ValidationError({"status": [gap.message for gap in blocked]})
    if open_gaps and not reason:
        raise ValidationError({"reason": [
            _("Fix these gaps, or give a written reason to compute anyway (the approver reads it): %s")
            % " ".join(gap.message for gap in open_gaps)]})
    with transaction.atomic():
        run = _locked(run.pk)
        _refuse(run, (PayRunStatus.DRAFT,), _("computed"))
        before = snapshot(run, RUN_FIELDS)
        run.checks, run.checks_reason = [f.as_dict() for f in findings], reason if open_gaps else ""
        run.employee_ids = list(Employee.objects.filter(status__in=PAYABLE_STATUSES).order_by("pk")
                                .values_list("pk", flat=True))
        run.total_employees, run.processed, run.failed = len(run.employee_ids), 0, 0
        run.plugin_name, run.plugin_version = calculator.plugin_name, calculator.plugin_version
        run.config_version_id = calculator.config_version_id
        run.status, run.started_by, run.started_at, run.error = PayRunStatus.COMPUTING, actor, timezone.now(), ""
        run.progress_at, run.resume_requested_at = run.started_at, None
        run.save()
        _audit(run, actor, "pay.run_started", before, run.checks_reason)
        if enqueue:
            transaction.on_commit(lambda: enqueue_compute(run.pk))
    return run


COMPUTE_TASK = "kinerja.pay.tasks.compute_pay_run_task"
PAYSLIP_ARCHIVE_TASK = "kinerja.pay.tasks.build_payslip_archive_task"


def enqueue_compute(run_id: int) -> None:
    jobs.enqueue(COMPUTE_TASK, run_id)


def resume_run(run: PayRun, *, actor) -> PayRun:
    """Send a computing run to the workers again (after a worker died). Safe to repeat: committed chunks
    are never computed twice."""
    _require(actor, "pay.run.start")
    _refuse(run, (PayRunStatus.COMPUTING,), _("resumed"))
    run.resume_requested_at = timezone.now()
    PayRun.objects.filter(pk=run.pk).update(resume_requested_at=run.resume_requested_at)
    record_change(actor=actor, action="pay.run_resumed", target=run, after={"processed": run.processed})
    transaction.on_commit(lambda: enqueue_compute(run.pk))
    return run


def resume_stalled_runs(*, now: datetime.datetime | None = None) -> list[int]:
    """Send again every computing run of the current region whose progress has stood still longer than
    the stall threshold (its worker died and the broker lost the message), each at most once per
    threshold, with an audit entry. Safe alongside a live worker: a run whose chunk is being computed
    holds its row lock and is skipped, and a resumed run goes on at its first uncommitted chunk."""
    now = now or timezone.now()
    threshold = selectors.stall_threshold()
    resumed = []
    for run_id in selectors.stalled_run_ids(now=now):
        with transaction.atomic():
            run = selectors.stalled_runs(now=now).select_for_update(skip_locked=True).filter(pk=run_id).first()
            if run is None:  # progressed, finished or being computed since it was listed
                continue
            before = snapshot(run, ["processed", "progress_at", "resume_requested_at"])
            run.resume_requested_at = now
            run.attempts += 1
            run.retry_at, run.retry_reason = None, ""
            run.save(update_fields=["resume_requested_at", "attempts", "retry_at", "retry_reason"])
            record_change(actor=None, action="pay.run_stalled_resumed", target=run, before=before,
                          after=snapshot(run, ["processed", "progress_at", "resume_requested_at"]),
                          reason=_("No progress for more than %d seconds; sent to the workers again.")
                          % threshold.total_seconds())
            transaction.on_commit(lambda run_id=run.pk: enqueue_compute(run_id))
        resumed.append(run_id)
    return resumed


def note_retry(run_id: int, *, delay_seconds: float, error: Exception) -> None:
    """What the run page says while a database error inside the computing task waits for its next try:
    one more attempt, when it comes and the error. Written if the database answers; when it is still away
    nothing is written, and the page says the run stalled once its progress has stood still long enough."""
    try:
        if connection.connection is not None and connection.errors_occurred and not connection.is_usable():
            connection.close()  # the next query opens a fresh connection
        PayRun.objects.filter(pk=run_id, status=PayRunStatus.COMPUTING).update(
            attempts=F("attempts") + 1, retry_at=timezone.now() + datetime.timedelta(seconds=delay_seconds),
            retry_reason=(_("database error: %s") % str(error).strip().splitlines()[0] if str(error).strip()
                          else _("database error"))[:300])
    except DatabaseError:
        pass


def _calculator_for(run: PayRun):
    """The calculator bound to the configuration version the run started with, even if HR saved a newer one."""
    current = pay_calculator_for_region(run.plugin_name)
    if current.config_version_id == run.config_version_id and current.plugin_version == run.plugin_version:
        return current
    if current.plugin_version != run.plugin_version:
        raise ValidationError({"plugin": [_("%(plugin)s was upgraded from %(old)s to %(new)s while the run was "
                                            "computing; reset the run and compute it again.")
                                          % {"plugin": run.plugin_name, "old": run.plugin_version,
                                             "new": current.plugin_version}]})
    version = PluginConfigVersion.objects.get(pk=run.config_version_id)
    host = get_host()
    return PayCalculator(host=host, plugin_name=run.plugin_name, plugin_version=run.plugin_version,
                         config_version_id=version.pk, config=validated_config(run.plugin_name, version.config, host))


def _region_config() -> dict:
    region = facts.current_region()
    return region.as_dict() if region else {}


def _correction_explanation(adjustment: PayAdjustment) -> Explanation:
    """The platform's own line explains itself like a plugin's, in both languages of the payslip."""
    def sentence(language: str) -> str:
        with translation.override(language):
            return _("A correction of the TPP of an earlier month (%(month)s): %(reason)s") % {
                "month": adjustment.corrects_run.month.isoformat()[:7], "reason": adjustment.reason}

    return Explanation(sentence("id"), sentence("en"))


def _adjustment_lines(run: PayRun) -> dict[int, list[PluginPayLine]]:
    lines: dict[int, list[PluginPayLine]] = {}
    for adjustment in PayAdjustment.objects.filter(pay_month=run.month).select_related("corrects_run"):
        label = _("Correction of TPP %s") % formats.month(adjustment.corrects_run.month)
        lines.setdefault(adjustment.employee_id, []).append(PluginPayLine(
            f"KOREKSI_{adjustment.pk}", label, abs(adjustment.amount), EARNING if adjustment.amount > 0 else DEDUCTION,
            {"corrects_month": adjustment.corrects_run.month.isoformat(), "reason": adjustment.reason},
            _correction_explanation(adjustment)))
    return lines


def explanation_columns(explanation: Explanation | None) -> tuple[str, str]:
    """A line's explanation as stored: (Indonesian, English) sentences, each joined by the separator."""
    if explanation is None:
        return "", ""
    join = PayLine.SENTENCE_SEPARATOR.join
    return join(explanation.indonesian), join(explanation.english)


def _totals(lines) -> tuple[int, int, int]:
    earnings = deductions = contributions = 0
    for line in lines:
        if line.kind == EARNING:
            earnings += line.amount
        elif line.kind == DEDUCTION:
            deductions += line.amount
        else:
            contributions += line.amount
    return earnings, deductions, contributions


# One encoder for every row: json.dumps with options builds a new encoder on each call.
_to_json = json.JSONEncoder(default=str, separators=(",", ":")).encode
RESULT_COLUMNS = ("id", "run_id", "employee_id", "nip", "full_name", "unit_name", "position_title", "position_class",
                  "employee_type", "rank", "earnings", "deductions", "contributions", "net", "ok", "error", "inputs")
LINE_COLUMNS = ("result_id", "position", "code", "label", "kind", "amount", "inputs", "explanation_indonesian",
                "explanation_english")


def _copy(table: str, columns: tuple[str, ...], rows) -> None:
    """Many rows at once through COPY, several times faster than INSERT for the tens of thousands a run
    writes; it runs inside the caller's transaction like any other statement."""
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _new_ids(table: str, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count])
        return [row[0] for row in cursor.fetchall()]


def compute_chunk(run: PayRun, employee_ids: list[int], calculator, cal, region_config, adjustments) -> int:
    """Compute and store one chunk; the caller holds the transaction and the run's lock. Returns failures."""
    employee_facts = pay_inputs.employee_facts(employee_ids, run.month)
    found = pay_inputs.pay_inputs(employee_facts, cal, region_config, delivered_by=run.started_at)
    result_ids = _new_ids(PayResult._meta.db_table, len(employee_facts))
    results, line_rows = [], []
    failures = 0
    for result_id, fact in zip(result_ids, employee_facts):
        pay_input = found[fact.id]
        outcome = calculator.compute(pay_input, run.month)
        record = _to_json(pay_inputs.input_record(pay_input))
        if isinstance(outcome, PluginResult):
            lines = list(outcome.lines) + adjustments.get(fact.id, [])
            earnings, deductions, contributions = _totals(lines)
            ok, error = True, ""
            for position, line in enumerate(lines, start=1):
                line_rows.append((result_id, position, line.code, line.label, line.kind, line.amount,
                                  _to_json(line.inputs if type(line.inputs) is dict else dict(line.inputs))
                                  if line.inputs else "{}", *explanation_columns(line.explanation)))
        else:
            earnings = deductions = contributions = 0
            # HR reads what happened; the exception itself went to the plugin failure log.
            ok, error, failures = False, plugin_messages.pay_not_computed(outcome.plugin_name), failures + 1
        results.append((result_id, run.pk, fact.id, fact.nip, fact.full_name, fact.unit_name, fact.position_title,
                        fact.position_class, fact.employee_type, fact.rank, earnings, deductions, contributions,
                        earnings - deductions, ok, error, record))
    _copy(PayResult._meta.db_table, RESULT_COLUMNS, results)
    _copy(PayLine._meta.db_table, LINE_COLUMNS, line_rows)
    return failures


def compute_run(run_id: int, *, chunk_size: int | None = None) -> PayRun:
    """Compute (or go on computing) a run, chunk by chunk. Each chunk is one transaction holding the run's
    row lock: two workers given the same run take turns and never compute an employee twice."""
    run = PayRun.objects.get(pk=run_id)
    if run.status != PayRunStatus.COMPUTING:
        return run
    chunk_size = chunk_size or pay_settings().chunk_size
    try:
        calculator = _calculator_for(run)
    except ValidationError as error:
        PayRun.objects.filter(pk=run_id).update(error=" ".join(error.messages))
        raise
    cal = facts.work_calendar(run.month)
    region_config = _region_config()
    adjustments = _adjustment_lines(run)
    population = run.employee_ids
    while True:
        with transaction.atomic():
            run = PayRun.objects.select_for_update().only("status", "processed", "failed", "month", "started_at").get(pk=run_id)
            if run.status != PayRunStatus.COMPUTING:
                return run
            chunk = population[run.processed:run.processed + chunk_size]
            if not chunk:
                return _finish(run_id)
            with plugin_failures.batched():  # one write per distinct plugin failure, not one per employee
                failures = compute_chunk(run, chunk, calculator, cal, region_config, adjustments)
            PayRun.objects.filter(pk=run_id).update(processed=run.processed + len(chunk),
                                                    failed=run.failed + failures, progress_at=timezone.now(),
                                                    retry_at=None, retry_reason="")


def _finish(run_id: int) -> PayRun:
    run = _locked(run_id)
    sums = run.results.aggregate(earnings=Sum("earnings"), deductions=Sum("deductions"),
                                 contributions=Sum("contributions"), net=Sum("net"), count=Count("id"),
                                 failed=Count("id", filter=Q(ok=False)))
    before = snapshot(run, RUN_FIELDS)
    run.total_earnings = sums["earnings"] or 0
    run.total_deductions = sums["deductions"] or 0
    run.total_contributions = sums["contributions"] or 0
    run.total_net = sums["net"] or 0
    run.failed = sums["failed"]
    run.status, run.computed_at = PayRunStatus.COMPUTED, timezone.now()
    run.save()
    _audit(run, None, "pay.run_computed", before)
    # The maker may not approve their own run: every other HR admin who may approve is told.
    maker = run.started_by
    notify(users_holding("pay.run.approve").exclude(pk=run.started_by_id), "payrun.awaiting_approval",
           link=page("pay:run-detail", run.pk), event_key=f"run:{run.pk}:{run.started_at.isoformat()}",
           params={"month": month_param(run.month), "maker": maker.display_name if maker else "-"})
    return run


def reset_run(run: PayRun, *, actor, reason: str) -> PayRun:
    """Back to draft, dropping the results (before approval only), e.g. after correcting attendance."""
    _require(actor, "pay.run.start")
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for resetting the run.")]})
    with transaction.atomic():
        run = _locked(run.pk)
        _refuse(run, (PayRunStatus.COMPUTED, PayRunStatus.COMPUTING), _("reset"))
        before = snapshot(run, RUN_FIELDS)
        run.results.all().delete()
        run.status, run.processed, run.failed, run.employee_ids, run.total_employees = PayRunStatus.DRAFT, 0, 0, [], 0
        run.progress_at = run.resume_requested_at = run.retry_at = None
        run.attempts, run.retry_reason = 0, ""
        run.checks, run.checks_reason = [], ""
        run.total_earnings = run.total_deductions = run.total_contributions = run.total_net = 0
        run.save()
        _audit(run, actor, "pay.run_reset", before, reason.strip())
    return run


def cancel_run(run: PayRun, *, actor, reason: str) -> PayRun:
    _require(actor, "pay.run.start")
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for cancelling the run.")]})
    with transaction.atomic():
        run = _locked(run.pk)
        _refuse(run, (PayRunStatus.DRAFT, PayRunStatus.COMPUTED), _("cancelled"))
        before = snapshot(run, RUN_FIELDS)
        run.results.all().delete()
        run.status = PayRunStatus.CANCELLED
        run.save(update_fields=["status"])
        _audit(run, actor, "pay.run_cancelled", before, reason.strip())
    return run


def approve_run(run: PayRun, *, actor) -> PayRun:
    """The checker's approval: another HR admin than the one who computed the run."""
    _require(actor, "pay.run.approve")
    with transaction.atomic():
        run = _locked(run.pk)
        _refuse(run, (PayRunStatus.COMPUTED,), _("approved"))
        if selectors.is_maker(actor, run):
            raise PermissionDenied(_("You computed this run; another HR admin must approve it."))
        if selectors.changed_inputs(actor, run):
            raise PermissionDenied(_("You changed this run's inputs after it was computed (%s); another HR admin "
                                     "must approve it.") % ", ".join(selectors.input_changers(run)[actor.pk]))
        if run.failed:
            raise ValidationError({"status": [_("%d employee(s) could not be computed; fix the cause and "
                                                "compute the run again.") % run.failed]})
        before = snapshot(run, RUN_FIELDS)
        run.status, run.approved_by, run.approved_at = PayRunStatus.APPROVED, actor, timezone.now()
        run.save(update_fields=["status", "approved_by", "approved_at"])
        _audit(run, actor, "pay.run_approved", before)
        _tell_approved(run, actor)
    return run


def _tell_approved(run: PayRun, actor) -> None:
    """The other HR admins learn the run is approved; each paid employee with a login, that their payslip
    (released from now on) is ready."""
    month = month_param(run.month)
    notify(users_holding("pay.run.start").exclude(pk=actor.pk), "payrun.approved",
           link=page("pay:run-detail", run.pk), params={"month": month, "approver": actor.display_name})
    results = run.results.filter(ok=True, employee__user__isnull=False).select_related("employee__user")
    notify_each("payslip.ready", ((result.employee.user, {"month": month, "net": rupiah(result.net)},
                                  page("pay:result-detail", result.pk)) for result in results.iterator()),
                event_key=f"run:{run.pk}")


def lock_run(run: PayRun, *, actor) -> PayRun:
    """Paid: from now on nothing in the run changes."""
    _require(actor, "pay.run.approve")
    with transaction.atomic():
        run = _locked(run.pk)
        _refuse(run, (PayRunStatus.APPROVED,), _("locked"))
        before = snapshot(run, RUN_FIELDS)
        run.status, run.locked_by, run.locked_at = PayRunStatus.LOCKED, actor, timezone.now()
        run.save(update_fields=["status", "locked_by", "locked_at"])
        _audit(run, actor, "pay.run_locked", before)
    return run


# Each action on a run, with the capability it needs. Pages and the API dispatch through run_action.
RUN_ACTIONS = {
    "start": ("pay.run.start", lambda run, actor, reason: start_run(run, actor=actor, reason=reason)),
    "resume": ("pay.run.start", lambda run, actor, reason: resume_run(run, actor=actor)),
    "reset": ("pay.run.start", lambda run, actor, reason: reset_run(run, actor=actor, reason=reason)),
    "cancel": ("pay.run.start", lambda run, actor, reason: cancel_run(run, actor=actor, reason=reason)),
    "approve": ("pay.run.approve", lambda run, actor, reason: approve_run(run, actor=actor)),
    "lock": ("pay.run.approve", lambda run, actor, reason: lock_run(run, actor=actor)),
}


def run_action(run: PayRun, action: str, *, actor, reason: str = "") -> PayRun:
    """One of RUN_ACTIONS by name, e.g. from a button or an API call."""
    capability, act = RUN_ACTIONS[action]
    _require(actor, capability)
    return act(run, actor, str(reason or ""))


# --- what a run hands on ----------------------------------------------------------------------------
@dataclass(frozen=True)
class TransferFile:
    content: bytes
    filename: str
    content_type: str
    count: int
    total: int


def bank_transfer_file(run: PayRun, *, actor) -> TransferFile:
    """The bank transfer file of a run, in the region's format: only once a checker approved it (or it is
    locked), and only when everyone it pays has an approved bank account; one line per employee whose
    take-home is above zero, in whole rupiah."""
    _require(actor, "pay.transfer.export")
    if run.status not in selectors.TRANSFERABLE:
        raise ValidationError({"status": [_("The transfer file is made from an approved run only.")]})
    rows = selectors.transfer_rows(run)
    missing = [row for row in rows if row.account is None]
    if missing:
        raise ValidationError({"bank_account": [
            _("%(count)d employee(s) paid by this run have no approved bank account: %(nips)s. Enter their "
              "accounts and have them approved, then export the file.")
            % {"count": len(missing), "nips": ", ".join(row.nip for row in missing[:20])
               + (" ..." if len(missing) > 20 else "")}]})
    content, filename, content_type = bank_files.write(run, rows, pay_settings())
    record_change(actor=actor, action="pay.transfer_exported", target=run,
                  after={"format": pay_settings().bank_file_format, "count": len(rows),
                         "total": sum(row.net for row in rows)})
    return TransferFile(content, filename, content_type, len(rows), sum(row.net for row in rows))


def request_payslip_archive(run: PayRun, *, actor) -> None:
    """Build every payslip of the run into one zip in the background; the download is offered once built."""
    _require(actor, "pay.payslips.archive")
    transaction.on_commit(lambda: jobs.enqueue(PAYSLIP_ARCHIVE_TASK, run.pk))


def build_payslip_archive(run_id: int) -> str:
    """Write the run's payslips as one zip into the region's storage (MEDIA_ROOT/<schema>/ through
    TenantFileSystemStorage) and offer it; returns its storage name. The run points to the archive only
    once it is complete, so a half-written archive is never offered, and the one it replaces is removed."""
    import tempfile

    run = PayRun.objects.get(pk=run_id)
    with tempfile.TemporaryFile() as buffer:
        documents.write_payslip_zip(buffer, selectors.results_with_lines(run).filter(ok=True).select_related("run"),
                                    documents.region_letterhead())
        buffer.seek(0)
        name = default_storage.save(f"pay/payslips/slip-tpp-{run.month:%Y-%m}-run{run.pk}.zip", File(buffer))
    previous = run.payslip_archive
    PayRun.objects.filter(pk=run_id).update(payslip_archive=name)
    if previous and previous != name and selectors.is_storage_name(previous):
        default_storage.delete(previous)
    return name


# --- corrections of a locked month -----------------------------------------------------------------
def next_payable_month(after: datetime.date) -> datetime.date:
    """The first month after `after` whose run is not yet approved or locked."""
    month = facts.next_month(after)
    closed = set(PayRun.objects.filter(month__gt=after, status__in=(PayRunStatus.APPROVED, PayRunStatus.LOCKED))
                 .values_list("month", flat=True))
    while month in closed:
        month = facts.next_month(month)
    return month


def _correction_calculator(run: PayRun, use_current_settings: bool):
    """The run's own settings version, or (when the correction is to the settings) the version in force."""
    if use_current_settings:
        current = pay_calculator_for_region(run.plugin_name)
        if current.plugin_version != run.plugin_version:
            raise ValidationError({"plugin": [_("%(plugin)s is at version %(new)s now, not %(old)s as when the run "
                                                "was computed; correct with the run's own settings.")
                                              % {"plugin": run.plugin_name, "new": current.plugin_version,
                                                 "old": run.plugin_version}]})
        return current
    return _calculator_for(run)


def recompute_for_correction(run: PayRun, employee, calculator=None) -> tuple[int, int]:
    """(take-home as paid, take-home with today's inputs) for one employee of a locked run, computed with
    the configuration version the run used (or the calculator given)."""
    result = run.results.get(employee=employee)
    calculator = calculator or _calculator_for(run)
    cal = facts.work_calendar(run.month)
    employee_facts = pay_inputs.employee_facts([employee.pk], run.month)
    pay_input = pay_inputs.pay_inputs(employee_facts, cal, _region_config())[employee.pk]
    outcome = calculator.compute(pay_input, run.month)
    if not isinstance(outcome, PluginResult):
        raise ValidationError({"employee": [plugin_messages.pay_not_computed(outcome.plugin_name)]})
    paid_adjustments = sum(line.amount if line.kind == EARNING else -line.amount
                           for line in result.lines.filter(code__startswith="KOREKSI_"))
    return result.net - paid_adjustments, outcome.net


def _refuse_unlocked(run: PayRun) -> None:
    if run.status != PayRunStatus.LOCKED:
        raise ValidationError({"status": [_("Only a locked run is corrected through adjustments; reset an "
                                            "unlocked run and compute it again.")]})


def correct_locked_month(run: PayRun, employee, *, actor, reason: str,
                         use_current_settings: bool = False) -> PayAdjustment | None:
    """After HR corrected a locked month's inputs, the difference goes into the next open month as an
    adjustment; the locked run itself is left as it was paid. None when nothing changed."""
    _require(actor, "pay.run.start")
    _refuse_unlocked(run)
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    paid, due = recompute_for_correction(run, employee, _correction_calculator(run, use_current_settings))
    already = sum(PayAdjustment.objects.filter(corrects_run=run, employee=employee).values_list("amount", flat=True))
    difference = due - paid - already
    if difference == 0:
        return None
    with transaction.atomic():
        adjustment = PayAdjustment.objects.create(employee=employee, corrects_run=run, amount=difference,
                                                  pay_month=next_payable_month(run.month), reason=reason.strip(),
                                                  created_by=actor)
        record_change(actor=actor, action="pay.adjustment_created", target=adjustment,
                      after=snapshot(adjustment, ["employee_id", "corrects_run_id", "pay_month", "amount"]),
                      reason=reason.strip())
    return adjustment


@dataclass(frozen=True)
class CorrectionLine:
    """One employee of a locked run whose take-home differs today from what was paid (and corrected)."""

    employee_id: int
    nip: str
    full_name: str
    paid: int
    corrected_before: int
    due: int

    @property
    def difference(self) -> int:
        return self.due - self.paid - self.corrected_before


def correction_preview(run: PayRun, *, actor, use_current_settings: bool = False) -> list[CorrectionLine]:
    """Every employee of a locked run whose take-home, computed again with today's inputs (corrected
    attendance, ratings, service targets; the run's settings, or those in force when the correction is to
    the settings), differs from what was paid and already corrected. Inputs are read in bulk per chunk,
    as a run reads them; nothing is written."""
    _require(actor, "pay.run.start")
    _refuse_unlocked(run)
    calculator = _correction_calculator(run, use_current_settings)
    cal = facts.work_calendar(run.month)
    region_config = _region_config()
    paid = {row[0]: row[1:] for row in run.results.filter(ok=True).values_list("employee_id", "nip", "full_name", "net")}
    carried = dict(PayLine.objects.filter(result__run=run, code__startswith="KOREKSI_").values("result__employee_id")
                   .annotate(total=Coalesce(Sum("amount", filter=Q(kind=EARNING)), 0)
                             - Coalesce(Sum("amount", filter=Q(kind=DEDUCTION)), 0))
                   .values_list("result__employee_id", "total"))
    already = dict(PayAdjustment.objects.filter(corrects_run=run).values("employee_id").annotate(total=Sum("amount"))
                   .values_list("employee_id", "total"))
    lines: list[CorrectionLine] = []
    ids = sorted(paid)
    chunk_size = pay_settings().chunk_size
    for start in range(0, len(ids), chunk_size):
        chunk = ids[start:start + chunk_size]
        found = pay_inputs.pay_inputs(pay_inputs.employee_facts(chunk), cal, region_config)
        for employee_id in chunk:
            if employee_id not in found:  # no longer an employee record the run can read
                continue
            outcome = calculator.compute(found[employee_id], run.month)
            if not isinstance(outcome, PluginResult):
                raise ValidationError({"employee": [plugin_messages.pay_not_computed(outcome.plugin_name)]})
            nip, name, net = paid[employee_id]
            line = CorrectionLine(employee_id, nip, name, net - (carried.get(employee_id) or 0),
                                  already.get(employee_id, 0), outcome.net)
            if line.difference:
                lines.append(line)
    return lines


def apply_corrections(run: PayRun, *, actor, reason: str, use_current_settings: bool = False,
                      employee_ids: list[int] | None = None) -> list[PayAdjustment]:
    """One adjustment per affected employee (new minus paid), paid in the next open month and explained on
    its payslip; all or none. `employee_ids` limits it to some of the affected employees."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Give the reason for the correction.")]})
    lines = correction_preview(run, actor=actor, use_current_settings=use_current_settings)
    wanted = None if employee_ids is None else set(employee_ids)
    employees = {e.pk: e for e in Employee.objects.filter(pk__in=[line.employee_id for line in lines])}
    made = []
    with transaction.atomic():
        for line in lines:
            if wanted is not None and line.employee_id not in wanted:
                continue
            adjustment = correct_locked_month(run, employees[line.employee_id], actor=actor, reason=reason,
                                              use_current_settings=use_current_settings)
            if adjustment is not None:
                made.append(adjustment)
    return made
