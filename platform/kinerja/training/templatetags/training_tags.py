"""Template helpers of the training pages, and the block appraisal pages can include to show an
employee's completed training as evidence: {% load training_tags %}{% completed_training employee year %}."""
from django import template

from kinerja.region import formats
from kinerja.training import selectors

register = template.Library()


@register.filter
def rp(value) -> str:
    """Whole rupiah the one way the platform writes it (`kinerja.region.formats`): Rp 1.500.000."""
    return formats.rupiah(value)


@register.inclusion_tag("training/_completed_training.html")
def completed_training(employee, year):
    """The employee's completed training in the year with JP against the region's target. The page
    that includes it has already decided that its user may see the employee."""
    records = selectors.completed_training_for(employee, int(year))
    return {"employee": employee, "year": year, "records": records, "total": sum(r.jp_hours for r in records),
            "target": selectors.jp_target()}
