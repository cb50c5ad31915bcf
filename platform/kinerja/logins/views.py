"""Pages for logins: HR's (a region's logins, roles, acting supervisors, sign-in policy) and everyone's
own (API tokens, two-factor). Rules live in kinerja.logins.services and kinerja.people.services."""
from __future__ import annotations

import base64

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja.accounts import twofactor
from kinerja.accounts.models import GRANTABLE_ROLES, ApiToken, Role
from kinerja.logins import selectors, services
from kinerja.people import services as people_services
from kinerja.people.models import ActingKind, EmployeeStatus
from kinerja.people.selectors import (
    acting_supervisors,
    employee_by_nip,
    unit_by_code,
    units_for_choice,
)
from kinerja.region import facts
from kinerja.service_errors import add_to_form


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def site_url(request) -> str:
    return facts.site_url(request.tenant) + "/"


def _filters(params) -> dict:
    unit = unit_by_code(params.get("unit", "").strip())
    return {"unit": unit, "has_login": params.get("login", "") if params.get("login") in {"yes", "no"} else "",
            "status": params.get("status", "") if params.get("status") in EmployeeStatus.values else "",
            "search": params.get("q", "").strip()}


class SpreadsheetForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet of NIPs (.xlsx or CSV; a column headed NIP, or the "
                                              "first column)"))


def _show_result(request, result: services.BulkResult):
    return render(request, "logins/created.html", {"result": result})


@login_required
def login_list(request):
    _require(selectors.can_manage_logins(request.user))
    filters = _filters(request.GET)
    employees = selectors.employees_for_logins(**filters).order_by("full_name", "pk")
    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "logins/login_list.html", {
        "page": page, "filters": filters, "query": query.urlencode(), "units": units_for_choice(),
        "statuses": EmployeeStatus.choices, "others": selectors.logins_without_employee(),
        "spreadsheet_form": SpreadsheetForm(), "without_login": employees.filter(user__isnull=True).count()})


@login_required
@require_POST
def login_create(request, employee_pk: int):
    _require(selectors.can_manage_logins(request.user))
    employee = get_object_or_404(selectors.employees_for_logins(), pk=employee_pk)
    try:
        delivery = services.create_login(actor=request.user, employee=employee, site_url=site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("logins:list")
    return _show_result(request, services.BulkResult(created=[delivery]))


@login_required
@require_POST
def login_create_bulk(request):
    """Logins for every employee the filter shows who has none (a unit, a status, a search)."""
    _require(selectors.can_manage_logins(request.user))
    filters = _filters(request.POST)
    filters["has_login"] = "no"
    result = services.create_logins(actor=request.user, employees=selectors.employees_for_logins(**filters),
                                    site_url=site_url(request))
    return _show_result(request, result)


@login_required
def login_spreadsheet(request):
    _require(selectors.can_manage_logins(request.user))
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.create_logins_from_spreadsheet(actor=request.user, uploaded_file=form.cleaned_data["file"],
                                                             site_url=site_url(request))
        except ValidationError as error:
            add_to_form(form, error)
        else:
            return _show_result(request, result)
    return render(request, "logins/spreadsheet.html", {"form": form})


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=[(role.value, role.label) for role in GRANTABLE_ROLES])
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


@login_required
def login_detail(request, pk: int):
    _require(selectors.can_manage_logins(request.user))
    user = get_object_or_404(get_user_model(), pk=pk)
    role_form, reason_form = RoleForm(), ReasonForm()
    return render(request, "logins/login_detail.html", {
        "login": user, "employee": getattr(user, "employee", None),
        "grants": selectors.role_grants_of(user), "tokens": selectors.tokens_of(user),
        "held_roles": [Role(role) for role in sorted(user.roles) if role in GRANTABLE_ROLES],
        "two_factor": TOTPDevice.objects.filter(user=user, confirmed=True).exists(),
        "role_form": role_form, "reason_form": reason_form})


def _login_action(request, pk: int, act):
    _require(selectors.can_manage_logins(request.user))
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        message = act(user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if message:
            messages.success(request, message)
    return redirect("logins:detail", pk=pk)


@login_required
@require_POST
def role_grant(request, pk: int):
    def act(user):
        services.grant_role(actor=request.user, user=user, role=request.POST.get("role", ""),
                            reason=request.POST.get("reason", ""))
        return _("%(role)s granted to %(user)s.") % {"role": Role(request.POST["role"]).label, "user": user.display_name}
    return _login_action(request, pk, act)


@login_required
@require_POST
def role_revoke(request, pk: int):
    def act(user):
        services.revoke_role(actor=request.user, user=user, role=request.POST.get("role", ""),
                             reason=request.POST.get("reason", ""))
        return _("Role revoked.")
    return _login_action(request, pk, act)


@login_required
@require_POST
def login_deactivate(request, pk: int):
    def act(user):
        services.deactivate_login(actor=request.user, user=user, reason=request.POST.get("reason", ""))
        return _("%s can no longer sign in; their sessions and tokens have ended.") % user.display_name
    return _login_action(request, pk, act)


@login_required
@require_POST
def login_reactivate(request, pk: int):
    def act(user):
        services.reactivate_login(actor=request.user, user=user, reason=request.POST.get("reason", ""))
        return _("%s can sign in again.") % user.display_name
    return _login_action(request, pk, act)


@login_required
@require_POST
def login_link(request, pk: int):
    _require(selectors.can_manage_logins(request.user))
    user = get_object_or_404(get_user_model(), pk=pk)
    try:
        delivery = services.resend_set_password_link(actor=request.user, user=user, site_url=site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("logins:detail", pk=pk)
    return _show_result(request, services.BulkResult(created=[delivery]))


@login_required
@require_POST
def login_remove_two_factor(request, pk: int):
    def act(user):
        services.remove_two_factor(actor=request.user, user=user, reason=request.POST.get("reason", ""))
        return _("Two-factor device removed.")
    return _login_action(request, pk, act)


@login_required
@require_POST
def token_revoke_any(request, pk: int):
    _require(selectors.can_manage_logins(request.user))
    token = get_object_or_404(selectors.visible_tokens(request.user), pk=pk)
    try:
        services.revoke_token(actor=request.user, token=token)
        messages.success(request, _("Token revoked."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("logins:detail", pk=token.user_id)


class PolicyForm(forms.Form):
    require_two_factor_for_hr = forms.BooleanField(label=gettext_lazy("HR admins must use two-factor sign-in"),
                                                   required=False)
    email_links = forms.BooleanField(label=gettext_lazy("Send set-password links by e-mail"), required=False,
                                     help_text=gettext_lazy("Off: the region has no e-mail, HR hands each link "
                                                            "over itself."))


@login_required
def policy(request):
    _require(selectors.can_manage_logins(request.user))
    current = services.sign_in_policy()
    form = PolicyForm(request.POST or None, initial={
        "require_two_factor_for_hr": current.require_two_factor_for_hr, "email_links": current.email_links})
    if request.method == "POST" and form.is_valid():
        services.update_sign_in_policy(actor=request.user, **form.cleaned_data)
        messages.success(request, _("Sign-in policy saved."))
        return redirect("logins:policy")
    return render(request, "logins/policy.html", {"form": form})


class ActingForm(forms.Form):
    acting_nip = forms.CharField(label=gettext_lazy("Acting supervisor (NIP)"), max_length=30)
    in_place_of_nip = forms.CharField(label=gettext_lazy("In place of (NIP)"), max_length=30)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=ActingKind.choices)
    starts_on = forms.DateField(label=gettext_lazy("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=gettext_lazy("Until"), widget=forms.DateInput(attrs={"type": "date"}))
    decree_number = forms.CharField(label=gettext_lazy("Decree (SK) number"), max_length=100, required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)


@login_required
def acting_list(request):
    _require(selectors.can_manage_logins(request.user))
    form = ActingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        acting, in_place_of = employee_by_nip(data.pop("acting_nip")), employee_by_nip(data.pop("in_place_of_nip"))
        if acting is None:
            form.add_error("acting_nip", _("No employee has this NIP."))
        if in_place_of is None:
            form.add_error("in_place_of_nip", _("No employee has this NIP."))
        if acting and in_place_of:
            try:
                people_services.appoint_acting_supervisor(actor=request.user, acting=acting, in_place_of=in_place_of,
                                                          **data)
            except ValidationError as error:
                names = {"acting": "acting_nip", "in_place_of": "in_place_of_nip"}
                add_to_form(form, error, aliases=names)
            else:
                messages.success(request, _("Acting supervisor recorded."))
                return redirect("logins:acting")
    return render(request, "logins/acting.html", {
        "form": form, "assignments": acting_supervisors()[:200], "today": facts.today()})


@login_required
@require_POST
def acting_end(request, pk: int):
    _require(selectors.can_manage_logins(request.user))
    assignment = get_object_or_404(acting_supervisors(), pk=pk)
    try:
        people_services.end_acting_supervisor(assignment, actor=request.user, reason=request.POST.get("reason", ""))
        messages.success(request, _("The acting assignment has ended."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("logins:acting")


# --- one's own: API tokens and two-factor ------------------------------------------------------------

class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name (what will use it)"), max_length=100)
    expires_on = forms.DateField(label=gettext_lazy("Last day it works"),
                                 widget=forms.DateInput(attrs={"type": "date"}))


@login_required
def my_tokens(request):
    _require(selectors.can_hold_tokens(request.user))
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_token(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_to_form(form, error)
        else:
            form = TokenForm()
    return render(request, "logins/my_tokens.html", {
        "form": form, "created": created, "tokens": selectors.tokens_of(request.user)})


@login_required
@require_POST
def my_token_revoke(request, pk: int):
    _require(selectors.can_hold_tokens(request.user))
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=pk)
    try:
        services.revoke_token(actor=request.user, token=token)
        messages.success(request, _("Token revoked: it no longer works."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("me:tokens")


class CodeForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code from the authenticator app"), max_length=10,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


@login_required
def two_factor_setup(request):
    """Set up (or replace) the authenticator app: the secret is shown as a key to type and an otpauth link."""
    if not twofactor.may_use_two_factor(request.user):
        raise PermissionDenied
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    form = CodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        try:
            services.confirm_two_factor(actor=request.user, device=device, code=form.cleaned_data["code"])
        except ValidationError as error:
            add_to_form(form, error)
        else:
            twofactor.complete(request, device)
            messages.success(request, _("Two-factor sign-in is on: you will be asked for a code at each sign-in."))
            return redirect("dashboard")
    if device is None:
        device = services.start_two_factor(actor=request.user)
    return render(request, "logins/two_factor_setup.html", {
        "form": form, "device": device, "secret": base64.b32encode(device.bin_key).decode(),
        "confirmed": TOTPDevice.objects.filter(user=request.user, confirmed=True).exists(),
        "mandatory": twofactor.pending_step(request) == twofactor.ENROLL})


@login_required
def two_factor_verify(request):
    device = twofactor.confirmed_device(request.user)
    if device is None:
        return redirect("dashboard")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip().replace(" ", "")):
            twofactor.complete(request, device)
            return redirect(request.GET.get("next") if str(request.GET.get("next", "")).startswith("/") else "dashboard")
        form.add_error("code", _("That code is not the one the app shows now; try the next one."))
    return render(request, "logins/two_factor_verify.html", {"form": form})


@login_required
@require_POST
def two_factor_remove(request):
    try:
        services.remove_two_factor(actor=request.user, user=request.user)
        messages.success(request, _("Two-factor sign-in is off."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("me:tokens")
