"""The one way money, numbers, dates and times are written (kinerja.region.formats), in Python and in
templates, with the region's time zone."""
import datetime
import re
from pathlib import Path
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.utils import translation

from kinerja.region import formats
from tests.helpers import in_region

UTC = datetime.timezone.utc
MOMENT = datetime.datetime(2026, 12, 2, 7, 5, tzinfo=UTC)  # 14.05 in Jakarta, 15.05 in Makassar


def test_money_is_whole_rupiah_with_dots_in_every_language():
    for language in ("id", "en"):
        assert formats.rupiah(1234567, language) == "Rp 1.234.567"
    assert formats.rupiah(0) == "Rp 0"
    assert formats.rupiah(-7500000) == "-Rp 7.500.000"
    assert formats.rupiah(Decimal("3672000.5")) == "Rp 3.672.001"  # half up, as every rounding of money
    assert formats.rupiah("958249558") == "Rp 958.249.558"
    assert formats.rupiah(None) == formats.rupiah("") == "—"


def test_numbers_and_percentages_follow_the_language():
    assert formats.number(1234567, language="id") == "1.234.567"
    assert formats.number(1234567, language="en") == "1,234,567"
    assert formats.number(Decimal("1234.5"), language="id") == "1.234,5"
    assert formats.number(2.0, language="id") == "2"
    assert formats.number(Decimal("4.125"), 2, language="id") == "4,13"
    assert formats.number(3, 1, language="id") == "3,0"
    assert formats.number(-1234.5, language="id") == "-1.234,5"
    assert formats.percent(Decimal("9.666"), language="id") == "9,67%"
    assert formats.percent(Decimal("9.666"), 1, language="en") == "9.7%"
    assert formats.number(None) == formats.percent(None) == "—"
    assert formats.number(float("nan")) == "—"
    assert formats.number("n/a") == "n/a"


def test_dates_and_months_in_words():
    day = datetime.date(2026, 12, 2)
    assert formats.date(day, "id") == "2 Desember 2026"
    assert formats.date(day, "en") == "2 December 2026"
    assert formats.date("2026-03-01", "id") == "1 Maret 2026"
    assert formats.month(day, "id") == "Desember 2026"
    assert formats.month("2026-10", "en") == "October 2026"
    assert formats.date_range(day, datetime.date(2026, 12, 5), "id") == "2 – 5 Desember 2026"
    assert formats.date_range(day, datetime.date(2027, 1, 5), "id") == "2 Desember 2026 – 5 Januari 2027"
    assert formats.date(None) == "—"


def test_the_active_language_is_the_default():
    with translation.override("en"):
        assert formats.month(datetime.date(2026, 5, 1)) == "May 2026"
    with translation.override("id"):
        assert formats.month(datetime.date(2026, 5, 1)) == "Mei 2026"


@pytest.mark.django_db
def test_moments_are_shown_in_the_regions_zone_with_its_name(region_a):
    connection.set_tenant(region_a)  # as the middleware does: the zone is read from the region served
    assert formats.time(MOMENT, "id") == "14.05 WIB"
    assert formats.time(MOMENT, "en") == "14:05 WIB"
    assert formats.date_time(MOMENT, "id") == "2 Desember 2026, 14.05 WIB"
    region_a.time_zone = "Asia/Makassar"
    assert formats.date_time(MOMENT, "id") == "2 Desember 2026, 15.05 WITA"
    region_a.time_zone = "Asia/Jayapura"
    # 16.05 WIT; late in the evening UTC is already the next day in Papua
    assert formats.time(MOMENT, "id") == "16.05 WIT"
    assert formats.date(datetime.datetime(2026, 12, 2, 20, 0, tzinfo=UTC), "id") == "3 Desember 2026"
    assert formats.time(datetime.time(7, 30), "id") == "07.30"


@pytest.mark.django_db
def test_templates_have_the_filters_without_loading_anything(region_a):
    template = Template("{{ a|rupiah }} | {{ n|number }} | {{ p|percent }} | {{ d|day }} | {{ d|month }} | "
                        "{{ m|clock }} | {{ m|moment }} | {{ d|day_range:e }} | {{ x|rupiah }}")
    context = Context({"a": 1234567, "n": 1234.5, "p": Decimal("9.666"), "d": datetime.date(2026, 12, 2),
                       "e": datetime.date(2026, 12, 5), "m": MOMENT, "x": None})
    with in_region(region_a), translation.override("id"):
        assert template.render(context) == ("Rp 1.234.567 | 1.234,5 | 9,67% | 2 Desember 2026 | Desember 2026 | "
                                            "14.05 WIB | 2 Desember 2026, 14.05 WIB | 2 – 5 Desember 2026 | —")


def test_the_older_filter_libraries_write_money_the_same_way():
    for library in ("money", "billing"):
        assert Template("{% load " + library + " %}{{ a|rupiah }}").render(Context({"a": 7500000})) == "Rp 7.500.000"
    assert Template("{% load training_tags %}{{ a|rp }}").render(Context({"a": 7500000})) == "Rp 7.500.000"


DISPLAY_FORMAT = re.compile(r"\|(?:date|time|floatformat)\b")


def test_templates_show_dates_times_and_numbers_only_through_the_region_formats():
    """Django's `date`, `time` and `floatformat` filters are for machine values inside a tag (an input's
    Y-m-d, a link's ?month=); text a person reads goes through |day, |clock, |moment, |number."""
    root = Path(__file__).resolve().parents[2]
    found = []
    for path in [p for folder in ("platform", "tenants") for p in (root / folder).rglob("templates/**/*.html")]:
        text = path.read_text()
        for match in DISPLAY_FORMAT.finditer(text):
            inside_a_tag = text.rfind("<", 0, match.start()) > text.rfind(">", 0, match.start())
            if not inside_a_tag:
                found.append(f"{path.relative_to(root)}: {text[max(0, match.start() - 40):match.end() + 12]!r}")
    assert found == []
