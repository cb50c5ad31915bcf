"""Announcements: making a stage's computed results final, putting the announced ones on the portal with
only their published fields, and opening the objection window."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change
from kinerja.notifications.services import notify_each, page
from kinerja.recruitment import rules
from kinerja.recruitment.models import (
    OpeningStage,
    StagePublication,
    StageResult,
    StageStatus,
)
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.selection import refresh_statuses
from kinerja.region import facts


def publication_rows(stage: OpeningStage, fields: list[str]) -> list[dict]:
    """The stage's results as the portal shows them: only `fields`, in rank order."""
    rows = []
    results = StageResult.objects.filter(stage=stage).select_related("application__applicant") \
        .order_by("rank", "application__number")
    for result in results:
        full = {"number": result.application.number, "name": result.application.applicant.full_name,
                "components": result.scores, "score": None if result.score is None else str(result.score),
                "rank": result.rank, "outcome": result.outcome}
        rows.append({field: full[field] for field in fields})
    return rows


def publish(stage: OpeningStage, *, actor, note: str = "") -> StagePublication | None:
    fields = [f for f in rules.PUBLISHABLE_FIELDS if f in stage.publish_fields]
    rows = publication_rows(stage, fields)
    latest = stage.publications.order_by("-version").first()
    if latest is not None and latest.rows == rows and latest.fields == fields:
        return None
    publication = StagePublication.objects.create(
        stage=stage, version=(latest.version + 1) if latest else 1, fields=fields, rows=rows, note=note[:300],
        component_names=stage.component_names() if "components" in fields else [],
        published_by=actor if getattr(actor, "is_authenticated", False) else None)
    record_change(actor=actor, action="recruitment.stage.published", target=stage, reason=note,
                  after={"version": publication.version, "fields": fields, "rows": len(rows)})
    return publication


@transaction.atomic
def publish_stage(stage: OpeningStage, *, actor, now=None) -> OpeningStage:
    """Make the computed results final: announced stages go on the portal (only their published fields)
    and open their objection window; other stages are recorded without a public list."""
    require_hr(actor)
    stage = OpeningStage.objects.select_for_update().select_related("opening").get(pk=stage.pk)
    if stage.status != StageStatus.COMPUTED:
        raise ValidationError({"stage": [_("Compute %s before publishing it.") % stage.name]})
    now = now or timezone.now()
    if stage.announced:
        publish(stage, actor=actor)
    stage.status, stage.published_at = StageStatus.PUBLISHED, now
    stage.objection_deadline = (facts.end_of_day(facts.today(now) + datetime.timedelta(days=stage.objection_window_days))
                                if stage.objection_window_days else None)
    stage.save(update_fields=["status", "published_at", "objection_deadline"])
    refresh_statuses(stage.opening)
    if stage.announced:
        _tell_applicants(stage)
    return stage


def _tell_applicants(stage: OpeningStage) -> None:
    """Applicants have no staff login: the stage's announced result goes to each one's e-mail, and, when
    the stage has a sanggah window, so does its last day."""
    link = page("jobs:stage-results", stage.opening.code, stage.pk)
    results = list(StageResult.objects.filter(stage=stage).select_related("application__applicant"))
    about = {"stage": stage.name, "opening": stage.opening.title}
    notify_each("recruitment.stage_result", [
        (result.application.applicant.email,
         {**about, "number": result.application.number, "outcome": result.outcome}, link)
        for result in results], event_key=f"stage:{stage.pk}")
    if stage.objection_deadline is not None:
        deadline = facts.today(stage.objection_deadline)
        notify_each("recruitment.objection_window", [
            (result.application.applicant.email, {**about, "deadline": deadline}, link) for result in results],
            event_key=f"stage:{stage.pk}")
