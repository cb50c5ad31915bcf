"""Official pay documents: the payslip as an A4 PDF with the region's name and logo, the period and the
printing date in Indonesian words, the employee's identity, every line with the sentences explaining it,
and a verification code that the region's public page confirms.

The code is the result's number and a keyed hash (HMAC-SHA256 with the deployment's secret key) of the
region, the result and the take-home paid: it cannot be guessed or altered, and needs no table. The
public page confirms only what the holder of the slip already reads on it (period, a masked NIP and the
take-home), never a name, so a code found lying around singles nobody out."""
from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import io
import zipfile

from django.conf import settings
from django.db import connection
from django.urls import reverse
from kinerja_plugin_api.types import CONTRIBUTION, DEDUCTION

from kinerja.pay.explain import rupiah
from kinerja.pay.models import PayResult, PaySettings
from kinerja.region.letterhead import (  # noqa: F401
    Letterhead,
    date_in_words,
    month_in_words,
    region_header,
    region_letterhead,
)

EMPLOYEE_TYPES = {"PNS": "Pegawai Negeri Sipil (PNS)", "PPPK": "Pegawai Pemerintah dengan Perjanjian Kerja (PPPK)"}


def _signature(schema: str, result_id: int, run_id: int, net: int, nip: str) -> str:
    message = f"{schema}:{result_id}:{run_id}:{net}:{nip}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:12]


def verification_code(result: PayResult) -> str:
    """"<result id>-<12 characters>": printed on the slip and typed into the public page."""
    return f"{result.pk}-{_signature(connection.schema_name, result.pk, result.run_id, result.net, result.nip)}"


def verification_url(code: str) -> str:
    """The region's public page for a code, on the region's own host."""
    scheme = "http" if settings.DEBUG or settings.KINERJA_BASE_DOMAIN == "localhost" else "https"
    return f"{scheme}://{connection.schema_name}.{settings.KINERJA_BASE_DOMAIN}{reverse('pay:verify-payslip', args=[code])}"


def result_for_code(code: str) -> PayResult | None:
    """The released result a code names, or None when the code is wrong, altered or not yet released."""
    number, _dash, signature = (code or "").strip().upper().partition("-")
    if not number.isdigit() or len(signature) != 12:
        return None
    result = PayResult.objects.select_related("run").filter(pk=int(number), run__status__in=("approved", "locked")).first()
    if result is None:
        return None
    expected = _signature(connection.schema_name, result.pk, result.run_id, result.net, result.nip)
    return result if hmac.compare_digest(expected, signature) else None


def masked_nip(nip: str) -> str:
    return nip[:4] + "*" * max(0, len(nip) - 7) + nip[-3:] if len(nip) > 7 else "*" * len(nip)


def _sentences(line) -> list[str]:
    sentences = line.sentences("id")
    if sentences:
        return sentences
    figures = ", ".join(f"{key}: {value}" for key, value in (line.inputs or {}).items())
    return [f"Dihitung dari {figures}."] if figures else []


def payslip_pdf(result: PayResult, letterhead: Letterhead) -> bytes:
    """The payslip on A4: letterhead, period, identity, lines with their explanations, totals, the code."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9, leading=11)
    small = ParagraphStyle("small", parent=body, fontSize=7.5, leading=9, textColor=colors.HexColor("#444444"))
    right = ParagraphStyle("right", parent=body, alignment=TA_RIGHT)

    def text(value, style=body):
        escaped = str(value if value is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        return Paragraph(escaped, style)

    run = result.run
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=15 * mm,
                                 bottomMargin=15 * mm, title=f"Slip TPP {month_in_words(run.month)} {result.nip}",
                                 author=letterhead.region_name)
    story = region_header(letterhead, ["SLIP TAMBAHAN PENGHASILAN PEGAWAI (TPP)",
                                       f"Periode: {month_in_words(run.month)}"])
    story += [Spacer(1, 4 * mm)]
    identity = [("Nama", result.full_name), ("NIP", result.nip), ("Jabatan", result.position_title),
                ("Kelas jabatan", str(result.position_class)), ("Golongan", result.rank or "-"),
                ("Jenis pegawai", EMPLOYEE_TYPES.get(result.employee_type, result.employee_type)),
                ("Unit kerja", result.unit_name)]
    story.append(Table([[text(label), text(f": {value}")] for label, value in identity], colWidths=[35 * mm, None],
                       style=TableStyle([("BOTTOMPADDING", (0, 0), (-1, -1), 1), ("TOPPADDING", (0, 0), (-1, -1), 1)])))
    story.append(Spacer(1, 4 * mm))
    rows = [[text("Uraian"), text("Penghasilan", right), text("Potongan", right), text("Dibayar Pemda", right)]]
    for line in result.lines.all():
        explanation = [text(line.label)] + [text(sentence, small) for sentence in _sentences(line)]
        amount = text(rupiah(line.amount), right)
        blank = text("")
        rows.append([explanation, *((blank, amount, blank) if line.kind == DEDUCTION else
                                     (blank, blank, amount) if line.kind == CONTRIBUTION else (amount, blank, blank))])
    rows.append([text("Jumlah"), text(rupiah(result.earnings), right), text(rupiah(result.deductions), right),
                 text(rupiah(result.contributions), right)])
    rows.append([text("DITERIMA (penghasilan dikurangi potongan)"), text(rupiah(result.net), right), "", ""])
    story.append(Table(rows, colWidths=[None, 30 * mm, 30 * mm, 30 * mm], repeatRows=1, style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE")),
        ("BACKGROUND", (0, -2), (-1, -1), colors.HexColor("#F5F5F5")), ("SPAN", (1, -1), (-1, -1))])))
    story.append(Spacer(1, 4 * mm))
    printed_on = letterhead.printed_on or datetime.date.today()
    code = verification_code(result)
    story += [
        text(f"Dihitung dengan {run.plugin_name} {run.plugin_version}, pengaturan versi {run.config_version_id or '-'}; "
             f"dicetak {date_in_words(printed_on)}.", small),
        text(f"Kode verifikasi: {code}", body),
        text(f"Keaslian slip ini dapat diperiksa di {verification_url(code)}", small),
    ]
    document.build(story)
    return buffer.getvalue()


def payslip_filename(result: PayResult) -> str:
    return f"slip-tpp-{result.run.month:%Y-%m}-{result.nip}.pdf"


def stored_logo() -> bytes | None:
    """The logo HR uploaded in the pay settings for official documents, or None."""
    settings_row = PaySettings.objects.filter(pk=1).first()
    if not (settings_row and settings_row.document_logo):
        return None
    with settings_row.document_logo.open("rb") as stored:
        return stored.read()


def write_payslip_zip(fileobj, results, letterhead: Letterhead) -> None:
    """Every given result's payslip into one zip written to `fileobj`."""
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for result in results:
            archive.writestr(payslip_filename(result), payslip_pdf(result, letterhead))
