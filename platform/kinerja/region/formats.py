"""The one way the platform writes money, numbers, dates and times for people to read, in pages, PDFs,
e-mails and exports alike:

    rupiah(1234567)          "Rp 1.234.567"       (whole rupiah, dots between thousands, in every language)
    number(1234.5)           "1.234,5"            ("1,234.5" in English)
    percent(9.666)           "9,67%"
    date(day)                "2 Desember 2026"    ("2 December 2026" in English)
    month(day)               "Desember 2026"
    time(moment)             "14.05 WIB"          ("14:05 WIB" in English), in the region's time zone
    date_time(moment)        "2 Desember 2026, 14.05 WIB"

Each function takes `language` ("id" or "en"); by default the active one. Official documents pass "id",
since they are printed in Indonesian whatever the reader's language. A moment (an aware datetime) is
shown in the current region's time zone (WIB, WITA or WIT) with its abbreviation, so a deadline reads
the same on the page, in the PDF and in the e-mail. An empty value is "—". The template filters of
the same names are in `kinerja.region.templatetags.formats`, loaded in every template."""
from __future__ import annotations

import datetime as _dt
import decimal
import zoneinfo

from django.utils import timezone as _timezone
from django.utils import translation

from kinerja.region import facts

EMPTY = "—"

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}
# (decimal separator, thousands separator, hour-minute separator) per language
SEPARATORS = {"id": (",", ".", "."), "en": (".", ",", ":")}
# The zone abbreviations of Indonesia (tzdata has them too; written here so a zone database without them
# still says WIB rather than "+07").
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def _language(language: str | None) -> str:
    code = (language or translation.get_language() or "id").split("-")[0]
    return code if code in SEPARATORS else "id"


def _empty(value) -> bool:
    return value is None or value == ""


def _grouped(whole: int, thousands: str) -> str:
    return f"{whole:,}".replace(",", thousands)


def rupiah(value, language: str | None = None) -> str:
    """"Rp 1.234.567": money is whole rupiah throughout, written the Indonesian way in every language
    (it is a rupiah amount, and the payslip, the register and the bank file all write it so)."""
    if _empty(value):
        return EMPTY
    amount = int(decimal.Decimal(str(value)).to_integral_value(rounding=decimal.ROUND_HALF_UP))
    text = "Rp " + _grouped(abs(amount), ".")
    return "-" + text if amount < 0 else text


def number(value, places: int | None = None, language: str | None = None) -> str:
    """Grouped digits in the language's way: "1.234.567", "9,67". With `places` None, whole numbers
    have no decimals and others at most two (trailing zeros dropped)."""
    if _empty(value):
        return EMPTY
    try:
        exact = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return str(value)
    if not exact.is_finite():
        return EMPTY
    decimal_sep, thousands, _colon = SEPARATORS[_language(language)]
    shown = exact.quantize(decimal.Decimal(1).scaleb(-(2 if places is None else places)), decimal.ROUND_HALF_UP)
    sign = "-" if shown < 0 else ""
    whole, _dot, fraction = f"{abs(shown):f}".partition(".")
    if places is None:
        fraction = fraction.rstrip("0")
    text = sign + _grouped(int(whole), thousands)
    return f"{text}{decimal_sep}{fraction}" if fraction else text


def percent(value, places: int | None = None, language: str | None = None) -> str:
    """"9,67%" (a value already in percent, not a fraction)."""
    if _empty(value):
        return EMPTY
    return number(value, places, language) + "%"


def _local(moment: _dt.datetime) -> _dt.datetime:
    if _timezone.is_naive(moment):
        return moment
    return moment.astimezone(facts.time_zone())


def _day(value) -> _dt.date:
    if isinstance(value, _dt.datetime):
        return _local(value).date()
    return value


def date(value, language: str | None = None) -> str:
    """"2 Desember 2026". A moment is taken on its day in the region."""
    if _empty(value):
        return EMPTY
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:10])
    day = _day(value)
    return f"{day.day} {MONTHS[_language(language)][day.month - 1]} {day.year}"


def month(value, language: str | None = None) -> str:
    """"Desember 2026"."""
    if _empty(value):
        return EMPTY
    if isinstance(value, str):
        value = _dt.date.fromisoformat(value[:7] + "-01")
    day = _day(value)
    return f"{MONTHS[_language(language)][day.month - 1]} {day.year}"


def zone_name(zone: _dt.tzinfo | None = None, moment: _dt.datetime | None = None) -> str:
    """WIB, WITA or WIT for the region's zone (or the one given)."""
    zone = zone or facts.time_zone()
    key = getattr(zone, "key", None)
    if key in ZONE_NAMES:
        return ZONE_NAMES[key]
    return (moment or _timezone.now()).astimezone(zone).tzname() or str(zone)


def time(value, language: str | None = None) -> str:
    """"14.05 WIB" for a moment (in the region's zone); "14.05" for a time of day without a date."""
    if _empty(value):
        return EMPTY
    _dec, _thousands, colon = SEPARATORS[_language(language)]
    if isinstance(value, _dt.datetime):
        if _timezone.is_naive(value):
            return f"{value.hour:02d}{colon}{value.minute:02d}"
        local = _local(value)
        zone = local.tzinfo if isinstance(local.tzinfo, zoneinfo.ZoneInfo) else None
        return f"{local.hour:02d}{colon}{local.minute:02d} {zone_name(zone, local)}"
    return f"{value.hour:02d}{colon}{value.minute:02d}"


def date_time(value, language: str | None = None) -> str:
    """"2 Desember 2026, 14.05 WIB"."""
    if _empty(value):
        return EMPTY
    if isinstance(value, str):
        value = _dt.datetime.fromisoformat(value)
    if not isinstance(value, _dt.datetime):
        return date(value, language)
    return f"{date(value, language)}, {time(value, language)}"


def date_range(start, end, language: str | None = None) -> str:
    """"2 – 5 Desember 2026" when both days share a month, else both dates in full."""
    if _empty(start) or _empty(end):
        return date(start or end, language)
    first, last = _day(start), _day(end)
    if first == last:
        return date(first, language)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day} – {date(last, language)}"
    return f"{date(first, language)} – {date(last, language)}"
