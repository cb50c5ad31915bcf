"""{% load audit_tags %}{% with d=entry|described %}{{ d.sentence }}{% endwith %}: audit entries in words."""
from django import template

from kinerja.audit.describe import describe, record_kind

register = template.Library()


@register.filter
def described(entry):
    return describe(entry)


@register.filter
def record_type_label(target_type):
    return record_kind(target_type)
