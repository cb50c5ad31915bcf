"""Attendance and service-target previews refuse what the database would (a count over 2^31 once gave a
server error at apply), and name formulas saved without values."""
import io

import pytest
from django.utils import translation
from kinerja.pay import attendance, service_targets
from kinerja.pay.models import AttendanceRecord, ServiceTarget
from openpyxl import Workbook

from tests.factories import make_employee


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_a_count_over_the_integer_column_is_a_row_error(in_a, hr, unit):
    employee = make_employee(unit, "Ani")
    content = (f"NIP,BULAN,TARGET,TEPAT_WAKTU\n{employee.nip},2025-03,{2**31},5\n"
               f"{employee.nip},2025-04,{2**31 - 1},{2**31 - 1}\n").encode()
    batch = service_targets.preview_import(content=content, filename="target.csv", actor=hr)
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "TARGET")]
    assert "2147483647" in batch.errors[0]["reason"]


def test_months_in_year_zero_or_far_away_are_refused(in_a, hr, unit):
    employee = make_employee(unit, "Ani")
    content = f"NIP,BULAN,TARGET,TEPAT_WAKTU\n{employee.nip},0000-03,1,1\n{employee.nip},9999-01,1,1\n".encode()
    batch = service_targets.preview_import(content=content, filename="target.csv", actor=hr)
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "BULAN"), (3, "BULAN")]
    assert not ServiceTarget.objects.exists()


def test_attendance_dates_outside_a_sane_window_are_refused(in_a, hr, unit):
    employee = make_employee(unit, "Ani")
    content = (f"NIP,TANGGAL,JAM_MASUK\n{employee.nip},1900-03-03,07:30\n{employee.nip},2999-03-03,07:30\n"
               f"{employee.nip},2025-03-03,07:30\n").encode()
    batch = attendance.preview_import(content=content, filename="absen.csv", actor=hr)
    assert [(e["row"], e["field"]) for e in batch.errors] == [(2, "TANGGAL"), (3, "TANGGAL")]
    assert "check the year" in batch.errors[0]["reason"]
    assert not AttendanceRecord.objects.exists()


def test_a_formula_saved_without_its_value_names_the_cell(in_a, hr, unit):
    employee = make_employee(unit, "Ani")
    workbook = Workbook()
    workbook.active.append(["NIP", "BULAN", "TARGET", "TEPAT_WAKTU"])
    workbook.active.append([employee.nip, "2025-03", "=5*2", 3])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = service_targets.preview_import(content=buffer.getvalue(), filename="target.xlsx", actor=hr)
    assert len(batch.errors) == 1 and "C2" in batch.errors[0]["reason"] and "formula" in batch.errors[0]["reason"]
