"""Pay pages. Access is decided by the pay selectors; writes go through the services."""
from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinerja.pay import (
    attendance,
    bank_accounts,
    bank_files,
    checks,
    documents,
    exports,
    history,
    named_pay,
    selectors,
    service_targets,
    services,
)
from kinerja.pay.explain import explain
from kinerja.pay.models import AttendanceStatus, PayRunStatus
from kinerja.people.selectors import employee_by_nip
from kinerja.region import facts, formats
from kinerja.region.facts import month_start
from kinerja.service_errors import add_to_form


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class MonthForm(forms.Form):
    month = forms.DateField(label=gettext_lazy("Month"), input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))


@login_required
def home(request):
    user = request.user
    if request.method == "POST":
        _require(selectors.can(user, "pay.run.start"))
    _require(selectors.can(user, "pay.read"))
    if not selectors.reads_all_pay(user):
        return render(request, "pay/mine.html", {"results": selectors.my_results(user).select_related("run")})
    form = MonthForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.create_run(month=form.cleaned_data["month"], actor=user)
                return redirect("pay:run-detail", run.pk)
            except ValidationError as error:
                _errors(request, error)
    runs = Paginator(selectors.visible_runs(user), 24).get_page(request.GET.get("page"))
    return render(request, "pay/runs.html", {"runs": runs, "form": form,
                                             "can_start": selectors.can(user, "pay.run.start"),
                                             "can_manage_data": selectors.can(user, "pay.data.manage")})


@login_required
def run_detail(request, pk: int):
    _require(selectors.reads_all_pay(request.user))
    run = selectors.run_for(request.user, pk)
    results = Paginator(selectors.results_of(run), 50).get_page(request.GET.get("page"))
    others = selectors.comparable_runs(request.user, run)
    can = selectors.run_actions_for(request.user, run)
    missing = selectors.missing_accounts(run) if run.status in selectors.TRANSFERABLE and can["transfer"] else []
    changed = selectors.input_changers(run).get(request.user.pk) if run.status == PayRunStatus.COMPUTED else None
    findings = checks.findings_for(run) if run.status != PayRunStatus.CANCELLED else []
    comparison = (checks.month_on_month(run, services.pay_settings())
                  if run.status in (PayRunStatus.COMPUTED, PayRunStatus.APPROVED) else None)
    return render(request, "pay/run_detail.html", {
        "run": run, "results": results, "can": can, "others": others, "missing_accounts": missing,
        "changed_inputs": changed, "statuses": PayRunStatus, "stall": selectors.stall_state(run),
        "findings": findings, "open_gaps": checks.gaps(findings), "comparison": comparison,
        "unwaivable_gaps": checks.unwaivable(findings),
        "preparing": request.GET.get("archive") == "preparing" and not run.payslip_archive})


@login_required
def run_payslip_archive(request, pk: int):
    """The payslip archive's link, polled by the run page (htmx) until the archive is ready."""
    _require(selectors.can(request.user, "pay.payslips.archive"))
    run = selectors.run_for(request.user, pk)
    return render(request, "pay/_payslip_archive.html", {"run": run, "preparing": not run.payslip_archive})


@login_required
def run_progress(request, pk: int):
    _require(selectors.reads_all_pay(request.user))
    run = selectors.run_for(request.user, pk)
    response = render(request, "pay/_progress.html", {"run": run, "stall": selectors.stall_state(run)})
    if run.status != PayRunStatus.COMPUTING and request.htmx:
        response["HX-Refresh"] = "true"  # the page's actions change once computing ends
    return response


@login_required
@require_POST
def run_action(request, pk: int, action: str):
    _require(selectors.reads_all_pay(request.user))
    run = selectors.run_for(request.user, pk)
    if action not in services.RUN_ACTIONS:
        raise Http404
    try:
        services.run_action(run, action, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        _errors(request, error)
    return redirect("pay:run-detail", run.pk)


@login_required
def run_register(request, pk: int):
    _require(selectors.reads_all_pay(request.user))
    run = selectors.run_for(request.user, pk)
    region = facts.current_region()
    return _download(exports.payroll_register(run, region_name=region.name if region else "", today=facts.today()),
                     f"register-tpp-{run.month:%Y-%m}.xlsx", exports.XLSX_CONTENT_TYPE)


@login_required
def run_bank_file(request, pk: int):
    _require(selectors.reads_all_pay(request.user))
    run = selectors.run_for(request.user, pk)
    try:
        transfer = services.bank_transfer_file(run, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
        return redirect("pay:run-detail", run.pk)
    return _download(transfer.content, transfer.filename, transfer.content_type)


@login_required
def run_payslips(request, pk: int):
    """POST builds the zip in the background; GET downloads it once built."""
    _require(selectors.can(request.user, "pay.payslips.archive"))
    run = selectors.run_for(request.user, pk)
    if request.method == "POST":
        services.request_payslip_archive(run, actor=request.user)
        messages.info(request, _("The payslips are being prepared; the download appears here when ready."))
        return redirect(f"{reverse('pay:run-detail', args=[run.pk])}?archive=preparing")
    archive = selectors.payslip_archive(run)
    if archive is None:
        raise Http404
    return FileResponse(archive, as_attachment=True, filename=f"slip-tpp-{run.month:%Y-%m}.zip")


@login_required
def run_diff(request, pk: int, other: int):
    _require(selectors.reads_all_pay(request.user))
    run, other_run = selectors.run_for(request.user, pk), selectors.run_for(request.user, other)
    return render(request, "pay/run_diff.html", {"run": run, "other": other_run,
                                                 "rows": selectors.run_diff(other_run, run)})


@login_required
def result_detail(request, pk: int):
    result = selectors.result_for(request.user, pk)
    return render(request, "pay/result_detail.html", {
        "result": result, "explanation": explain(result), "previous": selectors.previous_result(request.user, result),
        "is_reader": selectors.reads_all_pay(request.user)})


@login_required
def result_diff(request, pk: int, other: int):
    result, other_result = selectors.result_pair(request.user, pk, other)
    return render(request, "pay/result_diff.html", {"result": result, "other": other_result,
                                                    "rows": selectors.diff_results(other_result, result)})


@login_required
def result_payslip(request, pk: int):
    result = selectors.result_for(request.user, pk)
    return _download(documents.payslip_pdf(result, documents.region_letterhead()), documents.payslip_filename(result),
                     "application/pdf")


def verify_payslip(request, code: str):
    """Public: whether a payslip's verification code is genuine, showing only what the slip itself shows
    in part (period, a masked NIP, the take-home), never a name."""
    result = documents.result_for_code(code)
    return render(request, "pay/verify_payslip.html", {
        "result": result, "code": code, "nip": documents.masked_nip(result.nip) if result else "",
        "period": documents.month_in_words(result.run.month) if result else ""}, status=200 if result else 404)


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Attendance export (.xlsx or .csv)"))


@login_required
def attendance_page(request):
    _require(selectors.can(request.user, "pay.data.manage"))
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = attendance.preview_import(content=upload.read(), filename=upload.name, actor=request.user)
        return redirect("pay:attendance-import", batch.pk)
    imports = Paginator(selectors.attendance_imports(), 20).get_page(request.GET.get("page"))
    return render(request, "pay/attendance.html", {"form": form, "imports": imports, "columns": attendance.COLUMNS,
                                                   "required": attendance.REQUIRED})


@login_required
def attendance_import(request, pk: int):
    _require(selectors.can(request.user, "pay.data.manage"))
    batch = get_object_or_404(selectors.attendance_imports(), pk=pk)
    if request.method == "POST":
        try:
            count = attendance.apply_import(batch, actor=request.user)
            messages.success(request, _("%d attendance rows saved.") % count)
            return redirect("pay:attendance")
        except ValidationError as error:
            _errors(request, error)
            batch.refresh_from_db()
    return render(request, "pay/attendance_import.html", {"batch": batch})


class CorrectionForm(forms.Form):
    nip = forms.CharField(label=gettext_lazy("NIP"), max_length=18)
    date = forms.DateField(label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=AttendanceStatus.choices)
    check_in = forms.TimeField(label=gettext_lazy("Check-in"), required=False)
    check_out = forms.TimeField(label=gettext_lazy("Check-out"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


@login_required
def attendance_correct(request):
    _require(selectors.can(request.user, "pay.data.manage"))
    form = CorrectionForm(request.POST or None, initial=request.GET or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        employee = employee_by_nip(data["nip"])
        if employee is None:
            form.add_error("nip", _("No employee has this NIP."))
        else:
            try:
                attendance.correct_attendance(employee=employee, date=data["date"], actor=request.user,
                                              reason=data["reason"], status=data["status"],
                                              check_in=data["check_in"], check_out=data["check_out"])
                messages.success(request, _("The correction is saved and recorded in the audit trail."))
                return redirect("pay:attendance-correct")
            except ValidationError as error:
                add_to_form(form, error)
    return render(request, "pay/attendance_correct.html", {"form": form})


class ServiceTargetForm(forms.Form):
    nip = forms.CharField(label=gettext_lazy("NIP"), max_length=18)
    month = forms.DateField(label=gettext_lazy("Month"), input_formats=["%Y-%m", "%Y-%m-%d"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    targets = forms.IntegerField(label=gettext_lazy("Requests due"), min_value=0)
    met_on_time = forms.IntegerField(label=gettext_lazy("Completed on time"), min_value=0)
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500)


class ServiceTargetUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Service targets (.xlsx or .csv)"))


@login_required
def service_targets_page(request):
    """HR enters one employee's month, or uploads a list (checked first), and reads a month's records."""
    _require(selectors.can(request.user, "pay.data.manage"))
    shown = MonthForm(request.GET or None)
    month = month_start(shown.cleaned_data["month"] if shown.is_valid() else facts.today())
    upload = ServiceTargetUploadForm(request.POST or None, request.FILES or None, prefix="upload")
    form = ServiceTargetForm(request.POST or None, initial={"month": month})
    if request.method == "POST" and request.POST.get("action") == "upload":
        form = ServiceTargetForm(initial={"month": month})
        if upload.is_valid():
            content = upload.cleaned_data["file"]
            batch = service_targets.preview_import(content=content.read(), filename=content.name, actor=request.user)
            return redirect("pay:service-target-import", batch.pk)
    elif request.method == "POST":
        upload = ServiceTargetUploadForm(prefix="upload")
        if form.is_valid():
            data = form.cleaned_data
            employee = employee_by_nip(data["nip"])
            if employee is None:
                form.add_error("nip", _("No employee has this NIP."))
            else:
                try:
                    service_targets.set_service_target(actor=request.user, employee=employee, month=data["month"],
                                                       targets=data["targets"], met_on_time=data["met_on_time"],
                                                       reason=data["reason"])
                    messages.success(request, _("Saved."))
                    return redirect(f"{request.path}?month={month_start(data['month']):%Y-%m}")
                except ValidationError as error:
                    add_to_form(form, error)
    records = Paginator(selectors.service_targets_of_month(month), 50).get_page(request.GET.get("page"))
    imports = selectors.service_target_imports()[:10]
    return render(request, "pay/service_targets.html", {
        "form": form, "upload": upload, "month": month, "records": records, "imports": imports,
        "columns": service_targets.COLUMNS})


@login_required
def service_target_import(request, pk: int):
    _require(selectors.can(request.user, "pay.data.manage"))
    batch = get_object_or_404(selectors.service_target_imports(), pk=pk)
    if request.method == "POST":
        try:
            count = service_targets.apply_import(batch, actor=request.user)
            messages.success(request, _("%d service target rows saved.") % count)
            return redirect("pay:service-targets")
        except ValidationError as error:
            _errors(request, error)
            batch.refresh_from_db()
    return render(request, "pay/service_target_import.html", {"batch": batch})


@login_required
def calendar_page(request):
    _require(selectors.reads_all_pay(request.user))
    if request.method == "POST":
        _require(selectors.can(request.user, "pay.data.manage"))
        try:
            if request.POST.get("action") == "holiday":
                services.add_holiday(actor=request.user,
                                     date=datetime.date.fromisoformat(request.POST.get("date", "")),
                                     name=request.POST.get("name", ""))
            elif request.POST.get("action") == "remove-holiday":
                services.remove_holiday(get_object_or_404(selectors.holidays(), pk=request.POST.get("holiday")),
                                       actor=request.user)
            else:
                weekday = int(request.POST.get("weekday", -1))
                working = request.POST.get("is_working") == "on"
                times = [datetime.time.fromisoformat(request.POST[k]) if request.POST.get(k) else None
                         for k in ("starts_at", "ends_at")]
                services.set_working_day(actor=request.user, weekday=weekday, is_working=working,
                                         starts_at=times[0], ends_at=times[1])
            messages.success(request, _("Saved."))
        except (ValueError, KeyError):
            messages.error(request, _("Enter a date as YYYY-MM-DD and times as HH:MM."))
        except ValidationError as error:
            _errors(request, error)
        return redirect("pay:calendar")
    days = {day.weekday: day for day in selectors.working_days()}
    from django.utils.dates import WEEKDAYS

    week = [{"weekday": n, "name": WEEKDAYS[n], "day": days.get(n)} for n in range(7)]
    return render(request, "pay/calendar.html", {"week": week, "holidays": selectors.holidays(),
                                                 "named_pay_notice_days": named_pay.NOTICE_DAYS,
                                                 "can_manage": selectors.can(request.user, "pay.data.manage"),
                                                 "settings": services.pay_settings()})


@login_required
@require_POST
def settings_update(request):
    _require(selectors.can(request.user, "pay.data.manage"))
    try:
        if request.POST.get("action") == "outliers":
            services.set_outlier_limits(actor=request.user, employee_percent=request.POST.get("employee_percent"),
                                        total_percent=request.POST.get("total_percent"))
        elif "logo" in request.FILES:
            logo = request.FILES["logo"]
            services.set_document_logo(actor=request.user, content=logo.read(), filename=logo.name)
        else:
            services.update_pay_settings(actor=request.user, publish_transparency=request.POST.get("publish") == "on",
                                         criteria={name: request.POST.get(name, "") for name in services.CRITERIA_FIELDS})
        messages.success(request, _("Saved."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("pay:calendar")


@login_required
@require_POST
def named_pay_update(request):
    """HR turns pay published by name on (with the regulation and the first day) or off (with a reason)."""
    _require(selectors.can(request.user, "pay.data.manage"))
    try:
        if request.POST.get("action") == "off":
            named_pay.turn_off(actor=request.user, reason=request.POST.get("reason", ""))
        else:
            try:
                publish_from = datetime.date.fromisoformat(request.POST.get("publish_from", ""))
            except ValueError:
                publish_from = None
            named_pay.turn_on(actor=request.user, regulation=request.POST.get("regulation", ""),
                              publish_from=publish_from)
        messages.success(request, _("Saved."))
    except ValidationError as error:
        _errors(request, error)
    return redirect("pay:calendar")


def transparency(request):
    """Public: pay per position class (small classes pooled), when the region publishes it, with the
    region's criteria. No names, no NIPs."""
    table = selectors.transparency_table()
    if table is None:
        raise Http404
    return render(request, "pay/transparency.html", {"table": table})


# --- bank accounts ------------------------------------------------------------------------------------
class BankAccountForm(forms.Form):
    nip = forms.CharField(label=gettext_lazy("NIP"), max_length=18)
    bank = forms.ModelChoiceField(label=gettext_lazy("Bank"), queryset=selectors.banks().filter(active=True))
    account_number = forms.CharField(label=gettext_lazy("Account number"), max_length=40)
    holder_name = forms.CharField(label=gettext_lazy("Account holder (as the bank prints it)"), max_length=200)
    note = forms.CharField(label=gettext_lazy("Note for the approver"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class BankUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Bank accounts (.xlsx or .csv)"))


class BankFileSettingsForm(forms.Form):
    bank_file_format = forms.ChoiceField(label=gettext_lazy("Transfer file format"))
    payer_account = forms.CharField(label=gettext_lazy("Region's paying account (RKUD)"), required=False,
                                    max_length=30)
    layout = forms.JSONField(label=gettext_lazy("Column layout given by the bank (JSON; empty: the format's own)"),
                             required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, formats=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_file_format"].choices = [(code, f"{f.name} ({code})") for code, f in (formats or {}).items()]


@login_required
def bank_accounts_page(request):
    """HR enters accounts (one at a time or a spreadsheet), a second HR admin approves them; the page lists
    who still has no account and sets the region's transfer file format."""
    user = request.user
    _require(selectors.can(user, "pay.bank.manage"))
    action = request.POST.get("action") if request.method == "POST" else None
    form = BankAccountForm(request.POST if action == "enter" else None)
    upload = BankUploadForm(request.POST if action == "upload" else None, request.FILES if action == "upload" else None)
    formats = bank_files.available_formats()
    settings = services.pay_settings()
    file_form = BankFileSettingsForm(request.POST if action == "file" else None, formats=formats, initial={
        "bank_file_format": settings.bank_file_format, "payer_account": settings.payer_account,
        "layout": (settings.bank_file_layouts or {}).get(settings.bank_file_format)})
    import_errors = None
    if action == "enter" and form.is_valid():
        data = form.cleaned_data
        employee = employee_by_nip(data["nip"])
        if employee is None:
            form.add_error("nip", _("No employee has this NIP."))
        else:
            try:
                bank_accounts.request_change(actor=user, employee=employee, bank=data["bank"],
                                             account_number=data["account_number"], holder_name=data["holder_name"],
                                             note=data["note"], source=_("entered on the bank accounts page"))
                messages.success(request, _("Saved; the account is used once another HR admin approves it."))
                return redirect("pay:bank-accounts")
            except ValidationError as error:
                add_to_form(form, error)
    elif action == "upload" and upload.is_valid():
        content = upload.cleaned_data["file"]
        outcome = bank_accounts.import_accounts(actor=user, content=content.read(), filename=content.name)
        if outcome.errors:
            import_errors = outcome.errors
        else:
            messages.success(request, _("%d account(s) wait for another HR admin's approval.") % len(outcome.changes))
            return redirect("pay:bank-accounts")
    elif action == "file":
        _require(selectors.can(user, "pay.data.manage"))
        if file_form.is_valid():
            data = file_form.cleaned_data
            try:
                services.update_bank_file_settings(actor=user, bank_file_format=data["bank_file_format"],
                                                   payer_account=data["payer_account"], layout=data["layout"] or [])
                messages.success(request, _("Saved."))
                return redirect("pay:bank-accounts")
            except ValidationError as error:
                add_to_form(file_form, error)
    elif action in ("approve", "reject"):
        _require(selectors.can(user, "pay.bank.approve"))
        change = get_object_or_404(selectors.bank_account_changes(), pk=request.POST.get("change"))
        try:
            if action == "approve":
                bank_accounts.approve_change(change, actor=user, note=request.POST.get("note", ""))
                messages.success(request, _("Approved; the account is now used for transfers."))
            else:
                bank_accounts.reject_change(change, actor=user, note=request.POST.get("note", ""))
                messages.success(request, _("Rejected."))
        except ValidationError as error:
            _errors(request, error)
        return redirect("pay:bank-accounts")
    chosen = formats.get(settings.bank_file_format)
    return render(request, "pay/bank_accounts.html", {
        "form": form, "upload": upload, "file_form": file_form, "import_errors": import_errors,
        "pending": selectors.bank_account_changes("pending"),
        "missing": Paginator(selectors.employees_without_account(), 50).get_page(request.GET.get("missing")),
        "accounts": Paginator(selectors.bank_accounts(), 50).get_page(request.GET.get("page")),
        "banks": selectors.banks(), "columns": bank_accounts.COLUMNS, "required": bank_accounts.REQUIRED,
        "chosen": chosen, "default_layout": [c.as_dict() for c in chosen.default_layout] if chosen else [],
        "can_approve": selectors.can(user, "pay.bank.approve"),
        "can_set_file": selectors.can(user, "pay.data.manage")})


@login_required
def run_corrections(request, pk: int):
    """A locked run's corrections: who is owed or overpaid after its inputs were corrected (new minus
    paid), made into adjustment lines of the next open month with a reason."""
    _require(selectors.can(request.user, "pay.run.start"))
    run = selectors.run_for(request.user, pk)
    current = request.POST.get("settings") == "current" or request.GET.get("settings") == "current"
    if request.method == "POST":
        try:
            made = services.apply_corrections(run, actor=request.user, reason=request.POST.get("reason", ""),
                                              use_current_settings=current)
            messages.success(request, _("%(count)d adjustment(s) will be paid in %(month)s.") % {
                "count": len(made), "month": formats.month(services.next_payable_month(run.month))})
            return redirect("pay:run-corrections", run.pk)
        except ValidationError as error:
            _errors(request, error)
    lines, problem = [], None
    try:
        lines = services.correction_preview(run, actor=request.user, use_current_settings=current)
    except ValidationError as error:
        problem = " ".join(error.messages)
    return render(request, "pay/run_corrections.html", {
        "run": run, "lines": lines, "problem": problem, "current": current,
        "adjustments": selectors.adjustments_for(run), "pay_month": services.next_payable_month(run.month)})


# --- history over the years ---------------------------------------------------------------------
@login_required
def history_page(request, employee_id: int | None = None):
    """An employee's predicates and TPP year by year: one's own, or anyone's for region-wide readers."""
    _require(selectors.can(request.user, "pay.read"))
    employee = history.history_employee(request.user, employee_id)
    return render(request, "pay/history.html", {"employee": employee, "years": history.employee_years(employee),
                                                "own": employee.user_id == request.user.pk})


def _summary_year(request) -> int:
    try:
        return int(request.GET.get("year") or facts.today().year)
    except ValueError:
        raise Http404 from None


@login_required
def annual_summary_page(request):
    """HR's annual TPP summary per unit, with its spreadsheet."""
    _require(selectors.reads_all_pay(request.user))
    year = _summary_year(request)
    years = history.paid_years()
    return render(request, "pay/annual_summary.html", {"summary": history.annual_summary(year),
                                                       "years": sorted(set(years) | {year}, reverse=True)})


@login_required
def annual_summary_export(request, year: int):
    _require(selectors.reads_all_pay(request.user))
    region = facts.current_region()
    return _download(exports.annual_summary_workbook(history.annual_summary(year),
                                                     region_name=region.name if region else ""),
                     f"rekap-tpp-{year}.xlsx", exports.XLSX_CONTENT_TYPE)
