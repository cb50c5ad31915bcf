"""Enrolment rules: requests and nominations, approval by the right supervisor only, seats, the waiting
list and its promotion in order, sessions scheduled for those waiting, new hires' onboarding courses."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.audit.models import AuditEntry
from kinerja.training import services
from kinerja.training.models import Enrolment
from tests.factories import make_employee
from tests.training.factories import region_course, session_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def course(org):
    return region_course(org.hr, code="REG-01", jp=8, cost=500_000)


def test_own_request_waits_for_the_direct_supervisor(org, course):
    session = session_of(org.hr, course, seats=2)
    request = services.enrol(org.staff, session, actor=org.staff.user, reason="Needed for front desk work")
    assert (request.status, request.origin, request.session_id) == ("pending", "self", session.pk)
    # the chief of another section, the head two levels up, the other unit's head: refused
    for outsider in (org.staff2.user, org.head.user, org.edu_head.user, org.teacher.user, org.leadership,
                     org.auditor):
        with pytest.raises(PermissionDenied):
            services.approve(request, actor=outsider)
    approved = services.approve(request, actor=org.chief.user, note="Go ahead")
    assert (approved.status, approved.decided_by, approved.cost) == ("confirmed", org.chief.user, 500_000)
    assert AuditEntry.objects.filter(action="training.approved", target_id=str(request.pk)).exists()


def test_hr_may_approve_anyone_and_rejection_needs_a_reason(org, course):
    session = session_of(org.hr, course)
    request = services.enrol(org.teacher, session, actor=org.teacher.user)
    with pytest.raises(ValidationError) as error:
        services.reject(request, actor=org.hr, reason=" ")
    assert "reason" in error.value.message_dict
    rejected = services.reject(request, actor=org.hr, reason="Budget used up")
    assert (rejected.status, rejected.decision_note) == ("rejected", "Budget used up")
    again = services.enrol(org.teacher, session, actor=org.teacher.user)  # a rejected request may be repeated
    assert services.approve(again, actor=org.hr).status == "confirmed"


def test_nomination_only_by_hr_or_direct_supervisor(org, course):
    session = session_of(org.hr, course, seats=5)
    for outsider in (org.edu_head.user, org.head.user, org.staff2.user):
        with pytest.raises(PermissionDenied):
            services.enrol(org.staff, session, nominated_by=outsider)
    with pytest.raises(PermissionDenied):
        services.enrol(org.staff, session, actor=org.chief.user)  # a request in someone else's name
    by_chief = services.enrol(org.staff, session, nominated_by=org.chief.user)
    assert (by_chief.status, by_chief.origin) == ("confirmed", "supervisor")
    by_hr = services.enrol(org.teacher, session, nominated_by=org.hr)
    assert (by_hr.status, by_hr.origin) == ("confirmed", "hr")
    with pytest.raises(ValidationError) as error:
        services.enrol(org.staff, session, nominated_by=org.hr)
    assert "already enrolled" in error.value.message_dict["course"][0]
    assert Enrolment.objects.filter(employee=org.staff).count() == 1


def test_full_session_waitlists_and_promotes_in_order(org, course):
    session = session_of(org.hr, course, seats=2)
    extra = [make_employee(org.health, f"Staf {n}", org.chief) for n in range(3, 6)]
    first, second = (services.enrol(e, session, nominated_by=org.hr) for e in (org.staff, org.staff2))
    assert first.status == second.status == "confirmed"
    waiting = [services.enrol(e, session, nominated_by=org.chief.user) for e in extra]
    assert [w.status for w in waiting] == ["waitlisted"] * 3
    # a request approved while full joins the end of the list
    late = services.enrol(org.teacher, session, actor=org.teacher.user)
    assert services.approve(late, actor=org.edu_head.user).status == "waitlisted"

    services.withdraw(first, actor=org.staff.user, reason="Sick")
    statuses = {e.pk: e.status for e in Enrolment.objects.filter(session=session)}
    assert statuses[first.pk] == "withdrawn" and statuses[waiting[0].pk] == "confirmed"
    assert [statuses[w.pk] for w in waiting[1:]] + [statuses[late.pk]] == ["waitlisted"] * 3

    services.update_session(actor=org.hr, session=session, seats=4)  # two more seats: next two in order
    statuses = {e.pk: e.status for e in Enrolment.objects.filter(session=session)}
    assert [statuses[w.pk] for w in waiting] == ["confirmed"] * 3 and statuses[late.pk] == "waitlisted"
    with pytest.raises(ValidationError) as error:
        services.update_session(actor=org.hr, session=session, seats=2)
    assert "seats" in error.value.message_dict
    assert AuditEntry.objects.filter(action="training.promoted").count() == 3


def test_enrol_by_course_code_picks_the_next_session_with_a_seat(org, course):
    full = session_of(org.hr, course, seats=1, starts_in=5)
    later = session_of(org.hr, course, seats=3, starts_in=30)
    services.enrol(org.chief, full, nominated_by=org.hr)
    placed = services.enrol(org.staff, "REG-01", nominated_by=org.chief.user)
    assert (placed.session_id, placed.status) == (later.pk, "confirmed")
    with pytest.raises(ValidationError) as error:
        services.enrol(org.staff2, "NOPE", nominated_by=org.hr)
    assert error.value.message_dict["course"] == ["No course has code 'NOPE'."]


def test_past_or_cancelled_sessions_refuse_enrolment(org, course):
    past = session_of(org.hr, course, starts_in=-3)
    with pytest.raises(ValidationError):
        services.enrol(org.staff, past, nominated_by=org.hr)
    retired = make_employee(org.health, "Pensiunan", org.chief, status="retired")
    with pytest.raises(ValidationError) as error:
        services.enrol(retired, "REG-01", nominated_by=org.hr)
    assert "employee" in error.value.message_dict


def test_new_hires_wait_for_a_session_and_are_seated_when_one_is_scheduled(org, course):
    onboarding = region_course(org.hr, code="ONB-ETIKA", jp=24, cost=0, title="Etika Pelayanan")
    hire1 = make_employee(org.health, "CPNS Satu", org.chief, status="candidate")
    hire2 = make_employee(org.health, "CPNS Dua", org.chief, status="candidate")
    enrolments = services.enrol_new_hire(hire1, ["ONB-ETIKA", "REG-01"])
    assert [(e.course.code, e.status, e.origin) for e in enrolments] == [
        ("ONB-ETIKA", "awaiting_session", "new_hire"), ("REG-01", "awaiting_session", "new_hire")]
    assert services.enrol_new_hire(hire1, ["ONB-ETIKA"])[0].pk == enrolments[0].pk  # calling twice is harmless
    services.enrol_new_hire(hire2, ["ONB-ETIKA"])
    with pytest.raises(ValidationError) as error:
        services.enrol_new_hire(hire2, ["REG-01", "NO-SUCH"])
    assert "NO-SUCH" in error.value.message_dict["course_codes"][0]
    assert not Enrolment.objects.filter(employee=hire2, course=course).exists()  # nothing half-saved

    session = session_of(org.hr, onboarding, seats=1)
    seated = {e.employee_id: e.status for e in Enrolment.objects.filter(course=onboarding)}
    assert seated == {hire1.pk: "confirmed", hire2.pk: "awaiting_session"}  # seats go in approval order
    assert Enrolment.objects.get(employee=hire1, course=onboarding).session_id == session.pk
    second = session_of(org.hr, onboarding, seats=5, starts_in=40)
    assert Enrolment.objects.get(employee=hire2, course=onboarding).session_id == second.pk


def test_cancelled_session_places_its_people_again(org, course):
    first = session_of(org.hr, course, seats=1, starts_in=5)
    other = session_of(org.hr, course, seats=1, starts_in=20)
    seated = services.enrol(org.staff, first, nominated_by=org.hr)
    waiting = services.enrol(org.staff2, first, nominated_by=org.hr)
    asked = services.enrol(org.teacher, first, actor=org.teacher.user)
    assert waiting.status == "waitlisted"
    with pytest.raises(ValidationError):
        services.cancel_session(actor=org.hr, session=first, reason="")
    services.cancel_session(actor=org.hr, session=first, reason="Trainer unavailable")
    now = {e.pk: (e.status, e.session_id) for e in Enrolment.objects.all()}
    assert now[seated.pk] == ("confirmed", other.pk)
    assert now[waiting.pk] == ("waitlisted", other.pk)
    assert now[asked.pk] == ("pending", None)
    assert services.approve(asked, actor=org.edu_head.user).status == "waitlisted"


def test_only_hr_manages_sessions(org, course):
    import datetime

    for user in (org.chief.user, org.leadership, org.auditor):
        with pytest.raises(PermissionDenied):
            session_of(user, course)
    with pytest.raises(ValidationError) as error:
        services.create_session(actor=org.hr, course=course, starts_on=datetime.date(2026, 5, 2),
                                ends_on=datetime.date(2026, 5, 1), seats=0, online_link="not a link")
    assert set(error.value.message_dict) == {"ends_on", "seats", "online_link"}
