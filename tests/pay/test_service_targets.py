"""Public-service targets: HR enters one employee's month (audited) or imports a list (every bad row named
by row, column and reason; nothing half-saved); a month under a pay run cannot change; the pay run hands
the targets to the plugin with the appraisal result; only HR reaches the pages, and a region sees only its
own records."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.pay import inputs, service_targets
from kinerja.pay.models import ServiceTarget
from tests.factories import make_employee, make_login
from tests.helpers import assert_queries, client_for, in_region
from tests.pay.factories import computed_run, rate, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)


def test_import_lists_every_bad_row_and_saves_nothing_of_a_bad_file(in_a, hr, unit):
    employee = make_employee(unit, "Ani")
    other = make_employee(unit, "Budi")
    content = (f"Target layanan publik\nNIP,BULAN,TARGET,TEPAT_WAKTU\n"
               f"{employee.nip},2025-03,10,10\n"
               f"199999999999999999,2025-03,5,5\n"
               f"{other.nip},Maret,5,5\n"
               f"{other.nip},2025-03,lima,5\n"
               f"{other.nip},2025-04,5,7\n"
               f"{employee.nip},03-2025,8,8\n").encode()
    batch = service_targets.preview_import(content=content, filename="target.csv", actor=hr)
    assert [(e["row"], e["field"]) for e in batch.errors] == [
        (4, "NIP"), (5, "BULAN"), (6, "TARGET"), (7, "TEPAT_WAKTU"), (8, "BULAN")]
    assert "no employee has NIP 199999999999999999" in batch.errors[0]["reason"]
    assert "more than the 5 requests due" in batch.errors[3]["reason"]
    assert "row 3 already gives" in batch.errors[4]["reason"]
    assert batch.total_rows == 6 and not batch.can_apply
    with pytest.raises(ValidationError):
        service_targets.apply_import(batch, actor=hr)
    assert not ServiceTarget.objects.exists()


def test_a_good_import_is_applied_once_replacing_the_months_records_and_audited(in_a, hr, unit):
    employee = make_employee(unit, "Ani")
    service_targets.set_service_target(actor=hr, employee=employee, month=MARCH, targets=3, met_on_time=1)
    batch = service_targets.preview_import(
        content=f"NIP,BULAN,TARGET,TEPAT_WAKTU\n{employee.nip},2025-03,10,9\n".encode(), filename="t.csv", actor=hr)
    assert batch.errors == [] and batch.can_apply
    assert service_targets.apply_import(batch, actor=hr) == 1
    record = ServiceTarget.objects.get(employee=employee, month=MARCH)
    assert (record.targets, record.met_on_time, record.source_id) == (10, 9, batch.pk)
    assert AuditEntry.objects.filter(action="pay.service_targets_imported", target_id=str(batch.pk)).exists()
    with pytest.raises(ValidationError):
        service_targets.apply_import(batch, actor=hr)


def test_xlsx_with_excel_numbers_and_dates(in_a, hr, unit):
    from io import BytesIO

    from openpyxl import Workbook

    employee = make_employee(unit, "Ani")
    workbook = Workbook()
    workbook.active.append(["NIP", "PERIODE", "JUMLAH_TARGET", "SELESAI_TEPAT_WAKTU"])
    workbook.active.append([employee.nip, datetime.datetime(2025, 3, 1), 12.0, 11])
    buffer = BytesIO()
    workbook.save(buffer)
    batch = service_targets.preview_import(content=buffer.getvalue(), filename="t.xlsx", actor=hr)
    assert batch.errors == []
    service_targets.apply_import(batch, actor=hr)
    assert ServiceTarget.objects.filter(employee=employee, month=MARCH, targets=12, met_on_time=11).exists()


def test_hr_entry_is_checked_and_audited_and_a_month_under_a_run_is_frozen(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-kotalama", hr)
    employee = make_employee(unit, "Citra")
    with pytest.raises(ValidationError) as refused:
        service_targets.set_service_target(actor=hr, employee=employee, month=MARCH, targets=4, met_on_time=5)
    assert "met_on_time" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        service_targets.set_service_target(actor=make_login(Role.LEADERSHIP), employee=employee, month=MARCH,
                                           targets=4, met_on_time=4)
    record = service_targets.set_service_target(actor=hr, employee=employee, month=datetime.date(2025, 3, 17),
                                                targets=4, met_on_time=3, reason="laporan unit")
    assert record.month == MARCH
    service_targets.set_service_target(actor=hr, employee=employee, month=MARCH, targets=4, met_on_time=4,
                                       reason="satu permohonan terlambat tercatat")
    entry = AuditEntry.objects.filter(action="pay.service_target_set", target_id=str(record.pk)).latest("id")
    assert entry.before["met_on_time"] == 3 and entry.after["met_on_time"] == 4

    computed_run(MARCH, hr)
    with pytest.raises(ValidationError) as frozen:
        service_targets.set_service_target(actor=hr, employee=employee, month=MARCH, targets=4, met_on_time=0)
    assert "month" in frozen.value.message_dict
    batch = service_targets.preview_import(
        content=f"NIP,BULAN,TARGET,TEPAT_WAKTU\n{employee.nip},2025-03,4,0\n".encode(), filename="t.csv", actor=hr)
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "BULAN")]


def test_the_pay_input_carries_the_months_targets_with_the_appraisal(in_a, hr, unit):
    rated = make_employee(unit, "Dinilai")
    rate(rated, year=2024, work_result="above", behaviour="as_expected", predicate="baik")
    unrated = make_employee(unit, "Belum Dinilai")
    for employee in (rated, unrated):
        service_targets.set_service_target(actor=hr, employee=employee, month=MARCH, targets=10, met_on_time=9)
    service_targets.set_service_target(actor=hr, employee=rated, month=datetime.date(2025, 4, 1), targets=2,
                                       met_on_time=0)
    facts = inputs.employee_facts([rated.pk, unrated.pk])
    found = inputs.pay_inputs(facts, inputs.work_calendar(MARCH), {})
    appraisal = found[rated.pk].appraisal
    assert (appraisal.predikat, appraisal.service_targets, appraisal.service_targets_met_on_time) == ("Baik", 10, 9)
    # the plugin boundary carries targets only with an appraisal result
    assert found[unrated.pk].appraisal is None


def test_only_hr_reaches_the_pages_and_the_list_stays_within_its_query_budget(in_a, hr, unit):
    people = [make_employee(unit, f"Pegawai {n}") for n in range(3)]
    for employee in people:
        service_targets.set_service_target(actor=hr, employee=employee, month=MARCH, targets=5, met_on_time=5)
    client = client_for(in_a, hr)
    with assert_queries(7):
        page = client.get("/pay/service-targets/?month=2025-03")
    assert page.status_code == 200 and people[0].nip.encode() in page.content
    with in_region(in_a):
        people += [make_employee(unit, "Lagi"), make_employee(unit, "Dan Lagi")]
        for employee in people[3:]:
            service_targets.set_service_target(actor=hr, employee=employee, month=MARCH, targets=5, met_on_time=4)
        others = [make_login(role) for role in (Role.EMPLOYEE, Role.LEADERSHIP, Role.AUDITOR)]
    with assert_queries(7):
        page = client.get("/pay/service-targets/?month=2025-03")
    assert all(employee.nip.encode() in page.content for employee in people)
    for user in others:
        assert client_for(in_a, user).get("/pay/service-targets/").status_code == 403
    assert client_for(in_a, people[0].user).post("/pay/service-targets/", {
        "action": "set", "nip": people[0].nip, "month": "2025-03", "targets": 9, "met_on_time": 9}).status_code == 403
    with in_region(in_a):
        assert not ServiceTarget.objects.filter(targets=9).exists()


def test_hr_enters_and_uploads_through_the_page(in_a, hr, unit):
    employee = make_employee(unit, "Dewi")
    client = client_for(in_a, hr)
    response = client.post("/pay/service-targets/", {"action": "set", "nip": employee.nip, "month": "2025-03",
                                                      "targets": 6, "met_on_time": 7})
    assert response.status_code == 200 and b"errorlist" in response.content  # more met than due: refused
    with in_region(in_a):
        assert not ServiceTarget.objects.exists()
    response = client.post("/pay/service-targets/", {"action": "set", "nip": employee.nip, "month": "2025-03",
                                                      "targets": 6, "met_on_time": 6})
    assert response.status_code == 302
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("t.csv", f"NIP,BULAN,TARGET,TEPAT_WAKTU\n{employee.nip},2025-04,3,2\n".encode())
    response = client.post("/pay/service-targets/", {"action": "upload", "upload-file": upload})
    assert response.status_code == 302
    batch_page = client.get(response["Location"])
    assert batch_page.status_code == 200 and b"import-errors" not in batch_page.content
    assert client.post(response["Location"]).status_code == 302
    with in_region(in_a):
        assert sorted(ServiceTarget.objects.filter(employee=employee).values_list("month", "met_on_time")) == [
            (MARCH, 6), (datetime.date(2025, 4, 1), 2)]


def test_another_regions_hr_sees_none_of_them(in_a, hr, unit, region_b):
    employee = make_employee(unit, "Eka")
    service_targets.set_service_target(actor=hr, employee=employee, month=MARCH, targets=5, met_on_time=5)
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, "pay-hr-other-region")
        assert not ServiceTarget.objects.exists()
    page = client_for(region_b, other_hr).get("/pay/service-targets/?month=2025-03")
    assert page.status_code == 200 and employee.nip.encode() not in page.content
