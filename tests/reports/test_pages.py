"""National pages, filters, comparisons, trends and exports: the figures they show and their query budgets."""
import csv
import io

import pytest
from openpyxl import load_workbook

from kinerja.accounts.models import Role
from kinerja.reports import services
from kinerja.reports.privacy import count, measure, suppress
from tenants.models import Region
from tests.helpers import assert_queries, capture_queries, english_client, make_user

pytestmark = pytest.mark.django_db


def fake_region(number: int, province: str = "Jawa Tengah", headcount: int = 100) -> Region:
    """A region row with a stored snapshot and no schema: enough for pages that read snapshots only."""
    region = Region(schema_name=f"uji{number}", name=f"Kabupaten Uji {number}", kind="kabupaten",
                    region_code=f"33.{number:02d}", province=province, status="active")
    region.auto_create_schema = False
    region.save()
    figures = suppress([count("headcount", "total", "employees", headcount, group=None),
                        count("headcount", "employee_type", "PNS", headcount - 10),
                        count("headcount", "employee_type", "PPPK", 10),
                        count("predicates", "2025", "baik", headcount, group=None),
                        count("predicates", "2025", "rated", headcount, group=None)])
    figures.append(measure("indicator", "", "headcount", headcount, base=headcount))
    figures[-1].suppressed = False
    services.save_snapshot(region, run_id=None, sections={"people": {"available": True}}, details={},
                           figures=figures)
    return region


@pytest.fixture
def snapshots(region_a, region_b, population):
    services.take_snapshot(region_a)
    services.take_snapshot(region_b)


def test_overview_shows_national_sums_and_filters_by_province(snapshots, bkn_user):
    fake_region(1, headcount=100)
    client = english_client(None, bkn_user)
    data = client.get("/api/v1/reports/overview/").json()
    national = {(c["section"], c["breakdown"], c["key"]): c for c in data["national"]}
    assert national[("headcount", "total", "employees")]["value"] == 132  # 32 + 0 + 100
    # PPPK is hidden in Bukittinggi (3 people) and shown in the test region (10).
    assert national[("headcount", "employee_type", "PPPK")] == {
        "section": "headcount", "breakdown": "employee_type", "key": "PPPK", "value": 10, "regions": 1, "hidden_in": 1}
    assert data["regions"]["reporting"] == 3
    west_sumatra = client.get("/api/v1/reports/overview/?province=Sumatera Barat").json()
    assert west_sumatra["regions"] == {"total": 1, "reporting": 1}
    page = client.get("/bkn/?province=Sumatera+Barat").content.decode()
    assert "Kota Bukittinggi" in page and "Kabupaten Uji 1" not in page
    assert "<svg" in page
    by_kind = client.get("/api/v1/reports/regions/?kind=kota").json()
    assert [r["slug"] for r in by_kind["results"]] == ["bukittinggi"]


def test_overview_page_and_api_keep_their_query_count_as_regions_grow(snapshots, bkn_user):
    client = english_client(None, bkn_user)
    client.get("/bkn/")

    def queries(url):
        with capture_queries() as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = {url: queries(url) for url in ("/bkn/", "/api/v1/reports/regions/", "/bkn/trends/")}
    for number in range(1, 6):
        fake_region(number)
    after = {url: queries(url) for url in before}
    assert after == before
    assert after == {"/bkn/": 10, "/api/v1/reports/regions/": 6, "/bkn/trends/": 5}


def test_region_drill_down_query_budget(snapshots, bkn_user):
    client = english_client(None, bkn_user)
    with assert_queries(8):
        assert client.get("/bkn/regions/bukittinggi/").status_code == 200


def test_compare_lines_regions_up_against_the_national_median(snapshots, bkn_user):
    fake_region(1, headcount=100)
    client = english_client(None, bkn_user)
    data = client.get("/api/v1/reports/compare/?region=bukittinggi&region=uji1").json()
    assert [r["slug"] for r in data["regions"]] == ["uji1", "bukittinggi"] or \
        {r["slug"] for r in data["regions"]} == {"uji1", "bukittinggi"}
    headcounts = {r["slug"]: r["indicators"]["headcount"]["value"] for r in data["regions"]}
    assert headcounts == {"bukittinggi": 32, "uji1": 100}
    # batanghari has no staff: its headcount 0 counts in the median of 0, 32, 100.
    assert data["national_medians"]["headcount"] == 32
    page = client.get("/bkn/compare/?region=bukittinggi&region=uji1").content.decode()
    assert page.count("<svg") >= 1 and "National median" in page


def test_trends_line_up_periods(snapshots, bkn_user):
    data = english_client(None, bkn_user).get("/api/v1/reports/trends/").json()
    periods = {row["period"]: row for row in data}
    assert list(periods) == ["2025-Q1", "2025"]
    # every Q1 rating was Baik, so the region hid the whole breakdown: nothing of it is summed
    assert periods["2025-Q1"]["rated"] == 32 and periods["2025-Q1"]["counts"]["baik"] == 0
    assert periods["2025"]["counts"]["sangat_baik"] == 10
    page = english_client(None, bkn_user).get("/bkn/trends/").content.decode()
    assert "<figcaption>Share of each predicate by period, 2025-Q1 to 2025</figcaption>" in page
    assert ">Appraisal period</text>" in page and ">Share of those rated (%)</text>" in page


def test_monthly_periods_stand_for_quarters_only_at_quarter_end():
    from kinerja.reports.selectors import trend_key

    assert trend_key("2025-M03") == "2025-Q1" and trend_key("2025-M12") == "2025-Q4"
    assert trend_key("2025-M02") is None
    assert trend_key("2025-Q2") == "2025-Q2" and trend_key("2025") == "2025"


def test_exports_hold_the_pages_tables_with_hidden_figures_as_less_than_five(snapshots, bkn_user):
    client = english_client(None, bkn_user)
    workbook = load_workbook(io.BytesIO(client.get("/bkn/export/overview.xlsx").content))
    assert {"Regions", "Headcount", "Headcount by province"} <= set(workbook.sheetnames)
    regions = list(workbook["Regions"].values)
    assert regions[0][:4] == ("Region", "Province", "Kind", "Snapshot taken")
    assert any(row[0] == "Kota Bukittinggi" for row in regions)
    figures = client.get("/bkn/regions/bukittinggi/export.csv?table=figures")
    rows = list(csv.reader(io.StringIO(figures.content.decode("utf-8-sig"))))
    assert rows[0] == ["Section", "Breakdown", "Group", "Value"]
    by_group = {(r[1], r[2]): r[3] for r in rows[1:] if r[0] == "Headcount"}
    assert by_group[("Employee type", "Contract civil servant (PPPK)")] == "<5"
    assert by_group[("Total", "Employees")] == "32"
    assert client.get("/bkn/export/trends.csv").status_code == 200
    assert client.get("/bkn/export/compare.xlsx?region=bukittinggi").status_code == 200
    assert client.get("/bkn/export/overview.pdf").status_code == 404
    assert client.get("/bkn/export/overview.csv?table=nothing").status_code == 404


def test_region_page_shows_its_snapshot_against_the_national_median(snapshots, region_a):
    client = english_client(region_a, make_user(region_a, Role.HR_ADMIN))
    page = client.get("/reports/").content.decode()
    assert "Serving staff" in page and "National median" in page and "<svg" in page
    workbook = load_workbook(io.BytesIO(client.get("/reports/export.xlsx").content))
    indicators = list(workbook["Key indicators"].values)
    assert indicators[0] == ("Indicator", "Kota Bukittinggi", "National median")
    assert indicators[1][1] == 32
