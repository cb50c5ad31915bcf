"""History stays readable: an employee sees their predicates and TPP year by year on one page, HR an
annual TPP summary per unit (page, API and spreadsheet). Pay is personal: a supervisor does not see a
subordinate's history, another region sees nothing."""
import datetime
import io

import pytest
from kinerja.accounts.models import Role
from kinerja.pay.models import PayResult, PayRun, PayRunStatus
from openpyxl import load_workbook

from tests.factories import build_organisation, make_login
from tests.helpers import english_client, in_region
from tests.pay.factories import quarter, rate

pytestmark = pytest.mark.django_db
D = datetime.date


def paid(employee, month: datetime.date, net: int, *, status=PayRunStatus.LOCKED, unit_name=None):
    run = PayRun.objects.filter(month=month).first() or PayRun.objects.create(month=month, status=status)
    return PayResult.objects.create(run=run, employee=employee, nip=employee.nip, full_name=employee.full_name,
                                    unit_name=unit_name or employee.unit.name, position_class=7,
                                    employee_type="PNS", earnings=net + 100_000, deductions=100_000, net=net,
                                    contributions=40_000)


@pytest.fixture
def org(region_a):
    with in_region(region_a):
        yield build_organisation(region_a)


@pytest.fixture
def years(org):
    """Staf Satu: 2025 rated Baik (TW IV Sangat Baik) and paid two months; 2026 paid one month, plus a
    computed run not yet approved. Staf Dua paid in 2025, in the education office's name then."""
    rate(org.staff, year=2025, work_result="as_expected", behaviour="as_expected", predicate="baik")
    rate(org.staff, year=2025, work_result="above", behaviour="above", predicate="sangat_baik",
         period=quarter(2025, 4))
    rate(org.staff, year=2026, work_result="above", behaviour="above", predicate="sangat_baik", delivered=False)
    paid(org.staff, D(2025, 11, 1), 3_000_000)
    paid(org.staff, D(2025, 12, 1), 3_200_000)
    paid(org.staff2, D(2025, 12, 1), 2_500_000, unit_name="Dinas Pendidikan")
    paid(org.staff, D(2026, 1, 1), 3_100_000, status=PayRunStatus.APPROVED)
    paid(org.staff, D(2026, 2, 1), 9_999_999, status=PayRunStatus.COMPUTED)


def test_an_employee_sees_their_predicates_and_tpp_over_the_years(org, years):
    client = english_client(org.region, org.staff.user)
    answer = client.get("/api/v1/pay/history/")
    assert answer.status_code == 200
    assert answer.json()["years"] == [
        {"year": 2026, "predicate": "", "periods": [], "months_paid": 1, "earnings": 3_200_000,
         "deductions": 100_000, "net": 3_100_000},  # the undelivered rating and the computed run are not shown
        {"year": 2025, "predicate": "Baik", "periods": [{"period": "TW IV", "predicate": "Sangat Baik"}],
         "months_paid": 2, "earnings": 6_400_000, "deductions": 200_000, "net": 6_200_000}]
    page = client.get("/pay/history/")
    body = page.content.decode()
    assert page.status_code == 200 and body.count('data-testid="history-year"') == 2
    assert "TW IV: Sangat Baik" in body and "6.200.000" in body and "9.999.999" not in body
    assert "/pay/history/" in client.get("/pay/").content.decode()  # linked from My TPP


def test_hr_reads_the_annual_summary_per_unit_and_its_spreadsheet(org, years):
    client = english_client(org.region, org.hr)
    summary = client.get("/api/v1/pay/annual-summary/?year=2025").json()
    assert [(u["unit_name"], u["employees"], u["results"], u["net"]) for u in summary["units"]] == [
        ("Dinas Kesehatan", 1, 2, 6_200_000), ("Dinas Pendidikan", 1, 1, 2_500_000)]
    assert summary["totals"]["employees"] == 2 and summary["totals"]["net"] == 8_700_000
    page = client.get("/pay/annual/?year=2025")
    assert page.status_code == 200 and "8.700.000" in page.content.decode()
    assert client.get("/api/v1/pay/annual-summary/?year=abc").status_code == 400
    for url in ("/pay/annual/2025/export.xlsx", "/api/v1/pay/annual-summary/export/?year=2025"):
        response = client.get(url)
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
        assert rows[3][:2] == ["Dinas Kesehatan", 1] and rows[-1][0] == "JUMLAH" and rows[-1][-1] == 8_700_000
    # HR reads any employee's history
    assert client.get(f"/api/v1/pay/history/?employee={org.staff.pk}").json()["years"][1]["predicate"] == "Baik"
    assert client.get(f"/pay/history/{org.staff.pk}/").status_code == 200


def test_who_reads_whose_history_and_the_summary(org, years, region_b):
    # the supervisor sees the subordinate's appraisal, never their pay; a colleague of another unit neither
    for user in (org.chief.user, org.staff2.user, org.teacher.user, org.edu_head.user):
        client = english_client(org.region, user)
        assert client.get(f"/pay/history/{org.staff.pk}/").status_code == 404
        assert client.get(f"/api/v1/pay/history/?employee={org.staff.pk}").status_code == 404
        assert client.get("/pay/annual/").status_code == 403
        assert client.get("/pay/annual/2025/export.xlsx").status_code == 403
        assert client.get("/api/v1/pay/annual-summary/?year=2025").status_code == 403
    # one's own, by id too
    assert english_client(org.region, org.staff.user).get(f"/pay/history/{org.staff.pk}/").status_code == 200
    # region-wide readers read them
    for reader in (org.leadership, org.auditor):
        client = english_client(org.region, reader)
        assert client.get("/api/v1/pay/annual-summary/?year=2025").status_code == 200
        assert client.get(f"/pay/history/{org.staff.pk}/").status_code == 200
    # a login without an employee record has no history of its own
    assert english_client(org.region, org.hr).get("/pay/history/").status_code == 404
    # another region's HR sees its own (empty) region, not this one's people
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, username="hr-b")
    hr_b = english_client(region_b, other_hr)
    assert hr_b.get(f"/pay/history/{org.staff.pk}/").status_code == 404
    assert hr_b.get(f"/api/v1/pay/history/?employee={org.staff.pk}").status_code == 404
    assert hr_b.get("/api/v1/pay/annual-summary/?year=2025").json()["units"] == []


def test_the_history_and_the_summary_read_a_fixed_number_of_queries(org, years):
    from kinerja.pay import history
    from tests.helpers import assert_queries

    for month in (D(2024, 11, 1), D(2024, 12, 1)):
        paid(org.staff, month, 2_000_000)
        paid(org.teacher, month, 2_000_000)
    with assert_queries(2):
        assert [line.year for line in history.employee_years(org.staff)] == [2026, 2025, 2024]
    with assert_queries(2):
        assert len(history.annual_summary(2024)["units"]) == 2
