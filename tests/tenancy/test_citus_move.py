"""Moving a region to another Citus worker while it is being used: every write made during the move is
there afterwards, and reads never fail. Runs outside a test transaction (the move copies committed data
over other connections), so it cleans up after itself. Skipped on plain PostgreSQL."""
import threading

import pytest
from django.db import DatabaseError, connection, connections
from django_tenants.utils import schema_context

from kinerja.audit.models import AuditEntry
from kinerja.audit.services import record_change
from tenants import cluster
from tenants.models import Region
from tenants.services import OnboardingRequest, onboard_region


def test_a_region_moved_to_another_worker_keeps_serving_and_loses_nothing(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        if not cluster.is_citus():
            pytest.skip("plain PostgreSQL: the Citus pass of CI runs this")
        onboard_region(OnboardingRequest(
            name="Kota Pindah", slug="pindah", kind="kota", region_code="99.77", province="Uji",
            time_zone="Asia/Jakarta", admin_email="hr@pindah.go.id", admin_name="HR Pindah"))
        try:
            source = cluster.region_node("pindah")
            target = next(node.name for node in cluster.nodes() if node.name != source)
            written, read, errors = [], [], []
            stop = threading.Event()

            def serve():
                number = 0
                try:
                    while not stop.is_set() or number < 5:
                        try:
                            with schema_context("pindah"):
                                record_change(actor=None, action="test.moving", target_type="test",
                                              target_id=str(number))
                                written.append(number)
                                read.append(AuditEntry.objects.filter(action="test.moving").count())
                        except DatabaseError as error:
                            errors.append(error)
                        number += 1
                finally:
                    connections.close_all()

            server = threading.Thread(target=serve)
            server.start()
            try:
                cluster.move_schema("pindah", target)
            finally:
                stop.set()
                server.join(timeout=300)
            assert errors == []
            assert cluster.region_node("pindah") == target != source
            with schema_context("pindah"):
                stored = sorted(int(number) for number in AuditEntry.objects.filter(action="test.moving")
                                .values_list("target_id", flat=True))
            assert stored == written and len(written) >= 5
            assert read == sorted(read) and read[-1] == len(written)
        finally:
            connection.set_schema_to_public()
            Region.objects.filter(schema_name="pindah").delete()
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA IF EXISTS pindah CASCADE")
