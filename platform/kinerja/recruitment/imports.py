"""Bulk score import from the test centre's CSV or XLSX file, all or nothing.

The file has a header row with NOMOR (the registration number) and one column per score component of the
stage (named as the component, case and spaces ignored); NAMA and other columns are ignored. Every row is
checked before anything is stored; one bad cell fails the whole file with a list of (row, field, reason)."""
from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change
from kinerja.people.imports import FileProblem, read_rows
from kinerja.recruitment import rules
from kinerja.recruitment.models import OpeningStage, ScoreImport, StageKind, StageResult
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.scoring import write_imported_scores
from kinerja.recruitment.services.selection import active_stage

NUMBER_COLUMN = "NOMOR"


def _key(value) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().upper()


def _blank(cell) -> bool:
    return cell is None or str(cell).strip() == ""


def analyse(stage: OpeningStage, content: bytes, filename: str) -> tuple[list[tuple], list[dict], int]:
    """(rows to store as (application, scores), errors, number of data rows)."""
    errors: list[dict] = []
    try:
        raw = read_rows(content, filename)
    except FileProblem as problem:
        return [], [{"row": 0, "field": "file", "reason": str(problem)}], 0
    header_index = next((i for i, row in enumerate(raw) if any(_key(c) == NUMBER_COLUMN for c in row)), None)
    if header_index is None:
        return [], [{"row": 1, "field": NUMBER_COLUMN, "reason": _("no header row with a %s column") % NUMBER_COLUMN}], 0
    header = [_key(c) for c in raw[header_index]]
    columns = {NUMBER_COLUMN: header.index(NUMBER_COLUMN)}
    for name in stage.component_names():
        if _key(name) in header:
            columns[name] = header.index(_key(name))
        else:
            errors.append({"row": header_index + 1, "field": name, "reason": _("column missing")})
    if errors:
        return [], errors, 0
    results = {r.application.number: r.application for r in
               StageResult.objects.filter(stage=stage).select_related("application")}
    seen: dict[str, int] = {}
    planned = []
    count = 0
    for offset, cells in enumerate(raw[header_index + 1:], start=header_index + 2):
        cells = list(cells) + [None] * (len(header) - len(cells))
        if all(_blank(c) for c in cells):
            continue
        count += 1
        number = str(cells[columns[NUMBER_COLUMN]] or "").strip()
        row_errors = []
        if not number:
            row_errors.append({"row": offset, "field": NUMBER_COLUMN, "reason": _("the registration number is empty")})
        elif number in seen:
            row_errors.append({"row": offset, "field": NUMBER_COLUMN,
                               "reason": _("%(number)s is already in row %(row)d") % {"number": number,
                                                                                      "row": seen[number]}})
        elif number not in results:
            row_errors.append({"row": offset, "field": NUMBER_COLUMN,
                               "reason": _("%(number)s does not take part in %(stage)s") % {"number": number,
                                                                                            "stage": stage.name}})
        seen.setdefault(number, offset)
        scores = {}
        for component in stage.components:
            cell = cells[columns[component["name"]]]
            value = rules.to_decimal(cell) if not _blank(cell) else None
            maximum = rules.to_decimal(component["max_score"])
            if _blank(cell):
                row_errors.append({"row": offset, "field": component["name"], "reason": _("the score is empty")})
            elif value is None:
                row_errors.append({"row": offset, "field": component["name"],
                                   "reason": _("%r is not a number") % str(cell)})
            elif not 0 <= value <= maximum:
                row_errors.append({"row": offset, "field": component["name"],
                                   "reason": _("%(value)s is outside 0 to %(max)s") % {
                                       "value": rules.plain(value), "max": rules.plain(maximum)}})
            else:
                scores[component["name"]] = str(rules.quantize(value))
        if row_errors:
            errors.extend(row_errors)
        else:
            planned.append((results[number], scores))
    if not count:
        errors.append({"row": header_index + 2, "field": NUMBER_COLUMN, "reason": _("the file has no score rows")})
    return planned, errors, count


def import_scores(stage: OpeningStage, *, actor, content: bytes, filename: str) -> ScoreImport:
    """Check the file and store every row, or nothing when any row is wrong. The attempt is kept either way,
    with its errors."""
    require_hr(actor)
    if stage.kind != StageKind.SCORED or stage.uses_assessors:
        raise ValidationError({"stage": [_("%s is not scored by the test centre.") % stage.name]})
    with transaction.atomic():
        stage = active_stage(stage)
        planned, errors, count = analyse(stage, content, filename)
        record = ScoreImport.objects.create(stage=stage, original_name=(filename or "")[:255], uploaded_by=actor,
                                            rows=count, errors=errors, applied=not errors)
        if not errors:
            write_imported_scores(stage, planned, actor=actor)
        record_change(actor=actor, action="recruitment.scores.imported" if not errors else "recruitment.scores.refused",
                      target=stage, after={"file": record.original_name, "rows": count, "errors": len(errors)})
    return record
