"""A small organisation in region A, built through the services:

    DINKES (Dinas Kesehatan)            head: Budi (PNS, IV/b)
      PKM-MANDIANGIN (Puskesmas)        Sari (PNS, III/c) reports to Budi; Rina (PPPK, IX) reports to Sari
    DISDIK (Dinas Pendidikan)           head: Dewi (PNS, IV/a)
                                        Andi (PNS, III/a) reports to Dewi
"""
from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kinerja.accounts.models import Role
from kinerja.people import services
from kinerja.people.models import PositionKind, UnitKind, UnitType
from tests.helpers import in_region, make_user

# Valid numbers, written out: birth date YYYYMMDD + TMT CPNS YYYYMM + gender (1 male, 2 female) + sequence.
NIP_BUDI = "197506122000031001"   # born 1975-06-12, CPNS March 2000, male, no. 001
NIP_SARI = "198811022012022004"   # born 1988-11-02, CPNS February 2012, female, no. 004
NIP_DEWI = "197902282003122001"   # born 1979-02-28, CPNS December 2003, female, no. 001
NIP_ANDI = "199001152014051002"   # born 1990-01-15, CPNS May 2014, male, no. 002
# PPPK: birth date then another structure; "202321" would be month 21 for a PNS, which PPPK rules don't check.
PPPK_RINA = "199207202023213005"  # born 1992-07-20


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def csv_file(lines: list[str], name: str = "pegawai.csv", encoding: str = "utf-8", bom: bool = False):
    text = "\n".join(lines) + "\n"
    data = text.encode(encoding)
    return upload(name, (b"\xef\xbb\xbf" if bom else b"") + data)


def xlsx_file(rows: list[list], name: str = "pegawai.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return upload(name, buffer.getvalue())


@pytest.fixture(autouse=True)
def _english_messages():
    """Messages raised outside a request are asserted by their English source text."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def hr_a(region_a):
    return make_user(region_a, Role.HR_ADMIN, username="hr-a")


@pytest.fixture
def org(region_a, hr_a):
    with in_region(region_a):
        dinkes = services.create_unit(actor=hr_a, code="DINKES", name="Dinas Kesehatan", unit_type=UnitType.DINAS)
        puskesmas = services.create_unit(actor=hr_a, code="PKM-MANDIANGIN", name="Puskesmas Mandiangin",
                                         kind=UnitKind.SUB_UNIT, unit_type=UnitType.HEALTH_CENTRE, parent=dinkes)
        disdik = services.create_unit(actor=hr_a, code="DISDIK", name="Dinas Pendidikan", unit_type=UnitType.DINAS)
        head = services.create_position(actor=hr_a, code="KADIS", title="Kepala Dinas", kind=PositionKind.STRUCTURAL,
                                        position_class=14)
        doctor = services.create_position(actor=hr_a, code="DOKTER", title="Dokter Ahli Muda",
                                          kind=PositionKind.FUNCTIONAL, position_class=11)
        nurse = services.create_position(actor=hr_a, code="PERAWAT", title="Perawat Terampil",
                                         kind=PositionKind.FUNCTIONAL, position_class=7)
        clerk = services.create_position(actor=hr_a, code="PENGADM", title="Pengadministrasi Umum",
                                         kind=PositionKind.EXECUTIVE, position_class=5)
        budi = services.create_employee(actor=hr_a, nip=NIP_BUDI, employee_type="PNS", full_name="Budi Santoso",
                                        gender="M", birth_date=datetime.date(1975, 6, 12), rank="IV/b", unit=dinkes,
                                        position=head)
        sari = services.create_employee(actor=hr_a, nip=NIP_SARI, employee_type="PNS", full_name="Sari Wulandari",
                                        gender="F", birth_date=datetime.date(1988, 11, 2), rank="III/c",
                                        unit=puskesmas, position=doctor, supervisor=budi, email="sari@example.go.id")
        rina = services.create_employee(actor=hr_a, nip=PPPK_RINA, employee_type="PPPK", full_name="Rina Marlina",
                                        gender="F", birth_date=datetime.date(1992, 7, 20), rank="IX", unit=puskesmas,
                                        position=nurse, supervisor=sari)
        dewi = services.create_employee(actor=hr_a, nip=NIP_DEWI, employee_type="PNS", full_name="Dewi Lestari",
                                        gender="F", birth_date=datetime.date(1979, 2, 28), rank="IV/a", unit=disdik,
                                        position=head)
        andi = services.create_employee(actor=hr_a, nip=NIP_ANDI, employee_type="PNS", full_name="Andi Pratama",
                                        gender="M", birth_date=datetime.date(1990, 1, 15), rank="III/a", unit=disdik,
                                        position=clerk, supervisor=dewi)
    return SimpleNamespace(region=region_a, hr=hr_a, dinkes=dinkes, puskesmas=puskesmas, disdik=disdik,
                           head=head, doctor=doctor, nurse=nurse, clerk=clerk,
                           budi=budi, sari=sari, rina=rina, dewi=dewi, andi=andi)


@pytest.fixture
def logins(org):
    """Logins for Budi (supervisor of Sari), Sari (supervisor of Rina), Rina, Dewi (another unit's head)."""
    users = {}
    for name in ("budi", "sari", "rina", "dewi", "andi"):
        user = make_user(org.region, Role.EMPLOYEE, username=name)
        with in_region(org.region):
            services.link_user(getattr(org, name), user, actor=org.hr)
        users[name] = user
    return SimpleNamespace(**users)
