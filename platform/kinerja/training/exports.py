"""Completed training in the shapes of the national HR system (SIASN): `diklat/save` for structural and
basic training, `kursus/save` for other courses, both with `jumlahJam`. One record per completed
session or verified external course; dates as the API takes them (dd-mm-yyyy).

SIASN's own person id (pnsOrangId) and its reference ids (latihanStrukturalId, jenisDiklatId, instansiId,
lokasiId) are not kept in Kinerja: they are left empty for the region's SIASN integration to fill, and
every record carries the employee's NIP so it can."""
from __future__ import annotations

import io

from kinerja.spreadsheets import CsvWriter
from kinerja.training.models import (
    Enrolment,
    EnrolmentStatus,
    ExternalCourse,
    RecordKind,
)

DIKLAT_FIELDS = ["id", "bobot", "institusiPenyelenggara", "jenisKompetensi", "jumlahJam", "latihanStrukturalId",
                 "nomor", "pnsOrangId", "tahun", "tanggal", "tanggalSelesai"]
KURSUS_FIELDS = ["instansiId", "institusiPenyelenggara", "jenisDiklatId", "jenisKursus", "jenisKursusSertipikat",
                 "jumlahJam", "lokasiId", "namaKursus", "nomorSertipikat", "pnsOrangId", "tahunKursus",
                 "tanggalKursus", "tanggalSelesaiKursus"]
ENDPOINTS = {RecordKind.DIKLAT: "diklat/save", RecordKind.KURSUS: "kursus/save"}


def _date(value) -> str:
    return value.strftime("%d-%m-%Y")


def _diklat(item: dict) -> dict:
    return {"id": None, "bobot": 0, "institusiPenyelenggara": item["organiser"],
            "jenisKompetensi": ", ".join(item["competencies"]), "jumlahJam": item["jp"], "latihanStrukturalId": "",
            "nomor": item["number"], "pnsOrangId": "", "tahun": item["ended"].year,
            "tanggal": _date(item["started"]), "tanggalSelesai": _date(item["ended"])}


def _kursus(item: dict) -> dict:
    return {"instansiId": "", "institusiPenyelenggara": item["organiser"], "jenisDiklatId": "",
            "jenisKursus": item["method"], "jenisKursusSertipikat": "", "jumlahJam": item["jp"], "lokasiId": "",
            "namaKursus": item["title"], "nomorSertipikat": item["number"], "pnsOrangId": "",
            "tahunKursus": item["ended"].year, "tanggalKursus": _date(item["started"]),
            "tanggalSelesaiKursus": _date(item["ended"])}


def national_records(year: int, employees=None) -> list[dict]:
    """[{"endpoint": "diklat/save" | "kursus/save", "nip": ..., "name": ..., "data": {...}}] for the
    year's completed training, oldest first. `employees` (a queryset) narrows it. Two queries."""
    enrolments = Enrolment.objects.select_related("course", "session", "employee").filter(
        status=EnrolmentStatus.COMPLETED, completed_on__year=year)
    externals = ExternalCourse.objects.select_related("employee").filter(verified=True, ended_on__year=year)
    if employees is not None:
        enrolments, externals = enrolments.filter(employee__in=employees), externals.filter(employee__in=employees)
    items = [(e.course.record_kind, e.employee, {
        "title": e.course.title, "organiser": e.course.provider, "competencies": list(e.course.competencies),
        "method": e.course.method, "jp": e.jp_hours, "number": e.certificate_number,
        "started": e.session.starts_on, "ended": e.completed_on}) for e in enrolments]
    items += [(x.record_kind, x.employee, {
        "title": x.title, "organiser": x.organiser, "competencies": [], "method": "", "jp": x.jp_hours,
        "number": x.certificate_number, "started": x.started_on, "ended": x.ended_on}) for x in externals]
    items.sort(key=lambda item: (item[2]["ended"], item[1].nip, item[2]["title"]))
    return [{"endpoint": ENDPOINTS[kind], "nip": employee.nip, "name": employee.full_name,
             "data": _diklat(item) if kind == RecordKind.DIKLAT else _kursus(item)}
            for kind, employee, item in items]


def as_json(records: list[dict]) -> dict:
    return {"diklat": [r for r in records if r["endpoint"] == "diklat/save"],
            "kursus": [r for r in records if r["endpoint"] == "kursus/save"]}


def as_csv(records: list[dict], kind: str) -> str:
    """One CSV per record kind (their fields differ): nip, name, then the SIASN fields in order."""
    fields = DIKLAT_FIELDS if kind == RecordKind.DIKLAT else KURSUS_FIELDS
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(["nip", "nama", *fields])
    for record in records:
        if record["endpoint"] == ENDPOINTS[kind]:
            writer.writerow([record["nip"], record["name"],
                             *["" if record["data"][f] is None else record["data"][f] for f in fields]])
    return out.getvalue()
