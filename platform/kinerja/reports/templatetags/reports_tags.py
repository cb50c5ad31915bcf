from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from kinerja.reports.selectors import Cell, NationalCell
from kinerja.reports.tables import Link

register = template.Library()


def _number(value) -> str:
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else (1 if abs(value) >= 100 else 2)
    return number_format(value, decimal_pos=places, force_grouping=True)


@register.filter
def report_value(value):
    """A table cell: "<5" for a hidden figure, grouped digits for numbers, a link for a Link."""
    if isinstance(value, Link):
        return format_html('<a href="{}">{}</a>', value.url, value.text)
    if isinstance(value, Cell):
        if value.suppressed:
            return format_html('<abbr class="hidden-figure" title="{}">&lt;5</abbr>',
                               _("Hidden: fewer than 5 people"))
        value = value.value
    if isinstance(value, NationalCell):
        value = value.value
    if value is None or value == "":
        return "—"
    if isinstance(value, (int, Decimal, float)) and not isinstance(value, bool):
        return _number(value)
    if hasattr(value, "strftime"):
        from django.utils import timezone

        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    return value


@register.filter
def is_numeric_column(index, table):
    return index >= table.numeric_from


@register.filter
def get_cell(sums, path):
    """sums|get_cell:"section|breakdown|key" → the national cell, or None."""
    return sums.get(tuple(path.split("|")))
