"""Appraisal pages. Thin: read through the selectors, write through the services, show their errors."""
from __future__ import annotations

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import AppraisalPeriod, AppraisalYear, Cadence


def region_page(view):
    """Appraisal pages are for the region's own roles only."""

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not selectors.is_region_reader(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"{field}: {message}" for field, items in error.message_dict.items() for message in items]
    return list(error.messages)


def report(request, error: ValidationError) -> None:
    for message in error_messages(error):
        messages.error(request, message)


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
        "today": selectors.region_today(), "can_edit": selectors.is_hr(request.user)})


@region_page
def rules(request):
    return render(request, "appraisal/rules.html", {
        "matrix": selectors.predicate_rules(), "curve": selectors.curve_rules(),
        "settings": selectors.appraisal_settings()})
