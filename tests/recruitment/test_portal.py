"""The job portal as an anonymous visitor and as an applicant: only published fields are visible, an
applicant sees only their own application and documents, cannot object after the window, and cannot sign
in to another region's portal; staff pages refuse applicants."""
from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.recruitment.models import Applicant, Objection
from kinerja.recruitment.services.openings import publish_opening
from kinerja.recruitment.services.publication import publication_rows, publish_stage
from kinerja.recruitment.services.ranking import compute_stage
from kinerja.recruitment.services.selection import advance, close_registration, included_stages
from kinerja.recruitment.services.stages import update_stage_rules
from tests.helpers import client_for, in_region
from tests.recruitment.conftest import APPLICANT_PASSWORD, Org, NATIONAL
from tests.recruitment.flow import day, enter_system_scores, register_and_apply, review_all, skd_scores


@pytest.fixture
def published(national):
    """An opening with 12 applicants whose administrative check and SKD are published."""
    org = national
    opening = org.opening(schedule="14 Apr 2026: SKD at the regional CAT centre")
    publish_opening(opening, actor=org.hr)
    apps = register_and_apply(opening, count=12)
    close_registration(opening, actor=org.hr)
    admin, skd = included_stages(opening)[:2]
    review_all(org, apps, reject={12: ("KTP", "Photo unreadable")})
    compute_stage(admin, actor=org.hr)
    publish_stage(admin, actor=org.hr, now=day(0))
    advance(opening, actor=org.hr, now=day(4))
    enter_system_scores(org, skd, apps, skd_scores)
    compute_stage(skd, actor=org.hr)
    publish_stage(skd, actor=org.hr, now=day(5))
    return org, opening, apps, admin, skd


def _sign_in(region, email, password=APPLICANT_PASSWORD):
    client = client_for(region)
    response = client.post("/jobs/login/", {"email": email, "password": password})
    return client, response


def test_anonymous_visitor_sees_openings_requirements_schedule_and_published_fields_only(published):
    org, opening, apps, admin, skd = published
    client = client_for(org.region)
    page = client.get("/jobs/").content.decode()
    assert opening.title in page
    detail = client.get(f"/jobs/{opening.code}/").content.decode()
    assert "S1 Psikologi" in detail and "SKD at the regional CAT centre" in detail and "Transkrip nilai" in detail
    # The administrative list publishes number, name and outcome: no reasons, no emails.
    admin_page = client.get(f"/jobs/{opening.code}/results/{admin.pk}/").content.decode()
    assert apps[12].number in admin_page and "Did not pass" in admin_page
    assert "Photo unreadable" not in admin_page and "pelamar12@example.id" not in admin_page
    # SKD publishes the sub-test scores, total and rank.
    skd_page = client.get(f"/jobs/{opening.code}/results/{skd.pk}/").content.decode()
    assert "TWK" in skd_page and "74.545" in skd_page
    # Unpublished stages and draft openings are not on the portal.
    with in_region(org.region):
        skb = included_stages(opening)[2]
        draft = org.opening(code="draft-opening", title="Pranata Komputer")
    assert client.get(f"/jobs/{opening.code}/results/{skb.pk}/").status_code == 404
    assert client.get(f"/jobs/{draft.code}/").status_code == 404
    assert "Pranata Komputer" not in client.get("/jobs/").content.decode()


def test_stage_publishes_only_the_fields_hr_chose(published):
    org, opening, apps, admin, skd = published
    from kinerja.recruitment.models import StagePublication

    rows = StagePublication.objects.get(stage=skd).rows
    assert set(rows[0]) == {"number", "name", "components", "score", "rank", "outcome"}
    psych_like = org.opening(code="no-names")
    stage = psych_like.stages.get(name__contains="(SKD)")
    update_stage_rules(stage, actor=org.hr, publish_fields=["number", "outcome"])
    stage.refresh_from_db()
    assert stage.publish_fields == ["number", "outcome"]
    assert publication_rows(skd, ["number", "outcome"])[0].keys() == {"number", "outcome"}


def test_applicant_registers_applies_uploads_and_follows_own_application(national):
    org = national
    opening = org.opening()
    publish_opening(opening, actor=org.hr)
    client = client_for(org.region)
    response = client.post("/jobs/register/", {"full_name": "Siti Aminah", "email": "siti@example.id",
                                               "birth_date": "1998-05-04", "gender": "F",
                                               "password": APPLICANT_PASSWORD})
    assert response.status_code == 302
    with in_region(org.region):
        applicant = Applicant.objects.get(email="siti@example.id")
    assert applicant.password.startswith("md5$") and APPLICANT_PASSWORD not in applicant.password
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("kinerja.region.facts.today", lambda now=None: datetime.date(2026, 3, 5))
        response = client.post(f"/jobs/{opening.code}/apply/")
        with in_region(org.region):
            application = applicant.applications.get()
        assert response.status_code == 302 and response["Location"] == f"/jobs/applications/{application.pk}/"
        response = client.post(f"/jobs/applications/{application.pk}/", {
            "op": "upload", "name": "KTP", "file": SimpleUploadedFile("ktp.pdf", b"%PDF-1.4 ktp")})
        assert response.status_code == 302
    page = client.get(f"/jobs/applications/{application.pk}/").content.decode()
    assert application.number in page and "ktp.pdf" in page
    with in_region(org.region):
        document = application.documents.get()
    download = client.get(f"/jobs/documents/{document.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 ktp"
    assert application.number in client.get("/jobs/me/").content.decode()


def test_applicant_sees_only_their_own_application_and_documents(published):
    org, opening, apps, admin, skd = published
    client, response = _sign_in(org.region, "pelamar1@example.id")
    assert response.status_code == 302
    own = apps[1]
    other = apps[2]
    assert client.get(f"/jobs/applications/{own.pk}/").status_code == 200
    assert client.get(f"/jobs/applications/{other.pk}/").status_code == 404
    with in_region(org.region):
        other_document, own_document = other.documents.first(), own.documents.first()
    assert client.get(f"/jobs/documents/{other_document.pk}/").status_code == 404
    assert client.get(f"/jobs/documents/{own_document.pk}/").status_code == 200
    me = client.get("/jobs/me/").content.decode()
    assert own.number in me and other.number not in me
    # Filing an objection on someone else's application is refused too.
    response = client.post(f"/jobs/applications/{other.pk}/", {"op": "objection", "stage": admin.pk,
                                                               "reason": "Not my application at all."})
    assert response.status_code == 404
    with in_region(org.region):
        assert not Objection.objects.exists()


def test_anonymous_visitor_is_sent_to_sign_in_for_applicant_pages(published):
    org, opening, apps, admin, skd = published
    client = client_for(org.region)
    document = apps[1].documents.first()
    response = client.get(f"/jobs/applications/{apps[1].pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/jobs/login/")
    assert client.get(f"/jobs/documents/{document.pk}/").status_code == 302


def test_objection_within_the_window_and_not_after(national, monkeypatch):
    org = national
    opening = org.opening()
    publish_opening(opening, actor=org.hr)
    apps = register_and_apply(opening, count=3)
    close_registration(opening, actor=org.hr)
    admin = included_stages(opening)[0]
    review_all(org, apps, reject={3: ("KTP", "Photo unreadable")})
    compute_stage(admin, actor=org.hr)
    publish_stage(admin, actor=org.hr, now=day(0))  # sanggah until the end of day 3, local time
    client, _ = _sign_in(org.region, "pelamar3@example.id")
    form = {"op": "objection", "stage": admin.pk, "reason": "My KTP photo is readable."}
    monkeypatch.setattr("django.utils.timezone.now", lambda: day(4, hour=0))
    page = client.get(f"/jobs/applications/{apps[3].pk}/").content.decode()
    assert "File an objection" not in page
    client.post(f"/jobs/applications/{apps[3].pk}/", form)
    with in_region(org.region):
        assert not Objection.objects.exists()
    monkeypatch.setattr("django.utils.timezone.now", lambda: day(3, hour=23))
    assert "File an objection" in client.get(f"/jobs/applications/{apps[3].pk}/").content.decode()
    client.post(f"/jobs/applications/{apps[3].pk}/", form)
    with in_region(org.region):
        assert Objection.objects.get().application_id == apps[3].pk


def test_applicant_of_one_region_cannot_sign_in_to_another(published, region_b):
    org, opening, apps, admin, skd = published
    Org(region_b, [NATIONAL])
    client, response = _sign_in(region_b, "pelamar1@example.id")
    assert response.status_code == 200 and "No applicant of this region" in response.content.decode()
    assert client.get("/jobs/me/").status_code == 302
    # A session started in region A is not an applicant session in region B either.
    client_a, _ = _sign_in(org.region, "pelamar1@example.id")
    from tests.helpers import host_of

    response = client_a.get("/jobs/me/", HTTP_HOST=host_of(region_b))
    assert response.status_code == 302
    with in_region(region_b):
        assert not Applicant.objects.exists()


def test_staff_pages_and_api_refuse_applicants(published):
    org, opening, apps, admin, skd = published
    client, _ = _sign_in(org.region, "pelamar1@example.id")
    for path in ("/recruitment/", f"/recruitment/{opening.pk}/", f"/recruitment/stages/{skd.pk}/",
                 "/people/employees/", "/dashboard/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), path
    assert client.get("/api/v1/recruitment/openings/").status_code in (401, 403)
    # Signing in to the staff site with the applicant's email and password fails: they are not staff.
    response = client_for(org.region).post("/accounts/login/", {"username": "pelamar1@example.id",
                                                                "password": APPLICANT_PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in response.wsgi_request.session
