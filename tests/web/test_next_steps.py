"""Dashboards say what to do next, per role, each step linking to the page where it is done: a supervisor
only about their own appraisees and direct reports, HR about the region, an employee about themselves."""
import datetime

import pytest
from django.utils import translation
from kinerja.accounts.models import Role
from kinerja.appraisal import services as appraisal
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES
from kinerja.region import facts

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import build_organisation, make_employee, make_login
from tests.helpers import capture_queries, english_client, in_region

pytestmark = pytest.mark.django_db
VALUES = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def org(region_a):
    with in_region(region_a):
        yield build_organisation(region_a)


def steps(response, name: str) -> dict:
    """The dashboard's steps of one list, by key."""
    return {step.key: step for step in response.context[name]}


def item_texts(step) -> list[str]:
    return [item["text"] for item in step.items]


def test_supervisor_sees_plans_to_approve_ratings_due_and_reports_without_plan(org):
    year = open_year(org, facts.today().year)
    waiting = plan_with_indicators(org.staff, year, approve=False)
    appraisal.submit_plan(actor=org.staff.user, plan=waiting)
    rated_one = plan_with_indicators(org.chief, year)  # the head appraises the chief
    teacher_plan = plan_with_indicators(org.teacher, year, approve=False)  # another unit's supervisor
    appraisal.submit_plan(actor=org.teacher.user, plan=teacher_plan)

    chief = english_client(org.region, org.chief.user).get("/dashboard/")
    html = chief.content.decode()
    team = steps(chief, "team_steps")
    assert item_texts(team["plans-to-approve"]) == [f"Staf Satu ({year.year})"]
    assert f'href="/appraisal/skp/{waiting.pk}/"' in html
    assert item_texts(team["team-without-plan"]) == ["Staf Dua"]  # Staf Satu has one
    assert "ratings-due" not in team  # no approved appraisee yet
    assert "Guru" not in html and "Kepala Disdik" not in html

    head = english_client(org.region, org.head.user).get("/dashboard/")
    team = steps(head, "team_steps")
    assert "plans-to-approve" not in team  # the chief's plan is approved; Staf Satu's is not the head's
    ended = [p for p in year.periods.order_by("number") if p.ends_on < facts.today()]
    due = item_texts(team["ratings-due"])
    assert due and all(text.startswith("Kepala Seksi") for text in due) and len(due) == len(ended)
    assert f'href="/appraisal/skp/{rated_one.pk}/periods/{ended[0].number}/"' in head.content.decode()
    assert "Staf Satu" not in head.content.decode()  # not the head's direct report nor appraisee

    edu_head = english_client(org.region, org.edu_head.user).get("/dashboard/")
    assert item_texts(steps(edu_head, "team_steps")["plans-to-approve"]) == [f"Guru ({year.year})"]
    assert "Staf Satu" not in edu_head.content.decode()


def test_employee_sees_own_skp_predicate_tpp_jp_and_objection(org):
    from tests.pay.factories import computed_run, use_pay_plugin

    year = open_year(org, facts.today().year)
    last_year = open_year(org, facts.today().year - 1)
    plan = plan_with_indicators(org.staff, year, approve=False)
    old = plan_with_indicators(org.staff, last_year)
    rating = appraisal.rate(actor=org.chief.user, plan=old, work_result="above", behaviour="above",
                            behaviour_values=VALUES, reason="Excellent")
    appraisal.deliver_rating(actor=org.chief.user, rating=rating)
    appraisal.file_objection(actor=org.staff.user, rating=rating, reasons="Wrong unit rating")
    use_pay_plugin("kinerja-tpp-bukittinggi", org.hr)
    run = computed_run(datetime.date(2025, 3, 1), org.hr, approve_with=make_login(Role.HR_ADMIN, "checker"))
    result = run.results.get(employee=org.staff)

    response = english_client(org.region, org.staff.user).get("/dashboard/")
    mine = steps(response, "my_steps")
    assert mine["my-skp"].text == f"Your SKP for {year.year}: Draft." and not mine["my-skp"].done
    assert mine["my-skp"].url == f"/appraisal/skp/{plan.pk}/"
    assert mine["my-predicate"].text == f"Your last predicate ({last_year.year}): Sangat Baik."
    assert mine["my-tpp"].url == f"/pay/results/{result.pk}/" and "March 2025" in mine["my-tpp"].text
    assert mine["my-jp"].text == "Training this year: 0 of 20 JP." and mine["my-jp"].url == "/training/hours/"
    assert mine["my-objection"].url.startswith("/appraisal/objections/")
    # a colleague's own state is theirs: Staf Dua has no plan, no TPP line of Staf Satu's
    other = steps(english_client(org.region, org.staff2.user).get("/dashboard/"), "my_steps")
    assert other["my-skp"].text.startswith("You have no SKP") and "my-objection" not in other
    assert other["my-tpp"].url != mine["my-tpp"].url


def test_hr_sees_what_waits_in_the_region(org, region_b):
    from tests.pay.factories import computed_run, use_pay_plugin

    year = facts.today().year
    open_year(org, year)
    make_employee(org.health, "Tanpa Akun", org.chief, with_user=False)
    use_pay_plugin("kinerja-tpp-bukittinggi", org.hr)
    checker = make_login(Role.HR_ADMIN, "checker")
    run = computed_run(datetime.date(2025, 3, 1), org.hr)

    response = english_client(org.region, checker).get("/dashboard/")
    hr = steps(response, "hr_steps")
    assert item_texts(hr["runs-to-approve"]) == ["March 2025"] and hr["runs-to-approve"].items[0]["url"] == \
        f"/pay/runs/{run.pk}/"
    assert not hr["attendance"].done and hr["attendance"].url == "/pay/attendance/"
    assert hr["without-login"].text == "1 active employee has no login."
    assert item_texts(hr["plans-not-submitted"]) == ["Dinas Kesehatan: 5", "Dinas Pendidikan: 2"]
    assert hr["training-below-target"].text == "7 employees are below the JP target this year."
    assert "objections-open" not in hr
    # the maker is not asked to approve their own run
    assert "runs-to-approve" not in steps(english_client(org.region, org.hr).get("/dashboard/"), "hr_steps")
    # another region's HR sees its own (empty) region
    with in_region(region_b):
        hr_b = make_login(Role.HR_ADMIN, "hr-b")
    other = steps(english_client(region_b, hr_b).get("/dashboard/"), "hr_steps")
    assert "runs-to-approve" not in other and "without-login" not in other


def test_leadership_sees_predicates_per_unit(org):
    year = open_year(org, facts.today().year - 1)
    for employee in (org.staff, org.staff2):
        plan = plan_with_indicators(employee, year)
        rating = appraisal.rate(actor=org.chief.user, plan=plan, work_result="as_expected", behaviour="as_expected",
                                behaviour_values=VALUES, reason="x")
        appraisal.deliver_rating(actor=org.chief.user, rating=rating)
    response = english_client(org.region, org.leadership).get("/dashboard/")
    assert response.context["distribution_of"] == str(year.year)
    (row,) = response.context["distribution"]
    assert row["unit"] == "Dinas Kesehatan" and row["total"] == 2 and row["counts"]["baik"] == 2
    html = response.content.decode()
    assert 'data-testid="distribution"' in html and "Staf Satu" not in html  # counts, no names
    # a later round (a period of this year) is the one shown once delivered
    this_year = open_year(org, facts.today().year)
    first = this_year.periods.order_by("number").first()
    plan = plan_with_indicators(org.teacher, this_year)
    rating = appraisal.rate(actor=org.edu_head.user, plan=plan, period=first, work_result="above",
                            behaviour="above", behaviour_values=VALUES, reason="x")
    appraisal.deliver_rating(actor=org.edu_head.user, rating=rating)
    response = english_client(org.region, org.leadership).get("/dashboard/")
    assert response.context["distribution_of"] == str(first)
    assert [(row["unit"], row["counts"]["sangat_baik"]) for row in response.context["distribution"]] == [
        ("Dinas Pendidikan", 1)]


def test_operator_sees_regions_onboarding_suspended_and_failing_plugins(region_a, region_b):
    from django.utils import timezone
    from kinerja.plugins.failures.models import PluginFailureRecord

    from tenants.models import Region, RegionStatus

    Region.objects.filter(pk=region_a.pk).update(status=RegionStatus.SUSPENDED)
    Region.objects.filter(pk=region_b.pk).update(status=RegionStatus.ONBOARDING)
    PluginFailureRecord.objects.create(plugin_name="kinerja-tpp-broken", plugin_version="1.0", vendor="Acme",
                                       region_slug="bukittinggi", hook="kinerja_compute_pay", error_type="ValueError",
                                       signature="x", first_seen=timezone.now(), last_seen=timezone.now(), count=3)
    operator = make_login(Role.OPERATOR, "ops-steps")
    response = english_client(None, operator).get("/dashboard/")
    ops = steps(response, "operator_steps")
    assert "Kota Bukittinggi" in item_texts(ops["regions-suspended"])
    assert "Kabupaten Batanghari" in item_texts(ops["regions-onboarding"])
    assert item_texts(ops["failing-plugins"]) == ["kinerja-tpp-broken: 3 failures"]
    assert ops["failing-plugins"].items[0]["url"] == "/plugins/failures/?plugin=kinerja-tpp-broken"


def test_next_steps_do_not_grow_queries_with_the_region(org):
    year = open_year(org, facts.today().year)
    chief_plan = plan_with_indicators(org.chief, year)
    plan_with_indicators(org.staff, year)
    users = {"hr": org.hr, "supervisor": org.head.user, "employee": org.staff.user, "leadership": org.leadership}
    before = {}
    for name, user in users.items():
        client = english_client(org.region, user)
        client.get("/dashboard/")
        with capture_queries() as captured:
            client.get("/dashboard/")
        before[name] = len(captured)
    for n in range(12):  # more people, more plans waiting, more reports without a plan
        employee = make_employee(org.health, f"Tambahan {n}", org.head)
        if n % 2:
            waiting = plan_with_indicators(employee, year, approve=False)
            appraisal.submit_plan(actor=employee.user, plan=waiting)
    assert chief_plan.pk
    for name, user in users.items():
        client = english_client(org.region, user)
        with capture_queries() as captured:
            client.get("/dashboard/")
        assert len(captured) == before[name], name
