"""The preview refuses what the database would: a value it cannot store is a row error in the preview,
never a failure at apply (a 201-character name once gave a server error at apply and left the batch stuck)."""
import pytest
from django.utils import translation
from kinerja.people import imports
from kinerja.people.models import Employee, ImportStatus

from tests.helpers import in_region
from tests.people.conftest import csv_file, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = "NIP,NAMA,JENIS_PEGAWAI,JENIS_KELAMIN,TANGGAL_LAHIR,GOLONGAN,KODE_UNIT,KODE_JABATAN,NAMA_JABATAN," \
         "JENIS_JABATAN,KELAS_JABATAN,NIP_ATASAN,STATUS,EMAIL"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def preview(org, upload_file, kind="employees"):
    with in_region(org.region):
        return imports.preview_import(kind=kind, uploaded_file=upload_file, actor=org.hr)


def test_values_the_database_cannot_store_are_row_errors_in_the_preview(org):
    rows = [HEADER,
            "198503152010011001," + "J" * 201 + ",PNS,L,1985-03-15,III/b,DINKES,PENGADM,,,,,,",
            "198604152010012002,Sari,PNS,P,1986-04-15,III/b,DINKES," + "K" * 31 + ",Staf,pelaksana,5,,,",
            "198705152010011003,Budi,PNS,L,1987-05-15,III/b,DINKES,BARU,Staf\x0bBaru,pelaksana,5,,,",
            "198806152010012004,Ani,PNS,P,1988-06-15,III/b,DINKES,BARU2," + "T" * 201 + ",pelaksana,5,,,",
            "198907152010011005,Eko,PNS,L,1989-07-15,III/b,DINKES,PENGADM,,,,,," + "e" * 250 + "@example.go.id"]
    batch = preview(org, csv_file(rows))
    found = {(error["row"], error["field"]): error["reason"] for error in batch.errors}
    assert "at most 200 characters, this has 201" in found[(2, "NAMA")]
    assert "at most 30 characters" in found[(3, "KODE_JABATAN")]
    assert "control character" in found[(4, "NAMA_JABATAN")]
    assert "at most 200 characters" in found[(5, "NAMA_JABATAN")]
    assert "at most 254 characters" in found[(6, "EMAIL")]
    assert not batch.can_apply


def test_a_birth_date_in_year_1_is_refused_with_the_reason(org):
    batch = preview(org, csv_file([HEADER, "000101012010011001,Joko,PNS,L,0001-01-01,III/b,DINKES,PENGADM,,,,,,"]))
    assert any(error["field"] == "TANGGAL_LAHIR" and "check the year" in error["reason"] for error in batch.errors)


def test_a_name_of_exactly_200_characters_is_applied(org):
    name = "N" * 200
    batch = preview(org, xlsx_file([HEADER.split(","),
                                    ["198503152010011001", name, "PNS", "L", "1985-03-15", "III/b", "DINKES", "PENGADM"]]))
    assert batch.errors == []
    with in_region(org.region):
        batch = imports.apply_import(batch, actor=org.hr)
        assert batch.status == ImportStatus.APPLIED
        assert Employee.objects.get(nip="198503152010011001").full_name == name


def test_unit_names_and_codes_past_their_columns_are_refused(org):
    batch = preview(org, csv_file(["KODE_UNIT,NAMA_UNIT", "U1," + "N" * 201, "X" * 31 + ",Nama"], "unit.csv"),
                    kind="units")
    assert {(error["row"], error["field"]) for error in batch.errors} == {(2, "NAMA_UNIT"), (3, "KODE_UNIT")}


def test_a_nip_excel_turned_into_scientific_notation_names_the_cause(org):
    batch = preview(org, csv_file([HEADER.replace(",", ";"),
                                   "1,98503E+17;Joko;PNS;L;1985-03-15;III/b;DINKES;PENGADM;;;;;;"]))
    assert batch.errors[0]["field"] == "NIP" and "rounded" in batch.errors[0]["reason"]
