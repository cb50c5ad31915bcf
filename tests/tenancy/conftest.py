"""A stand-in Citus cluster for the cluster page and API tests: tenants.cluster's functions replaced, so
the rules are tested on plain PostgreSQL in every pass."""
import pytest

from tenants import cluster
from tenants.models import ClusterOperation
from tenants.tasks import run_cluster_operation_task

NODES = ["10.0.0.1:5432", "10.0.0.2:5432"]


@pytest.fixture
def fake_cluster(monkeypatch, region_a, region_b):
    """Two workers, region A on the first and region B on the second; moves only change the map."""
    where = {region_a.schema_name: NODES[0], region_b.schema_name: NODES[1]}
    drained = set()
    moved = []
    monkeypatch.setattr(cluster, "moves_seen", moved, raising=False)

    def move(schema, target):
        assert target in NODES
        # what the page shows while this move runs
        moved.append(ClusterOperation.objects.filter(status="running")
                     .values_list("current", "moves_done", "moves_planned").get())
        where[schema] = target
        return True

    def drain(name, on_move=None):
        drained.add(name)
        moves = [cluster.Move(schema, node, next(n for n in NODES if n != name))
                 for schema, node in sorted(where.items()) if node == name]
        return cluster.run_moves(moves, on_move)

    monkeypatch.setattr(cluster, "is_citus", lambda: True)
    monkeypatch.setattr(cluster, "nodes", lambda: [
        cluster.Node(*name.split(":")[:1], int(name.split(":")[1]), sum(1 for n in where.values() if n == name),
                     should_have_regions=name not in drained) for name in NODES])
    monkeypatch.setattr(cluster, "placements", lambda: [cluster.Placement(s, n, 8192) for s, n in sorted(where.items())])
    monkeypatch.setattr(cluster, "region_node", lambda schema: where.get(schema))
    monkeypatch.setattr(cluster, "unplaced_schemas", lambda schemas: [s for s in schemas if s not in where])
    monkeypatch.setattr(cluster, "unplaced_regions", lambda: [s for s in (region_a.schema_name, region_b.schema_name)
                                                              if s not in where])
    monkeypatch.setattr(cluster, "move_schema", move)
    monkeypatch.setattr(cluster, "drain_node", drain)
    monkeypatch.setattr(cluster, "undrain_node", lambda name: drained.discard(name))
    monkeypatch.setattr(cluster, "planned_moves", lambda drain_only=False: [
        cluster.Move(region_b.schema_name, NODES[1], NODES[0])])
    return where


def run_queued():
    for operation in ClusterOperation.objects.filter(status=ClusterOperation.Status.QUEUED):
        run_cluster_operation_task.apply(args=[operation.pk])  # what the worker does with the queued task
