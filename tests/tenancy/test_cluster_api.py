"""The cluster on the platform's API: the operator reads where regions live and queues operations that a
worker runs, as on the operator page; nobody else can."""
import pytest

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from tenants import cluster
from tenants.models import ClusterOperation
from tests.helpers import client_for, english_client, make_user
from tests.tenancy.conftest import NODES, run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_api():
    return english_client(None, make_user(None, Role.OPERATOR, username="cluster-operator"))


def test_on_one_server_the_overview_says_so_and_operations_are_refused_with_the_reason(operator_api):
    if cluster.is_citus():
        pytest.skip("this database is a Citus cluster")
    assert operator_api.get("/api/v1/cluster/").json() == {"is_cluster": False, "nodes": [], "placements": []}
    refused = operator_api.post("/api/v1/cluster/operations/", {"action": "rebalance"}, content_type="application/json")
    assert refused.status_code == 400 and "not a cluster" in refused.json()["action"][0]


def test_the_operator_sees_nodes_and_placements_then_moves_a_region_and_follows_it(fake_cluster, operator_api,
                                                                                  region_a, region_b):
    overview = operator_api.get("/api/v1/cluster/").json()
    assert overview["is_cluster"] is True
    assert [(node["name"], node["regions"]) for node in overview["nodes"]] == [(NODES[0], 1), (NODES[1], 1)]
    assert {(p["schema"], p["node"]) for p in overview["placements"]} == {
        (region_a.schema_name, NODES[0]), (region_b.schema_name, NODES[1])}
    queued = operator_api.post("/api/v1/cluster/operations/",
                               {"action": "move", "schema_name": region_a.schema_name, "node": NODES[1]},
                               content_type="application/json")
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    run_queued()
    done = operator_api.get(f"/api/v1/cluster/operations/{queued.json()['id']}/").json()
    assert (done["status"], done["moves_done"], done["moves_planned"]) == ("done", 1, 1)
    assert fake_cluster[region_a.schema_name] == NODES[1]
    assert AuditEntry.objects.filter(action="cluster.move_requested", target_id=str(done["id"])).exists()
    assert [item["id"] for item in operator_api.get("/api/v1/cluster/operations/").json()["results"]] == [done["id"]]


def test_bad_requests_name_the_field_and_queue_nothing(fake_cluster, operator_api, region_a):
    for body, field in [({"action": "explode"}, "action"), ({"action": "drain", "node": "10.9.9.9:1"}, "node"),
                        ({"action": "move", "schema_name": "nowhere", "node": NODES[1]}, "schema_name"),
                        ({"action": "move", "schema_name": region_a.schema_name, "node": NODES[0]}, "node")]:
        refused = operator_api.post("/api/v1/cluster/operations/", body, content_type="application/json")
        assert refused.status_code == 400 and field in refused.json(), body
    assert not ClusterOperation.objects.exists()


@pytest.mark.parametrize("role", [Role.BKN_ANALYST, Role.PLUGIN_VENDOR])
def test_other_platform_roles_and_region_users_cannot_read_or_move(fake_cluster, region_a, role):
    other = client_for(None, make_user(None, role))
    assert other.get("/api/v1/cluster/").status_code == 403
    assert other.post("/api/v1/cluster/operations/", {"action": "rebalance"},
                      content_type="application/json").status_code == 403
    region_hr = client_for(region_a, make_user(region_a, Role.HR_ADMIN, username="hr-cluster"))
    assert region_hr.get("/api/v1/cluster/").status_code == 404  # the platform's API is not routed on regions
    assert client_for(None).get("/api/v1/cluster/").status_code in (401, 403)
    assert not ClusterOperation.objects.exists()


def test_a_new_region_not_yet_on_a_worker_reads_as_placing_and_a_move_of_it_is_refused(fake_cluster, operator_api,
                                                                                       region_a, region_b):
    del fake_cluster[region_b.schema_name]
    overview = operator_api.get("/api/v1/cluster/").json()
    placing = {p["schema"]: (p["placing"], p["node"]) for p in overview["placements"]}
    assert placing == {region_a.schema_name: (False, NODES[0]), region_b.schema_name: (True, "")}
    refused = operator_api.post("/api/v1/cluster/operations/",
                                {"action": "move", "schema_name": region_b.schema_name, "node": NODES[0]},
                                content_type="application/json")
    assert refused.status_code == 400 and "schema_name" in refused.json()
    assert not ClusterOperation.objects.exists()
