"""What a snapshot holds: aggregates only, small counts hidden, modules without tables "not available"."""
import json

import pytest
from django.core import serializers

from kinerja.reports import services
from kinerja.reports.collectors import COLLECTORS, Collector
from kinerja.reports.models import RegionSnapshot, SnapshotFigure

pytestmark = pytest.mark.django_db


def figures_of(snapshot) -> dict[tuple[str, str, str], SnapshotFigure]:
    return {(f.section, f.breakdown, f.key): f for f in snapshot.figures.all()}


def stored_text(region) -> str:
    """Everything the reports app stored about a region, as the JSON a dump would hold."""
    snapshots = RegionSnapshot.objects.filter(region=region)
    rows = list(snapshots) + list(SnapshotFigure.objects.filter(snapshot__in=snapshots))
    rows += list(region.report_refreshes.all())
    return serializers.serialize("json", rows)


def test_no_nip_or_name_reaches_the_public_schema(region_a, population):
    services.take_snapshot(region_a)
    text = stored_text(region_a)
    assert "headcount" in text and "predicates" in text
    for nip in population.nips:
        assert nip not in text
    for name in population.names:
        assert name not in text
        assert name.split()[-1] not in text, "not even a surname"


def test_every_figure_is_an_aggregate_from_known_vocabularies(region_a, population):
    from kinerja.appraisal.models import Predicate
    from kinerja.people.models import EmployeeType, PositionKind, UnitType
    from kinerja.people.models import PNS_RANKS, PPPK_GRADES

    snapshot = services.take_snapshot(region_a)
    golongan = {f"PNS {r}" for r in PNS_RANKS} | {f"PPPK {g}" for g in PPPK_GRADES}
    allowed_keys = {
        ("headcount", "employee_type"): set(EmployeeType.values), ("headcount", "position_kind"): set(PositionKind.values),
        ("headcount", "unit_type"): set(UnitType.values), ("headcount", "golongan"): golongan,
        ("headcount", "position_class"): {f"{c:02d}" for c in range(1, 18)}, ("headcount", "total"): {"employees"},
    }
    figures = list(snapshot.figures.all())
    assert figures
    for figure in figures:
        assert figure.kind in {"count", "amount", "measure", "tally"}
        if figure.section == "headcount":
            assert figure.key in allowed_keys[(figure.section, figure.breakdown)], figure
        elif figure.section == "predicates":
            assert figure.key in set(Predicate.values) | {"rated"}
            assert figure.breakdown in {"2025", "2025-Q1"}
    # Details hold unit-level results, never a person.
    assert set(json.dumps(snapshot.details)) and all(
        set(unit) == {"year", "unit", "unit_type", "rating", "rated", "ok", "suppressed"}
        for unit in snapshot.details["curve_units"])


def test_counts_under_five_are_hidden_with_secondary_suppression(region_a, population):
    figures = figures_of(services.take_snapshot(region_a))
    # 29 PNS and 3 PPPK: PPPK hidden, so PNS is hidden too (otherwise total - PNS = 3).
    assert figures[("headcount", "total", "employees")].value == 32
    assert figures[("headcount", "employee_type", "PPPK")].suppressed
    assert figures[("headcount", "employee_type", "PNS")].suppressed
    assert figures[("headcount", "employee_type", "PNS")].value is None
    # Golongan add up to their employee type's count: PNS IV/a (1) is hidden with the smallest shown PNS
    # golongan (II/c); the PNS count is hidden, so PNS golongan cannot be added up to recover it.
    assert figures[("headcount", "golongan", "PNS IV/a")].suppressed
    assert figures[("headcount", "golongan", "PPPK IX")].suppressed
    assert figures[("headcount", "golongan", "PNS II/c")].suppressed
    assert figures[("headcount", "golongan", "PNS III/a")].value == 12
    assert figures[("headcount", "golongan", "PNS III/b")].value == 8
    hidden_pns = [f for (s, b, k), f in figures.items() if b == "golongan" and k.startswith("PNS") and f.suppressed]
    assert len(hidden_pns) >= 2
    # Annual predicates 10/12/7/3/0: Kurang (3) hidden, Butuh Perbaikan (7) hidden with it; zero is shown.
    assert figures[("predicates", "2025", "sangat_baik")].value == 10
    assert figures[("predicates", "2025", "baik")].value == 12
    assert figures[("predicates", "2025", "kurang")].suppressed
    assert figures[("predicates", "2025", "butuh_perbaikan")].suppressed
    assert figures[("predicates", "2025", "sangat_kurang")].value == 0
    # In Q1 all 32 rated got Baik: showing "Baik 32" would tell each one's predicate, so the whole
    # breakdown is hidden (zeros too) and only the number rated stays.
    assert figures[("predicates", "2025-Q1", "rated")].value == 32
    assert all(figures[("predicates", "2025-Q1", p)].suppressed
               for p in ("sangat_baik", "baik", "butuh_perbaikan", "kurang", "sangat_kurang"))
    # A share built on a hidden count is hidden; one built on shown counts is not.
    assert figures[("indicator", "", "pppk_share")].suppressed
    assert figures[("indicator", "", "below_baik_share")].suppressed
    assert figures[("indicator", "", "sangat_baik_share")].value == pytest.approx(31.25)


def test_unit_curve_results_hide_units_with_fewer_than_five_rated(region_a, population):
    snapshot = services.take_snapshot(region_a)
    units = {u["unit"]: u for u in snapshot.details["curve_units"]}
    assert units["Dinas Kesehatan"] == {"year": 2025, "unit": "Dinas Kesehatan", "unit_type": "dinas",
                                        "rating": "baik", "rated": 29, "ok": True, "suppressed": False}
    assert units["Sekretariat Daerah"]["suppressed"] and units["Sekretariat Daerah"]["ok"] is None
    assert units["Sekretariat Daerah"]["rated"] is None
    figures = figures_of(snapshot)
    assert figures[("curve", "2025", "units_rated")].value == 2
    assert figures[("curve", "2025", "units_checked")].value == 1
    assert figures[("curve", "2025", "units_ok")].value == 1


def test_medians_over_fewer_than_five_people_are_hidden():
    from kinerja.reports.privacy import amount, count, measure, suppress

    figures = suppress([
        count("tpp", "employees", "07", 12), count("tpp", "employees", "09", 3), count("tpp", "employees", "14", 6),
        measure("tpp", "median", "07", 4_500_000, base=12, depends_on=("tpp", "employees", "07")),
        measure("tpp", "median", "09", 6_000_000, base=3, depends_on=("tpp", "employees", "09")),
        amount("tpp", "total", "14", 60_000_000, base=6, depends_on=("tpp", "employees", "14")),
    ])
    shown = {f.cell: f.value for f in figures}
    assert shown[("tpp", "median", "07")] == 4_500_000
    assert shown[("tpp", "median", "09")] is None
    # Class 14 is the smallest shown class, hidden so that class 9 cannot be worked out; its sum follows it.
    assert shown[("tpp", "employees", "14")] is None and shown[("tpp", "total", "14")] is None


def test_retired_staff_are_not_counted(region_a, population):
    figures = figures_of(services.take_snapshot(region_a))
    assert figures[("headcount", "golongan", "PNS III/a")].value == 12
    assert ("headcount", "golongan", "PNS IV/b") not in figures


def test_a_module_without_tables_is_reported_not_available(region_a, population):
    def never_called(context):
        raise AssertionError("a collector without its tables must not run")

    future = Collector(section="future_module", tables=("future_module_record",), collect=never_called)
    snapshot = services.take_snapshot(region_a, collectors=[*COLLECTORS, future])
    assert snapshot.sections["future_module"] == {"available": False}
    assert snapshot.sections["people"] == {"available": True}
    assert figures_of(snapshot)[("headcount", "total", "employees")].value == 32


def test_a_new_snapshot_becomes_current_and_this_months_earlier_one_goes(region_a, population):
    first = services.take_snapshot(region_a)
    second = services.take_snapshot(region_a)
    assert RegionSnapshot.objects.filter(region=region_a, is_current=True).get() == second
    assert not RegionSnapshot.objects.filter(pk=first.pk).exists()


def test_collect_returns_nothing_personal_even_before_suppression(region_a, population):
    """Collectors hand back numbers keyed by categories; the raw values never carry a NIP or a name."""
    sections, details, figures = services.collect_region(region_a)
    text = json.dumps([[f.section, f.breakdown, f.key, str(f.value)] for f in figures] + [details], default=str)
    for nip in population.nips:
        assert nip not in text
    for name in population.names:
        assert name not in text


def test_curve_check_on_rules_read_once_agrees_with_the_appraisal_module(region_a):
    """The collector evaluates the curve itself (one query per region); it must agree with the appraisal
    module's own check for every organisation rating and many distributions."""
    import random

    from django.db import connection

    from kinerja.appraisal.models import OrganisationRating, Predicate
    from kinerja.appraisal.selectors import check_curve
    from kinerja.reports.collectors.appraisal import curve_rules, keeps_curve
    from kinerja.reports.collectors.base import CollectContext
    from tests.helpers import in_region

    rng = random.Random(11)
    with in_region(region_a), connection.cursor() as cursor:
        rules = curve_rules(CollectContext("bukittinggi", frozenset(), None, cursor))
        assert set(rules) == set(OrganisationRating.values)
        for _ in range(300):
            rating = rng.choice(OrganisationRating.values)
            counts = {p: rng.choice([0, 0, 1, 2, 5, 9, 30]) for p in Predicate.values}
            if not sum(counts.values()):
                continue
            assert keeps_curve(rules[rating], counts) == check_curve(rating, counts).ok, (rating, counts)
