"""Retirement at the position's age limit (BUP) and PPPK contract ends are announced to HR ahead of time:
a daily task notifies HR once per person and date, and the HR dashboard lists them in its next steps."""
import datetime

import pytest
from django.utils import translation
from kinerja.accounts.models import Role
from kinerja.notifications.models import Notification
from kinerja.notifications.services import users_holding
from kinerja.people import departures
from kinerja.people.models import Employee, Position
from kinerja.people.tasks import notify_upcoming_departures_task
from kinerja.region import facts

from tests.factories import build_organisation, make_employee, make_login
from tests.helpers import english_client, in_region

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 6, 15)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def org(region_a):
    with in_region(region_a):
        yield build_organisation(region_a)


def born(employee, birth_date, **fields):
    Employee.objects.filter(pk=employee.pk).update(birth_date=birth_date, **fields)
    employee.refresh_from_db()
    return employee


def test_the_age_limit_comes_from_the_position_and_retirement_starts_the_month_after():
    executive = Position(kind="pelaksana", position_class=7)
    head_of_agency = Position(kind="struktural", position_class=14)
    senior_doctor = Position(kind="fungsional", position_class=12, retirement_age=65)
    assert [departures.retirement_age(p) for p in (executive, head_of_agency, senior_doctor)] == [58, 60, 65]
    assert departures.retirement_date(D(1968, 12, 10), 58) == D(2027, 1, 1)
    assert departures.retirement_date(D(1968, 2, 29), 58) == D(2026, 3, 1)


def test_hr_is_told_once_about_each_retirement_and_contract_end_ahead(org):
    # Staf Satu (class 7, limit 58) turns 58 in March 2027: retires 1 April 2027, within a year
    born(org.staff, D(1969, 3, 20))
    # the agency head (structural class 14: limit 60) turns 60 in November 2026: retires 1 December
    born(org.head, D(1966, 11, 2))
    # Staf Dua turns 58 in 2028: not yet
    born(org.staff2, D(1970, 1, 5))
    # a PPPK teacher whose contract ends in 60 days, and one whose contract ends in a year
    pppk = born(make_employee(org.education, "Guru PPPK", org.edu_head, employee_type="PPPK", rank="IX"),
                D(1990, 5, 1), contract_ends_on=D(2026, 8, 14))
    born(make_employee(org.education, "Guru PPPK Dua", org.edu_head, employee_type="PPPK", rank="IX"),
         D(1991, 5, 1), contract_ends_on=D(2027, 6, 30))
    # someone already retired is not listed
    born(make_employee(org.health, "Pensiunan", org.chief, status="retired"), D(1960, 1, 1))

    found = [(d.employee.full_name, d.kind, d.on) for d in departures.upcoming_departures(TODAY)]
    assert found == [("Guru PPPK", "contract_end", D(2026, 8, 14)), ("Kepala Dinkes", "retirement", D(2026, 12, 1)),
                     ("Staf Satu", "retirement", D(2027, 4, 1))]

    second_hr = make_login(Role.HR_ADMIN, "hr-two")
    hr_admins = set(users_holding("people.manage").values_list("pk", flat=True))
    assert {org.hr.pk, second_hr.pk} <= hr_admins  # with the region's first HR admin
    assert departures.notify_upcoming_departures(TODAY) == 3 * len(hr_admins)  # three departures, each HR admin
    assert departures.notify_upcoming_departures(TODAY) == 0  # told once
    told = Notification.objects.filter(kind="people.departure")
    assert set(told.values_list("recipient_id", flat=True)) == hr_admins
    assert not told.filter(recipient__in=[org.staff.user, org.chief.user, org.leadership]).exists()
    note = told.get(recipient=org.hr, params__employee="Guru PPPK")
    assert note.params["event"] == "contract_end" and note.link.endswith(f"/people/employees/{pppk.pk}/")
    # a renewed contract is a new date, told again when it comes near
    Employee.objects.filter(pk=pppk.pk).update(contract_ends_on=D(2026, 9, 1))
    assert departures.notify_upcoming_departures(TODAY) == len(hr_admins)


def test_the_daily_task_and_the_hr_dashboard(org):
    today = facts.today()
    born(org.staff, D(today.year - 58, today.month, 1))  # reaches 58 this month
    assert notify_upcoming_departures_task() == users_holding("people.manage").count()
    page = english_client(org.region, org.hr).get("/dashboard/")
    body = page.content.decode()
    assert "1 employee retires or reaches the end of a PPPK contract soon:" in body
    assert "Staf Satu: retirement (BUP 58) on" in body
    # an employee's dashboard does not list it
    assert "retires or reaches" not in english_client(org.region, org.staff.user).get("/dashboard/").content.decode()
