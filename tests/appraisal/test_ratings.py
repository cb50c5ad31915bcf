"""Ratings per period and per year, the predicate from the matrix, audit, and anonymous peer input."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES, AppraisalSettings, Rating
from kinerja.audit.models import AuditEntry
from tests.appraisal.factories import open_year, plan_with_indicators
from tests.appraisal.test_periods_and_matrix import MATRIX
from tests.factories import make_employee
from tests.helpers import english_client

pytestmark = pytest.mark.django_db

ALL_AS_EXPECTED = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES}
IN_2026 = datetime.datetime(2026, 12, 20, 3, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture
def plan(org):
    return plan_with_indicators(org.staff, open_year(org, 2026, "quarterly"))


def rate(org, plan, **overrides):
    values = dict(work_result="as_expected", behaviour="as_expected", behaviour_values=ALL_AS_EXPECTED,
                  reason="Targets met on time", now=IN_2026)
    values.update(overrides)
    return services.rate(actor=plan.appraiser.user, plan=plan, **values)


@pytest.mark.parametrize("work_result,behaviour,predicate", MATRIX)
def test_rating_takes_its_predicate_from_the_matrix(org, plan, work_result, behaviour, predicate):
    rating = rate(org, plan, work_result=work_result, behaviour=behaviour)
    assert rating.predicate == predicate and rating.predicate_source == "matrix"


def test_rating_follows_a_region_change_of_the_matrix(org, plan):
    services.set_predicate_rule(actor=org.hr, work_result="above", behaviour="below", predicate="butuh_perbaikan",
                                reason="Local rule")
    assert rate(org, plan, work_result="above", behaviour="below").predicate == "butuh_perbaikan"


def test_period_and_annual_ratings_are_separate(org, plan):
    tw2 = selectors.period_of_plan(plan, 2)
    rate(org, plan, period=tw2, work_result="above", behaviour="above")
    rate(org, plan, work_result="below", behaviour="as_expected")
    ratings = {(r.period.number if r.period else None): r.predicate for r in selectors.ratings_of(plan)}
    assert ratings == {2: "sangat_baik", None: "butuh_perbaikan"}


def test_rating_input_is_checked(org, plan):
    cases = [
        (dict(reason=""), "reason"),
        (dict(work_result="excellent"), "work_result"),
        (dict(behaviour_values={**ALL_AS_EXPECTED, "jujur": "above"}), "behaviour_values"),
        (dict(behaviour_values={k: v for k, v in ALL_AS_EXPECTED.items() if k != "loyal"}), "behaviour_values"),
        (dict(behaviour_values={**ALL_AS_EXPECTED, "adaptif": "great"}), "behaviour_values"),
    ]
    for overrides, field in cases:
        with pytest.raises(ValidationError) as error:
            rate(org, plan, **overrides)
        assert field in error.value.message_dict, overrides
    with pytest.raises(ValidationError, match="Missing a level for: loyal"):
        rate(org, plan, behaviour_values={k: v for k, v in ALL_AS_EXPECTED.items() if k != "loyal"})
    before_start = datetime.datetime(2026, 2, 1, 3, 0, tzinfo=datetime.timezone.utc)
    with pytest.raises(ValidationError, match="has not started"):
        rate(org, plan, period=selectors.period_of_plan(plan, 3), now=before_start)
    assert not Rating.objects.exists()


def test_only_the_appraiser_rates_an_approved_plan(org, plan):
    for intruder in (org.staff.user, org.staff2.user, org.head.user, org.edu_head.user, org.hr, org.leadership):
        with pytest.raises(PermissionDenied):
            services.rate(actor=intruder, plan=plan, work_result="above", behaviour="above",
                          behaviour_values=ALL_AS_EXPECTED, reason="x", now=IN_2026)
    draft = plan_with_indicators(org.staff2, plan.appraisal_year, approve=False)
    with pytest.raises(ValidationError, match="approved SKP"):
        rate(org, draft)


def test_every_rating_change_is_audited_and_delivery_locks_it(org, plan):
    rating = rate(org, plan, work_result="as_expected", behaviour="as_expected")
    rate(org, plan, work_result="above", behaviour="above", reason="Exceeded the target by 30%")
    entries = list(AuditEntry.objects.filter(action="appraisal.rating.set", target_id=str(rating.pk)).order_by("id"))
    assert [e.before and e.before["predicate"] for e in entries] == [None, "baik"]
    assert entries[1].after["predicate"] == "sangat_baik" and entries[1].reason == "Exceeded the target by 30%"
    with pytest.raises(PermissionDenied):
        services.deliver_rating(actor=org.staff.user, rating=rating)
    services.deliver_rating(actor=org.chief.user, rating=rating, now=IN_2026)
    assert AuditEntry.objects.filter(action="appraisal.rating.deliver", target_id=str(rating.pk)).exists()
    with pytest.raises(ValidationError, match="delivered on 2026-12-20"):
        rate(org, plan)
    with pytest.raises(ValidationError, match="already been delivered"):
        services.deliver_rating(actor=org.chief.user, rating=rating)


def test_peer_input_is_anonymous_and_hidden_until_the_minimum(org, plan):
    third = make_employee(org.health, "Staf Tiga", org.chief)
    peers = [org.staff2.user, org.head.user, third.user]
    for outsider in (org.staff.user, org.chief.user, org.teacher.user, org.hr):
        with pytest.raises(PermissionDenied):
            services.give_peer_input(actor=outsider, plan=plan, behaviour_values=ALL_AS_EXPECTED)
    services.give_peer_input(actor=peers[0], plan=plan, comment="Always helpful",
                             behaviour_values={**ALL_AS_EXPECTED, "kolaboratif": "above"})
    with pytest.raises(ValidationError, match="already given"):
        services.give_peer_input(actor=peers[0], plan=plan, behaviour_values=ALL_AS_EXPECTED)
    services.give_peer_input(actor=peers[1], plan=plan, behaviour_values=ALL_AS_EXPECTED)
    hidden = selectors.peer_summary(plan)
    # not even how many have answered is told before the minimum
    assert hidden == {"respondents": None, "minimum": 3, "shown": False, "values": [], "comments": []}
    services.give_peer_input(actor=peers[2], plan=plan, comment="Punctual",
                             behaviour_values={**ALL_AS_EXPECTED, "kolaboratif": "above"})
    shown = selectors.peer_summary(plan)
    assert shown["shown"] and shown["comments"] == ["Always helpful", "Punctual"]
    collaboration = next(v for v in shown["values"] if v["code"] == "kolaboratif")
    assert collaboration["counts"] == {"above": 2, "as_expected": 1, "below": 0}
    assert collaboration["average"] == 2.67
    assert set(shown) == {"respondents", "minimum", "shown", "values", "comments"}
    assert "Staf" not in str(shown) and "Kepala" not in str(shown)
    AppraisalSettings.objects.filter(pk=1).update(peer_minimum_respondents=5)
    assert not selectors.peer_summary(plan)["shown"]


def test_ratings_through_pages_and_api(org, plan):
    chief, owner = english_client(org.region, org.chief.user), english_client(org.region, org.staff.user)
    body = {"work_result": "above", "behaviour": "as_expected", "behaviour_values": ALL_AS_EXPECTED,
            "reason": "Clinic queue halved"}
    assert owner.post(f"/api/v1/appraisal/plans/{plan.pk}/ratings/", body, content_type="application/json").status_code == 403
    created = chief.post(f"/api/v1/appraisal/plans/{plan.pk}/ratings/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["predicate"] == "baik"
    seen = owner.get(f"/api/v1/appraisal/plans/{plan.pk}/ratings/").json()
    assert seen[0]["reason"] == "Clinic queue halved" and seen[0]["delivered_at"] is None
    assert chief.post(f"/api/v1/appraisal/plans/{plan.pk}/deliver/", {}, content_type="application/json").status_code == 200
    page = owner.get(f"/appraisal/skp/{plan.pk}/").content.decode()
    assert "Clinic queue halved" in page and "Baik" in page
    other = english_client(org.region, org.edu_head.user)
    assert other.get(f"/api/v1/appraisal/plans/{plan.pk}/ratings/").status_code == 404
    peer = english_client(org.region, org.staff2.user)
    assert peer.put(f"/api/v1/appraisal/peer-input/{plan.pk}/", {"behaviour_values": ALL_AS_EXPECTED},
                    content_type="application/json").status_code == 204
    assert other.put(f"/api/v1/appraisal/peer-input/{plan.pk}/", {"behaviour_values": ALL_AS_EXPECTED},
                     content_type="application/json").status_code == 404
    summary = owner.get(f"/api/v1/appraisal/plans/{plan.pk}/peer-summary/").json()
    assert summary["respondents"] is None and summary["shown"] is False
    form_page = peer.get("/appraisal/peers/").content.decode()
    assert "Staf Satu" in form_page


def test_hr_lowering_the_peer_minimum_does_not_uncover_answers_given_under_a_higher_one(org, plan):
    """Attack: three colleagues answered while the minimum was 5; HR lowers it to 3 to read them."""
    from kinerja.appraisal.models import PeerInput

    hr = english_client(org.region, org.hr)
    assert hr.post("/appraisal/rules/", {"op": "numbers", "objection_window_days": "14",
                                         "peer_minimum_respondents": "5", "realisation_grace_days": "10"}).status_code == 302
    third = make_employee(org.health, "Staf Tiga", org.chief)
    for peer in (org.staff2.user, org.head.user, third.user):
        services.give_peer_input(actor=peer, plan=plan, behaviour_values=ALL_AS_EXPECTED, comment="candid")
    assert set(PeerInput.objects.values_list("minimum_respondents", flat=True)) == {5}
    hr.post("/appraisal/rules/", {"op": "numbers", "objection_window_days": "14", "peer_minimum_respondents": "3",
                                  "realisation_grace_days": "10"})
    assert AppraisalSettings.objects.get().peer_minimum_respondents == 3
    summary = selectors.peer_summary(plan)
    assert summary == {"respondents": None, "minimum": 5, "shown": False, "values": [], "comments": []}
    owner = english_client(org.region, org.staff.user)
    api = owner.get(f"/api/v1/appraisal/plans/{plan.pk}/peer-summary/").json()
    assert api["shown"] is False and api["respondents"] is None and "candid" not in str(api)
    assert "candid" not in owner.get(f"/appraisal/skp/{plan.pk}/").content.decode()


@pytest.mark.parametrize("minimum", ["0", "1", "2"])
def test_the_peer_minimum_cannot_go_below_three(org, minimum):
    from django.db import IntegrityError, transaction

    with pytest.raises(ValidationError, match="between 3 and 50"):
        services.update_appraisal_numbers(actor=org.hr, values={"peer_minimum_respondents": minimum})
    assert AppraisalSettings.objects.get().peer_minimum_respondents == 3
    with pytest.raises(IntegrityError), transaction.atomic():  # not even through the admin or a shell
        AppraisalSettings.objects.filter(pk=1).update(peer_minimum_respondents=int(minimum))


def test_the_number_of_peer_answers_is_shown_only_once_it_reaches_the_minimum(org, plan):
    third = make_employee(org.health, "Staf Tiga", org.chief)
    owner = english_client(org.region, org.staff.user)
    for done, peer in enumerate((org.staff2.user, org.head.user), start=1):
        services.give_peer_input(actor=peer, plan=plan, behaviour_values=ALL_AS_EXPECTED)
        page = owner.get(f"/appraisal/skp/{plan.pk}/").content.decode()
        assert f"{done} of" not in page and "at least 3 colleagues" in page
    services.give_peer_input(actor=third.user, plan=plan, behaviour_values=ALL_AS_EXPECTED)
    assert selectors.peer_summary(plan)["respondents"] == 3
