"""HR's everyday recruitment forms, in pages and API: a stage's rules before publishing, per-candidate
score entry (assessors' own sheets and HR's test-centre scores), the panel's averages once every assessor
has submitted, and score corrections with a reason that re-rank the stage. Each is tried by HR, by other
roles, from another region and with bad input (a field error, nothing saved)."""
from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.recruitment.models import OpeningStage, ScoreSheet, StagePublication, StageResult
from kinerja.recruitment.services.corrections import correct_scores
from kinerja.recruitment.services.openings import publish_opening
from kinerja.recruitment.services.publication import publish_stage
from kinerja.recruitment.services.ranking import compute_stage
from kinerja.recruitment.services.scoring import assign_assessor, enter_scores, save_score_sheet
from kinerja.recruitment.services.selection import advance, close_registration, included_stages
from kinerja.recruitment.services.stages import update_stage_rules
from tests.helpers import assert_queries, capture_queries, client_for, in_region, make_user
from tests.recruitment.flow import day, enter_system_scores, register_and_apply, review_all, skd_scores


def english_client(region, user=None):
    """A client whose pages come in English, the source language the assertions read."""
    client = client_for(region, user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _reload(region, model, **lookup):
    with in_region(region):
        return model.objects.get(**lookup)


def _audits(region, action: str) -> int:
    with in_region(region):
        return AuditEntry.objects.filter(action=action).count()


def _field_errors(response) -> str:
    return " ".join(part.split("</div>")[0] for part in response.content.decode().split('data-testid="field-error"')[1:])


@pytest.fixture
def hr_b(region_b):
    """A client of region B's HR admin, whose host knows nothing of region A's recruitment."""
    return english_client(region_b, make_user(region_b, Role.HR_ADMIN, username="hr-elsewhere"))


@pytest.fixture
def hr_a(region_a):
    """The same from region A, for the tests that run in region B."""
    return english_client(region_a, make_user(region_a, Role.HR_ADMIN, username="hr-elsewhere"))


def _start_skd(org, count=6):
    opening = org.opening()
    publish_opening(opening, actor=org.hr)
    apps = register_and_apply(opening, count=count)
    close_registration(opening, actor=org.hr)
    admin, skd = included_stages(opening)[:2]
    review_all(org, apps)
    compute_stage(admin, actor=org.hr)
    publish_stage(admin, actor=org.hr, now=day(0))
    advance(opening, actor=org.hr, now=day(4))
    return opening, apps, skd


@pytest.fixture
def skd_computed(national):
    """SKD computed for 6 applicants: ranks 1, 3, 2, 4, 6, 5 (see flow.py), everyone passes."""
    org = national
    opening, apps, skd = _start_skd(org)
    enter_system_scores(org, skd, apps, skd_scores)
    compute_stage(skd, actor=org.hr)
    return org, opening, apps, skd


@pytest.fixture
def interview(tebingtinggi):
    """Tebingtinggi's contract opening with its panel interview in progress for 3 candidates and two
    assessors (employees of the region)."""
    org = tebingtinggi
    opening = org.opening(code="kontrak-2026", kind="kontrak")
    stages = included_stages(opening)
    publish_opening(opening, actor=org.hr)
    apps = register_and_apply(opening, count=3)
    close_registration(opening, actor=org.hr)
    review_all(org, apps)
    compute_stage(stages[0], actor=org.hr)
    publish_stage(stages[0], actor=org.hr, now=day(0))
    advance(opening, actor=org.hr, now=day(4))
    for application in apps.values():
        enter_scores(stages[1], application, actor=org.hr,
                     scores={"Pengetahuan umum": 70, "Pengetahuan bidang": 80})
    compute_stage(stages[1], actor=org.hr)
    publish_stage(stages[1], actor=org.hr, now=day(5))
    advance(opening, actor=org.hr, now=day(5))
    stage = stages[2]
    assert stage.name == "Wawancara" and stage.uses_assessors
    assessors = [make_user(org.region, Role.EMPLOYEE, username=f"pewawancara-{n}", full_name=f"Pewawancara {n}")
                 for n in (1, 2)]
    with in_region(org.region):
        for user in assessors:
            assign_assessor(stage, user, actor=org.hr)
    return org, apps, stage, assessors


# --- 1. stage rules before publishing -------------------------------------------------------------------

def test_hr_adjusts_a_stage_rules_on_its_page_and_the_change_is_audited(national):
    org = national
    opening = org.opening()
    skd = included_stages(opening)[1]
    hr = english_client(org.region, org.hr)
    page = hr.get(f"/recruitment/{opening.pk}/")
    assert f'href="/recruitment/stages/{skd.pk}/rules/"' in page.content.decode()
    form = hr.get(f"/recruitment/stages/{skd.pk}/rules/")
    assert form.status_code == 200
    body = form.content.decode()
    assert 'data-testid="rules-form"' in body and 'name="threshold"' in body and "From 0 to 100." in body
    assert 'name="advance_per_post" value="3"' in body and re.search(r'value="components"[^>]*checked', body)
    response = hr.post(f"/recruitment/stages/{skd.pk}/rules/", {
        "threshold": "62,5", "advance_per_post": "2", "objection_window_days": "5",
        "publish_fields": ["number", "score", "rank", "outcome"]})
    assert response.status_code == 302 and response["Location"] == f"/recruitment/{opening.pk}/"
    stage = _reload(org.region, OpeningStage, pk=skd.pk)
    assert (stage.threshold, stage.advance_per_post, stage.objection_window_days, stage.publish_fields) == (
        Decimal("62.5"), 2, 5, ["number", "score", "rank", "outcome"])
    with in_region(org.region):
        entry = AuditEntry.objects.get(action="recruitment.stage.rules_changed", target_id=str(skd.pk))
    assert entry.before["advance_per_post"] == 3 and entry.after["advance_per_post"] == 2
    # An empty minimum and quota remove them.
    hr.post(f"/recruitment/stages/{skd.pk}/rules/", {"threshold": "", "advance_per_post": "",
                                                     "objection_window_days": "0", "publish_fields": ["number"]})
    stage = _reload(org.region, OpeningStage, pk=skd.pk)
    assert (stage.threshold, stage.advance_per_post, stage.objection_window_days) == (None, None, 0)


def test_stage_rules_form_offers_only_the_rules_a_stage_has(national):
    org = national
    opening = org.opening()
    admin, skd, skb, integration, final = included_stages(opening)
    hr = english_client(org.region, org.hr)
    admin_form = hr.get(f"/recruitment/stages/{admin.pk}/rules/").content.decode()
    assert 'name="threshold"' not in admin_form and 'name="advance_per_post"' not in admin_form
    assert 'value="score"' not in admin_form and 'value="outcome"' in admin_form
    skb_form = hr.get(f"/recruitment/stages/{skb.pk}/rules/").content.decode()
    assert 'name="advance_per_post"' in skb_form and 'name="publish_fields"' not in skb_form  # not announced
    # Integration reads SKD and SKB on 100 at 40% and 60%: its score is out of 100 too.
    assert "From 0 to 100." in hr.get(f"/recruitment/stages/{integration.pk}/rules/").content.decode()
    # A field the stage does not have is ignored by the page, refused by the service.
    hr.post(f"/recruitment/stages/{admin.pk}/rules/", {"threshold": "50", "objection_window_days": "4",
                                                       "publish_fields": ["number", "outcome"]})
    assert _reload(org.region, OpeningStage, pk=admin.pk).threshold is None
    with in_region(org.region), pytest.raises(ValidationError) as refused:
        update_stage_rules(admin, actor=org.hr, threshold="50")
    assert "threshold" in refused.value.message_dict


@pytest.mark.parametrize("data, field, message", [
    ({"threshold": "lots", "objection_window_days": "3"}, "threshold", "the minimum score must be a number from 0 to 100"),
    ({"threshold": "100.5", "objection_window_days": "3"}, "threshold", "from 0 to 100"),
    ({"advance_per_post": "0", "objection_window_days": "3"}, "advance_per_post", "whole number from 1 to 100"),
    ({"objection_window_days": "-1"}, "objection_window_days", "whole number of days from 0 to 60"),
    ({"objection_window_days": ""}, "objection_window_days", "whole number of days"),
    ({"objection_window_days": "3", "publish_fields": []}, "publish_fields", "choose at least one field"),
    ({"objection_window_days": "3", "publish_fields": ["salary"]}, "publish_fields", "salary"),
])
def test_stage_rules_bad_input_names_the_field_and_saves_nothing(national, data, field, message):
    org = national
    opening = org.opening()
    skd = included_stages(opening)[1]
    before = {f: getattr(skd, f) for f in ("threshold", "advance_per_post", "objection_window_days", "publish_fields")}
    post = {"threshold": "", "advance_per_post": "3", "publish_fields": ["number", "outcome"], **data}
    response = english_client(org.region, org.hr).post(f"/recruitment/stages/{skd.pk}/rules/", post)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'name="{field}"' in body and message in _field_errors(response), _field_errors(response)
    stage = _reload(org.region, OpeningStage, pk=skd.pk)
    assert {f: getattr(stage, f) for f in before} == before
    assert _audits(org.region, "recruitment.stage.rules_changed") == 0


def test_stage_rules_page_refuses_other_roles_a_published_opening_and_another_region(national, hr_b):
    org = national
    opening = org.opening()
    skd = included_stages(opening)[1]
    url = f"/recruitment/stages/{skd.pk}/rules/"
    for role in (Role.LEADERSHIP, Role.AUDITOR, Role.EMPLOYEE):
        client = english_client(org.region, make_user(org.region, role, username=f"rules-{role}"))
        assert client.get(url).status_code == 403
        assert client.post(url, {"objection_window_days": "9"}).status_code == 403
    assert hr_b.get(url).status_code == 404
    assert hr_b.post(url, {"objection_window_days": "9"}).status_code == 404
    assert _reload(org.region, OpeningStage, pk=skd.pk).objection_window_days == 0
    with in_region(org.region):
        publish_opening(opening, actor=org.hr)
    hr = english_client(org.region, org.hr)
    locked = hr.get(url).content.decode()
    assert 'data-testid="rules-locked"' in locked and 'data-testid="rules-form"' not in locked
    response = hr.post(url, {"objection_window_days": "9", "advance_per_post": "3"})
    assert "only change while the opening is a draft" in response.content.decode()
    assert _reload(org.region, OpeningStage, pk=skd.pk).objection_window_days == 0


def test_stage_rules_api(national, hr_b):
    org = national
    opening = org.opening()
    skd = included_stages(opening)[1]
    url = f"/api/v1/recruitment/stages/{skd.pk}/rules/"
    hr = english_client(org.region, org.hr)
    refused = hr.patch(url, {"threshold": "abc", "advance_per_post": 0, "objection_window_days": True,
                             "publish_fields": "number"}, content_type="application/json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"threshold", "advance_per_post", "objection_window_days", "publish_fields"}
    assert _reload(org.region, OpeningStage, pk=skd.pk).advance_per_post == 3
    response = hr.patch(url, {"threshold": 55, "objection_window_days": 2}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert (response.json()["threshold"], response.json()["advance_per_post"],
            response.json()["objection_window_days"]) == ("55.000", 3, 2)  # left out: unchanged
    assert hr.post(url, {"threshold": None}, content_type="application/json").json()["threshold"] is None
    auditor = english_client(org.region, make_user(org.region, Role.AUDITOR, username="rules-api-auditor"))
    assert auditor.patch(url, {"threshold": 10}, content_type="application/json").status_code == 403
    assert hr_b.patch(url, {"threshold": 10}, content_type="application/json").status_code == 404


# --- 2. per-candidate scores: assessors, HR's entry, the panel -------------------------------------------

def test_assessor_scores_one_candidate_at_a_time_and_sees_others_only_after_submitting(interview):
    org, apps, stage, (first, second) = interview
    with in_region(org.region):
        save_score_sheet(stage, apps[1], assessor=first, scores={"Wawancara": 91}, submit=True)
    client = english_client(org.region, second)
    queue = client.get(f"/recruitment/assess/{stage.pk}/").content.decode()
    assert "You have submitted 0 of 3 candidates." in queue
    url = f"/recruitment/assess/{stage.pk}/{apps[1].pk}/"
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and 'name="score-0"' in body and "0 to 100 · passing grade 60 · weight 100%" in body
    # (the CSRF token may hold any digits: look for the stored score and the table of other sheets)
    assert "91.000" not in body and 'data-testid="other-sheets"' not in body and 'data-testid="others-hidden"' in body
    draft = client.post(url, {"score-0": "80,5"})
    assert draft.status_code == 302 and draft["Location"] == url
    assert _reload(org.region, ScoreSheet, stage=stage, application=apps[1], assessor=second).scores == {
        "Wawancara": "80.500"}
    submitted = client.post(url, {"score-0": "84", "submit": "1"})
    # On to the next candidate still waiting for this assessor's scores.
    assert submitted["Location"] == f"/recruitment/assess/{stage.pk}/{apps[2].pk}/"
    body = client.get(url).content.decode()
    assert 'data-testid="own-submitted"' in body and "91.000" in body and 'disabled' in body


@pytest.mark.parametrize("post, message", [
    ({"score-0": "120"}, "must be between 0 and 100"),
    ({"score-0": "tinggi"}, "is not a number"),
    ({"score-0": "", "submit": "1"}, "a score is needed"),
])
def test_assessor_bad_score_shows_a_field_error_and_saves_nothing(interview, post, message):
    org, apps, stage, (first, _second) = interview
    response = english_client(org.region, first).post(f"/recruitment/assess/{stage.pk}/{apps[1].pk}/", post)
    assert response.status_code == 200
    assert message in _field_errors(response) and 'data-field="Wawancara"' in response.content.decode()
    with in_region(org.region):
        assert not ScoreSheet.objects.filter(stage=stage, assessor=first).exists()


def test_assessor_pages_refuse_everyone_else(interview, hr_a):
    org, apps, stage, (first, _second) = interview
    url = f"/recruitment/assess/{stage.pk}/{apps[1].pk}/"
    # Readers see the stage on HR's pages: refused. Anyone else does not see it at all: not found.
    for user, code in ((org.hr, 403), (make_user(org.region, Role.AUDITOR, username="assess-auditor"), 403),
                       (make_user(org.region, Role.EMPLOYEE, username="not-an-assessor"), 404)):
        client = english_client(org.region, user)
        assert client.get(url).status_code == code
        assert client.post(url, {"score-0": "10", "submit": "1"}).status_code == code
        assert client.get(f"/recruitment/assess/{stage.pk}/").status_code == code
        assert f"/recruitment/assess/{stage.pk}/" not in client.get("/recruitment/assess/").content.decode()
    assert hr_a.get(url).status_code == 404
    with in_region(org.region):
        assert not ScoreSheet.objects.filter(stage=stage).exists()
    assert english_client(org.region, first).get(f"/recruitment/assess/{stage.pk}/999999/").status_code == 404


def test_panel_shows_averages_only_once_every_assessor_has_submitted(interview, hr_a):
    org, apps, stage, (first, second) = interview
    with in_region(org.region):
        save_score_sheet(stage, apps[1], assessor=first, scores={"Wawancara": 91}, submit=True)
        save_score_sheet(stage, apps[1], assessor=second, scores={"Wawancara": 84})  # a draft
        save_score_sheet(stage, apps[2], assessor=first, scores={"Wawancara": 60}, submit=True)
        save_score_sheet(stage, apps[2], assessor=second, scores={"Wawancara": 75}, submit=True)
    hr = english_client(org.region, org.hr)
    assert f'href="/recruitment/stages/{stage.pk}/panel/"' in hr.get(f"/recruitment/stages/{stage.pk}/").content.decode()
    with assert_queries(8):
        page = hr.get(f"/recruitment/stages/{stage.pk}/panel/")
    body = page.content.decode()
    assert page.status_code == 200 and "1 of 3 candidates fully scored" in body
    rows = {row.split('"')[0]: row for row in body.split('data-number="')[1:]}
    assert "1 of 2 submitted" in rows[apps[1].number] and "91.000" not in rows[apps[1].number]
    assert 'data-testid="average">67.500<' in rows[apps[2].number]
    assert "0 of 2 submitted" in rows[apps[3].number]

    api = hr.get(f"/api/v1/recruitment/stages/{stage.pk}/panel/").json()
    by_number = {c["number"]: c for c in api["candidates"]}
    assert by_number[apps[1].number]["average"] is None
    assert by_number[apps[1].number]["submitted"] == {"pewawancara-1": "submitted", "pewawancara-2": "draft"}
    assert (by_number[apps[2].number]["average"], by_number[apps[2].number]["score"]) == (
        {"Wawancara": "67.500"}, "67.500")

    auditor = english_client(org.region, make_user(org.region, Role.AUDITOR, username="panel-auditor"))
    assert auditor.get(f"/recruitment/stages/{stage.pk}/panel/").status_code == 200
    # An assessor must not read the panel's averages through HR's page or the API.
    assessor = english_client(org.region, second)
    assert assessor.get(f"/recruitment/stages/{stage.pk}/panel/").status_code == 403
    assert assessor.get(f"/api/v1/recruitment/stages/{stage.pk}/panel/").status_code == 403
    # HR's page of the stage sends the assessor to their own; a change posted there is refused.
    assert assessor.get(f"/recruitment/stages/{stage.pk}/")["Location"] == f"/recruitment/assess/{stage.pk}/"
    assert assessor.post(f"/recruitment/stages/{stage.pk}/", {"op": "compute"}).status_code == 403
    assert assessor.get(f"/recruitment/stages/{stage.pk}/export.csv").status_code == 403
    assert hr_a.get(f"/recruitment/stages/{stage.pk}/panel/").status_code == 404
    assert hr_a.get(f"/api/v1/recruitment/stages/{stage.pk}/panel/").status_code == 404


def test_panel_query_count_does_not_grow_with_candidates(interview):
    org, apps, stage, (first, second) = interview
    hr = english_client(org.region, org.hr)
    hr.get(f"/recruitment/stages/{stage.pk}/panel/")  # warm caches (session, region)
    with capture_queries() as three:
        hr.get(f"/recruitment/stages/{stage.pk}/panel/")
    with in_region(org.region):
        for application in apps.values():
            for user, value in ((first, 70), (second, 80)):
                save_score_sheet(stage, application, assessor=user, scores={"Wawancara": value}, submit=True)
    with capture_queries() as scored:
        body = hr.get(f"/recruitment/stages/{stage.pk}/panel/").content.decode()
    assert body.count('data-testid="average">75.000<') == 3
    assert len(scored) == len(three)


def test_hr_enters_test_centre_scores_per_candidate(national, hr_b):
    org = national
    opening, apps, skd = _start_skd(org, count=3)
    hr = english_client(org.region, org.hr)
    stage_page = hr.get(f"/recruitment/stages/{skd.pk}/").content.decode()
    url = f"/recruitment/stages/{skd.pk}/scores/{apps[1].pk}/"
    assert f'href="{url}"' in stage_page
    page = hr.get(url).content.decode()
    assert 'name="score-0"' in page and "0 to 150 · passing grade 65" in page
    bad = hr.post(url, {"score-0": "151", "score-1": "120", "score-2": "", "next": "1"})
    assert bad.status_code == 200
    errors = _field_errors(bad)
    assert "must be between 0 and 150" in errors and "a score is needed" in errors
    with in_region(org.region):
        assert not ScoreSheet.objects.filter(stage=skd).exists()
    saved = hr.post(url, {"score-0": "100", "score-1": "120", "score-2": "190", "next": "1"})
    assert saved["Location"] == f"/recruitment/stages/{skd.pk}/scores/{apps[2].pk}/"
    assert _reload(org.region, ScoreSheet, stage=skd, application=apps[1]).scores == {
        "TWK": "100.000", "TIU": "120.000", "TKP": "190.000"}
    for role in (Role.AUDITOR, Role.EMPLOYEE):
        client = english_client(org.region, make_user(org.region, role, username=f"entry-{role}"))
        assert client.post(url, {"score-0": "1", "score-1": "1", "score-2": "1"}).status_code == 403
    assert hr_b.get(url).status_code == 404
    # The API names the component under "scores".
    refused = hr.post(f"/api/v1/recruitment/stages/{skd.pk}/scores/",
                      {"number": apps[2].number, "scores": {"TWK": 151, "TIU": 100, "TKP": 170}},
                      content_type="application/json")
    assert refused.status_code == 400 and list(refused.json()["scores"]) == ["TWK"]
    unknown = hr.post(f"/api/v1/recruitment/stages/{skd.pk}/scores/", {"number": "NOPE", "scores": {}},
                      content_type="application/json")
    assert unknown.status_code == 400 and "number" in unknown.json()


# --- 3. score corrections ----------------------------------------------------------------------------------

def test_hr_corrects_a_computed_score_with_a_reason_and_the_stage_is_reranked(skd_computed):
    org, opening, apps, skd = skd_computed
    assert _reload(org.region, StageResult, stage=skd, application=apps[5]).rank == 6
    hr = english_client(org.region, org.hr)
    url = f"/recruitment/stages/{skd.pk}/correct/{apps[5].pk}/"
    assert f'href="{url}"' in hr.get(f"/recruitment/stages/{skd.pk}/").content.decode()
    page = hr.get(url).content.decode()
    assert 'data-testid="correction-form"' in page and 'placeholder="80.000"' in page
    response = hr.post(url, {"score-0": "120", "reason": "Berita acara CAT: TWK tertukar dengan peserta lain."})
    assert response.status_code == 302 and response["Location"] == f"/recruitment/stages/{skd.pk}/"
    result = _reload(org.region, StageResult, stage=skd, application=apps[5])
    assert (result.scores["TWK"], result.rank, result.corrected_scores) == ("120.000", 1, {"TWK": "120.000"})
    assert _reload(org.region, StageResult, stage=skd, application=apps[1]).rank == 2
    with in_region(org.region):
        entry = AuditEntry.objects.get(action="recruitment.scores.corrected", target_id=str(apps[5].pk))
    assert entry.reason.startswith("Berita acara CAT")
    assert (entry.before["rank"], entry.after["rank"], entry.after["corrected"]) == (6, 1, {"TWK": "120.000"})
    assert entry.after["ranks"][skd.name][apps[5].number][:2] == [6, 1]


def test_a_correction_after_publishing_republishes_the_announced_list(skd_computed):
    org, opening, apps, skd = skd_computed
    with in_region(org.region):
        publish_stage(skd, actor=org.hr, now=day(5))
        correct_scores(skd, apps[5], actor=org.hr, scores={"TIU": "150"},
                       reason="Lembar jawaban dipindai ulang oleh panitia.")
        versions = list(StagePublication.objects.filter(stage=skd).order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].rows[0]["number"] == apps[5].number and "score correction" in versions[1].note


@pytest.mark.parametrize("post, field, message", [
    ({"score-0": "90", "reason": "typo"}, "reason", "at least 10 characters"),
    ({"score-0": "151", "reason": "Berita acara CAT dikoreksi."}, "TWK", "must be between 0 and 150"),
    ({"score-0": "abc", "reason": "Berita acara CAT dikoreksi."}, "TWK", "is not a number"),
])
def test_score_correction_bad_input_names_the_field_and_changes_nothing(skd_computed, post, field, message):
    org, opening, apps, skd = skd_computed
    response = english_client(org.region, org.hr).post(f"/recruitment/stages/{skd.pk}/correct/{apps[5].pk}/", post)
    assert response.status_code == 200
    assert message in _field_errors(response) and f'data-field="{field}"' in response.content.decode()
    result = _reload(org.region, StageResult, stage=skd, application=apps[5])
    assert (result.corrected_scores, result.rank) == ({}, 6)
    assert _audits(org.region, "recruitment.scores.corrected") == 0


def test_score_correction_with_nothing_to_change_or_before_computing_is_refused(national):
    org = national
    opening, apps, skd = _start_skd(org, count=3)
    hr = english_client(org.region, org.hr)
    url = f"/recruitment/stages/{skd.pk}/correct/{apps[1].pk}/"
    assert 'data-testid="not-correctable"' in hr.get(url).content.decode()  # SKD is still taking scores
    response = hr.post(url, {"score-0": "100", "reason": "Berita acara CAT dikoreksi."})
    assert "once its results are computed" in response.content.decode()
    with in_region(org.region):
        enter_system_scores(org, skd, apps, skd_scores)
        compute_stage(skd, actor=org.hr)
    response = hr.post(url, {"reason": "Berita acara CAT dikoreksi."})
    assert "at least one component" in response.content.decode()
    response = hr.post(url, {"score-0": "100", "reason": "Berita acara CAT dikoreksi."})  # TWK is already 100
    assert "already has" in response.content.decode()
    assert _audits(org.region, "recruitment.scores.corrected") == 0


def test_score_correction_refuses_other_roles_and_another_region(skd_computed, hr_b):
    org, opening, apps, skd = skd_computed
    url = f"/recruitment/stages/{skd.pk}/correct/{apps[5].pk}/"
    post = {"score-0": "120", "reason": "Berita acara CAT dikoreksi."}
    for role in (Role.LEADERSHIP, Role.AUDITOR, Role.EMPLOYEE):
        client = english_client(org.region, make_user(org.region, role, username=f"correct-{role}"))
        assert client.get(url).status_code == 403 and client.post(url, post).status_code == 403
        api = client.post(f"/api/v1/recruitment/stages/{skd.pk}/correct/",
                          {"number": apps[5].number, "scores": {"TWK": 120}, "reason": post["reason"]},
                          content_type="application/json")
        assert api.status_code == 403
    assert hr_b.get(url).status_code == 404 and hr_b.post(url, post).status_code == 404
    assert _reload(org.region, StageResult, stage=skd, application=apps[5]).corrected_scores == {}


def test_score_correction_api_on_the_integration(national):
    """The integration is computed from SKD and SKB; HR corrects the SKB part it read."""
    org = national
    opening, apps, skd = _start_skd(org, count=6)
    with in_region(org.region):
        enter_system_scores(org, skd, apps, skd_scores)
        compute_stage(skd, actor=org.hr)
        publish_stage(skd, actor=org.hr, now=day(5))
        advance(opening, actor=org.hr, now=day(5))
        skb, integration = included_stages(opening)[2:4]
        enter_system_scores(org, skb, apps, lambda n: {"CAT SKB": 70 + n, "Tes tambahan (praktik kerja/wawancara)": 70})
        compute_stage(skb, actor=org.hr)
        publish_stage(skb, actor=org.hr, now=day(6))
        advance(opening, actor=org.hr, now=day(6))
        compute_stage(integration, actor=org.hr)
        last = StageResult.objects.filter(stage=integration).order_by("-rank").select_related("application").first()
    hr = english_client(org.region, org.hr)
    url = f"/api/v1/recruitment/stages/{integration.pk}/correct/"
    refused = hr.post(url, {"number": last.application.number, "scores": {skb.name: 101, "Bonus": 5}, "reason": ""},
                      content_type="application/json")
    assert refused.status_code == 400
    assert set(refused.json()) == {"scores", "reason"} and set(refused.json()["scores"]) == {skb.name, "Bonus"}
    response = hr.post(url, {"number": last.application.number, "scores": {skb.name: 100},
                             "reason": "Nilai SKB dari panitia pusat diperbarui."}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["rank"] == 1 and response.json()["scores"][skb.name] == "100.000"


def test_component_scores_show_in_the_stage_order_on_hr_and_portal_lists(skd_computed):
    """Scores are stored as JSON objects, whose key order the database does not keep (TIU, TKP, TWK)."""
    org, opening, apps, skd = skd_computed
    with in_region(org.region):
        publish_stage(skd, actor=org.hr, now=day(5))
    row = "<td>100.000</td><td>120.000</td><td>190.000</td>"  # applicant 1: TWK 100, TIU 120, TKP 190
    assert row in english_client(org.region, org.hr).get(f"/recruitment/stages/{skd.pk}/").content.decode()
    portal = english_client(org.region).get(f"/jobs/{opening.code}/results/{skd.pk}/").content.decode()
    assert row in portal.replace("\n", "")


def test_document_checks_are_offered_only_while_the_administrative_stage_is_open(national):
    """During the administrative stage HR sees Accept and Reject beside each document; once the stage is
    published and the opening has moved on, the page offers no button the service would refuse."""
    org = national
    opening = org.opening()
    publish_opening(opening, actor=org.hr)
    apps = register_and_apply(opening, count=2)
    close_registration(opening, actor=org.hr)
    hr = english_client(org.region, org.hr)
    with in_region(org.region):
        url = f"/recruitment/applications/{apps[1].pk}/"
    assert 'name="accepted"' in hr.get(url).content.decode()
    with in_region(org.region):  # a page request leaves the connection on the public schema
        admin = included_stages(opening)[0]
        review_all(org, apps)
        compute_stage(admin, actor=org.hr)
        publish_stage(admin, actor=org.hr, now=day(0))
        advance(opening, actor=org.hr, now=day(4))
    page = hr.get(url).content.decode()
    assert page.count('data-testid="document-table"') == 1 and 'name="accepted"' not in page
