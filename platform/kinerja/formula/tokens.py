"""Tokenizer: turns formula text into tokens, refusing anything outside the language with its position."""
from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext_noop

from kinerja.formula.errors import FormulaError, _
from kinerja.formula.limits import Limits

NUMBER, NAME, TEXT, OPERATOR, END = "number", "name", "text", "operator", "end"

KEYWORDS = frozenset({"and", "or", "not"})
FUNCTIONS = frozenset({"min", "max", "round", "floor", "ceil", "abs", "if", "lookup"})
RESERVED = KEYWORDS | FUNCTIONS

NAME_PATTERN = re.compile(r"[a-z_][a-z0-9_]*\Z", re.ASCII)

# Every alternative is a simple character class run: linear time, no backtracking to exploit.
_TOKEN = re.compile(r"""
    (?P<space>[ \t\r\n]+)
  | (?P<number>[0-9]+(?:\.[0-9]+)?)
  | (?P<name>[a-z_][a-z0-9_]*(?![A-Za-z0-9_]))
  | (?P<mixed_case_name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<operator>\*\*|<=|>=|==|!=|[-+*/<>(),%])
  | (?P<text>'[^'\r\n]*'|"[^"\r\n]*")
""", re.VERBOSE | re.ASCII)


class Token(NamedTuple):
    kind: str
    text: str
    position: int
    value: object = None  # Decimal for numbers, the bare text for quoted text


_new_token = tuple.__new__  # skips NamedTuple's Python-level __new__ on the hot path

def tokenize(source: str, limits: Limits) -> Iterator[Token]:
    """Tokens one at a time, ending with an END token; the parser pulls them as it goes, so a formula
    refused early is never scanned to its end."""
    position, length = 0, len(source)
    match_at = _TOKEN.match
    max_name_length = limits.max_name_length
    while position < length:
        match = match_at(source, position)
        if match is None:
            raise _bad_character(source, position)
        kind, text = match.lastgroup, match.group()
        if kind == "name":
            if len(text) > max_name_length or text[:2] == "__":
                raise _bad_name(text, position, limits)
            yield _new_token(Token, (NAME, text, position, None))
        elif kind == "operator":
            if text == "**":
                raise FormulaError(_("'**' (exponentiation) is not part of the language"), position)
            yield _new_token(Token, (OPERATOR, text, position, None))
        elif kind == "number":
            yield _number(text, position, limits)
        elif kind == "text":
            yield _new_token(Token, (TEXT, text, position, text[1:-1]))
        elif kind == "mixed_case_name":
            raise _bad_name(text, position, limits)
        position = match.end()
    yield Token(END, "", length)


def _number(text: str, position: int, limits: Limits) -> Token:
    if len(text) > limits.max_number_length:
        raise FormulaError(_("number is too long (at most %(limit)s characters)")
                           % {"limit": limits.max_number_length}, position, code="limit")
    value = Decimal(text)
    if value > limits.max_magnitude:
        raise FormulaError(_("number is too large (the limit is %(limit)s)")
                           % {"limit": limits.max_magnitude}, position, code="limit")
    return Token(NUMBER, text, position, value)


def _bad_name(text: str, position: int, limits: Limits) -> FormulaError:
    if len(text) > limits.max_name_length:
        return FormulaError(_("name is too long (at most %(limit)s characters)")
                            % {"limit": limits.max_name_length}, position, code="limit")
    if text.startswith("__"):
        return FormulaError(_("names may not start with '__'"), position)
    return FormulaError(_("names are written in lower case: %(name)r") % {"name": text.lower()}, position)


_CHARACTER_HINTS = {
    ".": gettext_noop("'.' may only appear inside a number such as 0.5 (there is no attribute access)"),
    "[": gettext_noop("'[' is not part of the language (there are no subscripts)"),
    "]": gettext_noop("']' is not part of the language (there are no subscripts)"),
    "=": gettext_noop("'=' alone is not part of the language: compare with '=='"),
    "!": gettext_noop("'!' alone is not part of the language: use 'not' or '!='"),
    "&": gettext_noop("'&' is not part of the language: use 'and'"),
    "|": gettext_noop("'|' is not part of the language: use 'or'"),
    "^": gettext_noop("'^' (exponentiation) is not part of the language"),
    "'": gettext_noop("text must be closed on the same line"),
    '"': gettext_noop("text must be closed on the same line"),
}


def _bad_character(source: str, position: int) -> FormulaError:
    character = source[position]
    if character == "." and position > 0 and source[position - 1].isdigit():
        return FormulaError(_("a number needs digits after its '.', as in 2.5"), position)
    hint = _CHARACTER_HINTS.get(character)
    if hint is not None:
        return FormulaError(_(hint), position)
    return FormulaError(_("unexpected character %(character)r") % {"character": character}, position)
