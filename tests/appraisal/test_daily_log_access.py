"""Who reaches the daily log, on its pages and in the API: one's own entries, one's appraisees', the
unit around them, the region's readers, another region."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from kinerja.accounts.models import Role
from kinerja.appraisal import services
from kinerja.appraisal.models import DailyLog
from kinerja.region import facts

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import make_login
from tests.helpers import capture_queries, english_client, in_region

pytestmark = pytest.mark.django_db
API = "/api/v1/appraisal/daily-logs/"


@pytest.fixture
def logs(org, media):
    """Today's entries of Staf Satu (with evidence) and Staf Dua, both appraised by the chief, and of the
    teacher in another unit, in the current year (the pages read the region's real clock)."""
    today = facts.today()
    year = open_year(org, today.year, "monthly")
    entries = {}
    for name in ("staff", "staff2", "teacher"):
        employee = getattr(org, name)
        plan = plan_with_indicators(employee, year)
        entries[name] = services.record_daily_log(
            actor=employee.user, rhk=plan.rhks.get(), date=today, activity=f"Work of {employee.full_name}",
            file=SimpleUploadedFile("bukti.pdf", b"%PDF-1.4") if name == "staff" else None)
    return entries


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]} if isinstance(response.json(), dict) \
        else {row["id"] for row in response.json()}


def test_the_api_lists_own_entries_appraisees_entries_or_the_regions(org, logs):
    staff, staff2, teacher = logs["staff"].pk, logs["staff2"].pk, logs["teacher"].pk
    assert ids(english_client(org.region, org.staff.user).get(API)) == {staff}
    assert ids(english_client(org.region, org.staff2.user).get(API)) == {staff2}
    assert ids(english_client(org.region, org.chief.user).get(API)) == {staff, staff2}
    assert ids(english_client(org.region, org.chief.user).get(API + "?pending=1")) == {staff, staff2}
    # the unit head appraises the chief, not the chief's staff; another unit's head sees their own staff
    assert ids(english_client(org.region, org.head.user).get(API)) == set()
    assert ids(english_client(org.region, org.edu_head.user).get(API)) == {teacher}
    for reader in (org.hr, org.leadership, org.auditor):
        assert ids(english_client(org.region, reader).get(API)) == {staff, staff2, teacher}
    client = english_client(org.region, org.staff2.user)
    assert client.get(f"{API}{staff}/").status_code == 404
    assert client.get(API + "?date_from=yesterday").status_code == 400


def test_the_api_writes_only_ones_own_entries_and_verifies_only_ones_appraisees(org, logs):
    staff = logs["staff"]
    with in_region(org.region):
        rhk = staff.rhk_id
    body = {"rhk": rhk, "date": staff.date.isoformat(), "activity": "More work"}
    for reader in (org.hr, org.leadership, org.auditor):
        client = english_client(org.region, reader)
        assert client.post(API, body, content_type="application/json").status_code == 403
        assert client.post(API + "verify/", {"logs": [staff.pk]}, content_type="application/json").status_code == 403
    # another employee cannot log against Staf Satu's RHK, change or delete their entry
    other = english_client(org.region, org.staff2.user)
    response = other.post(API, body, content_type="application/json")
    assert response.status_code == 400 and "rhk" in response.json()
    assert other.put(f"{API}{staff.pk}/", body, content_type="application/json").status_code == 404
    assert other.delete(f"{API}{staff.pk}/").status_code == 404
    # the appraiser reads the entry but does not write it
    chief = english_client(org.region, org.chief.user)
    assert chief.put(f"{API}{staff.pk}/", body, content_type="application/json").status_code == 403
    assert chief.delete(f"{API}{staff.pk}/").status_code == 403
    # verifying someone else's appraisees' entries is refused as a whole, naming the entry
    response = other.post(API + "verify/", {"logs": [staff.pk]}, content_type="application/json")
    assert response.status_code == 400
    assert f"Entry {staff.pk} is not among the entries you verify." in str(response.json())
    response = chief.post(API + "verify/", {"logs": [staff.pk, logs["teacher"].pk]}, content_type="application/json")
    assert response.status_code == 400
    with in_region(org.region):
        assert DailyLog.objects.get(pk=staff.pk).status == "submitted"
    response = chief.post(API + "verify/", {"logs": [staff.pk, logs["staff2"].pk]}, content_type="application/json")
    assert response.status_code == 200 and response.json()["count"] == 2
    assert {row["status"] for row in response.json()["logs"]} == {"verified"}
    # the owner writes their own
    owner = english_client(org.region, org.staff.user)
    response = owner.post(API, body, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "submitted"


def test_the_list_endpoint_runs_the_same_queries_for_one_entry_or_many(org, logs):
    client = english_client(org.region, org.hr)
    with capture_queries() as few:
        client.get(API)
    with in_region(org.region):
        for name in ("staff", "staff2"):
            employee = getattr(org, name)
            entry = logs[name]
            for n in range(3):
                services.record_daily_log(actor=employee.user, rhk=entry.rhk, date=entry.date, activity=f"More {n}")
    with capture_queries() as many:
        assert len(client.get(API).json()["results"]) == 9
    assert len(many) == len(few)


def test_pages_for_the_employee_and_the_appraiser(org, logs):
    page = english_client(org.region, org.staff.user).get("/appraisal/daily/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="daily-form"' in text and "Work of Staf Satu" in text and "Work of Staf Dua" not in text
    chief = english_client(org.region, org.chief.user)
    queue = chief.get("/appraisal/daily/verify/").content.decode()
    assert "Work of Staf Satu" in queue and "Work of Staf Dua" in queue and "Work of Guru" not in queue
    assert "2 entries of your staff await verification" in chief.get("/appraisal/daily/").content.decode()
    # a colleague posting Staf Satu's entry for verification is refused, and nothing changes
    response = english_client(org.region, org.staff2.user).post(
        "/appraisal/daily/verify/", {"op": "verify", "logs": [logs["staff"].pk]}, follow=True)
    assert "is not among the entries you verify" in response.content.decode()
    response = chief.post("/appraisal/daily/verify/", {"op": "verify", "logs": [logs["staff"].pk]}, follow=True)
    assert "1 entries verified." in response.content.decode()
    with in_region(org.region):
        assert DailyLog.objects.get(pk=logs["staff"].pk).status == "verified"
        assert DailyLog.objects.get(pk=logs["staff2"].pk).status == "submitted"
    # the employee logs from the page
    staff = english_client(org.region, org.staff.user)
    response = staff.post("/appraisal/daily/", {"op": "save", "rhk": logs["staff"].rhk_id,
                                                "date": facts_today(org).isoformat(), "activity": "Wrote the minutes"},
                          follow=True)
    assert "Wrote the minutes" in response.content.decode()
    response = staff.post("/appraisal/daily/", {"op": "save", "rhk": logs["staff"].rhk_id, "date": "2026-02-30",
                                                "activity": "x"}, follow=True)
    assert "Enter the date of the work" in response.content.decode()


def facts_today(org):
    with in_region(org.region):
        return facts.today()


def test_pages_refuse_roles_that_do_not_take_part_and_another_region(org, logs, region_b):
    for reader in (org.hr, org.leadership, org.auditor):
        client = english_client(org.region, reader)
        assert client.get("/appraisal/daily/").status_code == 403
        assert client.get("/appraisal/daily/verify/").status_code == 403
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-b")
        other_employee = make_login(Role.EMPLOYEE, username="emp-b")
    assert english_client(region_b, other_employee).get(API).json()["results"] == []
    assert english_client(region_b, other_hr).get(f"{API}{logs['staff'].pk}/").status_code == 404
    assert english_client(region_b, other_hr).get(
        f"/appraisal/daily/{logs['staff'].pk}/evidence/").status_code == 404


def test_evidence_reaches_the_owner_the_appraiser_and_the_regions_readers_only(org, logs):
    url = f"/appraisal/daily/{logs['staff'].pk}/evidence/"
    for user in (org.staff.user, org.chief.user, org.hr, org.auditor):
        response = english_client(org.region, user).get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4"
    for user in (org.staff2.user, org.head.user, org.teacher.user):
        assert english_client(org.region, user).get(url).status_code == 404
    assert english_client(org.region, org.staff2.user).get(
        f"/appraisal/daily/{logs['staff2'].pk}/evidence/").status_code == 404  # no file
