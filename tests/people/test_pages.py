"""People pages for each role, the import flow through the browser forms, and query counts."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from kinerja.accounts.models import Role
from kinerja.people.models import Employee, ImportBatch
from tests.helpers import assert_queries, capture_queries, client_for, in_region, make_user
from tests.people.conftest import NIP_ANDI, NIP_SARI, csv_file
from tests.people.test_imports import GOOD_ROWS, HEADER

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR])
def test_region_readers_get_every_people_page(org, role):
    client = client_for(org.region, make_user(org.region, role))
    units = client.get("/people/units/")
    assert units.status_code == 200 and "Puskesmas Mandiangin" in units.content.decode()
    employees = client.get("/people/employees/")
    assert employees.status_code == 200 and employees.content.decode().count('href="/people/employees/') >= 5
    detail = client.get(f"/people/employees/{org.sari.pk}/")
    assert detail.status_code == 200 and NIP_SARI in detail.content.decode()
    assert ("export-link" in employees.content.decode()) == (role == Role.HR_ADMIN)


def test_employee_and_supervisor_pages(org, logins):
    rina = client_for(org.region, logins.rina)
    assert rina.get(f"/people/employees/{org.rina.pk}/").status_code == 200
    sari = client_for(org.region, logins.sari)
    page = sari.get("/people/employees/").content.decode()
    # Budi is Sari's supervisor, so his name shows in her row; he is not a row of his own.
    assert "199207202023213005" in page and NIP_SARI in page and "197506122000031001" not in page


def test_employee_list_filters(org):
    client = client_for(org.region, org.hr)

    def listed(**params):
        html = client.get("/people/employees/", params).content.decode()
        return {nip for nip in (NIP_ANDI, NIP_SARI, "197506122000031001", "199207202023213005",
                                "197902282003122001") if nip in html}

    assert listed(unit="DINKES") == {"197506122000031001", NIP_SARI, "199207202023213005"}
    assert listed(unit="DINKES", subunits="0") == {"197506122000031001"}
    assert listed(type="PPPK") == {"199207202023213005"}
    assert listed(q="andi") == {NIP_ANDI}
    assert listed(q="19881102") == {NIP_SARI}
    with in_region(org.region):
        from kinerja.people import services
        services.update_employee(org.andi, actor=org.hr, status="retired")
    assert listed(status="retired") == {NIP_ANDI}


def test_filters_answer_htmx_with_the_table_only(org):
    client = client_for(org.region, org.hr)
    response = client.get("/people/employees/", {"type": "PPPK"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<div class="table-scroll"><table') and "<html" not in html and "Rina Marlina" in html


def test_import_flow_through_the_pages(org):
    client = client_for(org.region, org.hr)
    assert client.get("/people/imports/").status_code == 200
    response = client.post("/people/imports/", {"kind": "employees", "file": csv_file([HEADER, *GOOD_ROWS])})
    assert response.status_code == 302
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="import-plan"' in detail and 'data-testid="apply-form"' in detail
    assert "Hendra Gunawan" in detail
    with in_region(org.region):
        batch = ImportBatch.objects.get()
    applied = client.post(f"/people/imports/{batch.pk}/apply/", follow=True).content.decode()
    assert 'data-testid="apply-form"' not in applied
    with in_region(org.region):
        assert Employee.objects.filter(full_name="Hendra Gunawan").exists()
    again = client.post(f"/people/imports/{batch.pk}/apply/", follow=True)
    assert again.status_code == 200
    with in_region(org.region):
        assert Employee.objects.filter(full_name="Hendra Gunawan").count() == 1
    history = client.get("/people/imports/").content.decode()
    assert "pegawai.csv" in history


def test_import_errors_are_shown_as_a_table(org):
    client = client_for(org.region, org.hr)
    bad = GOOD_ROWS[0].replace("DINKES", "DINSOS")
    response = client.post("/people/imports/", {"kind": "employees", "file": csv_file([HEADER, bad])}, follow=True)
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html and "DINSOS" in html and 'data-testid="apply-form"' not in html


def test_apply_needs_post(org):
    client = client_for(org.region, org.hr)
    client.post("/people/imports/", {"kind": "employees", "file": csv_file([HEADER, *GOOD_ROWS])})
    with in_region(org.region):
        batch = ImportBatch.objects.get()
    assert client.get(f"/people/imports/{batch.pk}/apply/").status_code == 405


def test_export_link_downloads_the_filtered_list(org):
    client = client_for(org.region, org.hr)
    response = client.get("/people/employees/export.xlsx", {"unit": "DISDIK"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {row[0] for row in rows[1:]} == {"197902282003122001", NIP_ANDI}
    template = client.get("/people/imports/template/units.xlsx")
    assert template.status_code == 200
    assert list(load_workbook(io.BytesIO(template.content)).active.iter_rows(values_only=True)) == [
        ("KODE_UNIT", "NAMA_UNIT", "JENIS", "TIPE", "KODE_INDUK")]


def _add_staff(org, count):
    with in_region(org.region):
        Employee.objects.bulk_create([
            Employee(nip=f"1990010120150{i:02d}1{i:03d}"[:18].ljust(18, "1"), employee_type="PNS",
                     full_name=f"Staf {i:03d}", gender="M", birth_date=datetime.date(1990, 1, 1), rank="II/c",
                     unit=org.puskesmas, position=org.clerk, supervisor=org.sari)
            for i in range(1, count + 1)])


def _count_queries(client, url, **params):
    with capture_queries() as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def _people_queries(client, url, **params) -> list[str]:
    """The queries on people tables: what this app adds to the page, whatever the layout around it costs."""
    with capture_queries() as queries:
        assert client.get(url, params).status_code == 200
    return [sql for sql in queries if '"people_' in sql]


def test_employee_list_page_queries_do_not_grow_with_rows(org):
    client = client_for(org.region, org.hr)
    few = _count_queries(client, "/people/employees/")
    _add_staff(org, 40)
    assert _count_queries(client, "/people/employees/") == few
    # unit filter, count, unit choices, the page of employees with their unit, position and supervisor
    assert len(_people_queries(client, "/people/employees/", unit="DINKES")) == 4
    with assert_queries(8):  # with host, session, user and the layout's own queries
        client.get("/people/employees/", {"unit": "DINKES"})


def test_api_list_queries_do_not_grow_with_rows(org):
    client = client_for(org.region, org.hr)
    few = _count_queries(client, "/api/v1/employees/")
    _add_staff(org, 40)
    assert _count_queries(client, "/api/v1/employees/") == few
    assert len(_people_queries(client, "/api/v1/employees/")) == 2  # count and page
    assert len(_people_queries(client, "/api/v1/units/")) == 2
    with assert_queries(5):
        client.get("/api/v1/employees/")


def test_supervisor_list_queries_do_not_grow_with_reports(org, logins):
    client = client_for(org.region, logins.sari)
    few = _count_queries(client, "/people/employees/")
    _add_staff(org, 40)
    assert _count_queries(client, "/people/employees/") == few
