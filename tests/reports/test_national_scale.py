"""What keeps the national pages and the refresh fast at 548 regions: national figures kept while the
snapshots stay the same (and recomputed as soon as they change), snapshots stored without one object per
figure, table lookups by name, and report tables rendered in one pass."""
import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.translation import override

from kinerja.reports import selectors, services
from kinerja.reports.collectors.base import CollectContext, schema_tables
from kinerja.reports.collectors import freshness
from kinerja.reports.models import NationalRollup, RegionSnapshot, SnapshotFigure
from kinerja.reports.privacy import count, measure, suppress
from kinerja.reports.tables import Table
from kinerja.reports.templatetags.reports_tags import report_value, table_body
from tenants.models import Region
from tests.helpers import capture_queries, in_region

pytestmark = pytest.mark.django_db


def region_with_snapshot(number: int, *, province: str = "Jawa Tengah", headcount: int = 100,
                         median: int = 10) -> Region:
    """A region row and a stored snapshot, without a schema: the national figures read snapshots only."""
    region = Region(schema_name=f"skala{number}", name=f"Kabupaten Skala {number}", kind="kabupaten",
                    region_code=f"34.{number:02d}", province=province, status="active")
    region.auto_create_schema = False
    region.save()
    save(region, headcount=headcount, median=median)
    return region


def save(region: Region, *, headcount: int, median: int = 10) -> RegionSnapshot:
    figures = suppress([count("headcount", "total", "employees", headcount, group=None),
                        count("headcount", "employee_type", "PNS", headcount - 3),
                        count("headcount", "employee_type", "PPPK", 3)])
    figures.append(measure("indicator", "", "headcount", median, base=headcount))
    return services.save_snapshot(region, run_id=None, sections={"people": {"available": True}}, details={},
                                  figures=figures)


def queries_of(function, *args):
    with capture_queries() as captured:
        result = function(*args)
    return result, captured.queries


def test_national_figures_are_kept_until_a_snapshot_changes(db):
    first = region_with_snapshot(1, headcount=100, median=10)
    region_with_snapshot(2, headcount=50, median=30)

    figures, cold = queries_of(selectors.national_figures)
    assert figures["sums"][("headcount", "total", "employees")].value == Decimal(150)
    assert figures["medians"]["headcount"] == Decimal("20.00")
    kept = NationalRollup.objects.get(filters="")

    again, warm = queries_of(selectors.national_figures)
    assert again == figures
    assert len(cold) == len(warm) == 1  # computing or reading the kept result: one query either way
    assert NationalRollup.objects.get(filters="").computed_at == kept.computed_at

    save(first, headcount=200, median=10)  # this month's snapshot replaced
    changed = selectors.national_figures()
    assert changed["sums"][("headcount", "total", "employees")].value == Decimal(250)
    assert NationalRollup.objects.get(filters="").signature != kept.signature


def test_a_region_moved_to_another_province_moves_its_headcount(db):
    moved = region_with_snapshot(1, province="Jawa Tengah", headcount=100)
    region_with_snapshot(2, province="Jawa Tengah", headcount=50)
    assert selectors.headcount_by_province() == [("Jawa Tengah", Decimal(150), 2)]
    Region.objects.filter(pk=moved.pk).update(province="Jawa Timur")
    assert selectors.headcount_by_province() == [("Jawa Tengah", Decimal(50), 1), ("Jawa Timur", Decimal(100), 1)]


def test_each_filter_keeps_its_own_figures(db):
    region_with_snapshot(1, province="Jawa Tengah", headcount=100)
    region_with_snapshot(2, province="Bali", headcount=50)
    bali = selectors.Filters(province="Bali")
    assert selectors.national_sums(bali)[("headcount", "total", "employees")].value == Decimal(50)
    assert selectors.national_sums()[("headcount", "total", "employees")].value == Decimal(150)
    assert set(NationalRollup.objects.values_list("filters", flat=True)) == {"", "province=Bali"}
    assert selectors.national_sums(bali)[("headcount", "total", "employees")].value == Decimal(50)


def test_hidden_figures_are_counted_as_hidden_nationally(db):
    region_with_snapshot(1, headcount=100)
    region_with_snapshot(2, headcount=50)
    pppk = selectors.national_sums()[("headcount", "employee_type", "PPPK")]
    assert (pppk.value, pppk.regions, pppk.hidden_in) == (Decimal(0), 0, 2)  # 3 people: hidden in both


def test_a_closed_refresh_run_stores_the_national_figures(region_a, population):
    run = services.refresh_in_process(regions=[region_a])
    assert run.status == "done"
    kept = NationalRollup.objects.get(filters="")
    headcount = next(cell for cell in kept.data["sums"] if cell[:3] == ["headcount", "total", "employees"])
    assert Decimal(str(headcount[3])) == Decimal(32)
    selectors.national_figures()
    assert NationalRollup.objects.get(filters="").computed_at == kept.computed_at  # read, not computed again


def test_replacing_this_months_snapshot_removes_its_figures_and_keeps_last_months(db):
    region = region_with_snapshot(1, headcount=100)
    last_month = RegionSnapshot.objects.get(region=region)
    RegionSnapshot.objects.filter(pk=last_month.pk).update(
        taken_at=timezone.now().replace(day=1) - datetime.timedelta(days=3))
    this_month = save(region, headcount=120)
    replaced = save(region, headcount=130)
    assert not RegionSnapshot.objects.filter(pk=this_month.pk).exists()
    assert not SnapshotFigure.objects.filter(snapshot_id=this_month.pk).exists()
    assert set(RegionSnapshot.objects.filter(region=region).values_list("pk", "is_current")) == {
        (last_month.pk, False), (replaced.pk, True)}
    stored = {(f.breakdown, f.key): (f.value, f.suppressed) for f in replaced.figures.all()}
    assert stored[("total", "employees")] == (Decimal(130), False)
    assert stored[("employee_type", "PPPK")] == (None, True)
    assert stored[("", "headcount")] == (Decimal(10), False)


def test_a_suppressed_figure_with_a_value_is_refused(db):
    region = region_with_snapshot(1)
    figure = count("headcount", "total", "employees", 3, group=None)
    figure.suppressed = True
    with pytest.raises(ValueError):
        services.save_snapshot(region, run_id=None, sections={}, details={}, figures=[figure])


def test_schema_tables_looks_up_the_wanted_tables_by_name(region_a):
    with connection.cursor() as cursor:
        found = schema_tables(region_a.schema_name, cursor, wanted=["people_employee", "no_such_table"])
        assert found == frozenset({"people_employee"})
        assert schema_tables("no_such_schema", cursor, wanted=["people_employee"]) is None
        assert "people_employee" in schema_tables(region_a.schema_name, cursor)


def test_freshness_takes_the_newest_change_of_each_module(region_a):
    with in_region(region_a):
        now = timezone.now()
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO audit_auditentry (at, actor_name, action, target_type, target_id, target_repr, "
                           "reason) VALUES (%s, '', 'x', 'people.unit', '1', '', ''), "
                           "(%s, '', 'x', 'people.employee', '1', '', ''), (%s, '', 'x', 'billing.invoice', '1', '', '')",
                           [now - datetime.timedelta(days=9), now - datetime.timedelta(days=2), now])
            context = CollectContext(region_a.schema_name, frozenset(), timezone.localdate(), cursor)
            collected = freshness.collect(context)
    days = {f.key: f.value for f in collected.figures}
    assert days["people"] < 5  # the employee's change two days ago, not the unit's nine days ago
    assert "billing" not in days and "billing" not in collected.details["last_change"]


def test_table_body_renders_cells_as_the_filter_does():
    table = Table("t", "T", ["Name", "Value", "Hidden"], numeric_from=1)
    table.rows = [["Kota <Uji>", Decimal("1234567"), selectors.Cell(None, True)],
                  ["Kabupaten", Decimal("12.5"), selectors.Cell(Decimal("3.25"))]]
    with override("en"):
        html = table_body(table)
        assert html == (
            f"<tr><td>Kota &lt;Uji&gt;</td><td class=\"num\">{report_value(Decimal('1234567'))}</td>"
            f"<td class=\"num\">{report_value(selectors.Cell(None, True))}</td></tr>\n"
            f"<tr><td>Kabupaten</td><td class=\"num\">{report_value(Decimal('12.5'))}</td>"
            f"<td class=\"num\">{report_value(selectors.Cell(Decimal('3.25')))}</td></tr>\n")
        assert "1,234,567" in html and "12.50" in html and "&lt;5" in html
    with override("id"):
        assert "1.234.567" in table_body(table)
    empty = Table("e", "E", ["A", "B"])
    with override("en"):
        assert table_body(empty) == '<tr><td colspan="2" class="muted">Nothing to show yet.</td></tr>'
