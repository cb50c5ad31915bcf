"""CSV and XLSX of a view's tables. CSV holds one table (a CSV file has one header row); XLSX holds every
table of the view, one sheet each."""
from __future__ import annotations

import io
import re

from django.http import Http404, HttpResponse
from openpyxl.styles import Font

from kinerja import spreadsheets
from kinerja.reports.tables import Table, plain

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def csv_bytes(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = spreadsheets.CsvWriter(buffer)
    writer.writerow(table.headers)
    for row in table.rows:
        writer.writerow([plain(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # the BOM makes Excel read UTF-8


def xlsx_bytes(tables: list[Table]) -> bytes:
    workbook = spreadsheets.workbook()
    workbook.remove(workbook.active)
    for table in tables:
        sheet = workbook.create_sheet(re.sub(r"[\[\]:*?/\\]", " ", table.title)[:31] or table.name)
        spreadsheets.append(sheet, table.headers)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for row in table.rows:
            spreadsheets.append(sheet, [plain(value) for value in row])
        for index, header in enumerate(table.headers, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(12, min(40, len(header) + 4))
    return spreadsheets.workbook_bytes(workbook)


def response(tables: list[Table], fmt: str, filename: str, table_name: str = "") -> HttpResponse:
    if fmt == "xlsx":
        content, content_type, extension = xlsx_bytes(tables), XLSX_CONTENT_TYPE, "xlsx"
    elif fmt == "csv":
        table = next((t for t in tables if t.name == table_name), None) if table_name else tables[0]
        if table is None:
            raise Http404
        content, content_type, extension = csv_bytes(table), "text/csv; charset=utf-8", "csv"
        filename = f"{filename}-{table.name}"
    else:
        raise Http404
    result = HttpResponse(content, content_type=content_type)
    result["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return result
