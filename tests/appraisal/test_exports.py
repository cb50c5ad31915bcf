"""Exports in the national system's shapes (skp22, kinerjaperiodik) as JSON and CSV, and the SKP PDF."""
import csv
import datetime
import io

import pytest
from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_employee
from tests.helpers import assert_queries, english_client
from tests.pdfs import leaked_markup, pdf_text, render_pngs

pytestmark = pytest.mark.django_db

VALUES = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES}
NOW = datetime.datetime(2026, 12, 20, 3, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def results(org):
    year = open_year(org, 2026, "quarterly")
    plan = plan_with_indicators(org.staff, year)
    tw2 = selectors.period_of_plan(plan, 2)
    periodic = services.rate(actor=org.chief.user, plan=plan, period=tw2, work_result="above", behaviour="as_expected",
                             behaviour_values=VALUES, reason="Ahead of plan", now=NOW)
    annual = services.rate(actor=org.chief.user, plan=plan, work_result="above", behaviour="above",
                           behaviour_values=VALUES, reason="Excellent year", now=NOW)
    for rating in (periodic, annual):
        services.deliver_rating(actor=org.chief.user, rating=rating, now=NOW)
    undelivered = plan_with_indicators(org.staff2, year)
    services.rate(actor=org.chief.user, plan=undelivered, work_result="below", behaviour="below",
                  behaviour_values=VALUES, reason="x", now=NOW)
    return year


def test_skp22_rows(org, results):
    assert selectors.skp22_rows(results) == [{
        "nipBaru": org.staff.nip, "pnsDinilaiNama": "Staf Satu", "tahun": 2026, "hasilKinerjaNilai": 3,
        "perilakuKerjaNilai": 3, "kuadranKinerjaNilai": 5, "penilaiNama": "Kepala Seksi",
        "penilaiNipNrp": org.chief.nip, "penilaiGolongan": "III/a", "penilaiJabatan": org.chief.position.title,
        "penilaiUnorNama": "Dinas Kesehatan", "statusPenilai": "ASN"}]


def test_kinerjaperiodik_rows_carry_start_and_end_month(org, results):
    [row] = selectors.periodic_rows(results)
    assert (row["bulanMulaiPenilaian"], row["bulanSelesaiPenilaian"]) == (4, 6)
    assert (row["tahunMulaiPenilaian"], row["tahunSelesaiPenilaian"], row["tahun"]) == (2026, 2026, 2026)
    assert (row["hasilKinerjaNilai"], row["perilakuKerjaNilai"], row["kuadranKinerjaNilai"]) == (3, 2, 4)
    assert selectors.periodic_rows(results, 1) == []


def test_csv_and_json_downloads_and_who_may_have_them(org, results):
    hr = english_client(org.region, org.hr)
    body = hr.get("/appraisal/exports/2026/skp22.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows[0]["kuadranKinerjaNilai"] == "5" and rows[0]["penilaiNipNrp"] == org.chief.nip
    periodic = hr.get("/appraisal/exports/2026/kinerjaperiodik.json").json()
    assert periodic[0]["bulanMulaiPenilaian"] == 4
    assert english_client(org.region, org.auditor).get("/api/v1/appraisal/exports/skp22/?year=2026").json()[0]["tahun"] == 2026
    for user in (org.staff.user, org.chief.user):
        assert english_client(org.region, user).get("/appraisal/exports/2026/skp22.json").status_code == 403
        assert english_client(org.region, user).get("/api/v1/appraisal/exports/skp22/?year=2026").status_code == 403


def test_export_query_count_does_not_grow_with_rows(org, results):
    for number in range(6):
        employee = make_employee(org.health, f"Staf {number}", org.chief)
        plan = plan_with_indicators(employee, results)
        rating = services.rate(actor=org.chief.user, plan=plan, work_result="as_expected", behaviour="as_expected",
                               behaviour_values=VALUES, reason="ok", now=NOW)
        services.deliver_rating(actor=org.chief.user, rating=rating, now=NOW)
    client = english_client(org.region, org.hr)
    with assert_queries(6):
        response = client.get("/api/v1/appraisal/exports/skp22/?year=2026")
    assert len(response.json()) == 7


def test_skp_pdf(org, results):
    plan = selectors.visible_plans(org.staff.user).get()
    response = english_client(org.region, org.staff.user).get(f"/appraisal/skp/{plan.pk}/pdf/")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert leaked_markup(text) == []  # each identity line on its own line, not "<br/>" printed
    for line in (org.staff.full_name, f"NIP {org.staff.nip}", org.chief.full_name, f"NIP {org.chief.nip}",
                 "INDIKATOR KINERJA INDIVIDU", "PREDIKAT KINERJA"):
        assert line in text, line
    render_pngs(response.content, "skp")
    assert english_client(org.region, org.staff2.user).get(f"/appraisal/skp/{plan.pk}/pdf/").status_code == 404  # not theirs to see


def test_skp22_csv_with_a_formula_name(org, results):
    """Attack: an employee whose name is a formula; HR opens the SIASN CSV in a spreadsheet."""
    from kinerja.people.models import Employee

    Employee.objects.filter(pk=org.staff.pk).update(full_name='=HYPERLINK("http://attacker.example","x")')
    rows = list(csv.reader(io.StringIO(english_client(org.region, org.hr).get(
        "/appraisal/exports/2026/skp22.csv").content.decode())))
    assert rows[1][1] == '\'=HYPERLINK("http://attacker.example","x")'


SOURCE = "Surat BKN nomor 1234/B-KP.04/SD/K/2026 tentang kode kuadran kinerja"


def test_hr_corrects_the_predicate_codes_with_their_source_and_the_exports_follow(org, results):
    hr = english_client(org.region, org.hr)
    page = hr.get("/appraisal/rules/").content.decode()
    assert 'data-testid="siasn-form"' in page and "not confirmed by a published BKN code list" in page
    fields = {f"level.{k}": v for k, v in {"below": 1, "as_expected": 2, "above": 3}.items()}
    fields |= {f"predicate.{k}": v for k, v in {"sangat_kurang": 5, "kurang": 4, "butuh_perbaikan": 3, "baik": 2,
                                               "sangat_baik": 1}.items()}
    hr.post("/appraisal/rules/", {"op": "siasn", "source": SOURCE, **fields})
    assert selectors.skp22_rows(results)[0]["kuadranKinerjaNilai"] == 1
    assert SOURCE in hr.get("/appraisal/rules/").content.decode()
    rules = hr.get("/api/v1/appraisal/rules/").json()["settings"]
    assert rules["siasn_codes"]["predicate"]["sangat_baik"] == 1 and rules["siasn_codes_source"] == SOURCE
    from kinerja.audit.models import AuditEntry

    entry = AuditEntry.objects.filter(action="appraisal.settings.change").latest("at")
    assert entry.reason == SOURCE and entry.before["siasn_codes"]["predicate"]["sangat_baik"] == 5


@pytest.mark.parametrize("change, field, message", [
    ({"predicate.baik": "5"}, "predicate", "same code"),       # two predicates on 5
    ({"level.above": "tiga"}, "level.above", "whole number"),
    ({"predicate.kurang": "100"}, "predicate.kurang", "between 0 and 99"),
    ({"source": "  "}, "source", "where these codes come from"),
])
def test_bad_codes_are_refused_by_name_and_nothing_is_saved(org, results, change, field, message):
    defaults = selectors.appraisal_settings().siasn_codes
    payload = {"op": "siasn", "source": SOURCE, **{f"{group}.{k}": str(v) for group, codes in defaults.items()
                                                  for k, v in codes.items()}, **change}
    response = english_client(org.region, org.hr).post("/appraisal/rules/", payload, follow=True)
    assert message in response.content.decode()
    assert selectors.appraisal_settings().siasn_codes == defaults
    with pytest.raises(Exception) as refused:
        services.set_siasn_codes(actor=org.hr, source=payload["source"], codes={
            group: {k: payload.get(f"{group}.{k}") for k in codes} for group, codes in defaults.items()})
    assert field in refused.value.message_dict


def test_only_hr_sets_the_codes(org, results):
    body = {"codes": selectors.appraisal_settings().siasn_codes, "source": SOURCE}
    for user in (org.staff.user, org.chief.user, org.leadership, org.auditor):
        client = english_client(org.region, user)
        assert client.post("/api/v1/appraisal/rules/siasn-codes/", body, content_type="application/json").status_code == 403
        assert 'data-testid="siasn-form"' not in client.get("/appraisal/rules/").content.decode()
        client.post("/appraisal/rules/", {"op": "siasn", "source": "x", "predicate.baik": "9"})
    assert selectors.appraisal_settings().siasn_codes_source == ""
    done = english_client(org.region, org.hr).post("/api/v1/appraisal/rules/siasn-codes/", body,
                                                   content_type="application/json")
    assert done.status_code == 200 and done.json()["siasn_codes_source"] == SOURCE
