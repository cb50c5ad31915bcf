"""The region's public job portal (/jobs/). Anyone may browse openings and published results; applicants
sign in with their own portal account (never a staff login) to apply, upload documents, follow their
applications and file objections. Access is decided by the recruitment selectors."""
from __future__ import annotations

import functools

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinerja.accounts import signin_guard
from kinerja.recruitment import portal_session, selectors
from kinerja.recruitment.services import applicants, applications, objections
from kinerja.recruitment.views import report
from kinerja.region import facts
from kinerja.service_errors import add_to_form


def _portal(view):
    """Portal pages exist on a region's host only."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.schema_name == "public":
            raise Http404
        request.applicant = portal_session.current_applicant(request)
        return view(request, *args, **kwargs)

    return wrapper


def _applicant_only(view):
    @_portal
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.applicant is None:
            return redirect(f"{_url('jobs:login')}?next={request.path}")
        return view(request, *args, **kwargs)

    return wrapper


def _url(name, **kwargs):
    from django.urls import reverse

    return reverse(name, kwargs=kwargs or None)


@_portal
def opening_list(request):
    return render(request, "jobs/opening_list.html", {"openings": selectors.public_openings()})


@_portal
def opening_detail(request, code: str):
    opening = selectors.public_opening(code)
    if opening is None:
        raise Http404
    applied = request.applicant is not None and opening.applications.filter(applicant=request.applicant).first()
    return render(request, "jobs/opening_detail.html", {
        "opening": opening, "stages": selectors.public_stages(opening), "application": applied,
        "registration_open": applications.registration_open(opening)})


@_portal
def stage_results(request, code: str, stage_id: int):
    opening = selectors.public_opening(code)
    publication = selectors.latest_publication(opening, stage_id) if opening else None
    if publication is None:
        raise Http404
    return render(request, "jobs/stage_results.html", {"opening": opening, "publication": publication,
                                                       "stage": publication.stage})


class RegisterForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("Email"))
    birth_date = forms.DateField(label=gettext_lazy("Birth date"), widget=forms.DateInput(attrs={"type": "date"}))
    gender = forms.ChoiceField(label=gettext_lazy("Gender"), choices=[("M", gettext_lazy("Male")),
                                                                      ("F", gettext_lazy("Female"))])
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False)
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)


class SignInForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email"))
    password = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput)


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/jobs/") else _url("jobs:me")


@_portal
def register(request):
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            applicant = applicants.register_applicant(**form.cleaned_data)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            portal_session.sign_in_applicant(request, applicant)
            return redirect(_safe_next(request))
    return render(request, "jobs/register.html", {"form": form})


@_portal
def sign_in(request):
    form = SignInForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        # The same django-axes limits as staff sign-in, counted under the applicant's address and the
        # client's: a locked-out attempt is refused even with the right password.
        account = f"applicant:{form.cleaned_data['email'].strip().lower()}"
        if signin_guard.is_locked_out(request, account):
            form.add_error(None, _("Too many failed sign-ins: try again in %d minutes.")
                           % signin_guard.cool_off_minutes(request))
            status = 429
        else:
            applicant = applicants.authenticate_applicant(form.cleaned_data["email"], form.cleaned_data["password"])
            if applicant is None:
                signin_guard.record_failure(request, account)
                form.add_error(None, _("No applicant of this region has that email and password."))
            else:
                signin_guard.record_success(request, account)
                portal_session.sign_in_applicant(request, applicant)
                return redirect(_safe_next(request))
    return render(request, "jobs/login.html", {"form": form, "next": request.GET.get("next", "")}, status=status)


@require_POST
@_portal
def sign_out(request):
    portal_session.sign_out_applicant(request)
    return redirect("jobs:opening-list")


@_applicant_only
def my_applications(request):
    return render(request, "jobs/my_applications.html",
                  {"applications": selectors.applications_of(request.applicant)})


@require_POST
@_applicant_only
def apply(request, code: str):
    opening = selectors.public_opening(code)
    if opening is None:
        raise Http404
    try:
        application = applications.apply(applicant=request.applicant, opening=opening)
    except ValidationError as error:
        report(request, error)
        return redirect("jobs:opening-detail", code=code)
    messages.success(request, _("Application submitted. Upload your documents now."))
    return redirect("jobs:application", pk=application.pk)


@_applicant_only
def application_detail(request, pk: int):
    application = selectors.application_of(request.applicant, pk)
    if application is None:
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("op") == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise ValidationError({"file": [_("Choose a file to upload.")]})
                applications.upload_document(applicant=request.applicant, application=application,
                                             name=request.POST.get("name", ""), uploaded_file=upload)
            elif request.POST.get("op") == "objection":
                stage = selectors.stage_of_application(application, request.POST.get("stage"))
                if stage is None:
                    raise Http404
                objections.file_objection(applicant=request.applicant, application=application, stage=stage,
                                          reason=request.POST.get("reason", ""))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            report(request, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Saved."))
        return redirect("jobs:application", pk=pk)
    documents = {d.name: d for d in application.documents.all()}
    return render(request, "jobs/application_detail.html", {
        "application": application, "stage_rows": selectors.own_stage_rows(application),
        "documents": [(name, documents.get(name)) for name in application.opening.documents_required],
        "objections": application.objections.select_related("stage"),
        "registration_open": applications.registration_open(application.opening), "today": facts.today()})


@_applicant_only
def document_download(request, pk: int):
    document = selectors.document_of(request.applicant, pk)
    if document is None:
        raise Http404
    return FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)
