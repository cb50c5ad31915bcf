"""Stage rules come from the typed fields of a plugin's stages, never from its sentences: a plugin that
words its rules differently but sets the same fields builds the same pipeline and ranks the same way;
scores on 100 and points, tie-breaks by an earlier stage, unranked stages; a plugin with broken rules is
refused when an opening is built."""
from __future__ import annotations

import dataclasses
import types
from decimal import Decimal as D

import kinerja_recruitment_national
import pytest
from django.core.exceptions import ValidationError

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.host import PluginHost, set_host
from kinerja_plugin_api.types import RankingPart, RecruitmentStage, ScoreComponent
from kinerja.recruitment import rules
from kinerja.recruitment.models import Opening
from kinerja.recruitment.services.openings import publish_opening
from kinerja.recruitment.services.publication import publish_stage
from kinerja.recruitment.services.ranking import compute_stage
from kinerja.recruitment.services.selection import advance, close_registration, included_stages
from tests.helpers import in_region
from tests.recruitment.conftest import NATIONAL, Org
from tests.recruitment.flow import (
    day,
    enter_system_scores,
    number,
    ranking,
    register_and_apply,
    review_all,
    skb_scores,
    skd_scores,
)

REWORDED = "test-recruitment-reworded"
BROKEN = "test-recruitment-broken"

# The national CPNS stages in other words. Some sentences carry numbers and phrases the platform once read
# as rules ("≥ 90", "2 x jumlah formasi", "tes tertulis 60% + wawancara 40%"); they must change nothing.
REWORDING = {
    "Seleksi Administrasi": ("Documents complete and valid for the post applied for.", "No ranking here."),
    "Seleksi Kompetensi Dasar (SKD)": (
        "Each sub-test has its own passing grade; of those who reach all three, the best three per post go on.",
        "Best total first. Equal totals: the character test decides, then intelligence, then nationality."),
    "Seleksi Kompetensi Bidang (SKB)": (
        "Scores ≥ 90 earn a commendation; whoever sits both tests goes on (not 2 x jumlah formasi).",
        "Weighted field score, as the tes tertulis 60% + wawancara 40% example in the guide explains."),
    "Integrasi Nilai SKD dan SKB": (
        "The best-ranked fill the posts, one each.",
        "Forty percent of the basic test on a hundred plus sixty percent of the field test; the basic test "
        "settles ties."),
    "Pengumuman Akhir": ("Named in the final announcement.", "As integrated."),
}


def _plugin(name: str, stages_of):
    module = types.ModuleType(name.replace("-", "_"))
    module.PLUGIN_META = {"name": name, "version": "1.0.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
                          "description": "Recruitment stages for tests."}

    @hookimpl
    def kinerja_recruitment_stages(opening_kind):
        return stages_of(opening_kind)

    module.kinerja_recruitment_stages = kinerja_recruitment_stages
    return module


def _reworded(opening_kind):
    if opening_kind != "cpns":
        return None
    return [dataclasses.replace(stage, pass_rule=REWORDING[stage.name][0], ranking_rule=REWORDING[stage.name][1])
            for stage in kinerja_recruitment_national.CPNS_STAGES]


def _broken(opening_kind):
    # The interview's ranking mix names the psychological test, which comes after it.
    return [RecruitmentStage("Seleksi Administrasi", 10, "committee"),
            RecruitmentStage("Wawancara", 20, "panel", components=(ScoreComponent("Wawancara", D(100), D(100)),),
                             ranking=(RankingPart("Wawancara", D(50)), RankingPart("Tes Psikologi", D(50)))),
            RecruitmentStage("Tes Psikologi", 30, "psychologist",
                             components=(ScoreComponent("Asesmen psikologi", D(100), D(100)),))]


@pytest.fixture
def host():
    host = PluginHost()
    for module in (kinerja_recruitment_national, _plugin(REWORDED, _reworded), _plugin(BROKEN, _broken)):
        assert host.register(module) is not None, host.load_errors
    previous = set_host(host)
    yield host
    set_host(previous)


RULE_FIELDS = ("name", "kind", "components", "threshold", "advance_per_post", "ranks", "tie_breaks", "ranking_mix",
               "publish_fields", "objection_window_days", "announced")


def _through_integration(org, opening, count=12):
    """Run the opening from registration to the computed integration; the SKD and integration rankings."""
    publish_opening(opening, actor=org.hr)
    admin, skd, skb, integration, _final = included_stages(opening)
    apps = register_and_apply(opening, count)
    close_registration(opening, actor=org.hr)
    review_all(org, apps)
    for stage, scores, offset in ((admin, None, 0), (skd, skd_scores, 5), (skb, skb_scores, 6)):
        if scores:
            enter_system_scores(org, stage, apps, scores)
        compute_stage(stage, actor=org.hr)
        publish_stage(stage, actor=org.hr, now=day(offset))
        advance(opening, actor=org.hr, now=day(offset + 4 if stage is admin else offset))
    compute_stage(integration, actor=org.hr)
    return ranking(skd), ranking(integration)


def test_a_plugin_worded_differently_with_the_same_typed_rules_ranks_the_same(host, region_a, region_b):
    national = Org(region_a, [NATIONAL])
    reworded = Org(region_b, [REWORDED])
    with in_region(region_a):
        national_opening = national.opening()
        national_stages = [{f: getattr(s, f) for f in RULE_FIELDS} for s in included_stages(national_opening)]
        national_rankings = _through_integration(national, national_opening)
    with in_region(region_b):
        opening = reworded.opening()
        stages = included_stages(opening)
        assert [s.pass_rule for s in stages] == [REWORDING[s.name][0] for s in stages]
        assert [{f: getattr(s, f) for f in RULE_FIELDS} for s in stages] == national_stages
        assert (stages[2].threshold, stages[2].advance_per_post) == (None, None)  # "≥ 90", "2 x" are only words
        reworded_rankings = _through_integration(reworded, opening)

    assert reworded_rankings == national_rankings
    skd, integration = reworded_rankings
    passed = [f"{number(opening, n)} passed" for n in (1, 3, 2, 4, 6, 5, 7, 8, 9)]
    assert skd == passed + [f"{number(opening, n)} failed" for n in (10, 12, 11)]
    assert integration == [f"{number(opening, n)} {'passed' if rank <= 3 else 'failed'}"
                           for rank, n in enumerate((2, 4, 7, 3, 6, 5, 9, 1, 8), start=1)]


def test_a_plugin_with_broken_rules_is_refused_when_an_opening_is_built(host, region_a):
    org = Org(region_a, [BROKEN])
    with in_region(region_a):
        with pytest.raises(ValidationError) as refused:
            org.opening(kind="kontrak")
        message = refused.value.message_dict["kind"][0]
        assert BROKEN in message and "'Tes Psikologi', which comes later in the flow" in message
        assert not Opening.objects.exists()


# --- the rules on their own -------------------------------------------------------------------------------

WRITTEN = RecruitmentStage("Tes Tertulis", 20, "system",
                           components=(ScoreComponent("Umum", D(40), D(100)), ScoreComponent("Bidang", D(60), D(50))))


def test_a_stage_without_typed_rules_has_no_minimum_and_lets_everyone_who_passes_on():
    stage = dataclasses.replace(WRITTEN, pass_rule="Nilai tertimbang ≥ 60; 3 x jumlah formasi mengikuti tahap berikut.",
                                ranking_rule="Tes tertulis 60% + wawancara 40%; jika sama: Bidang.")
    fields = rules.derive(stage, [], is_first=False)
    assert (fields["kind"], fields["threshold"], fields["advance_per_post"]) == (rules.KIND_SCORED, None, None)
    assert (fields["ranks"], fields["tie_breaks"], fields["ranking_mix"]) == (True, [], [])
    candidates = [rules.Candidate(key=n, number=f"N-{n}", scores={"Umum": D(v), "Bidang": D(b)})
                  for n, v, b in ((1, 10, 5), (2, 90, 45), (3, 50, 25))]
    evaluations = rules.evaluate(fields, candidates, posts=1)
    assert [(e.key, e.score, e.rank, e.outcome) for e in evaluations] == [
        (1, D("10.000"), 3, "passed"), (2, D("90.000"), 1, "passed"), (3, D("50.000"), 2, "passed")]


def test_typed_minimum_quota_and_unranked_stage():
    strict = dataclasses.replace(WRITTEN, min_stage_score=D(60), advance_per_post=1)
    fields = rules.derive(strict, [], is_first=False)
    candidates = [rules.Candidate(key=n, number=f"N-{n}", scores={"Umum": D(v), "Bidang": D(b)})
                  for n, v, b in ((1, 70, 35), (2, 90, 45), (3, 50, 25), (4, 80, 40))]
    assert (fields["threshold"], fields["advance_per_post"]) == (D(60), 1)
    # Scores 70, 90, 50 and 80; two posts, one candidate per post goes on.
    evaluations = {e.key: e for e in rules.evaluate(fields, candidates, posts=2)}
    assert [(k, e.rank, e.outcome, e.reason_code) for k, e in sorted(evaluations.items())] == [
        (1, 3, "failed", "outside_quota"), (2, 1, "passed", ""), (3, 4, "failed", "below_threshold"),
        (4, 2, "passed", "")]

    unranked = rules.derive(dataclasses.replace(WRITTEN, ranked=False), [], is_first=False)
    assert unranked["ranks"] is False
    assert all(e.rank is None for e in rules.evaluate(unranked, candidates, posts=1))


def test_ranking_mix_of_points_and_scores_and_a_tie_broken_by_an_earlier_stage():
    # Interview ranked by 50% written-test points (out of 150: Umum 100 + Bidang 50) + 50% interview score;
    # equal mixes go to the higher written-test score on 100.
    interview = RecruitmentStage("Wawancara", 30, "panel", components=(ScoreComponent("Wawancara", D(100), D(100)),),
                                 ranking=(RankingPart("Tes Tertulis", D(50), scale_to_100=False),
                                          RankingPart("Wawancara", D(50))),
                                 tie_breakers=("Tes Tertulis",))
    fields = rules.derive(interview, [WRITTEN], is_first=False)
    assert fields["ranking_mix"] == [{"stage": "Tes Tertulis", "weight": "50", "scale_to_100": False},
                                     {"stage": "Wawancara", "weight": "50", "scale_to_100": True}]
    assert fields["tie_breaks"] == ["Tes Tertulis"]
    candidates = [
        rules.Candidate(key=1, number="N-1", scores={"Wawancara": D(60)},
                        mix_points={"Tes Tertulis": D(100)}, mix_scores={"Tes Tertulis": D("66")}),
        rules.Candidate(key=2, number="N-2", scores={"Wawancara": D(40)},
                        mix_points={"Tes Tertulis": D(120)}, mix_scores={"Tes Tertulis": D("80")}),
        rules.Candidate(key=3, number="N-3", scores={"Wawancara": D(90)},
                        mix_points={"Tes Tertulis": D(50)}, mix_scores={"Tes Tertulis": D("30")}),
    ]
    evaluations = {e.key: e for e in rules.evaluate(fields, candidates, posts=1)}
    # 1: 50 + 30 = 80; 2: 60 + 20 = 80 (higher written test, so first); 3: 25 + 45 = 70.
    assert [(k, evaluations[k].ranking_score, evaluations[k].rank) for k in (1, 2, 3)] == [
        (1, D("80.000"), 2), (2, D("80.000"), 1), (3, D("70.000"), 3)]


def test_a_stage_with_only_a_ranking_of_earlier_stages_is_computed_from_them():
    final = RecruitmentStage("Nilai Akhir", 40, "system", advance_per_post=1,
                             ranking=(RankingPart("Tes Tertulis", D(30), scale_to_100=False),
                                      RankingPart("Wawancara", D(70))))
    interview = RecruitmentStage("Wawancara", 30, "panel", components=(ScoreComponent("Wawancara", D(100), D(100)),))
    fields = rules.derive(final, [WRITTEN, interview], is_first=False)
    assert fields["kind"] == rules.KIND_COMPUTED and fields["ranks"] and fields["ranking_mix"] == []
    assert [(c["name"], c["source"], c["weight"], c["max_score"], c["scale_to_100"]) for c in fields["components"]] == [
        ("Tes Tertulis", "Tes Tertulis", "30", "150", False), ("Wawancara", "Wawancara", "70", "100", True)]
    candidate = rules.Candidate(key=1, number="N-1", scores={"Tes Tertulis": D(120), "Wawancara": D(80)})
    [evaluation] = rules.evaluate(fields, [candidate], posts=1)
    assert evaluation.score == D("92.000")  # 120 x 30% + 80 x 70%
