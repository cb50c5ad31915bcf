"""Public-service targets per employee and month (citizens' requests due, and how many were completed on
time), entered by HR one at a time or imported from a CSV or XLSX list. Pay plugins read them with the
appraisal result (Kotalama pays a bonus when enough were met on time).

An import is two steps, as for attendance: `preview_import` keeps the file and lists every bad row (row
number as the spreadsheet shows it, column, reason); `apply_import` reads the kept file again and writes
every row in one transaction, or nothing. A month whose pay run is computing, computed or approved cannot
change; a locked month can, and the difference is paid through an adjustment."""
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
from kinerja.pay.attendance import frozen_months
from kinerja.pay.models import (
    ImportStatus,
    PayRunStatus,
    ServiceTarget,
    ServiceTargetImport,
)
from kinerja.people.imports import FileProblem, normalise_header, read_rows
from kinerja.people.models import Employee
from kinerja.region.facts import month_start

COLUMNS = ["NIP", "BULAN", "TARGET", "TEPAT_WAKTU"]
REQUIRED = COLUMNS
HEADER_ALIASES = {
    "NIP_BARU": "NIP", "MONTH": "BULAN", "PERIODE": "BULAN", "BULAN_TAHUN": "BULAN",
    "JUMLAH_TARGET": "TARGET", "TARGET_LAYANAN": "TARGET", "JUMLAH_LAYANAN": "TARGET", "DUE": "TARGET",
    "SELESAI_TEPAT_WAKTU": "TEPAT_WAKTU", "TERCAPAI_TEPAT_WAKTU": "TEPAT_WAKTU", "MET_ON_TIME": "TEPAT_WAKTU",
}
MONTH_PATTERNS = (re.compile(r"^(?P<year>\d{4})[-/.](?P<month>\d{1,2})$"),
                  re.compile(r"^(?P<month>\d{1,2})[-/.](?P<year>\d{4})$"))
AUDITED = ["employee_id", "month", "targets", "met_on_time"]


def _require_hr(actor) -> None:
    if not has(actor, "pay.data.manage"):
        raise PermissionDenied(_("Only the region's HR admins manage service targets."))


def parse_month(value) -> datetime.date:
    """The first day of the month written as YYYY-MM, MM-YYYY (or with / or .), or as any date in it."""
    if isinstance(value, datetime.date) and not 2000 <= value.year <= 2100:
        raise ValueError(_("'%s' is not a month between 2000 and 2100") % value.isoformat()[:7])
    if isinstance(value, datetime.datetime):
        return value.date().replace(day=1)
    if isinstance(value, datetime.date):
        return value.replace(day=1)
    text = str(value or "").strip()
    for pattern in MONTH_PATTERNS:
        match = pattern.match(text)
        if match and 1 <= int(match["month"]) <= 12 and 2000 <= int(match["year"]) <= 2100:
            return datetime.date(int(match["year"]), int(match["month"]), 1)
    try:
        month = datetime.date.fromisoformat(text).replace(day=1)
        if not 2000 <= month.year <= 2100:
            raise ValueError(text)
        return month
    except ValueError:
        raise ValueError(_("'%s' is not a month (use YYYY-MM, e.g. 2025-03)") % text) from None


def parse_count(value) -> int:
    """A whole number of requests, 0 or more (Excel may store 10 as 10.0)."""
    if isinstance(value, bool):
        raise ValueError(_("'%s' is not a whole number") % value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value if value is not None else "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isascii() or not text.isdigit():
        raise ValueError(_("'%s' is not a whole number of 0 or more") % text)
    if reason := spreadsheets.check_integer(int(text)):
        raise ValueError(reason)
    return int(text)


def _problems(targets: int | None, met: int | None) -> dict[str, str]:
    if targets is not None and met is not None and met > targets:
        return {"TEPAT_WAKTU": _("%(met)d completed on time is more than the %(targets)d requests due")
                % {"met": met, "targets": targets}}
    return {}


def _analyse(content: bytes, filename: str) -> tuple[list[dict], list[dict], list[str], int]:
    """(errors, parsed rows, months, number of data rows). Nothing is written."""
    errors: list[dict] = []
    rows: list[dict] = []

    def error(row, column, reason):
        errors.append({"row": row, "field": column, "reason": str(reason)})

    try:
        raw = read_rows(content, filename)
    except FileProblem as problem:
        return [{"row": None, "field": "", "reason": str(problem)}], [], [], 0
    header_index = None
    for index, cells in enumerate(raw[:15]):
        if "NIP" in [HEADER_ALIASES.get(normalise_header(c), normalise_header(c)) for c in cells]:
            header_index = index
            break
    if header_index is None:
        return [{"row": 1, "field": "NIP", "reason": _("required column NIP is missing")}], [], [], 0
    columns = {}
    for position, cell in enumerate(raw[header_index]):
        name = HEADER_ALIASES.get(normalise_header(cell), normalise_header(cell))
        if name in COLUMNS and name not in columns:
            columns[name] = position
    for name in REQUIRED:
        if name not in columns:
            error(header_index + 1, name, _("required column %s is missing") % name)
    if errors:
        return errors, [], [], 0

    def cell(cells, name):
        position = columns[name]
        return cells[position] if position < len(cells) else None

    data = [(number, cells) for number, cells in enumerate(raw[header_index + 1:], start=header_index + 2)
            if any(c is not None and str(c).strip() for c in cells)]
    nips = {str(cell(cells, "NIP") or "").strip().replace(" ", "").removesuffix(".0") for _n, cells in data}
    employees = dict(Employee.objects.filter(nip__in=nips).values_list("nip", "id"))
    seen: dict[tuple[int, datetime.date], int] = {}
    for number, cells in data:
        before = len(errors)
        nip = str(cell(cells, "NIP") or "").strip().replace(" ", "").removesuffix(".0")
        employee_id = employees.get(nip)
        if not nip:
            error(number, "NIP", _("NIP is empty"))
        elif employee_id is None:
            error(number, "NIP", _("no employee has NIP %s") % nip)
        month = None
        try:
            month = parse_month(cell(cells, "BULAN"))
        except ValueError as problem:
            error(number, "BULAN", problem)
        counts = {}
        for name in ("TARGET", "TEPAT_WAKTU"):
            try:
                counts[name] = parse_count(cell(cells, name))
            except ValueError as problem:
                error(number, name, problem)
        for field, reason in _problems(counts.get("TARGET"), counts.get("TEPAT_WAKTU")).items():
            error(number, field, reason)
        if employee_id is not None and month is not None:
            key = (employee_id, month)
            if key in seen:
                error(number, "BULAN", _("row %(other)d already gives NIP %(nip)s for %(month)s")
                      % {"other": seen[key], "nip": nip, "month": month.strftime("%Y-%m")})
            seen.setdefault(key, number)
        if len(errors) == before:
            rows.append({"row": number, "employee_id": employee_id, "month": month, "targets": counts["TARGET"],
                         "met_on_time": counts["TEPAT_WAKTU"]})
    months = sorted({r["month"] for r in rows})
    frozen = frozen_months(months)
    for r in rows:
        status = frozen.get(r["month"])
        if status:
            error(r["row"], "BULAN", _("the pay run of %(month)s is %(status)s; its service targets cannot change now")
                  % {"month": r["month"].strftime("%Y-%m"), "status": PayRunStatus(status).label})
    errors.sort(key=lambda e: (e["row"] or 0))
    return errors, rows, [m.isoformat() for m in months], len(data)


def preview_import(*, content: bytes, filename: str, actor) -> ServiceTargetImport:
    _require_hr(actor)
    errors, _rows, months, total = _analyse(content, filename)
    batch = ServiceTargetImport(original_name=filename[:255], uploaded_by=actor, total_rows=total,
                                error_count=len(errors), errors=errors[:1000], months=months)
    batch.file.save(filename, ContentFile(content), save=False)
    batch.save()
    return batch


def apply_import(batch: ServiceTargetImport, *, actor) -> int:
    """Write every row of a previewed file (creating or replacing the month's record), or nothing."""
    _require_hr(actor)
    with transaction.atomic():
        batch = ServiceTargetImport.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportStatus.PREVIEWED:
            raise ValidationError({"import": [_("This file was already applied.")]})
        batch.file.open("rb")
        try:
            content = batch.file.read()
        finally:
            batch.file.close()
        errors, rows, months, _total = _analyse(content, batch.original_name)
        if errors or not rows:
            batch.errors, batch.error_count = errors[:1000], len(errors)
            batch.save(update_fields=["errors", "error_count"])
            raise ValidationError({"import": [_("The file has %d problem(s) now; see the list.") % len(errors)
                                              if errors else _("The file has no rows.")]})
        ServiceTarget.objects.bulk_create(
            [ServiceTarget(employee_id=r["employee_id"], month=r["month"], targets=r["targets"],
                           met_on_time=r["met_on_time"], source=batch, updated_by=actor) for r in rows],
            batch_size=2000, update_conflicts=True, unique_fields=["employee", "month"],
            update_fields=["targets", "met_on_time", "source", "updated_by", "updated_at"])
        batch.status, batch.applied_by, batch.applied_at = ImportStatus.APPLIED, actor, timezone.now()
        batch.save(update_fields=["status", "applied_by", "applied_at"])
        record_change(actor=actor, action="pay.service_targets_imported", target=batch,
                      after={"rows": len(rows), "months": months, "file": batch.original_name})
    return len(rows)


def set_service_target(*, actor, employee, month: datetime.date, targets: int, met_on_time: int,
                       reason: str = "") -> ServiceTarget:
    """HR enters (or corrects) one employee's targets of one month; audited with before and after."""
    _require_hr(actor)
    month = month_start(month)
    problems: dict[str, list[str]] = {}
    for field, value in (("targets", targets), ("met_on_time", met_on_time)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            problems[field] = [_("Enter a whole number of 0 or more.")]
    if not problems and met_on_time > targets:
        problems["met_on_time"] = [_("More requests completed on time than were due.")]
    frozen = frozen_months([month])
    if frozen:
        problems["month"] = [_("The pay run of %(month)s is %(status)s; reset it to draft before changing its "
                               "service targets.") % {"month": month.strftime("%Y-%m"),
                                                      "status": PayRunStatus(frozen[month]).label}]
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        record = ServiceTarget.objects.select_for_update().filter(employee=employee, month=month).first()
        before = snapshot(record, AUDITED) if record else None
        record = record or ServiceTarget(employee=employee, month=month)
        record.targets, record.met_on_time, record.updated_by, record.source = targets, met_on_time, actor, None
        record.save()
        record_change(actor=actor, action="pay.service_target_set", target=record, before=before,
                      after=snapshot(record, AUDITED), reason=(reason or "").strip())
    return record
