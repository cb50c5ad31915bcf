"""Scores going in: assessors and their score sheets, HR's entry of the test centre's scores, and the
store step of the score import."""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.accounts.models import REGION_ROLES
from kinerja.audit.services import record_change
from kinerja.recruitment import rules
from kinerja.recruitment.models import (
    Application,
    OpeningStage,
    ScoreSheet,
    SheetSource,
    StageAssessor,
    StageKind,
    StageResult,
    StageStatus,
)
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.selection import active_stage, back_to_active


@transaction.atomic
def assign_assessor(stage: OpeningStage, user, *, actor) -> StageAssessor:
    require_hr(actor)
    stage = OpeningStage.objects.select_for_update().get(pk=stage.pk)
    if not stage.uses_assessors:
        raise ValidationError({"user": [_("%s is not scored by assessors.") % stage.name]})
    if stage.status in (StageStatus.PUBLISHED, StageStatus.CLOSED):
        raise ValidationError({"user": [_("%s is finished.") % stage.name]})
    if user.role not in REGION_ROLES or not user.is_active:
        raise ValidationError({"user": [_("Assessors are the region's own staff.")]})
    assessor, created = StageAssessor.objects.get_or_create(stage=stage, user=user)
    if not created:
        raise ValidationError({"user": [_("%s already assesses this stage.") % user]})
    record_change(actor=actor, action="recruitment.assessor.assigned", target=stage,
                  after={"assessor": user.get_username()})
    return assessor


def clean_scores(stage: OpeningStage, raw: dict, *, complete: bool) -> dict[str, str]:
    errors: dict[str, list[str]] = {}
    cleaned = {}
    names = stage.component_names()
    for key in raw:
        if key not in names:
            errors.setdefault(key, []).append(_("%(stage)s has no component %(name)s") % {"stage": stage.name,
                                                                                           "name": key})
    for component in stage.components:
        name = component["name"]
        value = raw.get(name)
        if value in (None, ""):
            if complete:
                errors.setdefault(name, []).append(_("a score is needed"))
            continue
        number = rules.to_decimal(value)
        maximum = Decimal(component["max_score"])
        if number is None:
            errors.setdefault(name, []).append(_("%r is not a number") % value)
        elif not Decimal(0) <= number <= maximum:
            errors.setdefault(name, []).append(_("must be between 0 and %s") % rules.plain(maximum))
        else:
            cleaned[name] = str(rules.quantize(number))
    if errors:
        raise ValidationError(errors)
    return cleaned


def _participant(stage: OpeningStage, application: Application) -> None:
    if not StageResult.objects.filter(stage=stage, application=application).exists():
        raise ValidationError({"application": [_("%(number)s does not take part in %(stage)s.")
                                               % {"number": application.number, "stage": stage.name}]})


@transaction.atomic
def save_score_sheet(stage: OpeningStage, application: Application, *, assessor, scores: dict,
                     submit: bool = False) -> ScoreSheet:
    """An assessor's own scores for one candidate; a submitted sheet is final."""
    stage = active_stage(stage)
    if not stage.uses_assessors or not StageAssessor.objects.filter(stage=stage, user=assessor).exists():
        raise PermissionDenied(_("You do not assess this stage."))
    _participant(stage, application)
    sheet, _created = ScoreSheet.objects.select_for_update().get_or_create(
        stage=stage, application=application, assessor=assessor, defaults={"source": SheetSource.ASSESSOR})
    if sheet.submitted_at is not None:
        raise ValidationError({"scores": [_("These scores were submitted and can no longer change.")]})
    sheet.scores = {**sheet.scores, **clean_scores(stage, scores, complete=False)}
    if submit:
        clean_scores(stage, sheet.scores, complete=True)
        sheet.submitted_at = timezone.now()
    sheet.save()
    if submit:
        back_to_active(stage)
        record_change(actor=assessor, action="recruitment.scores.submitted", target=application,
                      after={"stage": stage.name, "scores": sheet.scores})
    return sheet


def _write_system_sheet(stage, application, scores, source) -> tuple[dict | None, dict]:
    sheet = ScoreSheet.objects.filter(stage=stage, application=application, assessor__isnull=True).first()
    before = dict(sheet.scores) if sheet else None
    if sheet is None:
        sheet = ScoreSheet(stage=stage, application=application, assessor=None)
    sheet.source, sheet.scores, sheet.submitted_at = source, scores, timezone.now()
    sheet.save()
    return before, scores


@transaction.atomic
def enter_scores(stage: OpeningStage, application: Application, *, actor, scores: dict) -> ScoreSheet:
    """HR enters a candidate's scores of a computer-scored stage (the test centre's results)."""
    require_hr(actor)
    stage = active_stage(stage)
    if stage.kind != StageKind.SCORED or stage.uses_assessors:
        raise ValidationError({"stage": [_("%s is not scored by the test centre.") % stage.name]})
    _participant(stage, application)
    cleaned = clean_scores(stage, scores, complete=True)
    before, after = _write_system_sheet(stage, application, cleaned, SheetSource.ENTRY)
    back_to_active(stage)
    record_change(actor=actor, action="recruitment.scores.entered", target=application, before=before,
                  after={"stage": stage.name, "scores": after})
    return ScoreSheet.objects.get(stage=stage, application=application, assessor__isnull=True)


def write_imported_scores(stage: OpeningStage, rows: list[tuple[Application, dict]], *, actor) -> None:
    """Store a checked import (called by imports.py inside its transaction)."""
    for application, scores in rows:
        _write_system_sheet(stage, application, scores, SheetSource.IMPORT)
    back_to_active(stage)
