"""Services refuse with Django's ValidationError; pages show the refusal in one way everywhere: on the form
field it names, or as a message naming the field when the page has no such input."""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


def problems_by_field(error: ValidationError) -> list[tuple[str, list[str]]]:
    if hasattr(error, "error_dict"):
        return list(error.message_dict.items())
    return [(NON_FIELD_ERRORS, list(error.messages))]


def _worded(key: str, problem: str, unprefixed: tuple[str, ...]) -> str:
    return problem if key == NON_FIELD_ERRORS or key in unprefixed else f"{key}: {problem}"


def add_to_form(form, error: ValidationError, *, aliases: dict[str, str] | None = None,
                unprefixed: tuple[str, ...] = ()) -> None:
    """Each problem on the input it names (through `aliases` when the service's name differs from the
    form's), the rest at the top of the form."""
    aliases = aliases or {}
    for key, problems in problems_by_field(error):
        field = aliases.get(key, key)
        for problem in problems:
            if field in form.fields:
                form.add_error(field, problem)
            else:
                form.add_error(None, _worded(key, problem, unprefixed))


def worded(error: ValidationError) -> list[str]:
    """The refusal as sentences, for a page without a form to put them on."""
    return [_worded(key, problem, ()) for key, problems in problems_by_field(error) for problem in problems]


def flash(request, error: ValidationError) -> None:
    for sentence in worded(error):
        messages.error(request, sentence)
