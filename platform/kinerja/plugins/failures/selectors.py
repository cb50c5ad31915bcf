"""Reading the failure log, and who may read which rows: the one place that decides, for the pages, the
admin and the API. Who reads the log at all and who reads every row are
capabilities (`plugins.failures.read`, `plugins.failures.read_all`); a vendor reads the rows whose vendor
is their account's (`VendorAccount`); any user on a region's site reads nothing."""
from __future__ import annotations

from django.db.models import Count, QuerySet, Sum

from kinerja.accounts.capabilities import has
from kinerja.plugins.failures.models import PluginFailureRecord, VendorAccount


def vendor_of(user) -> str | None:
    """The vendor a plugin-vendor user speaks for, or None (no account: they read nothing)."""
    if not has(user, "plugins.failures.read") or has(user, "plugins.failures.read_all"):
        return None
    return VendorAccount.objects.filter(user=user).values_list("vendor", flat=True).first()


def can_read_failures(user) -> bool:
    return has(user, "plugins.failures.read")


def reads_every_failure(user) -> bool:
    return has(user, "plugins.failures.read_all")


def visible_failures(user) -> QuerySet[PluginFailureRecord]:
    records = PluginFailureRecord.objects.all()
    if reads_every_failure(user):
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
