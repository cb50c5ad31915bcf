"""Reading the failure log, and who may read which rows: the one place that decides, for the pages, the
admin and the API. The platform operator reads every row; a plugin vendor reads the rows whose vendor is
their account's (`VendorAccount`); everyone else, and any user on a region's site, reads nothing."""
from __future__ import annotations

from django.db import connection
from django.db.models import Count, QuerySet, Sum
from django_tenants.utils import get_public_schema_name

from kinerja.accounts.models import Role
from kinerja.plugins.failures.models import PluginFailureRecord, VendorAccount


def on_public_site() -> bool:
    # A region's users share role names with nobody on the platform, but the check keeps the rule
    # independent of that: the log is read on the platform's site only.
    return connection.schema_name == get_public_schema_name()


def vendor_of(user) -> str | None:
    """The vendor a plugin-vendor user speaks for, or None (no account: they read nothing)."""
    if not (user and user.is_authenticated and user.role == Role.PLUGIN_VENDOR and on_public_site()):
        return None
    return VendorAccount.objects.filter(user=user).values_list("vendor", flat=True).first()


def can_read_failures(user) -> bool:
    return bool(user and user.is_authenticated and user.role in (Role.OPERATOR, Role.PLUGIN_VENDOR)
                and on_public_site())


def visible_failures(user) -> QuerySet[PluginFailureRecord]:
    records = PluginFailureRecord.objects.all()
    if not can_read_failures(user):
        return records.none()
    if user.role == Role.OPERATOR:
        return records
    vendor = vendor_of(user)
    return records.filter(vendor=vendor) if vendor else records.none()


def failures(user, *, plugin: str = "", region: str = "", hook: str = "") -> QuerySet[PluginFailureRecord]:
    records = visible_failures(user)
    if plugin:
        records = records.filter(plugin_name=plugin)
    if region:
        records = records.filter(region_slug=region)
    if hook:
        records = records.filter(hook=hook)
    return records.order_by("-last_seen", "-id")


def failure_counts_by_plugin(user) -> dict[str, dict]:
    """Plugin name -> {"entries": distinct failures, "count": occurrences}, for the catalogue, in one query."""
    rows = visible_failures(user).order_by().values("plugin_name").annotate(entries=Count("id"), total=Sum("count"))
    return {row["plugin_name"]: {"entries": row["entries"], "count": row["total"]} for row in rows}
