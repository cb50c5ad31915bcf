"""Moving a region to another Citus worker while it is being used: the operator asks for the move on the
cluster page's service and a worker runs it while the region's users keep reading and writing. Every
write made during the move is there afterwards (a write sent through the API while the region is marked
as moving is answered 503 with Retry-After and sent again, as a client does), and reads never fail. Runs
outside a test transaction (the move copies committed data over other connections), so it cleans up after
itself. Skipped on plain PostgreSQL."""
import threading

import pytest
from django.db import DatabaseError, connection, connections
from django_tenants.utils import schema_context

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.audit.services import record_change
from kinerja.people.models import Unit
from tenants import cluster, cluster_services
from tenants.models import ClusterOperation, Region
from tenants.services import OnboardingRequest, onboard_region
from tests.helpers import client_for, make_user


def test_a_region_moved_to_another_worker_keeps_serving_and_loses_nothing(django_db_setup, django_db_blocker,
                                                                          monkeypatch):
    with django_db_blocker.unblock():
        if not cluster.is_citus():
            pytest.skip("plain PostgreSQL: the Citus pass of CI runs this")
        onboard_region(OnboardingRequest(
            name="Kota Pindah", slug="pindah", kind="kota", region_code="99.77", province="Uji",
            time_zone="Asia/Jakarta", admin_email="hr@pindah.go.id", admin_name="HR Pindah"))
        cluster.place_schema("pindah")  # what the placement task queued by onboarding does
        region = Region.objects.get(schema_name="pindah")
        api = client_for(region, make_user(region, Role.HR_ADMIN, username="hr-pindah"))
        operator = make_user(None, Role.OPERATOR, username="operator-pindah")  # left: tests name theirs otherwise
        queued = []
        monkeypatch.setattr(cluster_services.jobs, "enqueue", lambda name, *args: queued.append(args))
        try:
            source = cluster.region_node("pindah")
            target = next(node.name for node in cluster.nodes() if node.name != source)
            written, read, errors = [], [], []
            units, answers = [], []
            stop = threading.Event()

            def use_api():
                number = 0
                try:
                    while not stop.is_set() or number < 3:
                        code = f"U{number}"
                        answer = api.post("/api/v1/units/", {"code": code, "name": f"Unit {number}"},
                                          content_type="application/json")
                        answers.append(answer.status_code)
                        if answer.status_code == 201:
                            units.append(code)
                        elif answer.status_code == 503 and answer["Retry-After"]:
                            stop.wait(0.2)
                            continue  # sent again, as a client does after Retry-After
                        listed = api.get("/api/v1/units/?page_size=1")
                        answers.append(listed.status_code)
                        number += 1
                finally:
                    connections.close_all()

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

            servers = [threading.Thread(target=serve), threading.Thread(target=use_api)]
            for server in servers:
                server.start()
            try:
                operation = cluster_services.request_operation("move", actor=operator, schema_name="pindah",
                                                               node=target)
                assert queued == [(operation.pk,)]
                cluster_services.run_operation(operation.pk)  # what the worker does with it
            finally:
                stop.set()
                for server in servers:
                    server.join(timeout=300)
            assert errors == []
            assert set(answers) <= {200, 201, 503} and 200 in answers
            operation.refresh_from_db()
            assert operation.status == "done" and operation.moves_done == 1
            region.refresh_from_db()
            assert region.moving_to == ""
            assert cluster.region_node("pindah") == target != source
            with schema_context("pindah"):
                stored = sorted(int(number) for number in AuditEntry.objects.filter(action="test.moving")
                                .values_list("target_id", flat=True))
            assert stored == written and len(written) >= 5
            assert read == sorted(read) and read[-1] == len(written)
            with schema_context("pindah"):
                assert sorted(Unit.objects.values_list("code", flat=True)) == sorted(units) and units
        finally:
            connection.set_schema_to_public()
            Region.objects.filter(schema_name="pindah").delete()
            ClusterOperation.objects.all().delete()
            with connection.cursor() as cursor:
                cursor.execute("DROP SCHEMA IF EXISTS pindah CASCADE")
