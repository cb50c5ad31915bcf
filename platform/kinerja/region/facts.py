"""The region's clock, calendar and place in the fleet, decided here once.

- Clock: "now" and "today" are the region's local ones (WIB, WITA or WIT), whatever the server's zone.
  Inside a region's schema the time zone comes from the tenant django-tenants put on the connection.
- Calendar: a working day is a weekday with working hours (WorkingDay) that is not a Holiday.
- In service: a region is in service from onboarding until it is archived (suspended regions keep
  their data and their background work); the public schema is never a region.

The region model itself belongs to the tenancy layer above the apps; it is reached here through
django-tenants' `get_tenant_model()`, so this module imports nothing of the apps or of tenancy.
"""
from __future__ import annotations

import calendar
import datetime
import zoneinfo
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name, get_tenant_domain_model, get_tenant_model

from kinerja.region.models import Holiday, WorkingDay

DEFAULT_TIME_ZONE = "Asia/Jakarta"


def site_url(region=None) -> str:
    """The address every link handed to a person starts with ("https://bukittinggi.example.id"): the
    region's primary domain (by default the region of the current schema) with the scheme and port of
    the configured site address, KINERJA_SITE_URL. Never a request's Host header, which whoever sends the
    request writes: a link built from it could carry a set-password token to someone else's server."""
    configured = urlsplit(settings.KINERJA_SITE_URL)
    if region is not None:
        primary = region.get_primary_domain()
        host = primary.domain if primary is not None else None
    elif connection.schema_name == get_public_schema_name():
        host = configured.hostname
    else:
        host = (get_tenant_domain_model().objects.filter(tenant__schema_name=connection.schema_name)
                .order_by("-is_primary").values_list("domain", flat=True).first())
    host = host or configured.hostname or "localhost"
    port = f":{configured.port}" if configured.port else ""
    return f"{configured.scheme or 'https'}://{host}{port}"


class RegionKind(models.TextChoices):
    REGENCY = "kabupaten", _("Regency (kabupaten)")
    CITY = "kota", _("City (kota)")
    PROVINCE = "provinsi", _("Province (provinsi)")
    PLATFORM = "platform", _("Platform (public site)")


class RegionTimeZone(models.TextChoices):
    WIB = "Asia/Jakarta", _("WIB (UTC+7)")
    WITA = "Asia/Makassar", _("WITA (UTC+8)")
    WIT = "Asia/Jayapura", _("WIT (UTC+9)")


class RegionStatus(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    ARCHIVED = "archived", _("Archived")


IN_SERVICE = (RegionStatus.ONBOARDING, RegionStatus.ACTIVE, RegionStatus.SUSPENDED)
OPEN = (RegionStatus.ONBOARDING, RegionStatus.ACTIVE)  # users may work in it (suspended: billing only)


# --- which region, and which regions ----------------------------------------------------------------
def current_schema() -> str:
    return connection.schema_name


def on_public_schema() -> bool:
    return connection.schema_name == get_public_schema_name()


def region_model():
    """The tenancy layer's region model (django-tenants' TENANT_MODEL), for apps that read regions."""
    return get_tenant_model()


def all_regions():
    """Every region whatever its status (archived ones keep their history); never the public schema."""
    return get_tenant_model().objects.exclude(schema_name=get_public_schema_name())


# A suspended region keeps its data but gets no background work beyond what its suspension needs
# (billing, the operator's export): ALLOWED_WHILE_SUSPENDED names those tasks.
AT_WORK = (RegionStatus.ONBOARDING, RegionStatus.ACTIVE)
ALLOWED_WHILE_SUSPENDED = frozenset({
    "tenants.tasks.export_region_data_task",
    "tenants.billing.tasks.sync_headcounts_task",
    "tenants.billing.tasks.enforce_grace_periods_task",
    "kinerja.notifications.tasks.send_mail_task",  # mails already decided, the suspension notice among them
})


def regions_in_service():
    """Every region with a schema that holds live data, suspended ones included, by name (billing still
    counts a suspended region's staff: paying is how it comes back)."""
    return all_regions().filter(status__in=IN_SERVICE).order_by("schema_name")


def regions_at_work():
    """The regions fleet-wide work runs for (report refresh, stalled pay runs, catalogue sync):
    onboarding and active ones, never suspended or archived."""
    return all_regions().filter(status__in=AT_WORK).order_by("schema_name")


def schemas_in_service() -> list[str]:
    """The schemas fleet-wide work is sent into: those of the regions at work."""
    return list(regions_at_work().values_list("schema_name", flat=True))


def refuse_while_suspended(task) -> str:
    """The Celery run guard: a task arriving in the schema of a suspended (or archived) region does not
    run, unless its suspension needs it (a task queued before the suspension, a retry, a beat entry)."""
    schema = connection.schema_name
    if schema == get_public_schema_name() or task.name in ALLOWED_WHILE_SUSPENDED:
        return ""
    status = all_regions().filter(schema_name=schema).values_list("status", flat=True).first()
    if status in (RegionStatus.SUSPENDED, RegionStatus.ARCHIVED):
        return f"region {schema} is {status}"
    return ""


@dataclass(frozen=True)
class RegionFacts:
    slug: str
    name: str
    time_zone: str

    def as_dict(self) -> dict:
        return {"slug": self.slug, "name": self.name, "time_zone": self.time_zone}


def current_region() -> RegionFacts | None:
    """The region the connection is in; None on the public schema or outside any region."""
    if connection.schema_name == get_public_schema_name():
        return None
    # Routed by host, the connection holds the region itself; schema_context() holds a stand-in that
    # knows only the schema name.
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, get_tenant_model()) and tenant.schema_name == connection.schema_name:
        return RegionFacts(tenant.schema_name, tenant.name, tenant.time_zone or DEFAULT_TIME_ZONE)
    row = (get_tenant_model().objects.filter(schema_name=connection.schema_name)
           .values_list("schema_name", "name", "time_zone").first())
    return RegionFacts(row[0], row[1], row[2] or DEFAULT_TIME_ZONE) if row else None


# --- the clock --------------------------------------------------------------------------------------
def time_zone() -> zoneinfo.ZoneInfo:
    """The current region's time zone (deadlines and "today" are always the region's local ones)."""
    name = getattr(getattr(connection, "tenant", None), "time_zone", None)
    if not name:
        region = current_region()
        name = region.time_zone if region else None
    return zoneinfo.ZoneInfo(name or DEFAULT_TIME_ZONE)


def now(at: datetime.datetime | None = None) -> datetime.datetime:
    return (at or timezone.now()).astimezone(time_zone())


def today(at: datetime.datetime | None = None) -> datetime.date:
    return now(at).date()


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last second of a local day: a deadline "on" a date lasts until then."""
    return datetime.datetime.combine(day, datetime.time(23, 59, 59), tzinfo=time_zone())


# --- the calendar -----------------------------------------------------------------------------------
def month_start(value: datetime.date) -> datetime.date:
    return value.replace(day=1)


def month_end(month: datetime.date) -> datetime.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def next_month(month: datetime.date) -> datetime.date:
    return month_end(month) + datetime.timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """The region's working days and hours in one month."""

    month: datetime.date
    hours: dict[int, tuple[datetime.time, datetime.time]]  # weekday -> (start, end)
    holidays: dict[datetime.date, str]

    @property
    def working_dates(self) -> list[datetime.date]:
        days = []
        day = self.month
        while day.month == self.month.month:
            if day.weekday() in self.hours and day not in self.holidays:
                days.append(day)
            day += datetime.timedelta(days=1)
        return days


def work_calendar(month: datetime.date) -> WorkCalendar:
    month = month_start(month)
    hours = {row.weekday: (row.starts_at, row.ends_at) for row in WorkingDay.objects.filter(is_working=True)}
    holidays = dict(Holiday.objects.filter(date__gte=month, date__lte=month_end(month)).values_list("date", "name"))
    return WorkCalendar(month, hours, holidays)
