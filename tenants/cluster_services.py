"""Cluster operations the operator asks for on the operator page: move a region to another worker,
rebalance, drain or undrain a worker. The request is checked, recorded and audited here and a worker runs
it (tenants.tasks) through the same functions as `manage.py cluster` (tenants.cluster), writing its
progress on the operation's row as it goes.

One operation at a time: Citus itself allows one rebalance at a time, and two operators moving the same
region at once would only fight. Running an operation is not one transaction: each move commits on its
own (Citus refuses a move inside a transaction block) and the progress must be visible while it runs.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context
from kinerja import jobs
from kinerja.audit.services import record_change, snapshot

from tenants import cluster
from tenants.models import ClusterOperation, Region

RUN_TASK = "tenants.tasks.run_cluster_operation_task"
AUDITED = ["action", "schema_name", "node", "status", "moves_planned", "moves_done", "detail"]
NEEDS_NODE = {ClusterOperation.Action.MOVE, ClusterOperation.Action.DRAIN, ClusterOperation.Action.UNDRAIN}


def _validate(action: str, schema_name: str, node: str) -> None:
    if not cluster.is_citus():
        raise ValidationError({"action": [_("The database is not a cluster: every region is on the one server.")]})
    if action not in ClusterOperation.Action.values:
        raise ValidationError({"action": [_("Choose move, rebalance, drain or undrain.")]})
    errors: dict[str, list[str]] = {}
    workers = {item.name for item in cluster.nodes()}
    if action in NEEDS_NODE and node not in workers:
        errors["node"] = [_("Choose one of the worker nodes: %s.") % ", ".join(sorted(workers))]
    if action == ClusterOperation.Action.MOVE:
        if not Region.objects.exclude(schema_name="public").filter(schema_name=schema_name).exists():
            errors["schema_name"] = [_("There is no region %s.") % (schema_name or "-")]
        elif cluster.unplaced_schemas([schema_name]):
            errors["schema_name"] = [_("%s is new and still being placed on a worker; move it once it is there.")
                                     % schema_name]
        elif node in workers and cluster.region_node(schema_name) == node:
            errors["node"] = [_("The region is on %s already.") % node]
    if errors:
        raise ValidationError(errors)
    if ClusterOperation.objects.filter(status__in=[ClusterOperation.Status.QUEUED, ClusterOperation.Status.RUNNING]).exists():
        raise ValidationError({"action": [_("Another cluster operation is still running; wait for it to finish.")]})


def request_operation(action: str, *, actor, schema_name: str = "", node: str = "") -> ClusterOperation:
    """Check and record the operation, audit it and queue it for a worker (sent when this commits)."""
    with schema_context("public"), transaction.atomic():
        _validate(action, schema_name, node)
        operation = ClusterOperation.objects.create(
            action=action, schema_name=schema_name if action == ClusterOperation.Action.MOVE else "",
            node=node if action in NEEDS_NODE else "",
            moves_planned=1 if action == ClusterOperation.Action.MOVE else 0,
            requested_by=(getattr(actor, "display_name", None) or str(actor))[:200] if actor else "")
        record_change(actor=actor, action=f"cluster.{action}_requested", target=operation,
                      after=snapshot(operation, AUDITED))
        operation_id = operation.pk
        transaction.on_commit(lambda: jobs.enqueue(RUN_TASK, operation_id))
    return operation


def _progress(operation: ClusterOperation):
    def on_move(done: int, planned: int, move: cluster.Move) -> None:
        ClusterOperation.objects.filter(pk=operation.pk).update(moves_done=done, moves_planned=planned,
                                                                current=move.schema)
    return on_move


def run_operation(operation_id: int) -> ClusterOperation:
    """Run a queued operation (what the worker does). An operation a dead worker left running is run
    again: moves already made are not planned again."""
    with schema_context("public"):
        operation = ClusterOperation.objects.get(pk=operation_id)
        if not operation.in_progress:
            return operation
        # Only one operation runs at a time: a region still marked as moving was left by a dead worker
        # (placements of new regions mark theirs too and are tidied by their own sweep).
        Region.objects.exclude(moving_to="").exclude(moving_to=cluster.PLACING).update(moving_to="")
        ClusterOperation.objects.filter(pk=operation.pk).update(status=ClusterOperation.Status.RUNNING)
        Action = ClusterOperation.Action
        try:
            if operation.action == Action.MOVE:
                _progress(operation)(0, 1, cluster.Move(operation.schema_name, "", operation.node))
                moved = cluster.move_schema(operation.schema_name, operation.node)
                done, detail = 1, (_("%(region)s is now on %(node)s.") if moved else
                                   _("%(region)s was on %(node)s already.")) % {
                    "region": operation.schema_name, "node": operation.node}
            elif operation.action == Action.REBALANCE:
                done = cluster.rebalance(_progress(operation))
                detail = _("Regions moved: %d.") % done
            elif operation.action == Action.DRAIN:
                done = cluster.drain_node(operation.node, _progress(operation))
                detail = _("Regions moved off %(node)s: %(count)d.") % {"node": operation.node, "count": done}
            else:
                cluster.undrain_node(operation.node)
                done, detail = 0, _("%s takes regions again.") % operation.node
            operation.refresh_from_db()
            operation.status, operation.moves_done, operation.detail = ClusterOperation.Status.DONE, done, detail
            operation.moves_planned = max(operation.moves_planned, done)
        except (ValueError, DatabaseError) as error:
            operation.refresh_from_db()
            operation.status, operation.detail = ClusterOperation.Status.FAILED, str(error)[:500]
        operation.current = ""
        operation.finished_at = timezone.now()
        operation.save()
        record_change(actor=None, action=f"cluster.{operation.action}_{operation.status}", target=operation,
                      after=snapshot(operation, AUDITED))
    return operation
