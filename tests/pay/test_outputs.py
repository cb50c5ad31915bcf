"""What a run hands on, through the pages and the API: the bank transfer file only from an approved or
locked run and only for HR, the payslip archive kept in the region's own storage, and the maker of a run
refused (403) when approving it."""
import csv
import datetime
import io
import zipfile

import pytest
from kinerja.accounts.models import Role
from kinerja.pay import services
from kinerja.pay.models import BankAccount, PayRun

from tests.factories import make_employee, make_login
from tests.helpers import client_for as region_client
from tests.helpers import in_region
from tests.pay.factories import computed_run, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)


def client_for(region, user):
    """A signed-in client reading the English texts."""
    client = region_client(region, user)
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def computed(in_a, hr, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    make_employee(unit, "Pegawai Satu", position_class=8)
    make_employee(unit, "Pegawai Dua", position_class=7)
    return computed_run(MARCH, hr)


def test_the_transfer_file_waits_for_the_checkers_approval(in_a, hr, checker, computed):
    page = client_for(in_a, hr).get(f"/pay/runs/{computed.pk}/export/transfer.csv", follow=True)
    assert page.redirect_chain[-1][0] == f"/pay/runs/{computed.pk}/"
    assert "The transfer file is made from an approved run only." in page.content.decode()
    api = client_for(in_a, hr).get(f"/api/v1/pay-runs/{computed.pk}/transfer/")
    assert api.status_code == 400
    assert api.json() == {"status": ["The transfer file is made from an approved run only."]}

    with in_region(in_a):
        services.approve_run(computed, actor=checker)
        for number, result in enumerate(computed.results.all()):
            BankAccount.objects.create(employee_id=result.employee_id, bank_code="118",
                                       account_number=f"210104001234{number}", account_name=result.full_name)
    for response in (client_for(in_a, hr).get(f"/pay/runs/{computed.pk}/export/transfer.csv"),
                     client_for(in_a, hr).get(f"/api/v1/pay-runs/{computed.pk}/transfer/")):
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="transfer-tpp-2025-03.csv"'
        rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
        assert rows[0][0] == "NIP" and len(rows) == 3
        assert sum(int(row[5]) for row in rows[1:]) == computed.total_net


@pytest.mark.parametrize("role", [Role.LEADERSHIP, Role.AUDITOR])
def test_readers_of_a_run_may_not_take_its_transfer_file(in_a, hr, checker, computed, role):
    with in_region(in_a):
        services.approve_run(computed, actor=checker)
        reader = make_login(role)
    client = client_for(in_a, reader)
    assert client.get(f"/pay/runs/{computed.pk}/").status_code == 200  # the run is visible to them
    assert "transfer.csv" not in client.get(f"/pay/runs/{computed.pk}/").content.decode()
    assert client.get(f"/pay/runs/{computed.pk}/export/transfer.csv").status_code == 403
    assert client.get(f"/api/v1/pay-runs/{computed.pk}/transfer/").status_code == 403


def test_the_maker_is_not_offered_approval_and_is_refused_with_403(in_a, hr, checker, computed):
    maker = client_for(in_a, hr)
    assert f"/pay/runs/{computed.pk}/approve/" not in maker.get(f"/pay/runs/{computed.pk}/").content.decode()
    assert maker.post(f"/pay/runs/{computed.pk}/approve/").status_code == 403
    refused = maker.post(f"/api/v1/pay-runs/{computed.pk}/approve/")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You computed this run; another HR admin must approve it."}
    checker_client = client_for(in_a, checker)
    assert f"/pay/runs/{computed.pk}/approve/" in checker_client.get(f"/pay/runs/{computed.pk}/").content.decode()
    assert checker_client.post(f"/api/v1/pay-runs/{computed.pk}/approve/").json()["status"] == "approved"


def test_payslip_archive_lives_in_the_regions_storage_and_only_hr_takes_it(in_a, region_b, hr, computed, media):
    client = client_for(in_a, hr)
    url = f"/pay/runs/{computed.pk}/export/payslips.zip"
    assert client.get(url).status_code == 404  # not prepared yet
    with in_region(in_a):
        name = services.build_payslip_archive(computed.pk)
    assert (media / in_a.schema_name / name).is_file()
    assert not (media / region_b.schema_name / name).exists()
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="slip-tpp-2025-03.zip"'
    with zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content))) as archive:
        assert len(archive.namelist()) == 2
    with in_region(in_a):
        auditor = make_login(Role.AUDITOR)
    assert client_for(in_a, auditor).get(url).status_code == 403
    assert client_for(in_a, auditor).post(url).status_code == 403


def test_a_rebuilt_archive_replaces_the_old_one(in_a, hr, computed, media):
    with in_region(in_a):
        first = services.build_payslip_archive(computed.pk)
        second = services.build_payslip_archive(computed.pk)
        assert PayRun.objects.get(pk=computed.pk).payslip_archive == second
    assert (media / in_a.schema_name / second).is_file()
    assert first == second or not (media / in_a.schema_name / first).exists()


def test_an_archive_recorded_as_a_file_path_is_still_offered(in_a, hr, computed, media):
    with in_region(in_a):
        name = services.build_payslip_archive(computed.pk)
        PayRun.objects.filter(pk=computed.pk).update(payslip_archive=str(media / in_a.schema_name / name))
    download = client_for(in_a, hr).get(f"/pay/runs/{computed.pk}/export/payslips.zip")
    assert download.status_code == 200


def test_formula_names(in_a, hr, checker, unit):
    """Attack: an employee named as a formula; the finance office opens the register and the bank file."""
    from openpyxl import load_workbook

    from kinerja.pay import bank_accounts
    from kinerja.pay.models import Bank

    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    with in_region(in_a):
        bank = Bank.objects.get(code="118")
        for number, (name, position_class) in enumerate(
                [('=HYPERLINK("http://attacker.example","x")', 8), ("+1+cmd|' /C calc'!A0", 7)]):
            employee = make_employee(unit, name, position_class=position_class)
            change = bank_accounts.request_change(actor=hr, employee=employee, bank=bank,
                                                  account_number=f"10000000000{number}", holder_name=name)
            bank_accounts.approve_change(change, actor=checker)
    run = computed_run(MARCH, hr)
    with in_region(in_a):
        services.approve_run(run, actor=checker)
    client = client_for(in_a, hr)
    for url in (f"/pay/runs/{run.pk}/export/transfer.csv", f"/api/v1/pay-runs/{run.pk}/transfer/"):
        rows = list(csv.reader(io.StringIO(client.get(url).content.decode()), delimiter=";"))
        names = sorted(row[1] for row in rows[1:])
        assert names == ["'+1+cmd|' /C calc'!A0", '\'=HYPERLINK("http://attacker.example","x")'], url
    for url in (f"/pay/runs/{run.pk}/export/register.xlsx", f"/api/v1/pay-runs/{run.pk}/register/"):
        sheet = load_workbook(io.BytesIO(client.get(url).content)).active
        cells = [cell for row in sheet.iter_rows() for cell in row]
        assert not [c for c in cells if c.data_type == "f"], url
        assert "'+1+cmd|' /C calc'!A0" in [c.value for c in cells]


def test_the_payslip_archive_link_appears_by_itself_when_ready(in_a, hr, computed, media):
    """After HR asks for the archive the run page polls a small fragment (htmx) that turns into the
    download link once the background build has finished."""
    client = client_for(in_a, hr)
    asked = client.post(f"/pay/runs/{computed.pk}/export/payslips.zip")
    assert asked.status_code == 302 and asked["Location"].endswith("?archive=preparing")
    page = client.get(asked["Location"]).content.decode()
    assert f'hx-get="/pay/runs/{computed.pk}/payslip-archive/"' in page
    waiting = client.get(f"/pay/runs/{computed.pk}/payslip-archive/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" in waiting and "export/payslips.zip" not in waiting
    with in_region(in_a):
        services.build_payslip_archive(computed.pk)
    ready = client.get(f"/pay/runs/{computed.pk}/payslip-archive/", HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in ready and f'href="/pay/runs/{computed.pk}/export/payslips.zip"' in ready
