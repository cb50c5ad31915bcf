"""The capability table against the pages, the API and the menu.

Every capability has probes: a page and, where there is one, an API endpoint that need it. Each probe is
tried by every role that does not hold the capability on that site (including the roles of the other kind
of site, which hold nothing there) and must be refused with 403; a role holding it must get through (any
answer but 403). The menu of every role is rendered and every linked page opened."""
from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from kinerja.accounts.capabilities import CAPABILITIES, capabilities_of, roles_with
from kinerja.accounts.models import PLATFORM_ROLES, REGION_ROLES, Role
from kinerja.web.navigation import PLATFORM_NAV, REGION_NAV
from django_tenants.utils import schema_context

from tests.helpers import client_for, in_region
from tests.web.conftest import build_team

pytestmark = pytest.mark.django_db
PLUGIN = "kinerja-tpp-bukittinggi"


@dataclass(frozen=True)
class Probe:
    method: str
    path: str  # may name {run}, {course}, {session}
    data: dict = field(default_factory=dict)
    json: bool = False


REGION, PUBLIC = "region", "public"
# capability -> (site, probes). The pages come first, then the API.
PROBES: dict[str, list[tuple[str, list[Probe]]]] = {
    "region.dashboard": [(REGION, [Probe("get", "/dashboard/")])],
    "platform.dashboard": [(PUBLIC, [Probe("get", "/dashboard/")])],
    "people.read": [(REGION, [Probe("get", "/people/employees/"), Probe("get", "/api/v1/employees/"),
                              Probe("get", "/people/leave/"), Probe("get", "/api/v1/leave/")])],
    "people.read_all": [(REGION, [Probe("get", "/people/units/"), Probe("get", "/api/v1/units/")])],
    "people.manage": [(REGION, [Probe("get", "/people/imports/"), Probe("get", "/api/v1/imports/"),
                                Probe("get", "/api/v1/employees/export/")])],
    "audit.read": [(REGION, [Probe("get", "/audit/")]), (PUBLIC, [Probe("get", "/audit/")])],
    "appraisal.read": [(REGION, [Probe("get", "/appraisal/skp/"), Probe("get", "/api/v1/appraisal/plans/")])],
    "appraisal.read_all": [(REGION, [Probe("get", "/appraisal/calibration/"),
                                     Probe("get", "/api/v1/appraisal/calibration/"),
                                     Probe("get", "/api/v1/appraisal/exports/skp22/")])],
    "appraisal.take_part": [(REGION, [Probe("get", "/appraisal/peers/"),
                                      Probe("get", "/api/v1/appraisal/peer-input/"),
                                      Probe("get", "/appraisal/daily/"), Probe("get", "/appraisal/daily/verify/"),
                                      Probe("post", "/api/v1/appraisal/daily-logs/verify/", {"logs": []},
                                            json=True)])],
    "appraisal.manage": [(REGION, [Probe("post", "/appraisal/years/", {"year": "2031", "cadence": "quarterly"}),
                                   Probe("post", "/api/v1/appraisal/years/", {"year": 2031, "cadence": "quarterly"},
                                         json=True)])],
    "pay.read": [(REGION, [Probe("get", "/pay/"), Probe("get", "/api/v1/pay-results/")])],
    "pay.read_all": [(REGION, [Probe("get", "/pay/calendar/"), Probe("get", "/pay/runs/{run}/"),
                               Probe("get", "/api/v1/pay-runs/{run}/results/")])],
    "pay.run.start": [(REGION, [Probe("post", "/pay/", {"month": "2031-01"}),
                                Probe("post", "/pay/runs/{run}/cancel/", {"reason": ""}),
                                Probe("post", "/api/v1/pay-runs/", {"month": "2031-01"}, json=True),
                                Probe("post", "/api/v1/pay-runs/{run}/start/", json=True)])],
    "pay.run.approve": [(REGION, [Probe("post", "/pay/runs/{run}/approve/"),
                                  Probe("post", "/api/v1/pay-runs/{run}/approve/", json=True)])],
    "pay.transfer.export": [(REGION, [Probe("get", "/pay/runs/{run}/export/transfer.csv"),
                                      Probe("get", "/api/v1/pay-runs/{run}/transfer/")])],
    "pay.payslips.archive": [(REGION, [Probe("get", "/pay/runs/{run}/export/payslips.zip")])],
    "pay.data.manage": [(REGION, [Probe("get", "/pay/attendance/"), Probe("get", "/pay/service-targets/")])],
    "pay.bank.manage": [(REGION, [Probe("get", "/pay/bank-accounts/"), Probe("get", "/api/v1/bank-accounts/"),
                                  Probe("post", "/api/v1/bank-account-changes/", {}, json=True)])],
    "pay.bank.approve": [(REGION, [Probe("post", "/api/v1/bank-account-changes/0/approve/", json=True)])],
    "recruitment.read": [(REGION, [Probe("get", "/recruitment/"), Probe("get", "/api/v1/recruitment/openings/")])],
    "recruitment.manage": [(REGION, [Probe("get", "/recruitment/new/"),
                                     Probe("post", "/api/v1/recruitment/openings/", {}, json=True)])],
    "recruitment.assess": [(REGION, [Probe("get", "/recruitment/assess/"),
                                     Probe("get", "/api/v1/recruitment/stages/0/sheet/?number=x")])],
    "training.read": [(REGION, [Probe("get", "/training/"), Probe("get", "/api/v1/training/courses/")])],
    "training.read_all": [(REGION, [Probe("get", "/training/compliance/"),
                                    Probe("get", "/api/v1/training/compliance/")])],
    "training.take_part": [(REGION, [Probe("post", "/training/courses/{course}/", {"op": "request"}),
                                     Probe("post", "/api/v1/training/sessions/{session}/enrol/", json=True)])],
    "training.manage": [(REGION, [Probe("post", "/training/", {"code": ""}),
                                  Probe("post", "/api/v1/training/courses/", {}, json=True)])],
    "training.export": [(REGION, [Probe("get", "/training/export/"),
                                  Probe("get", "/api/v1/training/national-export/")])],
    "plugins.read": [(REGION, [Probe("get", "/plugins/"), Probe("get", "/api/v1/plugins/")])],
    "plugins.manage": [(REGION, [Probe("post", f"/plugins/{PLUGIN}/enabled/", {"enabled": "1"}),
                                 Probe("put", f"/api/v1/plugins/{PLUGIN}/activation/", {"enabled": True}, json=True)])],
    "reports.region.read": [(REGION, [Probe("get", "/reports/"), Probe("get", "/api/v1/reports/")])],
    "reports.region.refresh": [(REGION, [Probe("post", "/reports/refresh/")])],
    "reports.national.read": [(PUBLIC, [Probe("get", "/bkn/"), Probe("get", "/api/v1/reports/overview/")])],
    "reports.refresh.manage": [(PUBLIC, [Probe("get", "/bkn/refresh/"),
                                         Probe("get", "/api/v1/reports/refresh-runs/")])],
    "billing.region.manage": [(REGION, [Probe("get", "/billing/")])],
    "billing.manage": [(PUBLIC, [Probe("get", "/billing/regions/"), Probe("get", "/billing/applications/")])],
    "plugins.failures.read": [(PUBLIC, [Probe("get", "/plugins/failures/"),
                                        Probe("get", "/api/v1/plugin-failures/")])],
    "platform_logins.manage": [(PUBLIC, [Probe("get", "/operator/logins/"), Probe("get", "/api/v1/platform-logins/")])],
    "regions.manage": [(PUBLIC, [Probe("get", "/operator/regions/"), Probe("get", "/operator/cluster/"),
                                 Probe("get", "/api/v1/regions/")])],
    "notifications.read": [(REGION, [Probe("get", "/notifications/"), Probe("get", "/api/v1/notifications/")])],
    "accounts.manage": [(REGION, [Probe("get", "/logins/"), Probe("get", "/logins/acting/"),
                                  Probe("get", "/logins/policy/"), Probe("get", "/api/v1/logins/"),
                                  Probe("get", "/api/v1/acting-supervisors/")])],
    "accounts.self": [(REGION, [Probe("get", "/me/tokens/"), Probe("get", "/api/v1/tokens/")]),
                      (PUBLIC, [Probe("get", "/me/tokens/"), Probe("get", "/api/v1/tokens/")])],
}
# Capabilities that narrow what a page shows rather than open it: checked on the page's content.
SHOWN_ON_PAGE = {"plugins.catalogue.diagnose": (PUBLIC, "/plugins/", "is_operator"),
                 "plugins.failures.read_all": (PUBLIC, "/plugins/failures/", "reads_all")}
EVERY_ROLE = sorted(REGION_ROLES | PLATFORM_ROLES)


def login(region, role: str, username: str):
    """A user of `role` in a region's schema (the public one for None); tests sign in with force_login,
    so no password is hashed."""
    from django.contrib.auth import get_user_model

    with schema_context(region.schema_name if region else "public"):
        user = get_user_model()(username=username, role=role, full_name=f"Test {role}")
        user.set_unusable_password()
        user.save()
    return user


@pytest.fixture
def world(region_a):
    """One user per role on each kind of site (those of the other kind are strays there), and the
    records the probes name."""
    from kinerja.pay import services as pay
    from kinerja.training import services as training

    team = build_team(region_a, prefix="cap")
    region_users = {role: login(region_a, role, f"cap-{role}") for role in EVERY_ROLE if role != Role.EMPLOYEE}
    region_users[Role.EMPLOYEE] = team.employee_user
    public_users = {role: login(None, role, f"cap-{role}") for role in EVERY_ROLE}
    with in_region(region_a):
        hr = region_users[Role.HR_ADMIN]
        run = pay.create_run(month=datetime.date(2030, 1, 1), actor=hr)
        course = training.create_course(actor=hr, code="CAP-1", title="Etika pelayanan", method="klasikal",
                                        jp_hours=8, cost=0)
        start = datetime.date.today() + datetime.timedelta(days=60)
        session = training.create_session(actor=hr, course=course, starts_on=start, ends_on=start, seats=5,
                                           place="Aula BKPSDM")
    names = {"run": run.pk, "course": course.code, "session": session.pk}
    return {REGION: (region_a, region_users), PUBLIC: (None, public_users), "names": names, "team": team}


def ask(world, site: str, role: str, probe: Probe):
    region, users = world[site]
    client = client_for(region, users[role])
    path = probe.path.format(**world["names"])
    if probe.json:
        return getattr(client, probe.method)(path, probe.data, content_type="application/json")
    return getattr(client, probe.method)(path, probe.data)


def site_roles(site: str) -> frozenset[str]:
    return REGION_ROLES if site == REGION else PLATFORM_ROLES


def test_every_capability_has_probes_and_names_known_roles():
    assert set(PROBES) | set(SHOWN_ON_PAGE) == set(CAPABILITIES)
    for capability, roles in CAPABILITIES.items():
        sites = [site for site, _probes in PROBES[capability]] if capability in PROBES \
            else [SHOWN_ON_PAGE[capability][0]]
        assert roles and roles <= frozenset().union(*(site_roles(site) for site in sites)), capability


@pytest.mark.parametrize("capability", sorted(PROBES))
def test_a_role_without_the_capability_is_refused_on_page_and_api(world, capability):
    for site, probes in PROBES[capability]:
        holders = roles_with(capability) & site_roles(site)
        for role in EVERY_ROLE:
            for probe in probes:
                status = ask(world, site, role, probe).status_code
                if role in holders:
                    assert status != 403, (role, site, probe.path)
                else:
                    assert status == 403, (role, site, probe.path, status)


@pytest.mark.parametrize("capability", sorted(SHOWN_ON_PAGE))
def test_a_role_without_the_capability_is_not_shown_what_it_opens(world, capability):
    site, path, flag = SHOWN_ON_PAGE[capability]
    region, users = world[site]
    for role in EVERY_ROLE:
        response = client_for(region, users[role]).get(path)
        if response.status_code == 403:  # the page is another capability's, probed above; no holder is refused
            assert role not in roles_with(capability), role
            continue
        assert response.status_code == 200
        assert response.context[flag] is (role in roles_with(capability) & site_roles(site)), role


@pytest.mark.parametrize("site", [REGION, PUBLIC])
def test_each_roles_menu_is_its_capabilities_and_every_item_opens(world, site):
    region, users = world[site]
    nav = REGION_NAV if site == REGION else PLATFORM_NAV
    for role in EVERY_ROLE:
        client = client_for(region, users[role])
        response = client.get("/dashboard/")
        offered = [item["key"] for item in response.context["nav_items"]]
        held = capabilities_of(role) if role in site_roles(site) else frozenset()
        assert offered == [item.key for item in nav if item.capability in held], role
        for item in response.context["nav_items"]:
            assert client.get(item["url"]).status_code == 200, (role, item["key"])


def test_a_supervisors_menu_opens_too(world):
    region, _users = world[REGION]
    client = client_for(region, world["team"].supervisor_user)
    items = client.get("/dashboard/").context["nav_items"]
    assert [item["key"] for item in items] == [item.key for item in REGION_NAV
                                               if item.capability in capabilities_of(Role.EMPLOYEE)]
    for item in items:
        assert client.get(item["url"]).status_code == 200, item["key"]
