"""HR's recruitment pages (/recruitment/): openings and their pipelines, applications and document checks,
score entry and import, assessors' score sheets, computing, publishing, objections and hiring. Access is
decided by the recruitment selectors; the services hold every rule."""
from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kinerja.people.models import EmployeeType, Position, Unit
from kinerja.recruitment import exports, imports, rules, selectors
from kinerja.recruitment.forms import (
    FIELD_LABELS,
    CorrectionForm,
    ScoreForm,
    StageRulesForm,
    add_service_errors,
)
from kinerja.recruitment.models import ApplicationDocument, OpeningStatus
from kinerja.recruitment.services import (
    applications,
    corrections,
    hiring,
    objections,
    openings,
    publication,
    ranking,
    scoring,
    selection,
    stages,
)
from kinerja.region import facts
from kinerja.service_errors import add_to_form, flash


report = flash


def staff_page(view):
    """Staff pages need a staff sign-in; an applicant's portal session is not one."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


class OpeningForm(forms.Form):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.CharField(label=gettext_lazy("Kind (cpns, pppk, kontrak, ...)"), max_length=20)
    position = forms.ModelChoiceField(label=gettext_lazy("Position"), queryset=Position.objects.all())
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=Unit.objects.all())
    posts = forms.IntegerField(label=gettext_lazy("Number of posts"), min_value=1)
    managerial = forms.BooleanField(label=gettext_lazy("Managerial post"), required=False)
    employee_type = forms.ChoiceField(label=gettext_lazy("Employee type on hiring"), choices=EmployeeType.choices)
    rank = forms.CharField(label=gettext_lazy("Rank on hiring"), max_length=5)
    requirements = forms.CharField(label=gettext_lazy("Requirements"), widget=forms.Textarea)
    documents_required = forms.CharField(label=gettext_lazy("Documents required (one a line)"), widget=forms.Textarea)
    registration_opens = forms.DateField(label=gettext_lazy("Registration opens"),
                                         widget=forms.DateInput(attrs={"type": "date"}))
    registration_closes = forms.DateField(label=gettext_lazy("Registration closes"),
                                          widget=forms.DateInput(attrs={"type": "date"}))
    schedule = forms.CharField(label=gettext_lazy("Schedule"), widget=forms.Textarea, required=False)
    onboarding_courses = forms.CharField(label=gettext_lazy("Onboarding course codes (comma separated)"),
                                         required=False)


@staff_page
def opening_list(request):
    if not selectors.can_read(request.user):
        if selectors.is_assessor(request.user):
            return redirect("recruitment:assess")
        raise PermissionDenied
    return render(request, "recruitment/opening_list.html", {
        "openings": selectors.openings(request.user), "can_manage": selectors.can_manage(request.user)})


@staff_page
def opening_create(request):
    _require(selectors.can_manage(request.user))
    form = OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["onboarding_courses"] = [c.strip() for c in data["onboarding_courses"].split(",") if c.strip()]
        try:
            opening = openings.create_opening(actor=request.user, **data)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            return redirect("recruitment:opening", pk=opening.pk)
    return render(request, "recruitment/opening_form.html", {"form": form})


@staff_page
def opening_detail(request, pk: int):
    opening = selectors.opening(request.user, pk)
    if opening is None:
        raise Http404
    if request.method == "POST":
        _require(selectors.can_manage(request.user))
        op, post = request.POST.get("op", ""), request.POST
        try:
            stage = None
            if post.get("stage"):
                stage = get_object_or_404(opening.stages, pk=post.get("stage"))
            if op == "move" and stage:
                stages.move_stage(stage, actor=request.user, up=post.get("direction") == "up")
            elif op == "include" and stage:
                stages.set_stage_included(stage, actor=request.user, included=post.get("included") == "1")
            elif op == "publish":
                openings.publish_opening(opening, actor=request.user)
            elif op == "close_registration":
                selection.close_registration(opening, actor=request.user)
            elif op == "advance":
                selection.advance(opening, actor=request.user)
            elif op == "hire":
                hires = hiring.hire(opening, actor=request.user)
                messages.success(request, _("%d employee record(s) created.") % len(hires))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            report(request, error)
        else:
            if op != "hire":
                messages.success(request, _("Saved."))
        return redirect("recruitment:opening", pk=pk)
    return render(request, "recruitment/opening_detail.html", {
        "opening": opening, "stages": selectors.stages_of(opening), "current": selectors.current_stage(opening),
        "can_manage": selectors.can_manage(request.user), "publishable": rules.PUBLISHABLE_FIELDS,
        "arrows": [("up", "↑"), ("down", "↓")],
        "objections": selectors.objections_of(opening)[:50]})


@staff_page
def application_list(request, pk: int):
    opening = selectors.opening(request.user, pk)
    if opening is None:
        raise Http404
    return render(request, "recruitment/application_list.html", {
        "opening": opening, "applications": selectors.applications_of_opening(request.user, opening)})


@staff_page
def application_detail(request, pk: int):
    application = selectors.application_for_staff(request.user, pk)
    if application is None:
        raise Http404
    if request.method == "POST":
        _require(selectors.can_manage(request.user))
        document = get_object_or_404(ApplicationDocument, pk=request.POST.get("document"), application=application)
        try:
            applications.review_document(document, actor=request.user, accepted=request.POST.get("accepted") == "1",
                                         reason=request.POST.get("reason", ""))
        except ValidationError as error:
            report(request, error)
        return redirect("recruitment:application", pk=pk)
    results = application.results.select_related("stage").order_by("stage__sequence")
    return render(request, "recruitment/application_detail.html", {
        "application": application, "documents": application.documents.all(), "results": results,
        "can_manage": selectors.can_manage(request.user), "reason_text": selectors.reason_text,
        "can_review": selectors.can_manage(request.user) and selectors.documents_under_review(application.opening)})


@staff_page
def document_download(request, pk: int):
    document = selectors.document_for_staff(request.user, pk)
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)


@staff_page
def stage_detail(request, pk: int):
    stage = selectors.stage_for_staff(request.user, pk)
    if stage is None:
        raise Http404
    if not selectors.can_read(request.user):
        # An assessor sees the stage through their own page; HR's page (and any change on it) is refused.
        _require(request.method == "GET")
        return redirect("recruitment:assess-stage", pk=pk)
    if request.method == "POST":
        _require(selectors.can_manage(request.user))
        op = request.POST.get("op", "")
        try:
            if op == "compute":
                ranking.compute_stage(stage, actor=request.user)
            elif op == "publish":
                publication.publish_stage(stage, actor=request.user)
            elif op == "assessor":
                user = get_user_model().objects.filter(username=request.POST.get("username", "").strip()).first()
                if user is None:
                    raise ValidationError({"username": [_("No staff member has that user name.")]})
                scoring.assign_assessor(stage, user, actor=request.user)
            elif op == "import":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError({"file": [_("Choose a file to upload.")]})
                record = imports.import_scores(stage, actor=request.user, content=upload.read(), filename=upload.name)
                if record.errors:
                    for error in record.errors[:50]:
                        messages.error(request, _("Row %(row)s, %(field)s: %(reason)s") % error)
                    messages.error(request, _("Nothing was imported; correct the file and upload it again."))
                    return redirect("recruitment:stage", pk=pk)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("recruitment:stage", pk=pk)
    results = list(selectors.stage_results(stage))
    entry_open = selectors.score_entry_open(request.user, stage)
    entered = selectors.entered_scores(stage) if entry_open else set()
    return render(request, "recruitment/stage_detail.html", {
        "stage": stage, "results": [(r, selectors.reason_text(r), r.application_id in entered) for r in results],
        "assessors": stage.assessors.select_related("user"), "can_manage": selectors.can_manage(request.user),
        "entry_open": entry_open, "correctable": selectors.scores_correctable(request.user, stage),
        "component_names": stage.component_names(),
        "imports": stage.imports.all()[:5], "objections": stage.objections.select_related("application")})


@staff_page
def stage_export(request, pk: int, fmt: str):
    stage = selectors.stage_for_staff(request.user, pk)
    if stage is None:
        raise Http404
    _require(selectors.can_read(request.user))
    filename = f"{stage.opening.code}-{stage.sequence}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(stage), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.as_xlsx(stage), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@staff_page
def stage_rules(request, pk: int):
    """HR adjusts a stage's rules (minimum score, quota per post, objection window, published fields)
    while the opening is a draft."""
    _require(selectors.can_manage(request.user))
    stage = selectors.stage_by_pk(pk)
    if stage is None:
        raise Http404
    form = StageRulesForm(stage, request.POST or None)
    if request.method == "POST" and form.is_valid() and form.save(request.user) is not None:
        messages.success(request, _("The rules of %s are saved.") % stage.name)
        return redirect("recruitment:opening", pk=stage.opening_id)
    return render(request, "recruitment/stage_rules.html", {
        "stage": stage, "form": form, "editable": stage.opening.status == OpeningStatus.DRAFT,
        "published": [FIELD_LABELS[name] for name in stage.publish_fields if name in FIELD_LABELS],
        "maximum": stages.stage_maximum(stage)})


def _assessed_stage(request, pk: int):
    """A stage the user assesses: refused (403) to those who see it otherwise, not found for the rest."""
    stage = selectors.stage_for_staff(request.user, pk)
    if stage is None:
        raise Http404
    _require(selectors.assesses(request.user, stage))
    return stage


@staff_page
def assess(request):
    _require(selectors.can_assess(request.user))
    return render(request, "recruitment/assess.html", {"stages": selectors.assessed_stages(request.user)})


@staff_page
def assess_stage(request, pk: int):
    stage = _assessed_stage(request, pk)
    rows = selectors.assessor_queue(request.user, stage)
    return render(request, "recruitment/assess_stage.html", {
        "stage": stage, "rows": rows, "submitted": sum(1 for row in rows if row["sheet"] and row["sheet"].submitted_at)})


@staff_page
def assess_sheet(request, pk: int, application_id: int):
    """An assessor's own scores for one candidate: a draft to keep, then submitted once and for all. The
    other assessors' scores show only after submitting."""
    stage = _assessed_stage(request, pk)
    application = selectors.participant(stage, application_id)
    if application is None:
        raise Http404
    view = selectors.assessor_view(request.user, stage, application)
    own = view["own"]
    submitted = bool(own and own.submitted_at)
    form = ScoreForm(stage, request.POST or None, values=own.scores if own else {}, disabled=submitted)
    if request.method == "POST" and form.is_valid():
        final = request.POST.get("submit") == "1"
        try:
            scoring.save_score_sheet(stage, application, assessor=request.user, scores=form.scores(), submit=final)
        except ValidationError as error:
            add_service_errors(form, error, form.aliases)
        else:
            if not final:
                messages.success(request, _("Draft saved for %s.") % application.number)
                return redirect("recruitment:assess-sheet", pk=pk, application_id=application_id)
            messages.success(request, _("Scores for %s submitted.") % application.number)
            following = selectors.next_to_score(stage, application, assessor=request.user)
            if following is not None:
                return redirect("recruitment:assess-sheet", pk=pk, application_id=following.pk)
            return redirect("recruitment:assess-stage", pk=pk)
    return render(request, "recruitment/assess_sheet.html", {
        "stage": stage, "application": application, "view": view, "form": form, "submitted": submitted,
        "taking_input": selectors.takes_input(stage)})


@staff_page
def stage_scores(request, pk: int, application_id: int):
    """HR enters one candidate's scores of a stage scored by the test centre (the import does many)."""
    _require(selectors.can_manage(request.user))
    stage = selectors.stage_by_pk(pk)
    application = selectors.participant(stage, application_id) if stage else None
    if application is None or not selectors.hr_scored(stage):
        raise Http404
    sheet = selectors.hr_sheet(stage, application)
    taking_input = selectors.takes_input(stage)
    form = ScoreForm(stage, request.POST or None, values=sheet.scores if sheet else {}, disabled=not taking_input)
    if request.method == "POST" and form.is_valid():
        try:
            scoring.enter_scores(stage, application, actor=request.user, scores=form.scores())
        except ValidationError as error:
            add_service_errors(form, error, form.aliases)
        else:
            messages.success(request, _("Scores for %s saved.") % application.number)
            following = selectors.next_to_score(stage, application)
            if following is not None and request.POST.get("next") == "1":
                return redirect("recruitment:stage-scores", pk=pk, application_id=following.pk)
            return redirect("recruitment:stage", pk=pk)
    return render(request, "recruitment/stage_scores.html", {
        "stage": stage, "application": application, "form": form, "sheet": sheet, "taking_input": taking_input,
        "correctable": selectors.scores_correctable(request.user, stage)})


@staff_page
def stage_panel(request, pk: int):
    """The assessor panel of a stage: who has submitted, and each candidate's average once all have."""
    _require(selectors.can_read(request.user))
    stage = selectors.stage_by_pk(pk)
    if stage is None or not stage.uses_assessors:
        raise Http404
    return render(request, "recruitment/stage_panel.html", {"stage": stage, "panel": selectors.panel_summary(stage),
                                                            "can_manage": selectors.can_manage(request.user)})


@staff_page
def stage_correct(request, pk: int, application_id: int):
    """HR corrects a candidate's scores in a computed stage, with a written reason; the stage and the
    later ones are re-ranked (and re-published where announced) by the services."""
    _require(selectors.can_manage(request.user))
    stage = selectors.stage_by_pk(pk)
    application = selectors.participant(stage, application_id) if stage else None
    if application is None or not stage.components:
        raise Http404
    result = selectors.result_of(stage, application)
    if result is None:
        raise Http404
    form = CorrectionForm(stage, request.POST or None, placeholders=result.scores)
    if request.method == "POST" and form.is_valid():
        try:
            corrections.correct_scores(stage, application, actor=request.user, scores=form.scores(),
                                       reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error, form.aliases)
        else:
            messages.success(request, _("The scores of %s are corrected and the stage re-ranked.") % application.number)
            return redirect("recruitment:stage", pk=pk)
    return render(request, "recruitment/stage_correct.html", {
        "stage": stage, "application": application, "result": result, "form": form,
        "current": [(name, result.scores.get(name, "")) for name in stage.component_names()],
        "correctable": selectors.scores_correctable(request.user, stage),
        "reason_text": selectors.reason_text(result)})


@staff_page
def objection_detail(request, pk: int):
    objection = selectors.objection_for_staff(request.user, pk)
    if objection is None:
        raise Http404
    if request.method == "POST":
        _require(selectors.can_manage(request.user))
        corrections = {}
        if request.POST.get("correction_stage"):
            corrections["stage"] = int(request.POST["correction_stage"])
            scores = {key[6:]: value for key, value in request.POST.items() if key.startswith("score:") and value}
            if scores:
                corrections["scores"] = scores
        try:
            objections.decide_objection(objection, actor=request.user, accept=request.POST.get("accept") == "1",
                                        reason=request.POST.get("reason", ""), corrections=corrections)
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Decision saved."))
        return redirect("recruitment:objection", pk=pk)
    earlier = objection.stage.opening.stages.filter(included=True, sequence__lte=objection.stage.sequence) \
        .order_by("sequence")
    return render(request, "recruitment/objection_detail.html", {
        "objection": objection, "stages": earlier, "can_manage": selectors.can_manage(request.user),
        "today": facts.today()})
