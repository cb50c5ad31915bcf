"""A recruitment plugin whose contract flow ranks the written test by a mix naming the interview, which
comes after it: the conformance check must refuse it."""
from decimal import Decimal as D

from kinerja_plugin_api.hookspecs import hookimpl
from kinerja_plugin_api.types import RankingPart, RecruitmentStage, ScoreComponent

PLUGIN_META = {"name": "test-later-stage-mix", "version": "1.0.0", "vendor": "Tests", "hook_api": ">=2.0,<3.0",
               "description": "Ranks a stage by a later stage's score."}


@hookimpl
def kinerja_recruitment_stages(opening_kind):
    if opening_kind != "kontrak":
        return None
    return [
        RecruitmentStage("Seleksi Administrasi", 10, "committee"),
        RecruitmentStage("Tes Tertulis", 20, "system", components=(ScoreComponent("Tes", D(100), D(100)),),
                         ranking=(RankingPart("Tes Tertulis", D(60)), RankingPart("Wawancara", D(40)))),
        RecruitmentStage("Wawancara", 30, "panel", components=(ScoreComponent("Wawancara", D(100), D(100)),)),
    ]
