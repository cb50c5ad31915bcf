"""JP per employee per year, the 20-JP target and the compliance report per unit (with worked numbers),
budgets against spend, completion, certificates, evaluations and the national export's shapes."""
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.training import exports, selectors, services
from kinerja.training.certificates import certificate_pdf
from kinerja.training.models import Enrolment, TrainingSession
from kinerja.region import facts
from tests.factories import make_employee, make_unit
from tests.training.factories import held_session, region_course, session_of

pytestmark = pytest.mark.django_db


def year_start(year: int, month: int = 3, day: int = 10) -> datetime.date:
    return datetime.date(year, month, day)


@pytest.fixture
def year():
    return facts.today().year - 1


@pytest.fixture
def history(org, year):
    """The worked example (target 20 JP):
    Dinas Kesehatan: staff 24 (course A) -> met; staff2 8 (B) + 12 external -> 20, met exactly;
    chief 8 (B) + 30 external not verified -> 8; head did not attend B -> 0.
    Dinas Pendidikan: edu_head 16 (C) + 8 (B) -> 24, met; teacher 16 (C) + 3 external the year before -> 16.
    """
    a = region_course(org.hr, code="A", jp=24, cost=1_000_000, title="Course A")
    b = region_course(org.hr, code="B", jp=8, cost=300_000, title="Course B")
    c = region_course(org.hr, code="C", jp=16, cost=0, title="Course C", method="e-learning")
    held_session(org.hr, a, [org.staff], on=year_start(year))
    held_session(org.hr, b, [org.staff2, org.chief, org.head, org.edu_head], on=year_start(year, 6),
                 attended=[org.staff2, org.chief, org.edu_head])
    held_session(org.hr, c, [org.edu_head, org.teacher], on=year_start(year, 9))
    services.record_external_course(actor=org.hr, employee=org.staff2, title="Bimtek SIASN", organiser="BKN",
                                    jp_hours=12, started_on=year_start(year, 4), ended_on=year_start(year, 4, 11),
                                    cost=150_000)
    services.record_external_course(actor=org.chief.user, employee=org.chief, title="Seminar", organiser="Kemenkes",
                                    jp_hours=30, started_on=year_start(year, 5), ended_on=year_start(year, 5))
    services.record_external_course(actor=org.hr, employee=org.teacher, title="Old course", organiser="LPMP",
                                    jp_hours=3, started_on=year_start(year - 1), ended_on=year_start(year - 1))
    # not active: never counted in the report
    make_employee(org.health, "Pensiunan", org.chief, status="retired")
    return {"a": a, "b": b, "c": c}


def test_jp_totals_per_employee(org, history, year):
    totals = selectors.jp_by_employee([org.staff.pk, org.staff2.pk, org.chief.pk, org.head.pk, org.teacher.pk], year)
    assert totals[org.staff.pk] == {"sessions": 24, "external": 0, "total": 24}
    assert totals[org.staff2.pk] == {"sessions": 8, "external": 12, "total": 20}
    assert totals[org.chief.pk] == {"sessions": 8, "external": 0, "total": 8}
    assert totals[org.head.pk] == {"sessions": 0, "external": 0, "total": 0}
    assert totals[org.teacher.pk] == {"sessions": 16, "external": 0, "total": 16}
    assert selectors.jp_by_employee([org.teacher.pk], year - 1)[org.teacher.pk]["total"] == 3
    rows = {r["employee"].pk: r for r in selectors.hours_table(selectors.visible_employees(org.chief.user), year)}
    assert set(rows) == {org.chief.pk, org.staff.pk, org.staff2.pk}  # the supervisor sees themself and reports
    assert (rows[org.staff2.pk]["meets_target"], rows[org.chief.pk]["missing"]) == (True, 12)


def test_compliance_report_per_unit(org, history, year):
    report = selectors.compliance_report(year)
    assert report["target"] == 20
    units = {row["unit"].code: row for row in report["units"]}
    health, education = units["T-DINKES"], units["T-DISDIK"]
    assert (health["employees"], health["compliant"], health["total_jp"]) == (4, 2, 52)
    assert (health["compliance_percent"], health["average_jp"]) == (Decimal("50.0"), Decimal("13.0"))
    assert (education["employees"], education["compliant"], education["total_jp"]) == (2, 1, 40)
    assert (education["compliance_percent"], education["average_jp"]) == (Decimal("50.0"), Decimal("20.0"))
    region = report["region"]
    assert (region["employees"], region["compliant"], region["total_jp"]) >= (6, 3, 92)

    services.set_jp_target(actor=org.hr, target=24)
    units = {row["unit"].code: row for row in selectors.compliance_report(year)["units"]}
    assert (units["T-DINKES"]["compliant"], units["T-DINKES"]["compliance_percent"]) == (1, Decimal("25.0"))
    assert (units["T-DISDIK"]["compliant"], units["T-DISDIK"]["compliance_percent"]) == (1, Decimal("50.0"))
    with pytest.raises(PermissionDenied):
        services.set_jp_target(actor=org.chief.user, target=10)


def test_region_totals_in_a_region_of_only_these_units(org, history, year):
    from kinerja.people.models import Employee

    others = Employee.objects.exclude(unit__in=[org.health, org.education]).filter(status="active").count()
    region = selectors.compliance_report(year)["region"]
    assert (region["employees"], region["compliant"], region["total_jp"]) == (6 + others, 3, 92)
    if not others:
        assert (region["compliance_percent"], region["average_jp"]) == (Decimal("50.0"), Decimal("15.3"))


def test_external_course_counts_once_verified(org, year):
    own = services.record_external_course(actor=org.teacher.user, employee=org.teacher, title="Webinar",
                                          organiser="Kemendikbud", jp_hours=6, started_on=year_start(year),
                                          ended_on=year_start(year))
    assert selectors.jp_by_employee([org.teacher.pk], year)[org.teacher.pk]["total"] == 0
    with pytest.raises(PermissionDenied):
        services.record_external_course(actor=org.edu_head.user, employee=org.staff, title="X", organiser="Y",
                                        jp_hours=2, started_on=year_start(year), ended_on=year_start(year))
    with pytest.raises(PermissionDenied):
        services.verify_external_course(actor=org.edu_head.user, external=own)
    services.verify_external_course(actor=org.hr, external=own)
    assert selectors.jp_by_employee([org.teacher.pk], year)[org.teacher.pk]["total"] == 6
    with pytest.raises(ValidationError) as error:
        services.record_external_course(actor=org.hr, employee=org.staff, title="", organiser="", jp_hours=0,
                                        started_on=year_start(year, 5), ended_on=year_start(year, 4))
    assert set(error.value.message_dict) == {"title", "organiser", "jp_hours", "ended_on"}


def test_completion_attendance_and_certificates(org, history, year):
    session = TrainingSession.objects.get(course=history["b"])
    rows = {e.employee_id: e for e in Enrolment.objects.filter(session=session)}
    assert rows[org.head.pk].status == "no_show" and rows[org.head.pk].jp_hours == 0
    done = rows[org.staff2.pk]
    assert (done.status, done.jp_hours, done.completed_on) == ("completed", 8, year_start(year, 6))
    assert done.certificate_number.startswith(f"{org.region.schema_name.upper()}/B/{year}/")
    numbers = {rows[pk].certificate_number for pk in (org.staff2.pk, org.chief.pk, org.edu_head.pk)}
    assert len(numbers) == 3
    pdf = certificate_pdf(done)
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert org.staff2.full_name.encode() in pdf and done.certificate_number.encode() in pdf
    assert b"Course B" in pdf and b"8 JP" in pdf
    assert certificate_pdf(done) == pdf  # the same record gives the same document
    with pytest.raises(ValueError):
        certificate_pdf(rows[org.head.pk])


def test_completion_needs_attendance_and_an_ended_session(org):
    course = region_course(org.hr, code="Z", jp=4)
    upcoming = session_of(org.hr, course, seats=3, starts_in=3)
    services.enrol(org.staff, upcoming, nominated_by=org.hr)
    with pytest.raises(ValidationError) as error:
        services.complete_session(upcoming, actor=org.hr)
    assert "session" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.record_attendance(upcoming, actor=org.hr, present=[])
    past = TrainingSession.objects.create(course=course, starts_on=datetime.date(2026, 1, 5),
                                          ends_on=datetime.date(2026, 1, 6), seats=2, place="Aula", jp_hours=4)
    seated = Enrolment.objects.create(course=course, session=past, employee=org.staff2, unit=org.health,
                                      origin="hr", status="confirmed")
    with pytest.raises(ValidationError) as error:
        services.complete_session(past, actor=org.hr)
    assert "Staf Dua" in error.value.message_dict["attendance"][0]
    with pytest.raises(ValidationError) as error:
        services.record_attendance(past, actor=org.hr, present=[seated.pk, 999999])
    assert "999999" in error.value.message_dict["present"][0]
    with pytest.raises(PermissionDenied):
        services.record_attendance(past, actor=org.chief.user, present=[seated.pk])


def test_evaluation_by_the_participant_once(org, history):
    done = Enrolment.objects.get(employee=org.staff, course=history["a"])
    with pytest.raises(PermissionDenied):
        services.submit_evaluation(done, actor=org.chief.user, content=5, trainer=5, relevance=5)
    with pytest.raises(ValidationError) as error:
        services.submit_evaluation(done, actor=org.staff.user, content=0, trainer=6, relevance="x")
    assert set(error.value.message_dict) == {"content", "trainer", "relevance"}
    services.submit_evaluation(done, actor=org.staff.user, content=4, trainer=5, relevance=3, comment="Useful")
    with pytest.raises(ValidationError):
        services.submit_evaluation(done, actor=org.staff.user, content=4, trainer=5, relevance=3)
    summary = selectors.evaluation_summary(done.session)
    assert summary["responses"] == 1 and summary["trainer"] == 5
    no_show = Enrolment.objects.get(employee=org.head, course=history["b"])
    with pytest.raises(ValidationError):
        services.submit_evaluation(no_show, actor=org.head.user, content=4, trainer=4, relevance=4)


def test_budget_against_spend(org, history, year):
    clinic = make_unit("T-PKM", "Puskesmas Mandiangin", parent=org.health)
    nurse = make_employee(clinic, "Perawat", org.chief)
    services.set_unit_budget(actor=org.hr, unit=org.health, year=year, amount=2_000_000)
    services.set_unit_budget(actor=org.hr, unit=org.education, year=year, amount=100_000)
    # a session of the year still scheduled: its seat is committed, not spent
    open_session = TrainingSession.objects.create(course=history["a"], starts_on=year_start(year, 12, 1),
                                                  ends_on=year_start(year, 12, 2), seats=5, place="Aula",
                                                  cost=250_000, jp_hours=24)
    Enrolment.objects.create(course=history["a"], session=open_session, employee=nurse, unit=clinic, origin="hr",
                             status="confirmed", cost=250_000)
    rows = {row["unit"].code: row for row in selectors.budget_report(year)}
    health = rows["T-DINKES"]
    # spent: A 1,000,000 (staff) + B 3 x 300,000 (staff2, chief, head's no-show) + external 150,000
    assert (health["amount"], health["spent"], health["committed"]) == (2_000_000, 2_050_000, 250_000)
    assert (health["remaining"], health["over_budget"]) == (-300_000, True)
    education = rows["T-DISDIK"]  # B 300,000 for edu_head; C is free
    assert (education["spent"], education["remaining"], education["over_budget"]) == (300_000, -200_000, True)
    with pytest.raises(ValidationError):
        services.set_unit_budget(actor=org.hr, unit=org.health, year=year, amount=-1)
    with pytest.raises(PermissionDenied):
        services.set_unit_budget(actor=org.leadership, unit=org.health, year=year, amount=1)


def test_completed_training_for_the_appraisal(org, history, year):
    records = selectors.completed_training_for(org.edu_head, year)
    assert [(r.title, r.jp_hours, r.source) for r in records] == [("Course B", 8, "session"), ("Course C", 16, "session")]
    staff2 = selectors.completed_training_for(org.staff2, year)
    assert [(r.title, r.source) for r in staff2] == [("Bimtek SIASN", "external"), ("Course B", "session")]
    assert selectors.completed_training_for(org.chief, year)[0].title == "Course B"  # the unverified one is left out
    assert selectors.completed_training_for(org.staff2, year + 1) == []


def test_national_export_shapes(org, history, year):
    services.update_course(actor=org.hr, course=history["a"], record_kind="diklat")
    records = exports.national_records(year)
    assert {r["endpoint"] for r in records} == {"diklat/save", "kursus/save"}
    grouped = exports.as_json(records)
    [diklat] = grouped["diklat"]
    assert set(diklat["data"]) == set(exports.DIKLAT_FIELDS)
    assert (diklat["nip"], diklat["data"]["jumlahJam"], diklat["data"]["tahun"]) == (org.staff.nip, 24, year)
    assert diklat["data"]["tanggal"] == year_start(year).strftime("%d-%m-%Y")
    assert all(set(r["data"]) == set(exports.KURSUS_FIELDS) for r in grouped["kursus"])
    external = next(r for r in grouped["kursus"] if r["data"]["namaKursus"] == "Bimtek SIASN")
    assert (external["data"]["jumlahJam"], external["data"]["institusiPenyelenggara"]) == (12, "BKN")
    assert isinstance(external["data"]["jumlahJam"], int)
    assert len(grouped["kursus"]) == 6  # B x3, C x2, the verified external course
    rows = list(csv.reader(io.StringIO(exports.as_csv(records, "kursus"))))
    assert rows[0] == ["nip", "nama", *exports.KURSUS_FIELDS]
    assert len(rows) == 7 and all(len(row) == len(rows[0]) for row in rows)
    jam = rows[0].index("jumlahJam")
    assert sorted(int(row[jam]) for row in rows[1:]) == [8, 8, 8, 12, 16, 16]
    diklat_rows = list(csv.reader(io.StringIO(exports.as_csv(records, "diklat"))))
    assert diklat_rows[0] == ["nip", "nama", *exports.DIKLAT_FIELDS] and len(diklat_rows) == 2
