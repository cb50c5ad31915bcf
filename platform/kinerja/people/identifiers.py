"""Civil-servant numbers. A PNS NIP is 18 digits: birth date (YYYYMMDD), start of CPNS service (YYYYMM),
gender (1 male, 2 female) and a 3-digit sequence. PPPK numbers are 18 digits of another structure that
starts with the birth date too; nothing else of theirs is checked here."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext as _

# No civil servant now serving was born, or started service, before this year (a year 0000 is a typing slip).
EARLIEST_YEAR = 1900


class IdentifierError(ValueError):
    pass


@dataclass(frozen=True)
class ParsedNip:
    birth_date: datetime.date
    service_start: datetime.date  # first day of the TMT CPNS month
    gender: str  # "M" or "F"
    sequence: int


def _birth_date(digits: str) -> datetime.date:
    try:
        if int(digits[0:4]) < EARLIEST_YEAR:
            raise ValueError(digits[0:4])
        return datetime.date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        raise IdentifierError(_("digits 1-8 must be a birth date (YYYYMMDD), got %s") % digits[0:8]) from None


def _eighteen_digits(value: str, label: str) -> str:
    digits = (value or "").strip().replace(" ", "")
    if len(digits) != 18 or not (digits.isascii() and digits.isdigit()):
        raise IdentifierError(_("%(label)s must be 18 digits, got %(value)r") % {"label": label, "value": value})
    return digits


def parse_nip(value: str) -> ParsedNip:
    digits = _eighteen_digits(value, "NIP")
    birth = _birth_date(digits)
    year, month = int(digits[8:12]), int(digits[12:14])
    if not 1 <= month <= 12 or year < EARLIEST_YEAR:
        raise IdentifierError(_("digits 9-14 must be the CPNS start month (YYYYMM), got %s") % digits[8:14])
    start = datetime.date(year, month, 1)
    if start.year - birth.year < 15:
        raise IdentifierError(_("CPNS start %(start)s is too soon after birth %(birth)s") % {
            "start": digits[8:14], "birth": digits[0:8]})
    if digits[14] not in "12":
        raise IdentifierError(_("digit 15 must be the gender (1 male, 2 female), got %s") % digits[14])
    sequence = int(digits[15:18])
    if sequence == 0:
        raise IdentifierError(_("digits 16-18 are a sequence number and cannot be 000"))
    return ParsedNip(birth, start, "M" if digits[14] == "1" else "F", sequence)


def validate_pppk_number(value: str) -> datetime.date:
    digits = _eighteen_digits(value, _("PPPK number"))
    return _birth_date(digits)
