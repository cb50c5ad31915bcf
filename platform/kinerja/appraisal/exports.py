"""Results in the shapes of the national system (SIASN): `skp22/save` for annual results and
`kinerjaperiodik/save` for periodic ones, as JSON or CSV, and the SKP document as PDF. The rows come
from the selectors; this module only formats them."""
from __future__ import annotations

import io

from kinerja.spreadsheets import csv_dicts

SKP22_FIELDS = ["nipBaru", "pnsDinilaiNama", "tahun", "hasilKinerjaNilai", "perilakuKerjaNilai",
                "kuadranKinerjaNilai", "penilaiNama", "penilaiNipNrp", "penilaiGolongan", "penilaiJabatan",
                "penilaiUnorNama", "statusPenilai"]
PERIODIC_FIELDS = ["nipBaru", "pnsDinilaiNama", "tahun", "bulanMulaiPenilaian", "bulanSelesaiPenilaian",
                   "tahunMulaiPenilaian", "tahunSelesaiPenilaian", "hasilKinerjaNilai", "perilakuKerjaNilai",
                   "kuadranKinerjaNilai", "penilaiNama", "penilaiNipNrp", "penilaiGolongan", "penilaiJabatan",
                   "penilaiUnorNama", "statusPenilai"]


def as_csv(rows: list[dict], fields: list[str]) -> str:
    return csv_dicts(rows, fields, lineterminator="\n")


def skp_pdf(plan, rhks, ratings) -> bytes:
    """The SKP document: identity of the employee and the appraiser, RHKs with IKIs and targets, ratings."""
    from django.utils.translation import gettext as _
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import (
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    styles = getSampleStyleSheet()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=f"SKP {plan.appraisal_year.year} {plan.employee.nip}")

    def cell(*lines):
        """A table cell of plain text lines: each line is escaped, then the lines are joined by line breaks
        (escaping a joined string printed the <br/> tags themselves)."""
        text = "<br/>".join(str(line or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                            for line in lines)
        return Paragraph(text, styles["BodyText"])

    grid = TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                       ("BACKGROUND", (0, 0), (-1, 0), colors.whitesmoke)])
    story = [Paragraph(_("Employee Performance Plan (SKP) %(year)s") % {"year": plan.appraisal_year.year},
                       styles["Title"])]
    people = [[cell(_("Employee")), cell(_("Appraiser"))],
              [cell(plan.employee.full_name, f"NIP {plan.employee.nip}", plan.employee.rank),
               cell(plan.appraiser.full_name, f"NIP {plan.appraiser.nip}", plan.appraiser.rank)],
              [cell(plan.unit.name), cell(plan.appraiser.unit.name)]]
    story += [Table(people, colWidths=[250, 250], style=grid), Spacer(1, 12)]
    rows = [[cell(_("RHK")), cell(_("Indicator (IKI)")), cell(_("Target"))]]
    for rhk in rhks:
        for index, iki in enumerate(rhk.ikis.all()):
            rows.append([cell(f"{rhk.get_kind_display()}: {rhk.text}" if index == 0 else ""), cell(iki.text),
                         cell(iki.target_display)])
    story += [Table(rows, colWidths=[200, 200, 100], style=grid, repeatRows=1), Spacer(1, 12)]
    if ratings:
        rating_rows = [[cell(_("Period")), cell(_("Work result")), cell(_("Behaviour")), cell(_("Predicate"))]]
        for rating in ratings:
            rating_rows.append([cell(rating.period.label if rating.period_id else _("Annual")),
                                cell(rating.get_work_result_display()), cell(rating.get_behaviour_display()),
                                cell(rating.get_predicate_display())])
        story.append(Table(rating_rows, colWidths=[100, 150, 150, 100], style=grid, repeatRows=1))
    document.build(story)
    return buffer.getvalue()
