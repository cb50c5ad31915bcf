"""kinerja-plugin-api: what a Kinerja plugin is written against.

Hook specifications (`hookspecs`), the value types a hook receives and returns (`types`), the settings
schema (`config_schema`), helpers for the usual TPP rules (`tpp`) and their payslip sentences
(`explanations`), bank transfer files (`banking`), the host that loads and checks plugins (`host`), the conformance check
(`conformance`) and a pytest test kit (`testing`, loaded by pytest through its entry point). Nothing
here needs Django, Celery or a database: a vendor installs this distribution alone and runs a plugin's
tests.

The names below are the public API, importable from the package itself; the modules keep them too.
"""
from kinerja_plugin_api import banking, explanations, tpp
from kinerja_plugin_api.config_schema import (
    FIELD_TYPES,
    ConfigError,
    ConfigField,
    ConfigSchema,
    SchemaDefinitionError,
)
from kinerja_plugin_api.conformance import ConformanceReport, check_plugin
from kinerja_plugin_api.hookspecs import BREAKING_CHANGES, HOOK_API_VERSION, hookimpl
from kinerja_plugin_api.types import (
    CONTRIBUTION,
    DEDUCTION,
    EARNING,
    EMPLOYEE_TYPES,
    LEAVE_KINDS,
    PAY_LINE_KINDS,
    PREDIKATS,
    RATINGS,
    SANCTION_SEVERITIES,
    AppraisalResult,
    AttendanceSummary,
    Explanation,
    IndicatorTemplate,
    PayInput,
    PayLine,
    PayResult,
    PluginFailure,
    RankingPart,
    RecruitmentStage,
    Reward,
    Sanction,
    ScoreComponent,
    TrainingCourse,
    round_rupiah,
)

__version__ = "2.1.0"

__all__ = [
    "__version__", "BREAKING_CHANGES", "HOOK_API_VERSION", "hookimpl",
    "FIELD_TYPES", "ConfigError", "ConfigField", "ConfigSchema", "SchemaDefinitionError",
    "ConformanceReport", "check_plugin",
    "CONTRIBUTION", "DEDUCTION", "EARNING", "EMPLOYEE_TYPES", "LEAVE_KINDS", "PAY_LINE_KINDS", "PREDIKATS", "RATINGS",
    "SANCTION_SEVERITIES",
    "AppraisalResult", "AttendanceSummary", "Explanation", "IndicatorTemplate", "PayInput", "PayLine", "PayResult",
    "PluginFailure", "RankingPart", "RecruitmentStage", "Reward", "Sanction", "ScoreComponent", "TrainingCourse",
    "round_rupiah",
    "explanations", "tpp",
    "banking",
]
