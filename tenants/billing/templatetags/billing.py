from django import template

from kinerja.region import formats

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """Whole rupiah the one way the platform writes it (`kinerja.region.formats`): Rp 1.250.000."""
    return formats.rupiah(value)
