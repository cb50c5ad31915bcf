"""kinerja-plugin-api: what a Kinerja plugin is written against.

Hook specifications (`hookspecs`), the value types a hook receives and returns (`types`), the settings
schema (`config_schema`), the host that loads and checks plugins (`host`), the conformance check and a
pytest test kit (`testing`). Nothing here needs Django, Celery or a database: a vendor installs this
distribution alone and runs a plugin's tests.
"""
from kinerja_plugin_api.config_schema import ConfigError, ConfigField, ConfigSchema
from kinerja_plugin_api.hookspecs import HOOK_API_VERSION, hookimpl
from kinerja_plugin_api.types import (
    CONTRIBUTION,
    DEDUCTION,
    EARNING,
    PREDIKATS,
    AppraisalResult,
    AttendanceSummary,
    IndicatorTemplate,
    PayInput,
    PayLine,
    PayResult,
    PluginFailure,
    RankingPart,
    RecruitmentStage,
    Sanction,
    ScoreComponent,
    TrainingCourse,
    round_rupiah,
)

__version__ = "1.1.0"

__all__ = [
    "HOOK_API_VERSION", "hookimpl",
    "ConfigError", "ConfigField", "ConfigSchema",
    "CONTRIBUTION", "DEDUCTION", "EARNING", "PREDIKATS",
    "AppraisalResult", "AttendanceSummary", "IndicatorTemplate", "PayInput", "PayLine", "PayResult",
    "PluginFailure", "RankingPart", "RecruitmentStage", "Sanction", "ScoreComponent", "TrainingCourse",
    "round_rupiah",
]
