"""Running the selection: closing registration, who takes part in each stage, each application's status
from the results that are out, and moving from one stage to the next."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kinerja.audit.services import record_change
from kinerja.recruitment.models import (
    Application,
    ApplicationStatus,
    ObjectionStatus,
    Opening,
    OpeningStage,
    OpeningStatus,
    Outcome,
    StageKind,
    StageResult,
    StageStatus,
)
from kinerja.recruitment.services.access import require_hr
from kinerja.region import formats


def included_stages(opening: Opening) -> list[OpeningStage]:
    return list(opening.stages.filter(included=True).order_by("sequence"))


def current_stage(opening: Opening) -> OpeningStage | None:
    return opening.stages.filter(included=True).exclude(status__in=[StageStatus.PENDING, StageStatus.CLOSED]) \
        .order_by("sequence").first()


def back_to_active(stage: OpeningStage) -> None:
    """New input after a computation makes the computed results stale."""
    if stage.status == StageStatus.COMPUTED:
        stage.status = StageStatus.ACTIVE
        stage.save(update_fields=["status"])


def _participants(stage: OpeningStage, stages: list[OpeningStage]) -> list[Application]:
    index = [s.pk for s in stages].index(stage.pk)
    applications = Application.objects.filter(opening_id=stage.opening_id).select_related("applicant")
    if index > 0 and stage.kind in (StageKind.ANNOUNCEMENT, StageKind.NOTICE):
        # Announcements list everyone who took part in the stage before, so each can see and object.
        applications = applications.filter(results__stage=stages[index - 1])
    elif index > 0:
        applications = applications.filter(results__stage=stages[index - 1], results__outcome=Outcome.PASSED)
    return list(applications.order_by("number"))


def sync_results(stage: OpeningStage, stages: list[OpeningStage]) -> list[Application]:
    """Make the stage's result rows match who takes part in it (score sheets are kept either way)."""
    participants = _participants(stage, stages)
    ids = {a.pk for a in participants}
    StageResult.objects.filter(stage=stage).exclude(application_id__in=ids).delete()
    existing = set(StageResult.objects.filter(stage=stage).values_list("application_id", flat=True))
    StageResult.objects.bulk_create([StageResult(stage=stage, application=a) for a in participants
                                     if a.pk not in existing])
    return participants


@transaction.atomic
def close_registration(opening: Opening, *, actor) -> OpeningStage:
    """End registration and start the first stage with every application."""
    require_hr(actor)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.status != OpeningStatus.OPEN:
        raise ValidationError({"status": [_("Registration is not open.")]})
    if not opening.applications.exists():
        raise ValidationError({"status": [_("No one has applied yet.")]})
    stages = included_stages(opening)
    opening.status = OpeningStatus.SELECTION
    opening.save(update_fields=["status"])
    first = stages[0]
    first.status = StageStatus.ACTIVE
    first.save(update_fields=["status"])
    sync_results(first, stages)
    opening.applications.update(status=ApplicationStatus.IN_SELECTION)
    record_change(actor=actor, action="recruitment.opening.registration_closed", target=opening,
                  before={"status": OpeningStatus.OPEN}, after={"status": opening.status,
                                                               "applications": opening.applications.count()})
    return first


def active_stage(stage: OpeningStage) -> OpeningStage:
    stage = OpeningStage.objects.select_for_update().select_related("opening").get(pk=stage.pk)
    if stage.status not in (StageStatus.ACTIVE, StageStatus.COMPUTED):
        raise ValidationError({"stage": [_("%s is not taking input now.") % stage.name]})
    return stage


def refresh_statuses(opening: Opening) -> None:
    """Each application's status from the results of the stages whose results are out."""
    done = [s for s in included_stages(opening) if s.status in (StageStatus.PUBLISHED, StageStatus.CLOSED)]
    failed_at: dict[int, int] = {}
    for application_id, stage_id in StageResult.objects.filter(stage__in=done, outcome=Outcome.FAILED) \
            .order_by("-stage__sequence").values_list("application_id", "stage_id"):
        failed_at[application_id] = stage_id  # the earliest stage wins (ordered latest first)
    applications = list(opening.applications.exclude(status=ApplicationStatus.HIRED))
    for application in applications:
        if application.pk in failed_at:
            application.status, application.eliminated_at_id = ApplicationStatus.ELIMINATED, failed_at[application.pk]
        else:
            application.status, application.eliminated_at_id = ApplicationStatus.IN_SELECTION, None
        application.final_rank = None
    if opening.status in (OpeningStatus.FINISHED, OpeningStatus.HIRED):
        last = done[-1]
        final = {r.application_id: r for r in StageResult.objects.filter(stage=last, outcome=Outcome.PASSED)}
        for application in applications:
            if application.pk in final:
                application.status = ApplicationStatus.SELECTED
                application.final_rank = final[application.pk].rank
    Application.objects.bulk_update(applications, ["status", "eliminated_at", "final_rank"])


@transaction.atomic
def advance(opening: Opening, *, actor, now=None) -> OpeningStage | None:
    """Close the current stage and start the next one with the candidates who passed; after the last
    stage the selection is finished. Waits for the objection window to end and every objection to be
    decided."""
    require_hr(actor)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    stage = current_stage(opening)
    if stage is None or stage.status != StageStatus.PUBLISHED:
        raise ValidationError({"stage": [_("Publish the current stage's results before moving on.")]})
    now = now or timezone.now()
    if stage.objection_deadline and now <= stage.objection_deadline:
        raise ValidationError({"stage": [_("Objections to %(stage)s may be filed until %(deadline)s.") % {
            "stage": stage.name, "deadline": formats.date_time(stage.objection_deadline)}]})
    open_objections = stage.objections.filter(status=ObjectionStatus.FILED).count()
    if open_objections:
        raise ValidationError({"stage": [_("Decide the %d open objection(s) first.") % open_objections]})
    stage.status = StageStatus.CLOSED
    stage.save(update_fields=["status"])
    stages = included_stages(opening)
    following = [s for s in stages if s.sequence > stage.sequence]
    if following:
        successor = following[0]
        successor.status = StageStatus.ACTIVE
        successor.save(update_fields=["status"])
        participants = sync_results(successor, stages)
        if not participants:
            raise ValidationError({"stage": [_("No candidate passed %s.") % stage.name]})
    else:
        successor = None
        opening.status = OpeningStatus.FINISHED
        opening.save(update_fields=["status"])
    refresh_statuses(opening)
    record_change(actor=actor, action="recruitment.stage.closed", target=stage,
                  after={"next": successor.name if successor else None, "opening_status": opening.status})
    return successor
