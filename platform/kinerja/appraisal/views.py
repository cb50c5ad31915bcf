"""Appraisal pages. Thin: read through the selectors, write through the services, show their errors."""
from __future__ import annotations

import datetime
import functools
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from kinerja import charts
from kinerja.appraisal import bulk, exports, plan_templates, rollover, selectors, services
from kinerja.appraisal.indicators import (
    AgencyType,
    agency_type_for_unit,
    indicator_templates,
)
from kinerja.appraisal.models import (
    BEHAVIOUR_VALUE_CODES,
    BEHAVIOUR_VALUES,
    AppraisalPeriod,
    AppraisalYear,
    Cadence,
    CurveEnforcement,
    CurveRule,
    DailyLog,
    Evidence,
    Feedback,
    Iki,
    IkiAspect,
    IkiMeasure,
    Level,
    OrganisationRating,
    PlanTemplate,
    Predicate,
    Rating,
    RecordKind,
    RewardSanction,
    Rhk,
    RhkKind,
    Severity,
    SkpPlan,
)
from kinerja.people.models import Position, Unit
from kinerja.people.selectors import employee_by_nip
from kinerja.region import facts, letterhead
from kinerja.service_errors import flash


def region_page(view):
    """Appraisal pages are for the region's own roles only."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_region_reader(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


report = flash


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- years, periods, rules ----------------------------------------------------------------------
@region_page
def year_list(request):
    if request.method == "POST":
        try:
            year = services.create_appraisal_year(actor=request.user, year=int_or_none(request.POST.get("year")),
                                                  cadence=request.POST.get("cadence", ""))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Appraisal year %(year)s created with its periods.") % {"year": year.year})
            return redirect("appraisal:year-detail", year=year.year)
    return render(request, "appraisal/year_list.html", {
        "years": selectors.appraisal_years(), "cadences": Cadence.choices, "can_edit": selectors.is_hr(request.user)})


@region_page
def year_detail(request, year: int):
    appraisal_year = get_object_or_404(AppraisalYear, year=year)
    if request.method == "POST":
        period = get_object_or_404(AppraisalPeriod, appraisal_year=appraisal_year,
                                   number=int_or_none(request.POST.get("number")))
        try:
            services.set_period_window(actor=request.user, period=period,
                                       opens_on=parse_date(request.POST.get("opens_on", "") or ""),
                                       closes_on=parse_date(request.POST.get("closes_on", "") or ""))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Dates of %(period)s saved.") % {"period": period.label})
        return redirect("appraisal:year-detail", year=year)
    return render(request, "appraisal/year_detail.html", {
        "appraisal_year": appraisal_year, "periods": selectors.periods_of(appraisal_year),
        "today": facts.today(), "can_edit": selectors.is_hr(request.user)})


@region_page
def rules(request):
    if request.method == "POST":
        try:
            if request.POST.get("op") == "numbers":
                services.update_appraisal_numbers(
                    actor=request.user, reason=request.POST.get("reason", ""),
                    values={field: request.POST.get(field, "") for field in services.NUMERIC_SETTINGS})
            elif request.POST.get("op") == "siasn":
                services.set_siasn_codes(actor=request.user, source=request.POST.get("source", ""), codes={
                    group: {value: request.POST.get(f"{group}.{value}", "") for value in choices.values}
                    for group, choices in (("level", Level), ("predicate", Predicate))})
            elif request.POST.get("op") == "curve":
                rule = get_object_or_404(CurveRule, pk=int_or_none(request.POST.get("rule")))
                services.set_curve_rule(actor=request.user, rule=rule, percent=request.POST.get("percent"),
                                        reason=request.POST.get("reason", ""))
            else:
                services.set_curve_enforcement(actor=request.user, enforcement=request.POST.get("enforcement", ""),
                                               reason=request.POST.get("reason", ""))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("appraisal:rules")
    return render(request, "appraisal/rules.html", {
        "can_edit": selectors.is_hr(request.user), "enforcements": CurveEnforcement.choices,
        "matrix": selectors.predicate_rules(), "curve": selectors.curve_rules(),
        "settings": selectors.appraisal_settings(), "siasn_rows": selectors.siasn_code_rows()})


# --- SKP plans ----------------------------------------------------------------------------------
def _plan_or_404(user, plan_id) -> SkpPlan:
    """A plan the user may see; any other plan is not found, whether it exists or not."""
    try:
        return selectors.plan_for(user, plan_id)
    except SkpPlan.DoesNotExist as error:
        raise Http404 from error


@region_page
def plan_list(request):
    employee = selectors.employee_of(request.user)
    if request.method == "POST":
        appraisal_year = AppraisalYear.objects.filter(year=int_or_none(request.POST.get("year"))).first()
        target = employee
        if selectors.is_hr(request.user) and request.POST.get("nip"):
            target = employee_by_nip(request.POST["nip"])
        if appraisal_year is None or target is None:
            messages.error(request, _("Choose an existing appraisal year and employee."))
        else:
            try:
                plan = services.create_plan(actor=request.user, employee=target, appraisal_year=appraisal_year)
            except ValidationError as error:
                report(request, error)
            else:
                return redirect("appraisal:plan-detail", plan_id=plan.pk)
        return redirect("appraisal:plan-list")
    plans = selectors.visible_plans(request.user)
    distribution = selectors.appraisee_distribution(request.user, int_or_none(request.GET.get("year")))
    if year := int_or_none(request.GET.get("year")):
        plans = plans.filter(appraisal_year__year=year)
    if status := request.GET.get("status"):
        plans = plans.filter(status=status)
    page = Paginator(plans, 50).get_page(request.GET.get("page"))
    return render(request, "appraisal/plan_list.html", {
        "page": page, "employee": employee, "years": selectors.appraisal_years(),
        "is_hr": selectors.is_hr(request.user), "params": request.GET, "distribution": distribution,
        "distribution_chart": distribution_chart(distribution) if distribution else ""})


def distribution_chart(distribution: selectors.AppraiseeDistribution) -> str:
    if distribution.curve is None:
        title = _("Annual predicates %(year)s of the people you appraise") % {"year": distribution.year}
        lines = []
    else:
        title = _("Annual predicates %(year)s of the people you appraise, against the curve of %(unit)s "
                  "(%(rating)s)") % {"year": distribution.year, "unit": distribution.curve.unit.name,
                                     "rating": distribution.curve.rating_label}
        lines = distribution.curve.lines
    return charts.curve_chart(title, distribution.rows, lines)


def _plan_action(request, plan: SkpPlan):
    op, post, user = request.POST.get("op", ""), request.POST, request.user
    if op == "add_rhk":
        parent = Rhk.objects.select_related("plan").filter(pk=int_or_none(post.get("parent"))).first()
        services.add_rhk(actor=user, plan=plan, kind=post.get("kind", ""), text=post.get("text", ""), parent=parent)
    elif op == "remove_rhk":
        services.remove_rhk(actor=user, rhk=get_object_or_404(Rhk, pk=int_or_none(post.get("rhk")), plan=plan))
    elif op == "add_iki":
        rhk = get_object_or_404(Rhk, pk=int_or_none(post.get("rhk")), plan=plan)
        services.add_iki(actor=user, rhk=rhk, text=post.get("text", ""), aspect=post.get("aspect", ""),
                         target_value=post.get("target_value"), target_unit=post.get("target_unit", ""),
                         target_text=post.get("target_text", ""), template_code=post.get("template_code", ""),
                         measured_by=post.get("measured_by") or None)
    elif op == "remove_iki":
        services.remove_iki(actor=user, iki=get_object_or_404(Iki, pk=int_or_none(post.get("iki")), rhk__plan=plan))
    elif op == "submit":
        services.submit_plan(actor=user, plan=plan)
    elif op == "return":
        services.return_plan(actor=user, plan=plan, comment=post.get("comment", ""))
    elif op == "approve":
        services.approve_plan(actor=user, plan=plan)
    elif op == "reopen":
        services.reopen_plan(actor=user, plan=plan, reason=post.get("reason", ""))
    elif op == "rate":
        period = selectors.period_of_plan(plan, post.get("period")) if post.get("period") else None
        services.rate(actor=user, plan=plan, period=period, work_result=post.get("work_result", ""),
                      behaviour=post.get("behaviour", ""), reason=post.get("reason", ""),
                      behaviour_values={code: post.get(f"value_{code}", "") for code in BEHAVIOUR_VALUE_CODES})
    elif op == "deliver":
        rating = get_object_or_404(Rating, pk=int_or_none(post.get("rating")), plan=plan)
        services.deliver_rating(actor=user, rating=rating)
        unit_rating = selectors.rated_unit_for(plan) if rating.is_annual else None
        check = selectors.unit_curve_check(unit_rating) if unit_rating else None
        if check and not check.ok:
            messages.warning(request, _("Delivered, but %(unit)s breaks the distribution curve: %(lines)s.") % {
                "unit": unit_rating.unit.name, "lines": "; ".join(line.text for line in check.violations)})
    elif op == "object":
        rating = get_object_or_404(Rating, pk=int_or_none(post.get("rating")), plan=plan)
        services.file_objection(actor=user, rating=rating, reasons=post.get("reasons", ""))
    elif op == "feedback":
        rhk = get_object_or_404(Rhk, pk=int_or_none(post.get("rhk")), plan=plan)
        parent = Feedback.objects.filter(pk=int_or_none(post.get("parent")), rhk=rhk).first()
        services.post_feedback(actor=user, rhk=rhk, body=post.get("body", ""), parent=parent)
    else:
        raise ValidationError(_("Unknown action."))


@region_page
def plan_detail(request, plan_id: int):
    plan = _plan_or_404(request.user, plan_id)
    if request.method == "POST":
        try:
            _plan_action(request, plan)
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(request.POST.get("next") or request.path)
    is_owner = selectors.is_plan_owner(request.user, plan)
    agency_type = request.GET.get("agency_type") or agency_type_for_unit(plan.unit)
    context = {
        "plan": plan, "rhks": selectors.plan_rhks(plan), "is_owner": is_owner,
        "is_appraiser": selectors.is_plan_appraiser(request.user, plan),
        "editable": services.can_edit_plan(request.user, plan),
        "cascade_options": selectors.cascade_options(plan), "rhk_kinds": RhkKind.choices,
        "aspects": IkiAspect.choices, "measures": IkiMeasure.choices, "agency_types": AgencyType.choices, "agency_type": agency_type,
        "templates": [t.as_dict() for t in indicator_templates(agency_type)],
        "events": plan.events.select_related("actor"), "revisions": plan.revisions.all(),
        "threads": selectors.feedback_threads(plan), "periods": selectors.periods_of(plan.appraisal_year),
        "can_talk": is_owner or selectors.is_plan_appraiser(request.user, plan),
        "self_reports": selectors.self_reports_of(plan), "ratings": selectors.ratings_of(plan),
        "levels": Level.choices, "behaviour_values": BEHAVIOUR_VALUES, "peer_summary": selectors.peer_summary(plan),
    }
    context["rating_rows"] = [
        {"rating": r, "window": selectors.objection_window(r), "objection": getattr(r, "objection", None)}
        for r in context["ratings"].select_related("objection")]
    return render(request, "appraisal/plan_detail.html", context)


# --- realisation, evidence, feedback, self-reports ----------------------------------------------
@region_page
def plan_period(request, plan_id: int, number: int):
    plan = _plan_or_404(request.user, plan_id)
    period = selectors.period_of_plan(plan, number)
    if period is None:
        raise Http404
    if request.method == "POST":
        op, post = request.POST.get("op", ""), request.POST
        try:
            if op == "realisation":
                iki = selectors.iki_of_plan(plan, post.get("iki"))
                if iki is None:
                    raise Http404
                services.record_realisation_with_evidence(
                    actor=request.user, iki=iki, period=period, value=post.get("value"), text=post.get("text", ""),
                    file=request.FILES.get("file"), title=post.get("title", ""))
            elif op == "self_report":
                services.save_self_report(actor=request.user, plan=plan, period=period,
                                          achievements=post.get("achievements", ""), obstacles=post.get("obstacles", ""),
                                          improvement_plan=post.get("improvement_plan", ""))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(request.path)
    realisations = {r.iki_id: r for r in selectors.realisations_of(plan, period)}
    rhks = selectors.plan_rhks(plan)
    rows = [(rhk, iki, realisations.get(iki.pk)) for rhk in rhks for iki in rhk.ikis.all()]
    return render(request, "appraisal/plan_period.html", {
        "plan": plan, "period": period, "rows": rows, "periods": selectors.periods_of(plan.appraisal_year),
        "is_owner": selectors.is_plan_owner(request.user, plan), "is_open": selectors.period_is_open(period),
        "self_report": plan.self_reports.filter(period=period).first(), "today": facts.today()})


@region_page
def evidence_download(request, evidence_id: int):
    try:
        evidence = selectors.evidence_for(request.user, evidence_id)
    except Evidence.DoesNotExist as error:
        raise Http404 from error
    return FileResponse(evidence.file.open("rb"), as_attachment=True, filename=evidence.filename)


# --- peer input ---------------------------------------------------------------------------------
@region_page
def peer_input(request):
    if not selectors.takes_part(request.user):
        raise PermissionDenied
    if request.method == "POST":
        plan = get_object_or_404(selectors.peer_plans_for(request.user), pk=int_or_none(request.POST.get("plan")))
        period = selectors.period_of_plan(plan, request.POST.get("period")) if request.POST.get("period") else None
        try:
            services.give_peer_input(
                actor=request.user, plan=plan, period=period, comment=request.POST.get("comment", ""),
                behaviour_values={code: request.POST.get(f"value_{code}", "") for code in BEHAVIOUR_VALUE_CODES})
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Thank you: your input is anonymous and shown only in aggregate."))
        return redirect("appraisal:peer-input")
    return render(request, "appraisal/peer_input.html", {
        "plans": selectors.peer_plans_for(request.user), "levels": Level.choices,
        "behaviour_values": BEHAVIOUR_VALUES})


# --- calibration --------------------------------------------------------------------------------
def _region_wide_page(request):
    if not selectors.is_region_wide_reader(request.user):
        raise PermissionDenied


@region_page
def calibration(request):
    _region_wide_page(request)
    years = list(selectors.appraisal_years())
    appraisal_year = next((y for y in years if y.year == int_or_none(request.GET.get("year"))), years[0] if years else None)
    if request.method == "POST":
        post = request.POST
        appraisal_year = get_object_or_404(AppraisalYear, year=int_or_none(post.get("year")))
        try:
            if post.get("op") == "unit_rating":
                unit = get_object_or_404(Unit, pk=int_or_none(post.get("unit")))
                services.set_unit_rating(actor=request.user, unit=unit, appraisal_year=appraisal_year,
                                         rating=post.get("rating", ""), reason=post.get("reason", ""))
            elif post.get("op") == "calibrate":
                rating = get_object_or_404(Rating, pk=int_or_none(post.get("rating")),
                                           plan__appraisal_year=appraisal_year)
                services.calibrate(actor=request.user, rating=rating, predicate=post.get("predicate", ""),
                                   reason=post.get("reason", ""))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(f"{request.path}?year={appraisal_year.year}")

    return render(request, "appraisal/calibration.html", {
        "years": years, "appraisal_year": appraisal_year, "can_edit": selectors.is_hr(request.user),
        "overview": selectors.calibration_overview(appraisal_year) if appraisal_year else [],
        "units": Unit.objects.order_by("path"), "organisation_ratings": OrganisationRating.choices,
        "predicates": Predicate.choices, "settings": selectors.appraisal_settings()})


# --- objections ---------------------------------------------------------------------------------
@region_page
def objection_list(request):
    objections = selectors.visible_objections(request.user)
    page = Paginator(objections, 50).get_page(request.GET.get("page"))
    return render(request, "appraisal/objection_list.html", {"page": page})


@region_page
def objection_detail(request, objection_id: int):
    objection = get_object_or_404(selectors.visible_objections(request.user), pk=objection_id)
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("op") == "respond":
                services.respond_to_objection(actor=request.user, objection=objection, response=post.get("response", ""))
            elif post.get("op") == "decide":
                services.decide_objection(actor=request.user, objection=objection, upheld=post.get("upheld") == "yes",
                                          decision=post.get("decision", ""), work_result=post.get("work_result", ""),
                                          behaviour=post.get("behaviour", ""))
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(request.path)
    plan = objection.rating.plan
    return render(request, "appraisal/objection_detail.html", {
        "objection": objection, "rating": objection.rating, "plan": plan, "levels": Level.choices,
        "is_decider": selectors.is_objection_decider(request.user, objection),
        "is_appraiser": selectors.is_plan_appraiser(request.user, plan)})


# --- rewards and sanctions ----------------------------------------------------------------------
def _month(value: str):
    import datetime

    try:
        year, month = (int(part) for part in (value or "").split("-")[:2])
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return None


@region_page
def rewards_sanctions(request):
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("op") == "revoke":
                record = get_object_or_404(RewardSanction, pk=int_or_none(post.get("record")))
                services.revoke_reward_sanction(actor=request.user, record=record, reason=post.get("reason", ""))
            else:
                employee = employee_by_nip(post.get("nip"))
                if employee is None:
                    raise ValidationError({"nip": _("No employee with this NIP.")})
                services.record_reward_sanction(
                    actor=request.user, employee=employee, kind=post.get("kind", ""), category=post.get("category", ""),
                    severity=post.get("severity", ""), starts_on=_month(post.get("starts_on")),
                    duration_months=int_or_none(post.get("duration_months")), percent=post.get("percent"),
                    description=post.get("description", ""))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("appraisal:rewards-sanctions")
    page = Paginator(selectors.visible_rewards_sanctions(request.user), 50).get_page(request.GET.get("page"))
    return render(request, "appraisal/rewards_sanctions.html", {
        "page": page, "can_edit": selectors.is_hr(request.user), "kinds": RecordKind.choices,
        "severities": Severity.choices})


# --- transparency -------------------------------------------------------------------------------
@region_page
def plan_result(request, plan_id: int):
    plan = _plan_or_404(request.user, plan_id)
    return render(request, "appraisal/plan_result.html", {"plan": plan, "result": selectors.plan_result(plan)})


# --- exports ------------------------------------------------------------------------------------
@region_page
def export(request, year: str, kind: str, fmt: str):
    """Annual (skp22) or periodic (kinerjaperiodik) results as JSON or CSV, for HR and read-only roles."""
    _region_wide_page(request)
    appraisal_year = get_object_or_404(AppraisalYear, year=int(year))
    if kind == "skp22":
        rows, fields = selectors.skp22_rows(appraisal_year), exports.SKP22_FIELDS
    else:
        rows = selectors.periodic_rows(appraisal_year, int_or_none(request.GET.get("period")))
        fields = exports.PERIODIC_FIELDS
    name = f"{kind}-{request.tenant.schema_name}-{year}"
    if fmt == "csv":
        response = HttpResponse(exports.as_csv(rows, fields), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(json.dumps(rows, ensure_ascii=False, indent=1), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}.json"'
    return response


@region_page
def plan_pdf(request, plan_id: int):
    plan = selectors.document_plan(_plan_or_404(request.user, plan_id))
    pdf = exports.skp_pdf(plan, selectors.plan_rhks(plan), list(selectors.ratings_of(plan)),
                          letterhead.region_letterhead())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exports.skp_filename(plan)}"'
    return response


@region_page
def evaluation_pdf(request, plan_id: int):
    """The evaluation document of a delivered rating: `?period=<number>`, or the year without it."""
    plan = selectors.document_plan(_plan_or_404(request.user, plan_id))
    rating = selectors.delivered_rating(plan, request.GET.get("period"))
    if rating is None:
        raise Http404
    pdf = exports.evaluation_pdf(plan, rating, selectors.plan_rhks(plan),
                                 list(selectors.realisations_of(plan, rating.period)), letterhead.region_letterhead())
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exports.evaluation_filename(plan, rating)}"'
    return response


# --- daily work log (laporan harian) -------------------------------------------------------------
def _week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


def _log_fields(plan: SkpPlan, post) -> dict:
    rhk = Rhk.objects.select_related("plan__appraisal_year").filter(pk=int_or_none(post.get("rhk")), plan=plan).first()
    iki = selectors.iki_of_plan(plan, post.get("iki")) if post.get("iki") else None
    return {"rhk": rhk, "iki": iki, "date": _date_or_none(post.get("date")),
            "activity": post.get("activity", ""), "quantity": post.get("quantity")}


def _date_or_none(value) -> datetime.date | None:
    try:
        return parse_date(value or "")
    except ValueError:  # well formed but not a day, like 2026-02-30
        return None


@region_page
def daily_log(request):
    """The employee's own daily log: today's entry form and the week's entries, phone-width first."""
    if not selectors.takes_part(request.user):
        raise PermissionDenied
    today = facts.today()
    shown = _date_or_none(request.GET.get("date")) or today
    plan = selectors.daily_log_plan(request.user, shown)
    if request.method == "POST":
        op, post = request.POST.get("op", ""), request.POST
        try:
            if plan is None:
                raise ValidationError({"plan": _("You have no SKP for %(year)s to log work against.")
                                       % {"year": shown.year}})
            if op == "save":
                fields = _log_fields(plan, post)
                if fields["rhk"] is None:
                    raise ValidationError({"rhk": _("Choose one of the RHKs of your SKP.")})
                existing = post.get("log")
                if existing:
                    log = get_object_or_404(selectors.own_daily_logs(request.user, datetime.date.min,
                                                                     datetime.date.max), pk=int_or_none(existing))
                    services.update_daily_log(actor=request.user, log=log, file=request.FILES.get("evidence"),
                                              **fields)
                else:
                    services.record_daily_log(actor=request.user, file=request.FILES.get("evidence"), **fields)
            elif op == "delete":
                log = get_object_or_404(selectors.own_daily_logs(request.user, datetime.date.min, datetime.date.max),
                                        pk=int_or_none(post.get("log")))
                services.delete_daily_log(actor=request.user, log=log)
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect(f"{request.path}?date={shown.isoformat()}")
    start, end = _week_of(shown)
    entries = list(selectors.own_daily_logs(request.user, start, end))
    editing = next((e for e in entries if str(e.pk) == request.GET.get("edit") and e.status != "verified"), None)
    rhks = selectors.plan_rhks(plan) if plan else []
    return render(request, "appraisal/daily_log.html", {
        "plan": plan, "rhks": rhks, "entries": entries, "editing": editing, "shown": shown, "today": today,
        "week_start": start, "week_end": end, "previous_week": start - datetime.timedelta(days=7),
        "next_week": start + datetime.timedelta(days=7) if end < today else None,
        "to_verify": selectors.daily_logs_to_verify(request.user).count()})


@region_page
def daily_log_verify(request):
    """The appraiser's queue: their appraisees' entries awaiting verification, verified or returned in
    bulk (all of the chosen ones, or none)."""
    if not selectors.takes_part(request.user):
        raise PermissionDenied
    if request.method == "POST":
        ids = request.POST.getlist("logs")
        try:
            if request.POST.get("op") == "verify":
                done = services.verify_daily_logs(actor=request.user, log_ids=ids)
                messages.success(request, _("%(count)s entries verified.") % {"count": len(done)})
            elif request.POST.get("op") == "return":
                done = services.return_daily_logs(actor=request.user, log_ids=ids,
                                                  comment=request.POST.get("comment", ""))
                messages.success(request, _("%(count)s entries returned.") % {"count": len(done)})
            else:
                raise ValidationError(_("Unknown action."))
        except ValidationError as error:
            report(request, error)
        return redirect(request.path)
    pending = list(selectors.daily_logs_to_verify(request.user))
    groups: dict = {}
    for entry in pending:
        groups.setdefault(entry.plan.employee, []).append(entry)
    return render(request, "appraisal/daily_log_verify.html", {"groups": list(groups.items()),
                                                               "count": len(pending)})


@region_page
def daily_log_evidence(request, log_id: int):
    try:
        log = selectors.daily_log_for(request.user, log_id)
    except DailyLog.DoesNotExist as error:
        raise Http404 from error
    if not log.evidence:
        raise Http404
    return FileResponse(log.evidence.open("rb"), as_attachment=True, filename=log.evidence_name)


# --- bulk work ----------------------------------------------------------------------------------
def _bulk_post(request, run) -> dict:
    """Run a bulk action from a form: op "preview" shows the rows, "apply" does them all or none."""
    apply = request.POST.get("op") == "apply"
    try:
        rows = run(apply)
    except bulk.BulkRefused as refused:
        messages.error(request, str(refused))
        return {"rows": refused.rows, "refused": True}
    except ValidationError as error:
        report(request, error)
        return {}
    if apply:
        messages.success(request, _("%(count)s rows done.") % {"count": len(rows)})
        return {"done": rows}
    return {"rows": rows, "refused": any(row.error for row in rows), "preview": True}


@region_page
def bulk_supervisor(request):
    """What waits for the supervisor: submitted plans to approve, ratings to deliver; chosen rows are
    previewed, then applied together."""
    if not selectors.takes_part(request.user):
        raise PermissionDenied
    context = {"kind": request.POST.get("kind", "")}
    if request.method == "POST":
        chosen = request.POST.getlist("rows")
        if context["kind"] == "approve":
            context.update(_bulk_post(request, lambda apply: bulk.approve_plans(
                actor=request.user, plan_ids=chosen, apply=apply)))
        elif context["kind"] == "deliver":
            context.update(_bulk_post(request, lambda apply: bulk.deliver_ratings(
                actor=request.user, rating_ids=chosen, apply=apply)))
        else:
            messages.error(request, _("Unknown action."))
        context["chosen"] = {int_or_none(value) for value in chosen}
    context.update({"plans": list(selectors.plans_to_approve(request.user)),
                    "ratings": list(selectors.ratings_to_deliver(request.user))})
    return render(request, "appraisal/bulk_supervisor.html", context)


@region_page
def bulk_open(request):
    """HR opens the year's plans as drafts for a unit or the whole region, from last year's when there is one."""
    if not selectors.is_hr(request.user):
        raise PermissionDenied
    source = request.POST if request.method == "POST" else request.GET
    unit_id = int_or_none(source.get("unit"))
    unit = get_object_or_404(Unit, pk=unit_id) if source.get("unit") else None
    appraisal_year = AppraisalYear.objects.filter(year=int_or_none(source.get("year")) or facts.today().year).first()
    context = {"unit": unit, "units": Unit.objects.order_by("name"), "years": selectors.appraisal_years(),
               "appraisal_year": appraisal_year, "source": source.get("source") or "previous"}
    if request.method == "POST":
        chosen = request.POST.getlist("rows")
        context.update(_bulk_post(request, lambda apply: bulk.open_plans(
            actor=request.user, year=source.get("year", ""), unit=unit, employee_ids=chosen, apply=apply,
            source=context["source"])))
        context["chosen"] = {int_or_none(value) for value in chosen}
    context["candidates"] = list(bulk.employees_without_plan(appraisal_year, unit)) if appraisal_year else []
    return render(request, "appraisal/bulk_open.html", context)


# --- year rollover ------------------------------------------------------------------------------
@region_page
def year_close(request, year: int):
    """HR closes the year (refused with what is open unless a reason is written), reopens it, and carries
    its plans into the next year as drafts (the bulk open: preview, then all or nothing)."""
    if not selectors.is_hr(request.user):
        raise PermissionDenied
    appraisal_year = get_object_or_404(AppraisalYear, year=year)
    context = {"appraisal_year": appraisal_year}
    if request.method == "POST":
        op = request.POST.get("op", "")
        if op in ("close", "reopen"):
            try:
                if op == "close":
                    left = rollover.close_year(actor=request.user, appraisal_year=appraisal_year,
                                               reason=request.POST.get("reason", ""))
                    messages.success(request, _("The appraisal year %(year)s is closed (%(count)s items left open).")
                                     % {"year": year, "count": len(left)})
                else:
                    rollover.reopen_year(actor=request.user, appraisal_year=appraisal_year,
                                         reason=request.POST.get("reason", ""))
                    messages.success(request, _("The appraisal year %(year)s is open again.") % {"year": year})
            except ValidationError as error:
                report(request, error)
            return redirect("appraisal:year-close", year=year)
        chosen = request.POST.getlist("rows")
        context.update(_bulk_post(request, lambda apply: rollover.carry_plans(
            actor=request.user, appraisal_year=appraisal_year, employee_ids=chosen, apply=apply)))
        context["chosen"] = {int_or_none(value) for value in chosen}
        appraisal_year.refresh_from_db()
    context.update({"open_items": rollover.open_items(appraisal_year) if not appraisal_year.is_closed else [],
                    "next_year": rollover.next_year_of(appraisal_year),
                    "candidates": list(rollover.plans_to_carry(appraisal_year)) if appraisal_year.is_closed else []})
    return render(request, "appraisal/year_close.html", context)


# --- bulk rewards and sanctions, plan templates (HR) --------------------------------------------
@region_page
def bulk_rewards_sanctions(request):
    """HR records one reward or sanction for many NIPs at once: preview, then all or nothing."""
    if not selectors.is_hr(request.user):
        raise PermissionDenied
    post = request.POST
    context = {"kinds": RecordKind.choices, "severities": Severity.choices, "form": post}
    if request.method == "POST":
        context.update(_bulk_post(request, lambda apply: bulk.record_rewards_sanctions(
            actor=request.user, nips=post.get("nips", ""), kind=post.get("kind", ""),
            category=post.get("category", ""), severity=post.get("severity", ""),
            starts_on=_month(post.get("starts_on")), duration_months=int_or_none(post.get("duration_months")),
            percent=post.get("percent"), description=post.get("description", ""), apply=apply)))
    return render(request, "appraisal/bulk_rewards_sanctions.html", context)


@region_page
def plan_template_list(request):
    """HR keeps the region's plan templates, one per position or unit, saved from an existing plan."""
    if not selectors.is_hr(request.user):
        raise PermissionDenied
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("op") == "delete":
                template = get_object_or_404(PlanTemplate, pk=int_or_none(post.get("template")))
                plan_templates.delete_template(actor=request.user, template=template)
            else:
                plan = SkpPlan.objects.filter(pk=int_or_none(post.get("plan"))).first()
                if plan is None:
                    raise ValidationError({"plan": _("No SKP with this number.")})
                position = Position.objects.filter(pk=int_or_none(post.get("position"))).first() \
                    if post.get("position") else None
                unit = Unit.objects.filter(pk=int_or_none(post.get("unit"))).first() if post.get("unit") else None
                plan_templates.save_template(actor=request.user, name=post.get("name", ""), from_plan=plan,
                                             position=position, unit=unit)
        except ValidationError as error:
            report(request, error)
        else:
            messages.success(request, _("Saved."))
        return redirect("appraisal:plan-templates")
    return render(request, "appraisal/plan_templates.html", {
        "templates": plan_templates.templates(), "positions": Position.objects.order_by("title"),
        "units": Unit.objects.order_by("name")})
