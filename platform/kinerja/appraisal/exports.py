"""Results in the shapes of the national system (SIASN): `skp22/save` for annual results and
`kinerjaperiodik/save` for periodic ones, as JSON or CSV, and the official SKP and evaluation documents as PDF. The rows come
from the selectors; this module only formats them."""
from __future__ import annotations

import calendar
import datetime
import io

from django.utils import translation

from kinerja.appraisal.models import BEHAVIOUR_VALUES, Level
from kinerja.region.letterhead import (
    Letterhead,
    date_in_words,
    paragraph_styles,
    region_header,
    signature_blocks,
    text,
)
from kinerja.spreadsheets import csv_dicts

MM = 72 / 25.4  # reportlab points in a millimetre

SKP22_FIELDS = ["nipBaru", "pnsDinilaiNama", "tahun", "hasilKinerjaNilai", "perilakuKerjaNilai",
                "kuadranKinerjaNilai", "penilaiNama", "penilaiNipNrp", "penilaiGolongan", "penilaiJabatan",
                "penilaiUnorNama", "statusPenilai"]
PERIODIC_FIELDS = ["nipBaru", "pnsDinilaiNama", "tahun", "bulanMulaiPenilaian", "bulanSelesaiPenilaian",
                   "tahunMulaiPenilaian", "tahunSelesaiPenilaian", "hasilKinerjaNilai", "perilakuKerjaNilai",
                   "kuadranKinerjaNilai", "penilaiNama", "penilaiNipNrp", "penilaiGolongan", "penilaiJabatan",
                   "penilaiUnorNama", "statusPenilai"]


def as_csv(rows: list[dict], fields: list[str]) -> str:
    return csv_dicts(rows, fields, lineterminator="\n")


def _identity_table(plan, styles):
    """Employee and appraiser side by side: name, NIP, rank/golongan, position, unit (the annexes' first table)."""
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    body, bold = styles["body"], styles["bold"]
    employee, appraiser = plan.employee, plan.appraiser
    rows = [[text("NO", bold), text("PEGAWAI YANG DINILAI", bold), "", text("NO", bold),
             text("PEJABAT PENILAI KINERJA", bold), ""]]
    fields = [("NAMA", employee.full_name, appraiser.full_name), ("NIP", employee.nip, appraiser.nip),
              ("PANGKAT/GOL", employee.rank or "-", appraiser.rank or "-"),
              ("JABATAN", employee.position.title, appraiser.position.title),
              ("UNIT KERJA", plan.unit.name, appraiser.unit.name)]
    for number, (label, own, theirs) in enumerate(fields, start=1):
        rows.append([text(number, body), text(label, body), text(own, body), text(number, body), text(label, body),
                     text(theirs, body)])
    return Table(rows, colWidths=[10 * MM, 27 * MM, 53 * MM, 10 * MM, 27 * MM, 53 * MM], style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("SPAN", (1, 0), (2, 0)), ("SPAN", (4, 0), (5, 0)), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#EEEEEE"))]))


def _grid(rows, widths, header_rows=1):
    from reportlab.lib import colors
    from reportlab.platypus import Table, TableStyle

    return Table(rows, colWidths=widths, repeatRows=header_rows, style=TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")), ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#EEEEEE"))]))


def _document(title, letterhead):
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate

    buffer = io.BytesIO()
    return buffer, SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * MM, rightMargin=15 * MM, topMargin=15 * MM,
                                     bottomMargin=15 * MM, title=title, author=letterhead.region_name)


def _year_span(plan) -> str:
    year = plan.appraisal_year.year
    return f"{date_in_words(datetime.date(year, 1, 1))} s.d. {date_in_words(datetime.date(year, 12, 31))}"


def _period_span(period) -> str:
    year = period.appraisal_year.year
    last_day = calendar.monthrange(year, period.end_month)[1]
    return (f"{date_in_words(datetime.date(year, period.start_month, 1))} s.d. "
            f"{date_in_words(datetime.date(year, period.end_month, last_day))}")


def _signatures(plan, letterhead, styles):
    return signature_blocks(letterhead, ("Pegawai yang Dinilai", plan.employee.full_name, plan.employee.nip),
                            ("Pejabat Penilai Kinerja", plan.appraiser.full_name, plan.appraiser.nip), styles)


def _behaviour_rows(styles, levels: dict | None):
    """The seven BerAKHLAK core values; with `levels`, the appraiser's level of each."""
    body, bold = styles["body"], styles["bold"]
    header = [text("NO", bold), text("PERILAKU KERJA (BerAKHLAK)", bold)]
    if levels is None:
        rows = [header + [text("EKSPEKTASI KHUSUS PIMPINAN", bold)]]
    else:
        rows = [header + [text("PENILAIAN", bold)]]
    labels = dict(Level.choices)
    for number, (code, label) in enumerate(BEHAVIOUR_VALUES, start=1):
        third = "" if levels is None else labels.get(levels.get(code), "-")
        rows.append([text(number, body), text(label, body), text(third, body)])
    return rows


def skp_pdf(plan, rhks, ratings, letterhead: Letterhead) -> bytes:
    """The SKP document in the layout of PermenPANRB 6/2022's annex, on A4 with the region's letterhead:
    identity of the employee and the appraiser, results with their indicators and targets, work behaviour,
    the predicates given so far, and the signatures. Printed in Indonesian whatever the reader's language."""
    from reportlab.platypus import Spacer

    with translation.override("id"):
        styles = paragraph_styles()
        body, bold = styles["body"], styles["bold"]
        buffer, document = _document(f"SKP {plan.appraisal_year.year} {plan.employee.nip}", letterhead)
        story = region_header(letterhead, ["SASARAN KINERJA PEGAWAI", f"PERIODE PENILAIAN: {_year_span(plan)}"],
                              styles)
        story += [Spacer(1, 4 * MM), _identity_table(plan, styles), Spacer(1, 4 * MM), text("HASIL KERJA", bold)]
        rows = [[text("NO", bold), text("RENCANA HASIL KERJA", bold), text("INDIKATOR KINERJA INDIVIDU", bold),
                 text("TARGET", bold)]]
        for number, rhk in enumerate(rhks, start=1):
            for index, iki in enumerate(rhk.ikis.all()):
                first = index == 0
                rows.append([text(number if first else "", body),
                             text(f"{rhk.get_kind_display()}: {rhk.text}" if first else "", body),
                             text(iki.text, body), text(iki.target_display, body)])
        story += [_grid(rows, [10 * MM, 70 * MM, 70 * MM, 30 * MM]), Spacer(1, 4 * MM), text("PERILAKU KERJA", bold),
                  _grid(_behaviour_rows(styles, None), [10 * MM, 90 * MM, 80 * MM]), Spacer(1, 4 * MM),
                  text("PREDIKAT KINERJA", bold)]
        if ratings:
            rating_rows = [[text("PERIODE", bold), text("HASIL KERJA", bold), text("PERILAKU KERJA", bold),
                            text("PREDIKAT", bold)]]
            for rating in ratings:
                rating_rows.append([text(rating.period.label if rating.period_id else "Tahunan", body),
                                    text(rating.get_work_result_display(), body),
                                    text(rating.get_behaviour_display(), body),
                                    text(rating.get_predicate_display(), body)])
            story.append(_grid(rating_rows, [40 * MM, 50 * MM, 50 * MM, 40 * MM]))
        else:
            story.append(text("Belum dinilai.", body))
        story += [Spacer(1, 8 * MM), _signatures(plan, letterhead, styles)]
        document.build(story)
    return buffer.getvalue()


def _realisation_display(realisation) -> str:
    value = "" if realisation.value is None else f"{realisation.value.normalize():f}"
    return " — ".join(part for part in (value, realisation.text) if part)


def evaluation_pdf(plan, rating, rhks, realisations, letterhead: Letterhead) -> bytes:
    """The performance evaluation document (evaluasi kinerja) of one rated period, or of the year when the
    rating is annual, in the layout of PermenPANRB 6/2022's annex: identity, each result's indicator with
    its target and realisation, the work-result rating, each BerAKHLAK value's level and the behaviour
    rating, the predicate, and the signatures."""
    from reportlab.platypus import Spacer

    by_iki: dict[int, list] = {}
    for realisation in sorted(realisations, key=lambda r: r.period.number):
        by_iki.setdefault(realisation.iki_id, []).append(realisation)
    with translation.override("id"):
        styles = paragraph_styles()
        body, bold = styles["body"], styles["bold"]
        scope = rating.period.label if rating.period_id else f"Tahunan {plan.appraisal_year.year}"
        span = _period_span(rating.period) if rating.period_id else _year_span(plan)
        buffer, document = _document(f"Evaluasi Kinerja {scope} {plan.employee.nip}", letterhead)
        story = region_header(letterhead, [f"EVALUASI KINERJA PEGAWAI PERIODE {scope.upper()}",
                                           f"PERIODE PENILAIAN: {span}"], styles)
        story += [Spacer(1, 4 * MM), _identity_table(plan, styles), Spacer(1, 4 * MM), text("HASIL KERJA", bold)]
        rows = [[text("NO", bold), text("RENCANA HASIL KERJA", bold), text("INDIKATOR KINERJA INDIVIDU", bold),
                 text("TARGET", bold), text("REALISASI", bold)]]
        for number, rhk in enumerate(rhks, start=1):
            for index, iki in enumerate(rhk.ikis.all()):
                first = index == 0
                done = by_iki.get(iki.pk, [])
                if rating.period_id:
                    realised = [_realisation_display(r) for r in done]
                else:
                    realised = [f"{r.period.label}: {_realisation_display(r)}" for r in done]
                rows.append([text(number if first else "", body),
                             text(f"{rhk.get_kind_display()}: {rhk.text}" if first else "", body),
                             text(iki.text, body), text(iki.target_display, body),
                             text(realised[0] if realised else "-", body, *realised[1:])])
        story += [_grid(rows, [10 * MM, 50 * MM, 52 * MM, 30 * MM, 38 * MM]),
                  _grid([[text("RATING HASIL KERJA", bold), text(rating.get_work_result_display(), body)]],
                        [90 * MM, 90 * MM], header_rows=0),
                  Spacer(1, 4 * MM), text("PERILAKU KERJA", bold),
                  _grid(_behaviour_rows(styles, rating.behaviour_values or {}), [10 * MM, 100 * MM, 70 * MM]),
                  _grid([[text("RATING PERILAKU KERJA", bold), text(rating.get_behaviour_display(), body)]],
                        [90 * MM, 90 * MM], header_rows=0),
                  Spacer(1, 4 * MM),
                  _grid([[text("PREDIKAT KINERJA PEGAWAI", bold), text(rating.get_predicate_display(), bold)]],
                        [90 * MM, 90 * MM], header_rows=0)]
        if rating.reason:
            story += [Spacer(1, 2 * MM), text(f"Catatan pejabat penilai: {rating.reason}", styles["small"])]
        story += [Spacer(1, 8 * MM), _signatures(plan, letterhead, styles)]
        document.build(story)
    return buffer.getvalue()


def skp_filename(plan) -> str:
    return f"skp-{plan.appraisal_year.year}-{plan.employee.nip}.pdf"


def evaluation_filename(plan, rating) -> str:
    scope = f"p{rating.period.number}" if rating.period_id else "tahunan"
    return f"evaluasi-kinerja-{plan.appraisal_year.year}-{scope}-{plan.employee.nip}.pdf"
