"""Each demo region read through the selectors, as its pages read it: what makes it different from the
others, and in every one a full year where nobody is paid without a delivered rating. One small region is
seeded per test (the seed is the expensive part, so each test checks all of its region)."""
import datetime
from collections import Counter
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import translation

from kinerja.accounts.models import Role
from kinerja.appraisal import selectors as appraisal_selectors
from kinerja.appraisal.models import (
    DailyLog,
    Feedback,
    Objection,
    PeerInput,
    PlanStatus,
    Rating,
    Realisation,
    SelfReport,
    SkpPlan,
)
from kinerja.demo.builder import seed_demo
from kinerja.demo.regions import BATANGHARI, BUKITTINGGI, DEMO_REGIONS
from kinerja.pay import selectors as pay_selectors
from kinerja.pay.models import PayRunStatus
from kinerja.people.models import Employee
from tenants.models import Region
from tests.helpers import client_for, in_region, make_user

pytestmark = pytest.mark.django_db


# The test session holds regions named "bukittinggi" and "batanghari" already (without demo data), so
# those two articles are told by regions of another subdomain and code.
STAND_INS = {"bukittinggi": replace(BUKITTINGGI, slug="bukittinggidemo", name="Kota Bukittinggi Demo",
                                    region_code="13.98", article="bukittinggi"),
             "batanghari": replace(BATANGHARI, slug="batangharidemo", name="Kabupaten Batanghari Demo",
                                   region_code="15.98", article="batanghari")}


def seed(slug: str) -> Region:
    spec = STAND_INS.get(slug) or next(spec for spec in DEMO_REGIONS if spec.slug == slug)
    with translation.override("en"):
        seed_demo(employees=40, regions=(spec,))
    connection.set_schema_to_public()
    return Region.objects.get(schema_name=spec.slug)


def october_results():
    run = next(r for r in pay_selectors.latest_runs() if r.month.month == 10)
    assert run.status == PayRunStatus.LOCKED
    return list(pay_selectors.results_with_lines(run))


def lines_coded(results, code: str) -> list:
    return [line for result in results for line in result.lines.all() if line.code == code]


def assert_a_full_year_pays_everyone_on_a_rating(results) -> None:
    """Every payable employee has an approved SKP, periodic ratings delivered, an annual result, and the
    pay of October read a delivered rating for each of them."""
    payable = set(Employee.objects.filter(status__in=("active", "on_leave")).values_list("pk", flat=True))
    assert {r.employee_id for r in results} == payable
    unrated = [r.full_name for r in results if not r.inputs.get("appraisal")]
    assert unrated == [], "paid without a rating"
    plans = SkpPlan.objects.filter(appraisal_year__year=2026)
    assert set(plans.values_list("employee_id", flat=True)) == payable
    assert set(plans.values_list("status", flat=True)) == {PlanStatus.APPROVED}
    assert not Rating.objects.filter(delivered_at__isnull=True).exists()
    assert Rating.objects.filter(period__isnull=True).count() == len(payable)
    # spread the way regions report it: mostly Baik, some Sangat Baik, a few below
    annual = Counter(Rating.objects.filter(period__isnull=True).values_list("predicate", flat=True))
    assert annual["baik"] > len(payable) / 2 and annual["sangat_baik"] >= 1
    assert annual["butuh_perbaikan"] + annual["kurang"] + annual["sangat_kurang"] >= 1
    paid_predicates = Counter(r.inputs["appraisal"]["predikat"] for r in results)
    assert len(paid_predicates) >= 3, "pay follows different ratings"
    decided = Objection.objects.exclude(status="filed")
    assert decided.filter(status="upheld").exists() and decided.filter(status="rejected").exists()
    # one generous agency was calibrated back into its curve, the other still breaks it for the
    # calibration page to show
    from kinerja.audit.models import AuditEntry
    from kinerja.demo.year import GENEROUS_AGENCIES
    from kinerja.people.models import Unit

    year = SkpPlan.objects.values_list("appraisal_year_id", flat=True).first()
    fixed, left = (Unit.objects.get(code=code, parent__isnull=True) for code in GENEROUS_AGENCIES)
    calibrated = AuditEntry.objects.filter(action="appraisal.rating.calibrate")
    assert calibrated.exists()
    assert set(Rating.objects.filter(pk__in=[int(e.target_id) for e in calibrated])
               .values_list("plan__unit__path", flat=True)) <= set(Unit.objects.filter(
                   path__startswith=fixed.path).values_list("path", flat=True))
    assert appraisal_selectors.unit_curve_check(appraisal_selectors.unit_rating_of(fixed.pk, year)).ok
    assert not appraisal_selectors.unit_curve_check(appraisal_selectors.unit_rating_of(left.pk, year)).ok


def test_bukittinggi_pays_the_bonus_to_sangat_baik_and_a_clarification_raised_a_rating():
    region = seed("bukittinggi")
    with in_region(region):
        results = october_results()
        assert_a_full_year_pays_everyone_on_a_rating(results)
        bonus = lines_coded(results, "BONUS_SANGAT_BAIK")
        assert bonus and all(line.amount > 0 for line in bonus)
        upheld = Objection.objects.select_related("rating__plan__employee").get(status="upheld")
        assert upheld.previous_predicate == "baik" and upheld.rating.predicate == "sangat_baik"
        theirs = next(r for r in results if r.employee_id == upheld.rating.plan.employee_id)
        assert any(line.code == "BONUS_SANGAT_BAIK" for line in theirs.lines.all())
        # daily logs with the supervisor's feedback in health and education
        units = set(DailyLog.objects.values_list("plan__unit__code", flat=True))
        assert any(code.startswith("DINKES") for code in units) and any(code.startswith("DISDIK") for code in units)
        assert DailyLog.objects.filter(status="returned").exclude(verifier_comment="").exists()
        assert Feedback.objects.exists()
        # teachers' training counted in their SKP: each quarter's training-hours realisation is the JP
        # they completed in it, and who missed the August workshop has less
        from kinerja.training.models import Enrolment

        counted = Realisation.objects.filter(iki__measured_by="training_jp").select_related("period", "iki__rhk__plan")
        assert {r.period.number for r in counted} == {2, 3}
        for realisation in counted:
            completed = Enrolment.objects.filter(
                employee_id=realisation.iki.rhk.plan.employee_id, status="completed",
                completed_on__range=(realisation.period.starts_on, realisation.period.ends_on))
            assert realisation.value == sum(e.jp_hours for e in completed) > 0
        assert Enrolment.objects.filter(session__course__code="BKT-GURU-02", status="no_show").exists()


def test_kotalama_pays_the_service_target_bonus_and_publishes_pay_with_its_criteria():
    region = seed("kotalama")
    with in_region(region):
        results = october_results()
        assert_a_full_year_pays_everyone_on_a_rating(results)
        assert lines_coded(results, "BONUS_LAYANAN")
        missed = [r for r in results if r.inputs["service_targets"]["targets"]
                  and r.inputs["service_targets"]["met_on_time"] < r.inputs["service_targets"]["targets"]]
        assert missed and not any(line.code == "BONUS_LAYANAN" for r in missed for line in r.lines.all())
        assert PeerInput.objects.filter(period__number=10).exists()
        table = pay_selectors.transparency_table()
        assert table and table["settings"].criteria_formula and table["run"].month.month == 10
        assert table["named"] and set(table["named"][0]) == {"name", "position_class", "amount"}
    page = client_for(region).get("/pay/transparency/").content.decode()
    assert 'data-testid="named-pay"' in page and "Nomor 17 Tahun 2026" in page
    with in_region(region):
        hr = get_user_model().objects.get(username="hr")
    with translation.override("en"):
        dashboard = client_for(region, hr).get("/dashboard/").content.decode()
    assert 'data-testid="demo-tour"' in dashboard and "/pay/service-targets/" in dashboard


def test_a_region_not_made_by_the_demo_shows_no_tour(region_a):
    hr = make_user(region_a, Role.HR_ADMIN, username="tour-hr")
    dashboard = client_for(region_a, hr).get("/dashboard/").content.decode()
    assert 'data-testid="demo-tour"' not in dashboard


def test_tebingtinggi_deducts_a_sanction_in_force_and_trains_its_hire():
    region = seed("tebingtinggi")
    with in_region(region):
        results = october_results()
        assert_a_full_year_pays_everyone_on_a_rating(results)
        sanctioned = lines_coded(results, "POT_HUKDIS")
        assert sanctioned and all(line.amount > 0 for line in sanctioned)
        records = appraisal_selectors.sanctions_in_force(list(Employee.objects.values_list("pk", flat=True)),
                                                         datetime.date(2026, 10, 1))
        assert sum(len(items) for items in records.values()) >= len(sanctioned)
        from kinerja.recruitment.models import Hire, OpeningStage, StagePublication
        from kinerja.training.models import Enrolment

        hire = Hire.objects.select_related("application__opening").get()
        opening = hire.application.opening
        stages = set(OpeningStage.objects.filter(opening=opening, included=True).values_list("name", flat=True))
        assert {"Tes Psikologi", "Wawancara Panel Jabatan Manajerial", "Sesi Klarifikasi Hasil"} <= stages
        published = set(StagePublication.objects.filter(stage__opening=opening).values_list("stage__name", flat=True))
        assert {"Pengumuman Akhir", "Sesi Klarifikasi Hasil"} <= published, "public results and clarification"
        completed = Enrolment.objects.filter(employee=hire.employee, status="completed")
        assert set(completed.values_list("session__course__code", flat=True)) == {"TEK-PELAYANAN", "TEK-ARSIP"}
        # the city's immunisation indicator, reported by health-centre staff month by month each quarter
        immunisation = Realisation.objects.filter(iki__template_code="kinerja-tpp-tebingtinggi:TBT-KES-1")
        plans = set(SkpPlan.objects.filter(unit__unit_type="puskesmas").values_list("pk", flat=True))
        assert plans and set(immunisation.values_list("iki__rhk__plan", flat=True)) == plans
        third = immunisation.filter(period__number=3).first()
        assert "Juli" in third.text and "September" in third.text and third.value > 0
        # attendance with its late arrivals and early departures across three months, as pay reads them
        from kinerja.pay.inputs import attendance_summaries
        from kinerja.region.facts import work_calendar

        staff = list(Employee.objects.values_list("pk", flat=True))
        for month in (8, 9, 10):
            summaries = attendance_summaries(staff, work_calendar(datetime.date(2026, month, 1)))
            assert sum(sum(s.late) for s in summaries.values()) > 0, f"late arrivals in month {month}"
            assert sum(sum(s.early_leave) for s in summaries.values()) > 0, f"early departures in month {month}"
    assert_each_role_tours_its_own_pages(region, "tebingtinggi")


def assert_each_role_tours_its_own_pages(region, story: str) -> None:
    """Every role's dashboard shows its steps of the region's tour, in Indonesian, and every step's link
    opens for that role."""
    from kinerja.demo.tour import TOURS

    for username in ("hr", "pimpinan", "auditor", "pegawai"):
        with in_region(region):
            user = get_user_model().objects.get(username=username)
        steps = next(steps for roles, steps in TOURS[story].items() if user.role in roles)
        client = client_for(region, user)
        with translation.override("id"):
            dashboard = client.get("/dashboard/", HTTP_ACCEPT_LANGUAGE="id").content.decode()
            assert 'data-testid="demo-tour"' in dashboard, username
            for step in steps:
                assert str(step.text) in dashboard, (username, step.link)
                assert client.get(step.link, follow=True).status_code == 200, (username, step.link)


def test_batanghari_pays_an_incentive_and_keeps_self_reports():
    region = seed("batanghari")
    with in_region(region):
        results = october_results()
        assert_a_full_year_pays_everyone_on_a_rating(results)
        assert [line for line in lines_coded(results, "INSENTIF") if line.amount > 0]
        assert SelfReport.objects.exclude(obstacles="").exists()
        coached = [r for r in results if any(s["severity"] == "ringan" for s in r.inputs["sanctions"])]
        assert coached and not lines_coded(coached, "POT_HUKDIS"), "a light sanction means coaching only"
        table = pay_selectors.transparency_table()
        assert table is None or table["named"] == [], "only a region whose regulation orders it names anyone"
        # the IT programme for administrative staff: attended, certified, JP earned; the absent one not
        from kinerja.training.models import Enrolment

        it = Enrolment.objects.filter(session__course__code__startswith="BTH-TI-").select_related("employee__position")
        certified = [e for e in it if e.certificate_number]
        assert certified and all(e.employee.position.kind == "pelaksana" for e in it)
        assert any(not e.certificate_number for e in it), "who missed the class gets no certificate"
        # targets on the time to finish citizens' requests, in the SKP of the service staff
        on_time = Realisation.objects.filter(iki__template_code="public-requests-on-time").select_related(
            "iki__rhk__plan")
        assert on_time and all(0 < r.value <= 100 and "permohonan" in r.text for r in on_time)
        plans = {r.iki.rhk.plan.employee_id for r in on_time}
        standings = dict(Rating.objects.filter(period__isnull=True, plan__employee_id__in=plans)
                         .values_list("plan__employee_id", "predicate"))
        mean = {p: [r.value for r in on_time if standings[r.iki.rhk.plan.employee_id] == p] for p in ("sangat_baik", "baik")}
        if mean["sangat_baik"] and mean["baik"]:
            assert sum(mean["sangat_baik"]) / len(mean["sangat_baik"]) > sum(mean["baik"]) / len(mean["baik"])

