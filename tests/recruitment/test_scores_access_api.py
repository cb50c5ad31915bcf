"""Score import (all or nothing, row/field/reason), stage exports, staff access per role and region,
assessors' sheets through pages and API, and query counts of the list pages and endpoints."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from kinerja.accounts.models import Role
from kinerja.recruitment import imports
from kinerja.recruitment.models import ScoreSheet
from kinerja.recruitment.services.openings import publish_opening
from kinerja.recruitment.services.publication import publish_stage
from kinerja.recruitment.services.ranking import compute_stage
from kinerja.recruitment.services.scoring import assign_assessor, enter_scores, save_score_sheet
from kinerja.recruitment.services.selection import advance, close_registration, included_stages
from tests.helpers import assert_queries, client_for, in_region, make_user
from tests.recruitment.conftest import NATIONAL, Org
from tests.recruitment.flow import day, register_and_apply, review_all


@pytest.fixture
def skd_open(national):
    """SKD in progress for 6 applicants."""
    org = national
    opening = org.opening()
    publish_opening(opening, actor=org.hr)
    apps = register_and_apply(opening, count=6)
    close_registration(opening, actor=org.hr)
    admin, skd = included_stages(opening)[:2]
    review_all(org, apps)
    compute_stage(admin, actor=org.hr)
    publish_stage(admin, actor=org.hr, now=day(0))
    advance(opening, actor=org.hr, now=day(4))
    return org, opening, apps, skd


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_score_import_refuses_the_whole_file_naming_row_field_and_reason(skd_open):
    org, opening, apps, skd = skd_open
    content = _csv([["NOMOR", "NAMA", "TWK", "TIU", "TKP"],
                    [apps[1].number, "Pelamar 01", "100", "120", "190"],
                    [apps[2].number, "Pelamar 02", "151", "110", "200"],
                    ["NOPE-1", "Nobody", "90", "90", "190"],
                    [apps[1].number, "Pelamar 01", "100", "120", "190"],
                    [apps[3].number, "Pelamar 03", "ninety", "100", ""]])
    record = imports.import_scores(skd, actor=org.hr, content=content, filename="skd.csv")
    assert not record.applied
    assert [(e["row"], e["field"]) for e in record.errors] == [
        (3, "TWK"), (4, "NOMOR"), (5, "NOMOR"), (6, "TWK"), (6, "TKP")]
    assert "outside 0 to 150" in record.errors[0]["reason"]
    assert "already in row 2" in record.errors[2]["reason"]
    assert not ScoreSheet.objects.filter(stage=skd).exists()  # nothing half-saved


def test_score_import_from_xlsx_with_indonesian_decimals_then_export_round_trips(skd_open):
    org, opening, apps, skd = skd_open
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Hasil SKD dari panitia"])
    sheet.append(["nomor", "nama", "twk", "tiu", "tkp"])
    for n, application in apps.items():
        sheet.append([application.number, f"Pelamar {n}", 80 + n, "100,5" if n == 1 else 100, 170])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = imports.import_scores(skd, actor=org.hr, content=buffer.getvalue(), filename="skd.xlsx")
    assert record.applied and record.rows == 6 and record.errors == []
    assert ScoreSheet.objects.get(stage=skd, application=apps[1]).scores == {"TWK": "81.000", "TIU": "100.500",
                                                                             "TKP": "170.000"}
    compute_stage(skd, actor=org.hr)
    hr_client = client_for(org.region, org.hr)
    exported = hr_client.get(f"/recruitment/stages/{skd.pk}/export.csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0] == ["NOMOR", "NAMA", "TWK", "TIU", "TKP", "NILAI", "PERINGKAT", "HASIL", "KETERANGAN"]
    assert rows[1][0] == apps[6].number and rows[1][6] == "1"
    xlsx = hr_client.get(f"/recruitment/stages/{skd.pk}/export.xlsx")
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.active.cell(row=2, column=1).value == apps[6].number


def test_staff_pages_per_role_and_region(skd_open, region_b):
    org, opening, apps, skd = skd_open
    auditor = make_user(org.region, Role.AUDITOR, username="auditor-r")
    employee = make_user(org.region, Role.EMPLOYEE, username="employee-r")
    assert client_for(org.region, org.hr).get(f"/recruitment/{opening.pk}/").status_code == 200
    auditor_client = client_for(org.region, auditor)
    assert auditor_client.get(f"/recruitment/stages/{skd.pk}/").status_code == 200
    response = auditor_client.post(f"/recruitment/stages/{skd.pk}/", {"op": "compute"})
    assert response.status_code == 403
    assert client_for(org.region, employee).get("/recruitment/").status_code == 403
    assert client_for(org.region, employee).get(f"/recruitment/stages/{skd.pk}/").status_code == 404
    # Region B's HR admin reaches region B's host only, where region A's opening does not exist.
    other = Org(region_b, [NATIONAL])
    response = client_for(region_b, other.hr).get(f"/recruitment/{opening.pk}/")
    assert response.status_code == 404
    api = client_for(region_b, other.hr).get("/api/v1/recruitment/openings/")
    assert api.status_code == 200 and api.json()["count"] == 0


def test_assessor_cannot_see_other_scores_before_submitting_in_pages_and_api(tebingtinggi):
    org = tebingtinggi
    opening = org.opening(code="kontrak-2026", kind="kontrak")
    stages = included_stages(opening)
    assert [s.name for s in stages] == ["Seleksi Administrasi", "Tes Tertulis", "Wawancara", "Tes Psikologi",
                                        "Pengumuman Terbuka", "Sesi Klarifikasi Hasil"]
    interview = stages[2]
    assert interview.ranking_mix == [{"stage": "Tes Tertulis", "weight": "60", "scale_to_100": True},
                                     {"stage": "Wawancara", "weight": "40", "scale_to_100": True}]
    publish_opening(opening, actor=org.hr)
    apps = register_and_apply(opening, count=2)
    close_registration(opening, actor=org.hr)
    review_all(org, apps)
    compute_stage(stages[0], actor=org.hr)
    publish_stage(stages[0], actor=org.hr, now=day(0))
    advance(opening, actor=org.hr, now=day(4))
    for application in apps.values():
        enter_scores(stages[1], application, actor=org.hr,
                     scores={"Pengetahuan umum": 70, "Pengetahuan bidang": 80})
    compute_stage(stages[1], actor=org.hr)
    publish_stage(stages[1], actor=org.hr, now=day(5))
    advance(opening, actor=org.hr, now=day(5))
    first, second = make_user(org.region, Role.EMPLOYEE, username="pewawancara-1"), \
        make_user(org.region, Role.EMPLOYEE, username="pewawancara-2")
    with in_region(org.region):
        assign_assessor(interview, first, actor=org.hr)
        assign_assessor(interview, second, actor=org.hr)
        save_score_sheet(interview, apps[1], assessor=first, scores={"Wawancara": 91}, submit=True)
    page = client_for(org.region, second).get(f"/recruitment/assess/{interview.pk}/{apps[1].pk}/").content.decode()
    assert "91.000" not in page and 'data-testid="other-sheets"' not in page and 'data-testid="others-hidden"' in page
    api = client_for(org.region, second)
    body = api.get(f"/api/v1/recruitment/stages/{interview.pk}/sheet/?number={apps[1].number}").json()
    assert body["others"] == [] and body["others_hidden"]
    body = api.post(f"/api/v1/recruitment/stages/{interview.pk}/sheet/",
                    {"number": apps[1].number, "scores": {"Wawancara": 85}, "submit": True},
                    content_type="application/json").json()
    assert body["others"] == [{"assessor": "pewawancara-1", "scores": {"Wawancara": "91.000"}}]
    page = client_for(org.region, second).get(f"/recruitment/assess/{interview.pk}/{apps[1].pk}/").content.decode()
    assert "91.000" in page
    # Someone who neither assesses nor reads the stage does not find it; HR, who sees it, cannot write an
    # assessor's sheet.
    outsider = make_user(org.region, Role.EMPLOYEE, username="bukan-pewawancara")
    assert client_for(org.region, outsider).get(f"/recruitment/assess/{interview.pk}/{apps[1].pk}/").status_code == 404
    assert client_for(org.region, outsider).get(
        f"/api/v1/recruitment/stages/{interview.pk}/sheet/?number={apps[1].number}").status_code == 404
    response = client_for(org.region, org.hr).post(f"/api/v1/recruitment/stages/{interview.pk}/sheet/",
                                                   {"number": apps[1].number, "scores": {"Wawancara": 10}},
                                                   content_type="application/json")
    assert response.status_code == 403
    with in_region(org.region):
        assert not ScoreSheet.objects.filter(stage=interview, assessor=org.hr).exists()
    # Ranking mixes the written test (60%) and the interview (40%): averages 88 here.
    with in_region(org.region):
        save_score_sheet(interview, apps[2], assessor=first, scores={"Wawancara": 60}, submit=True)
        save_score_sheet(interview, apps[2], assessor=second, scores={"Wawancara": 70}, submit=True)
        compute_stage(interview, actor=org.hr)
        result = interview.results.get(application=apps[1])
        assert (str(result.score), str(result.ranking_score)) == ("88.000", "80.800")  # 0.6 x 76 + 0.4 x 88


def test_api_runs_the_pipeline_for_hr_and_reads_for_auditors(national):
    org = national
    hr = client_for(org.region, org.hr)
    response = hr.post("/api/v1/recruitment/openings/", {
        "code": "api-2026", "title": "Pranata Komputer", "kind": "cpns", "position": "ANALIS-SDM",
        "unit": "BKPSDM", "posts": 2, "rank": "II/c", "requirements": "D3 Teknik Informatika",
        "documents_required": ["KTP", "Ijazah"], "registration_opens": "2026-03-02",
        "registration_closes": "2026-03-16"}, content_type="application/json")
    assert response.status_code == 201, response.content
    opening_id = response.json()["id"]
    assert [s["name"] for s in response.json()["stages"]][:2] == ["Seleksi Administrasi", "Seleksi Kompetensi Dasar (SKD)"]
    refused = hr.post("/api/v1/recruitment/openings/", {
        "code": "api-2027", "title": "X", "kind": "unknown-kind", "position": "ANALIS-SDM", "unit": "BKPSDM",
        "posts": 1, "rank": "II/c", "requirements": "x", "documents_required": ["KTP"],
        "registration_opens": "2026-03-02", "registration_closes": "2026-03-16"}, content_type="application/json")
    assert refused.status_code == 400 and "kind" in refused.json()
    assert hr.post(f"/api/v1/recruitment/openings/{opening_id}/publish/").json()["status"] == "open"
    auditor = client_for(org.region, make_user(org.region, Role.AUDITOR, username="auditor-api"))
    assert auditor.get(f"/api/v1/recruitment/openings/{opening_id}/").status_code == 200
    assert auditor.post(f"/api/v1/recruitment/openings/{opening_id}/close-registration/").status_code == 403
    employee = client_for(org.region, make_user(org.region, Role.EMPLOYEE, username="employee-api"))
    assert employee.get("/api/v1/recruitment/openings/").status_code == 403
    with in_region(org.region):
        for n in range(3):
            org.opening(code=f"extra-{n}")
    with assert_queries(6):
        listing = hr.get("/api/v1/recruitment/openings/")
    assert listing.json()["count"] == 4


def test_list_pages_query_counts(skd_open):
    org, opening, apps, skd = skd_open
    hr = client_for(org.region, org.hr)
    with assert_queries(6):
        assert hr.get(f"/recruitment/{opening.pk}/applications/").status_code == 200
    with assert_queries(8):
        assert hr.get(f"/recruitment/stages/{skd.pk}/").status_code == 200
    with assert_queries(5):
        assert hr.get("/recruitment/").status_code == 200
    anonymous = client_for(org.region)
    with assert_queries(5):
        assert anonymous.get(f"/jobs/{opening.code}/").status_code == 200
