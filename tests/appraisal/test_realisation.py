"""Realisation with evidence, feedback threads and self-reports during the year."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import Evidence
from kinerja.region import facts
from tests.appraisal.factories import open_year, plan_with_indicators
from tests.helpers import assert_queries, english_client, in_region

pytestmark = pytest.mark.django_db

# 10:00 WIB on 15 February 2026, inside TW I (open 1 January .. 10 April).
IN_TW1 = datetime.datetime(2026, 2, 15, 3, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def plan(org):
    year = open_year(org, 2026, "quarterly")
    return plan_with_indicators(org.staff, year)


def _tw(plan, number):
    return selectors.period_of_plan(plan, number)


def test_realisation_recorded_and_updated_in_an_open_period(org, plan):
    iki = plan.rhks.get().ikis.get()
    services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 1), value="40", now=IN_TW1)
    services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 1), value="45.5", now=IN_TW1)
    [realisation] = selectors.realisations_of(plan)
    assert str(realisation.value) == "45.50"


def test_realisation_window_is_in_local_time(org, plan):
    iki = plan.rhks.get().ikis.get()
    tw1 = _tw(plan, 1)  # closes 10 April 2026
    last_minute = datetime.datetime(2026, 4, 10, 16, 59, tzinfo=datetime.timezone.utc)  # 23:59 WIB on 10 April
    services.record_realisation(actor=org.staff.user, iki=iki, period=tw1, value="1", now=last_minute)
    too_late = datetime.datetime(2026, 4, 10, 17, 0, tzinfo=datetime.timezone.utc)  # 00:00 WIB on 11 April
    with pytest.raises(ValidationError) as error:
        services.record_realisation(actor=org.staff.user, iki=iki, period=tw1, value="2", now=too_late)
    assert "open for realisation from 2026-01-01 to 2026-04-10" in error.value.message_dict["period"][0]
    with pytest.raises(ValidationError):  # TW II has not opened yet in February
        services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 2), value="2", now=IN_TW1)


def test_realisation_needs_an_approved_plan_the_owner_and_a_value(org):
    year = open_year(org, 2026, "quarterly")
    draft = plan_with_indicators(org.staff2, year, approve=False)
    iki = draft.rhks.get().ikis.get()
    with pytest.raises(ValidationError, match="approved plan"):
        services.record_realisation(actor=org.staff2.user, iki=iki, period=_tw(draft, 1), value="1", now=IN_TW1)
    approved = plan_with_indicators(org.staff, year)
    iki = approved.rhks.get().ikis.get()
    with pytest.raises(PermissionDenied):
        services.record_realisation(actor=org.chief.user, iki=iki, period=_tw(approved, 1), value="1", now=IN_TW1)
    for bad in ("", "lots", "-3"):
        with pytest.raises(ValidationError) as error:
            services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(approved, 1), value=bad, now=IN_TW1)
        assert "value" in error.value.message_dict
    other_year = open_year(org, 2027)
    with pytest.raises(ValidationError, match="not in this SKP"):
        services.record_realisation(actor=org.staff.user, iki=iki, period=other_year.periods.get(number=1),
                                    value="1", now=IN_TW1)


def test_evidence_is_stored_in_the_regions_folder(org, plan, media):
    iki = plan.rhks.get().ikis.get()
    realisation = services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 1), value="5", now=IN_TW1)
    upload = SimpleUploadedFile("laporan.pdf", b"%PDF-1.4 report", content_type="application/pdf")
    evidence = services.attach_evidence(actor=org.staff.user, realisation=realisation, file=upload,
                                        title="Monthly report", now=IN_TW1)
    stored = media / org.region.schema_name / evidence.file.name
    assert stored.read_bytes() == b"%PDF-1.4 report"
    with pytest.raises(ValidationError, match="not accepted"):
        services.attach_evidence(actor=org.staff.user, realisation=realisation,
                                 file=SimpleUploadedFile("run.exe", b"MZ"), now=IN_TW1)
    assert Evidence.objects.count() == 1


def test_evidence_download_follows_plan_visibility(org, plan, media):
    iki = plan.rhks.get().ikis.get()
    realisation = services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 1), value="5", now=IN_TW1)
    evidence = services.attach_evidence(actor=org.staff.user, realisation=realisation, now=IN_TW1,
                                        file=SimpleUploadedFile("foto.jpg", b"JPEGDATA"))
    url = f"/appraisal/evidence/{evidence.pk}/"
    for user in (org.staff.user, org.chief.user, org.hr, org.auditor):
        response = english_client(org.region, user).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"JPEGDATA"
    for user in (org.staff2.user, org.edu_head.user):
        assert english_client(org.region, user).get(url).status_code == 404


def test_feedback_is_threaded_between_employee_and_appraiser_only(org, plan):
    rhk = plan.rhks.get()
    opening = services.post_feedback(actor=org.chief.user, rhk=rhk, body="Good progress on records")
    reply = services.post_feedback(actor=org.staff.user, rhk=rhk, body="Thank you", parent=opening)
    nested = services.post_feedback(actor=org.chief.user, rhk=rhk, body="Keep going", parent=reply)
    assert nested.parent == opening
    threads = selectors.feedback_threads(plan)
    assert [m.body for m in threads[rhk.pk]] == ["Good progress on records"]
    assert [r.body for r in threads[rhk.pk][0].replies.all()] == ["Thank you", "Keep going"]
    for outsider in (org.staff2.user, org.head.user, org.hr):
        with pytest.raises(PermissionDenied):
            services.post_feedback(actor=outsider, rhk=rhk, body="Me too")
    with pytest.raises(ValidationError):
        services.post_feedback(actor=org.staff.user, rhk=rhk, body="  ")


def test_self_report_for_a_period(org, plan):
    tw1 = _tw(plan, 1)
    with pytest.raises(ValidationError):
        services.save_self_report(actor=org.staff.user, plan=plan, period=tw1, now=IN_TW1)
    services.save_self_report(actor=org.staff.user, plan=plan, period=tw1, achievements="All records digitised",
                              obstacles="Scanner broke in March", improvement_plan="Borrow the archive's scanner",
                              now=IN_TW1)
    services.save_self_report(actor=org.staff.user, plan=plan, period=tw1, achievements="All records digitised",
                              obstacles="Scanner broke", improvement_plan="Borrow a scanner", now=IN_TW1)
    [report] = selectors.self_reports_of(plan)
    assert report.obstacles == "Scanner broke"
    with pytest.raises(PermissionDenied):
        services.save_self_report(actor=org.chief.user, plan=plan, period=tw1, achievements="x", now=IN_TW1)


def test_period_page_and_api(org, plan, media):
    iki = plan.rhks.get().ikis.get()
    services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 1), value="30", now=IN_TW1)
    page = english_client(org.region, org.chief.user).get(f"/appraisal/skp/{plan.pk}/periods/1/")
    assert page.status_code == 200 and "Documents processed" in page.content.decode()
    assert english_client(org.region, org.staff2.user).get(f"/appraisal/skp/{plan.pk}/periods/1/").status_code == 404
    api = english_client(org.region, org.staff.user)
    listed = api.get(f"/api/v1/appraisal/plans/{plan.pk}/realisations/?period=1").json()
    assert [(r["iki"], r["value"]) for r in listed] == [(iki.pk, "30.00")]
    feedback = english_client(org.region, org.chief.user).post(
        f"/api/v1/appraisal/plans/{plan.pk}/feedback/", {"rhk": plan.rhks.get().pk, "body": "Nice"},
        content_type="application/json")
    assert feedback.status_code == 201
    assert api.get(f"/api/v1/appraisal/plans/{plan.pk}/feedback/").json()[0]["body"] == "Nice"
    refused = english_client(org.region, org.staff2.user).get(f"/api/v1/appraisal/plans/{plan.pk}/realisations/")
    assert refused.status_code == 404


def test_realisation_list_query_count(org, plan, media):
    rhk = plan.rhks.get()
    services.reopen_plan(actor=org.staff.user, plan=plan, reason="More indicators")
    for number in range(6):
        services.add_iki(actor=org.staff.user, rhk=rhk, text=f"Indicator {number}", aspect="quantity",
                         target_value="10", target_unit="items")
    services.submit_plan(actor=org.staff.user, plan=plan)
    services.approve_plan(actor=org.chief.user, plan=plan)
    with in_region(org.region):
        for iki in rhk.ikis.all():
            realisation = services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 1), value="3",
                                                      now=IN_TW1)
            services.attach_evidence(actor=org.staff.user, realisation=realisation, now=IN_TW1,
                                     file=SimpleUploadedFile("a.pdf", b"%PDF"))
    client = english_client(org.region, org.staff.user)
    # django-tenants sets the search path before each query, so each read counts twice; 7 rows with
    # an N+1 would add at least 14.
    with assert_queries(6):
        response = client.get(f"/api/v1/appraisal/plans/{plan.pk}/realisations/")
    assert len(response.json()) == 7
    with assert_queries(12):
        assert client.get(f"/appraisal/skp/{plan.pk}/periods/1/").status_code == 200


def test_recorded_indicators_survive_a_revision(org, plan):
    iki = plan.rhks.get().ikis.get()
    services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 1), value="12", now=IN_TW1)
    services.reopen_plan(actor=org.staff.user, plan=plan, reason="Add a quality indicator")
    with pytest.raises(ValidationError, match="Realisation has been recorded"):
        services.remove_iki(actor=org.staff.user, iki=iki)
    with pytest.raises(ValidationError, match="Realisation has been recorded"):
        services.remove_rhk(actor=org.staff.user, rhk=iki.rhk)
    assert selectors.realisations_of(plan).count() == 1


@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-inf", "1e", "12,5"])
def test_non_numbers_are_refused_not_crashed_on(org, plan, bad):
    iki = plan.rhks.get().ikis.get()
    with pytest.raises(ValidationError) as error:
        services.record_realisation(actor=org.staff.user, iki=iki, period=_tw(plan, 1), value=bad, now=IN_TW1)
    assert error.value.message_dict["value"] == ["The achieved value must be a number."]


def test_a_refused_evidence_file_leaves_no_half_saved_realisation_on_the_page(org, media):
    from kinerja.appraisal.models import AppraisalYear

    today = facts.today()
    year = AppraisalYear.objects.filter(year=today.year).first() or open_year(org, today.year, "monthly")
    plan = plan_with_indicators(org.staff2, year)
    iki = plan.rhks.get().ikis.get()
    period = year.periods.get(starts_on__lte=today, ends_on__gte=today)
    response = english_client(org.region, org.staff2.user).post(
        f"/appraisal/skp/{plan.pk}/periods/{period.number}/",
        {"op": "realisation", "iki": iki.pk, "value": "7", "file": SimpleUploadedFile("virus.exe", b"MZ")}, follow=True)
    assert "not accepted" in response.content.decode()
    assert not selectors.realisations_of(plan).exists()
    english_client(org.region, org.staff2.user).post(
        f"/appraisal/skp/{plan.pk}/periods/{period.number}/",
        {"op": "realisation", "iki": iki.pk, "value": "7", "file": SimpleUploadedFile("bukti.pdf", b"%PDF")})
    assert selectors.realisations_of(plan).get().evidence.count() == 1
