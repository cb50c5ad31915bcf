"""A suspended region gets no background work beyond what its suspension needs (billing, the operator's
export): fleet-wide fan-outs and report refreshes leave it out, and a task that still reaches its schema
(queued before the suspension, retried, sent by hand) does not run."""
from __future__ import annotations

import pytest
from django_tenants.utils import schema_context

from kinerja.region.facts import RegionStatus, refuse_while_suspended, schemas_in_service
from kinerja.reports import services as reports
from tenants import fanout
from tenants.models import Region

pytestmark = pytest.mark.django_db


def suspend(region):
    Region.objects.filter(pk=region.pk).update(status=RegionStatus.SUSPENDED)


def test_fanout_and_report_refresh_leave_a_suspended_region_out(region_a, region_b):
    suspend(region_b)
    assert region_a.schema_name in schemas_in_service()
    assert region_b.schema_name not in schemas_in_service()
    sent = fanout.send_to_each_region("kinerja.pay.tasks.resume_stalled_runs_task")
    assert region_b.schema_name not in sent and region_a.schema_name in sent
    assert region_b not in list(reports.refreshable_regions())
    run = reports.start_refresh()
    assert not run.regions.filter(region=region_b).exists()


class FakeTask:
    def __init__(self, name):
        self.name = name


def test_a_task_reaching_a_suspended_regions_schema_does_not_run(region_a):
    from kinerja.pay.tasks import resume_stalled_runs_task

    with schema_context(region_a.schema_name):
        assert refuse_while_suspended(FakeTask("kinerja.pay.tasks.resume_stalled_runs_task")) == ""
    suspend(region_a)
    with schema_context(region_a.schema_name):
        reason = refuse_while_suspended(FakeTask("kinerja.pay.tasks.resume_stalled_runs_task"))
        assert "suspended" in reason
        # what the suspension needs still runs
        assert refuse_while_suspended(FakeTask("tenants.tasks.export_region_data_task")) == ""
        assert refuse_while_suspended(FakeTask("tenants.billing.tasks.sync_headcounts_task")) == ""
        # the guard sits in every task of the app: the task's body is not reached
        assert resume_stalled_runs_task.apply().result is None
    with schema_context("public"):
        assert refuse_while_suspended(FakeTask("kinerja.reports.tasks.refresh_all_regions_task")) == ""


def test_every_task_goes_through_the_guard():
    from kinerja.celery import RUN_GUARDS, GuardedTask, app

    assert refuse_while_suspended in RUN_GUARDS
    app.loader.import_default_modules()
    ours = [task for name, task in app.tasks.items() if name.startswith(("kinerja.", "tenants."))]
    assert ours and all(isinstance(task, GuardedTask) for task in ours)
