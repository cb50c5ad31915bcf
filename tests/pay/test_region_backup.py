"""A region backed up into one file and restored as a new region holds the same rows, pay totals and
uploaded files; a restore never replaces a region and refuses a backup from other code."""
import datetime
import io
import json
import tarfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_context
from kinerja.accounts.models import User
from kinerja.audit.models import AuditEntry
from kinerja.pay import services
from kinerja.pay.models import PayRun, PayRunStatus, PaySettings
from kinerja.people.models import Employee

from tenants.backup import backup_region, restore_region, schema_row_counts
from tenants.models import Region, RegionStatus
from tests.factories import make_employee
from tests.pay.factories import paid_staff_for_march, computed_run

MARCH = datetime.date(2025, 3, 1)
PNG = b"\x89PNG\r\n\x1a\n" + b"logo bytes " * 40


def pay_checksum(schema: str) -> tuple[int, str]:
    """Number of pay results and an md5 over every run's totals, every result's amounts and every line."""
    quoted = connection.ops.quote_name(schema)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            SELECT (SELECT count(*) FROM {quoted}.pay_payresult),
                   md5(concat(
                     (SELECT string_agg(concat_ws('|', month, status, total_earnings, total_deductions,
                                                  total_contributions, total_net), ';' ORDER BY month)
                      FROM {quoted}.pay_payrun),
                     (SELECT string_agg(concat_ws('|', nip, earnings, deductions, contributions, net), ';'
                                        ORDER BY nip) FROM {quoted}.pay_payresult),
                     (SELECT string_agg(concat_ws('|', r.nip, l.code, l.kind, l.amount), ';'
                                        ORDER BY r.nip, l.position, l.code)
                      FROM {quoted}.pay_payline l JOIN {quoted}.pay_payresult r ON r.id = l.result_id)))""")
        return cursor.fetchone()


@pytest.fixture
def staff(in_a, hr, unit):
    return paid_staff_for_march(hr, unit)


@pytest.fixture
def approved_region(staff, hr, checker, media):
    run = computed_run(MARCH, hr, approve_with=checker)
    assert run.status == PayRunStatus.APPROVED and run.total_net > 0
    services.set_document_logo(actor=hr, content=PNG, filename="logo.png")
    return Region.objects.get(schema_name="bukittinggi")


def test_a_restored_region_has_every_row_the_pay_totals_and_the_files(approved_region, hr, unit, tmp_path, media):
    source = approved_region.schema_name
    logo_name = PaySettings.objects.get().document_logo.name
    backup = tmp_path / "bukittinggi.tar.gz"
    manifest = backup_region(approved_region, backup)
    assert manifest["tables"]["pay_payresult"]["rows"] == 12
    assert manifest["files"] == [logo_name]

    result = restore_region(backup, "bukittinggicopy", name="Kota Bukittinggi (restored)", actor=None)

    assert result.region.schema_name == "bukittinggicopy" and result.region.status == RegionStatus.ACTIVE
    assert result.region.region_code is None  # 13.75 still belongs to the running region
    original, restored = schema_row_counts(source), schema_row_counts("bukittinggicopy")
    assert restored == original and original["people_employee"] >= 12
    assert pay_checksum("bukittinggicopy") == pay_checksum(source)
    assert pay_checksum(source)[0] == 12
    assert (media / "bukittinggicopy" / logo_name).read_bytes() == PNG
    with schema_context("bukittinggicopy"):
        assert PaySettings.objects.get().document_logo.read() == PNG
        # complete, unlike the operator's archive: the password hash signs the same person in
        assert User.objects.get(username=hr.username).password == hr.password
        assert PayRun.objects.get(month=MARCH).status == PayRunStatus.APPROVED
        # every sequence continues after the restored rows
        employee_ids = set(Employee.objects.values_list("pk", flat=True))
        assert make_employee(unit, "Pegawai Baru").pk > max(employee_ids)
        audit_ids = set(AuditEntry.objects.values_list("pk", flat=True))
        entry = AuditEntry.objects.create(action="test.after_restore", target_type="x", target_id="1")
        assert entry.pk > max(audit_ids)
    with schema_context("public"):  # the operator's trail names the restore
        assert AuditEntry.objects.filter(action="region.restored", target_id=str(result.region.pk)).exists()


def test_a_restore_never_replaces_a_region(approved_region, tmp_path):
    backup = tmp_path / "b.tar.gz"
    backup_region(approved_region, backup)
    for slug in ("bukittinggi", "batanghari", "public"):
        with pytest.raises(ValidationError) as refused:
            restore_region(backup, slug)
        assert "slug" in refused.value.message_dict
    assert Region.objects.filter(schema_name__in=["bukittinggi", "batanghari"]).count() == 2


def test_a_backup_from_other_migrations_is_refused_and_nothing_is_made(approved_region, tmp_path):
    backup, altered = tmp_path / "b.tar.gz", tmp_path / "altered.tar.gz"
    backup_region(approved_region, backup)
    with tarfile.open(backup, "r:gz") as source, tarfile.open(altered, "w:gz") as target:
        for member in source.getmembers():
            content = source.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(content)
                manifest["migrations"] = [m for m in manifest["migrations"] if m != ["pay", "0010_pay_line_explanation_as_text"]]
                manifest["migrations"].append(["pay", "9999_from_the_future"])
                content = json.dumps(manifest).encode()
            member.size = len(content)
            target.addfile(member, io.BytesIO(content))
    with pytest.raises(ValidationError) as refused:
        restore_region(altered, "bukittinggiold")
    message = " ".join(refused.value.message_dict["migrations"])
    assert "pay.0010_pay_line_explanation_as_text" in message and "pay.9999_from_the_future" in message
    assert not Region.objects.filter(schema_name="bukittinggiold").exists()


def test_the_commands_back_up_and_restore(approved_region, tmp_path, capsys):
    backup = tmp_path / "cmd.tar.gz"
    call_command("backup_region", "bukittinggi", output=str(backup))
    call_command("restore_region", str(backup), "bukittinggitwo")
    out = capsys.readouterr().out
    assert "restored as 'bukittinggitwo'" in out
    assert schema_row_counts("bukittinggitwo") == schema_row_counts("bukittinggi")
    from django.core.management.base import CommandError
    with pytest.raises(CommandError, match="already exists"):
        call_command("restore_region", str(backup), "bukittinggitwo")
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup_region", "bukittinggi", output=str(backup))
