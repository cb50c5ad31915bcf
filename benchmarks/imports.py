"""Imports at national size, end to end through the services the pages and the workers call: a CSV of
--employees employees (preview, then apply), then a month of their attendance (one row per employee and
working day; preview, then apply). Prints rows per second and the peak memory (RSS) of each step, then
shows that a file past the row limit is refused after reading about as many rows as the limit.

    python benchmarks/imports.py [--employees 50000] [--days 22] [--huge-rows 2000000]

Runs on a throw-away database of its own (dropped at exit).

Measured on 2 cores shared with other work (the figures move with the load):
    employees preview    50,000 rows   40.6 s   1,232 rows/s   Python peak 107 MB, RSS 343 MB
    employees apply      50,000 rows  151.2 s     331 rows/s   Python peak 214 MB, RSS 638 MB
    attendance preview  1,100,000 rows 703.6 s   1,563 rows/s  Python peak 321 MB, RSS 1,201 MB
    (the apply of that month was cut short by the machine's time; at --employees 5000, 110,000 rows:
     attendance apply 159.4 s, 690 rows/s, Python peak 33 MB; employees apply 27.6 s on a busier machine)
    2,000,000-row file (69 MB) refused after 0.17 s, having read 2.7 MB (about 79,000 rows' worth,
    the reader's buffer included; limit 50,000 rows)
Apply judges the file again, then writes through the people services' bulk path (a thousand rows an
INSERT, audit entries likewise): its queries no longer grow with the rows, where each row cost about nine.
"""
from __future__ import annotations

import argparse
import datetime
import io
import os
import resource
import time
import tracemalloc

from _setup import fresh_database

MONTH = datetime.date(2025, 3, 1)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def nip(n: int) -> str:
    birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=n // 900)
    return f"{birth:%Y%m%d}201001{1 + n % 2}{1 + n % 900:03d}"


def employee_csv(count: int) -> bytes:
    lines = ["NIP;NAMA;JENIS_PEGAWAI;JENIS_KELAMIN;TANGGAL_LAHIR;GOLONGAN;KODE_UNIT;KODE_JABATAN;NAMA_JABATAN;"
             "JENIS_JABATAN;KELAS_JABATAN"]
    for n in range(count):
        birth = datetime.date(1965, 1, 1) + datetime.timedelta(days=n // 900)
        lines.append(f"{nip(n)};Pegawai Nomor {n};PNS;{'L' if n % 2 == 0 else 'P'};{birth:%d-%m-%Y};III/b;"
                     f"OPD{n % 40};JAB{n % 17 + 1};Jabatan {n % 17 + 1};pelaksana;{n % 17 + 1}")
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def working_days(days: int) -> list[datetime.date]:
    found, day = [], MONTH
    while len(found) < days:
        if day.weekday() < 5:
            found.append(day)
        day += datetime.timedelta(days=1)
    return found


def attendance_csv(count: int, days: int) -> bytes:
    out = io.StringIO()
    out.write("NIP,TANGGAL,JAM_MASUK,JAM_PULANG,STATUS,APEL\n")
    for day in working_days(days):
        stamp = day.isoformat()
        for n in range(count):
            if n % 20 == 0:
                out.write(f"{nip(n)},{stamp},,,ALPA,\n")
            else:
                out.write(f"{nip(n)},{stamp},07:{25 + n % 20:02d},16:05,,Y\n")
    return out.getvalue().encode()


class Upload(io.BytesIO):
    def __init__(self, name: str, content: bytes):
        super().__init__(content)
        self.name, self.size = name, len(content)


def timed(label: str, rows: int, work):
    tracemalloc.start()
    started = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {rows:>9,} rows  {seconds:8.1f} s  {rows / seconds:9,.0f} rows/s  "
          f"Python peak {peak / 2**20:7.0f} MB  process RSS peak {peak_rss_mb():7.0f} MB", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--employees", type=int, default=50_000)
    parser.add_argument("--days", type=int, default=22)
    parser.add_argument("--huge-rows", type=int, default=2_000_000)
    parser.add_argument("--only-limit", action="store_true", help="only the refusal of the huge file")
    args = parser.parse_args()
    fresh_database(f"kinerja_bench_imports_{os.getpid()}")  # two runs never drop each other's

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django_tenants.utils import tenant_context
    from kinerja.pay import attendance
    from kinerja.people import imports
    from kinerja.people.models import Employee, Unit

    from tenants.services import OnboardingRequest, onboard_region

    if args.only_limit:
        return refuse_huge_file(args.huge_rows)
    call_command("migrate", verbosity=0)
    onboard_region(OnboardingRequest(name="Kota Uji Impor", slug="bench", kind="kota", region_code="13.98",
                                     province="Sumatera Barat", time_zone="Asia/Jakarta",
                                     admin_email="admin@bench.go.id", admin_name="Admin"))
    from tenants.models import Region

    with tenant_context(Region.objects.get(schema_name="bench")):  # as a worker runs: the region is known
        hr = get_user_model().objects.create(username="bench-hr", role="hr_admin", full_name="HR")
        for n in range(40):
            Unit.objects.create(code=f"OPD{n}", name=f"Dinas {n}")
        # the worker's part runs here, in this process, as it would in a worker
        imports.BACKGROUND_FROM_BYTES = imports.BACKGROUND_FROM_ROWS = 10**12

        content = employee_csv(args.employees)
        print(f"employees file: {len(content) / 2**20:.1f} MB (CSV, semicolons, BOM)")
        batch = timed("employees preview", args.employees, lambda: imports.preview_import(
            kind="employees", uploaded_file=Upload("pegawai.csv", content), actor=hr))
        assert batch.error_count == 0, batch.errors[:5]
        batch = timed("employees apply", args.employees, lambda: imports.apply_import(batch, actor=hr))
        assert batch.status == "applied", batch.errors[:5]
        assert Employee.objects.count() == args.employees

        rows = args.employees * args.days
        content = attendance_csv(args.employees, args.days)
        print(f"attendance file: {len(content) / 2**20:.1f} MB, {args.days} working days")
        upload = timed("attendance preview", rows, lambda: attendance.preview_import(
            content=content, filename="absen.csv", actor=hr))
        assert upload.error_count == 0, upload.errors[:5]
        written = timed("attendance apply", rows, lambda: attendance.apply_import(upload, actor=hr))
        assert written == rows
    refuse_huge_file(args.huge_rows)


def refuse_huge_file(huge_rows: int) -> None:
    """A file far past the row limit is refused after reading about as many rows as the limit."""
    from kinerja import spreadsheets
    from kinerja.people import imports

    header = b"NIP,TANGGAL,JAM_MASUK\n"
    line = b"196501012010011001,2025-03-03,07:30\n"
    huge = CountingStream(header + line * huge_rows)
    limit = imports.LIMITS
    started = time.perf_counter()
    try:
        for _row in spreadsheets.iter_rows(huge, "huge.csv", spreadsheets.Limits(max_bytes=10**10,
                                                                                 max_rows=limit.max_rows)):
            pass
    except spreadsheets.FileProblem as refusal:
        print(f"{huge_rows:,}-row file ({huge.size / 2**20:.0f} MB) refused after "
              f"{time.perf_counter() - started:.2f} s, having read {huge.bytes_read / 2**20:.1f} MB "
              f"(about {huge.bytes_read // len(line):,} rows; limit {limit.max_rows:,}): {refusal}")
    else:
        raise SystemExit("the huge file was not refused")


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.size, self.bytes_read = len(data), 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk

    def read1(self, size=-1):
        chunk = super().read1(size)
        self.bytes_read += len(chunk)
        return chunk

    def readinto(self, buffer):
        count = super().readinto(buffer)
        self.bytes_read += count
        return count


if __name__ == "__main__":
    main()
