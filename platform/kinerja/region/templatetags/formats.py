"""The template side of `kinerja.region.formats`, a builtin of every template (settings.TEMPLATES), so
no page needs `{% load %}` for it:

    {{ amount|rupiah }}        Rp 1.234.567
    {{ value|number }}         1.234,5          {{ value|number:2 }}   1.234,50
    {{ share|percent }}        9,67%            {{ share|percent:1 }}  9,7%
    {{ day|day }}              2 Desember 2026  (a date, or a moment taken on its day in the region)
    {{ day|month }}            Desember 2026
    {{ moment|clock }}         14.05 WIB
    {{ moment|moment }}        2 Desember 2026, 14.05 WIB
    {{ start|day_range:end }}  2 – 5 Desember 2026

Django's own `date` and `time` filters stay for machine values (an <input type="date">'s Y-m-d)."""
from django import template

from kinerja.region import formats

register = template.Library()


@register.filter
def rupiah(value):
    return formats.rupiah(value)


@register.filter
def number(value, places=None):
    return formats.number(value, None if places in (None, "") else int(places))


@register.filter
def percent(value, places=None):
    return formats.percent(value, None if places in (None, "") else int(places))


@register.filter
def day(value):
    return formats.date(value)


@register.filter
def month(value):
    return formats.month(value)


@register.filter
def clock(value):
    return formats.time(value)


@register.filter
def moment(value):
    return formats.date_time(value)


@register.filter
def day_range(start, end):
    return formats.date_range(start, end)
