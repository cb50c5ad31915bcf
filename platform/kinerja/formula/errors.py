"""The one error type of the formula language, and translation that works with or without Django set up."""
from __future__ import annotations

from django.apps import apps
from django.utils.translation import gettext as _django_gettext


def _(message: str) -> str:
    """Translate when Django is ready; a plain script (the benchmark) gets the English source text."""
    if not apps.ready:
        return message
    return _django_gettext(message)


class FormulaError(ValueError):
    """A formula that cannot be compiled or evaluated.

    ``message`` is the reason (translated), ``position`` the 0-based offset in the formula's source (None
    when the problem is not at one place, such as a missing input), ``component`` the component's name
    (None for a lone expression) and ``code`` a stable machine-readable kind (``syntax``, ``unknown_name``,
    ``limit``, ``division_by_zero``, ``cycle``, ``input``, ``table``, ``arithmetic``, ``definition``)."""

    def __init__(self, message: str, position: int | None = None, component: str | None = None,
                 code: str = "syntax") -> None:
        super().__init__(message)
        self.message = message
        self.position = position
        self.component = component
        self.code = code

    def __str__(self) -> str:
        where = []
        if self.component is not None:
            where.append(self.component)
        if self.position is not None:
            where.append(_("position %(position)s") % {"position": self.position})
        if not where:
            return self.message
        return "%s: %s" % (", ".join(where), self.message)

    def as_dict(self) -> dict[str, object]:
        """For API responses and stored validation results."""
        return {"message": self.message, "position": self.position, "component": self.component,
                "code": self.code}

    def __repr__(self) -> str:
        return "FormulaError(%r, position=%r, component=%r, code=%r)" % (
            self.message, self.position, self.component, self.code)

    def __reduce__(self):
        return (type(self), (self.message, self.position, self.component, self.code))
