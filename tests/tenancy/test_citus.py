"""The same guarantees on one server and on a Citus cluster: the audit trail stays append-only in every
region, and on Citus each onboarded region lives whole on one worker while the template stays on the
coordinator. The Citus-only tests are skipped on plain PostgreSQL (CI runs them in its Citus pass)."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django_tenants.utils import schema_context

from kinerja.audit.models import AuditEntry
from kinerja.audit.services import record_change
from tenants import cluster
from tenants.schemas import template_schema_name

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("change", ["update", "delete"])
def test_an_audit_entry_cannot_be_changed_or_deleted_in_a_region(region_a, change):
    with schema_context(region_a.schema_name):
        entry = record_change(actor=None, action="test.recorded", target_type="test", target_id="1")
        rows = AuditEntry.objects.filter(pk=entry.pk)
        with pytest.raises(DatabaseError, match="audit entries cannot be changed or deleted"):
            with transaction.atomic():
                rows.update(reason="rewritten") if change == "update" else rows.delete()
        assert AuditEntry.objects.get(pk=entry.pk).reason == ""


@pytest.fixture
def citus(db):
    if not cluster.is_citus():
        pytest.skip("plain PostgreSQL: the Citus pass of CI runs this")


def schema_is_distributed(name):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM citus_schemas WHERE schema_name = %s::regnamespace", [name])
        return cursor.fetchone() is not None


def test_each_region_lives_whole_on_one_worker_and_the_template_on_the_coordinator(citus, region_a, region_b):
    placed = {placement.schema: placement.node for placement in cluster.placements()}
    workers = {node.name for node in cluster.nodes()}
    assert placed[region_a.schema_name] in workers and placed[region_b.schema_name] in workers
    assert not schema_is_distributed(template_schema_name())
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(DISTINCT nodename || nodeport) FROM citus_shards WHERE citus_table_type = "
                       "'schema' AND table_name::text LIKE %s", [f"{region_a.schema_name}.%"])
        assert cursor.fetchone()[0] == 1
        cursor.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", [region_a.schema_name])
        tables = cursor.fetchone()[0]
        cursor.execute("SELECT count(*) FROM citus_shards WHERE table_name::text LIKE %s",
                       [f"{region_a.schema_name}.%"])
        assert cursor.fetchone()[0] == tables


def test_the_database_has_what_the_app_needs_from_citus(citus):
    assert cluster.settings_problems() == []
    assert len(cluster.nodes()) >= 1


def test_moving_to_a_node_that_is_not_a_worker_is_refused_by_name(citus, region_a):
    with pytest.raises(CommandError, match="not a worker"):
        call_command("cluster", "move", region_a.schema_name, "10.0.0.1:5432")


def test_the_cluster_command_refuses_plain_postgresql(db):
    if cluster.is_citus():
        pytest.skip("on Citus the command works")
    with pytest.raises(CommandError, match="not a Citus coordinator"):
        call_command("cluster", "regions")



def test_citus_plans_whole_region_moves_between_known_workers(citus, region_a, region_b):
    workers = {node.name for node in cluster.nodes()}
    regions = {placement.schema for placement in cluster.placements()}
    for move in cluster.planned_moves():
        assert move.schema in regions and {move.source, move.target} <= workers and move.source != move.target
    assert cluster.planned_moves(drain_only=True) == []  # no worker is drained
    assert not cluster.move_schema(region_a.schema_name, cluster.region_node(region_a.schema_name))  # there already


def test_a_region_onboarded_beyond_the_spare_pool_works_at_once_and_then_moves_whole_to_a_worker(
        citus, monkeypatch, django_capture_on_commit_callbacks):
    from kinerja import jobs
    from kinerja.accounts.models import User
    from tenants import tasks
    from tenants.models import Region
    from tenants.schemas import spare_schemas
    from tenants.services import PLACE_REGION_TASK, OnboardingRequest, onboard_region

    with connection.cursor() as cursor:  # no spare pool: this onboarding clones
        for spare in spare_schemas():
            cursor.execute(f"DROP SCHEMA {spare} CASCADE")
    queued = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: queued.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        result = onboard_region(OnboardingRequest(
            name="Kota Padang", slug="padang", kind="kota", region_code="13.71", province="Sumatera Barat",
            time_zone="Asia/Jakarta", admin_email="bkpsdm@padang.go.id", admin_name="Admin BKPSDM Padang"))
    assert result.schema_created_by == "clone" and result.placed_later
    assert (PLACE_REGION_TASK, ("padang",)) in queued
    assert cluster.unplaced_schemas(["padang"]) == ["padang"]  # on the coordinator, usable already
    listing = io.StringIO()
    call_command("cluster", "regions", stdout=listing)
    assert "padang" in listing.getvalue() and "being placed on a worker" in listing.getvalue()
    with schema_context("padang"):
        record_change(actor=None, action="test.before_placing", target_type="test", target_id="1")

    assert tasks.place_region_task("padang") is True
    assert cluster.unplaced_schemas(["padang"]) == [] and cluster.region_node("padang") in {n.name for n in cluster.nodes()}
    assert Region.objects.get(schema_name="padang").moving_to == ""
    with schema_context("padang"):  # nothing written before the move is lost
        assert User.objects.get().username == result.admin_username
        assert AuditEntry.objects.filter(action="test.before_placing").exists()
    assert tasks.place_region_task("padang") is False  # placed already: nothing to do
    assert tasks.place_unplaced_regions_task() == 0
