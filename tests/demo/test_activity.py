"""What the demo shows beyond its people: each module filled through its own services, visible on the
pages a newcomer opens first. One small region is seeded per test."""
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from kinerja.appraisal.models import PlanStatus, Rating, SkpPlan
from kinerja.pay.models import AttendanceRecord, PayResult, PayRun, PayRunStatus
from kinerja.region.models import WorkingDay
from kinerja.people.models import Employee
from kinerja.plugins.models import PluginActivation
from kinerja.recruitment.models import Opening
from kinerja.reports.models import RegionSnapshot
from kinerja.training.models import Course, Enrolment, EnrolmentStatus, TrainingSession
from tenants.models import Region
from tests.helpers import client_for, in_region

pytestmark = pytest.mark.django_db


def seed(slug: str) -> tuple[Region, str]:
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", "--employees", "40", "--region", slug, stdout=out)
    connection.set_schema_to_public()
    return Region.objects.get(schema_name=slug), out.getvalue()


def user(region, username):
    from django.contrib.auth import get_user_model

    with in_region(region):
        return get_user_model().objects.get(username=username)


def test_plugins_enabled_the_catalog_synced_and_a_quarter_rated():
    region, output = seed("tebingtinggi")
    with in_region(region):
        enabled = set(PluginActivation.objects.filter(enabled=True).values_list("plugin_name", flat=True))
        assert enabled == {"kinerja-tpp-tebingtinggi", "kinerja-recruitment-national",
                           "kinerja-recruitment-tebingtinggi", "kinerja-training-national"}
        for activation in PluginActivation.objects.all():
            assert activation.plugin_name.startswith("kinerja-")
        assert Course.objects.filter(plugin_name="kinerja-training-national", active=True).exists()
        ratings = Rating.objects.filter(plan__employee__user__username="pegawai").select_related("period")
        assert ratings[0].plan.appraisal_year.cadence == "quarterly"
        assert sorted(r.period.number if r.period else 0 for r in ratings) == [0, 1, 2, 3], "Q1-Q3 and the year"
    summary = [line for line in output.splitlines() if line.startswith("  ")]
    assert len(summary) == 1 and "4 plugins" in summary[0] and "locked for 40 employees" in summary[0]


def test_approved_skp_chain_and_a_delivered_rating_pegawai_can_read():
    region, _output = seed("kotalama")
    with in_region(region):
        pegawai = Employee.objects.get(user__username="pegawai")
        atasan = Employee.objects.get(user__username="atasan")
        plans = SkpPlan.objects.select_related("appraisal_year")
        assert {plan.appraisal_year.cadence for plan in plans} == {"monthly"}
        assert {plan.status for plan in plans} == {PlanStatus.APPROVED}
        assert plans.filter(employee=atasan).exists() and plans.filter(appraiser=atasan).count() >= 2
        own = plans.get(employee=pegawai)
        # the employee's RHK supports the supervisor's: the SKP cascades
        assert own.rhks.get().parent.plan.employee == atasan
        rating = Rating.objects.get(plan=own, period__number=10)
        assert rating.delivered_at is not None and rating.reason
    with translation.override("en"):
        page = client_for(region, user(region, "pegawai")).get(f"/appraisal/skp/{own.pk}/")
    assert page.status_code == 200
    assert rating.reason in page.content.decode()


def test_a_locked_october_run_pays_every_employee_and_pegawai_reads_the_explanation():
    region, _output = seed("kotalama")
    with in_region(region):
        run = PayRun.objects.get()
        assert run.month.isoformat() == "2026-10-01" and run.status == PayRunStatus.LOCKED
        assert run.started_by.username == "hr" and run.approved_by.username == "hr2"
        payable = set(Employee.objects.filter(status__in=("active", "on_leave")).values_list("pk", flat=True))
        assert set(run.results.values_list("employee_id", flat=True)) == payable
        assert not run.results.filter(ok=False).exists() and run.total_net > 0
        days = AttendanceRecord.objects.filter(date__month=10)
        assert days.values("employee").distinct().count() == Employee.objects.count()
        starts = dict(WorkingDay.objects.values_list("weekday", "starts_at"))
        late = sum(1 for r in days.filter(status="present") if r.check_in > starts[r.date.weekday()])
        assert 0 < late < days.count() * 0.2, "some, not most, arrive late"
        result = PayResult.objects.get(run=run, employee__user__username="pegawai")
    with translation.override("en"):
        page = client_for(region, user(region, "pegawai")).get(f"/pay/results/{result.pk}/")
    assert page.status_code == 200


def test_training_sessions_with_jp_and_a_published_opening_on_the_portal():
    region, _output = seed("kotalama")
    with in_region(region):
        sessions = TrainingSession.objects.order_by("starts_on")
        assert sessions.count() == 2
        held, upcoming = sessions
        completed = Enrolment.objects.filter(session=held, status=EnrolmentStatus.COMPLETED)
        assert completed.count() >= 2 and all(e.jp_hours == held.jp_hours > 0 for e in completed)
        assert completed.filter(employee__user__username="pegawai").exists()
        assert Enrolment.objects.filter(session=upcoming, status=EnrolmentStatus.PENDING,
                                        employee__user__username="pegawai").exists()
        opening = Opening.objects.get()
        assert opening.status == "open"
    with translation.override("en"):
        hours = client_for(region, user(region, "hr")).get("/training/hours/")
        portal = client_for(region).get("/jobs/")
    assert hours.status_code == 200
    assert portal.status_code == 200 and opening.title in portal.content.decode()


def test_bkn_snapshots_for_the_created_regions_only(region_a):
    region, _output = seed("kotalama")
    assert RegionSnapshot.objects.filter(region=region, is_current=True).exists()
    assert not RegionSnapshot.objects.filter(region=region_a).exists(), "an existing region is left untouched"
    from tests.helpers import make_user

    bkn = make_user(None, "bkn_analyst", username="bkn-reader")
    with translation.override("en"):
        page = client_for(None, bkn).get("/bkn/")
    assert page.status_code == 200 and "Kotalama" in page.content.decode()


def test_a_week_of_daily_logs_and_leave_made_through_the_services():
    from kinerja.appraisal.models import DailyLog
    from kinerja.people.models import LeaveRequest

    region, output = seed("tebingtinggi")
    with in_region(region):
        logs = DailyLog.objects.filter(plan__employee__user__username="pegawai")
        assert logs.count() == 5 and logs.filter(status="verified").count() == 4
        assert {log.verified_by.username for log in logs.filter(status="verified")} == {"atasan"}
        leave = LeaveRequest.objects.filter(employee__user__username="pegawai").order_by("starts_on")
        assert [(r.status, r.working_days) for r in leave] == [("approved", 3), ("requested", 3)]
    assert "5 daily log entries, " in output and " leave requests" in output
    with translation.override("en"):
        page = client_for(region, user(region, "atasan")).get("/appraisal/daily/verify/").content.decode()
    assert "Menyiapkan bahan rapat evaluasi program" in page
