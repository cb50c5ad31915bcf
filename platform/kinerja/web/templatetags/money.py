"""Kept for templates that still `{% load money %}`: the filter is `kinerja.region.formats.rupiah`, which
every template has as a builtin anyway ("Rp 2.401.245")."""
from django import template

from kinerja.region import formats

register = template.Library()


@register.filter
def rupiah(value) -> str:
    return formats.rupiah(value)
