from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    """Whole rupiah with dots between thousands, as written in Indonesia: Rp1.250.000."""
    if value is None or value == "":
        return ""
    return "Rp" + f"{int(value):,}".replace(",", ".")
