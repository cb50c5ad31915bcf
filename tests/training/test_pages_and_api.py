"""Pages and API: every role opens what it is offered; access rules crossed (another role, another unit,
another region); the request -> approval -> attendance -> certificate flow; exports; query counts."""
import csv
import datetime
import io

import pytest

from kinerja.accounts.models import Role
from kinerja.training import services
from kinerja.training.models import Enrolment
from kinerja.web.navigation import items_for
from kinerja.region import facts
from tests.factories import make_employee, make_login
from tests.helpers import assert_queries, capture_queries, english_client, host_of, in_region
from tests.training.factories import held_session, region_course, session_of

pytestmark = pytest.mark.django_db

PAGES = ["/training/", "/training/sessions/", "/training/enrolments/", "/training/hours/", "/training/external/"]
READER_PAGES = ["/training/compliance/", "/training/budget/"]


@pytest.fixture
def course(org):
    return region_course(org.hr, code="REG-01", jp=8, cost=500_000, title="Layanan Prima")


@pytest.fixture
def session(org, course):
    return session_of(org.hr, course, seats=1)


def users(org):
    return {"hr": org.hr, "leadership": org.leadership, "auditor": org.auditor, "staff": org.staff.user,
            "chief": org.chief.user}


def test_menu_offers_training_to_every_region_role():
    for role in (Role.EMPLOYEE, Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR):
        keys = [item.key for item in items_for(role, public=False)]
        assert "training" in keys and "training-hours" in keys
        assert ("training-compliance" in keys) == (role != Role.EMPLOYEE)


def test_every_role_opens_its_pages(org, session):
    for name, user in users(org).items():
        client = english_client(org.region, user)
        for url in PAGES + [f"/training/sessions/{session.pk}/", "/training/courses/REG-01/"]:
            assert client.get(url).status_code == 200, (name, url)
        for url in READER_PAGES:
            assert client.get(url).status_code == (403 if name in ("staff", "chief") else 200), (name, url)
        assert client.get("/training/export/").status_code == (200 if name in ("hr", "auditor") else 403), name


def test_a_user_without_an_employee_record_and_a_platform_login(org, region_a):
    loose = make_login(Role.EMPLOYEE, "no-record")
    for url in PAGES:
        assert english_client(org.region, loose).get(url).status_code == 200
    assert english_client(org.region).get("/training/").status_code == 302


def test_request_approve_attend_complete_and_certificate_through_pages(org, course):
    start = facts.today() + datetime.timedelta(days=7)
    hr = english_client(org.region, org.hr)
    hr.post("/training/courses/REG-01/", {"op": "session", "starts_on": start.isoformat(),
                                          "ends_on": start.isoformat(), "seats": "2", "place": "Aula",
                                          "trainer": "Ibu Widya"})
    session = course.sessions.get()
    staff = english_client(org.region, org.staff.user)
    assert staff.post(f"/training/sessions/{session.pk}/", {"op": "request", "reason": "Front desk"}).status_code == 302
    enrolment = Enrolment.objects.get(employee=org.staff)
    assert enrolment.status == "pending"
    assert "Front desk" in english_client(org.region, org.chief.user).get("/training/enrolments/").content.decode()
    # the other unit's head cannot even see it; the chief's own superior is not the direct supervisor
    assert english_client(org.region, org.edu_head.user).post(f"/training/enrolments/{enrolment.pk}/",
                                                             {"op": "approve"}).status_code == 404
    assert english_client(org.region, org.head.user).post(f"/training/enrolments/{enrolment.pk}/",
                                                         {"op": "approve"}).status_code == 404
    assert english_client(org.region, org.staff2.user).post(f"/training/enrolments/{enrolment.pk}/",
                                                           {"op": "approve"}).status_code == 404
    assert english_client(org.region, org.staff.user).post(f"/training/enrolments/{enrolment.pk}/",
                                                          {"op": "approve"}).status_code == 403
    english_client(org.region, org.chief.user).post(f"/training/enrolments/{enrolment.pk}/", {"op": "approve"})
    enrolment.refresh_from_db()
    assert enrolment.status == "confirmed"

    # the session is held: move it into the past, record attendance, complete
    session.starts_on = session.ends_on = facts.today() - datetime.timedelta(days=1)
    session.save()
    hr.post(f"/training/sessions/{session.pk}/", {"op": "attendance", "present": [str(enrolment.pk)]})
    hr.post(f"/training/sessions/{session.pk}/", {"op": "complete"})
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.jp_hours) == ("completed", 8)
    pdf = staff.get(f"/training/enrolments/{enrolment.pk}/certificate.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert english_client(org.region, org.teacher.user).get(
        f"/training/enrolments/{enrolment.pk}/certificate.pdf").status_code == 404
    staff.post(f"/training/enrolments/{enrolment.pk}/", {"op": "evaluate", "content": "5", "trainer": "4",
                                                         "relevance": "5", "comment": "Bagus"})
    assert 'data-testid="evaluated"' in staff.get(f"/training/enrolments/{enrolment.pk}/").content.decode()
    page = staff.get("/training/hours/").content.decode()
    assert "8 / 20 JP" in page
    evidence = english_client(org.region, org.chief.user).get(f"/training/hours/{org.staff.pk}/").content.decode()
    assert "Layanan Prima" in evidence and enrolment.certificate_number in evidence
    assert english_client(org.region, org.edu_head.user).get(f"/training/hours/{org.staff.pk}/").status_code == 404


def test_nomination_page_refuses_a_supervisor_of_another_unit(org, session):
    """...and answers another unit's NIP exactly as one nobody has: the form never confirms an NIP."""
    outsider = english_client(org.region, org.edu_head.user)
    known = outsider.post(f"/training/sessions/{session.pk}/", {"op": "nominate", "nip": org.staff.nip}, follow=True)
    unknown = outsider.post(f"/training/sessions/{session.pk}/", {"op": "nominate", "nip": "199901012020011999"},
                            follow=True)
    import re

    def messages_of(response, nip):
        return re.findall(r'<ul class="messages".*?</ul>', response.content.decode(), re.S)[0].replace(nip, "N")

    assert known.status_code == unknown.status_code == 200
    assert messages_of(known, org.staff.nip) == messages_of(unknown, "199901012020011999")
    assert "N" in messages_of(known, org.staff.nip)
    assert not Enrolment.objects.filter(employee=org.staff).exists()
    english_client(org.region, org.chief.user).post(f"/training/sessions/{session.pk}/",
                                                    {"op": "nominate", "nip": org.staff.nip})
    assert Enrolment.objects.get(employee=org.staff).status == "confirmed"


def test_hr_only_pages_refuse_other_roles(org, session):
    for user in (org.leadership, org.auditor, org.chief.user):
        client = english_client(org.region, user)
        assert client.post("/training/", {"op": "sync"}).status_code == 403
        assert client.post(f"/training/sessions/{session.pk}/", {"op": "complete"}).status_code == 403
    assert english_client(org.region, org.leadership).post("/training/budget/", {
        "unit": org.health.code, "year": "2026", "amount": "1"}).status_code == 403
    session.refresh_from_db()
    assert session.status == "scheduled"


def test_api_nominate_waitlist_withdraw_promote(org, session):
    chief = english_client(org.region, org.chief.user)
    first = chief.post(f"/api/v1/training/sessions/{session.pk}/nominate/", {"nip": org.staff.nip},
                       content_type="application/json")
    second = chief.post(f"/api/v1/training/sessions/{session.pk}/nominate/", {"nip": org.staff2.nip},
                        content_type="application/json")
    assert (first.status_code, first.json()["status"]) == (201, "confirmed")
    assert (second.status_code, second.json()["status"]) == (201, "waitlisted")
    outsider = english_client(org.region, org.edu_head.user).post(
        f"/api/v1/training/sessions/{session.pk}/nominate/", {"nip": org.head.nip}, content_type="application/json")
    nobody = english_client(org.region, org.edu_head.user).post(
        f"/api/v1/training/sessions/{session.pk}/nominate/", {"nip": "199901012020011999"},
        content_type="application/json")
    assert outsider.status_code == nobody.status_code == 400  # another unit's NIP answers as nobody's
    assert outsider.json()["nip"][0].replace(org.head.nip, "N") == nobody.json()["nip"][0].replace("199901012020011999", "N")
    withdrawn = english_client(org.region, org.staff.user).post(f"/api/v1/training/enrolments/{first.json()['id']}/withdraw/")
    assert withdrawn.json()["status"] == "withdrawn"
    promoted = english_client(org.region, org.staff2.user).get(f"/api/v1/training/enrolments/{second.json()['id']}/")
    assert promoted.json()["status"] == "confirmed"
    seats = english_client(org.region, org.hr).get(f"/api/v1/training/sessions/{session.pk}/").json()
    assert (seats["seats_taken"], seats["waiting"]) == (1, 0)


def test_api_request_and_decision_rights(org, session):
    teacher = english_client(org.region, org.teacher.user)
    request = teacher.post(f"/api/v1/training/sessions/{session.pk}/enrol/", {"reason": "Need it"},
                           content_type="application/json")
    assert (request.status_code, request.json()["status"]) == (201, "pending")
    pk = request.json()["id"]
    for user in (org.chief.user, org.head.user):  # supervisors elsewhere do not see it
        assert english_client(org.region, user).post(f"/api/v1/training/enrolments/{pk}/approve/").status_code == 404
    for user in (org.leadership, org.auditor):  # they see it, may not decide
        assert english_client(org.region, user).post(f"/api/v1/training/enrolments/{pk}/approve/").status_code == 403
    boss = english_client(org.region, org.edu_head.user)
    assert [e["id"] for e in boss.get("/api/v1/training/enrolments/?pending_decision=1").json()["results"]] == [pk]
    assert english_client(org.region, org.chief.user).get(
        "/api/v1/training/enrolments/?pending_decision=1").json()["results"] == []
    bad = boss.post(f"/api/v1/training/enrolments/{pk}/reject/", {"reason": ""}, content_type="application/json")
    assert bad.status_code == 400 and "reason" in bad.json()
    assert boss.post(f"/api/v1/training/enrolments/{pk}/approve/").json()["status"] == "confirmed"
    again = teacher.post(f"/api/v1/training/sessions/{session.pk}/enrol/", content_type="application/json")
    assert again.status_code == 400 and "course" in again.json()


def test_another_region_cannot_see(org, session, region_b):
    enrolment = services.enrol(org.staff, session, nominated_by=org.hr)
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, "hr-b")
    client = english_client(region_b, other_hr)
    assert client.get(f"/api/v1/training/enrolments/{enrolment.pk}/").status_code == 404
    assert client.get(f"/api/v1/training/sessions/{session.pk}/").status_code == 404
    assert client.get("/api/v1/training/courses/REG-01/").status_code == 404
    assert client.get(f"/training/sessions/{session.pk}/").status_code == 404
    assert client.get("/training/courses/REG-01/").status_code == 404
    assert client.get("/api/v1/training/enrolments/").json()["results"] == []
    assert client.post(f"/api/v1/training/sessions/{session.pk}/nominate/", {"nip": org.staff.nip},
                       content_type="application/json").status_code == 404
    client.defaults["HTTP_HOST"] = host_of(org.region)  # region B's login means nothing on region A's host
    assert client.get(f"/training/sessions/{session.pk}/").status_code == 302


def test_api_catalog_filters_and_hr_writes(org):
    hr = english_client(org.region, org.hr)
    created = hr.post("/api/v1/training/courses/", {"code": "API-1", "title": "Data Dasar", "method": "workshop",
                                                    "jp_hours": 16, "cost": 750000, "competencies": ["Data"]},
                      content_type="application/json")
    assert created.status_code == 201 and created.json()["catalog"] == "region"
    bad = hr.post("/api/v1/training/courses/", {"code": "API-2", "title": "X", "method": "talk", "jp_hours": 0},
                  content_type="application/json")
    assert bad.status_code == 400 and set(bad.json()) == {"method", "jp_hours"}
    changed = hr.patch("/api/v1/training/courses/API-1/", {"jp_hours": 20}, content_type="application/json")
    assert (changed.json()["jp_hours"], changed.json()["revision"]) == (20, 2)
    staff = english_client(org.region, org.staff.user)
    assert staff.post("/api/v1/training/courses/", {"code": "API-3"}, content_type="application/json").status_code == 403
    assert staff.post("/api/v1/training/courses/sync/").status_code == 403
    found = staff.get("/api/v1/training/courses/", {"competency": "Data", "jp_min": 10}).json()["results"]
    assert [c["code"] for c in found] == ["API-1"]
    assert staff.get("/api/v1/training/courses/", {"method": "klasikal"}).json()["results"] == []
    history = staff.get("/api/v1/training/courses/API-1/revisions/").json()
    assert [r["data"]["jp_hours"] for r in history] == [20, 16]


def test_api_hours_compliance_export(org):
    year = facts.today().year - 1
    course = region_course(org.hr, code="EXP", jp=24, cost=0, title="Pelatihan Teknis")
    held_session(org.hr, course, [org.staff, org.staff2], on=datetime.date(year, 5, 4), attended=[org.staff])
    chief = english_client(org.region, org.chief.user)
    rows = {r["nip"]: r for r in chief.get("/api/v1/training/hours/", {"year": year}).json()["results"]}
    assert set(rows) == {org.chief.nip, org.staff.nip, org.staff2.nip}
    assert (rows[org.staff.nip]["total_jp"], rows[org.staff.nip]["meets_target"]) == (24, True)
    assert (rows[org.staff2.nip]["total_jp"], rows[org.staff2.nip]["meets_target"]) == (0, False)
    detail = chief.get(f"/api/v1/training/hours/{org.staff.nip}/", {"year": year}).json()
    assert detail["total_jp"] == 24 and detail["records"][0]["title"] == "Pelatihan Teknis"
    assert english_client(org.region, org.edu_head.user).get(
        f"/api/v1/training/hours/{org.staff.nip}/").status_code == 404
    assert chief.get("/api/v1/training/compliance/").status_code == 403
    report = english_client(org.region, org.leadership).get("/api/v1/training/compliance/", {"year": year}).json()
    health = next(u for u in report["units"] if u["unit_code"] == org.health.code)
    assert (health["employees"], health["compliant"], health["compliance_percent"]) == (4, 1, "25.0")

    assert english_client(org.region, org.leadership).get("/api/v1/training/national-export/").status_code == 403
    auditor = english_client(org.region, org.auditor)
    exported = auditor.get("/api/v1/training/national-export/", {"year": year}).json()
    assert exported["diklat"] == [] and len(exported["kursus"]) == 1
    record = exported["kursus"][0]
    assert (record["endpoint"], record["nip"], record["data"]["jumlahJam"]) == ("kursus/save", org.staff.nip, 24)
    text = auditor.get("/api/v1/training/national-export/", {"year": year, "output": "csv", "kind": "kursus"})
    rows = list(csv.reader(io.StringIO(text.content.decode())))
    assert rows[0][:2] == ["nip", "nama"] and "jumlahJam" in rows[0] and rows[1][0] == org.staff.nip
    page = english_client(org.region, org.hr).get("/training/export/",
                                                  {"year": year, "output": "csv", "kind": "diklat"})
    assert page.status_code == 200 and page.content.decode().splitlines()[0].startswith("nip,nama,id,bobot")


def test_api_external_courses_and_budgets(org):
    staff = english_client(org.region, org.staff.user)
    mine = staff.post("/api/v1/training/external-courses/", {
        "nip": org.staff.nip, "title": "Webinar Pelayanan", "organiser": "KemenPAN-RB", "jp_hours": 4,
        "started_on": "2026-02-02", "ended_on": "2026-02-02"}, content_type="application/json")
    assert (mine.status_code, mine.json()["verified"]) == (201, False)
    other = staff.post("/api/v1/training/external-courses/", {
        "nip": org.staff2.nip, "title": "X", "organiser": "Y", "jp_hours": 4, "started_on": "2026-02-02",
        "ended_on": "2026-02-02"}, content_type="application/json")
    # a colleague's NIP answers as one nobody has: the endpoint does not confirm that it exists
    assert other.status_code == 400 and other.json()["nip"] == [f"No employee has NIP {org.staff2.nip}."]
    assert staff.post(f"/api/v1/training/external-courses/{mine.json()['id']}/verify/").status_code == 403
    verified = english_client(org.region, org.hr).post(f"/api/v1/training/external-courses/{mine.json()['id']}/verify/")
    assert verified.json()["verified"] is True
    hr = english_client(org.region, org.hr)
    assert hr.post("/api/v1/training/budgets/", {"unit_code": org.health.code, "year": 2026, "amount": 5_000_000},
                   content_type="application/json").status_code == 201
    beyond_the_column = hr.post("/api/v1/training/budgets/", {"unit_code": org.health.code, "year": 2026,
                                                              "amount": 10**20}, content_type="application/json")
    assert beyond_the_column.status_code == 400 and list(beyond_the_column.json()) == ["amount"]
    assert english_client(org.region, org.leadership).post(
        "/api/v1/training/budgets/", {"unit_code": org.health.code, "year": 2026, "amount": 1},
        content_type="application/json").status_code == 403
    budgets = english_client(org.region, org.auditor).get("/api/v1/training/budgets/", {"year": 2026}).json()
    assert budgets == [{"unit_code": org.health.code, "year": 2026, "amount": 5_000_000, "committed": 0, "spent": 0,
                        "remaining": 5_000_000, "over_budget": False}]
    assert staff.get("/api/v1/training/budgets/").status_code == 403


def test_completed_training_block_for_appraisal_pages(org):
    from django.template import Context, Template

    year = facts.today().year - 1
    course = region_course(org.hr, code="EVD", jp=12, title="Asesmen Kelas")
    held_session(org.hr, course, [org.teacher], on=datetime.date(year, 8, 1))
    html = Template("{% load training_tags %}{% completed_training employee year %}").render(
        Context({"employee": org.teacher, "year": year}))
    assert 'data-testid="completed-training"' in html and "Asesmen Kelas" in html and "12 of 20 JP" in html


# --- query counts ---------------------------------------------------------------------------------
def _queries(client, url, **params):
    with capture_queries() as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def _grow(org, course, count: int):
    """`count` more employees under the chief, each with a completed course and a pending request."""
    year = facts.today().year
    people = [make_employee(org.health, f"Tambahan {n}", org.chief) for n in range(count)]
    held_session(org.hr, course, people, on=datetime.date(year, 1, 2))
    upcoming = session_of(org.hr, region_course(org.hr, code=f"GROW-{count}", jp=2), seats=count + 5)
    for person in people:
        services.enrol(person, upcoming, actor=person.user)
    for n in range(count):
        region_course(org.hr, code=f"C-{count}-{n}", jp=2 + n, competencies=[f"Kompetensi {n}"])
    return people


@pytest.mark.parametrize("who", ["hr", "chief"])
def test_list_pages_and_endpoints_do_not_grow_with_rows(org, course, who):
    user = org.hr if who == "hr" else org.chief.user
    client = english_client(org.region, user)
    urls = ["/training/", "/training/sessions/", "/training/enrolments/", "/training/hours/",
            "/training/external/", "/api/v1/training/courses/", "/api/v1/training/sessions/",
            "/api/v1/training/enrolments/", "/api/v1/training/hours/", "/api/v1/training/external-courses/"]
    if who == "hr":
        urls += ["/training/compliance/", "/training/budget/", "/api/v1/training/compliance/",
                 "/training/export/", "/api/v1/training/national-export/"]
    _grow(org, course, 2)
    few = {url: _queries(client, url) for url in urls}
    _grow(org, course, 12)
    many = {url: _queries(client, url) for url in urls}
    assert many == few
    enrolments, hours = {"hr": (7, 11), "chief": (9, 12)}[who]
    with assert_queries(enrolments):
        client.get("/training/enrolments/")
    with assert_queries(hours):
        client.get("/training/hours/")
    with assert_queries(5):
        client.get("/api/v1/training/enrolments/")


def test_session_page_and_participants_endpoint_do_not_grow_with_participants(org, course):
    session = session_of(org.hr, course, seats=40)
    client = english_client(org.region, org.hr)
    urls = [f"/training/sessions/{session.pk}/", f"/api/v1/training/sessions/{session.pk}/participants/",
            "/api/v1/training/enrolments/?pending_decision=1"]

    def add(count):
        for n in range(count):
            person = make_employee(org.health, f"Peserta {count}-{n}", org.chief)
            # half nominated (seated), half their own requests (pending)
            services.enrol(person, session, nominated_by=org.hr if n % 2 else None)

    add(2)
    few = {url: _queries(client, url) for url in urls}
    add(10)
    assert {url: _queries(client, url) for url in urls} == few


def test_national_export_csv_with_a_formula_name(org):
    from kinerja.people.models import Employee

    year = facts.today().year - 1
    course = region_course(org.hr, code="FRM", jp=24, cost=0, title="@SUM(A1:A9)")
    held_session(org.hr, course, [org.staff], on=datetime.date(year, 5, 4), attended=[org.staff])
    Employee.objects.filter(pk=org.staff.pk).update(full_name="-2+3")
    for client, url in ((english_client(org.region, org.auditor), "/api/v1/training/national-export/"),
                        (english_client(org.region, org.hr), "/training/export/")):
        text = client.get(url, {"year": year, "output": "csv", "kind": "kursus"}).content.decode()
        rows = list(csv.reader(io.StringIO(text)))
        assert rows[1][1] == "'-2+3" and "'@SUM(A1:A9)" in rows[1]
