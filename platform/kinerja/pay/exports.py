"""What a run hands on: the payroll register (XLSX) for the finance office (the bank transfer file is
kinerja.pay.bank_files'), payslips (PDF, one or all in a zip built in the background)."""
from __future__ import annotations

import io
import zipfile

from django.utils.translation import gettext as _
from kinerja_plugin_api.types import CONTRIBUTION, DEDUCTION, EARNING

from kinerja.pay.explain import rupiah
from kinerja.pay.models import PayResult, PayRun
from kinerja.pay.selectors import results_with_lines

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def payroll_register(run: PayRun) -> bytes:
    """One row per employee, one column per rule code, totals at the bottom. Lines are read in one query."""
    from openpyxl import Workbook

    results = list(results_with_lines(run))
    codes: dict[str, tuple[str, str]] = {}
    for result in results:
        for line in result.lines.all():
            codes.setdefault(line.code, (line.label, line.kind))
    order = {EARNING: 0, DEDUCTION: 1, CONTRIBUTION: 2}
    columns = sorted(codes, key=lambda c: order.get(codes[c][1], 3))
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(f"TPP {run.month:%Y-%m}")
    header = ["NO", "NIP", "NAMA", "UNIT", "JABATAN", "KELAS", "JENIS", "GOLONGAN", *columns,
              "JUMLAH_PENGHASILAN", "JUMLAH_POTONGAN", "DIBAYAR_PEMDA", "DITERIMA", "KETERANGAN"]
    sheet.append([f"TPP {run.month:%m/%Y}", run.plugin_name, run.plugin_version,
                  f"config v{run.config_version_id or '-'}", run.get_status_display()])
    sheet.append(header)
    sums = [0] * (len(columns) + 4)
    for number, result in enumerate(results, start=1):
        amounts = {line.code: line.amount for line in result.lines.all()}
        values = [amounts.get(code, 0) for code in columns] + [result.earnings, result.deductions,
                                                               result.contributions, result.net]
        sums = [a + b for a, b in zip(sums, values)]
        sheet.append([number, result.nip, result.full_name, result.unit_name, result.position_title,
                      result.position_class, result.employee_type, result.rank, *values, result.error])
    total_row = ["", "", "JUMLAH", "", "", "", "", "", *sums, ""]
    sheet.append(total_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def payslip_pdf(result: PayResult) -> bytes:
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A5)
    width, height = A5
    y = height - 15 * mm
    pdf.setFont("Helvetica-Bold", 12)
    pdf.drawString(12 * mm, y, _("TPP payslip %s") % result.run.month.strftime("%m/%Y"))
    pdf.setFont("Helvetica", 9)
    for text in (f"{result.full_name}  NIP {result.nip}", f"{result.position_title} ({result.position_class})",
                 result.unit_name, f"{result.run.plugin_name} {result.run.plugin_version}"):
        y -= 5 * mm
        pdf.drawString(12 * mm, y, text)
    y -= 4 * mm
    for line in result.lines.all():
        y -= 5 * mm
        sign = "-" if line.kind == DEDUCTION else ("(" if line.kind == CONTRIBUTION else "")
        pdf.drawString(12 * mm, y, line.label[:70])
        pdf.drawRightString(width - 12 * mm, y, f"{sign}{rupiah(line.amount)}{')' if line.kind == CONTRIBUTION else ''}")
    y -= 8 * mm
    pdf.setFont("Helvetica-Bold", 10)
    pdf.drawString(12 * mm, y, _("Take-home"))
    pdf.drawRightString(width - 12 * mm, y, rupiah(result.net))
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def payslip_filename(result: PayResult) -> str:
    return f"slip-tpp-{result.run.month:%Y-%m}-{result.nip}.pdf"


def write_payslip_zip(fileobj, results) -> None:
    """Every given result's payslip into one zip written to `fileobj`."""
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for result in results:
            archive.writestr(payslip_filename(result), payslip_pdf(result))
