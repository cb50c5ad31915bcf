"""Worked example: one employee's leave over the years (annual balance and carry-over, the region's
working days and holidays), then a month of unpaid leave (CLTN) that the Kotalama plugin pays nothing for
and that the attendance does not count as absence."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from kinerja.accounts.models import Role
from kinerja.pay import services
from kinerja.pay.models import PayRunStatus
from kinerja.people import leave
from kinerja.people.models import Employee, LeaveStatus
from kinerja.region.models import Holiday

from tests.factories import make_employee, make_login
from tests.pay.factories import rate, use_pay_plugin

pytestmark = pytest.mark.django_db
D = datetime.date
OCTOBER = D(2026, 10, 1)


@pytest.fixture
def people(in_a, unit):
    chief = make_employee(unit, "Kepala Seksi", position_class=9)
    # PNS since January 2020 (the NIP says so): annual leave from 2021, CLTN after five years
    ani = make_employee(unit, "Ani Kotalama", chief, position_class=8)
    Employee.objects.filter(pk=ani.pk).update(nip="199001012020012001", gender="F")
    ani.refresh_from_db()
    return chief, ani


def annual(ani, chief, first, last):
    request = leave.request_leave(actor=ani.user, employee=ani, kind="annual", starts_on=first, ends_on=last)
    return leave.decide_leave(actor=chief.user, leave=request, approve=True)


def test_a_leave_year_balance_carry_over_and_a_cltn_month_paid_nothing(in_a, hr, people):
    chief, ani = people
    # 2023: none was taken in 2021 and 2022, so 12 of its own and 12 carried (24 in all); two weeks of
    # July taken (10 working days): 14 left
    annual(ani, chief, D(2023, 7, 3), D(2023, 7, 14))
    balance = leave.annual_balance(ani, 2023)
    assert (balance.entitlement, balance.carried_over, balance.cap, balance.available) == (12, 12, 24, 14)
    # 2024: 2023 was not idle: 12 and at most 6 of the 14 left (18 in all); 4 taken: 14 left
    annual(ani, chief, D(2024, 5, 6), D(2024, 5, 9))
    balance = leave.annual_balance(ani, 2024)
    assert (balance.entitlement, balance.carried_over, balance.taken, balance.available) == (12, 6, 4, 14)
    # 2025: 12 and at most 6 of the 14 left (18 in all); none taken
    balance = leave.annual_balance(ani, 2025)
    assert (balance.entitlement, balance.carried_over, balance.available, balance.cap) == (12, 6, 18, 18)
    # 2026: 2024 was not idle, so the cap stays 18. A week of January with a holiday on Wednesday costs 4 days
    Holiday.objects.create(date=D(2026, 1, 14), name="Isra Mikraj")
    week = annual(ani, chief, D(2026, 1, 12), D(2026, 1, 16))
    assert week.working_days == 4 and week.status == LeaveStatus.APPROVED
    assert leave.annual_balance(ani, 2026).available == 14
    with pytest.raises(ValidationError) as error:  # 15 working days asked: 1 more than is left
        leave.request_leave(actor=ani.user, employee=ani, kind="annual", starts_on=D(2026, 3, 2),
                            ends_on=D(2026, 3, 20))
    assert "15 working days asked; 14 left of annual leave for 2026." in error.value.message_dict["ends_on"]

    # CLTN from October 2026: the supervisor recommends, the granting official (HR) grants
    cltn = leave.request_leave(actor=ani.user, employee=ani, kind="unpaid", starts_on=OCTOBER,
                               ends_on=D(2027, 3, 31), reason="Following her spouse's posting abroad")
    with pytest.raises(PermissionDenied):
        leave.decide_leave(actor=hr, leave=cltn, approve=True)  # the supervisor decides first
    cltn = leave.decide_leave(actor=chief.user, leave=cltn, approve=True)
    assert cltn.status == LeaveStatus.RECOMMENDED
    with pytest.raises(PermissionDenied):
        leave.decide_leave(actor=chief.user, leave=cltn, approve=True)
    cltn = leave.decide_leave(actor=hr, leave=cltn, approve=True)
    assert cltn.status == LeaveStatus.APPROVED

    # October's pay under Kotalama: no attendance recorded for her, yet no absence; the whole TPP is
    # taken back by the CLTN line, so nothing is paid and no BPJS is due
    use_pay_plugin("kinerja-tpp-kotalama", hr)
    rate(ani, year=2025, work_result="above", behaviour="as_expected", predicate="baik")
    run = services.create_run(month=OCTOBER, actor=hr)
    services.start_run(run, actor=hr, enqueue=False, reason="Inputs of this worked example are partial on purpose")
    run = services.compute_run(run.pk)
    assert run.status == PayRunStatus.COMPUTED and run.failed == 0
    result = run.results.get(employee=ani)
    attendance = result.inputs["attendance"]
    assert (attendance["working_days"], attendance["absent_without_reason"], attendance["leave_days"]) == (22, 0, 22)
    assert result.inputs["leave"] == {"unpaid": 22}
    lines = {line.code: line.amount for line in result.lines.all()}
    # base 2,800,000 (class 8): performance 1,881,600 + discipline 840,000 = 2,721,600, all of it on CLTN days
    assert lines == {"TPP_KINERJA": 1_881_600, "TPP_DISIPLIN": 840_000, "POT_CLTN": 2_721_600}
    assert result.net == 0
    # the chief, present all month without records either, is absent 22 days: leave is what changed
    chief_attendance = run.results.get(employee=chief).inputs["attendance"]
    assert chief_attendance["absent_without_reason"] == 22 and "unpaid" not in run.results.get(
        employee=chief).inputs["leave"]


def test_kinds_of_leave_and_who_may_take_them(in_a, hr, people, media):
    chief, ani = people
    pppk = make_employee(ani.unit, "Rina PPPK", chief, employee_type="PPPK", rank="IX")
    Employee.objects.filter(pk=pppk.pk).update(nip="199207202023213005")
    pppk.refresh_from_db()

    def refused(employee, kind, first, last, **extra):
        with pytest.raises(ValidationError) as error:
            leave.request_leave(actor=employee.user, employee=employee, kind=kind, starts_on=first, ends_on=last,
                                **extra)
        return error.value.message_dict

    assert "is not open to PPPK" in refused(pppk, "unpaid", OCTOBER, D(2026, 12, 31), reason="x")["kind"][0]
    assert "needs 5 years of continuous service; Ani Kotalama has 4" in refused(
        ani, "long_service", D(2024, 3, 1), D(2024, 3, 31))["kind"][0]
    assert "document" in refused(ani, "sick", D(2026, 2, 2), D(2026, 2, 3))
    assert "lasts at most 31 days" in refused(ani, "important_reasons", D(2026, 2, 1), D(2026, 3, 15),
                                              reason="x", document=SimpleUploadedFile("surat.pdf", b"%PDF"))["ends_on"][0]
    assert "fourth child" in refused(ani, "maternity", D(2026, 4, 1), D(2026, 6, 30), child_order=4,
                                     document=SimpleUploadedFile("surat.pdf", b"%PDF"))["child_order"][0]
    assert "holds no working day" in refused(ani, "annual", D(2026, 2, 7), D(2026, 2, 8))["ends_on"][0]
    with pytest.raises(PermissionDenied):
        leave.request_leave(actor=chief.user, employee=ani, kind="annual", starts_on=D(2026, 2, 2),
                            ends_on=D(2026, 2, 2))
    # sick leave of up to 14 days is the supervisor's to grant; a refusal says why
    sick = leave.request_leave(actor=ani.user, employee=ani, kind="sick", starts_on=D(2026, 2, 2),
                               ends_on=D(2026, 2, 4), document=SimpleUploadedFile("dokter.pdf", b"%PDF"))
    assert "overlaps" in refused(ani, "annual", D(2026, 2, 4), D(2026, 2, 5))["starts_on"][0]
    with pytest.raises(ValidationError, match="Say why"):
        leave.decide_leave(actor=chief.user, leave=sick, approve=False)
    other = make_login(Role.EMPLOYEE, "another-employee")
    with pytest.raises(PermissionDenied):
        leave.decide_leave(actor=other, leave=sick, approve=True)
    assert leave.decide_leave(actor=chief.user, leave=sick, approve=True).status == LeaveStatus.APPROVED
