"""People pages. Access is decided by the people selectors; these views only read the request and render."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kinerja.people import career, exports, imports, leave, services
from kinerja.people.models import (
    CareerEventKind,
    Employee,
    EmployeeStatus,
    EmployeeType,
    ImportKind,
    ImportStatus,
    LeaveKind,
    LeaveRequest,
    Position,
    PositionKind,
)
from kinerja.people.departures import DEFAULT_RETIREMENT_AGE
from kinerja.people.selectors import (
    can_manage_people,
    can_read_organisation,
    can_read_people,
    filter_employees,
    import_batches,
    positions_with_headcount,
    unit_by_code,
    units_for_choice,
    units_with_headcount,
    visible_employee,
    visible_employees,
)
from kinerja.region import facts
from kinerja.service_errors import add_to_form


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def unit_list(request):
    _require(can_read_organisation(request.user))
    return render(request, "people/unit_list.html", {
        "units": units_with_headcount(), "can_manage": can_manage_people(request.user)})


class PositionForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("Code (KODE_JABATAN)"), max_length=30)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Position kind"),
                             choices=[("", gettext_lazy("Choose…")), *PositionKind.choices])
    position_class = forms.IntegerField(label=gettext_lazy("Position class (kelas jabatan, 1 to 17)"),
                                        min_value=1, max_value=17)
    retirement_age = forms.IntegerField(
        label=gettext_lazy("Retirement age (BUP, 50 to 70)"), min_value=50, max_value=70, required=False,
        help_text=gettext_lazy("Empty takes the default of %(age)s years.") % {"age": DEFAULT_RETIREMENT_AGE})


def _save_position(request, form, position=None) -> bool:
    """Create or update through the people service; its refusals land on the form's fields."""
    if not form.is_valid():
        return False
    try:
        if position is None:
            services.create_position(actor=request.user, **form.cleaned_data)
        else:
            services.update_position(position, actor=request.user, **form.cleaned_data)
    except ValidationError as error:
        add_to_form(form, error)
        return False
    return True


@login_required
def position_list(request):
    """Positions with their active staff; HR adds one here (imports also create them from new codes)."""
    _require(can_read_organisation(request.user))
    can_manage = can_manage_people(request.user)
    form = PositionForm(request.POST or None) if can_manage else None
    if request.method == "POST":
        _require(can_manage)
        if _save_position(request, form):
            messages.success(request, _("Position %(code)s added.") % {"code": form.cleaned_data["code"]})
            return redirect("people:position-list")
    return render(request, "people/position_list.html", {
        "positions": positions_with_headcount(), "can_manage": can_manage, "form": form,
        "default_retirement_age": DEFAULT_RETIREMENT_AGE}, status=400 if form is not None and form.errors else 200)


@login_required
def position_edit(request, pk: int):
    _require(can_manage_people(request.user))
    position = get_object_or_404(Position, pk=pk)
    initial = {field: getattr(position, field) for field in PositionForm.base_fields}
    form = PositionForm(request.POST or None, initial=initial)
    if request.method == "POST" and _save_position(request, form, position):
        messages.success(request, _("Saved."))
        return redirect("people:position-list")
    return render(request, "people/position_edit.html", {"position": position, "form": form},
                  status=400 if form.errors else 200)


def _filtered_employees(request):
    params = request.GET
    unit = unit_by_code(params.get("unit", "").strip())
    filters = {
        "unit": unit.code if unit else "",
        "subunits": params.get("subunits", "1") != "0",
        "type": params.get("type", "") if params.get("type", "") in EmployeeType.values else "",
        "status": params.get("status", "") if params.get("status", "") in EmployeeStatus.values else "",
        "q": params.get("q", "").strip(),
    }
    employees = filter_employees(visible_employees(request.user), unit=unit, include_subunits=filters["subunits"],
                                 employee_type=filters["type"], status=filters["status"], search=filters["q"])
    return employees, filters


@login_required
def employee_list(request):
    _require(can_read_people(request.user))
    employees, filters = _filtered_employees(request)
    page = Paginator(employees.order_by("full_name", "id"), 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page, "filters": filters, "query": query.urlencode(),
        "units": units_for_choice() if can_read_organisation(request.user) else [],
        "types": EmployeeType.choices, "statuses": EmployeeStatus.choices,
        "can_manage": can_manage_people(request.user),
    }
    if request.htmx:
        return render(request, "people/_employee_table.html", context)
    return render(request, "people/employee_list.html", context)


@login_required
def employee_detail(request, pk: int):
    employee = visible_employee(request.user, pk)
    if employee is None:
        raise Http404
    if request.method == "POST":
        _require(can_manage_people(request.user))
        post = request.POST
        try:
            career.record_career_event(
                actor=request.user, employee=employee, kind=post.get("kind", ""),
                effective_on=_leave_date(post.get("effective_on")), sk_number=post.get("sk_number", ""),
                sk_date=_leave_date(post.get("sk_date")), rank=post.get("rank", "").strip(), note=post.get("note", ""),
                position=Position.objects.filter(code=post.get("position", "").strip()).first(),
                unit=unit_by_code(post.get("unit", "").strip()))
        except ValidationError as error:
            _leave_errors(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("people:employee-detail", pk=employee.pk)
    subordinates = visible_employees(request.user).filter(supervisor=employee).order_by("full_name")
    return render(request, "people/employee_detail.html", {
        "employee": employee, "subordinates": subordinates, "history": career.history_of(employee),
        "career_kinds": CareerEventKind.choices, "can_manage": can_manage_people(request.user)})


EDIT_FIELDS = ("nip", "employee_type", "full_name", "gender", "birth_date", "rank", "status", "email",
               "contract_ends_on")


@login_required
def employee_edit(request, pk: int):
    """HR edits one employee through the people service (audited; a status of retired, dismissed or moved
    away ends the login the same day)."""
    _require(can_manage_people(request.user))
    employee = visible_employee(request.user, pk)
    if employee is None:
        raise Http404
    if request.method == "POST":
        post = request.POST
        changes = {field: post.get(field, "").strip() for field in EDIT_FIELDS}
        changes["birth_date"] = _leave_date(changes["birth_date"]) or changes["birth_date"] or None
        changes["contract_ends_on"] = _leave_date(changes["contract_ends_on"]) or changes["contract_ends_on"] or None
        unit = unit_by_code(post.get("unit", "").strip())
        position = Position.objects.filter(code=post.get("position", "").strip()).first()
        supervisor_nip = post.get("supervisor", "").strip()
        supervisor = Employee.objects.filter(nip=supervisor_nip).first() if supervisor_nip else None
        problems = {}
        for field in EDIT_FIELDS:
            limit = getattr(Employee._meta.get_field(field), "max_length", None)
            if limit and isinstance(changes[field], str) and len(changes[field]) > limit:
                problems[field] = [_("At most %(count)s characters.") % {"count": limit}]
        if unit is None:
            problems["unit"] = [_("No unit has this code.")]
        if position is None:
            problems["position"] = [_("No position has this code.")]
        if supervisor_nip and supervisor is None:
            problems["supervisor"] = [_("No employee has this NIP.")]
        try:
            if problems:
                raise ValidationError(problems)
            services.update_employee(employee, actor=request.user, reason=post.get("reason", ""), unit=unit,
                                     position=position, supervisor=supervisor, **changes)
        except ValidationError as error:
            for field, items in error.message_dict.items():
                for message in items:
                    messages.error(request, f"{field}: {message}")
            return render(request, "people/employee_edit.html", _edit_context(employee, post), status=400)
        messages.success(request, _("Saved."))
        return redirect("people:employee-detail", pk=employee.pk)
    return render(request, "people/employee_edit.html", _edit_context(employee, None))


def _edit_context(employee, post) -> dict:
    values = post if post is not None else {
        **{field: getattr(employee, field) or "" for field in EDIT_FIELDS},
        "birth_date": employee.birth_date.isoformat() if employee.birth_date else "",
        "contract_ends_on": employee.contract_ends_on.isoformat() if employee.contract_ends_on else "",
        "unit": employee.unit.code, "position": employee.position.code,
        "supervisor": employee.supervisor.nip if employee.supervisor_id else ""}
    return {"employee": employee, "values": values, "types": EmployeeType.choices,
            "statuses": EmployeeStatus.choices, "units": units_for_choice(),
            "positions": Position.objects.order_by("title")}


@login_required
def employee_export(request):
    _require(can_manage_people(request.user))
    employees, _filters = _filtered_employees(request)
    return _xlsx(exports.export_employees(employees), "pegawai.xlsx")


@login_required
def unit_export(request):
    _require(can_manage_people(request.user))
    return _xlsx(exports.export_units(units_for_choice()), "unit.xlsx")


class ImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=ImportKind.choices)
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx or CSV UTF-8)"))


@login_required
def import_page(request):
    _require(can_manage_people(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = imports.preview_import(kind=form.cleaned_data["kind"], uploaded_file=form.cleaned_data["file"],
                                       actor=request.user)
        return redirect("people:import-detail", pk=batch.pk)
    batches = Paginator(import_batches(), 20).get_page(request.GET.get("page"))
    return render(request, "people/import.html", {
        "form": form, "batches": batches, "employee_columns": imports.EMPLOYEE_COLUMNS,
        "employee_required": imports.EMPLOYEE_REQUIRED, "unit_columns": imports.UNIT_COLUMNS,
        "unit_required": imports.UNIT_REQUIRED})


IMPORT_ROWS_PER_PAGE = 100


@login_required
def import_detail(request, pk: int):
    _require(can_manage_people(request.user))
    batch = get_object_or_404(import_batches(), pk=pk)
    # errors and planned changes a page at a time: a national file has tens of thousands
    errors = Paginator(batch.errors, IMPORT_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    plan = Paginator(batch.plan, IMPORT_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "people/import_detail.html", {
        "batch": batch, "errors": errors, "plan": plan, "stuck": imports.is_stuck(batch)})


@login_required
def import_progress(request, pk: int):
    """The progress bar alone, polled by the page while a worker reads or applies the file."""
    _require(can_manage_people(request.user))
    batch = get_object_or_404(import_batches(), pk=pk)
    response = render(request, "people/_import_progress.html", {"batch": batch, "stuck": imports.is_stuck(batch)})
    if not batch.in_progress and request.htmx:
        response["HX-Refresh"] = "true"  # the outcome (errors, plan, apply button) is the whole page's
    return response


@login_required
@require_POST
def import_discard(request, pk: int):
    _require(can_manage_people(request.user))
    batch = get_object_or_404(import_batches(), pk=pk)
    try:
        imports.discard_import(batch, actor=request.user)
    except imports.ImportRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The import was discarded; nothing of it was saved."))
    return redirect("people:import-detail", pk=batch.pk)


@login_required
@require_POST
def import_apply(request, pk: int):
    _require(can_manage_people(request.user))
    batch = get_object_or_404(import_batches(), pk=pk)
    try:
        batch = imports.apply_import(batch, actor=request.user)
    except imports.ImportRefused as refusal:
        messages.error(request, str(refusal))
    else:
        if batch.status == ImportStatus.APPLIED:
            messages.success(request, _("Import applied: %(created)d created, %(updated)d updated.") % {
                "created": batch.to_create, "updated": batch.to_update})
        elif batch.status == ImportStatus.APPLYING:
            messages.info(request, _("The import is being applied in the background; this page follows it."))
        else:
            messages.error(request, _("Nothing was saved: the file no longer passes the checks. See the errors "
                                      "below."))
    return redirect("people:import-detail", pk=batch.pk)


@login_required
def import_template(request, kind: str):
    _require(can_manage_people(request.user))
    if kind == ImportKind.EMPLOYEES:
        return _xlsx(exports.export_employees(visible_employees(request.user).none()), "template-pegawai.xlsx")
    if kind == ImportKind.UNITS:
        return _xlsx(exports.export_units(units_for_choice().none()), "template-unit.xlsx")
    raise Http404


# --- leave (cuti) ---------------------------------------------------------------------------------
def _leave_date(value):
    try:
        return parse_date(value or "")
    except ValueError:
        return None


def _leave_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
def leave_page(request):
    """One's leave (balance, request form, requests), the requests awaiting one's decision (as supervisor
    or, for HR, as granting official) and, for region-wide readers, every request."""
    _require(can_read_people(request.user))
    me = Employee.objects.select_related("supervisor").filter(user=request.user).first()
    if request.method == "POST":
        op, post = request.POST.get("op", ""), request.POST
        try:
            if op == "request":
                if me is None:
                    raise PermissionDenied
                child = post.get("child_order")
                leave.request_leave(actor=request.user, employee=me, kind=post.get("kind", ""),
                                    starts_on=_leave_date(post.get("starts_on")), ends_on=_leave_date(post.get("ends_on")),
                                    reason=post.get("reason", ""), document=request.FILES.get("document"),
                                    child_order=int(child) if (child or "").isdigit() else None)
            elif op in ("approve", "reject"):
                target = get_object_or_404(leave.leave_awaiting(request.user), pk=post.get("leave") or 0)
                leave.decide_leave(actor=request.user, leave=target, approve=op == "approve",
                                   comment=post.get("comment", ""))
            elif op == "cancel":
                target = get_object_or_404(LeaveRequest, pk=post.get("leave") or 0, employee__user=request.user)
                leave.cancel_leave(actor=request.user, leave=target)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            _leave_errors(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("people:leave")
    year = facts.today().year
    everyone = leave.visible_leave(request.user) if can_read_organisation(request.user) else None
    return render(request, "people/leave.html", {
        "me": me, "balance": leave.annual_balance(me, year) if me else None, "year": year,
        "kinds": LeaveKind.choices, "mine": LeaveRequest.objects.filter(employee=me) if me else [],
        "awaiting": list(leave.leave_awaiting(request.user)),
        "everyone": Paginator(everyone, 50).get_page(request.GET.get("page")) if everyone is not None else None})
