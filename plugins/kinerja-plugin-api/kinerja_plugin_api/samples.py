"""Sample inputs for calling hooks without a database: the test kit's fixtures and the conformance
check use them. They cover the corners a pay formula meets: perfect attendance, every lateness bracket,
absences, leave, every predikat, no appraisal yet, sanctions of each severity, PPPK, classes 1 and 17."""
from __future__ import annotations

import datetime
from decimal import Decimal

from kinerja_plugin_api.types import PREDIKATS, AppraisalResult, AttendanceSummary, PayInput, Sanction

SAMPLE_MONTH = datetime.date(2025, 3, 1)
OPENING_KINDS = ("cpns", "pppk", "kontrak")
AGENCY_TYPES = ("health", "education", "public_service", "finance", "infrastructure", "general")
PAY_INPUT_NAMES = ("position_class", "employee_type", "rank", "attendance", "appraisal", "sanctions", "region_config")

_RATINGS_FOR = {
    "Sangat Baik": ("Di Atas Ekspektasi", "Di Atas Ekspektasi"),
    "Baik": ("Sesuai Ekspektasi", "Sesuai Ekspektasi"),
    "Butuh Perbaikan": ("Di Bawah Ekspektasi", "Sesuai Ekspektasi"),
    "Kurang": ("Sesuai Ekspektasi", "Di Bawah Ekspektasi"),
    "Sangat Kurang": ("Di Bawah Ekspektasi", "Di Bawah Ekspektasi"),
}


def appraisal(predikat: str = "Baik", **overrides) -> AppraisalResult:
    work_result, behaviour = _RATINGS_FOR[predikat]
    return AppraisalResult(**{"predikat": predikat, "work_result": work_result, "behaviour": behaviour, **overrides})


def build_pay_input(**overrides) -> PayInput:
    """A PayInput with plausible defaults (class 7 PNS, full attendance in a 21-day month, Baik);
    `attendance` and `appraisal` may be given as dicts of the fields to change."""
    attendance = overrides.pop("attendance", {})
    if isinstance(attendance, dict):
        attendance = AttendanceSummary(**{"working_days": 21, "days_present": 21, **attendance})
    result = overrides.pop("appraisal", {})
    if isinstance(result, dict):
        result = appraisal(**result)
    values = {"employee_id": "198501012010011001", "position_class": 7, "employee_type": "PNS", "rank": "III/b",
              "attendance": attendance, "appraisal": result, "sanctions": (),
              "region_config": {"slug": "sample", "name": "Kabupaten Contoh", "time_zone": "Asia/Jakarta"}}
    values.update(overrides)
    return PayInput(**values)


def sample_pay_inputs() -> list[PayInput]:
    samples = [build_pay_input(employee_id=f"sample-{predikat}", appraisal=appraisal(predikat))
               for predikat in PREDIKATS]
    samples += [
        build_pay_input(employee_id="sample-no-appraisal", appraisal=None, position_class=1, rank="I/a"),
        build_pay_input(employee_id="sample-class-17", position_class=17, rank="IV/e",
                        appraisal={"predikat": "Sangat Baik", "service_targets": 12, "service_targets_met_on_time": 12}),
        build_pay_input(employee_id="sample-pppk", employee_type="PPPK", rank="IX", position_class=9,
                        appraisal={"service_targets": 10, "service_targets_met_on_time": 7}),
        build_pay_input(employee_id="sample-late", attendance={
            "days_present": 19, "absent_without_reason": 2, "late": (3, 2, 1, 1), "early_leave": (1, 1, 1, 1),
            "missed_assemblies": 2}),
        build_pay_input(employee_id="sample-leave", attendance={
            "days_present": 12, "leave_days": 5, "sick_days": 2, "official_duty_days": 2}),
        build_pay_input(employee_id="sample-absent-month", appraisal=appraisal("Sangat Kurang"), attendance={
            "days_present": 0, "absent_without_reason": 21, "late": (0, 0, 0, 0)}),
        build_pay_input(employee_id="sample-sanctions", sanctions=(
            Sanction("teguran lisan", "ringan", Decimal("20"), 1),
            Sanction("penundaan kenaikan gaji berkala", "sedang", Decimal("40"), 6),
            Sanction("penurunan jabatan", "berat", Decimal("80"), 12))),
    ]
    return samples
