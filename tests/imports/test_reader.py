"""The spreadsheet reader every import goes through: CSV dialects as Excel writes them, formulas without
values, limits enforced while reading, decompression bombs refused before anything is expanded."""
from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from django.utils import translation
from kinerja import spreadsheets
from kinerja.spreadsheets import FORMULA_WITHOUT_VALUE, FileProblem, Limits
from openpyxl import Workbook


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


class CountingStream(io.BytesIO):
    """A file that counts the bytes read from it."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.bytes_read += count
        return count

    def read1(self, size=-1):
        chunk = super().read1(size)
        self.bytes_read += len(chunk)
        return chunk


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_semicolon_csv_with_a_byte_order_mark():
    content = "\ufeffNIP;NAMA\r\n198503152010011001;Joko\r\n".encode()
    assert spreadsheets.read_rows(content, "a.csv") == [["NIP", "NAMA"], ["198503152010011001", "Joko"]]


def test_comma_csv_with_a_semicolon_inside_a_quoted_cell():
    content = b'NIP,NAMA\n198503152010011001,"Joko; Susilo"\n'
    assert spreadsheets.read_rows(content, "a.csv")[1] == ["198503152010011001", "Joko; Susilo"]


def test_latin_1_csv_keeps_its_accents():
    content = "NIP,NAMA\n1,Désirée Çelik\n".encode("latin-1")
    assert spreadsheets.read_rows(content, "a.csv")[1] == ["1", "Désirée Çelik"]


def test_a_file_utf8_at_first_and_not_later_names_where():
    content = ("NIP,NAMA\n" + "1,Budi\n" * 200_000).encode() + "2,Désirée\n".encode("latin-1")
    with pytest.raises(FileProblem, match="not UTF-8"):
        spreadsheets.read_rows(content, "a.csv", Limits(max_rows=1_000_000))


@pytest.mark.parametrize("cell", ["1.98503E+17", "1,98503E+17", "1.98503e17"])
def test_a_nip_excel_wrote_in_scientific_notation_is_refused_with_the_reason(cell):
    text, problem = spreadsheets.digits_cell(cell)
    assert problem and "rounded" in problem and cell in problem


def test_numbers_that_kept_their_digits_pass():
    assert spreadsheets.digits_cell("198503152010011001") == ("198503152010011001", None)
    assert spreadsheets.digits_cell("1234.0") == ("1234", None)
    assert spreadsheets.digits_cell(198503152010011000.0)[1] is not None


def test_a_formula_saved_without_its_value_is_marked():
    workbook = Workbook()
    workbook.active.append(["NIP", "TARGET"])
    workbook.active.append(["198503152010011001", "=1+1"])  # openpyxl stores no cached value
    out = io.BytesIO()
    workbook.save(out)
    rows = spreadsheets.read_rows(out.getvalue(), "a.xlsx")
    assert rows[1][1] is FORMULA_WITHOUT_VALUE


def test_xlsx_values_dates_and_gaps_come_through():
    content = xlsx([["NIP", "TANGGAL"], [], ["1", datetime.date(2025, 3, 3)]])
    rows = list(spreadsheets.iter_rows(content, "a.xlsx"))
    assert rows[0] == (1, ["NIP", "TANGGAL"])
    assert rows[1] == (2, [])
    assert rows[2] == (3, ["1", datetime.datetime(2025, 3, 3)])


def test_a_decompression_bomb_is_refused_before_it_is_expanded():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 1024 * 1024))
    assert len(out.getvalue()) < 100_000
    with pytest.raises(FileProblem, match="expands"):
        spreadsheets.read_rows(out.getvalue(), "bomb.xlsx")


def test_a_workbook_expanding_past_the_limit_is_refused():
    content = xlsx([["NIP", "NAMA"]] + [[str(n), f"name {n}"] for n in range(2000)])
    with pytest.raises(FileProblem, match="expands to"):
        spreadsheets.read_rows(content, "a.xlsx", Limits(max_expanded_bytes=10_000))


def test_a_csv_past_the_row_limit_is_refused_after_reading_little_more_than_the_limit():
    content = ("NIP,NAMA\n" + "".join(f"{n:018d},Nama {n}\n" for n in range(200_000))).encode()
    stream = CountingStream(content)
    with pytest.raises(FileProblem, match="more than 1000 rows"):
        list(spreadsheets.iter_rows(stream, "a.csv", Limits(max_rows=1000)))
    # the first megabyte is read ahead to choose the encoding; nothing near the 6 MB of the file
    assert stream.bytes_read < 2 * 1024 * 1024 < len(content)


def test_an_xlsx_past_the_row_limit_is_refused():
    content = xlsx([["NIP"]] + [[str(n)] for n in range(3000)])
    with pytest.raises(FileProblem, match="more than 100 rows"):
        list(spreadsheets.iter_rows(content, "a.xlsx", Limits(max_rows=100)))


def test_a_file_past_the_size_limit_is_refused_unread():
    stream = CountingStream(b"NIP\n" + b"1\n" * 1000)
    with pytest.raises(FileProblem, match="larger than"):
        spreadsheets.iter_rows(stream, "a.csv", Limits(max_bytes=1024))
    assert stream.bytes_read == 0


def test_empty_files_and_old_excel_files_are_explained():
    with pytest.raises(FileProblem, match="empty"):
        spreadsheets.read_rows(b"", "a.csv")
    with pytest.raises(FileProblem, match="empty"):
        spreadsheets.read_rows(b"\n\n  \n", "a.csv")
    with pytest.raises(FileProblem, match=".xls"):
        spreadsheets.read_rows(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "a.xls")


def test_the_database_limits_in_words():
    assert "at most 200" in spreadsheets.check_text("x" * 201, max_length=200)
    assert spreadsheets.check_text("x" * 200, max_length=200) is None
    assert "control character" in spreadsheets.check_text("Joko\x0bSusilo", max_length=200)
    assert "2147483647" in spreadsheets.check_integer(2**31, maximum=spreadsheets.INT_MAX)
    assert spreadsheets.check_integer(2**31 - 1) is None
    assert "check the year" in spreadsheets.check_date(datetime.date(1, 1, 1))


class TargetParser:
    columns = ["NIP", "TARGET"]
    required = ["NIP", "TARGET"]
    aliases = {"NIP_BARU": "NIP"}
    key = "NIP"

    def parse_row(self, number, cells):
        nip, problem = spreadsheets.digits_cell(cells["NIP"])
        problems = [("NIP", problem)] if problem else []
        return {"nip": nip, "target": cells["TARGET"]}, problems


def test_parse_table_runs_a_row_parser_and_names_rows_and_fields():
    content = b"Laporan target\n\nNIP_BARU;TARGET\n198503152010011001;3\n1.98E+17;4\n\n"
    table = spreadsheets.parse_table(content, "a.csv", TargetParser())
    assert table.header_row == 3 and table.rows == 2
    assert table.records == [{"nip": "198503152010011001", "target": "3"}]
    assert [(p.row, p.field) for p in table.problems] == [(5, "NIP")]


def test_parse_table_names_a_formula_cell_and_a_missing_column():
    workbook = Workbook()
    workbook.active.append(["NIP", "TARGET"])
    workbook.active.append(["198503152010011001", "=A2*2"])
    out = io.BytesIO()
    workbook.save(out)
    table = spreadsheets.parse_table(out.getvalue(), "a.xlsx", TargetParser())
    assert table.records == [] and table.errors[0]["row"] == 2 and table.errors[0]["field"] == "TARGET"
    assert "formula" in table.errors[0]["reason"]
    missing = spreadsheets.parse_table(b"NIP\n1\n", "a.csv", TargetParser())
    assert missing.errors == [{"row": 1, "field": "TARGET", "reason": "required column TARGET is missing"}]
