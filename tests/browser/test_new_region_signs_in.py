"""A region onboarded through the operator's page gets its people signed in through pages alone: the
first HR admin sets a password from the onboarding link, imports units and employees, makes logins (one
by hand, a unit in bulk), grants a second HR admin, who signs in with their NIP and approves the pay run
the first one computed (maker-checker); an employee writes an SKP that their supervisor approves, rates and
delivers."""
from __future__ import annotations

import pytest
from django_tenants.utils import schema_context
from kinerja.accounts.models import Role
from kinerja.appraisal.models import Rating
from kinerja.notifications.models import Notification
from kinerja.pay.models import PayRun, PayRunStatus

from tests.browser.conftest import username
from tests.helpers import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

SLUG = "browserbaru"
UNITS = """KODE_UNIT;NAMA_UNIT;JENIS;TIPE;KODE_INDUK
BKPSDM;Badan Kepegawaian dan Pengembangan SDM;OPD;badan;
DINKES;Dinas Kesehatan;OPD;dinas;
"""
EMPLOYEES = """NIP;NAMA;JENIS_PEGAWAI;JENIS_KELAMIN;TANGGAL_LAHIR;GOLONGAN;KODE_UNIT;KODE_JABATAN;NAMA_JABATAN;JENIS_JABATAN;KELAS_JABATAN;NIP_ATASAN;STATUS;EMAIL
197703142002122004;Rina Marlina;PNS;P;1977-03-14;III/d;DINKES;KADINKES;Kepala Dinas Kesehatan;struktural;14;;AKTIF;
198806202014021001;Andi Saputra;PNS;L;1988-06-20;III/a;DINKES;PERAWAT;Perawat Ahli Pertama;fungsional;8;197703142002122004;AKTIF;
199102112019032003;Dewi Lestari;PNS;P;1991-02-11;III/a;DINKES;BIDAN;Bidan Ahli Pertama;fungsional;8;197703142002122004;AKTIF;
198501012010011002;Budi Hartono;PNS;L;1985-01-01;III/c;BKPSDM;ANALIS;Analis SDM Aparatur;fungsional;9;;AKTIF;
"""
VERIFIER_NIP = "198501012010011002"
HEAD_NIP = "197703142002122004"
EMPLOYEE_NIP = "198806202014021001"


@pytest.fixture
def eager_tasks():
    """The live server runs in this process: tasks sent by name (a pay run's computation) run at once."""
    from kinerja.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.fixture
def new_region(live_site):
    """The region the test onboards, dropped afterwards with its schema."""
    yield SLUG
    from django.db import connection

    from tenants.models import Region

    region = Region.objects.filter(schema_name=SLUG).first()
    if region is not None:
        region.delete(force_drop=True)
    connection.set_schema_to_public()


def region_url(live_site, path: str = "/") -> str:
    return f"http://{SLUG}.localhost:{live_site.port}{path}"


def sign_in(page, url: str, who: str, password: str = PASSWORD):
    page.goto(url)
    page.fill("#id_username", who)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state()


def choose_password(page, link: str):
    page.goto(link)
    page.fill("#id_new_password1", PASSWORD)
    page.fill("#id_new_password2", PASSWORD)
    page.click("[data-testid=set-password-form] button[type=submit]")
    page.wait_for_load_state()


def import_file(page, live_site, kind: str, name: str, content: str):
    page.goto(region_url(live_site, "/people/imports/"))
    page.select_option("#id_kind", kind)
    page.set_input_files("#id_file", files=[{"name": name, "mimeType": "text/csv", "buffer": content.encode()}])
    page.click("[data-testid=import-form] button[type=submit]")
    page.wait_for_load_state()
    page.click("[data-testid=apply-form] button[type=submit]")
    page.wait_for_load_state()


def sign_out(page):
    page.get_by_test_id("logout").click()
    page.wait_for_load_state()


def test_a_new_region_signs_its_people_in_through_pages(page, live_site, new_region, eager_tasks, artifacts, confirmations):
    # 1. the operator onboards the region and is told the first admin's username and link
    sign_in(page, live_site.public_url("/accounts/login/"), username(Role.OPERATOR))
    page.goto(live_site.public_url("/operator/regions/new/"))
    for field, value in {"name": "Kabupaten Browser Baru", "slug": SLUG, "region_code": "13.99",
                         "province": "Sumatera Barat", "admin_name": "Admin BKPSDM Baru",
                         "admin_email": "bkpsdm@baru.go.id", "admin_username": "adminbaru"}.items():
        page.fill(f"#id_{field}", value)
    page.select_option("#id_kind", "kabupaten")
    page.click("button[type=submit].primary")
    page.wait_for_load_state()
    assert page.get_by_test_id("admin-username").inner_text() == "adminbaru"
    link = page.get_by_test_id("set-password-link").get_attribute("href")
    assert link.startswith(region_url(live_site, "/accounts/reset/"))
    page.screenshot(path=str(artifacts / "onboarding-result.png"), full_page=True)
    sign_out(page)

    # 2. the first admin chooses a password and signs in with the username
    choose_password(page, link)
    sign_in(page, region_url(live_site, "/accounts/login/"), "adminbaru")
    assert page.url.endswith("/dashboard/")

    # 3. units and employees from spreadsheets
    import_file(page, live_site, "units", "unit.csv", UNITS)
    import_file(page, live_site, "employees", "pegawai.csv", EMPLOYEES)

    # 4. a login by hand, then the health agency in bulk
    page.goto(region_url(live_site, "/logins/"))
    page.locator(f"tr[data-nip='{VERIFIER_NIP}'] [data-testid=create-login]").click()
    page.wait_for_load_state()
    verifier_link = page.locator(f"tr[data-username='{VERIFIER_NIP}'] [data-testid=set-password-link]").inner_text()
    page.goto(region_url(live_site, "/logins/?unit=DINKES"))
    page.get_by_test_id("create-bulk").click()
    page.wait_for_load_state()
    assert "3" in page.get_by_test_id("created-summary").inner_text()
    links = dict(page.locator("[data-testid=links-for-hr] tr[data-username]").evaluate_all(
        "rows => rows.map(r => [r.dataset.username, r.querySelector('a').href])"))
    assert sorted(links) == [HEAD_NIP, EMPLOYEE_NIP, "199102112019032003"]
    page.screenshot(path=str(artifacts / "logins-created.png"), full_page=True)

    # 5. a second HR admin, with a reason
    page.goto(region_url(live_site, "/logins/"))
    page.locator(f"tr[data-nip='{VERIFIER_NIP}'] [data-testid=login-link]").click()
    page.wait_for_load_state()
    page.select_option("[data-testid=grant-form] select[name=role]", Role.HR_ADMIN)
    page.fill("[data-testid=grant-form] input[name=reason]", "Verifikator TPP (maker-checker)")
    page.click("[data-testid=grant-form] button[type=submit]")
    page.wait_for_load_state()
    assert Role.HR_ADMIN in page.get_by_test_id("roles").get_attribute("data-roles").split()

    # 6. the first admin opens the appraisal year, turns the region's pay plugin on and computes a pay run
    page.goto(region_url(live_site, "/appraisal/years/"))
    page.fill("[data-testid=year-form] input[name=year]", "2026")
    page.click("[data-testid=year-form] button")
    page.wait_for_load_state()
    page.goto(region_url(live_site, "/plugins/kinerja-tpp-bukittinggi/"))
    page.click("[data-testid=activation] button[type=submit]")
    page.wait_for_load_state()
    page.goto(region_url(live_site, "/pay/"))
    page.fill("[data-testid=new-run] input[name=month]", "2026-10")
    page.click("[data-testid=new-run] button[type=submit]")
    page.wait_for_load_state()
    # a new region has imported no attendance yet: the checks name the gap, and HR computes with a reason
    start_form = page.locator("[data-testid=run-actions] form[action$='/start/']")
    start_form.locator("textarea[name=reason]").fill("Bulan uji coba: absensi belum diimpor")
    start_form.locator("button").click()
    page.wait_for_load_state()
    run_url = page.url
    page.goto(run_url)
    assert page.get_by_test_id("run-status").inner_text() != "Draf"
    sign_out(page)

    # 7. the second admin signs in with the NIP, is offered the HR pages and approves the run
    choose_password(page, verifier_link)
    sign_in(page, region_url(live_site, "/accounts/login/"), VERIFIER_NIP)
    assert page.url.endswith("/dashboard/")
    keys = page.locator("[data-testid=main-nav] a").evaluate_all("links => links.map(a => a.dataset.nav)")
    assert {"logins", "pay", "skp"} <= set(keys)
    page.screenshot(path=str(artifacts / "second-hr-admin.png"), full_page=True)
    page.goto(run_url)
    page.click("[data-testid=run-actions] form[action$='/approve/'] button")
    page.wait_for_load_state()
    assert confirmations, "approving a run asks first"
    with schema_context(SLUG):
        run = PayRun.objects.get()
        assert run.status == PayRunStatus.APPROVED and run.total_employees == 4
    page.screenshot(path=str(artifacts / "new-region-pay-run-approved.png"), full_page=True)
    sign_out(page)

    # 8. the employee writes and submits an SKP; the supervisor approves, rates and delivers it
    choose_password(page, links[EMPLOYEE_NIP])
    sign_in(page, region_url(live_site, "/accounts/login/"), EMPLOYEE_NIP)
    page.goto(region_url(live_site, "/appraisal/skp/"))
    page.click("[data-testid=plan-create] button")
    page.wait_for_load_state()
    plan_url = page.url
    page.fill("[data-testid=rhk-form] textarea[name=text]", "Pelayanan keperawatan sesuai standar")
    page.click("[data-testid=rhk-form] button")
    page.wait_for_load_state()
    iki = page.locator("form:has(input[name=op][value=add_iki])")
    iki.locator("input[name=text]").fill("Pasien yang dilayani sesuai SOP")
    iki.locator("select[name=aspect]").select_option("quantity")
    iki.locator("input[name=target_value]").fill("120")
    iki.locator("input[name=target_unit]").fill("pasien")
    iki.locator("button").click()
    page.wait_for_load_state()
    page.get_by_test_id("submit-plan").click()
    page.wait_for_load_state()
    sign_out(page)

    choose_password(page, links[HEAD_NIP])
    sign_in(page, region_url(live_site, "/accounts/login/"), HEAD_NIP)
    page.goto(plan_url)
    page.click("form:has(input[name=op][value=approve]) button")
    page.wait_for_load_state()
    rating = page.get_by_test_id("rating-form")
    rating.locator("select[name=work_result]").select_option("above")
    for level in rating.locator("select[required]:not([name=work_result])").all():
        level.select_option("as_expected")  # no grade is preselected: each value and the whole are chosen
    rating.locator("textarea[name=reason]").fill("Target terlampaui dengan mutu layanan yang baik")
    rating.locator("button").click()
    page.wait_for_load_state()
    page.click("form:has(input[name=op][value=deliver]) button")
    page.wait_for_load_state()
    with schema_context(SLUG):
        delivered = Rating.objects.select_related("plan__employee").get()
        assert delivered.delivered_at is not None and delivered.plan.employee.nip == EMPLOYEE_NIP
        assert delivered.predicate == "baik"
    page.screenshot(path=str(artifacts / "new-region-rating-delivered.png"), full_page=True)

    # 9. each step told the next person in their inbox, and the employee reads it on the inbox page
    with schema_context(SLUG):
        told = {(n.kind, n.recipient.username) for n in Notification.objects.select_related("recipient")}
    assert {("payrun.awaiting_approval", VERIFIER_NIP), ("plan.submitted", HEAD_NIP),
            ("plan.approved", EMPLOYEE_NIP), ("rating.delivered", EMPLOYEE_NIP)} <= told
    assert ("rating.delivered", HEAD_NIP) not in told
    sign_out(page)
    sign_in(page, region_url(live_site, "/accounts/login/"), EMPLOYEE_NIP)
    page.goto(region_url(live_site, "/notifications/"))
    kinds = page.locator("[data-testid=notification]").evaluate_all("rows => rows.map(r => r.dataset.kind)")
    assert {"plan.approved", "rating.delivered"} <= set(kinds)
    page.locator("[data-testid=notification][data-kind='rating.delivered'] form[action$='/open/'] button").click()
    page.wait_for_load_state()
    assert "/appraisal/" in page.url  # the notification opens the page where the rating is read
