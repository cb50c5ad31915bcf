"""Reading appraisal data, and the one place that decides who sees what.

The employee sees their own SKP, the appraiser their appraisees', the appraiser's superior the
objections addressed to them, HR everything; leadership and auditors read everything but change nothing."""
from __future__ import annotations

import datetime
import zoneinfo

from django.db import connection
from django.utils import timezone

from kinerja.accounts.models import Role
from kinerja.appraisal.models import (
    AppraisalPeriod,
    AppraisalSettings,
    AppraisalYear,
    CurveRule,
    PredicateRule,
)

REGION_WIDE_READERS = {Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR}
REGION_ROLES = {Role.EMPLOYEE, Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR}


# --- the region's clock ---------------------------------------------------------------------------
def region_time_zone() -> zoneinfo.ZoneInfo:
    """The current region's time zone (deadlines and "today" are always the region's local ones)."""
    name = getattr(connection.tenant, "time_zone", None)
    if not name:
        from tenants.models import Region

        name = Region.objects.filter(schema_name=connection.schema_name).values_list("time_zone", flat=True).first()
    return zoneinfo.ZoneInfo(name or "Asia/Jakarta")


def region_now(now: datetime.datetime | None = None) -> datetime.datetime:
    return (now or timezone.now()).astimezone(region_time_zone())


def region_today(now: datetime.datetime | None = None) -> datetime.date:
    return region_now(now).date()


# --- who may do what ----------------------------------------------------------------------------
def is_hr(user) -> bool:
    return bool(user and user.is_authenticated and user.role == Role.HR_ADMIN)


def is_region_reader(user) -> bool:
    return bool(user and user.is_authenticated and user.role in REGION_ROLES)


def is_region_wide_reader(user) -> bool:
    return bool(user and user.is_authenticated and user.role in REGION_WIDE_READERS)


# --- settings and rule tables -------------------------------------------------------------------
def appraisal_settings() -> AppraisalSettings:
    return AppraisalSettings.objects.get_or_create(pk=1)[0]


def predicate_matrix() -> dict[tuple[str, str], str]:
    return {(rule.work_result, rule.behaviour): rule.predicate for rule in PredicateRule.objects.all()}


def predicate_rules():
    return PredicateRule.objects.order_by("id")


def curve_rules():
    return CurveRule.objects.order_by("organisation_rating", "id")


def appraisal_years():
    return AppraisalYear.objects.all()


def periods_of(appraisal_year: AppraisalYear):
    return AppraisalPeriod.objects.filter(appraisal_year=appraisal_year).select_related("appraisal_year")


def period_is_open(period: AppraisalPeriod, now: datetime.datetime | None = None) -> bool:
    return period.opens_on <= region_today(now) <= period.closes_on


def predicate_for(work_result: str, behaviour: str) -> str:
    """The predicate the region's matrix gives for a pair of levels."""
    rule = PredicateRule.objects.filter(work_result=work_result, behaviour=behaviour).first()
    if rule is None:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(f"The predicate matrix has no cell for {work_result} x {behaviour}.")
    return rule.predicate
