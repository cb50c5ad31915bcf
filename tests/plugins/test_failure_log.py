"""The plugin failure log: one counted row per distinct failure, written once per pay-run chunk; read by
the operator (everything) and by a vendor user (their own plugins only), on the public site, its API and
the admin; HR reads a sentence naming the plugin instead of the exception."""
import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from kinerja.accounts.models import Role
from kinerja.plugins.failures import selectors as failure_selectors
from kinerja.plugins.failures.models import PluginFailureRecord, VendorAccount
from kinerja.plugins.models import PluginActivation
from kinerja.plugins.services import set_plugin_enabled
from tests.helpers import client_for, in_region, make_user
from tests.factories import make_employee, make_login, make_unit
from tests.pay import factories as pay
from tests.plugins.fake import broken_pay, future_api, other_vendor

pytestmark = pytest.mark.django_db
MARCH = datetime.date(2025, 3, 1)
TABLE = PluginFailureRecord._meta.db_table


@pytest.fixture
def host(plugin_host):
    for module in (broken_pay, other_vendor):
        assert plugin_host.register(module) is not None, plugin_host.load_errors
    return plugin_host


@pytest.fixture
def failed_run(host, region_a):
    """A run of region A on the broken plugin: all 7 employees fail, in chunks of 3."""
    with in_region(region_a):
        hr = make_login(Role.HR_ADMIN, "hr-failing-run")
        unit = make_unit("FAIL-DINKES", "Dinas Kesehatan")
        people = [make_employee(unit, f"Pegawai Gagal {n}", with_user=False) for n in range(7)]
        pay.use_pay_plugin("test-broken-pay", hr)
        with CaptureQueriesContext(connection) as queries:
            run = pay.computed_run(MARCH, hr, chunk_size=3)
    return run, hr, people, queries


@pytest.fixture
def both_vendors_failed(host, region_b):
    """In region B, the Tests vendor's catalogue breaks its contract and another vendor's catalogue raises."""
    from kinerja.training.services import sync_catalog

    with in_region(region_b):
        hr = make_user(region_b, Role.HR_ADMIN, username="hr-b-sync")
        for name in ("test-broken-pay", "test-other-vendor"):
            set_plugin_enabled(name, True, actor=hr)
        syncs = {s.plugin_name: s for s in sync_catalog(actor=hr)}
    return syncs


def vendor(name: str | None, username: str):
    user = make_user(None, Role.PLUGIN_VENDOR, username=username)
    if name is not None:
        VendorAccount.objects.create(user=user, vendor=name)
    return user


# --- writing ---------------------------------------------------------------------------------------------

def test_a_run_failing_for_every_employee_is_one_row_written_once_per_chunk(failed_run):
    run, _hr, people, queries = failed_run
    assert (run.status, run.failed, run.total_employees) == ("computed", 7, 7)
    writes = [q["sql"] for q in queries if TABLE in q["sql"]]
    assert len(writes) == 3  # one upsert per chunk of 3, 3 and 1 employees, not one per employee
    [row] = PluginFailureRecord.objects.all()
    assert (row.plugin_name, row.plugin_version, row.vendor, row.region_slug, row.hook, row.error_type,
            row.count) == ("test-broken-pay", "1.4.0", "Tests", "bukittinggi", "kinerja_compute_pay",
                           "ZeroDivisionError", 7)
    assert row.first_seen <= row.last_seen
    assert "1_000_000 // (absent - absent)" in row.traceback


def test_the_log_keeps_no_personal_data(failed_run):
    _run, _hr, people, _queries = failed_run
    stored = " ".join(str(value) for value in PluginFailureRecord.objects.values().get().values())
    for person in people:
        assert person.nip not in stored and person.full_name not in stored


def test_the_same_failure_in_another_region_is_another_row(failed_run, region_b):
    with in_region(region_b):
        hr = make_login(Role.HR_ADMIN, "hr-b-failing-run")
        make_employee(make_unit("FAIL-B", "Dinas B"), "Pegawai B", with_user=False)
        pay.use_pay_plugin("test-broken-pay", hr)
        pay.computed_run(MARCH, hr)
    counts = dict(PluginFailureRecord.objects.values_list("region_slug", "count"))
    assert counts == {"bukittinggi": 7, "batanghari": 1}


def test_a_resumed_chunk_is_counted_once(host, region_a, monkeypatch):
    """A chunk that fails after its failures were counted rolls back with them and is counted when redone."""
    from kinerja.pay import services

    with in_region(region_a):
        hr = make_login(Role.HR_ADMIN, "hr-crash")
        unit = make_unit("FAIL-CRASH", "Dinas Crash")
        for n in range(4):
            make_employee(unit, f"Pegawai Crash {n}", with_user=False)
        pay.use_pay_plugin("test-broken-pay", hr)
        run = services.create_run(month=MARCH, actor=hr)
        services.start_run(run, actor=hr, enqueue=False, reason="Test data: not every input is complete.")
        real_chunk = services.compute_chunk
        calls = []

        def crash_on_second(*args):
            calls.append(1)
            failed = real_chunk(*args)
            if len(calls) == 2:
                raise RuntimeError("worker died")
            return failed

        monkeypatch.setattr(services, "compute_chunk", crash_on_second)
        with pytest.raises(RuntimeError):
            services.compute_run(run.pk, chunk_size=2)
        assert PluginFailureRecord.objects.get().count == 2
        monkeypatch.setattr(services, "compute_chunk", real_chunk)
        services.compute_run(run.pk, chunk_size=2)
    assert PluginFailureRecord.objects.get().count == 4


# --- what HR reads -----------------------------------------------------------------------------------------

def test_hr_reads_which_plugin_failed_in_indonesian_not_the_exception(failed_run, region_a):
    run, hr, _people, _queries = failed_run
    page = client_for(region_a, hr).get(f"/pay/runs/{run.pk}/").content.decode()
    assert "Plugin test-broken-pay gagal menghitung TPP untuk 7 pegawai; operator dan vendor telah diberi tahu." in page
    assert "Tidak dihitung: plugin test-broken-pay gagal" in page
    assert "ZeroDivisionError" not in page and "division" not in page
    with in_region(region_a):
        errors = set(run.results.values_list("error", flat=True))
    assert errors == {"Not computed: plugin test-broken-pay failed; the operator and the vendor have been notified."}


def test_hr_reads_a_sentence_when_catalogue_and_stages_fail(both_vendors_failed, region_b):
    from kinerja.recruitment.services.openings import stage_definitions

    syncs = both_vendors_failed
    assert syncs["test-broken-pay"].status == syncs["test-other-vendor"].status == "failed"
    assert syncs["test-other-vendor"].error == ("Plugin test-other-vendor could not supply its training catalogue; "
                                                "the operator and the vendor have been notified.")
    with in_region(region_b):
        with pytest.raises(ValidationError) as refused:
            stage_definitions("cpns")
    assert refused.value.message_dict["kind"] == [
        "Plugin test-broken-pay could not supply the recruitment stages; the operator and the vendor have been "
        "notified."]
    rows = {(r.plugin_name, r.hook): r for r in PluginFailureRecord.objects.all()}
    assert rows[("test-other-vendor", "kinerja_training_catalog")].message == "catalogue server unreachable"
    assert rows[("test-broken-pay", "kinerja_training_catalog")].error_type.endswith("PluginContractError")
    assert rows[("test-broken-pay", "kinerja_recruitment_stages")].error_type == "LookupError"
    assert {r.region_slug for r in rows.values()} == {"batanghari"}


def test_hr_sees_why_a_plugin_was_refused_at_load(plugin_host, region_a):
    plugin_host.register(future_api)
    hr = make_user(region_a, Role.HR_ADMIN, username="hr-load-errors")
    with in_region(region_a):
        PluginActivation.objects.create(plugin_name="test-future", enabled=True)
    client = client_for(region_a, hr)
    listing = client.get("/plugins/").content.decode()
    assert 'data-testid="load-errors"' in listing and 'data-refused="test-future"' in listing
    assert "needs hook API &gt;=3.0,&lt;4.0" in listing
    detail = client.get("/plugins/test-future/").content.decode()
    assert 'data-testid="load-error"' in detail and "needs hook API &gt;=3.0,&lt;4.0" in detail
    auditor = client_for(region_a, make_user(region_a, Role.AUDITOR, username="auditor-load-errors"))
    assert 'data-refused="test-future"' in auditor.get("/plugins/").content.decode()
    assert client_for(region_a, make_user(region_a, Role.EMPLOYEE)).get("/plugins/").status_code == 403


# --- who reads the log -------------------------------------------------------------------------------------

def listed(client) -> set[str]:
    page = client.get("/plugins/failures/")
    assert page.status_code == 200
    return {r.plugin_name for r in page.context["failures"]}


def api_listed(client) -> set[str]:
    response = client.get("/api/v1/plugin-failures/")
    assert response.status_code == 200
    return {row["plugin_name"] for row in response.json()["results"]}


def test_the_operator_reads_every_failure_in_bounded_queries(failed_run, both_vendors_failed,
                                                             django_assert_max_num_queries):
    client = client_for(None, make_user(None, Role.OPERATOR, username="operator-failures"))
    with django_assert_max_num_queries(8) as few:
        assert listed(client) == {"test-broken-pay", "test-other-vendor"}
    few = len(few)
    assert api_listed(client) == {"test-broken-pay", "test-other-vendor"}
    row = PluginFailureRecord.objects.first()
    PluginFailureRecord.objects.bulk_create([PluginFailureRecord(
        plugin_name=f"test-more-{n}", plugin_version="1", vendor="X", region_slug="batanghari", hook=row.hook,
        error_type="E", signature=f"more-{n}", first_seen=row.first_seen, last_seen=row.last_seen, count=1)
        for n in range(5)])
    with django_assert_max_num_queries(8) as more:
        assert len(listed(client)) == 7
    assert len(more) == few  # the page's queries do not grow with its rows
    other = PluginFailureRecord.objects.get(plugin_name="test-other-vendor")
    detail = client.get(f"/plugins/failures/{other.pk}/").content.decode()
    assert "ConnectionError" in detail and 'data-testid="traceback"' in detail
    body = client.get(f"/api/v1/plugin-failures/{other.pk}/").json()
    assert (body["vendor"], body["region_slug"], body["count"]) == ("Another Vendor Ltd", "batanghari", 1)
    filtered = client.get("/api/v1/plugin-failures/?region=bukittinggi").json()["results"]
    assert [(row["plugin_name"], row["count"]) for row in filtered] == [("test-broken-pay", 7)]


def test_a_vendor_reads_their_own_plugins_failures_only(failed_run, both_vendors_failed):
    client = client_for(None, vendor("Tests", "vendor-tests"))
    assert listed(client) == api_listed(client) == {"test-broken-pay"}
    other = PluginFailureRecord.objects.get(plugin_name="test-other-vendor")
    assert client.get(f"/plugins/failures/{other.pk}/").status_code == 404
    assert client.get(f"/api/v1/plugin-failures/{other.pk}/").status_code == 404
    assert client.get("/api/v1/plugin-failures/?plugin=test-other-vendor").json()["results"] == []

    rival = client_for(None, vendor("Another Vendor Ltd", "vendor-rival"))
    assert listed(rival) == api_listed(rival) == {"test-other-vendor"}


def test_a_vendor_without_an_account_reads_nothing(failed_run):
    client = client_for(None, vendor(None, "vendor-unlinked"))
    assert listed(client) == api_listed(client) == set()


def test_a_vendor_name_must_match_exactly(failed_run):
    client = client_for(None, vendor("tests", "vendor-lowercase"))
    assert listed(client) == set()


@pytest.mark.parametrize("role", [Role.BKN_ANALYST])
def test_other_platform_roles_and_the_public_are_refused(failed_run, role):
    row = PluginFailureRecord.objects.get()
    client = client_for(None, make_user(None, role))
    assert client.get("/plugins/failures/").status_code == 403
    assert client.get(f"/plugins/failures/{row.pk}/").status_code == 403
    assert client.get("/api/v1/plugin-failures/").status_code == 403
    anonymous = client_for(None)
    assert anonymous.get("/plugins/failures/").status_code == 302
    assert anonymous.get("/api/v1/plugin-failures/").status_code in (401, 403)


def test_nobody_reads_the_log_from_a_regions_site(failed_run, region_a):
    hr = make_user(region_a, Role.HR_ADMIN, username="hr-reads-log")
    client = client_for(region_a, hr)
    assert client.get("/api/v1/plugin-failures/").status_code == 404
    # even a region account carrying a platform role gets nothing from the selector on a region's schema
    impostor = make_user(region_a, Role.OPERATOR, username="region-operator")
    with in_region(region_a):
        assert not failure_selectors.can_read_failures(impostor)
        assert not failure_selectors.visible_failures(impostor).exists()


def test_the_catalogue_counts_failures_for_their_readers_only(failed_run, both_vendors_failed):
    def counts(client) -> dict:
        plugins = client.get("/plugins/catalogue.json").json()["plugins"]
        return {p["name"]: p["failures"]["count"] for p in plugins if "failures" in p}

    operator = client_for(None, make_user(None, Role.OPERATOR, username="operator-catalogue"))
    assert counts(operator)["test-broken-pay"] == 8 and counts(operator)["test-other-vendor"] == 1
    assert 'data-testid="failure-log-link"' in operator.get("/plugins/").content.decode()
    tests_vendor = counts(client_for(None, vendor("Tests", "vendor-catalogue")))
    assert tests_vendor["test-broken-pay"] == 8 and tests_vendor["test-other-vendor"] == 0
    assert counts(client_for(None)) == {}
    assert 'data-testid="failure-log-link"' not in client_for(None).get("/plugins/").content.decode()


def test_the_admin_shows_the_log_on_the_platform_site_only(failed_run, region_a):
    admin = make_user(None, Role.OPERATOR, username="operator-admin", is_staff=True, is_superuser=True)
    url = "/admin/plugin_failures/pluginfailurerecord/"
    response = client_for(None, admin).get(url)
    assert response.status_code == 200 and "test-broken-pay" in response.content.decode()
    region_admin = make_user(region_a, Role.HR_ADMIN, username="hr-staff", is_staff=True, is_superuser=True)
    assert client_for(region_a, region_admin).get(url).status_code == 403
    index = client_for(region_a, region_admin).get("/admin/").content.decode()
    assert "pluginfailurerecord" not in index


def test_messages_are_translated():
    from kinerja.plugins.failures.messages import catalog_failed, pay_not_computed, stages_failed

    with translation.override("id"):
        assert pay_not_computed("x") == "Tidak dihitung: plugin x gagal; operator dan vendor telah diberi tahu."
        assert "gagal menyediakan katalog pelatihan" in catalog_failed("x")
        assert "gagal menyediakan tahapan seleksi" in stages_failed("x")
