"""{{ text|plugin_text:module }}: a plugin's own text in the reader's language (`kinerja.plugins.catalogues`)."""
from django import template

from kinerja.plugins.catalogues import plugin_text as translate

register = template.Library()


@register.filter
def plugin_text(text, module):
    return translate(module or "", text or "")
