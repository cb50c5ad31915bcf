"""Charts carry their title and the same figures as a table, for whoever cannot read the drawing."""
from decimal import Decimal

from django.utils import translation

from kinerja.reports import charts


def test_a_bar_chart_has_its_title_and_a_table_of_its_figures():
    with translation.override("id"):
        html = str(charts.bar_chart("Pegawai per jenis unit", [("Dinas", 1234), ("Badan", None)],
                                    marker=("Median nasional", Decimal("12.5"))))
    assert "<figcaption>Pegawai per jenis unit</figcaption>" in html
    assert '<svg class="chart"' in html and 'aria-label="Pegawai per jenis unit"' in html
    table = html[html.index("<table"):]
    assert "<td>Dinas</td><td>1.234</td>" in table and "<td>Badan</td><td>&lt;5</td>" in table
    assert "<td>Median nasional</td><td>12,5</td>" in table
    assert "Angka-angkanya sebagai tabel" in html


def test_stacked_bars_and_lines_give_shares_and_periods_in_their_tables():
    with translation.override("en"):
        stacked = str(charts.stacked_bars("Predicates", [("2026", {"baik": 3, "kurang": 1})],
                                          [("baik", "Good"), ("kurang", "Poor")]))
        line = str(charts.line_chart("Share by period", ["Jan 2026", "Feb 2026"],
                                     [("baik", "Good", [Decimal("75"), None])]))
    assert "<th scope=\"col\">Good</th>" in stacked and "<td>2026</td><td>75%</td><td>25%</td>" in stacked
    assert "<td>Jan 2026</td><td>75%</td>" in line and "<td>Feb 2026</td><td>—</td>" in line
