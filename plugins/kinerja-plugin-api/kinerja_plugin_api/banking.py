"""Bank transfer files: what a bank file format receives (`TransferBatch`), how its columns are laid out
(`LayoutColumn`, data a region may set), and writers for the two usual shapes (delimited text and
fixed-width text). A plugin offers formats through the `kinerja_bank_file_formats` hook (hook API 2.1).

The file layouts of the regional banks that pay regional salaries (BPD: Bank Nagari, Bank Sumut, Bank
Jambi, ...) are agreed between each bank and its Pemda and are not published. A format therefore carries
a default column layout that the region replaces with the one its bank gave it, without a new plugin.
Nothing here needs Django."""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

#: The values a column can print, by name.
TRANSFER_FIELDS = ("sequence", "nip", "employee_name", "bank_code", "bank_name", "account_number",
                   "account_holder", "amount", "reference", "month", "value_date", "payer_account")
ALIGNMENTS = ("left", "right")


@dataclass(frozen=True)
class TransferLine:
    """One payment: whole rupiah to one account."""

    sequence: int
    nip: str
    employee_name: str
    bank_code: str
    bank_name: str
    account_number: str
    account_holder: str
    amount: int
    reference: str


@dataclass(frozen=True)
class TransferBatch:
    """Every payment of one run, in the order the file lists them."""

    region_name: str
    month: datetime.date
    reference: str
    lines: tuple[TransferLine, ...]
    value_date: datetime.date | None = None
    payer_account: str = ""

    @property
    def total(self) -> int:
        return sum(line.amount for line in self.lines)

    @property
    def count(self) -> int:
        return len(self.lines)

    def value(self, line: TransferLine, name: str) -> str:
        """A column's text for one line (batch-wide fields included)."""
        if name == "month":
            return self.month.strftime("%m%Y")
        if name == "value_date":
            return (self.value_date or self.month).strftime("%Y%m%d")
        if name == "payer_account":
            return self.payer_account
        return str(getattr(line, name))


@dataclass(frozen=True)
class LayoutColumn:
    """One column of a file: which value, under which header, and (for fixed-width files) its width,
    alignment and padding character."""

    field: str
    header: str = ""
    width: int = 0
    align: str = "left"
    pad: str = " "

    def as_dict(self) -> dict:
        return {"field": self.field, "header": self.header, "width": self.width, "align": self.align,
                "pad": self.pad}


def parse_layout(data: Iterable[Mapping], *, fixed_width: bool = False) -> tuple[LayoutColumn, ...]:
    """A layout from plain data (what a region saves), or ValueError naming each bad column."""
    problems: list[str] = []
    columns: list[LayoutColumn] = []
    try:
        items = list(data)
    except TypeError:
        raise ValueError("a layout is a list of columns") from None
    if not items:
        raise ValueError("a layout needs at least one column")
    for number, item in enumerate(items, start=1):
        if not isinstance(item, Mapping):
            problems.append(f"column {number}: not a mapping of field, header, width, align, pad")
            continue
        name = item.get("field")
        if name not in TRANSFER_FIELDS:
            problems.append(f"column {number}: field '{name}' is not one of {', '.join(TRANSFER_FIELDS)}")
        header = item.get("header", "") or ""
        width = item.get("width", 0) or 0
        align = item.get("align", "left") or "left"
        pad = item.get("pad", " ") or " "
        if not isinstance(width, int) or isinstance(width, bool) or width < 0 or width > 200:
            problems.append(f"column {number}: width must be a whole number from 0 to 200")
            width = 0
        if fixed_width and not width:
            problems.append(f"column {number}: a fixed-width file needs a width above 0")
        if align not in ALIGNMENTS:
            problems.append(f"column {number}: align must be 'left' or 'right'")
        if not isinstance(pad, str) or len(pad) != 1:
            problems.append(f"column {number}: pad must be one character")
        columns.append(LayoutColumn(str(name), str(header), width, align, pad if isinstance(pad, str) else " "))
    if problems:
        raise ValueError("; ".join(problems))
    return tuple(columns)


def _fit(text: str, column: LayoutColumn) -> str:
    """The text cut or padded to the column's width. Amounts never fit by cutting: ValueError instead."""
    if len(text) > column.width:
        if column.field in ("amount", "account_number", "sequence"):
            raise ValueError(f"{column.field} '{text}' does not fit in {column.width} characters")
        text = text[:column.width]
    return text.rjust(column.width, column.pad) if column.align == "right" else text.ljust(column.width, column.pad)


def write_delimited(batch: TransferBatch, layout: tuple[LayoutColumn, ...], *, delimiter: str = ";",
                    header: bool = True, control_lines: bool = False) -> bytes:
    """Delimited text, CRLF line ends, UTF-8. With `control_lines`, a first line with the record count,
    the total and the reference, and a last line repeating count and total (what bulk-transfer uploads
    check before they pay)."""
    def clean(value: str) -> str:
        return value.replace(delimiter, " ").replace("\r", " ").replace("\n", " ")

    lines = []
    if control_lines:
        lines.append(delimiter.join(["H", clean(batch.payer_account), batch.month.strftime("%m%Y"), str(batch.count),
                                     str(batch.total), clean(batch.reference)]))
    if header:
        lines.append(delimiter.join(column.header or column.field.upper() for column in layout))
    for line in batch.lines:
        lines.append(delimiter.join(clean(batch.value(line, column.field)) for column in layout))
    if control_lines:
        lines.append(delimiter.join(["T", str(batch.count), str(batch.total)]))
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def write_fixed_width(batch: TransferBatch, layout: tuple[LayoutColumn, ...]) -> bytes:
    """Fixed-width text, CRLF line ends, ASCII: a header record (H, payer account, value date, count,
    total), one detail record (D) per payment in the layout's columns, and a trailer record (T, count,
    total). Names are cut to their column; an amount or account number that does not fit is an error."""
    value_date = (batch.value_date or batch.month).strftime("%Y%m%d")
    records = ["H" + batch.payer_account[:20].ljust(20) + value_date + str(batch.count).rjust(6, "0")
               + str(batch.total).rjust(15, "0")]
    for line in batch.lines:
        records.append("D" + "".join(_fit(batch.value(line, column.field), column) for column in layout))
    records.append("T" + str(batch.count).rjust(6, "0") + str(batch.total).rjust(15, "0"))
    text = "\r\n".join(records) + "\r\n"
    return text.encode("ascii", errors="replace")


@dataclass(frozen=True)
class BankFileFormat:
    """A transfer file format a plugin offers.

    code: a short unique name ("csv-generik"); name and description: Indonesian, for HR;
    extension and content_type: of the file written; default_layout: the columns used unless the region
    sets its own; fixed_width: whether every column needs a width; writer(batch, layout) -> bytes;
    layout_source: where the default layout comes from (say plainly when it is not a published one)."""

    code: str
    name: str
    description: str
    extension: str
    content_type: str
    default_layout: tuple[LayoutColumn, ...]
    writer: Callable[[TransferBatch, tuple[LayoutColumn, ...]], bytes] = field(repr=False)
    fixed_width: bool = False
    layout_source: str = ""

    def layout(self, data: Iterable[Mapping] | None = None) -> tuple[LayoutColumn, ...]:
        """The region's layout when it set one (validated), else the default."""
        return parse_layout(data, fixed_width=self.fixed_width) if data else self.default_layout

    def write(self, batch: TransferBatch, layout: tuple[LayoutColumn, ...] | None = None) -> bytes:
        return self.writer(batch, layout or self.default_layout)


GENERIC_CSV = BankFileFormat(
    code="csv-generik",
    name="CSV umum (titik koma)",
    description="NIP, nama, kode bank, nomor rekening, nama rekening, jumlah dan berita, dipisah titik koma.",
    extension="csv",
    content_type="text/csv; charset=utf-8",
    default_layout=(LayoutColumn("nip", "NIP"), LayoutColumn("employee_name", "NAMA"),
                    LayoutColumn("bank_code", "KODE_BANK"), LayoutColumn("account_number", "NO_REKENING"),
                    LayoutColumn("account_holder", "NAMA_REKENING"), LayoutColumn("amount", "JUMLAH"),
                    LayoutColumn("reference", "BERITA")),
    writer=lambda batch, layout: write_delimited(batch, layout),
    layout_source="Kinerja's own layout; not a bank's.",
)

__all__ = ["TRANSFER_FIELDS", "ALIGNMENTS", "TransferLine", "TransferBatch", "LayoutColumn", "parse_layout",
           "write_delimited", "write_fixed_width", "BankFileFormat", "GENERIC_CSV"]
