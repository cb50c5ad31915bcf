"""Openings (formasi): created as drafts with a pipeline from the region's recruitment plugins, then
published on the job portal. Also reads the plugins' stage definitions and training catalog."""
from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kinerja_plugin_api.conformance import recruitment_stage_problems
from kinerja_plugin_api.host import PluginContractError, PluginHost, get_host
from kinerja_plugin_api.types import RecruitmentStage

from kinerja.audit.services import record_change, snapshot
from kinerja.people.services import rank_problem
from kinerja.plugins.failures.messages import stages_failed
from kinerja.plugins.models import PluginActivation
from kinerja.recruitment import rules
from kinerja.recruitment.models import Opening, OpeningStage, OpeningStatus, StageKind
from kinerja.recruitment.services.access import require_hr
from kinerja.recruitment.services.stages import stages_read

OPENING_FIELDS = ["code", "title", "kind", "position_id", "unit_id", "posts", "managerial", "employee_type", "rank",
                  "requirements", "documents_required", "registration_opens", "registration_closes", "schedule",
                  "onboarding_courses", "status"]


def stage_definitions(kind: str, host: PluginHost | None = None) -> list[tuple[str, RecruitmentStage]]:
    """The stages the region's enabled recruitment plugins supply for an opening kind, in flow order.
    A plugin that fails or returns something other than stages is named in the error."""
    host = host or get_host()
    enabled = list(PluginActivation.objects.filter(enabled=True).values_list("plugin_name", flat=True))
    found: list[tuple[str, RecruitmentStage]] = []
    for plugin_name, outcome in host.call_each("kinerja_recruitment_stages", names=enabled, opening_kind=kind):
        if isinstance(outcome, Exception):  # the host logged the exception for the operator and the vendor
            raise ValidationError({"kind": [stages_failed(plugin_name)]})
        if outcome is None:
            continue
        if not isinstance(outcome, (list, tuple)) or not all(isinstance(s, RecruitmentStage) for s in outcome):
            host.report_failure(plugin_name, "kinerja_recruitment_stages", PluginContractError(
                "kinerja_recruitment_stages must return a list of RecruitmentStage or None"))
            raise ValidationError({"kind": [stages_failed(plugin_name)]})
        # The check vendors run before publishing a plugin, run again: a broken rule must not reach a pipeline.
        if problems := recruitment_stage_problems(outcome):
            host.report_failure(plugin_name, "kinerja_recruitment_stages", PluginContractError("; ".join(problems)))
            raise ValidationError({"kind": [_("The recruitment plugin %(plugin)s supplies stages that cannot be "
                                              "used: %(problems)s") % {"plugin": plugin_name,
                                                                       "problems": "; ".join(problems)}]})
        found.extend((plugin_name, stage) for stage in outcome)
    return sorted(found, key=lambda pair: (pair[1].order, pair[0]))


def training_catalog(host: PluginHost | None = None) -> dict[str, dict]:
    """Course code -> {code, title, jp_hours} from the region's enabled training plugins."""
    host = host or get_host()
    enabled = list(PluginActivation.objects.filter(enabled=True).values_list("plugin_name", flat=True))
    catalog = {}
    for _name, outcome in host.call_each("kinerja_training_catalog", names=enabled):
        if isinstance(outcome, Exception) or not outcome:
            continue
        for course in outcome:
            catalog.setdefault(course.code, {"code": course.code, "title": course.title, "jp_hours": course.jp_hours})
    return catalog


def _clean_documents(value) -> list[str]:
    if isinstance(value, str):
        value = value.splitlines()
    names = [str(name).strip() for name in (value or []) if str(name).strip()]
    return list(dict.fromkeys(names))


def _validate_opening(opening: Opening, host: PluginHost | None) -> None:
    errors: dict[str, list[str]] = {}
    opening.code = (opening.code or "").strip()
    opening.title = (opening.title or "").strip()
    opening.kind = (opening.kind or "").strip().lower()
    if not opening.code:
        errors.setdefault("code", []).append(_("an opening needs a code"))
    elif Opening.objects.filter(code=opening.code).exclude(pk=opening.pk).exists():
        errors.setdefault("code", []).append(_("code %s is already used by another opening") % opening.code)
    if not opening.title:
        errors.setdefault("title", []).append(_("an opening needs a title"))
    if not opening.kind:
        errors.setdefault("kind", []).append(_("an opening needs a kind (cpns, pppk, ...)"))
    if not isinstance(opening.posts, int) or opening.posts < 1:
        errors.setdefault("posts", []).append(_("the number of posts must be at least 1"))
    if not (opening.requirements or "").strip():
        errors.setdefault("requirements", []).append(_("state the requirements applicants must meet"))
    if not opening.documents_required:
        errors.setdefault("documents_required", []).append(_("name at least one document applicants upload"))
    if opening.registration_opens and opening.registration_closes and \
            opening.registration_closes < opening.registration_opens:
        errors.setdefault("registration_closes", []).append(_("registration cannot close before it opens"))

    if problem := rank_problem(opening.employee_type, opening.rank):
        errors.setdefault("rank", []).append(problem)
    if opening.onboarding_courses:
        catalog = training_catalog(host)
        unknown = [code for code in opening.onboarding_courses if code not in catalog]
        if unknown:
            errors.setdefault("onboarding_courses", []).append(
                _("no enabled training catalog has course %s") % ", ".join(unknown))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_opening(*, actor, code: str, title: str, kind: str, position, unit, posts: int, rank: str,
                   registration_opens: datetime.date, registration_closes: datetime.date,
                   requirements: str = "", documents_required=(), employee_type: str = "PNS", managerial: bool = False,
                   schedule: str = "", onboarding_courses=(), host: PluginHost | None = None) -> Opening:
    """A draft opening with its pipeline built from the region's recruitment plugins for its kind."""
    require_hr(actor)
    opening = Opening(code=code, title=title, kind=kind, position=position, unit=unit, posts=posts, rank=rank,
                      requirements=(requirements or "").strip(), documents_required=_clean_documents(documents_required),
                      registration_opens=registration_opens, registration_closes=registration_closes,
                      employee_type=employee_type, managerial=managerial, schedule=(schedule or "").strip(),
                      onboarding_courses=[str(c).strip() for c in onboarding_courses if str(c).strip()],
                      created_by=actor)
    _validate_opening(opening, host)
    definitions = stage_definitions(opening.kind, host)
    if not definitions:
        raise ValidationError({"kind": [_("No enabled recruitment plugin supplies stages for openings of kind "
                                          "'%s'. Enable one on the Plugins page.") % opening.kind]})
    opening.save()
    earlier: list[RecruitmentStage] = []
    for sequence, (plugin_name, definition) in enumerate(definitions, start=1):
        fields = rules.derive(definition, earlier, is_first=sequence == 1)
        applies = fields["applies_to"] == "all" or (fields["applies_to"] == "managerial" and opening.managerial)
        OpeningStage.objects.create(opening=opening, sequence=sequence, plugin_name=plugin_name,
                                    included=applies or not fields["optional"], **fields)
        earlier.append(definition)
    record_change(actor=actor, action="recruitment.opening.created", target=opening,
                  after={**snapshot(opening, OPENING_FIELDS),
                         "stages": [s.name for s in opening.stages.filter(included=True)]})
    return opening


def _pipeline_problems(opening: Opening) -> list[str]:
    stages = list(opening.stages.filter(included=True).order_by("sequence"))
    problems = []
    if not stages:
        return [_("The pipeline has no stages.")]
    seen: list[str] = []
    for stage in stages:
        for name in dict.fromkeys(stages_read(stage)):
            if name not in seen:
                problems.append(_("%(stage)s reads the score of %(source)s, which must be included and come before it.")
                                % {"stage": stage.name, "source": name})
        seen.append(stage.name)
    if stages[0].kind != StageKind.ADMINISTRATIVE:
        problems.append(_("The first stage must be the administrative check of the applicants' documents."))
    return problems


@transaction.atomic
def publish_opening(opening: Opening, *, actor, now=None) -> Opening:
    """Put a draft opening on the job portal, with registration open on its dates."""
    require_hr(actor)
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    if opening.status != OpeningStatus.DRAFT:
        raise ValidationError({"status": [_("Only a draft opening can be published.")]})
    problems = _pipeline_problems(opening)
    if problems:
        raise ValidationError({"stages": problems})
    before = snapshot(opening, ["status"])
    opening.status = OpeningStatus.OPEN
    opening.published_at = now or timezone.now()
    opening.save(update_fields=["status", "published_at"])
    record_change(actor=actor, action="recruitment.opening.published", target=opening, before=before,
                  after={"status": opening.status, "stages": [s.name for s in opening.stages.filter(included=True)]})
    return opening
