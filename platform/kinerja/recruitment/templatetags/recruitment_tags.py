"""Template helpers of the recruitment pages."""
from decimal import Decimal, InvalidOperation

from django import template

from kinerja.recruitment import rules

register = template.Library()


@register.filter
def in_order(scores, names):
    """A candidate's component scores in the stage's component order: scores are stored as JSON objects,
    whose key order the database does not keep."""
    scores = scores or {}
    return [scores.get(name, "") for name in names]


@register.filter
def weight(value):
    """A component weight as a percentage people read: 27.27, 60 (plugins may give 27.2727...)."""
    try:
        return rules.plain(Decimal(str(value)).quantize(Decimal("0.01")))
    except (InvalidOperation, ValueError):
        return value
