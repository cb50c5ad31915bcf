"""Fleet-wide work: the tenancy layer sends one task per region in service, from inside the region's
schema (so tenant-schemas-celery runs it there), never into the public schema or an archived region;
and the named tasks the apps are sent exist."""
import datetime

import pytest
from django.db import connection
from django.utils import timezone
from kinerja.pay.models import PayRun, PayRunStatus

from kinerja import jobs
from tenants import fanout, tasks
from tenants.models import Region, RegionStatus
from tests.helpers import in_region


@pytest.fixture
def sent(monkeypatch):
    calls = []
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args, **kwargs: calls.append((name, connection.schema_name)))
    return calls


def stall_a_run(region):
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    with in_region(region):
        PayRun.objects.create(month=datetime.date(2030, 1, 1), status=PayRunStatus.COMPUTING, started_at=long_ago,
                              progress_at=long_ago, total_employees=10, processed=4)


def test_only_regions_with_a_stalled_pay_run_are_sent_the_resume_task(region_a, region_b, sent):
    assert tasks.resume_stalled_pay_runs_everywhere_task() == 0 and sent == []
    stall_a_run(region_b)
    assert tasks.resume_stalled_pay_runs_everywhere_task() == 1
    assert sent == [(fanout.RESUME_STALLED_PAY_RUNS, region_b.schema_name)]


def test_stalled_pay_runs_are_resumed_in_each_region_from_its_own_schema(region_a, region_b, sent):
    stall_a_run(region_a)
    stall_a_run(region_b)
    Region.objects.filter(pk=region_b.pk).update(status=RegionStatus.ARCHIVED)
    assert tasks.resume_stalled_pay_runs_everywhere_task() == len(sent)
    schemas = {schema for _name, schema in sent}
    assert region_a.schema_name in schemas and region_b.schema_name not in schemas and "public" not in schemas
    assert {name for name, _schema in sent} == {fanout.RESUME_STALLED_PAY_RUNS}

    # A suspended region gets no background work either (its suspension needs none of this).
    Region.objects.filter(pk=region_b.pk).update(status=RegionStatus.SUSPENDED)
    sent.clear()
    tasks.resume_stalled_pay_runs_everywhere_task()
    schemas = {schema for _name, schema in sent}
    assert region_a.schema_name in schemas and region_b.schema_name not in schemas


def test_training_catalogues_are_synced_in_each_region(region_a, region_b, sent):
    tasks.sync_training_catalogs_everywhere_task()
    assert {(fanout.SYNC_TRAINING_CATALOG, region_a.schema_name),
            (fanout.SYNC_TRAINING_CATALOG, region_b.schema_name)} <= set(sent)


def test_objection_deadline_reminders_run_in_each_region(region_a, region_b, sent):
    tasks.remind_objection_deadlines_everywhere_task()
    assert {(fanout.REMIND_OBJECTION_DEADLINES, region_a.schema_name),
            (fanout.REMIND_OBJECTION_DEADLINES, region_b.schema_name)} <= set(sent)
    assert "public" not in {schema for _name, schema in sent}


def test_departure_alerts_run_in_each_region(region_a, region_b, sent):
    tasks.notify_departures_everywhere_task()
    assert {(fanout.NOTIFY_DEPARTURES, region_a.schema_name), (fanout.NOTIFY_DEPARTURES, region_b.schema_name)} <= set(sent)


@pytest.mark.parametrize("name", [fanout.RESUME_STALLED_PAY_RUNS, fanout.SYNC_TRAINING_CATALOG,
                                  fanout.REMIND_OBJECTION_DEADLINES, fanout.APPLY_CAREER_EVENTS,
                                  fanout.NOTIFY_DEPARTURES,
                                  "kinerja.notifications.tasks.send_mail_task",
                                  "kinerja.pay.tasks.compute_pay_run_task",
                                  "kinerja.pay.tasks.build_payslip_archive_task",
                                  "kinerja.reports.tasks.refresh_region_task",
                                  "tenants.tasks.refill_spare_schemas_task", "tenants.tasks.export_region_data_task"])
def test_every_task_sent_by_name_exists(name):
    assert jobs.task_named(name).name == name


def test_a_misspelt_task_name_is_refused():
    with pytest.raises(LookupError):
        jobs.task_named("kinerja.pay.tasks.no_such_task")
