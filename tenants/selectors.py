"""Reading regions on the public site."""
from django.db.models import Count, Q, QuerySet

from tenants import cluster
from tenants.models import ClusterOperation, Region, RegionStatus


def regions() -> QuerySet[Region]:
    return Region.objects.exclude(schema_name="public").prefetch_related("domains")


def platform_overview() -> dict:
    return regions().aggregate(
        total=Count("id"),
        active=Count("id", filter=Q(status=RegionStatus.ACTIVE)),
        suspended=Count("id", filter=Q(status=RegionStatus.SUSPENDED)),
        archived=Count("id", filter=Q(status=RegionStatus.ARCHIVED)),
    )


def cluster_operations():
    return ClusterOperation.objects.all()


def cluster_overview() -> dict:
    """What the operator's cluster page shows: whether the database is a Citus cluster, its workers with
    their regions and sizes, each region's node, and the latest operations."""
    operations = list(cluster_operations()[:10])
    if not cluster.is_citus():
        return {"is_cluster": False, "nodes": [], "placements": [], "operations": operations}
    names = dict(regions().values_list("schema_name", "name"))
    moving = dict(regions().exclude(moving_to="").values_list("schema_name", "moving_to"))
    placements = [{"schema": p.schema, "name": names.get(p.schema, ""), "node": p.node, "bytes": p.bytes,
                   "moving_to": moving.get(p.schema, ""), "placing": False}
                  for p in cluster.placements() if p.schema in names]
    # A region onboarded beyond the spare pool is on the coordinator until its placement task has run.
    placements += [{"schema": schema, "name": names[schema], "node": "", "bytes": 0, "moving_to": "", "placing": True}
                   for schema in cluster.unplaced_regions()]
    return {"is_cluster": True, "nodes": cluster.nodes(), "placements": placements, "operations": operations,
            "busy": any(operation.in_progress for operation in operations),
            "placing": any(placement["placing"] for placement in placements)}
