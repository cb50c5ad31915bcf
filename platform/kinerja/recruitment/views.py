"""HR's recruitment pages (/recruitment/): openings and their pipelines, applications and document checks,
score entry and import, assessors' score sheets, computing, publishing, objections and hiring. Access is
decided by the recruitment selectors; the services hold every rule."""
from __future__ import annotations

import datetime
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
from kinerja.recruitment import exports, imports, rules, selectors, services
from kinerja.recruitment.models import Application, ApplicationDocument


def report(request, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            for problem in problems:
                messages.error(request, f"{field}: {problem}" if field != "__all__" else problem)
    else:
        for problem in error.messages:
            messages.error(request, problem)


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
            opening = services.create_opening(actor=request.user, **data)
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
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
                services.move_stage(stage, actor=request.user, up=post.get("direction") == "up")
            elif op == "include" and stage:
                services.set_stage_included(stage, actor=request.user, included=post.get("included") == "1")
            elif op == "rules" and stage:
                services.update_stage_rules(stage, actor=request.user, publish_fields=post.getlist("publish_fields"),
                                            threshold=post.get("threshold", ""),
                                            advance_per_post=post.get("advance_per_post", ""),
                                            objection_window_days=post.get("objection_window_days", "0"))
            elif op == "publish":
                services.publish_opening(opening, actor=request.user)
            elif op == "close_registration":
                services.close_registration(opening, actor=request.user)
            elif op == "advance":
                services.advance(opening, actor=request.user)
            elif op == "hire":
                hires = services.hire(opening, actor=request.user)
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
            services.review_document(document, actor=request.user, accepted=request.POST.get("accepted") == "1",
                                     reason=request.POST.get("reason", ""))
        except ValidationError as error:
            report(request, error)
        return redirect("recruitment:application", pk=pk)
    results = application.results.select_related("stage").order_by("stage__sequence")
    return render(request, "recruitment/application_detail.html", {
        "application": application, "documents": application.documents.all(), "results": results,
        "can_manage": selectors.can_manage(request.user), "reason_text": selectors.reason_text})


@staff_page
def document_download(request, pk: int):
    document = selectors.document_for_staff(request.user, pk)
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)


@staff_page
def stage_detail(request, pk: int):
    stage = selectors.stage_for_staff(request.user, pk)
    if stage is None or not selectors.can_read(request.user):
        if stage is not None:
            return redirect("recruitment:assess-stage", pk=pk)
        raise Http404
    if request.method == "POST":
        _require(selectors.can_manage(request.user))
        op = request.POST.get("op", "")
        try:
            if op == "compute":
                services.compute_stage(stage, actor=request.user)
            elif op == "publish":
                services.publish_stage(stage, actor=request.user)
            elif op == "assessor":
                user = get_user_model().objects.filter(username=request.POST.get("username", "").strip()).first()
                if user is None:
                    raise ValidationError({"username": [_("No staff member has that user name.")]})
                services.assign_assessor(stage, user, actor=request.user)
            elif op == "scores":
                application = get_object_or_404(Application, pk=request.POST.get("application"),
                                                 opening_id=stage.opening_id)
                services.enter_scores(stage, application, actor=request.user,
                                      scores={name: request.POST.get(f"score-{i}", "")
                                              for i, name in enumerate(stage.component_names())})
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
    return render(request, "recruitment/stage_detail.html", {
        "stage": stage, "results": [(r, selectors.reason_text(r)) for r in results],
        "assessors": stage.assessors.select_related("user"), "can_manage": selectors.can_manage(request.user),
        "imports": stage.imports.all()[:5], "objections": stage.objections.select_related("application")})


@staff_page
def stage_export(request, pk: int, fmt: str):
    stage = selectors.stage_for_staff(request.user, pk)
    if stage is None or not selectors.can_read(request.user):
        raise Http404
    filename = f"{stage.opening.code}-{stage.sequence}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(stage), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.as_xlsx(stage), content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@staff_page
def assess(request):
    stages = selectors.assessed_stages(request.user)
    _require(stages.exists())
    return render(request, "recruitment/assess.html", {"stages": stages})


@staff_page
def assess_stage(request, pk: int):
    stage = selectors.assessed_stages(request.user).filter(pk=pk).first()
    if stage is None:
        raise Http404
    return render(request, "recruitment/assess_stage.html", {"stage": stage,
                                                             "rows": selectors.assessor_queue(request.user, stage)})


@staff_page
def assess_sheet(request, pk: int, application_id: int):
    stage = selectors.assessed_stages(request.user).filter(pk=pk).first()
    application = Application.objects.filter(pk=application_id, results__stage=stage).first() if stage else None
    if application is None:
        raise Http404
    if request.method == "POST":
        try:
            services.save_score_sheet(stage, application, assessor=request.user,
                                      scores={name: request.POST.get(f"score-{i}", "")
                                              for i, name in enumerate(stage.component_names())},
                                      submit=request.POST.get("submit") == "1")
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("recruitment:assess-sheet", pk=pk, application_id=application_id)
    view = selectors.assessor_view(request.user, stage, application)
    own = view["own"].scores if view["own"] else {}
    return render(request, "recruitment/assess_sheet.html", {
        "stage": stage, "application": application, "view": view,
        "fields": [(i, c, own.get(c["name"], "")) for i, c in enumerate(stage.components)]})


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
            services.decide_objection(objection, actor=request.user, accept=request.POST.get("accept") == "1",
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
        "today": datetime.date.today()})
