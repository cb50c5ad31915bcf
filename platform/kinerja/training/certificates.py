"""Certificates of completion as PDF (reportlab). Built on request from the enrolment, so a certificate
always shows what was recorded; the number was fixed when the session was completed."""
from __future__ import annotations

import io

from django.db import connection
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import cm
from reportlab.pdfgen import canvas

from kinerja.training.models import Enrolment, EnrolmentStatus
from kinerja.region import formats


def _region_name() -> str:
    return getattr(connection.tenant, "name", "") or connection.schema_name


def certificate_pdf(enrolment: Enrolment) -> bytes:
    """The certificate of a completed enrolment. Uncompressed and invariant (no timestamps), so the same
    record gives the same bytes and its text can be searched."""
    if enrolment.status != EnrolmentStatus.COMPLETED:
        raise ValueError("only a completed enrolment has a certificate")
    session, course, employee = enrolment.session, enrolment.course, enrolment.employee
    buffer = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(buffer, pagesize=(width, height), invariant=1, pageCompression=0)
    pdf.setTitle(f"{_('Certificate')} {enrolment.certificate_number}")
    pdf.setAuthor(_region_name())
    pdf.setLineWidth(3)
    pdf.rect(1.5 * cm, 1.5 * cm, width - 3 * cm, height - 3 * cm)
    center = width / 2
    lines = [
        ("Helvetica", 14, height - 3.5 * cm, _region_name()),
        ("Helvetica-Bold", 30, height - 5.5 * cm, _("CERTIFICATE")),
        ("Helvetica", 11, height - 6.4 * cm, _("Number: %s") % enrolment.certificate_number),
        ("Helvetica", 13, height - 8 * cm, _("is awarded to")),
        ("Helvetica-Bold", 22, height - 9.4 * cm, employee.full_name),
        ("Helvetica", 12, height - 10.3 * cm, f"NIP {employee.nip}"),
        ("Helvetica", 13, height - 11.8 * cm, _("for completing")),
        ("Helvetica-Bold", 17, height - 13 * cm, course.title),
        ("Helvetica", 12, height - 14 * cm, _("%(start)s to %(end)s, %(jp)s JP, %(method)s") % {
            "start": formats.date(session.starts_on), "end": formats.date(session.ends_on),
            "jp": enrolment.jp_hours, "method": course.get_method_display()}),
        ("Helvetica", 11, height - 14.8 * cm, _("Organised by %s") % (course.provider or _region_name())),
    ]
    for font, size, y, text in lines:
        pdf.setFont(font, size)
        pdf.drawCentredString(center, y, text)
    if session.trainer:
        pdf.setFont("Helvetica", 10)
        pdf.drawString(3 * cm, 2.5 * cm, _("Trainer: %s") % session.trainer)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
