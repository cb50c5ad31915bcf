"""Who may read whose pay: an employee only their own released results (page and API), never a
colleague's, not even as supervisor or from another unit; another region's users reach nothing; only HR
manages runs. Query counts of list pages and endpoints stay bounded."""
import datetime

import pytest

from kinerja.accounts.models import Role
from tests.factories import make_employee, make_login, make_unit
from tests.helpers import assert_queries, capture_queries, client_for, host_of, in_region
from tests.pay.factories import computed_run, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)


@pytest.fixture
def paid(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    other_unit = make_unit("PAY-DISDIK", "Dinas Pendidikan")
    chief = make_employee(unit, "Kepala Seksi", position_class=9)
    staff = make_employee(unit, "Staf", position_class=7, supervisor=chief)
    colleague = make_employee(unit, "Rekan", position_class=7, supervisor=chief)
    other_chief = make_employee(other_unit, "Kepala Lain", position_class=9)
    make_employee(other_unit, "Bawahan Lain", position_class=6, supervisor=other_chief)
    run = computed_run(MARCH, hr, approve_with=checker)
    results = {e.pk: run.results.get(employee=e).pk for e in (chief, staff, colleague, other_chief)}
    return {"run": run, "chief": chief, "staff": staff, "colleague": colleague, "other_chief": other_chief,
            "results": results, "region": in_a, "hr": hr}


def test_employee_reads_only_their_own_pay(paid):
    staff, region = paid["staff"], paid["region"]
    client = client_for(region, staff.user)
    own, colleague = paid["results"][staff.pk], paid["results"][paid["colleague"].pk]
    assert client.get(f"/pay/results/{own}/").status_code == 200
    assert client.get(f"/pay/results/{colleague}/").status_code == 404
    assert client.get(f"/pay/results/{colleague}/payslip.pdf").status_code == 404
    assert client.get(f"/api/v1/pay-results/{own}/").json()["nip"] == staff.nip
    assert client.get(f"/api/v1/pay-results/{colleague}/").status_code == 404
    listed = client.get("/api/v1/pay-results/").json()["results"]
    assert [row["nip"] for row in listed] == [staff.nip]
    assert client.get(f"/pay/runs/{paid['run'].pk}/").status_code == 403
    assert client.get(f"/api/v1/pay-runs/{paid['run'].pk}/results/").status_code == 403


@pytest.mark.parametrize("who", ["chief", "other_chief"])
def test_a_supervisor_does_not_read_subordinates_or_another_units_pay(paid, who):
    client = client_for(paid["region"], paid[who].user)
    staff_result = paid["results"][paid["staff"].pk]
    assert client.get(f"/pay/results/{staff_result}/").status_code == 404
    assert client.get(f"/api/v1/pay-results/{staff_result}/explanation/").status_code == 404


def test_nothing_is_shown_to_the_employee_before_approval(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    staff = make_employee(unit, "Staf", position_class=7)
    run = computed_run(MARCH, hr)
    result = run.results.get(employee=staff)
    client = client_for(in_a, staff.user)
    assert client.get(f"/pay/results/{result.pk}/").status_code == 404
    assert client.get("/api/v1/pay-results/").json()["results"] == []


def test_another_regions_users_reach_nothing(paid, region_b):
    with in_region(region_b):
        hr_b = make_login(Role.HR_ADMIN, "pay-hr-b")
    crossed = client_for(region_b, hr_b)
    crossed.defaults["HTTP_HOST"] = host_of(paid["region"])
    response = crossed.get(f"/pay/runs/{paid['run'].pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    own = client_for(region_b, hr_b)
    assert own.get(f"/pay/runs/{paid['run'].pk}/").status_code == 404
    assert own.get(f"/api/v1/pay-results/{paid['results'][paid['staff'].pk]}/").status_code == 404


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.LEADERSHIP, Role.AUDITOR])
def test_only_hr_acts_on_runs(paid, role):
    with in_region(paid["region"]):
        user = make_login(role)
    client = client_for(paid["region"], user)
    assert client.post(f"/api/v1/pay-runs/{paid['run'].pk}/lock/").status_code in (403, 404)
    assert client.post("/api/v1/pay-runs/", {"month": "2025-05"}).status_code == 403
    assert client.post(f"/pay/runs/{paid['run'].pk}/lock/").status_code == 403
    assert client.get("/pay/attendance/").status_code == 403


def test_readers_see_runs_and_hr_approves_through_the_api(paid, checker):
    with in_region(paid["region"]):
        auditor = make_login(Role.AUDITOR)
    assert client_for(paid["region"], auditor).get(f"/pay/runs/{paid['run'].pk}/").status_code == 200
    response = client_for(paid["region"], paid["hr"]).post(f"/api/v1/pay-runs/{paid['run'].pk}/lock/")
    assert response.status_code == 200 and response.json()["status"] == "locked"
    again = client_for(paid["region"], checker).post(f"/api/v1/pay-runs/{paid['run'].pk}/reset/", {"reason": "x"})
    assert again.status_code == 400


def test_list_pages_and_endpoints_do_not_grow_with_employees(in_a, hr, unit):
    """Counted with 3 employees, then with 13: the same number of queries."""
    from kinerja.pay import services

    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    for n in range(3):
        make_employee(unit, f"Awal {n}")
    run = computed_run(MARCH, hr)
    urls = [f"/pay/runs/{run.pk}/", f"/api/v1/pay-runs/{run.pk}/results/", "/api/v1/pay-results/",
            f"/pay/runs/{run.pk}/export/register.xlsx", "/pay/"]
    client = client_for(in_a, hr)

    def counts():
        found = []
        for url in urls:
            with capture_queries() as queries:
                assert client.get(url).status_code == 200, url
            found.append(len(queries))
        return found

    few = counts()
    with in_region(in_a):
        services.reset_run(run, actor=hr, reason="more staff")
        for n in range(10):
            make_employee(unit, f"Tambahan {n}")
        services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
        services.compute_run(run.pk)
    assert counts() == few
    # the run's input changes since computing (separation of duties): one query; the month-on-month
    # comparison: the region's thresholds and the month before (none here): two
    with assert_queries(11):
        client.get(f"/pay/runs/{run.pk}/")
