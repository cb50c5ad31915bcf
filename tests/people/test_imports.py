"""Spreadsheet imports: every kind of bad row, encodings, all-or-nothing apply, and export -> import."""
import datetime
import io

import pytest
from openpyxl import load_workbook

from kinerja.audit.models import AuditEntry
from kinerja.people import exports, imports
from kinerja.people.models import Employee, ImportBatch, ImportStatus, Position, Unit
from tests.helpers import in_region
from tests.people.conftest import NIP_ANDI, NIP_BUDI, NIP_SARI, csv_file, upload, xlsx_file

pytestmark = pytest.mark.django_db

HEADER = "NIP,NAMA,JENIS_PEGAWAI,JENIS_KELAMIN,TANGGAL_LAHIR,GOLONGAN,KODE_UNIT,KODE_JABATAN,NAMA_JABATAN," \
         "JENIS_JABATAN,KELAS_JABATAN,NIP_ATASAN,STATUS,EMAIL"
# Three new people of Dinas Kesehatan; the head (row 4) comes after the staff who report to him.
GOOD_ROWS = [
    "198503152010011001,Joko Susilo,PNS,L,1985-03-15,III/b,DINKES,ANALIS-KES,Analis Kesehatan,fungsional,9,"
    "197001012000011002,AKTIF,joko@example.go.id",
    "199104042022212003,Maya Sari,PPPK,P,04-04-1991,ix,PKM-MANDIANGIN,PERAWAT,,,,197001012000011002,,",
    "197001012000011002,Hendra Gunawan,PNS,L,01-01-1970,IV/c,DINKES,SEKDIS,Sekretaris Dinas,struktural,12,,AKTIF,",
]


def preview(org, upload_file, kind="employees"):
    with in_region(org.region):
        return imports.preview_import(kind=kind, uploaded_file=upload_file, actor=org.hr)


def errors_by_row(batch):
    return {(error["row"], error["field"]): error["reason"] for error in batch.errors}


def test_good_file_previews_without_saving_then_applies_everything(org):
    batch = preview(org, csv_file([HEADER, *GOOD_ROWS]))
    assert batch.errors == [] and batch.status == ImportStatus.PREVIEWED
    assert (batch.total_rows, batch.to_create, batch.to_update) == (3, 3, 0)
    assert [row["new_position"] for row in batch.plan] == ["ANALIS-KES", "", "SEKDIS"]
    with in_region(org.region):
        assert not Employee.objects.filter(nip="198503152010011001").exists()
        assert not Position.objects.filter(code="SEKDIS").exists()
        batch = imports.apply_import(batch, actor=org.hr)
        assert batch.status == ImportStatus.APPLIED and batch.applied_by == org.hr and batch.applied_at
        joko = Employee.objects.select_related("supervisor", "position").get(nip="198503152010011001")
        maya = Employee.objects.get(nip="199104042022212003")
        assert joko.supervisor.full_name == "Hendra Gunawan" and maya.supervisor == joko.supervisor
        assert (maya.rank, maya.gender, maya.birth_date) == ("IX", "F", datetime.date(1991, 4, 4))
        assert (joko.position.title, joko.position.kind, joko.position.position_class) == (
            "Analis Kesehatan", "fungsional", 9)
        assert joko.email == "joko@example.go.id" and maya.status == "active"
        apply_entry = AuditEntry.objects.get(action="people.import.apply")
        assert apply_entry.target_id == str(batch.pk) and apply_entry.actor_id == org.hr.pk
        assert apply_entry.after["created"] == 3 and apply_entry.after["positions_created"] == ["ANALIS-KES", "SEKDIS"]
        assert AuditEntry.objects.filter(action="people.employee.create").count() == 5 + 3


def test_a_new_position_is_described_once_and_later_rows_may_leave_its_columns_empty(org):
    second_analyst = "198706202011012004,Rina Putri,PNS,P,1987-06-20,III/c,DINKES,ANALIS-KES,,,,197001012000011002,AKTIF,"
    batch = preview(org, csv_file([HEADER, *GOOD_ROWS, second_analyst]))
    assert batch.errors == [] and batch.to_create == 4
    described_again_otherwise = second_analyst.replace("ANALIS-KES,,,,", "ANALIS-KES,Analis Kesehatan,fungsional,8,")
    refused = preview(org, csv_file([HEADER, *GOOD_ROWS, described_again_otherwise]))
    assert errors_by_row(refused) == {(5, "KODE_JABATAN"): "new position ANALIS-KES is described differently on row 2"}


def test_headers_in_other_case_and_spacing_and_a_bom_are_read(org):
    header = " nip ;Nama; jenis pegawai;Jenis Kelamin;tanggal_lahir;Golongan;kode unit;Kode Jabatan"
    row = "198503152010011001;Joko Susilo;pns;l;15-03-1985;III/B;DINKES;PENGADM"
    batch = preview(org, csv_file([header, row], bom=True))
    assert batch.errors == [] and batch.to_create == 1


def test_each_kind_of_bad_row_is_listed_with_row_field_and_reason(org):
    rows = [
        HEADER,
        # 2: birth date part of the NIP is not a date
        "198513152010011001,A,PNS,L,1985-03-15,III/b,DINKES,PENGADM,,,,,,",
        # 3: valid, and 4 repeats its NIP
        "198503152010011001,B,PNS,L,1985-03-15,III/b,DINKES,PENGADM,,,,,,",
        "198503152010011001,C,PNS,L,1985-03-15,III/b,DINKES,PENGADM,,,,,,",
        # 5: unknown unit
        "199001012015031001,D,PNS,L,1990-01-01,III/a,DINSOS,PENGADM,,,,,,",
        # 6: a PPPK with a PNS golongan
        "199104042022212003,E,PPPK,P,1991-04-04,III/a,DINKES,PENGADM,,,,,,",
        # 7: supervisor nobody has
        "199202022016032001,F,PNS,P,1992-02-02,III/a,DINKES,PENGADM,,,,199909092020011001,,",
        # 8: a date that is not a date
        "199303032017041001,G,PNS,L,31-02-1993,III/a,DINKES,PENGADM,,,,,,",
        # 9: NIP birth date and gender disagree with the columns
        "199404042018052001,H,PNS,L,1994-04-05,III/a,DINKES,PENGADM,,,,,,",
        # 10: new position without its description
        "199505052019061001,I,PNS,L,1995-05-05,III/a,DINKES,BARU,,,,,,",
    ]
    batch = preview(org, csv_file(rows))
    found = errors_by_row(batch)
    assert "digits 1-8" in found[(2, "NIP")]
    assert (3, "NIP") not in found
    assert "also on row 3" in found[(4, "NIP")]
    assert "unknown unit DINSOS" in found[(5, "KODE_UNIT")]
    assert "PNS golongan" in found[(6, "GOLONGAN")]
    assert "199909092020011001" in found[(7, "NIP_ATASAN")]
    assert "not a date" in found[(8, "TANGGAL_LAHIR")]
    nip_9 = " ".join(e["reason"] for e in batch.errors if e["row"] == 9)
    assert "1994-04-05" in nip_9 and "digit 15" in nip_9
    assert {(10, "NAMA_JABATAN"), (10, "JENIS_JABATAN"), (10, "KELAS_JABATAN")} <= set(found)
    assert batch.error_count == len(batch.errors) and not batch.can_apply and batch.plan == []
    with in_region(org.region), pytest.raises(imports.ImportRefused):
        imports.apply_import(batch, actor=org.hr)
    with in_region(org.region):
        assert not Employee.objects.filter(nip="198503152010011001").exists()


def test_a_file_with_one_bad_row_saves_nothing(org):
    bad = GOOD_ROWS[2].replace("IV/c", "IV/f")
    batch = preview(org, csv_file([HEADER, GOOD_ROWS[0], GOOD_ROWS[1], bad]))
    assert [(e["row"], e["field"]) for e in batch.errors] == [(4, "GOLONGAN")]
    with in_region(org.region):
        with pytest.raises(imports.ImportRefused):
            imports.apply_import(batch, actor=org.hr)
        assert Employee.objects.count() == 5 and not Position.objects.filter(code="ANALIS-KES").exists()
        assert not AuditEntry.objects.filter(action="people.import.apply").exists()


def test_missing_required_column(org):
    header = HEADER.replace("GOLONGAN,", "")
    row = "198503152010011001,Joko,PNS,L,1985-03-15,DINKES,PENGADM,,,,,,"
    batch = preview(org, csv_file([header, row]))
    assert batch.errors == [{"row": 1, "field": "GOLONGAN", "reason": "required column GOLONGAN is missing"}]


def test_a_windows_1252_file_from_excel_csv_is_read_with_its_accents(org):
    """Excel's plain "CSV (Comma delimited)" writes Windows-1252, not UTF-8."""
    lines = [HEADER, "198503152010011001,Joko Susilo’s Désirée,PNS,L,1985-03-15,III/b,DINKES,PENGADM,,,,,,"]
    batch = preview(org, csv_file(lines, encoding="cp1252"))
    assert batch.errors == []
    assert batch.plan[0]["name"] == "Joko Susilo’s Désirée"


def test_old_excel_files_are_explained(org):
    batch = preview(org, upload("pegawai.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))
    assert ".xls" in batch.errors[0]["reason"]


def test_a_supervisor_loop_inside_the_file_is_refused(org):
    rows = [HEADER,
            "198503152010011001,A,PNS,L,1985-03-15,III/b,DINKES,PENGADM,,,,197001012000011002,,",
            "197001012000011002,B,PNS,L,1970-01-01,IV/c,DINKES,PENGADM,,,,198503152010011001,,"]
    found = errors_by_row(preview(org, csv_file(rows)))
    assert "loop" in found[(2, "NIP_ATASAN")] and "loop" in found[(3, "NIP_ATASAN")]


def test_a_loop_through_registered_employees_is_refused(org):
    # Budi supervises Sari; making Sari Budi's supervisor by file closes a loop.
    rows = [HEADER, f"{NIP_BUDI},Budi Santoso,PNS,L,1975-06-12,IV/b,DINKES,KADIS,,,,{NIP_SARI},,"]
    assert "loop" in errors_by_row(preview(org, csv_file(rows)))[(2, "NIP_ATASAN")]


def test_a_nip_typed_as_a_number_in_excel_is_flagged(org):
    file = xlsx_file([HEADER.split(","),
                      [198503152010011000, "Joko", "PNS", "L", "1985-03-15", "III/b", "DINKES", "PENGADM"]])
    batch = preview(org, file)
    assert "Text" in errors_by_row(batch)[(2, "NIP")]


def test_existing_employees_are_updated_by_nip(org):
    rows = [HEADER, f"{NIP_ANDI},Andi Pratama,PNS,L,1990-01-15,III/b,DISDIK,PENGADM,,,,,PENSIUN,"]
    batch = preview(org, csv_file(rows))
    assert batch.to_update == 1 and batch.to_create == 0
    changes = batch.plan[0]["changes"]
    assert "GOLONGAN: III/a → III/b" in changes and "STATUS: active → retired" in changes
    # NIP_ATASAN is present and blank, so Andi no longer reports to Dewi.
    assert any(change.startswith("NIP_ATASAN:") for change in changes)
    with in_region(org.region):
        imports.apply_import(batch, actor=org.hr)
        andi = Employee.objects.get(nip=NIP_ANDI)
        assert (andi.rank, andi.status, andi.supervisor_id) == ("III/b", "retired", None)
        entry = AuditEntry.objects.get(action="people.employee.update", target_id=str(andi.pk))
        assert entry.before["rank"] == "III/a" and entry.reason == "spreadsheet import"


def test_a_second_apply_of_the_same_batch_is_refused(org):
    batch = preview(org, csv_file([HEADER, *GOOD_ROWS]))
    with in_region(org.region):
        imports.apply_import(batch, actor=org.hr)
        with pytest.raises(imports.ImportRefused, match="already applied"):
            imports.apply_import(batch, actor=org.hr)
        assert Employee.objects.count() == 5 + 3
        assert AuditEntry.objects.filter(action="people.import.apply").count() == 1


def test_the_file_is_judged_again_at_apply_and_nothing_is_saved_when_it_no_longer_fits(org):
    batch = preview(org, csv_file([HEADER, *GOOD_ROWS]))
    with in_region(org.region):
        # Between preview and apply the Puskesmas gets another code, so row 3 points at nothing.
        from kinerja.people import services
        services.update_unit(org.puskesmas, actor=org.hr, code="PKM-MDG")
        batch = imports.apply_import(batch, actor=org.hr)
        assert batch.status == ImportStatus.FAILED
        assert [(e["row"], e["field"]) for e in batch.errors] == [(3, "KODE_UNIT")]
        assert Employee.objects.count() == 5 and not Position.objects.filter(code="SEKDIS").exists()
        with pytest.raises(imports.ImportRefused):
            imports.apply_import(batch, actor=org.hr)


def test_the_batch_keeps_the_file_and_who_uploaded_it(org):
    content = ("\n".join([HEADER, *GOOD_ROWS]) + "\n").encode()
    batch = preview(org, upload("januari.csv", content))
    with in_region(org.region):
        stored = ImportBatch.objects.get(pk=batch.pk)
        with stored.file.open("rb") as handle:
            assert handle.read() == content
        assert org.region.schema_name in stored.file.path  # the default storage keeps regions apart
        assert (stored.uploaded_by, stored.original_name, stored.kind) == (org.hr, "januari.csv", "employees")


# --- export and round trip -------------------------------------------------------------------------------

def test_export_then_import_round_trips(org):
    with in_region(org.region):
        content = exports.export_employees(Employee.objects.all())
    sheet = load_workbook(io.BytesIO(content)).active
    assert [cell.value for cell in sheet[1]] == imports.EMPLOYEE_COLUMNS
    assert sheet.max_row == 6
    batch = preview(org, upload("pegawai.xlsx", content))
    assert batch.errors == [] and (batch.unchanged, batch.to_create, batch.to_update) == (5, 0, 0)

    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook.active
    rank_column = imports.EMPLOYEE_COLUMNS.index("GOLONGAN") + 1
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value == NIP_ANDI:
            sheet.cell(row=row, column=rank_column).value = "III/b"
    edited = io.BytesIO()
    workbook.save(edited)
    batch = preview(org, upload("pegawai.xlsx", edited.getvalue()))
    assert (batch.unchanged, batch.to_update) == (4, 1)
    with in_region(org.region):
        imports.apply_import(batch, actor=org.hr)
        assert Employee.objects.get(nip=NIP_ANDI).rank == "III/b"
        assert Employee.objects.get(nip=NIP_SARI).supervisor == org.budi


# --- units -----------------------------------------------------------------------------------------------

UNIT_HEADER = "KODE_UNIT,NAMA_UNIT,JENIS,TIPE,KODE_INDUK"


def test_units_import_builds_the_tree_with_children_before_parents(org):
    rows = [UNIT_HEADER,
            "SD-01,SD Negeri 01 Bukittinggi,sub_unit,sekolah,DISDIK-BID",
            "DISDIK-BID,Bidang Pembinaan SD,SUB UNIT,lainnya,DISDIK",
            "DINSOS,Dinas Sosial,opd,dinas,",
            "PKM-MANDIANGIN,Puskesmas Mandiangin Kota,sub_unit,puskesmas,DINSOS"]
    batch = preview(org, csv_file(rows, name="unit.csv"), kind="units")
    assert batch.errors == [] and (batch.to_create, batch.to_update) == (3, 1)
    with in_region(org.region):
        imports.apply_import(batch, actor=org.hr)
        school = Unit.objects.get(code="SD-01")
        bidang = Unit.objects.get(code="DISDIK-BID")
        dinsos = Unit.objects.get(code="DINSOS")
        assert school.path == f"/{org.disdik.pk}/{bidang.pk}/{school.pk}/" and school.unit_type == "sekolah"
        moved = Unit.objects.get(code="PKM-MANDIANGIN")
        assert moved.path == f"/{dinsos.pk}/{moved.pk}/" and moved.name == "Puskesmas Mandiangin Kota"


def test_units_import_errors(org):
    rows = [UNIT_HEADER,
            "A1,Unit A,sub_unit,,B1",
            "B1,Unit B,sub_unit,,A1",
            "C1,Unit C,sub_unit,,NOWHERE",
            "A1,Unit A lagi,opd,,",
            "D1,Unit D,cabang,kantor,",
            "DINKES,Dinas Kesehatan,sub_unit,dinas,PKM-MANDIANGIN",
            "E1,Unit E,sub_unit,,"]
    found = errors_by_row(preview(org, csv_file(rows, name="unit.csv"), kind="units"))
    assert "loop" in found[(2, "KODE_INDUK")] and "loop" in found[(3, "KODE_INDUK")]
    assert "NOWHERE" in found[(4, "KODE_INDUK")]
    assert "also on row 2" in found[(5, "KODE_UNIT")]
    assert (6, "JENIS") in found and (6, "TIPE") in found
    assert "loop" in found[(7, "KODE_INDUK")]  # DINKES under its own Puskesmas
    assert "needs a parent" in found[(8, "KODE_INDUK")]


def test_unit_export_round_trips(org):
    with in_region(org.region):
        content = exports.export_units(Unit.objects.all())
    batch = preview(org, upload("unit.xlsx", content), kind="units")
    assert batch.errors == [] and batch.unchanged == 3
