"""The operator's cluster page: where regions live and moving them between database nodes, queued for a
worker with its progress, audited, operators only; and the short maintenance notice a region gives while
it is being moved. The cluster is stood in for on plain PostgreSQL (tenants.cluster's functions), so the
page and its rules are tested in every pass; on Citus the page reads the real nodes."""
import pytest
from django.core.exceptions import ValidationError

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from tenants import cluster, cluster_services
from tenants.models import ClusterOperation
from tests.helpers import client_for, make_user
from tests.tenancy.conftest import NODES, run_queued

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return make_user(None, Role.OPERATOR, username="operator")


def test_on_one_server_the_page_says_the_database_is_not_a_cluster(operator):
    if cluster.is_citus():
        pytest.skip("this database is a Citus cluster")
    client = client_for(None, operator)
    page = client.get("/operator/cluster/")
    assert page.status_code == 200 and 'data-testid="not-a-cluster"' in page.content.decode()
    refused = client.post("/operator/cluster/", {"action": "rebalance"})
    assert refused.status_code == 400 and 'data-field="action"' in refused.content.decode()
    assert not ClusterOperation.objects.exists()


def test_the_page_shows_each_node_and_where_each_region_lives(fake_cluster, operator, region_a, region_b):
    page = client_for(None, operator).get("/operator/cluster/")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'data-node="{NODES[0]}"' in html and f'data-node="{NODES[1]}"' in html
    assert f'data-region="{region_a.schema_name}"' in html and region_a.name in html


def test_a_new_region_still_on_the_coordinator_is_shown_as_being_placed_and_cannot_be_moved_yet(
        fake_cluster, operator, region_a, region_b):
    del fake_cluster[region_b.schema_name]  # onboarded beyond the spare pool; its placement task has not run
    client = client_for(None, operator)
    html = client.get("/operator/cluster/").content.decode()
    row = html[html.index(f'data-region="{region_b.schema_name}"'):].split("</tr>")[0]
    assert 'data-testid="placing"' in row and 'value="move"' not in row
    assert 'http-equiv="refresh"' in html  # the page follows the placement
    refused = client.post("/operator/cluster/", {"action": "move", "schema_name": region_b.schema_name,
                                                 "node": NODES[0]})
    assert refused.status_code == 400 and "sedang ditempatkan" in refused.content.decode()
    assert not ClusterOperation.objects.exists()


def test_a_move_is_queued_audited_and_run_by_a_worker_with_its_progress(fake_cluster, operator, region_a):
    client = client_for(None, operator)
    response = client.post("/operator/cluster/", {"action": "move", "schema_name": region_a.schema_name,
                                                  "node": NODES[1]})
    assert response.status_code == 302
    operation = ClusterOperation.objects.get()
    assert operation.status == "queued" and fake_cluster[region_a.schema_name] == NODES[0]
    assert 'data-status="queued"' in client.get("/operator/cluster/").content.decode()
    run_queued()
    operation.refresh_from_db()
    assert operation.status == "done" and (operation.moves_done, operation.moves_planned) == (1, 1)
    assert fake_cluster[region_a.schema_name] == NODES[1]
    actions = list(AuditEntry.objects.filter(target_type="tenants.clusteroperation", target_id=str(operation.pk))
                   .order_by("pk").values_list("action", "actor_name"))
    assert actions == [("cluster.move_requested", operator.display_name), ("cluster.move_done", "system")]


def test_rebalance_drain_and_undrain_report_their_moves(fake_cluster, operator, region_a, region_b):
    cluster_services.request_operation("rebalance", actor=operator)
    run_queued()
    assert ClusterOperation.objects.get(action="rebalance").moves_done == 1
    assert set(fake_cluster.values()) == {NODES[0]}
    cluster_services.request_operation("drain", actor=operator, node=NODES[0])
    run_queued()
    drained = ClusterOperation.objects.get(action="drain")
    assert drained.status == "done" and drained.moves_done == 2 and set(fake_cluster.values()) == {NODES[1]}
    assert cluster.moves_seen[-2:] == [(region_b.schema_name, 0, 2), (region_a.schema_name, 1, 2)]
    cluster_services.request_operation("undrain", actor=operator, node=NODES[0])
    run_queued()
    assert ClusterOperation.objects.get(action="undrain").status == "done"
    assert all(node.should_have_regions for node in cluster.nodes())


def test_a_failed_move_says_why_and_leaves_the_region_writable(fake_cluster, operator, region_a, monkeypatch):
    def broken(schema, target):
        raise ValueError("could not connect to 10.0.0.2")

    monkeypatch.setattr(cluster, "move_schema", broken)
    operation = cluster_services.request_operation("move", actor=operator, schema_name=region_a.schema_name,
                                                   node=NODES[1])
    run_queued()
    operation.refresh_from_db()
    region_a.refresh_from_db()
    assert operation.status == "failed" and "could not connect" in operation.detail and region_a.moving_to == ""
    assert AuditEntry.objects.filter(action="cluster.move_failed", target_id=str(operation.pk)).exists()


def test_bad_requests_name_the_field_and_one_operation_runs_at_a_time(fake_cluster, operator, region_a):
    client = client_for(None, operator)
    for data, field in [({"action": "move", "schema_name": region_a.schema_name, "node": "10.9.9.9:1"}, "node"),
                        ({"action": "move", "schema_name": "nowhere", "node": NODES[1]}, "schema_name"),
                        ({"action": "move", "schema_name": region_a.schema_name, "node": NODES[0]}, "node"),
                        ({"action": "explode"}, "action"),
                        ({"action": "drain", "node": ""}, "node")]:
        response = client.post("/operator/cluster/", data)
        assert response.status_code == 400 and f'data-field="{field}"' in response.content.decode(), data
    assert not ClusterOperation.objects.exists()
    cluster_services.request_operation("rebalance", actor=operator)
    with pytest.raises(ValidationError) as refused:
        cluster_services.request_operation("drain", actor=operator, node=NODES[0])
    assert list(refused.value.message_dict) == ["action"] and ClusterOperation.objects.count() == 1


@pytest.mark.parametrize("who", ["anonymous", "bkn", "plugin_vendor"])
def test_only_the_operator_may_see_or_move(fake_cluster, region_a, who):
    user = {"anonymous": None, "bkn": make_user(None, Role.BKN_ANALYST),
            "plugin_vendor": make_user(None, Role.PLUGIN_VENDOR)}[who]
    client = client_for(None, user)
    page = client.get("/operator/cluster/")
    posted = client.post("/operator/cluster/", {"action": "rebalance"})
    if user is None:
        assert page.status_code == posted.status_code == 302 and "/accounts/login/" in posted["Location"]
    else:
        assert page.status_code == posted.status_code == 403
    assert not ClusterOperation.objects.exists()


def test_a_region_hr_admin_cannot_reach_the_cluster_page(fake_cluster, region_a):
    hr = make_user(region_a, Role.HR_ADMIN, username="hr")
    region_client = client_for(region_a, hr)
    assert region_client.get("/operator/cluster/").status_code == 404  # not routed on region hosts
    assert region_client.post("/operator/cluster/", {"action": "rebalance"}).status_code == 404
    # Their session means nothing on the platform's host.
    public = client_for(None)
    public.cookies = region_client.cookies
    assert public.post("/operator/cluster/", {"action": "rebalance"}).status_code == 302
    assert not ClusterOperation.objects.exists()


def test_a_region_being_moved_reads_as_usual_and_answers_changes_with_a_short_notice(region_a):
    hr = make_user(region_a, Role.HR_ADMIN)
    client = client_for(region_a, hr)
    region_a.moving_to = "10.0.0.2:5432"
    region_a.save(update_fields=["moving_to"])
    assert client.get("/people/units/").status_code == 200
    assert client.get("/api/v1/units/").status_code == 200
    page = client.post("/people/units/", {"code": "X", "name": "X"})
    assert page.status_code == 503 and page["Retry-After"] == "60"
    assert 'data-testid="region-moving"' in page.content.decode()
    assert "sedang dipindahkan" in page.content.decode()  # Indonesian, the region's language
    api = client.post("/api/v1/units/", {"code": "X", "name": "X"}, content_type="application/json")
    assert api.status_code == 503 and api["Retry-After"] == "60" and api.json()["region_status"] == "moving"
    region_a.moving_to = ""
    region_a.save(update_fields=["moving_to"])
    created = client.post("/api/v1/units/", {"code": "X", "name": "X"}, content_type="application/json")
    assert created.status_code == 201


def test_on_citus_the_page_lists_the_real_workers(operator, region_a):
    if not cluster.is_citus():
        pytest.skip("plain PostgreSQL: the Citus pass of CI runs this")
    html = client_for(None, operator).get("/operator/cluster/").content.decode()
    for node in cluster.nodes():
        assert f'data-node="{node.name}"' in html
    assert f'data-region="{region_a.schema_name}"' in html


def test_an_operation_leaves_a_placement_marker_alone_and_the_sweep_lifts_one_a_dead_worker_left(
        fake_cluster, operator, region_a, region_b):
    from tenants.models import Region

    Region.objects.filter(pk=region_a.pk).update(moving_to=cluster.PLACING)  # being placed right now
    Region.objects.filter(pk=region_b.pk).update(moving_to="10.0.0.9:5432")  # a move a dead worker left
    cluster_services.request_operation("rebalance", actor=operator)
    run_queued()
    assert dict(Region.objects.filter(pk__in=[region_a.pk, region_b.pk]).values_list("pk", "moving_to")) == {
        region_a.pk: cluster.PLACING, region_b.pk: ""}
    assert cluster.place_unplaced_regions() == []  # both are on workers: region A's placement had committed
    assert Region.objects.get(pk=region_a.pk).moving_to == ""
