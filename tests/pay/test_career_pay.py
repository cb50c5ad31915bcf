"""Worked example: a promotion effective in the middle of a month, recorded weeks later, and the position
class each month's pay run uses (the one in force on the month's first day)."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kinerja.pay import services
from kinerja.pay.models import PayRunStatus
from kinerja.people import career
from kinerja.people.models import Employee, Position

from tests.factories import make_employee, make_unit
from tests.pay.factories import use_pay_plugin

pytestmark = pytest.mark.django_db
D = datetime.date
UTC = datetime.timezone.utc


def valid_nip(employee, nip):
    """A career change is applied through the people service, which checks the whole record: the
    factories' numbers are not valid NIPs."""
    Employee.objects.filter(pk=employee.pk).update(nip=nip)
    employee.refresh_from_db()
    return employee


def run_for(month, hr):
    run = services.create_run(month=month, actor=hr)
    services.start_run(run, actor=hr, enqueue=False, reason="Inputs of this worked example are partial on purpose")
    run = services.compute_run(run.pk)
    assert run.status == PayRunStatus.COMPUTED and run.failed == 0
    return run


def test_a_promotion_in_mid_october_is_paid_from_november(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-kotalama", hr)
    employee = valid_nip(make_employee(unit, "Sari Kotalama", position_class=7), "198001012005011001")
    old_position = employee.position
    head = Position.objects.create(code="KASI-GIZI", title="Kepala Seksi Gizi", kind="structural", position_class=9)
    # the decree is dated and recorded in November, effective 15 October
    event = career.record_career_event(actor=hr, employee=employee, kind="promotion", effective_on=D(2026, 10, 15),
                                       sk_number="821.2/145/BKPSDM/2026", sk_date=D(2026, 11, 3), position=head,
                                       now=datetime.datetime(2026, 11, 20, 3, tzinfo=UTC))
    employee.refresh_from_db()
    assert employee.position == head  # in effect already: the record shows it
    assert (event.previous_position, event.previous_rank) == (old_position, "III/a")
    states = career.state_on([employee.pk], D(2026, 10, 14))
    assert states[employee.pk].position_class == 7
    assert career.state_on([employee.pk], D(2026, 10, 15))[employee.pk].position_class == 9

    # October is paid at class 7 (2,550,000: discipline part 30% = 765,000), November at class 9
    # (3,200,000: 960,000), though both runs are computed after the promotion was recorded
    october = run_for(D(2026, 10, 1), hr).results.get(employee=employee)
    november = run_for(D(2026, 11, 1), hr).results.get(employee=employee)
    assert (october.position_class, october.position_title) == (7, old_position.title)
    assert (november.position_class, november.position_title) == (9, "Kepala Seksi Gizi")
    assert october.lines.get(code="TPP_DISIPLIN").amount == 765_000
    assert november.lines.get(code="TPP_DISIPLIN").amount == 960_000


def test_career_changes_need_hr_a_decree_and_their_order(in_a, hr, unit):
    employee = valid_nip(make_employee(unit, "Budi", position_class=7), "198001012005011002")
    other_unit = make_unit("PAY-DISDIK", "Dinas Pendidikan")
    with pytest.raises(PermissionDenied):
        career.record_career_event(actor=employee.user, employee=employee, kind="transfer",
                                   effective_on=D(2026, 1, 1), sk_number="1", unit=other_unit)
    with pytest.raises(ValidationError) as error:
        career.record_career_event(actor=hr, employee=employee, kind="transfer", effective_on=D(2026, 1, 1),
                                   sk_number=" ", unit=unit)
    assert set(error.value.message_dict) == {"sk_number", "unit"}  # no SK, and no move at all
    now = datetime.datetime(2026, 3, 1, 3, tzinfo=UTC)
    career.record_career_event(actor=hr, employee=employee, kind="rank", effective_on=D(2026, 4, 1),
                               sk_number="KP/2026/17", rank="III/b", now=now)
    employee.refresh_from_db()
    assert employee.rank == "III/a"  # April has not come yet
    with pytest.raises(ValidationError, match="in the order they take effect"):
        career.record_career_event(actor=hr, employee=employee, kind="transfer", effective_on=D(2026, 2, 1),
                                   sk_number="MUT/9", unit=other_unit, now=now)
    assert career.apply_due_career_events(now=datetime.datetime(2026, 4, 1, 3, tzinfo=UTC)) == 1
    assert Employee.objects.get(pk=employee.pk).rank == "III/b"
    assert career.apply_due_career_events(now=datetime.datetime(2026, 4, 2, 3, tzinfo=UTC)) == 0
