"""Charts carry their title and the same figures as a table, for whoever cannot read the drawing."""
from decimal import Decimal

from django.utils import translation

from kinerja import charts


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


def test_axes_are_named_and_read_in_the_pages_language():
    with translation.override("id"):
        bars = str(charts.bar_chart("Pegawai per provinsi", [("Jambi", 10)], axis="Pegawai yang bertugas"))
        line = str(charts.line_chart("Tren", ["2025", "2026"], [("baik", "Baik", [Decimal("60"), Decimal("66.5")])],
                                     x_title="Periode penilaian", y_title="Bagian dari yang dinilai (%)"))
        stacked = str(charts.stacked_bars("Predikat", [("2026", {"baik": 3})], [("baik", "Baik")]))
    assert 'font-weight="bold" text-anchor="middle">Pegawai yang bertugas</text>' in bars
    assert ">Periode penilaian</text>" in line and 'rotate(-90' in line and ">Bagian dari yang dinilai (%)</text>" in line
    assert "<th scope=\"col\">Periode penilaian</th>" in line and "<td>2026</td><td>66,5%</td>" in line
    assert ">Bagian dari jumlah baris (%)</text>" in stacked


def test_a_curve_chart_marks_single_limits_and_lists_grouped_ones():
    from kinerja.appraisal.selectors import CurveLine

    lines = [CurveLine("at_most", ["sangat_baik"], Decimal("70"), 8, Decimal("80"), False),
             CurveLine("some", ["butuh_perbaikan", "kurang"], Decimal("0"), 1, Decimal("10"), True)]
    rows = [("sangat_baik", "Sangat Baik", 8), ("baik", "Baik", 1), ("butuh_perbaikan", "Butuh Perbaikan", 1)]
    with translation.override("en"):
        html = str(charts.curve_chart("Team", rows, lines))
    assert html.count('stroke-dasharray="3 2"') == 1 and 'stroke="#c9302c"' in html  # the broken 70% mark
    assert "✓ at least one Butuh Perbaikan + Kurang: 1 (10%)" in html
    assert "<td>Sangat Baik</td><td>8</td><td>80%</td>" in html
    assert "<td>at most 70% Sangat Baik: 8 (80%)</td><td>broken</td>" in html
