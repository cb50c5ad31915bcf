"""What every official document of a region is printed with: the region's name and logo, dates in
Indonesian words, and the reportlab pieces of the letterhead (the region header) and of the signature
blocks. Pay's payslips and appraisal's SKP and evaluation documents both build on it.

The logo is stored in the pay settings (HR uploads it there for the payslips); the pay app hands this
module a reader for it when it starts (`register_logo_source`), so this module, low in the layers,
imports no app above it."""
from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

from kinerja.region import facts, formats

MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")

_logo_source: Callable[[], bytes | None] | None = None


def month_in_words(month) -> str:
    """"Maret 2025": official documents name the month in Indonesian whatever the reader's language."""
    return formats.month(month, "id")


def date_in_words(day) -> str:
    """"2 Desember 2026"."""
    return formats.date(day, "id")


@dataclass(frozen=True)
class Letterhead:
    region_name: str
    logo: bytes | None = None
    printed_on: datetime.date | None = None

    @property
    def place(self) -> str:
        """The place written before the date of a signature: the region's name (no seat town is stored)."""
        return self.region_name


def register_logo_source(source: Callable[[], bytes | None]) -> None:
    """Called once by the app that stores the logo (pay): `source()` returns the logo's bytes or None."""
    global _logo_source
    _logo_source = source


def region_letterhead() -> Letterhead:
    """The current region's name, its logo when HR uploaded one, and today in the region."""
    region = facts.current_region()
    return Letterhead(region.name if region else "", _logo_source() if _logo_source else None, facts.today())


# --- reportlab pieces ---------------------------------------------------------------------------
def paragraph_styles() -> dict:
    """The styles of the official documents: body, small, title, centre, right, bold."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    styles = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=styles["BodyText"], fontSize=9, leading=11)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=7.5, leading=9, textColor=colors.HexColor("#444444")),
        "title": ParagraphStyle("title", parent=styles["Title"], fontSize=13, leading=16, spaceAfter=2),
        "centre": ParagraphStyle("centre", parent=body, alignment=TA_CENTER),
        "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
        "bold": ParagraphStyle("bold", parent=body, fontName="Helvetica-Bold"),
    }


def text(value, style, *more_lines):
    """A Paragraph of plain text: each line escaped, then the lines joined by line breaks (escaping a
    joined string would print the <br/> tags themselves)."""
    from reportlab.platypus import Paragraph

    lines = (value, *more_lines)
    return Paragraph("<br/>".join(str(line if line is not None else "").replace("&", "&amp;").replace(
        "<", "&lt;").replace(">", "&gt;") for line in lines), style)


def region_header(letterhead: Letterhead, lines: list, styles: dict | None = None) -> list:
    """"PEMERINTAH <REGION>" over the document's own heading lines, with the logo at the left when there is one."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, Table, TableStyle

    styles = styles or paragraph_styles()
    heading = [text(f"PEMERINTAH {letterhead.region_name}".upper(), styles["title"]),
               *(text(line, styles["centre"]) for line in lines)]
    if not letterhead.logo:
        return heading
    logo = Image(io.BytesIO(letterhead.logo), width=18 * mm, height=18 * mm, kind="proportional")
    return [Table([[logo, heading]], colWidths=[22 * mm, None], style=TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))]


def signature_blocks(letterhead: Letterhead, left: tuple[str, str, str], right: tuple[str, str, str],
                     styles: dict | None = None):
    """Two signature places side by side, the place and date above the right one. Each side is
    (role, name, NIP)."""
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer, Table, TableStyle

    styles = styles or paragraph_styles()
    day = letterhead.printed_on or facts.today()

    def block(role, name, nip, dated):
        # A non-breaking space keeps the undated side's line, so both names sit on the same height.
        return [text(f"{letterhead.place}, {date_in_words(day)}" if dated else "\u00a0", styles["centre"]),
                text(role, styles["centre"]), Spacer(1, 18 * mm), text(name, styles["centre"]),
                text(f"NIP {nip}", styles["centre"])]

    return Table([[block(*left, dated=False), block(*right, dated=True)]], style=TableStyle(
        [("VALIGN", (0, 0), (-1, -1), "TOP")]))
