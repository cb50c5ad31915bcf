"""Bank accounts: checks, maker and checker, imports with row errors, transfer files in every format
against committed samples, and the run's separation of duties."""
from __future__ import annotations

import datetime
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.pay import bank_accounts, bank_files, selectors, services
from kinerja.pay.models import (
    Bank,
    BankAccount,
    BankAccountChange,
    ChangeStatus,
    NameCheck,
)
from kinerja_plugin_api.banking import (
    GENERIC_CSV,
    TransferBatch,
    TransferLine,
    parse_layout,
)

from tests.factories import make_employee, make_login
from tests.helpers import english_client as client_for
from tests.pay.factories import computed_run, use_pay_plugin

SAMPLES = Path(__file__).parent / "samples"
MARCH = datetime.date(2025, 3, 1)


@pytest.fixture
def nagari(in_a):
    return Bank.objects.get(code="118")


@pytest.fixture
def bni(in_a):
    return Bank.objects.get(code="009")


def approved(employee, bank, number, holder, maker, checker, note=""):
    change = bank_accounts.request_change(actor=maker, employee=employee, bank=bank, account_number=number,
                                          holder_name=holder, note=note)
    return bank_accounts.approve_change(change, actor=checker)


# --- the holder's name ------------------------------------------------------------------------------
@pytest.mark.parametrize("employee, holder, expected", [
    ("Dr. Budi Santoso, M.Kes.", "BUDI SANTOSO", NameCheck.SAME),
    ("Hj. Siti Aminah, S.Pd.", "siti aminah", NameCheck.SAME),
    ("Muhammad Ridwan Hakim", "M. RIDWAN HAKIM", NameCheck.SIMILAR),
    ("Muhammad Ridwan Hakim", "MUHAMMAD RIDWAN", NameCheck.SIMILAR),
    ("Muhammad Ridwan Hakim", "RIDWAN HAKIM", NameCheck.DIFFERENT),
    ("Budi Santoso", "ANDI WIJAYA", NameCheck.DIFFERENT),
    ("Budi Santoso", "", NameCheck.DIFFERENT),
])
def test_holder_name_is_compared_with_the_employees(employee, holder, expected):
    assert bank_accounts.holder_name_check(employee, holder) == expected


# --- checks and maker-checker ------------------------------------------------------------------------
def test_account_number_rules_come_from_the_banks_data(in_a, hr, unit, bni, nagari):
    employee = make_employee(unit, "Budi Santoso")
    with pytest.raises(ValidationError) as refused:
        bank_accounts.request_change(actor=hr, employee=employee, bank=bni, account_number="12345",
                                     holder_name="Budi Santoso")
    assert "have 10 digits; this one has 5" in str(refused.value.message_dict["account_number"])
    with pytest.raises(ValidationError) as refused:
        bank_accounts.request_change(actor=hr, employee=employee, bank=bni, account_number="12345678AB",
                                     holder_name="Budi Santoso")
    assert "digits only" in str(refused.value.message_dict["account_number"])
    # Bank Nagari publishes no length: any 6 to 20 digits, until the region sets its bank's rule
    change = bank_accounts.request_change(actor=hr, employee=employee, bank=nagari, account_number="2101.0400-1234",
                                          holder_name="BUDI SANTOSO")
    assert change.account_number == "210104001234"
    bank_accounts.set_bank(actor=hr, code="118", name="Bank Nagari", account_lengths=[13],
                           source="Surat Bank Nagari cabang Bukittinggi")
    nagari.refresh_from_db()
    other = make_employee(unit, "Andi Wijaya")
    with pytest.raises(ValidationError, match="have 13 digits"):
        bank_accounts.request_change(actor=hr, employee=other, bank=nagari, account_number="210104001234",
                                     holder_name="Andi Wijaya")
    assert AuditEntry.objects.filter(action="pay.bank_set", target_id=str(nagari.pk)).exists()


def test_a_change_is_used_only_once_another_hr_admin_approves_it(in_a, hr, checker, unit, nagari):
    employee = make_employee(unit, "Budi Santoso")
    change = bank_accounts.request_change(actor=hr, employee=employee, bank=nagari, account_number="2101040012345",
                                          holder_name="Budi Santoso")
    assert not BankAccount.objects.filter(employee=employee).exists()  # waiting: not used
    with pytest.raises(PermissionDenied, match="another HR admin must approve"):
        bank_accounts.approve_change(change, actor=hr)
    employee_login = employee.user
    with pytest.raises(PermissionDenied):
        bank_accounts.approve_change(change, actor=employee_login)
    account = bank_accounts.approve_change(change, actor=checker, note="checked against the bank book")
    assert (account.bank_code, account.account_number, account.account_name) == ("118", "2101040012345", "Budi Santoso")
    change.refresh_from_db()
    assert change.status == ChangeStatus.APPROVED and change.decided_by == checker
    entry = AuditEntry.objects.get(action="pay.bank_account_changed", target_id=str(account.pk))
    assert entry.before is None and entry.after["account_number"] == "2101040012345" and entry.actor_id == checker.pk
    # a second change replaces nothing until approved; a rejection keeps the account in force
    second = bank_accounts.request_change(actor=hr, employee=employee, bank=nagari, account_number="2101040099999",
                                          holder_name="Budi Santoso")
    with pytest.raises(ValidationError, match="Write why"):
        bank_accounts.reject_change(second, actor=checker, note="")
    bank_accounts.reject_change(second, actor=checker, note="The bank book shows another number")
    account.refresh_from_db()
    assert account.account_number == "2101040012345"
    with pytest.raises(ValidationError, match="already rejected"):
        bank_accounts.approve_change(second, actor=checker)


def test_a_different_holder_name_needs_a_note_and_one_account_pays_one_employee(in_a, hr, checker, unit, nagari):
    budi, andi = make_employee(unit, "Budi Santoso"), make_employee(unit, "Andi Wijaya")
    with pytest.raises(ValidationError) as refused:
        bank_accounts.request_change(actor=hr, employee=budi, bank=nagari, account_number="2101040012345",
                                     holder_name="Siti Aminah")
    assert "differs from the employee's name" in str(refused.value.message_dict["note"])
    change = bank_accounts.request_change(actor=hr, employee=budi, bank=nagari, account_number="2101040012345",
                                          holder_name="Siti Aminah", note="Joint account with his wife (letter 12/2025)")
    assert change.name_check == NameCheck.DIFFERENT
    bank_accounts.approve_change(change, actor=checker)
    with pytest.raises(ValidationError, match=f"already NIP {budi.nip}'s"):
        bank_accounts.request_change(actor=hr, employee=andi, bank=nagari, account_number="2101040012345",
                                     holder_name="Andi Wijaya")


def test_only_hr_enters_and_approves_accounts(in_a, hr, unit, nagari):
    employee = make_employee(unit, "Budi Santoso")
    for role in (Role.LEADERSHIP, Role.AUDITOR, Role.EMPLOYEE):
        other = make_login(role, f"bank-{role}", "Other")
        with pytest.raises(PermissionDenied):
            bank_accounts.request_change(actor=other, employee=employee, bank=nagari, account_number="2101040012345",
                                         holder_name="Budi Santoso")
        assert client_for(in_a, other).get("/pay/bank-accounts/").status_code == 403
        assert client_for(in_a, other).get("/api/v1/bank-account-changes/").status_code == 403
    change = bank_accounts.request_change(actor=hr, employee=employee, bank=nagari, account_number="2101040012345",
                                          holder_name="Budi Santoso")
    auditor = make_login(Role.AUDITOR, "bank-auditor-2", "Auditor")
    with pytest.raises(PermissionDenied):
        bank_accounts.approve_change(change, actor=auditor)


def test_another_regions_hr_finds_nothing(in_a, region_b, hr, unit, nagari):
    from tests.helpers import in_region

    employee = make_employee(unit, "Budi Santoso")
    change = bank_accounts.request_change(actor=hr, employee=employee, bank=nagari, account_number="2101040012345",
                                          holder_name="Budi Santoso")
    with in_region(region_b):
        other_hr = make_login(Role.HR_ADMIN, "bank-hr-b", "HR B")
    response = client_for(region_b, other_hr).post(f"/api/v1/bank-account-changes/{change.pk}/approve/", {},
                                                   content_type="application/json")
    assert response.status_code == 404
    with in_region(in_a):
        change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_the_api_enters_and_approves_with_two_people(in_a, hr, checker, unit, nagari):
    employee = make_employee(unit, "Budi Santoso")
    maker = client_for(in_a, hr)
    created = maker.post("/api/v1/bank-account-changes/", {"nip": employee.nip, "bank_code": "118",
                                                           "account_number": "2101040012345",
                                                           "holder_name": "BUDI SANTOSO"},
                         content_type="application/json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert maker.post(f"/api/v1/bank-account-changes/{pk}/approve/", {}, content_type="application/json").status_code == 403
    bad = maker.post("/api/v1/bank-account-changes/", {"nip": employee.nip, "bank_code": "009",
                                                       "account_number": "1", "holder_name": "Budi"},
                     content_type="application/json")
    assert bad.status_code == 400 and "account_number" in bad.json()
    done = client_for(in_a, checker).post(f"/api/v1/bank-account-changes/{pk}/approve/", {"note": "ok"},
                                          content_type="application/json")
    assert done.status_code == 200 and done.json()["status"] == "approved"
    listed = maker.get(f"/api/v1/bank-accounts/?nip={employee.nip}").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [row["account_number"] for row in rows] == ["2101040012345"]


# --- imports --------------------------------------------------------------------------------------
def test_import_names_every_bad_row_and_saves_nothing(in_a, hr, unit, nagari):
    budi, andi = make_employee(unit, "Budi Santoso"), make_employee(unit, "Andi Wijaya")
    content = ("Daftar rekening TPP;;;;\n"
               "NIP;SANDI_BANK;NOMOR_REKENING;ATAS_NAMA;KETERANGAN\n"
               f"{budi.nip};118;2101040012345;BUDI SANTOSO;\n"
               f"{andi.nip};009;12345;ANDI WIJAYA;\n"
               "199901012020011999;118;2101040099999;SIAPA;\n"
               f"{andi.nip};777;2101040055555;Siti Aminah;\n").encode()
    outcome = bank_accounts.import_accounts(actor=hr, content=content, filename="rekening.csv")
    assert outcome.changes == [] and outcome.total_rows == 4
    found = {(e["row"], e["field"]) for e in outcome.errors}
    assert {(4, "NO_REKENING"), (5, "NIP"), (6, "NIP"), (6, "KODE_BANK"), (6, "KETERANGAN")} <= found
    assert (3, "NIP") not in found and not any(e["row"] == 3 for e in outcome.errors)
    assert not BankAccountChange.objects.exists()


def test_import_from_xlsx_makes_changes_waiting_for_approval(in_a, hr, checker, unit, nagari, bni):
    from openpyxl import Workbook

    budi, andi = make_employee(unit, "Budi Santoso"), make_employee(unit, "Andi Wijaya")
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIP", "KODE_BANK", "NO_REKENING", "NAMA_REKENING"])
    sheet.append([budi.nip, 118, 2101040012345, "Budi Santoso"])
    sheet.append([andi.nip, "009", "0123456789", "ANDI WIJAYA"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client_for(in_a, hr).post("/api/v1/bank-account-changes/import/",
                                         {"file": _upload("rekening.xlsx", buffer.getvalue())})
    assert response.status_code == 201, response.content
    assert {c["nip"] for c in response.json()["changes"]} == {budi.nip, andi.nip}
    assert not BankAccount.objects.exists()
    for change in BankAccountChange.objects.filter(status="pending"):
        bank_accounts.approve_change(change, actor=checker)
    assert dict(BankAccount.objects.values_list("employee__nip", "account_number")) == {
        budi.nip: "2101040012345", andi.nip: "0123456789"}


def _upload(name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content)


def test_the_page_lists_pending_and_missing_and_shows_row_errors(in_a, hr, checker, unit, nagari):
    budi, andi = make_employee(unit, "Budi Santoso"), make_employee(unit, "Andi Wijaya")
    maker = client_for(in_a, hr)
    saved = maker.post("/pay/bank-accounts/", {"action": "enter", "nip": budi.nip, "bank": nagari.pk,
                                               "account_number": "2101040012345", "holder_name": "Budi Santoso"})
    assert saved.status_code == 302
    page = maker.get("/pay/bank-accounts/").content.decode()
    assert "Another HR admin approves your change." in page and andi.nip in page
    bad = maker.post("/pay/bank-accounts/", {"action": "upload", "file": _upload(
        "r.csv", f"NIP;KODE_BANK;NO_REKENING;NAMA_REKENING\n{andi.nip};118;12;Andi Wijaya\n".encode())})
    assert bad.status_code == 200 and 'data-testid="import-errors"' in bad.content.decode()
    change = BankAccountChange.objects.get(employee=budi)
    approved_page = client_for(in_a, checker).post("/pay/bank-accounts/", {"action": "approve", "change": change.pk})
    assert approved_page.status_code == 302
    assert BankAccount.objects.get(employee=budi).account_number == "2101040012345"


# --- transfer files ---------------------------------------------------------------------------------
def sample_batch() -> TransferBatch:
    reference = "TPP 03/2025"
    return TransferBatch(region_name="Kota Contoh", month=MARCH, reference=reference, payer_account="1180100000001",
                         value_date=datetime.date(2025, 4, 1), lines=(
        TransferLine(1, "198001012005011001", "Budi Santoso", "118", "Bank Nagari", "2101040012345", "BUDI SANTOSO",
                     4_250_000, reference),
        TransferLine(2, "198502022010012002", "Siti Aminah; S.Pd.", "009", "BNI", "0123456789", "SITI AMINAH",
                     3_175_500, reference),
    ))


@pytest.mark.parametrize("code, sample", [("csv-generik", "transfer-csv-generik.csv"),
                                          ("teks-lebar-tetap", "transfer-teks-lebar-tetap.txt"),
                                          ("csv-kendali", "transfer-csv-kendali.csv")])
def test_each_format_writes_its_committed_sample(in_a, code, sample):
    chosen = bank_files.available_formats()[code]
    assert chosen.write(sample_batch()) == (SAMPLES / sample).read_bytes()


def test_a_region_sets_its_banks_layout(in_a, hr):
    layout = [{"field": "account_number", "width": 13, "align": "left", "pad": " "},
              {"field": "amount", "width": 12, "align": "right", "pad": "0"}]
    services.update_bank_file_settings(actor=hr, bank_file_format="teks-lebar-tetap", payer_account="1180100000001",
                                       layout=layout)
    chosen, columns = bank_files.chosen_format(services.pay_settings())
    assert chosen.code == "teks-lebar-tetap"
    lines = chosen.write(sample_batch(), columns).decode().split("\r\n")
    assert lines[1] == "D2101040012345000004250000"
    with pytest.raises(ValidationError, match="needs a width above 0"):
        services.update_bank_file_settings(actor=hr, bank_file_format="teks-lebar-tetap", layout=[{"field": "nip"}])
    with pytest.raises(ValidationError, match="not one of"):
        services.update_bank_file_settings(actor=hr, bank_file_format="csv-kendali", layout=[{"field": "salary"}])
    with pytest.raises(ValueError, match="does not fit"):
        chosen.write(sample_batch(), parse_layout([{"field": "amount", "width": 3}], fixed_width=True))
    # a partial save of the format keeps the saved layout
    services.update_bank_file_settings(actor=hr, bank_file_format="teks-lebar-tetap", payer_account="1180100000001")
    assert services.pay_settings().bank_file_layouts["teks-lebar-tetap"][0]["field"] == "account_number"


def test_generic_csv_is_always_offered(in_a):
    assert next(iter(bank_files.available_formats())) == GENERIC_CSV.code


def test_a_run_is_not_exported_while_accounts_are_missing(in_a, hr, checker, unit, nagari):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    budi, andi = make_employee(unit, "Budi Santoso"), make_employee(unit, "Andi Wijaya")
    approved(budi, nagari, "2101040012345", "Budi Santoso", hr, checker)
    waiting = bank_accounts.request_change(actor=hr, employee=andi, bank=nagari, account_number="2101040054321",
                                           holder_name="Andi Wijaya")
    run = computed_run(MARCH, hr, approve_with=checker)
    with pytest.raises(ValidationError) as refused:
        services.bank_transfer_file(run, actor=hr)
    assert andi.nip in str(refused.value) and budi.nip not in str(refused.value)
    page = client_for(in_a, hr).get(f"/pay/runs/{run.pk}/").content.decode()
    assert 'data-testid="missing-accounts"' in page and andi.nip in page
    assert client_for(in_a, hr).get(f"/api/v1/pay-runs/{run.pk}/missing-accounts/").json()["count"] == 1
    assert client_for(in_a, hr).get(f"/api/v1/pay-runs/{run.pk}/transfer/").status_code == 400
    bank_accounts.approve_change(waiting, actor=checker)
    transfer = services.bank_transfer_file(run, actor=hr)
    lines = transfer.content.decode().splitlines()
    assert lines[0] == "NIP;NAMA;KODE_BANK;NO_REKENING;NAMA_REKENING;JUMLAH;BERITA"
    assert sum(int(line.split(";")[5]) for line in lines[1:]) == run.total_net == transfer.total
    services.update_bank_file_settings(actor=hr, bank_file_format="teks-lebar-tetap", payer_account="1180100000001")
    fixed = services.bank_transfer_file(run, actor=hr)
    assert fixed.filename == "transfer-tpp-2025-03.txt"
    assert fixed.content.decode().splitlines()[-1] == "T000002" + str(run.total_net).rjust(15, "0")


# --- separation of duties ---------------------------------------------------------------------------
def test_an_account_changed_by_the_approver_blocks_approval(in_a, hr, checker, unit, nagari):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    budi = make_employee(unit, "Budi Santoso")
    third = make_login(Role.HR_ADMIN, "pay-hr-third", "HR Third")
    run = computed_run(MARCH, hr)
    # after the run was computed, the would-be approver enters an account change (a third person approves it)
    change = bank_accounts.request_change(actor=checker, employee=budi, bank=nagari, account_number="2101040012345",
                                          holder_name="Budi Santoso")
    bank_accounts.approve_change(change, actor=third)
    assert not selectors.may_approve(checker, run)
    with pytest.raises(PermissionDenied, match="changed this run's inputs"):
        services.approve_run(run, actor=checker)
    page = client_for(in_a, checker).get(f"/pay/runs/{run.pk}/").content.decode()
    assert 'data-testid="changed-inputs"' in page
    # the third, who approved the account after the run was computed, is barred too; a fourth is not
    with pytest.raises(PermissionDenied):
        services.approve_run(run, actor=third)
    fourth = make_login(Role.HR_ADMIN, "pay-hr-fourth", "HR Fourth")
    assert services.approve_run(run, actor=fourth).status == "approved"


def test_a_plugin_written_for_2_0_still_loads_and_a_bad_format_answer_is_left_out(in_a):
    """Hook API 2.1 only adds: a plugin declaring >=2.0,<3.0 without the new hook loads as before, and a
    plugin answering the new hook with something other than formats is reported, its answer ignored."""
    import types as pytypes

    from kinerja_plugin_api.hookspecs import hookimpl
    from kinerja_plugin_api.host import PluginHost, get_host, set_host

    old = pytypes.ModuleType("old_plugin")
    old.PLUGIN_META = {"name": "old-plugin", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
                       "description": "Written for hook API 2.0."}
    old.kinerja_pay_inputs = hookimpl(lambda: ["attendance"])
    broken = pytypes.ModuleType("broken_formats")
    broken.PLUGIN_META = {"name": "broken-formats", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=2.1,<3.0",
                          "description": "Answers with text."}
    broken.kinerja_bank_file_formats = hookimpl(lambda: ["not a format", GENERIC_CSV])
    failures = []
    host = PluginHost()
    previous = set_host(host)
    try:
        host.failure_listener = failures.append
        assert host.register(old) is not None and host.register(broken) is not None
        assert get_host() is host
        assert list(bank_files.available_formats()) == ["csv-generik"]
        assert [f.plugin for f in failures] == ["broken-formats", "broken-formats"]
    finally:
        set_host(previous)


def test_a_transfer_file_opened_in_a_spreadsheet_runs_nothing_people_typed(in_a, hr, checker, unit, nagari):
    """Attack: a bank name, a column header of the region's layout and a holder name written as formulas,
    hoping the finance office opens the CSV in a spreadsheet. Every such cell arrives as plain text."""
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    Bank.objects.filter(pk=nagari.pk).update(name="@SUM(1+1)*cmd")
    budi = make_employee(unit, "Budi Santoso")
    approved(budi, nagari, "2101040012345", "=HYPERLINK(\"http://x\")", hr, checker, note="ditulis penyerang")
    run = computed_run(MARCH, hr, approve_with=checker)
    services.update_bank_file_settings(actor=hr, bank_file_format=GENERIC_CSV.code, layout=[
        {"field": "nip", "header": "=1+2"}, {"field": "bank_name", "header": "BANK"},
        {"field": "account_holder", "header": "+NAMA"}, {"field": "amount", "header": "JUMLAH"}])
    header, line = services.bank_transfer_file(run, actor=hr).content.decode().splitlines()[:2]
    assert header == "'=1+2;BANK;'+NAMA;JUMLAH"
    cells = line.split(";")
    assert cells[1] == "'@SUM(1+1)*cmd" and cells[2].startswith("'=HYPERLINK")
