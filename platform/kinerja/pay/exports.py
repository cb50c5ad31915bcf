"""What a run hands on: the payroll register (XLSX) for the finance office, the bank transfer file (CSV),
payslips (PDF, one or all in a zip built in the background)."""
from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils.translation import gettext as _

from kinerja.pay.explain import rupiah
from kinerja.pay.models import BankAccount, PayResult, PayRun
from kinerja.pay.selectors import results_of, results_with_lines
from kinerja_plugin_api.types import CONTRIBUTION, DEDUCTION, EARNING

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


def bank_transfer_csv(run: PayRun) -> tuple[bytes, list[str]]:
    """The transfer file (NIP, name, bank, account, amount in whole rupiah) and the NIPs with no account."""
    accounts = {a.employee_id: a for a in BankAccount.objects.filter(employee_id__in=run.results.values("employee_id"))}
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["NIP", "NAMA", "KODE_BANK", "NO_REKENING", "NAMA_REKENING", "JUMLAH", "BERITA"])
    missing = []
    for result in results_of(run).filter(ok=True, net__gt=0).only("employee_id", "nip", "full_name", "net"):
        account = accounts.get(result.employee_id)
        if account is None:
            missing.append(result.nip)
        writer.writerow([result.nip, result.full_name, account.bank_code if account else "",
                         account.account_number if account else "", account.account_name if account else "",
                         result.net, f"TPP {run.month:%m/%Y}"])
    return buffer.getvalue().encode("utf-8"), missing


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


def write_payslip_archive(run_id: int) -> str:
    """Every payslip of a run in one zip under the region's media folder; returns its path."""
    run = PayRun.objects.get(pk=run_id)
    folder = Path(settings.MEDIA_ROOT) / connection.schema_name / "pay" / "payslips"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"slip-tpp-{run.month:%Y-%m}-run{run.pk}.zip"
    partial = path.with_suffix(".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for result in results_with_lines(run).filter(ok=True).select_related("run"):
            archive.writestr(payslip_filename(result), payslip_pdf(result))
    partial.replace(path)  # a half-written archive is never offered
    return str(path)
