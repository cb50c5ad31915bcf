"""Applying an employee import writes in bulk: the number of queries does not grow with the rows (it did by
about nine a row), while each created or changed employee keeps the audit entry the single services write,
and the rules of those services still refuse a row by its number with nothing written."""
import datetime

import pytest

from kinerja.audit.models import AuditEntry
from kinerja.people import imports, services
from kinerja.people.models import Employee, EmployeeStatus, ImportStatus
from tests.helpers import capture_queries, in_region
from tests.people.conftest import NIP_ANDI, csv_file

pytestmark = pytest.mark.django_db

HEADER = "NIP,NAMA,JENIS_PEGAWAI,JENIS_KELAMIN,TANGGAL_LAHIR,GOLONGAN,KODE_UNIT,KODE_JABATAN,NIP_ATASAN,STATUS"
HEAD_NIP = "197001012000011002"


def rows(count: int, first: int = 1) -> list[str]:
    """A head of unit and `count` staff reporting to them (new employees, all in DINKES)."""
    lines = [f"{HEAD_NIP},Kepala Baru,PNS,L,1970-01-01,IV/c,DINKES,STAFF-DINKES,,AKTIF"]
    for number in range(first, first + count):
        lines.append(f"{nip_of(number)},Pegawai {number},PNS,L,1985-03-15,III/b,DINKES,"
                     f"STAFF-DINKES,{HEAD_NIP},AKTIF")
    return lines


def nip_of(number: int) -> str:
    """Born 1985-03-15, CPNS January 2010, male, sequence `number`."""
    return f"198503152010011{number:03d}"


def apply_counting(org, lines: list[str]) -> tuple[object, int]:
    with in_region(org.region):
        batch = imports.preview_import(kind="employees", uploaded_file=csv_file([HEADER, *lines]), actor=org.hr)
        assert batch.errors == [], batch.errors[:3]
        with capture_queries() as captured:
            batch = imports.apply_import(batch, actor=org.hr)
        assert batch.status == ImportStatus.APPLIED, batch.errors
    return batch, len(captured)


@pytest.fixture
def staff_position(org):
    with in_region(org.region):
        return services.create_position(actor=org.hr, code="STAFF-DINKES", title="Staf", kind="pelaksana",
                                        position_class=5)


def test_applying_costs_the_same_queries_for_5_rows_as_for_40(org, staff_position):
    _batch, few = apply_counting(org, rows(5))
    with in_region(org.region):
        Employee.objects.filter(nip__in=[HEAD_NIP, *(nip_of(n) for n in range(1, 6))]).delete()
    _batch, many = apply_counting(org, rows(40))
    assert many == few


def test_each_created_and_changed_employee_has_the_single_services_audit_entry(org, staff_position):
    apply_counting(org, rows(3))
    with in_region(org.region):
        created = Employee.objects.get(nip=nip_of(2))
        entry = AuditEntry.objects.get(action="people.employee.create", target_id=str(created.pk))
        assert entry.actor_id == org.hr.pk and entry.target_type == "people.employee"
        assert entry.target_repr == str(created) and entry.before is None
        assert entry.after == {"nip": created.nip, "employee_type": "PNS", "full_name": "Pegawai 2", "gender": "M",
                               "birth_date": "1985-03-15", "rank": "III/b", "status": "active",
                               "unit_id": created.unit_id, "position_id": staff_position.pk,
                               "supervisor_id": Employee.objects.get(nip=HEAD_NIP).pk, "user_id": None, "email": "",
                               "contract_ends_on": None}
    changed = rows(3)
    changed[2] = changed[2].replace("Pegawai 2", "Pegawai Dua").replace(",AKTIF", ",PENSIUN")
    batch, _queries = apply_counting(org, changed)
    assert (batch.to_create, batch.to_update, batch.unchanged) == (0, 1, 3)
    with in_region(org.region):
        entry = AuditEntry.objects.get(action="people.employee.update", target_id=str(created.pk))
        assert entry.reason  # "spreadsheet import", in the language of the request
        assert (entry.before["full_name"], entry.after["full_name"]) == ("Pegawai 2", "Pegawai Dua")
        assert (entry.before["status"], entry.after["status"]) == ("active", "retired")
        assert AuditEntry.objects.filter(action="people.employee.update").count() == 1  # unchanged rows: none


def test_an_employee_leaving_by_import_loses_their_login(org):
    from tests.factories import make_login

    with in_region(org.region):
        andi = Employee.objects.select_related("unit", "position", "supervisor").get(nip=NIP_ANDI)
        user = make_login("employee", "andi-login")
        services.link_user(andi, user, actor=org.hr)
        line = (f"{andi.nip},{andi.full_name},PNS,L,{andi.birth_date:%Y-%m-%d},{andi.rank},{andi.unit.code},"
                f"{andi.position.code},{andi.supervisor.nip if andi.supervisor else ''},BERHENTI")
        batch = imports.preview_import(kind="employees", uploaded_file=csv_file([HEADER, line]), actor=org.hr)
        batch = imports.apply_import(batch, actor=org.hr)
        assert batch.status == ImportStatus.APPLIED, batch.errors
        user.refresh_from_db()
        assert Employee.objects.get(pk=andi.pk).status == EmployeeStatus.TERMINATED and not user.is_active
        assert AuditEntry.objects.filter(action="accounts.login.closed", target_id=str(user.pk)).exists()


def test_the_bulk_services_refuse_a_record_by_its_place_and_write_nothing(org, staff_position):
    def new(nip: str, name: str = "Pegawai Baru", **changes) -> Employee:
        return Employee(**{"nip": nip, "employee_type": "PNS", "full_name": name, "gender": "M",
                           "birth_date": datetime.date(1985, 3, 15), "rank": "III/b", "unit": org.dinkes,
                           "position": staff_position, **changes})

    with in_region(org.region):
        count, entries = Employee.objects.count(), AuditEntry.objects.count()
        for employees, index, field in [
            ([new(nip_of(1)), new(nip_of(2)), new(NIP_ANDI)], 2, "nip"),  # already someone's
            ([new(nip_of(1)), new(nip_of(1))], 1, "nip"),  # twice in one list
            ([new(nip_of(1)), new(nip_of(2), name="  ")], 1, "full_name"),
            ([new(nip_of(1), birth_date=datetime.date(1986, 3, 15))], 0, "nip"),  # the NIP says 1985
        ]:
            with pytest.raises(services.RowRefused) as refused:
                services.create_employees_in_bulk(actor=org.hr, employees=employees)
            assert refused.value.index == index and field in refused.value.error.message_dict
        with pytest.raises(services.RowRefused) as refused:
            services.update_employees_in_bulk(actor=org.hr, changes=[
                (NIP_ANDI, {"full_name": "Andi P."}), (org.dewi.nip, {"supervisor": Employee.objects.get(nip=NIP_ANDI)})])
        assert refused.value.index == 1 and "supervisor" in refused.value.error.message_dict  # a loop
        assert (Employee.objects.count(), AuditEntry.objects.count()) == (count, entries)
