"""What a run hands on to the finance office: the payroll register (XLSX). The bank transfer file is
kinerja.pay.bank_files', the payslips kinerja.pay.documents'."""
from __future__ import annotations

from kinerja_plugin_api.types import CONTRIBUTION, DEDUCTION, EARNING

from kinerja import spreadsheets
from kinerja.pay.models import PayRun
from kinerja.pay.selectors import results_with_lines
from kinerja.region.letterhead import MONTHS_ID, date_in_words, month_in_words  # noqa: F401 (kept importable here)

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


MONEY_FORMAT = '#,##0;-#,##0;"-"'


def payroll_register(run: PayRun, *, region_name: str = "", today=None) -> bytes:
    """The payroll register for the finance office: a title naming the region and the month, one row per
    employee and one column per rule code under a frozen header, amounts in rupiah format, totals, and a
    signature block. Lines are read in one query."""
    import datetime

    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    results = list(results_with_lines(run))
    codes: dict[str, tuple[str, str]] = {}
    for result in results:
        for line in result.lines.all():
            codes.setdefault(line.code, (line.label, line.kind))
    order = {EARNING: 0, DEDUCTION: 1, CONTRIBUTION: 2}
    columns = sorted(codes, key=lambda c: order.get(codes[c][1], 3))
    workbook = spreadsheets.workbook()
    sheet = workbook.active
    sheet.title = f"TPP {run.month:%Y-%m}"
    header = ["NO", "NIP", "NAMA", "UNIT", "JABATAN", "KELAS", "JENIS", "GOLONGAN", *columns,
              "JUMLAH_PENGHASILAN", "JUMLAH_POTONGAN", "DIBAYAR_PEMDA", "DITERIMA", "KETERANGAN"]
    bold = Font(bold=True)
    spreadsheets.append(sheet, [f"DAFTAR PEMBAYARAN TAMBAHAN PENGHASILAN PEGAWAI (TPP) {region_name}".strip().upper()])
    spreadsheets.append(sheet, [f"Bulan {month_in_words(run.month)}"])
    spreadsheets.append(sheet, [f"{run.plugin_name} {run.plugin_version} · pengaturan v{run.config_version_id or '-'} · "
                  f"{run.get_status_display()}"])
    for row in (1, 2):
        sheet.cell(row=row, column=1).font = Font(bold=True, size=13 if row == 1 else 11)
    header_row = 5
    spreadsheets.append(sheet, [])
    spreadsheets.append(sheet, header)
    thin = Side(style="thin", color="999999")
    for column in range(1, len(header) + 1):
        cell = sheet.cell(row=header_row, column=column)
        cell.font, cell.fill = bold, PatternFill("solid", fgColor="DDDDDD")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = Border(bottom=thin)
    sums = [0] * (len(columns) + 4)
    money_columns = range(9, 9 + len(columns) + 4)
    for number, result in enumerate(results, start=1):
        amounts = {line.code: line.amount for line in result.lines.all()}
        values = [amounts.get(code, 0) for code in columns] + [result.earnings, result.deductions,
                                                               result.contributions, result.net]
        sums = [a + b for a, b in zip(sums, values)]
        spreadsheets.append(sheet, [number, result.nip, result.full_name, result.unit_name, result.position_title,
                      result.position_class, result.employee_type, result.rank, *values, result.error])
    spreadsheets.append(sheet, ["", "", "JUMLAH", "", "", "", "", "", *sums, ""])
    total_row = sheet.max_row
    for column in range(1, len(header) + 1):
        sheet.cell(row=total_row, column=column).font = bold
        sheet.cell(row=total_row, column=column).border = Border(top=thin)
    for row in sheet.iter_rows(min_row=header_row + 1, max_row=total_row, min_col=money_columns.start,
                               max_col=money_columns.stop - 1):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    for column in range(2, 3):
        for row in range(header_row + 1, total_row):
            sheet.cell(row=row, column=column).number_format = "@"  # NIPs stay text, never 1.98E+17
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=4)  # header and NO/NIP/NAMA stay in view
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation, sheet.page_setup.paperSize = "landscape", sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.sheet_properties.pageSetUpPr.fitToPage = 1, True
    sheet.page_setup.fitToHeight = 0
    widths = {1: 5, 2: 21, 3: 28, 4: 24, 5: 24}
    for column in range(1, len(header) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 16 if column >= 9 else 9)
    # signature block: places for the officials' names, which the finance office writes by hand
    day = today or datetime.date.today()
    start = total_row + 3
    left, right = 3, max(9, len(header) - 3)
    sheet.cell(row=start, column=right, value=f"{region_name or '....................'}, {date_in_words(day)}")
    for column, title in ((left, "Mengetahui,"), (right, "Dibuat oleh,")):
        sheet.cell(row=start + 1, column=column, value=title)
    for column, title in ((left, "Pengguna Anggaran / Kepala BKPSDM"), (right, "Bendahara Pengeluaran")):
        sheet.cell(row=start + 2, column=column, value=title)
        sheet.cell(row=start + 6, column=column, value="(.................................................)")
        sheet.cell(row=start + 7, column=column, value="NIP ..........................................")
    return spreadsheets.workbook_bytes(workbook)


def annual_summary_workbook(summary: dict, *, region_name: str = "") -> bytes:
    """The annual TPP summary per unit (kinerja.pay.history.annual_summary) as an XLSX: a title, a frozen
    header, one row per unit, rupiah formats and the region's totals."""
    from openpyxl.styles import Font

    workbook = spreadsheets.workbook()
    sheet = workbook.active
    sheet.title = f"TPP {summary['year']}"
    spreadsheets.append(sheet, [f"REKAPITULASI TPP TAHUN {summary['year']} {region_name}".strip().upper()])
    spreadsheets.append(sheet, [])
    header = ["UNIT", "PEGAWAI", "SLIP", "BULAN", "JUMLAH_PENGHASILAN", "JUMLAH_POTONGAN", "DIBAYAR_PEMDA", "DITERIMA"]
    spreadsheets.append(sheet, header)
    for row in summary["units"]:
        spreadsheets.append(sheet, [row["unit_name"] or "-", row["employees"], row["results"], row["months"],
                                    row["earnings"] or 0, row["deductions"] or 0, row["contributions"] or 0,
                                    row["net"] or 0])
    totals = summary["totals"]
    spreadsheets.append(sheet, ["JUMLAH", totals["employees"], totals["results"], "", totals["earnings"],
                                totals["deductions"], totals["contributions"], totals["net"]])
    bold = Font(bold=True)
    sheet.cell(row=1, column=1).font = Font(bold=True, size=13)
    for column in range(1, len(header) + 1):
        sheet.cell(row=3, column=column).font = bold
        sheet.cell(row=sheet.max_row, column=column).font = bold
    for row in sheet.iter_rows(min_row=4, max_row=sheet.max_row, min_col=5, max_col=8):
        for cell in row:
            cell.number_format = MONEY_FORMAT
    sheet.freeze_panes = "B4"
    return spreadsheets.workbook_bytes(workbook)
