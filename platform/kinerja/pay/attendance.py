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
from kinerja.people.models import Employee
from kinerja.region import facts
from kinerja.region.facts import month_start
from kinerja.spreadsheets import normalise_header

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
# A month of a large region's attendance: 60,000 employees x 23 working days, a row a day each.
LIMITS = spreadsheets.Limits(max_bytes=100 * spreadsheets.MEGABYTE, max_rows=1_500_000,
                             max_expanded_bytes=1024 * spreadsheets.MEGABYTE)
MAX_ERRORS_KEPT = 1000
WRITE_CHUNK = 5000
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


class AttendanceRows:
    """The row parser of attendance files (see kinerja.spreadsheets.RowParser). A record is a tuple
    (row, employee id, date, status, check-in, check-out, attended assembly): a month of a large region
    is a million rows, and tuples keep that in a few hundred megabytes."""

    columns = COLUMNS
    required = REQUIRED
    aliases = HEADER_ALIASES
    key = "NIP"

    def __init__(self):
        self.employees = dict(Employee.objects.values_list("nip", "id"))
        self.zone = facts.time_zone()
        self.latest_day = facts.today() + datetime.timedelta(days=366)
        self.seen: dict[int, int] = {}  # employee id x 10^6 + day's ordinal -> row

    def parse_row(self, number: int, cells: dict) -> tuple[tuple | None, list[tuple[str, str]]]:
        problems: list[tuple[str, str]] = []
        nip, nip_problem = spreadsheets.digits_cell(cells.get("NIP"))
        employee_id = self.employees.get(nip)
        if not nip:
            problems.append(("NIP", _("NIP is empty")))
        elif nip_problem:
            problems.append(("NIP", nip_problem))
        elif employee_id is None:
            problems.append(("NIP", _("no employee has NIP %s") % nip))
        day = None
        try:
            day = parse_date(cells.get("TANGGAL"))
        except ValueError as problem:
            problems.append(("TANGGAL", str(problem)))
        else:
            if reason := spreadsheets.check_date(day, earliest=EARLIEST_DAY, latest=self.latest_day):
                problems.append(("TANGGAL", reason))
                day = None
        times = {}
        for name in ("JAM_MASUK", "JAM_PULANG"):
            try:
                times[name] = parse_time(cells.get(name), day, self.zone)
            except ValueError as problem:
                problems.append((name, str(problem)))
        status = STATUS_WORDS.get(normalise_header(cells.get("STATUS")), "?")
        if status == "?":
            problems.append(("STATUS", _("'%s' is not a status (HADIR, CUTI, SAKIT, DL, ALPA)") % cells.get("STATUS")))
        elif status is None:
            status = AttendanceStatus.PRESENT if times.get("JAM_MASUK") or times.get("JAM_PULANG") \
                else AttendanceStatus.ABSENT
        assembly_word = normalise_header(cells.get("APEL"))
        if assembly_word not in ASSEMBLY_WORDS:
            problems.append(("APEL", _("'%s' is not Y or T") % cells.get("APEL")))
        check_in, check_out = times.get("JAM_MASUK"), times.get("JAM_PULANG")
        if check_in and check_out and check_out < check_in:
            problems.append(("JAM_PULANG", _("check-out %(out)s is before check-in %(in)s")
                             % {"out": check_out.isoformat(), "in": check_in.isoformat()}))
        if employee_id is not None and day is not None:
            key = employee_id * 1_000_000 + day.toordinal()
            if key in self.seen:
                problems.append(("TANGGAL", _("row %(other)d already gives NIP %(nip)s on %(date)s")
                                 % {"other": self.seen[key], "nip": nip, "date": day.isoformat()}))
            else:
                self.seen[key] = number
        if problems:
            return None, problems
        present = status == AttendanceStatus.PRESENT
        return (number, employee_id, day, status, check_in if present else None, check_out if present else None,
                ASSEMBLY_WORDS.get(assembly_word)), []


def _analyse(content, filename: str, progress=None) -> tuple[list[dict], list[tuple], list[str], int, int]:
    """(errors (the first thousand), records, months, number of errors, data rows). Nothing is written."""
    table = spreadsheets.parse_table(content, filename, AttendanceRows(), LIMITS, progress=progress)
    errors, records = table.errors, table.records
    error_count = table.problem_count
    months = sorted({month_start(record[2]) for record in records})
    frozen = frozen_months(months)
    if frozen:
        for record in records:
            status = frozen.get(month_start(record[2]))
            if status:
                error_count += 1
                if len(errors) < MAX_ERRORS_KEPT:
                    errors.append({"row": record[0], "field": "TANGGAL", "reason": str(
                        _("the pay run of %(month)s is %(status)s; its attendance cannot change now")
                        % {"month": record[2].strftime("%Y-%m"), "status": PayRunStatus(status).label})})
    errors.sort(key=lambda e: (e["row"] or 0))
    return errors, records, [m.isoformat() for m in months], error_count, table.rows


def _require_hr(actor) -> None:
    if not has(actor, "pay.data.manage"):
        raise PermissionDenied(_("Only the region's HR admins manage pay."))


def preview_import(*, content: bytes, filename: str, actor) -> AttendanceImport:
    _require_hr(actor)
    errors, records, months, error_count, data_rows = _analyse(content, filename)
    batch = AttendanceImport(original_name=filename[:255], uploaded_by=actor if actor.is_authenticated else None,
                             total_rows=data_rows, error_count=error_count, errors=errors, months=months)
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
        with batch.file.open("rb") as stored:
            errors, records, months, error_count, _rows = _analyse(stored, batch.original_name)
        if error_count or not records:
            batch.errors, batch.error_count = errors, error_count
            batch.save(update_fields=["errors", "error_count"])
            raise ValidationError({"import": [_("The file has %d problem(s) now; see the list.") % error_count
                                              if error_count else _("The file has no rows.")]})
        for start in range(0, len(records), WRITE_CHUNK):
            AttendanceRecord.objects.bulk_create(
                [AttendanceRecord(employee_id=employee_id, date=day, status=status, check_in=check_in,
                                  check_out=check_out, attended_assembly=assembly, source=batch, corrected=False)
                 for _row, employee_id, day, status, check_in, check_out, assembly
                 in records[start:start + WRITE_CHUNK]],
                update_conflicts=True, unique_fields=["employee", "date"],
                update_fields=["status", "check_in", "check_out", "attended_assembly", "source", "corrected"])
        batch.status, batch.applied_by, batch.applied_at = ImportStatus.APPLIED, actor, timezone.now()
        batch.save(update_fields=["status", "applied_by", "applied_at"])
        record_change(actor=actor, action="pay.attendance_imported", target=batch,
                      after={"rows": len(records), "months": months, "file": batch.original_name})
    return len(records)


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
