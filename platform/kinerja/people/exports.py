"""Spreadsheet exports, with exactly the headers the imports read, so an export can be edited and
imported back."""
from __future__ import annotations

from django.db.models import QuerySet
from openpyxl.styles import Font

from kinerja import spreadsheets
from kinerja.people.imports import (
    EMPLOYEE_COLUMNS,
    GENDER_EXPORT,
    STATUS_EXPORT,
    UNIT_COLUMNS,
)
from kinerja.people.models import Employee, Unit

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Text format keeps an 18-digit NIP whole when the file is opened and saved again in Excel.
COLUMN_FORMATS = {"NIP": "@", "NIP_ATASAN": "@", "KODE_UNIT": "@", "KODE_JABATAN": "@", "KODE_INDUK": "@",
                  "GOLONGAN": "@", "TANGGAL_LAHIR": "yyyy-mm-dd"}


def _workbook(title: str, headers: list[str], rows) -> bytes:
    workbook = spreadsheets.workbook()
    sheet = workbook.active
    sheet.title = title
    spreadsheets.append(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    formats = [(index + 1, COLUMN_FORMATS[name]) for index, name in enumerate(headers) if name in COLUMN_FORMATS]
    for values in rows:
        spreadsheets.append(sheet, values)
        for column, number_format in formats:
            sheet.cell(row=sheet.max_row, column=column).number_format = number_format
    for index, name in enumerate(headers):
        width = 22 if name in COLUMN_FORMATS else max(12, len(name) + 4)
        sheet.column_dimensions[sheet.cell(row=1, column=index + 1).column_letter].width = width
    return spreadsheets.workbook_bytes(workbook)


def employee_rows(employees: QuerySet[Employee]):
    for employee in employees.select_related("unit", "position", "supervisor"):
        position = employee.position
        yield [employee.nip, employee.full_name, employee.employee_type, GENDER_EXPORT[employee.gender],
               employee.birth_date, employee.rank, employee.unit.code, position.code, position.title, position.kind,
               position.position_class, employee.supervisor.nip if employee.supervisor else "",
               STATUS_EXPORT[employee.status], employee.email]


def export_employees(employees: QuerySet[Employee]) -> bytes:
    return _workbook("PEGAWAI", EMPLOYEE_COLUMNS, employee_rows(employees.order_by("unit__path", "full_name")))


def export_units(units: QuerySet[Unit]) -> bytes:
    rows = ([unit.code, unit.name, unit.kind, unit.unit_type, unit.parent.code if unit.parent else ""]
            for unit in units.select_related("parent").order_by("path"))
    return _workbook("UNIT", UNIT_COLUMNS, rows)

