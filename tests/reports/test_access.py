"""Who may open what: BKN pages only for BKN analysts and operators on the public site; a region's page
only for its HR admins and leadership; BKN users exist only in public and cannot sign in to a region."""
import pytest
from kinerja import jobs
from kinerja.accounts.models import Role
from kinerja.reports import services

from tests.helpers import PASSWORD, english_client, host_of, in_region, make_user

pytestmark = pytest.mark.django_db

BKN_PAGES = ["/bkn/", "/bkn/compare/?region=bukittinggi&region=batanghari", "/bkn/trends/",
             "/bkn/regions/bukittinggi/", "/bkn/export/overview.xlsx", "/bkn/export/overview.csv",
             "/bkn/regions/bukittinggi/export.csv?table=figures"]


@pytest.mark.parametrize("role", [Role.BKN_ANALYST, Role.OPERATOR])
def test_national_readers_open_every_bkn_page(region_a, population, role):
    services.take_snapshot(region_a)
    client = english_client(None, make_user(None, role))
    for url in BKN_PAGES:
        assert client.get(url).status_code == 200, url


def test_plugin_vendor_cannot_open_bkn_pages(region_a):
    client = english_client(None, make_user(None, Role.PLUGIN_VENDOR))
    for url in BKN_PAGES + ["/api/v1/reports/overview/"]:
        assert client.get(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = english_client(None).get("/bkn/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_operators_see_and_start_refresh_runs(region_a, bkn_user, operator, monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: None)
    analyst = english_client(None, bkn_user)
    assert analyst.get("/bkn/refresh/").status_code == 403
    assert analyst.post("/bkn/refresh/").status_code == 403
    assert analyst.get("/api/v1/reports/refresh-runs/").status_code == 403
    client = english_client(None, operator)
    response = client.post("/bkn/refresh/")
    assert response.status_code == 302
    detail = client.get(response["Location"])
    assert detail.status_code == 200 and b'data-testid="part-table"' in detail.content
    assert client.get("/api/v1/reports/refresh-runs/").json()["count"] == 1


def test_region_users_have_no_bkn_pages_on_their_host(region_a):
    hr = make_user(region_a, Role.HR_ADMIN)
    client = english_client(region_a, hr)
    assert client.get("/bkn/").status_code == 404
    assert client.get("/api/v1/reports/overview/").status_code == 404


def test_region_users_cannot_sign_in_on_the_public_site(region_a):
    make_user(region_a, Role.HR_ADMIN, username="hr-bukittinggi")
    response = english_client(None).post("/accounts/login/", {"username": "hr-bukittinggi", "password": PASSWORD})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_bkn_users_cannot_sign_in_on_a_region_host(region_a, bkn_user):
    assert english_client(None).post("/accounts/login/", {"username": "bkn-analyst", "password": PASSWORD}).status_code == 302
    response = english_client(region_a).post("/accounts/login/", {"username": "bkn-analyst", "password": PASSWORD})
    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated


def test_a_bkn_session_or_token_is_refused_on_a_region_host(region_a, bkn_user):
    from tests.factories import make_api_token

    client = english_client(None, bkn_user)
    assert client.get("/bkn/").status_code == 200
    client.defaults["HTTP_HOST"] = host_of(region_a)
    for url in ("/people/employees/", "/reports/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    token = make_api_token(bkn_user)
    assert english_client(None).get("/api/v1/reports/overview/", HTTP_AUTHORIZATION=f"Token {token}").status_code == 200
    crossed = english_client(region_a).get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token}")
    assert crossed.status_code == 401


def test_bkn_drill_down_shows_aggregates_never_people(region_a, population, bkn_user):
    services.take_snapshot(region_a)
    client = english_client(None, bkn_user)
    responses = [client.get("/bkn/regions/bukittinggi/"), client.get("/api/v1/reports/regions/bukittinggi/"),
                 client.get("/bkn/regions/bukittinggi/export.csv?table=figures"), client.get("/bkn/export/overview.csv")]
    for response in responses:
        assert response.status_code == 200
        body = response.content.decode("utf-8")
        for nip in population.nips:
            assert nip not in body
        for name in population.names:
            assert name not in body
    assert "Dinas Kesehatan" in responses[0].content.decode()
    assert "&lt;5" in responses[0].content.decode()
    assert "<5" in responses[2].content.decode("utf-8")


@pytest.mark.parametrize("role,status", [(Role.HR_ADMIN, 200), (Role.LEADERSHIP, 200), (Role.AUDITOR, 403),
                                         (Role.EMPLOYEE, 403)])
def test_region_report_page_is_for_hr_admins_and_leadership(region_a, role, status):
    client = english_client(region_a, make_user(region_a, role))
    assert client.get("/reports/").status_code == status
    assert client.get("/reports/export.xlsx").status_code == status
    assert client.get("/api/v1/reports/").status_code == status


def test_a_region_sees_its_own_snapshot_only_with_national_medians(region_a, region_b, population):
    with in_region(region_b):
        from tests.reports.factories import populate

        populate("B")
    services.take_snapshot(region_a)
    services.take_snapshot(region_b)
    client = english_client(region_b, make_user(region_b, Role.LEADERSHIP))
    data = client.get("/api/v1/reports/").json()
    assert data["slug"] == "batanghari"
    assert data["national_medians"]["headcount"] == 32
    page = client.get("/reports/").content.decode()
    assert "Kabupaten Batanghari" in page and "Kota Bukittinggi" not in page
    assert "National median" in page


def test_only_hr_admins_ask_for_a_refresh_of_their_region(region_a, monkeypatch):
    monkeypatch.setattr(jobs, "enqueue", lambda name, *args: None)
    assert english_client(region_a, make_user(region_a, Role.LEADERSHIP)).post("/reports/refresh/").status_code == 403
    response = english_client(region_a, make_user(region_a, Role.HR_ADMIN)).post("/reports/refresh/")
    assert response.status_code == 302
    from kinerja.reports.models import RegionRefresh

    assert RegionRefresh.objects.filter(region=region_a, status="queued").count() == 1
