"""Reading regions on the public site."""
from django.db.models import Count, Q, QuerySet

from tenants.models import Region, RegionStatus


def regions() -> QuerySet[Region]:
    return Region.objects.exclude(schema_name="public").prefetch_related("domains")


def platform_overview() -> dict:
    return regions().aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=RegionStatus.ACTIVE)),
        suspended=Count("id", filter=Q(status=RegionStatus.SUSPENDED)),
        archived=Count("id", filter=Q(status=RegionStatus.ARCHIVED)),
    )
