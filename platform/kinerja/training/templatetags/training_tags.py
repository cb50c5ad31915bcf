"""Template helpers of the training pages, and the block appraisal pages can include to show an
employee's completed training as evidence: {% load training_tags %}{% completed_training employee year %}."""
from django import template

from kinerja.training import selectors

register = template.Library()


@register.filter
def rp(value) -> str:
    """Whole rupiah with dots between thousands, as Indonesians write it: Rp1.500.000."""
    try:
        amount = int(value)
    except (TypeError, ValueError):
        return ""
    text = f"{abs(amount):,}".replace(",", ".")
    return f"-Rp{text}" if amount < 0 else f"Rp{text}"


@register.inclusion_tag("training/_completed_training.html")
def completed_training(employee, year):
    """The employee's completed training in the year with JP against the region's target. The page
    that includes it has already decided that its user may see the employee."""
    records = selectors.completed_training_for(employee, int(year))
    return {"employee": employee, "year": year, "records": records, "total": sum(r.jp_hours for r in records),
            "target": selectors.jp_target()}
