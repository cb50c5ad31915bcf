"""Attendance imports (bad rows named by row, column and reason; nothing half-saved; local time across
WIB/WITA/WIT), audited corrections, the explanation with dates, diffs, exports and the public page."""
import csv
import datetime
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.pay import attendance, documents, exports, inputs, selectors, services
from kinerja.pay.explain import explain, rupiah
from kinerja.pay.models import AttendanceRecord, BankAccount

from tests.factories import make_employee, make_login
from tests.helpers import client_for
from tests.pay.factories import attendance_csv, computed_run, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)


def test_preview_lists_every_bad_row_and_apply_saves_nothing_of_a_bad_file(in_a, hr, unit):
    employee = make_employee(unit, "Ani")
    content = (f"Rekap absensi Maret\nNIP,TANGGAL,JAM_MASUK,JAM_PULANG,STATUS\n"
               f"{employee.nip},03-03-2025,07:31,16:00,HADIR\n"
               f"199999999999999999,04-03-2025,07:30,16:00,HADIR\n"
               f"{employee.nip},31-02-2025,07:30,16:00,HADIR\n"
               f"{employee.nip},05-03-2025,25:10,16:00,HADIR\n"
               f"{employee.nip},06-03-2025,08:00,07:00,HADIR\n"
               f"{employee.nip},07-03-2025,,,LIBURAN\n"
               f"{employee.nip},03-03-2025,07:30,16:00,HADIR\n").encode()
    batch = attendance.preview_import(content=content, filename="absen.csv", actor=hr)
    assert [(e["row"], e["field"]) for e in batch.errors] == [
        (4, "NIP"), (5, "TANGGAL"), (6, "JAM_MASUK"), (7, "JAM_PULANG"), (8, "STATUS"), (9, "TANGGAL")]
    assert "no employee has NIP 199999999999999999" in batch.errors[0]["reason"]
    assert not batch.can_apply
    with pytest.raises(ValidationError):
        attendance.apply_import(batch, actor=hr)
    assert not AttendanceRecord.objects.filter(employee=employee).exists()


def test_xlsx_export_with_zoned_times_is_read_in_the_regions_local_time(in_a, hr, unit):
    from openpyxl import Workbook

    from tenants.models import Region

    Region.objects.filter(pk=in_a.pk).update(time_zone="Asia/Jayapura")  # WIT, UTC+9
    employee = make_employee(unit, "Yosefa")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "TANGGAL", "CHECK_IN", "CHECK_OUT"])
    sheet.append([employee.nip, datetime.date(2025, 3, 3), "2025-03-02T22:45:00Z", "2025-03-03T07:10:00Z"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    from django.db import connection

    connection.tenant.time_zone = "Asia/Jayapura"
    batch = attendance.preview_import(content=buffer.getvalue(), filename="app.xlsx", actor=hr)
    assert batch.errors == []
    attendance.apply_import(batch, actor=hr)
    record = AttendanceRecord.objects.get(employee=employee)
    assert (record.check_in, record.check_out) == (datetime.time(7, 45), datetime.time(16, 10))
    found = inputs.attendance_findings(employee.pk, MARCH)
    assert ("late", 1, 15) in [(f.kind, f.bracket, f.minutes) for f in found if f.date == datetime.date(2025, 3, 3)]


def test_brackets_and_calendar():
    assert [inputs.bracket(m) for m in (0, 1, 30, 31, 60, 61, 90, 91, 400)] == [0, 1, 1, 2, 2, 3, 3, 4, 4]
    hours = (datetime.time(7, 30), datetime.time(16, 0))
    day = datetime.date(2025, 3, 3)
    assert inputs.judge_day(day, hours, "present", datetime.time(7, 30, 59), datetime.time(16), None)[1:] == []
    assert [f.kind for f in inputs.judge_day(day, hours, "present", None, None, False)] == [
        "present", "late", "early_leave", "missed_assembly"]


def test_holidays_and_working_days_are_region_data(in_a, hr, unit):
    services.add_holiday(actor=hr, date=datetime.date(2025, 3, 31), name="Idul Fitri")
    services.set_working_day(actor=hr, weekday=5, is_working=True, starts_at=datetime.time(8),
                             ends_at=datetime.time(12))
    cal = inputs.work_calendar(MARCH)
    assert len(cal.working_dates) == 21 - 1 + 5  # Saturdays in, 31 March out
    with pytest.raises(ValidationError):
        services.set_working_day(actor=hr, weekday=5, is_working=True, starts_at=datetime.time(12),
                                 ends_at=datetime.time(8))


def test_correction_needs_a_reason_is_audited_and_waits_for_a_reset_of_a_computed_run(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    employee = make_employee(unit, "Budi")
    with pytest.raises(ValidationError) as refused:
        attendance.correct_attendance(employee=employee, date=datetime.date(2025, 3, 3), actor=hr, reason=" ",
                                      status="sick")
    assert "reason" in refused.value.message_dict
    record = attendance.correct_attendance(employee=employee, date=datetime.date(2025, 3, 3), actor=hr,
                                           reason="surat dokter menyusul", status="sick")
    entry = AuditEntry.objects.get(action="pay.attendance_corrected", target_id=str(record.pk))
    assert entry.before is None and entry.after["status"] == "sick" and entry.reason == "surat dokter menyusul"
    computed_run(MARCH, hr)
    with pytest.raises(ValidationError) as frozen:
        attendance.correct_attendance(employee=employee, date=datetime.date(2025, 3, 4), actor=hr, reason="x",
                                      status="sick")
    assert "date" in frozen.value.message_dict


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.AUDITOR, Role.EMPLOYEE])
def test_only_hr_imports_and_corrects_attendance(in_a, hr, unit, role):
    employee = make_employee(unit, "Budi")
    other = make_login(role)
    content = attendance_csv(employee.nip, MARCH, {})
    with pytest.raises(PermissionDenied):
        attendance.preview_import(content=content, filename="absen.csv", actor=other)
    batch = attendance.preview_import(content=content, filename="absen.csv", actor=hr)
    with pytest.raises(PermissionDenied):
        attendance.apply_import(batch, actor=other)
    with pytest.raises(PermissionDenied):
        attendance.correct_attendance(employee=employee, date=datetime.date(2025, 3, 3), actor=other,
                                      reason="surat dokter", status="sick")
    assert not AttendanceRecord.objects.filter(employee=employee).exists()


def test_explanation_names_each_deduction_with_its_dates_and_the_diff_shows_changes(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    employee = make_employee(unit, "Citra", position_class=9)
    batch = attendance.preview_import(content=attendance_csv(employee.nip, MARCH, {
        datetime.date(2025, 3, 4): ("08:10", "16:05", "HADIR"), datetime.date(2025, 3, 5): None}),
        filename="a.csv", actor=hr)
    attendance.apply_import(batch, actor=hr)
    march = computed_run(MARCH, hr, approve_with=checker, lock=True)
    result = selectors.result_for(hr, march.results.get(employee=employee).pk)
    explained = explain(result)
    assert any("3,400,000" in s.replace(".", ",") for s in explained["intro"])
    assert "4 March 2025: arrived 40 minutes late (TL2)" in explained["findings"]
    assert "5 March 2025: absent without reason" in explained["findings"]
    assert rupiah(result.net) in explained["totals"]
    deduction = next(e for e in explained["lines"] if e.code == "POT_DISIPLIN")
    assert deduction.amount == round(1_360_000 * 0.04)  # 3% absence + 1% TL2

    april = computed_run(datetime.date(2025, 4, 1), hr, approve_with=checker)
    newer = selectors.result_for(hr, april.results.get(employee=employee).pk)
    rows = {row["code"]: row for row in selectors.diff_results(result, newer)}
    assert rows["TPP_KINERJA"]["change"] == 0
    assert rows["POT_DISIPLIN"]["before"] == 54_400
    page = client_for(in_a, employee.user).get(f"/pay/results/{newer.pk}/diff/{result.pk}/")
    assert page.status_code == 200 and b"POT_DISIPLIN" in page.content


def test_exports_register_transfer_payslips(in_a, hr, checker, unit, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.MULTITENANT_RELATIVE_MEDIA_ROOT = "%s"  # clears the storage's cached root
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    people = [make_employee(unit, f"Pegawai {n}", position_class=7 + n) for n in range(3)]
    for number, person in enumerate(people):
        BankAccount.objects.create(employee=person, bank_code="118", account_number=f"012345678{number}",
                                   account_name=f"Pegawai {number}")
    run = computed_run(MARCH, hr, approve_with=checker)
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(exports.payroll_register(
        run, region_name="Kota Bukittinggi", today=datetime.date(2025, 4, 2)))).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(n for n, row in enumerate(rows) if row[:2] == ("NO", "NIP"))
    header = rows[header_at]
    total_at = next(n for n, row in enumerate(rows) if row[2] == "JUMLAH")
    total = rows[total_at]
    assert total_at == header_at + 1 + len(people) and total[header.index("DITERIMA")] == run.total_net
    assert rows[0][0] == "DAFTAR PEMBAYARAN TAMBAHAN PENGHASILAN PEGAWAI (TPP) KOTA BUKITTINGGI"
    assert rows[1][0] == "Bulan Maret 2025"
    assert sheet.freeze_panes == f"D{header_at + 2}"
    money = sheet.cell(row=total_at + 1, column=header.index("DITERIMA") + 1)
    assert money.number_format == exports.MONEY_FORMAT and money.font.b
    below = [value for row in rows[total_at + 1:] for value in row if value]
    assert "Kota Bukittinggi, 2 April 2025" in below and "Bendahara Pengeluaran" in below
    transfer = services.bank_transfer_file(run, actor=hr)
    lines = list(csv.reader(io.StringIO(transfer.content.decode()), delimiter=";"))
    assert transfer.filename == "transfer-tpp-2025-03.csv"
    assert sum(int(row[5]) for row in lines[1:]) == run.total_net
    assert lines[1 + [row[0] for row in lines[1:]].index(people[0].nip)][3] == "0123456780"
    assert transfer.count == 3 and transfer.total == run.total_net
    assert documents.payslip_pdf(run.results.get(employee=people[0]), documents.region_letterhead()).startswith(b"%PDF")
    name = services.build_payslip_archive(run.pk)
    # in the region's own folder of the storage, and offered by the run
    assert (tmp_path / in_a.schema_name / name).is_file()
    run.refresh_from_db()
    assert run.payslip_archive == name
    with zipfile.ZipFile(selectors.payslip_archive(run)) as archive:
        assert f"slip-tpp-2025-03-{people[0].nip}.pdf" in archive.namelist()


def test_transparency_page_is_public_only_when_published(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    make_employee(unit, "Publik", position_class=9)
    computed_run(MARCH, hr, approve_with=checker, lock=True)
    anonymous = client_for(in_a)
    assert anonymous.get("/pay/transparency/").status_code == 404
    from tests.helpers import in_region

    with in_region(in_a):
        services.update_pay_settings(actor=hr, publish_transparency=True)
    page = anonymous.get("/pay/transparency/")
    assert page.status_code == 200 and b"Publik" not in page.content
    # one person paid: nothing about their pay is shown
    assert b'data-testid="too-few"' in page.content and b"<td>9</td>" not in page.content


def test_a_visitor_cannot_single_out_a_one_person_class(in_a, hr, checker, unit):
    """Attack: class 12 has one employee. The page and the API pool that class with its neighbour, show
    no lowest or highest amount, and every group holds at least 5 people."""
    from tests.helpers import in_region

    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    for n in range(6):
        make_employee(unit, f"Kelas Tujuh {n}", position_class=7)
    for n in range(5):
        make_employee(unit, f"Kelas Sembilan {n}", position_class=9)
    lonely = make_employee(unit, "Satu-satunya Kelas Dua Belas", position_class=12)
    run = computed_run(MARCH, hr, approve_with=checker, lock=True)
    with in_region(in_a):
        services.update_pay_settings(actor=hr, publish_transparency=True, criteria={
            "criteria_formula": "TPP = 60% kinerja x nilai SKP + 40% disiplin.",
            "criteria_deductions": "Terlambat 1-30 menit: 0,5% per kejadian.",
            "criteria_predicate": "Predikat Sangat Baik: 100% bagian kinerja."})
        lonely_pay = run.results.get(employee=lonely).net
        nets = sorted(run.results.values_list("net", flat=True))
    anonymous = client_for(in_a)
    api = anonymous.get("/api/v1/pay/transparency/").json()
    assert [(g["classes"], g["employees"]) for g in api["groups"]] == [([7], 6), ([9, 12], 6)]
    assert all(g["employees"] >= 5 for g in api["groups"]) and api["employees"] == 12
    assert all(g["average"] % 100_000 == 0 for g in api["groups"])
    page = anonymous.get("/pay/transparency/").content.decode()
    assert 'data-classes="9–12"' in page and 'data-classes="12"' not in page
    for amount in {lonely_pay, nets[0], nets[-1]}:  # no one person's pay, nor the lowest or highest
        assert f"{amount:,}".replace(",", ".") not in page and str(amount) not in str(api)
    assert "Satu-satunya" not in page and lonely.nip not in page
    # the criteria: the region's words and the rules' settings, amounts formatted
    assert "60% kinerja" in page and "0,5% per kejadian" in page and "Sangat Baik: 100%" in page
    assert "Rp " in page and api["criteria"]["settings"]
    assert anonymous.get("/api/v1/pay/transparency/").status_code == 200
    with in_region(in_a):
        services.update_pay_settings(actor=hr, publish_transparency=False)
    assert anonymous.get("/api/v1/pay/transparency/").status_code == 404


def test_small_classes_pool_with_their_neighbours():
    from kinerja.pay.selectors import pool_small_classes

    groups = pool_small_classes([(1, 2, 10), (2, 2, 10), (3, 1, 5), (7, 9, 90), (14, 1, 9), (15, 1, 9)])
    assert [(g.classes, g.count) for g in groups] == [([1, 2, 3], 5), ([7, 14, 15], 11)]
    assert pool_small_classes([(9, 4, 40)]) == []
    assert [g.count for g in pool_small_classes([(c, 1, 1) for c in range(1, 18)])] == [5, 5, 7]
