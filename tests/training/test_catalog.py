"""Catalog sync from the region's enabled plugins: versions recorded, changed entries' history kept,
withdrawn entries kept for history, a broken plugin contained, and the region's own courses."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.plugins.failures.models import PluginFailureRecord
from kinerja.plugins.services import set_plugin_enabled
from kinerja_plugin_api.types import TrainingCourse
from kinerja.training import selectors, services
from kinerja.training.models import CatalogSync, Course
from tests.plugins.conftest import first_party_module
from tests.training.factories import catalog_plugin, region_course

pytestmark = pytest.mark.django_db

LATSAR = TrainingCourse("T-LATSAR", "Latsar CPNS", "blended", 241, 6_500_000, "BPSDM", ("Nilai dasar ASN",))
ETIKA = TrainingCourse("T-ETIKA", "Etika Pelayanan", "klasikal", 24, 1_500_000, "LAN", ("Etika pelayanan",))
ARSIP = TrainingCourse("T-ARSIP", "Kearsipan Elektronik", "e-learning", 16, 0, "ANRI", ("Kearsipan",))


def enable(host, org, module):
    host.register(module)
    set_plugin_enabled(module.PLUGIN_META["name"], True, actor=org.hr, host=host)


def test_sync_creates_entries_with_the_plugin_version(org, host):
    enable(host, org, catalog_plugin("catalog-test", "1.0.0", [LATSAR, ETIKA]))
    [sync] = services.sync_catalog(actor=org.hr, host=host)
    assert (sync.plugin_name, sync.plugin_version, sync.status) == ("catalog-test", "1.0.0", "ok")
    assert (sync.created, sync.changed, sync.unchanged, sync.withdrawn) == (2, 0, 0, 0)
    latsar = Course.objects.get(code="T-LATSAR")
    assert (latsar.jp_hours, latsar.cost, latsar.plugin_name, latsar.revision) == (241, 6_500_000, "catalog-test", 1)
    assert latsar.competencies == ["Nilai dasar ASN"]
    assert latsar.record_kind == "kursus"
    assert [r.plugin_version for r in latsar.revisions.all()] == ["1.0.0"]


def test_new_plugin_version_keeps_history_of_changed_entries(org, host):
    enable(host, org, catalog_plugin("catalog-test", "1.0.0", [LATSAR, ETIKA, ARSIP]))
    services.sync_catalog(actor=org.hr, host=host)
    # version 1.1.0: Etika grows to 32 JP, Arsip is dropped, a new course appears, Latsar unchanged
    host.unregister("catalog-test")
    etika2 = TrainingCourse("T-ETIKA", "Etika Pelayanan", "klasikal", 32, 1_750_000, "LAN", ("Etika pelayanan",))
    new = TrainingCourse("T-DATA", "Analisis Data", "workshop", 20, 900_000, "BPS", ("Data",))
    host.register(catalog_plugin("catalog-test", "1.1.0", [LATSAR, etika2, new]))
    [sync] = services.sync_catalog(actor=org.hr, host=host)
    assert (sync.plugin_version, sync.created, sync.changed, sync.unchanged, sync.withdrawn) == ("1.1.0", 1, 1, 1, 1)

    etika = Course.objects.get(code="T-ETIKA")
    assert (etika.jp_hours, etika.cost, etika.revision, etika.plugin_version) == (32, 1_750_000, 2, "1.1.0")
    history = [(r.number, r.plugin_version, r.data["jp_hours"], r.data["cost"]) for r in selectors.course_revisions(etika)]
    assert history == [(2, "1.1.0", 32, 1_750_000), (1, "1.0.0", 24, 1_500_000)]
    latsar = Course.objects.get(code="T-LATSAR")
    assert (latsar.revision, latsar.plugin_version) == (1, "1.0.0")  # unchanged content keeps its revision
    assert Course.objects.get(code="T-ARSIP").active is False
    assert set(selectors.catalog(host).values_list("code", flat=True)) == {"T-LATSAR", "T-ETIKA", "T-DATA"}
    assert list(CatalogSync.objects.filter(plugin_name="catalog-test").values_list("plugin_version", flat=True)) \
        == ["1.1.0", "1.0.0"]

    # the dropped course comes back in 1.2.0: reactivated as a new revision
    host.unregister("catalog-test")
    host.register(catalog_plugin("catalog-test", "1.2.0", [LATSAR, etika2, new, ARSIP]))
    [sync] = services.sync_catalog(actor=org.hr, host=host)
    assert (sync.created, sync.changed, sync.unchanged) == (0, 1, 3)
    arsip = Course.objects.get(code="T-ARSIP")
    assert (arsip.active, arsip.revision, arsip.plugin_version) == (True, 2, "1.2.0")


def test_only_enabled_plugins_are_synced_and_shown(org, host):
    host.register(catalog_plugin("catalog-off", "1.0.0", [ARSIP]))
    enable(host, org, catalog_plugin("catalog-on", "2.0.0", [ETIKA]))
    syncs = services.sync_catalog(actor=org.hr, host=host)
    assert [s.plugin_name for s in syncs] == ["catalog-on"]
    assert list(selectors.catalog(host).values_list("code", flat=True)) == ["T-ETIKA"]
    set_plugin_enabled("catalog-on", False, actor=org.hr, host=host)
    assert list(selectors.catalog(host)) == []  # kept in the database, no longer offered


def test_first_party_catalogs_sync_for_their_region(org, host):
    host.register(first_party_module("kinerja_training_national"))
    host.register(first_party_module("kinerja_training_bukittinggi"))
    host.register(first_party_module("kinerja_training_batanghari"))
    set_plugin_enabled("kinerja-training-national", True, actor=org.hr, host=host)
    set_plugin_enabled("kinerja-training-bukittinggi", True, actor=org.hr, host=host)
    syncs = services.sync_catalog(actor=org.hr, host=host)
    assert {(s.plugin_name, s.created) for s in syncs} == {("kinerja-training-national", 9),
                                                            ("kinerja-training-bukittinggi", 4)}
    codes = set(selectors.catalog(host).values_list("code", flat=True))
    assert "BKT-GURU-01" in codes and "LATSAR-CPNS-III" in codes and "BTH-TI-01" not in codes
    assert Course.objects.get(code="PKA").record_kind == "diklat"
    assert Course.objects.get(code="TEK-SKP").record_kind == "kursus"


def test_broken_plugin_is_contained_and_bad_entries_skipped(org, host):
    broken = catalog_plugin("catalog-broken", "0.1.0", [])

    def explode():
        raise RuntimeError("catalog server unreachable")

    from kinerja_plugin_api.hookspecs import hookimpl

    broken.kinerja_training_catalog = hookimpl(explode)
    explode.__name__ = "kinerja_training_catalog"
    enable(host, org, broken)
    bad = TrainingCourse("T-BAD", "Bad", "lecture", 0, -5, "X", ())
    enable(host, org, catalog_plugin("catalog-good", "1.0.0", [ETIKA, bad]))
    region_course(org.hr, code="T-OWN")
    clash = TrainingCourse("T-OWN", "Clash", "klasikal", 8, 0, "X", ())
    host.unregister("catalog-good")
    host.register(catalog_plugin("catalog-good", "1.0.0", [ETIKA, bad, clash]))

    syncs = {s.plugin_name: s for s in services.sync_catalog(actor=org.hr, host=host)}
    assert syncs["catalog-broken"].status == "failed"
    assert syncs["catalog-broken"].error == ("Plugin catalog-broken could not supply its training catalogue; the "
                                             "operator and the vendor have been notified.")
    logged = PluginFailureRecord.objects.get(plugin_name="catalog-broken")
    assert (logged.hook, logged.error_type, logged.message) == ("kinerja_training_catalog", "RuntimeError",
                                                                "catalog server unreachable")
    good = syncs["catalog-good"]
    assert good.status == "ok" and good.created == 1
    reasons = {row["code"]: row["reason"] for row in good.skipped}
    assert set(reasons) == {"T-BAD", "T-OWN"}
    assert "method" in reasons["T-BAD"] and "jp_hours" in reasons["T-BAD"] and "cost" in reasons["T-BAD"]
    assert "region's own catalog" in reasons["T-OWN"]
    assert Course.objects.get(code="T-OWN").title == "Layanan Prima"


def test_region_course_revisions_and_rules(org, host):
    course = region_course(org.hr, code="REG-9", jp=8)
    services.update_course(actor=org.hr, course=course, jp_hours="12", competencies="Pelayanan, Komunikasi")
    course.refresh_from_db()
    assert (course.jp_hours, course.revision, course.competencies) == (12, 2, ["Pelayanan", "Komunikasi"])
    assert [r.data["jp_hours"] for r in selectors.course_revisions(course)] == [12, 8]
    with pytest.raises(ValidationError) as error:
        services.create_course(actor=org.hr, code="REG-9", title="", method="x", jp_hours="a", cost=-1)
    assert set(error.value.message_dict) == {"code", "title", "method", "jp_hours", "cost"}
    with pytest.raises(PermissionDenied):
        services.create_course(actor=org.staff.user, code="REG-10", title="T", method="klasikal", jp_hours=2, cost=0)


def test_search_and_filters(org, host):
    region_course(org.hr, code="A-1", title="Layanan Prima", jp=8, method="klasikal", competencies=["Pelayanan"])
    region_course(org.hr, code="A-2", title="Analisis Data", jp=24, method="workshop", competencies=["Data"])
    region_course(org.hr, code="A-3", title="Data Pelayanan", jp=40, method="e-learning",
                  competencies=["Data", "Pelayanan"])
    courses = selectors.catalog(host)

    def codes(**filters):
        return sorted(selectors.filter_catalog(courses, **filters).values_list("code", flat=True))

    assert codes(search="data") == ["A-2", "A-3"]
    assert codes(competency="Pelayanan") == ["A-1", "A-3"]
    assert codes(method="workshop") == ["A-2"]
    assert codes(jp_min=20, jp_max=30) == ["A-2"]
    assert codes(source="region") == ["A-1", "A-2", "A-3"]
    assert selectors.competency_choices(courses) == ["Data", "Pelayanan"]


def test_sync_from_the_catalog_page_and_the_command(org, host, region_b):
    import io

    from django.core.management import call_command

    from tests.helpers import in_region
    from tests.helpers import english_client

    enable(host, org, catalog_plugin("catalog-test", "3.1.0", [ETIKA]))
    page = english_client(org.region, org.hr).post("/training/", {"op": "sync"}, follow=True)
    assert "Catalog synced." in page.content.decode()
    assert Course.objects.get(code="T-ETIKA").plugin_version == "3.1.0"
    out = io.StringIO()
    call_command("sync_training_catalogs", region=[org.region.schema_name, region_b.schema_name], stdout=out)
    lines = out.getvalue().splitlines()
    assert f"{org.region.schema_name}: catalog-test 3.1.0: 0 new, 0 changed, 1 unchanged, 0 withdrawn, 0 skipped" in lines
    assert f"{region_b.schema_name}: no catalog plugin enabled" in lines
    with in_region(region_b):
        assert not Course.objects.exists()  # region B enabled nothing: nothing crosses over
