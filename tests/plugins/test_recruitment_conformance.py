"""The conformance check reads the typed stage rules: weights add up, and every stage or component a rule
names exists and comes earlier in the flow."""
from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from kinerja_plugin_api.conformance import check_plugin, recruitment_stage_problems
from kinerja_plugin_api.types import RankingPart, RecruitmentStage, ScoreComponent
from tests.plugins.conftest import first_party_module
from tests.plugins.fake import later_stage_mix

ADMIN = RecruitmentStage("Administrasi", 10, "committee")
WRITTEN = RecruitmentStage("Tes Tertulis", 20, "system",
                           components=(ScoreComponent("Umum", D(40), D(100)), ScoreComponent("Bidang", D(60), D(100))))
INTERVIEW = RecruitmentStage("Wawancara", 30, "panel", components=(ScoreComponent("Wawancara", D(100), D(100)),))
ANNOUNCEMENT = RecruitmentStage("Pengumuman", 50, "none", announced=True)


def problems(*stages):
    return recruitment_stage_problems(list(stages))


@pytest.mark.parametrize("module_name", ["kinerja_recruitment_national", "kinerja_recruitment_tebingtinggi"])
def test_first_party_recruitment_plugins_conform(module_name):
    report = check_plugin(first_party_module(module_name))
    assert report.problems == []
    assert "kinerja_recruitment_stages: sample calls well formed" in report.passed


def test_check_refuses_a_ranking_mix_naming_a_later_stage(capsys):
    with pytest.raises(CommandError, match="problem"):
        call_command("kinerja_plugin", "check", later_stage_mix.__name__)
    out = capsys.readouterr().out
    assert ("FAIL  kinerja_recruitment_stages('kontrak') stage 'Tes Tertulis' ranking names 'Wawancara', "
            "which comes later in the flow") in out


def test_typed_rules_naming_components_and_earlier_stages_pass():
    interview = RecruitmentStage(
        "Wawancara", 30, "panel", components=INTERVIEW.components, min_stage_score=D(60), advance_per_post=2,
        tie_breakers=("Wawancara", "Tes Tertulis"),
        ranking=(RankingPart("Tes Tertulis", D(60), scale_to_100=False), RankingPart("Wawancara", D(40))))
    final = RecruitmentStage("Nilai Akhir", 40, "system", advance_per_post=1, tie_breakers=("Tes Tertulis",),
                             ranking=(RankingPart("Tes Tertulis", D(50)), RankingPart("Wawancara", D(50))))
    assert problems(ADMIN, WRITTEN, interview, final, ANNOUNCEMENT) == []


@pytest.mark.parametrize("stage, expected", [
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components,
                      ranking=(RankingPart("Tes Tertulis", D(60)), RankingPart("Wawancara", D(30)))),
     "stage 'Wawancara' ranking weights add up to 90, not 100"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components,
                      ranking=(RankingPart("Tes Tertulis", 60.0), RankingPart("Wawancara", 40.0))),
     "ranking weights must be positive whole numbers or Decimals"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components,
                      ranking=(RankingPart("Tes Lisan", D(60)), RankingPart("Wawancara", D(40)))),
     "ranking names 'Tes Lisan', which is no stage of this flow"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components,
                      ranking=(RankingPart("Administrasi", D(60)), RankingPart("Wawancara", D(40)))),
     "ranking names 'Administrasi', which gives no score"),
    (RecruitmentStage("Nilai Akhir", 40, "system",
                      ranking=(RankingPart("Tes Tertulis", D(60)), RankingPart("Nilai Akhir", D(40)))),
     "ranking names the stage itself, which has no components to score"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components, tie_breakers=("Integritas",)),
     "tie_breakers names 'Integritas', which is neither one of its components nor a stage of this flow"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components, tie_breakers=("Pengumuman",)),
     "tie_breakers names 'Pengumuman', which comes later in the flow"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components, ranked=False,
                      tie_breakers=("Wawancara",), advance_per_post=3),
     "has advance_per_post but does not rank its candidates"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components, ranked=False,
                      tie_breakers=("Wawancara",)),
     "has tie_breakers but does not rank its candidates"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components, advance_per_post=0),
     "advance_per_post must be a whole number of 1 or more"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components, advance_per_post=True),
     "advance_per_post must be a whole number of 1 or more"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components, min_stage_score=D(120)),
     "min_stage_score must be a Decimal from 0 to 100"),
    (RecruitmentStage("Klarifikasi", 30, "committee", min_stage_score=D(60)),
     "has min_stage_score but no score"),
    (RecruitmentStage("Wawancara", 30, "panel", components=INTERVIEW.components, tie_breakers="Wawancara"),
     "tie_breakers must be a tuple of names"),
    (RecruitmentStage("Tes Tertulis", 30, "panel", components=INTERVIEW.components),
     "repeats stage name(s) 'Tes Tertulis'"),
])
def test_conformance_names_what_is_wrong_with_a_stage_rule(stage, expected):
    found = problems(ADMIN, WRITTEN, stage, ANNOUNCEMENT)
    assert any(expected in problem for problem in found), found


def test_a_regional_stage_cannot_name_another_plugins_stage():
    # References resolve within the plugin's own stages for the opening kind.
    panel = RecruitmentStage("Panel", 36, "panel", components=INTERVIEW.components,
                             tie_breakers=("Seleksi Kompetensi Dasar (SKD)",))
    assert problems(panel) == ["stage 'Panel' tie_breakers names 'Seleksi Kompetensi Dasar (SKD)', which is neither "
                               "one of its components nor a stage of this flow"]
