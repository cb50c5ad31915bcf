"""Training pages. Thin: read through the selectors, write through the services, show their errors."""
from __future__ import annotations

import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from kinerja.people.models import Employee
from kinerja.people.selectors import (
    unit_by_code,
    units_for_choice,
    visible_employee_by_nip,
)
from kinerja.region import facts
from kinerja.service_errors import flash
from kinerja.training import exports, selectors, services
from kinerja.training.certificates import certificate_pdf
from kinerja.training.models import (
    EnrolmentStatus,
    ExternalCourse,
    Method,
    RecordKind,
    SessionStatus,
    TrainingSession,
)

PAGE_SIZE = 50


def region_page(view):
    """Training pages are for the region's own roles only."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_region_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


report = flash


def run(request, action, success: str) -> bool:
    """Call a service; report its errors on the page. PermissionDenied propagates (403)."""
    try:
        action()
    except ValidationError as error:
        report(request, error)
        return False
    messages.success(request, success)
    return True


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def year_of(request) -> int:
    return int_or_none(request.GET.get("year")) or facts.today().year


def employee_by_nip(nip: str, user) -> Employee:
    """Among the employees `user` may see (another unit's NIP answers as an unknown one)."""
    employee = visible_employee_by_nip(user, nip)
    if employee is None:
        raise ValidationError({"nip": [_("No employee has NIP %s.") % (nip or "").strip()]})
    return employee


# --- catalog ---------------------------------------------------------------------------------------
@region_page
def catalog(request):
    user = request.user
    if request.method == "POST":
        if not selectors.is_hr(user):
            raise PermissionDenied
        if request.POST.get("op") == "sync":
            syncs = services.sync_catalog(actor=user)
            failed = [s for s in syncs if s.status == "failed"]
            for sync in failed:
                messages.error(request, sync.error)
            if not syncs:
                messages.info(request, _("The region has no training catalog plugin enabled."))
            elif len(failed) < len(syncs):
                messages.success(request, _("Catalog synced."))
        else:
            post = request.POST
            run(request, lambda: services.create_course(
                actor=user, code=post.get("code", ""), title=post.get("title", ""), method=post.get("method", ""),
                jp_hours=post.get("jp_hours"), cost=post.get("cost"), provider=post.get("provider", ""),
                competencies=post.get("competencies", ""), record_kind=post.get("record_kind", "")),
                _("Course added."))
        return redirect("training:catalog")
    courses = selectors.catalog()
    filtered = selectors.filter_catalog(
        courses, search=request.GET.get("q", ""), competency=request.GET.get("competency", ""),
        method=request.GET.get("method", ""), jp_min=int_or_none(request.GET.get("jp_min")),
        jp_max=int_or_none(request.GET.get("jp_max")), source=request.GET.get("source", ""))
    return render(request, "training/catalog.html", {
        "page": Paginator(filtered, PAGE_SIZE).get_page(request.GET.get("page")), "params": request.GET,
        "competencies": selectors.competency_choices(courses), "methods": Method.choices,
        "record_kinds": RecordKind.choices, "sources": selectors.enabled_catalog_plugins(),
        "syncs": selectors.catalog_syncs()[:5], "can_manage": selectors.is_hr(user)})


@region_page
def course_detail(request, code: str):
    course = selectors.course_by_code(code)
    if course is None:
        raise Http404
    user, post = request.user, request.POST
    if request.method == "POST":
        op = post.get("op")
        if op == "request":
            employee = selectors.employee_of(user)
            if employee is None:
                raise PermissionDenied
            run(request, lambda: services.enrol(employee, course.code, actor=user, reason=post.get("reason", "")),
                _("Request sent for approval."))
        elif op == "session":
            run(request, lambda: services.create_session(
                actor=user, course=course, starts_on=parse_date(post.get("starts_on", "") or ""),
                ends_on=parse_date(post.get("ends_on", "") or ""), seats=post.get("seats"),
                place=post.get("place", ""), online_link=post.get("online_link", ""), cost=post.get("cost"),
                jp_hours=post.get("jp_hours"), trainer=post.get("trainer", "")), _("Session scheduled."))
        elif op == "update":
            changes = {name: post[name] for name in services.COURSE_FIELDS if name in post}
            run(request, lambda: services.update_course(actor=user, course=course,
                                                        record_kind=post.get("record_kind", ""), **changes),
                _("Course saved."))
        else:
            raise Http404
        return redirect("training:course-detail", code=course.code)
    employee = selectors.employee_of(user)
    return render(request, "training/course_detail.html", {
        "course": course, "revisions": selectors.course_revisions(course)[:20],
        "sessions": selectors.upcoming_sessions(course), "employee": employee,
        "live": selectors.live_enrolment(employee, course) if employee else None,
        "can_manage": selectors.is_hr(user), "methods": Method.choices, "record_kinds": RecordKind.choices})


# --- sessions --------------------------------------------------------------------------------------
@region_page
def session_list(request):
    found = selectors.sessions().order_by("-starts_on", "id")
    status = request.GET.get("status", "")
    if status in SessionStatus.values:
        found = found.filter(status=status)
    elif not request.GET.get("all"):
        found = selectors.upcoming_sessions().order_by("starts_on", "id")
    if request.GET.get("course"):
        found = found.filter(course__code=request.GET["course"])
    return render(request, "training/session_list.html", {
        "page": Paginator(found, PAGE_SIZE).get_page(request.GET.get("page")), "params": request.GET,
        "statuses": SessionStatus.choices})


def _session_action(request, session: TrainingSession) -> str:
    user, post, op = request.user, request.POST, request.POST.get("op")
    if op == "request":
        employee = selectors.employee_of(user)
        if employee is None:
            raise PermissionDenied
        services.enrol(employee, session, actor=user, reason=post.get("reason", ""))
        return _("Request sent for approval.")
    if op == "nominate":
        if not (selectors.is_hr(user) or selectors.employee_of(user)):
            raise PermissionDenied
        enrolment = services.enrol(employee_by_nip(post.get("nip", ""), user), session, nominated_by=user,
                                   reason=post.get("reason", ""))
        return _("%(name)s: %(status)s.") % {"name": enrolment.employee.full_name,
                                             "status": enrolment.get_status_display()}
    if op == "attendance":
        services.record_attendance(session, actor=user, present=post.getlist("present"))
        return _("Attendance saved.")
    if op == "complete":
        services.complete_session(session, actor=user)
        return _("Session completed.")
    if op == "cancel":
        services.cancel_session(actor=user, session=session, reason=post.get("reason", ""))
        return _("Session cancelled.")
    if op == "seats":
        services.update_session(actor=user, session=session, seats=post.get("seats"))
        return _("Seats saved.")
    raise Http404


@region_page
def session_detail(request, pk: int):
    session = get_object_or_404(selectors.sessions(), pk=pk)
    user = request.user
    if request.method == "POST":
        try:
            done = _session_action(request, session)
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, done)
        return redirect("training:session-detail", pk=session.pk)
    employee = selectors.employee_of(user)
    participants = list(selectors.session_participants(user, session))
    return render(request, "training/session_detail.html", {
        "session": session, "participants": participants, "employee": employee,
        "mine": next((e for e in participants if employee and e.employee_id == employee.pk), None),
        "waiting": [e for e in participants if e.status == EnrolmentStatus.WAITLISTED],
        "can_manage": selectors.is_hr(user), "can_nominate": selectors.offers_nomination(user),
        "evaluations": selectors.evaluation_summary(session) if selectors.is_region_wide_reader(user) else None,
        "is_open": selectors.takes_requests(session),
        "today": facts.today()})


# --- enrolments ------------------------------------------------------------------------------------
@region_page
def enrolment_list(request):
    user = request.user
    employee = selectors.employee_of(user)
    mine = selectors.visible_enrolments(user).filter(employee=employee) if employee else None
    team = selectors.visible_enrolments(user).exclude(employee=employee) if employee else \
        selectors.visible_enrolments(user)
    if request.GET.get("status") in EnrolmentStatus.values:
        team = team.filter(status=request.GET["status"])
    return render(request, "training/enrolment_list.html", {
        "mine": mine, "decisions": selectors.decisions_for(user)[:100],
        "page": Paginator(team.order_by("-created_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page")),
        "statuses": EnrolmentStatus.choices, "params": request.GET})


@region_page
def enrolment_detail(request, pk: int):
    enrolment = selectors.enrolment_for(request.user, pk)
    if enrolment is None:
        raise Http404
    user, post = request.user, request.POST
    if request.method == "POST":
        op = post.get("op")
        actions = {
            "approve": (lambda: services.approve(enrolment, actor=user, note=post.get("note", "")), _("Approved.")),
            "reject": (lambda: services.reject(enrolment, actor=user, reason=post.get("reason", "")), _("Rejected.")),
            "withdraw": (lambda: services.withdraw(enrolment, actor=user, reason=post.get("reason", "")),
                         _("Withdrawn.")),
            "evaluate": (lambda: services.submit_evaluation(
                enrolment, actor=user, content=post.get("content"), trainer=post.get("trainer"),
                relevance=post.get("relevance"), comment=post.get("comment", "")), _("Thank you for your evaluation.")),
        }
        if op not in actions:
            raise Http404
        run(request, *actions[op])
        return redirect(post.get("next") or request.path)
    return render(request, "training/enrolment_detail.html", {
        "enrolment": enrolment, "evaluation": getattr(enrolment, "evaluation", None),
        "is_participant": enrolment.employee.user_id == user.pk,
        "can_decide": selectors.may_decide_now(user, enrolment),
        "can_withdraw": selectors.may_withdraw_now(user, enrolment)})


@region_page
def certificate(request, pk: int):
    enrolment = selectors.enrolment_for(request.user, pk)
    if enrolment is None or enrolment.status != EnrolmentStatus.COMPLETED:
        raise Http404
    response = HttpResponse(certificate_pdf(enrolment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{enrolment.pk}.pdf"'
    return response


# --- hours, compliance, budget ---------------------------------------------------------------------
@region_page
def hours(request):
    user, year = request.user, year_of(request)
    employee = selectors.employee_of(user)
    people = selectors.visible_employees(user).order_by("unit__path", "full_name")
    if request.GET.get("unit"):
        people = people.filter(unit__code=request.GET["unit"])
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.hours_table(people.filter(pk__in=[e.pk for e in page.object_list]), year)
    own = next((row for row in rows if employee and row["employee"].pk == employee.pk), None)
    if own is None and employee is not None:
        own = selectors.hours_table(selectors.visible_employees(user).filter(pk=employee.pk), year)[0]
    return render(request, "training/hours.html", {
        "year": year, "target": selectors.jp_target(), "own": own,
        "rows": [row for row in rows if not employee or row["employee"].pk != employee.pk], "page": page,
        "params": request.GET})


@region_page
def employee_hours(request, employee_id: int):
    """One employee's completed training in a year: the evidence appraisal pages link to."""
    employee = selectors.visible_employees(request.user).filter(pk=employee_id).first()
    if employee is None:
        raise Http404
    year = year_of(request)
    records = selectors.completed_training_for(employee, year)
    total = sum(r.jp_hours for r in records)
    return render(request, "training/employee_hours.html", {
        "employee": employee, "year": year, "records": records, "total": total, "target": selectors.jp_target(),
        "enrolments": selectors.visible_enrolments(request.user).filter(employee=employee)
        .exclude(status=EnrolmentStatus.COMPLETED)[:50]})


@region_page
def compliance(request):
    user = request.user
    if not selectors.is_region_wide_reader(user):
        raise PermissionDenied
    if request.method == "POST":
        run(request, lambda: services.set_jp_target(actor=user, target=request.POST.get("annual_jp_target")),
            _("JP target saved."))
        return redirect("training:compliance")
    return render(request, "training/compliance.html", {
        "report": selectors.compliance_report(year_of(request)), "can_manage": selectors.is_hr(user)})


@region_page
def budget(request):
    user = request.user
    if not selectors.is_region_wide_reader(user):
        raise PermissionDenied
    year = year_of(request)
    if request.method == "POST":
        unit = unit_by_code(request.POST.get("unit", ""))
        if unit is None:
            messages.error(request, _("unit: No unit has code %s.") % request.POST.get("unit", ""))
        else:
            run(request, lambda: services.set_unit_budget(actor=user, unit=unit, year=request.POST.get("year"),
                                                          amount=request.POST.get("amount")), _("Budget saved."))
        return redirect(f"{request.path}?year={int_or_none(request.POST.get('year')) or year}")
    return render(request, "training/budget.html", {
        "year": year, "rows": selectors.budget_report(year), "can_manage": selectors.is_hr(user),
        "units": units_for_choice()})


@region_page
def external(request):
    user = request.user
    if request.method == "POST":
        post = request.POST
        if post.get("op") == "verify":
            record = get_object_or_404(ExternalCourse, pk=int_or_none(post.get("id")))
            run(request, lambda: services.verify_external_course(actor=user, external=record), _("Verified."))
        else:
            def record_it():
                employee = employee_by_nip(post["nip"], user) if selectors.is_hr(user) and post.get("nip") \
                    else selectors.employee_of(user)
                if employee is None:
                    raise PermissionDenied
                services.record_external_course(
                    actor=user, employee=employee, title=post.get("title", ""), organiser=post.get("organiser", ""),
                    jp_hours=post.get("jp_hours"), started_on=parse_date(post.get("started_on", "") or ""),
                    ended_on=parse_date(post.get("ended_on", "") or ""),
                    record_kind=post.get("record_kind", RecordKind.KURSUS),
                    certificate_number=post.get("certificate_number", ""), cost=post.get("cost") or 0)
            run(request, record_it, _("Training recorded."))
        return redirect("training:external")
    records = selectors.external_courses_for(user)
    if request.GET.get("unverified"):
        records = records.filter(verified=False)
    return render(request, "training/external.html", {
        "page": Paginator(records, PAGE_SIZE).get_page(request.GET.get("page")), "params": request.GET,
        "can_manage": selectors.is_hr(user), "employee": selectors.employee_of(user),
        "record_kinds": RecordKind.choices})


@region_page
def export(request):
    """Completed training of a year in SIASN's shapes: JSON (both kinds) or CSV (one kind)."""
    if not selectors.can_export(request.user):
        raise PermissionDenied
    year = year_of(request)
    records = exports.national_records(year)
    if request.GET.get("output") == "csv":
        kind = request.GET.get("kind", RecordKind.KURSUS)
        if kind not in RecordKind.values:
            raise Http404
        response = HttpResponse(exports.as_csv(records, kind), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{kind}-{year}.csv"'
        return response
    response = HttpResponse(json.dumps({"year": year, **exports.as_json(records)}, ensure_ascii=False, indent=1),
                            content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="training-{year}.json"'
    return response
