"""Each stage's list as CSV or XLSX. For a stage still taking scores the list doubles as the import
template: NOMOR, NAMA and one column per component."""
from __future__ import annotations

from django.utils.translation import gettext as _

from kinerja import spreadsheets
from kinerja.recruitment.models import OpeningStage
from kinerja.recruitment.selectors import reason_text, stage_results

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stage_table(stage: OpeningStage) -> tuple[list[str], list[list]]:
    components = stage.component_names()
    headers = ["NOMOR", "NAMA", *components, "NILAI", "PERINGKAT", "HASIL", "KETERANGAN"]
    rows = []
    for result in stage_results(stage):
        rows.append([
            result.application.number, result.application.applicant.full_name,
            *[result.scores.get(name, "") for name in components],
            "" if result.score is None else str(result.score), result.rank or "",
            result.get_outcome_display(), reason_text(result)])
    return headers, rows


def as_csv(stage: OpeningStage) -> bytes:
    headers, rows = stage_table(stage)
    return ("\ufeff" + spreadsheets.csv_text(headers, rows)).encode("utf-8")  # the mark makes Excel read UTF-8


def as_xlsx(stage: OpeningStage) -> bytes:
    from openpyxl.styles import Font

    headers, rows = stage_table(stage)
    workbook = spreadsheets.workbook()
    sheet = workbook.active
    sheet.title = (stage.name[:28] or _("Stage")).replace("/", "-")
    spreadsheets.append(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        spreadsheets.append(sheet, [str(v) if v is not None else "" for v in row[:2]] + list(row[2:]))
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"
    sheet.freeze_panes = "A2"
    return spreadsheets.workbook_bytes(workbook)
