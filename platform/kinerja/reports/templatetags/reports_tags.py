from decimal import Decimal

from django import template
from django.utils import numberformat
from django.utils.formats import get_format, number_format
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from kinerja.reports.selectors import Cell, NationalCell
from kinerja.reports.tables import Link
from kinerja.region import formats

register = template.Library()


def _number(value, separators=None) -> str:
    value = Decimal(value)
    places = 0 if value == value.to_integral_value() else (1 if abs(value) >= 100 else 2)
    if separators is None:
        return number_format(value, decimal_pos=places, force_grouping=True)
    decimal_sep, grouping, thousand_sep = separators
    return numberformat.format(value, decimal_sep, places, grouping, thousand_sep, force_grouping=True)


def _separators() -> tuple:
    """The active language's number format, read once for a whole table (number_format reads it per
    number)."""
    from django.utils.translation import get_language

    language = get_language()
    return (get_format("DECIMAL_SEPARATOR", language), get_format("NUMBER_GROUPING", language),
            get_format("THOUSAND_SEPARATOR", language))


@register.filter
def report_value(value, separators=None):
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
        return _number(value, separators if isinstance(separators, tuple) else None)
    if hasattr(value, "strftime"):
        return formats.date_time(value)
    return value


@register.filter
def is_numeric_column(index, table):
    return index >= table.numeric_from


@register.filter
def get_cell(sums, path):
    """sums|get_cell:"section|breakdown|key" → the national cell, or None."""
    return sums.get(tuple(path.split("|")))


@register.simple_tag
def table_body(table):
    """The rows of a report table. Built here rather than with nested template loops: the national
    overview's tables have about a thousand cells, and the template engine's per-node cost was most of the
    page's time."""
    if not table.rows:
        return format_html('<tr><td colspan="{}" class="muted">{}</td></tr>', len(table.headers),
                           _("Nothing to show yet."))
    numeric_from = table.numeric_from
    separators = _separators()
    parts = []
    for row in table.rows:
        parts.append("<tr>")
        for index, value in enumerate(row):
            parts.append('<td class="num">' if index >= numeric_from else "<td>")
            parts.append(conditional_escape(report_value(value, separators)))
            parts.append("</td>")
        parts.append("</tr>\n")
    return mark_safe("".join(parts))
