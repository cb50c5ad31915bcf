"""What a page of a list endpoint costs does not grow with its rows: the same number of queries for 3 rows
as for 30, and the serializers' quick reading (api.representation) answers exactly what REST framework's
own reading would, key for key."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from rest_framework import serializers

from api.accounts import LoginSerializer, TokenSerializer
from api.appraisal import PlanSerializer
from api.pay import PayRunSerializer
from api.people import EmployeeSerializer, PositionSerializer, UnitSerializer
from kinerja.accounts.models import ApiToken
from kinerja.appraisal.models import SkpPlan
from kinerja.pay import services as pay_services
from kinerja.pay.models import PayRun
from kinerja.people.models import Employee, Position, Unit
from tests.factories import build_organisation, make_api_token, make_employee, make_unit
from tests.helpers import capture_queries, host_of, in_region

pytestmark = pytest.mark.django_db

ENDPOINTS = ["/api/v1/employees/", "/api/v1/units/", "/api/v1/positions/", "/api/v1/pay-runs/",
             "/api/v1/appraisal/plans/"]


def add_rows(unit, count: int, hr, start: int) -> None:
    """`count` more employees (each with a position), units and pay runs, some with empty relations."""
    previous = None
    for number in range(count):
        previous = make_employee(unit, f"Pegawai {start + number:03d}", previous if number % 2 else None)
        make_unit(f"U{start + number}", f"Unit {start + number}", parent=unit if number % 2 else None)
        pay_services.create_run(month=datetime.date(2040, 1, 1) + datetime.timedelta(days=31 * (start + number)),
                                actor=hr)


def queries_per_page(client: Client, path: str) -> int:
    with capture_queries() as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.content[:300])
    return len(captured)


@pytest.mark.parametrize("path", ENDPOINTS)
def test_a_page_costs_the_same_queries_for_3_rows_as_for_30(region_a, path):
    with in_region(region_a):
        org = build_organisation(region_a)
        token = make_api_token(org.hr)
        extra = make_unit("LISTCOST", "Dinas Uji")
    client = Client(HTTP_HOST=host_of(region_a), HTTP_AUTHORIZATION=f"Token {token}")
    with in_region(region_a):
        add_rows(extra, 3, org.hr, start=0)
    queries_per_page(client, path)  # the token's first use is written once, then at most once a minute
    few = queries_per_page(client, path)
    with in_region(region_a):
        add_rows(extra, 27, org.hr, start=3)
    many = queries_per_page(client, path)
    assert many == few, f"{path}: {few} queries with few rows, {many} with many"


@pytest.mark.parametrize(("serializer_class", "records"), [
    (EmployeeSerializer, lambda: Employee.objects.select_related("unit", "position", "supervisor")),
    (UnitSerializer, lambda: Unit.objects.select_related("parent")),
    (PositionSerializer, lambda: Position.objects.all()),
    (PayRunSerializer, lambda: PayRun.objects.all()),
    (PlanSerializer, lambda: SkpPlan.objects.select_related("employee", "appraiser", "unit", "appraisal_year")),
    (TokenSerializer, lambda: ApiToken.objects.select_related("user")),
    (LoginSerializer, lambda: __import__("django.contrib.auth", fromlist=["get_user_model"]).get_user_model()
     .objects.all()),
])
def test_quick_reading_answers_what_rest_framework_would(region_a, serializer_class, records):
    from tests.appraisal.factories import open_year, plan_with_indicators

    with in_region(region_a):
        org = build_organisation(region_a)
        make_api_token(org.hr)
        pay_services.create_run(month=datetime.date(2041, 3, 1), actor=org.hr)
        plan_with_indicators(org.staff, open_year(org))
        rows = list(records())
        assert rows
        serializer = serializer_class(rows, many=True)
        quick = serializer.data
        plain = [serializers.Serializer.to_representation(serializer.child, row) for row in rows]
        assert [dict(row) for row in quick] == plain
