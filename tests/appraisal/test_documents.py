"""The official SKP and performance evaluation documents (PDF, PermenPANRB 6/2022 annexes): what each
prints, in Indonesian, with the region's letterhead and logo, and who may have them (page and API)."""
import datetime
import io

import pytest
from kinerja.accounts.models import Role
from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_employee, make_login, make_unit
from tests.helpers import english_client, in_region
from tests.pdfs import leaked_markup, pdf_text, render_pngs

pytestmark = pytest.mark.django_db

VALUES = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES} | {"kolaboratif": "above"}
NOW = datetime.datetime(2026, 12, 20, 3, 0, tzinfo=datetime.timezone.utc)
IN_TW2 = datetime.datetime(2026, 5, 15, 3, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def rated(org):
    """Staf Satu's SKP with a realisation in TW II, TW II and the year rated and delivered."""
    year = open_year(org, 2026, "quarterly")
    plan = plan_with_indicators(org.staff, year)
    tw2 = selectors.period_of_plan(plan, 2)
    iki = selectors.plan_rhks(plan)[0].ikis.get()
    services.record_realisation(actor=org.staff.user, iki=iki, period=tw2, value="35", text="Berkas & arsip (<5 hari)",
                                now=IN_TW2)
    periodic = services.rate(actor=org.chief.user, plan=plan, period=tw2, work_result="above",
                             behaviour="as_expected", behaviour_values=VALUES, reason="Ahead of plan", now=NOW)
    annual = services.rate(actor=org.chief.user, plan=plan, work_result="above", behaviour="above",
                           behaviour_values=VALUES, reason="Excellent year", now=NOW)
    for rating in (periodic, annual):
        services.deliver_rating(actor=org.chief.user, rating=rating, now=NOW)
    return plan


IDENTITY = ("PEGAWAI YANG DINILAI", "PEJABAT PENILAI KINERJA", "NAMA", "NIP", "PANGKAT/GOL", "JABATAN", "UNIT KERJA")


def _identity_of(org):
    return (org.staff.full_name, org.staff.nip, org.staff.position.title, "Dinas Kesehatan",
            org.chief.full_name, org.chief.nip, org.chief.rank, org.chief.position.title)


def _flat(text: str) -> str:
    """The text with a cell's wrapped lines joined, so a sentence is found wherever the column wrapped it."""
    return " ".join(text.split())


def _signatures(org):
    return ("Pegawai yang Dinilai", "Pejabat Penilai Kinerja", f"NIP {org.staff.nip}", f"NIP {org.chief.nip}")


def test_skp_document_prints_every_section_of_the_annex_in_indonesian(org, rated):
    response = english_client(org.region, org.staff.user).get(f"/appraisal/skp/{rated.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _flat(pdf_text(response.content))
    assert leaked_markup(text) == []
    for line in (f"PEMERINTAH {org.region.name.upper()}", "SASARAN KINERJA PEGAWAI",
                 "PERIODE PENILAIAN: 1 Januari 2026 s.d. 31 Desember 2026", *IDENTITY, *_identity_of(org),
                 "HASIL KERJA", "RENCANA HASIL KERJA", "INDIKATOR KINERJA INDIVIDU", "TARGET",
                 "Result of Staf Satu", "Documents processed", "120 documents",
                 "PERILAKU KERJA", "Berorientasi Pelayanan", "Kolaboratif", "EKSPEKTASI KHUSUS PIMPINAN",
                 "PREDIKAT KINERJA", "Sangat Baik", *_signatures(org)):
        assert line in text, line
    assert "Indicator (IKI)" not in text  # official wording whatever the reader's language
    render_pngs(response.content, "skp-document")


def test_evaluation_document_of_a_period_and_of_the_year(org, rated):
    client = english_client(org.region, org.staff.user)
    periodic = client.get(f"/appraisal/skp/{rated.pk}/evaluation/pdf/?period=2")
    assert periodic.status_code == 200 and periodic["Content-Type"] == "application/pdf"
    text = _flat(pdf_text(periodic.content))
    assert leaked_markup(text) == []
    for line in ("EVALUASI KINERJA PEGAWAI", "PERIODE PENILAIAN: 1 April 2026 s.d. 30 Juni 2026", *IDENTITY,
                 *_identity_of(org), "INDIKATOR KINERJA INDIVIDU", "TARGET", "REALISASI", "120 documents",
                 "35 — Berkas & arsip (<5 hari)", "RATING HASIL KERJA", "Di Atas Ekspektasi", "PERILAKU KERJA",
                 "Berorientasi Pelayanan", "Sesuai Ekspektasi", "RATING PERILAKU KERJA",
                 "PREDIKAT KINERJA PEGAWAI", "Baik", "Ahead of plan", *_signatures(org)):
        assert line in text, line
    assert "Sangat Baik" not in text  # the period's own predicate (above × as expected = Baik)
    render_pngs(periodic.content, "evaluation-tw2")

    annual = _flat(pdf_text(client.get(f"/appraisal/skp/{rated.pk}/evaluation/pdf/").content))
    for line in ("PERIODE TAHUNAN 2026", "1 Januari 2026 s.d. 31 Desember 2026", "Sangat Baik", "Excellent year"):
        assert line in annual, line
    assert "35 — Berkas" in annual  # every period's realisation, labelled with its period
    # A period not rated or not delivered, or a number that is no period, has no document.
    for query in ("?period=1", "?period=x", "?period=99999999999999999999"):
        assert client.get(f"/appraisal/skp/{rated.pk}/evaluation/pdf/{query}").status_code == 404


def test_undelivered_rating_has_no_evaluation_document_yet(org):
    year = open_year(org, 2026, "quarterly")
    plan = plan_with_indicators(org.staff2, year)
    services.rate(actor=org.chief.user, plan=plan, work_result="below", behaviour="below",
                  behaviour_values=VALUES, reason="x", now=NOW)
    for user in (org.staff2.user, org.chief.user, org.hr):
        assert english_client(org.region, user).get(f"/appraisal/skp/{plan.pk}/evaluation/pdf/").status_code == 404


def test_the_regions_logo_is_on_both_documents(org, rated, media):
    from kinerja.pay import services as pay_services
    from PIL import Image
    from pypdf import PdfReader

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (30, 90, 200)).save(buffer, format="PNG")
    pay_services.set_document_logo(actor=org.hr, content=buffer.getvalue(), filename="logo.png")
    client = english_client(org.region, org.staff.user)
    for url in (f"/appraisal/skp/{rated.pk}/pdf/", f"/appraisal/skp/{rated.pk}/evaluation/pdf/"):
        assert len(PdfReader(io.BytesIO(client.get(url).content)).pages[0].images) == 1, url


def test_page_links_the_delivered_ratings_documents(org, rated):
    page = english_client(org.region, org.staff.user).get(f"/appraisal/skp/{rated.pk}/result/").content.decode()
    assert f"/appraisal/skp/{rated.pk}/evaluation/pdf/?period=2" in page
    assert f'href="/appraisal/skp/{rated.pk}/evaluation/pdf/"' in page


@pytest.mark.parametrize("kind", ["page", "api"])
def test_who_may_have_the_documents(org, rated, region_b, kind):
    if kind == "page":
        urls = [f"/appraisal/skp/{rated.pk}/pdf/", f"/appraisal/skp/{rated.pk}/evaluation/pdf/?period=2"]
    else:
        urls = [f"/api/v1/appraisal/plans/{rated.pk}/skp-pdf/",
                f"/api/v1/appraisal/plans/{rated.pk}/evaluation-pdf/?period=2"]
    for user in (org.staff.user, org.chief.user, org.hr):  # the employee, the appraiser, HR
        for url in urls:
            response = english_client(org.region, user).get(url)
            assert response.status_code == 200 and response.content.startswith(b"%PDF"), (user, url)
    elsewhere = make_employee(make_unit("BAPPEDA", "Badan Perencanaan"), "Orang Lain")
    for user in (org.staff2.user, org.teacher.user, elsewhere.user):  # a colleague, another unit
        for url in urls:
            assert english_client(org.region, user).get(url).status_code == 404, (user, url)
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-b")
    for url in urls:  # another region's HR: the number names nothing there
        assert english_client(region_b, other_hr).get(url).status_code in (403, 404), url
