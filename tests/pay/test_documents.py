"""The payslip as an official document: A4, the region's name (and logo), the period in Indonesian words,
identity, every line with its explanation, and a verification code that the region's public page
confirms without naming anyone. Read back as text (pypdf); pages rendered to test-artifacts/ for a look."""
from __future__ import annotations

import datetime
import io

import pytest
from kinerja.pay import attendance, documents, services

from tests.factories import make_employee
from tests.helpers import english_client as client_for
from tests.helpers import in_region
from tests.pay.factories import attendance_csv, computed_run, rate, use_pay_plugin
from tests.pdfs import leaked_markup, pdf_text, render_pngs

MARCH = datetime.date(2025, 3, 1)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def slip(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    employee = make_employee(unit, "Siti Aminah", position_class=9)
    rate(employee, year=2024, work_result="above", behaviour="above", predicate="sangat_baik")
    content = attendance_csv(employee.nip, MARCH, {datetime.date(2025, 3, 12): None,
                                                   datetime.date(2025, 3, 13): ("08:10", "16:05", "HADIR")})
    attendance.apply_import(attendance.preview_import(content=content, filename="a.csv", actor=hr), actor=hr)
    run = computed_run(MARCH, hr, approve_with=checker)
    return run.results.get(employee=employee)


def test_the_payslip_reads_as_an_official_document(in_a, hr, slip):
    from pypdf import PdfReader

    response = client_for(in_a, hr).get(f"/pay/results/{slip.pk}/payslip.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    page = PdfReader(io.BytesIO(response.content)).pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)  # A4
    text = flat(pdf_text(response.content))
    assert leaked_markup(text) == []
    for part in ("PEMERINTAH KOTA BUKITTINGGI", "SLIP TAMBAHAN PENGHASILAN PEGAWAI (TPP)", "Periode: Maret 2025",
                 "Siti Aminah", f"NIP : {slip.nip}", "Kelas jabatan : 9", "Unit kerja : Dinas Kesehatan"):
        assert part in text, part
    with in_region(in_a):
        lines = list(slip.lines.all())
        code = documents.verification_code(slip)
    assert {line.code for line in lines} >= {"TPP_KINERJA", "POT_DISIPLIN", "BPJS_1", "BPJS_4"}
    for line in lines:
        assert line.label in text, line.label
        for sentence in line.sentences("id"):
            assert flat(sentence) in text, sentence
    assert f"DITERIMA (penghasilan dikurangi potongan) Rp {slip.net:,}".replace(",", ".") in text
    assert f"Kode verifikasi: {code}" in text and f"/pay/verify/{code}/" in text
    render_pngs(response.content, "payslip")


def test_the_public_page_confirms_a_code_without_naming_anyone(in_a, hr, slip):
    with in_region(in_a):
        code = documents.verification_code(slip)
    public = client_for(in_a)  # nobody signed in
    page = public.get(f"/pay/verify/{code}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-testid="verified"' in body and "March 2025" not in body and "Maret 2025" in body
    assert f"{slip.nip[:4]}" in body and slip.nip not in body and "Siti Aminah" not in body
    assert f"{slip.net:,}".replace(",", ".") in body
    altered = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert public.get(f"/pay/verify/{altered}/").status_code == 404
    other_number = f"{slip.pk + 1}-{code.split('-')[1]}"
    assert public.get(f"/pay/verify/{other_number}/").status_code == 404


def test_a_slip_of_a_run_not_yet_approved_is_not_confirmed(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    employee = make_employee(unit, "Budi")
    run = computed_run(MARCH, hr)
    result = run.results.get(employee=employee)
    code = documents.verification_code(result)
    assert client_for(in_a).get(f"/pay/verify/{code}/").status_code == 404


def test_the_regions_logo_is_printed(in_a, hr, slip, media):
    from PIL import Image
    from pypdf import PdfReader

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (200, 30, 30)).save(buffer, format="PNG")
    with in_region(in_a):
        with pytest.raises(Exception, match="PNG or JPEG"):
            services.set_document_logo(actor=hr, content=b"GIF89a....", filename="logo.gif")
    response = client_for(in_a, hr).post("/pay/settings/", {"logo": _upload("logo.png", buffer.getvalue())})
    assert response.status_code == 302
    with in_region(in_a):
        pdf = documents.payslip_pdf(slip, documents.region_letterhead())
    assert len(PdfReader(io.BytesIO(pdf)).pages[0].images) == 1
    render_pngs(pdf, "payslip-with-logo")


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="image/png")
