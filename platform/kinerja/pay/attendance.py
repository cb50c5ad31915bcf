"""Imports of attendance-machine and attendance-app exports (CSV or XLSX) and HR's corrections.

An import is two steps, as in the people imports: `preview_import` keeps the file and lists every bad row
(row number as the spreadsheet shows it, column, reason); `apply_import` reads the kept file again and
writes every row in one transaction, or nothing. Times are stored as the region's local wall-clock time:
a time written with a zone (e.g. an app's "2025-03-03T00:45:00Z") is converted to the region's zone."""
from __future__ import annotations

import datetime
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja import spreadsheets
from kinerja.accounts.capabilities import has
from kinerja.audit.services import record_change, snapshot
from kinerja.pay.models import (
    AttendanceImport,
    AttendanceRecord,
    AttendanceStatus,
    ImportStatus,
    PayRun,
    PayRunStatus,
)
from kinerja.people.imports import FileProblem, normalise_header, read_rows
from kinerja.people.models import Employee
from kinerja.region import facts
from kinerja.region.facts import month_start

COLUMNS = ["NIP", "TANGGAL", "JAM_MASUK", "JAM_PULANG", "STATUS", "APEL"]
REQUIRED = ["NIP", "TANGGAL"]
HEADER_ALIASES = {
    "NIP_BARU": "NIP", "NO_INDUK": "NIP", "PIN": "NIP", "DATE": "TANGGAL", "TGL": "TANGGAL",
    "TANGGAL_ABSEN": "TANGGAL", "CHECK_IN": "JAM_MASUK", "MASUK": "JAM_MASUK", "SCAN_MASUK": "JAM_MASUK",
    "CHECK_OUT": "JAM_PULANG", "PULANG": "JAM_PULANG", "KELUAR": "JAM_PULANG", "SCAN_PULANG": "JAM_PULANG",
    "KETERANGAN": "STATUS", "KET": "STATUS", "STATUS_KEHADIRAN": "STATUS", "APEL_PAGI": "APEL",
}
STATUS_WORDS = {
    "": None, "H": AttendanceStatus.PRESENT, "HADIR": AttendanceStatus.PRESENT, "PRESENT": AttendanceStatus.PRESENT,
    "C": AttendanceStatus.LEAVE, "CUTI": AttendanceStatus.LEAVE, "LEAVE": AttendanceStatus.LEAVE,
    "S": AttendanceStatus.SICK, "SAKIT": AttendanceStatus.SICK, "SICK": AttendanceStatus.SICK,
    "DL": AttendanceStatus.OFFICIAL_DUTY, "DINAS_LUAR": AttendanceStatus.OFFICIAL_DUTY,
    "DINAS": AttendanceStatus.OFFICIAL_DUTY, "TUGAS": AttendanceStatus.OFFICIAL_DUTY,
    "TUGAS_BELAJAR": AttendanceStatus.OFFICIAL_DUTY, "OFFICIAL_DUTY": AttendanceStatus.OFFICIAL_DUTY,
    "A": AttendanceStatus.ABSENT, "ALPA": AttendanceStatus.ABSENT, "TK": AttendanceStatus.ABSENT,
    "TANPA_KETERANGAN": AttendanceStatus.ABSENT, "MANGKIR": AttendanceStatus.ABSENT, "ABSENT": AttendanceStatus.ABSENT,
}
ASSEMBLY_WORDS = {"": None, "Y": True, "YA": True, "1": True, "HADIR": True, "TRUE": True,
                  "T": False, "TIDAK": False, "0": False, "TIDAK_HADIR": False, "FALSE": False}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d")
TIME_PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?$")
EARLIEST_DAY = datetime.date(2000, 1, 1)  # attendance older than this is no pay the platform computes
# Months whose pay must not move under a run: computing or finished runs read the month's attendance.
FROZEN_STATUSES = (PayRunStatus.COMPUTING, PayRunStatus.COMPUTED, PayRunStatus.APPROVED)


def parse_date(value) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("'%s' is not a date (use YYYY-MM-DD or DD-MM-YYYY)") % text)


def parse_time(value, day: datetime.date | None, zone) -> datetime.time | None:
    """A local time of day, or None when blank. A date-time with a zone is converted to the region's."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        if value.tzinfo is not None:
            local = value.astimezone(zone)
            if day is not None and local.date() != day:
                raise ValueError(_("%(value)s is on %(date)s in the region's time, not on the row's date")
                                 % {"value": value.isoformat(), "date": local.date().isoformat()})
            return local.time().replace(microsecond=0)
        return value.time().replace(microsecond=0)
    if isinstance(value, datetime.time):
        return value.replace(microsecond=0)
    text = str(value).strip()
    match = TIME_PATTERN.match(text)
    if match:
        hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
        if hour < 24 and minute < 60 and second < 60:
            return datetime.time(hour, minute, second)
        raise ValueError(_("'%s' is not a time of day") % text)
    try:
        moment = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(_("'%s' is not a time (use HH:MM, HH:MM:SS or a date-time with its zone)") % text) from None
    return parse_time(moment, day, zone)


def frozen_months(months) -> dict[datetime.date, str]:
    """Months among `months` whose attendance may not change now, with the run's status."""
    return dict(PayRun.objects.filter(month__in=list(months), status__in=FROZEN_STATUSES)
                .values_list("month", "status"))


def _analyse(content: bytes, filename: str) -> tuple[list[dict], list[dict], list[str]]:
    """(errors, parsed rows, months). Nothing is written."""
    errors: list[dict] = []
    rows: list[dict] = []

    def error(row, column, reason):
        errors.append({"row": row, "field": column, "reason": str(reason)})

    try:
        raw = read_rows(content, filename)
    except FileProblem as problem:
        return [{"row": None, "field": "", "reason": str(problem)}], [], []
    header_index = None
    for index, cells in enumerate(raw[:15]):
        names = [HEADER_ALIASES.get(normalise_header(c), normalise_header(c)) for c in cells]
        if "NIP" in names:
            header_index = index
            break
    if header_index is None:
        return [{"row": 1, "field": "NIP", "reason": _("required column NIP is missing")}], [], []
    columns = {}
    for position, cell in enumerate(raw[header_index]):
        name = HEADER_ALIASES.get(normalise_header(cell), normalise_header(cell))
        if name in COLUMNS and name not in columns:
            columns[name] = position
    for name in REQUIRED:
        if name not in columns:
            error(header_index + 1, name, _("required column %s is missing") % name)
    if errors:
        return errors, [], []

    zone = facts.time_zone()
    latest_day = facts.today() + datetime.timedelta(days=366)
    data = [(number, cells) for number, cells in enumerate(raw[header_index + 1:], start=header_index + 2)
            if any(c is not None and str(c).strip() for c in cells)]
    nips = {str(cells[columns["NIP"]] or "").strip().replace(" ", "") for _n, cells in data
            if columns["NIP"] < len(cells)}
    employees = dict(Employee.objects.filter(nip__in=nips).values_list("nip", "id"))
    seen: dict[tuple[int, datetime.date], int] = {}

    def cell(cells, name):
        position = columns.get(name)
        return cells[position] if position is not None and position < len(cells) else None

    for number, cells in data:
        before = len(errors)
        nip = str(cell(cells, "NIP") or "").strip().replace(" ", "")
        if nip.endswith(".0"):  # a NIP Excel stored as a number
            nip = nip[:-2]
        employee_id = employees.get(nip)
        if not nip:
            error(number, "NIP", _("NIP is empty"))
        elif employee_id is None:
            error(number, "NIP", _("no employee has NIP %s") % nip)
        day = None
        try:
            day = parse_date(cell(cells, "TANGGAL"))
        except ValueError as problem:
            error(number, "TANGGAL", problem)
        else:
            if reason := spreadsheets.check_date(day, earliest=EARLIEST_DAY, latest=latest_day):
                error(number, "TANGGAL", reason)
                day = None
        times = {}
        for name in ("JAM_MASUK", "JAM_PULANG"):
            try:
                times[name] = parse_time(cell(cells, name), day, zone)
            except ValueError as problem:
                error(number, name, problem)
        word = normalise_header(cell(cells, "STATUS"))
        status = STATUS_WORDS.get(word, "?")
        if status == "?":
            error(number, "STATUS", _("'%s' is not a status (HADIR, CUTI, SAKIT, DL, ALPA)") % cell(cells, "STATUS"))
        elif status is None:
            status = AttendanceStatus.PRESENT if times.get("JAM_MASUK") or times.get("JAM_PULANG") \
                else AttendanceStatus.ABSENT
        assembly_word = normalise_header(cell(cells, "APEL"))
        if assembly_word not in ASSEMBLY_WORDS:
            error(number, "APEL", _("'%s' is not Y or T") % cell(cells, "APEL"))
        check_in, check_out = times.get("JAM_MASUK"), times.get("JAM_PULANG")
        if check_in and check_out and check_out < check_in:
            error(number, "JAM_PULANG", _("check-out %(out)s is before check-in %(in)s")
                  % {"out": check_out.isoformat(), "in": check_in.isoformat()})
        if employee_id is not None and day is not None:
            key = (employee_id, day)
            if key in seen:
                error(number, "TANGGAL", _("row %(other)d already gives NIP %(nip)s on %(date)s")
                      % {"other": seen[key], "nip": nip, "date": day.isoformat()})
            seen.setdefault(key, number)
        if len(errors) == before:
            rows.append({"row": number, "employee_id": employee_id, "date": day, "status": status,
                         "check_in": check_in if status == AttendanceStatus.PRESENT else None,
                         "check_out": check_out if status == AttendanceStatus.PRESENT else None,
                         "attended_assembly": ASSEMBLY_WORDS.get(assembly_word)})
    months = sorted({month_start(r["date"]) for r in rows})
    frozen = frozen_months(months)
    for r in rows:
        status = frozen.get(month_start(r["date"]))
        if status:
            error(r["row"], "TANGGAL", _("the pay run of %(month)s is %(status)s; its attendance cannot change now")
                  % {"month": r["date"].strftime("%Y-%m"), "status": PayRunStatus(status).label})
    errors.sort(key=lambda e: (e["row"] or 0))
    return errors, rows, [m.isoformat() for m in months]


def _require_hr(actor) -> None:
    if not has(actor, "pay.data.manage"):
        raise PermissionDenied(_("Only the region's HR admins manage pay."))


def preview_import(*, content: bytes, filename: str, actor) -> AttendanceImport:
    _require_hr(actor)
    errors, rows, months = _analyse(content, filename)
    batch = AttendanceImport(original_name=filename[:255], uploaded_by=actor if actor.is_authenticated else None,
                             total_rows=len(rows) + len({e["row"] for e in errors if e["row"]}),
                             error_count=len(errors), errors=errors[:1000], months=months)
    batch.file.save(filename, ContentFile(content), save=False)
    batch.save()
    return batch


def apply_import(batch: AttendanceImport, *, actor) -> int:
    """Write every row of a previewed file (creating or replacing the day's record), or nothing."""
    _require_hr(actor)
    with transaction.atomic():
        batch = AttendanceImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.PREVIEWED:
            raise ValidationError({"import": [_("This file was already applied.")]})
        batch.file.open("rb")
        try:
            content = batch.file.read()
        finally:
            batch.file.close()
        errors, rows, months = _analyse(content, batch.original_name)
        if errors or not rows:
            batch.errors, batch.error_count = errors[:1000], len(errors)
            batch.save(update_fields=["errors", "error_count"])
            raise ValidationError({"import": [_("The file has %d problem(s) now; see the list.") % len(errors)
                                              if errors else _("The file has no rows.")]})
        AttendanceRecord.objects.bulk_create(
            [AttendanceRecord(employee_id=r["employee_id"], date=r["date"], status=r["status"], check_in=r["check_in"],
                              check_out=r["check_out"], attended_assembly=r["attended_assembly"], source=batch,
                              corrected=False) for r in rows],
            batch_size=2000, update_conflicts=True, unique_fields=["employee", "date"],
            update_fields=["status", "check_in", "check_out", "attended_assembly", "source", "corrected"])
        batch.status, batch.applied_by, batch.applied_at = ImportStatus.APPLIED, actor, timezone.now()
        batch.save(update_fields=["status", "applied_by", "applied_at"])
        record_change(actor=actor, action="pay.attendance_imported", target=batch,
                      after={"rows": len(rows), "months": months, "file": batch.original_name})
    return len(rows)


CORRECTED_FIELDS = ["employee_id", "date", "status", "check_in", "check_out", "attended_assembly"]


def correct_attendance(*, employee, date: datetime.date, actor, reason: str, status: str,
                       check_in: datetime.time | None = None, check_out: datetime.time | None = None,
                       attended_assembly: bool | None = None) -> AttendanceRecord:
    """HR sets one day of one employee, with a reason; the change is audited with before and after.
    A locked month may be corrected: the difference is paid through an adjustment in a later month."""
    _require_hr(actor)
    reason = (reason or "").strip()
    problems = {}
    if not reason:
        problems["reason"] = [_("Give the reason for the correction.")]
    if status not in AttendanceStatus.values:
        problems["status"] = [_("Choose a status.")]
    if status == AttendanceStatus.PRESENT and check_in and check_out and check_out < check_in:
        problems["check_out"] = [_("Check-out is before check-in.")]
    frozen = frozen_months([month_start(date)])
    if frozen:
        problems["date"] = [_("The pay run of %(month)s is %(status)s; reset it to draft before correcting "
                              "its attendance.") % {"month": date.strftime("%Y-%m"),
                                                    "status": PayRunStatus(frozen[month_start(date)]).label}]
    if problems:
        raise ValidationError(problems)
    if status != AttendanceStatus.PRESENT:
        check_in = check_out = None
    with transaction.atomic():
        record = AttendanceRecord.objects.select_for_update().filter(employee=employee, date=date).first()
        before = snapshot(record, CORRECTED_FIELDS) if record else None
        if record is None:
            record = AttendanceRecord(employee=employee, date=date)
        record.status, record.check_in, record.check_out = status, check_in, check_out
        record.attended_assembly, record.corrected = attended_assembly, True
        record.save()
        record_change(actor=actor, action="pay.attendance_corrected", target=record, before=before,
                      after=snapshot(record, CORRECTED_FIELDS), reason=reason)
    return record
