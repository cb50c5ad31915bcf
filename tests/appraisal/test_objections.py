"""Objections (keberatan): the 14-day window in the region's local dates, the superior's final decision."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES
from kinerja.audit.models import AuditEntry
from tenants.models import Region
from tests.appraisal.factories import open_year, plan_with_indicators
from tests.helpers import english_client

pytestmark = pytest.mark.django_db

VALUES = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES}
UTC = datetime.timezone.utc
# 01:00 WIB on 21 December 2026 is still 20 December in UTC: the local delivery day is the 21st.
DELIVERED = datetime.datetime(2026, 12, 20, 18, 0, tzinfo=UTC)


@pytest.fixture
def delivered(org):
    """Staf Satu's annual result (Butuh Perbaikan), delivered by the section chief, whose superior is the head."""
    plan = plan_with_indicators(org.staff, open_year(org, 2026))
    rating = services.rate(actor=org.chief.user, plan=plan, work_result="below", behaviour="as_expected",
                           behaviour_values=VALUES, reason="Half of the records were not digitised",
                           now=DELIVERED)
    return services.deliver_rating(actor=org.chief.user, rating=rating, now=DELIVERED)


def test_deadline_is_delivery_day_plus_14_in_local_time(org, delivered):
    assert selectors.objection_deadline(delivered) == datetime.date(2027, 1, 4)


def test_day_14_is_accepted_at_23_59_local_time(org, delivered):
    day_14 = datetime.datetime(2027, 1, 4, 16, 59, tzinfo=UTC)  # 23:59 WIB on 4 January
    objection = services.file_objection(actor=org.staff.user, rating=delivered, reasons="The scanner was broken",
                                        now=day_14)
    assert objection.deadline == datetime.date(2027, 1, 4) and objection.decider == org.head


def test_day_15_is_refused_from_local_midnight(org, delivered):
    day_15 = datetime.datetime(2027, 1, 4, 17, 0, tzinfo=UTC)  # 00:00 WIB on 5 January, still the 4th in UTC
    with pytest.raises(ValidationError) as error:
        services.file_objection(actor=org.staff.user, rating=delivered, reasons="Too late", now=day_15)
    assert error.value.message_dict["rating"] == [
        "The objection window closed on 2027-01-04 (today is 2027-01-05)."]


def test_window_follows_the_regions_own_time_zone(org, delivered):
    Region.objects.filter(pk=org.region.pk).update(time_zone="Asia/Jayapura")  # WIT, UTC+9
    # Delivered 03:00 WIT on 21 December; 00:30 WIT on 5 January is day 15 there (still the 4th in WIB).
    assert selectors.objection_deadline(delivered) == datetime.date(2027, 1, 4)
    with pytest.raises(ValidationError, match="closed on 2027-01-04"):
        services.file_objection(actor=org.staff.user, rating=delivered, reasons="x",
                                now=datetime.datetime(2027, 1, 4, 15, 30, tzinfo=UTC))


def test_only_the_employee_objects_once_with_reasons_to_a_delivered_result(org, delivered):
    day_3 = datetime.datetime(2026, 12, 23, 3, 0, tzinfo=UTC)
    for intruder in (org.chief.user, org.staff2.user, org.hr):
        with pytest.raises(PermissionDenied):
            services.file_objection(actor=intruder, rating=delivered, reasons="x", now=day_3)
    with pytest.raises(ValidationError, match="reasons"):
        services.file_objection(actor=org.staff.user, rating=delivered, reasons=" ", now=day_3)
    services.file_objection(actor=org.staff.user, rating=delivered, reasons="Unfair", now=day_3)
    with pytest.raises(ValidationError, match="already been filed"):
        services.file_objection(actor=org.staff.user, rating=delivered, reasons="Again", now=day_3)


def test_undelivered_result_cannot_be_objected(org):
    plan = plan_with_indicators(org.staff2, open_year(org, 2026))
    rating = services.rate(actor=org.chief.user, plan=plan, work_result="below", behaviour="below",
                           behaviour_values=VALUES, reason="x", now=DELIVERED)
    with pytest.raises(ValidationError, match="not been delivered"):
        services.file_objection(actor=org.staff2.user, rating=rating, reasons="x", now=DELIVERED)


def test_superior_decides_finally_and_the_change_is_audited(org, delivered):
    objection = services.file_objection(actor=org.staff.user, rating=delivered, reasons="The scanner was broken",
                                        now=DELIVERED)
    services.respond_to_objection(actor=org.chief.user, objection=objection, response="Other staff managed")
    for intruder in (org.chief.user, org.staff.user, org.hr, org.edu_head.user):
        with pytest.raises(PermissionDenied):
            services.decide_objection(actor=intruder, objection=objection, upheld=False, decision="x")
    with pytest.raises(ValidationError, match="work_result|Not a level"):
        services.decide_objection(actor=org.head.user, objection=objection, upheld=True, decision="Agreed")
    services.decide_objection(actor=org.head.user, objection=objection, upheld=True, work_result="as_expected",
                              behaviour="as_expected", decision="The broken scanner was reported in March")
    delivered.refresh_from_db()
    assert (delivered.predicate, delivered.predicate_source) == ("baik", "objection")
    objection.refresh_from_db()
    assert objection.status == "upheld" and objection.previous_predicate == "butuh_perbaikan"
    change = AuditEntry.objects.get(action="appraisal.rating.objection")
    assert change.before["predicate"] == "butuh_perbaikan" and change.after["predicate"] == "baik"
    assert change.actor_id == org.head.user.pk
    with pytest.raises(ValidationError, match="final"):
        services.decide_objection(actor=org.head.user, objection=objection, upheld=False, decision="Changed my mind")
    with pytest.raises(ValidationError, match="final"):
        services.respond_to_objection(actor=org.chief.user, objection=objection, response="late")
    with pytest.raises(ValidationError):
        services.rate(actor=org.chief.user, plan=delivered.plan, work_result="below", behaviour="below",
                      behaviour_values=VALUES, reason="again")
    with pytest.raises(ValidationError):
        services.calibrate(actor=org.hr, rating=delivered, predicate="kurang", reason="again")


def test_objection_visibility_pages_and_api(org, delivered):
    owner, head, chief = (english_client(org.region, u) for u in (org.staff.user, org.head.user, org.chief.user))
    page = owner.get(f"/appraisal/skp/{delivered.plan_id}/").content.decode()
    assert "Objections until 4 January 2027" in page
    filed = owner.post(f"/api/v1/appraisal/plans/{delivered.plan_id}/objections/", {"reasons": "Unfair"},
                       content_type="application/json")
    assert filed.status_code == 201 and filed.json()["deadline"] == "2027-01-04"
    objection_id = filed.json()["id"]
    assert head.get(f"/appraisal/skp/{delivered.plan_id}/").status_code == 200  # the decider may read the SKP
    assert [o["id"] for o in head.get("/api/v1/appraisal/objections/").json()["results"]] == [objection_id]
    for outsider in (org.staff2.user, org.edu_head.user, org.teacher.user):
        client = english_client(org.region, outsider)
        assert client.get(f"/appraisal/objections/{objection_id}/").status_code == 404
        assert client.get(f"/api/v1/appraisal/objections/{objection_id}/").status_code == 404
    assert chief.post(f"/api/v1/appraisal/objections/{objection_id}/decide/", {"upheld": False, "decision": "x"},
                      content_type="application/json").status_code == 403
    decided = head.post(f"/api/v1/appraisal/objections/{objection_id}/decide/",
                        {"upheld": False, "decision": "The result stands"}, content_type="application/json")
    assert decided.status_code == 200 and decided.json()["status"] == "rejected"
    detail = owner.get(f"/appraisal/objections/{objection_id}/").content.decode()
    assert "The result stands" in detail and "Rejected: result stands" in detail
    assert english_client(org.region, org.auditor).get("/appraisal/objections/").status_code == 200
