"""Each role lands on its own dashboard, with its own menu, in a bounded number of queries."""
import pytest

from kinerja.accounts.models import Role
from tests.helpers import assert_queries, client_for, in_region, make_user
from tests.web.expectations import PLATFORM_MENUS, REGION_MENUS

pytestmark = pytest.mark.django_db

REGION_TEMPLATES = {
    Role.HR_ADMIN: ("web/dashboard_hr_admin.html", "HR administration"),
    Role.LEADERSHIP: ("web/dashboard_leadership.html", "Regional overview"),
    Role.AUDITOR: ("web/dashboard_auditor.html", "Audit"),
    Role.EMPLOYEE: ("web/dashboard_employee.html", "My work"),
}
PLATFORM_TEMPLATES = {
    Role.OPERATOR: ("web/dashboard_operator.html", "Platform operations"),
    Role.BKN_ANALYST: ("web/dashboard_bkn_analyst.html", "National overview"),
    Role.PLUGIN_VENDOR: ("web/dashboard_plugin_vendor.html", "Plugin vendor"),
}


def menu_keys(response) -> list[str]:
    return [item["key"] for item in response.context["nav_items"]]


def assert_menu(response, expected):
    offered, forbidden = expected
    keys = menu_keys(response)
    assert keys[0] == "dashboard"
    assert [key for key in keys if key in offered] == offered, keys
    assert not set(keys) & set(forbidden), keys
    html = response.content.decode()
    for key in offered:
        assert f'data-nav="{key}"' in html
    for key in forbidden:
        assert f'data-nav="{key}"' not in html


def get_english(client, path):
    client.cookies["django_language"] = "en"
    return client.get(path)


@pytest.mark.parametrize("role", list(REGION_TEMPLATES))
def test_region_role_gets_its_dashboard_and_menu(region_a, role):
    client = client_for(region_a, make_user(region_a, role))
    response = get_english(client, "/dashboard/")
    template, heading = REGION_TEMPLATES[role]
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert f'data-testid="dashboard-title">{heading}</h1>' in response.content.decode()
    assert_menu(response, REGION_MENUS[role])


@pytest.mark.parametrize("role", list(PLATFORM_TEMPLATES))
def test_platform_role_gets_its_dashboard_and_menu(db, role):
    client = client_for(None, make_user(None, role))
    response = get_english(client, "/dashboard/")
    template, heading = PLATFORM_TEMPLATES[role]
    assert response.status_code == 200
    assert template in [t.name for t in response.templates]
    assert f'data-testid="dashboard-title">{heading}</h1>' in response.content.decode()
    assert_menu(response, PLATFORM_MENUS[role])


def test_menu_links_are_rendered_and_forbidden_ones_absent(region_a):
    client = client_for(region_a, make_user(region_a, Role.LEADERSHIP))
    html = get_english(client, "/dashboard/").content.decode()
    assert 'href="/people/units/"' in html and 'href="/people/employees/"' in html
    assert 'data-nav="imports"' not in html and 'data-nav="audit"' not in html


def test_every_menu_item_opens_for_its_role(region_a):
    for role in REGION_TEMPLATES:
        client = client_for(region_a, make_user(region_a, role))
        for item in client.get("/dashboard/").context["nav_items"]:
            assert client.get(item["url"]).status_code == 200, (role, item["key"])


def test_every_platform_menu_item_opens_for_its_role(db):
    for role in PLATFORM_TEMPLATES:
        client = client_for(None, make_user(None, role))
        for item in client.get("/dashboard/").context["nav_items"]:
            assert client.get(item["url"]).status_code == 200, (role, item["key"])


def test_supervisor_sees_their_team(region_a, team):
    client = client_for(region_a, team.supervisor_user)
    response = get_english(client, "/dashboard/")
    html = response.content.decode()
    assert "web/dashboard_supervisor.html" in [t.name for t in response.templates]
    assert 'data-testid="dashboard-title">My team</h1>' in html
    assert [e.full_name for e in response.context["subordinates"]] == [m.full_name for m in team.members]
    assert response.context["team_summary"] == {"total": 3, "active": 3, "pns": 2, "pppk": 1}
    assert "Staf Pelayanan 3" in html and "Perawat Ahli Pertama" in html


def test_employee_without_reports_sees_own_record_and_no_team(region_a, team):
    client = client_for(region_a, team.employee_user)
    response = get_english(client, "/dashboard/")
    html = response.content.decode()
    assert "web/dashboard_employee.html" in [t.name for t in response.templates]
    assert "19900101201501" + "0001" in html and "Rina Marlina" in html  # own NIP and supervisor
    assert "Staf Pelayanan 2" not in html
    assert 'data-testid="team"' not in html


def test_employee_without_record_is_told_to_ask_hr(region_a):
    client = client_for(region_a, make_user(region_a, Role.EMPLOYEE))
    html = get_english(client, "/dashboard/").content.decode()
    assert 'data-testid="no-employee-record"' in html


def test_team_is_the_supervisors_own_not_another_supervisors(region_a, team):
    other = make_user(region_a, Role.EMPLOYEE, username="other-kabid")
    from kinerja.people.models import Employee

    with in_region(region_a):
        Employee.objects.filter(pk=team.members[2].pk).update(supervisor=None)
        lead = Employee.objects.create(
            nip="198001012006041002", employee_type="PNS", full_name="Budi Kepala", gender="M",
            birth_date="1980-01-01", rank="IV/a", unit=team.supervisor.unit, position=team.supervisor.position,
            user=other)
        Employee.objects.filter(pk=team.members[2].pk).update(supervisor=lead)
    mine = client_for(region_a, team.supervisor_user).get("/dashboard/").context["subordinates"]
    theirs = client_for(region_a, other).get("/dashboard/").context["subordinates"]
    assert [e.pk for e in mine] == [team.members[0].pk, team.members[1].pk]
    assert [e.pk for e in theirs] == [team.members[2].pk]


def test_hr_dashboard_shows_figures_units_and_latest_changes(region_a, team):
    from kinerja.audit.services import record_change

    hr = make_user(region_a, Role.HR_ADMIN, full_name="Siti HR")

    with in_region(region_a):
        record_change(actor=hr, action="employee.updated", target=team.members[0], before={}, after={})
    response = get_english(client_for(region_a, hr), "/dashboard/")
    html = response.content.decode()
    assert response.context["overview"]["total"] == 4
    assert [(u.name, u.headcount) for u in response.context["units"]] == [("Dinas Kesehatan", 4)]
    assert "employee.updated" in html
    assert 'href="/people/imports/"' in html


def test_region_figures_come_from_the_region_not_another(region_a, region_b, team):
    hr_b = make_user(region_b, Role.HR_ADMIN)
    response = client_for(region_b, hr_b).get("/dashboard/")
    assert response.context["overview"]["total"] == 0
    assert "Staf Pelayanan" not in response.content.decode()


def test_bkn_dashboard_counts_regions_by_province_without_people(db, region_a, region_b, team):
    response = get_english(client_for(None, make_user(None, Role.BKN_ANALYST)), "/dashboard/")
    provinces = {row["province"]: row["total"] for row in response.context["provinces"]}
    assert provinces["Sumatera Barat"] >= 1 and provinces["Jambi"] >= 1
    html = response.content.decode()
    assert "Rina Marlina" not in html and "197805122005012003" not in html


def test_operator_dashboard_lists_newest_regions(db, region_a, region_b):
    response = get_english(client_for(None, make_user(None, Role.OPERATOR)), "/dashboard/")
    names = [r.name for r in response.context["newest_regions"]]
    assert "Kota Bukittinggi" in names and "Kabupaten Batanghari" in names
    assert 'href="/operator/regions/"' in response.content.decode()


# Each dashboard also reads its next steps from the modules' selectors (a fixed number each).
# leadership: one more for the latest year with organisation ratings (three more once it has some)
REGION_DASHBOARD_QUERIES = {Role.EMPLOYEE: 17, Role.HR_ADMIN: 27, Role.LEADERSHIP: 11, Role.AUDITOR: 9}
PLATFORM_DASHBOARD_QUERIES = {Role.OPERATOR: 8, Role.BKN_ANALYST: 5, Role.PLUGIN_VENDOR: 4}


def test_region_dashboards_keep_query_count_flat(region_a):
    from tests.web.conftest import build_team

    big = build_team(region_a, size=25, prefix="big")
    hr = make_user(region_a, Role.HR_ADMIN)
    for user in (big.supervisor_user, hr, make_user(region_a, Role.LEADERSHIP), make_user(region_a, Role.AUDITOR)):
        client = client_for(region_a, user)
        with assert_queries(REGION_DASHBOARD_QUERIES[user.role]):
            assert client.get("/dashboard/").status_code == 200


def test_platform_dashboards_keep_query_count_flat(db, region_a, region_b):
    for role in PLATFORM_TEMPLATES:
        client = client_for(None, make_user(None, role))
        with assert_queries(PLATFORM_DASHBOARD_QUERIES[role]):
            assert client.get("/dashboard/").status_code == 200


def test_a_new_regions_hr_gets_a_getting_started_checklist_ticked_by_its_own_data(region_a, region_b, team):
    """Region B is as onboarding leaves it; region A has units and people, so those steps are ticked
    there and not in B, whose checklist never reads A's data."""
    from kinerja.accounts.models import User

    hr_b = make_user(region_b, Role.HR_ADMIN)
    with in_region(region_b):  # the only HR admin: nobody to approve a pay run yet
        User.objects.exclude(pk=hr_b.pk).update(is_active=False)
    steps = {step.key: step.done for step in get_english(client_for(region_b, hr_b), "/dashboard/")
             .context["getting_started"]}
    assert steps == {"units": False, "employees": False, "logins": False, "second-hr-admin": False,
                     "pay-plugin": False, "holidays": steps["holidays"], "bank-accounts": False,
                     "appraisal-year": False}
    hr_a = make_user(region_a, Role.HR_ADMIN)
    make_user(region_a, Role.HR_ADMIN)
    response = get_english(client_for(region_a, hr_a), "/dashboard/")
    ticked = {step.key for step in response.context["getting_started"] if step.done}
    assert {"units", "employees", "second-hr-admin"} <= ticked and "pay-plugin" not in ticked
    html = response.content.decode()
    assert 'data-testid="getting-started"' in html and "Enable the region&#x27;s pay (TPP) plugin" in html
    employee_page = get_english(client_for(region_a, team.employee_user), "/dashboard/")
    assert 'data-testid="getting-started"' not in employee_page.content.decode()
