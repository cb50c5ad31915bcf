"""Rupiah as people read it: "Rp 2.401.245" (dots group thousands, as in Indonesia)."""
from django import template

register = template.Library()


@register.filter
def rupiah(value) -> str:
    if value is None or value == "":
        return "—"
    amount = int(value)  # money is whole rupiah throughout; a fraction here would be a bug upstream
    grouped = f"{abs(amount):,}".replace(",", ".")
    return f"-Rp {grouped}" if amount < 0 else f"Rp {grouped}"
