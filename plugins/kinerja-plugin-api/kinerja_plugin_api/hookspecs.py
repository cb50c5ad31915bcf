"""The hook specifications: Kinerja's public, versioned API for plugins.

A plugin is a module with a PLUGIN_META dict and functions decorated with `hookimpl` whose names are the
hooks below. An implementation may accept any subset of a hook's arguments, so new arguments can be added
to a hook without breaking existing plugins. Every hook and every argument is documented here; the docs
(plugins/README.md) list every hook, and a test keeps both complete.

HOOK_API_VERSION changes its minor number when a hook, an argument or an optional field of a value type is
added and its major number when anything is removed or changes meaning. A plugin states the range it
supports in PLUGIN_META["hook_api"], e.g. ">=2.0,<3.0"; the host refuses a plugin whose range excludes
HOOK_API_VERSION, and tells a plugin written for an earlier major version what changed
(BREAKING_CHANGES, also in the distribution's CHANGELOG.md).
"""
from __future__ import annotations

import pluggy

PROJECT_NAME = "kinerja"
HOOK_API_VERSION = "2.1"

#: What each major version changed for plugins written against the one before, in the words the host
#: uses when it refuses such a plugin. The changelog says the same at more length.
BREAKING_CHANGES = {
    "2.0": (
        "RecruitmentStage.pass_rule and ranking_rule are words for applicants only: the platform applies the "
        "typed rules (min_stage_score, advance_per_post, tie_breakers, ranking, ranked) and never reads the text",
        "a pay line's explanation is the plugin's: PayLine.explanation carries the sentences the payslip shows "
        "(kinerja_plugin_api.explanations has them for the usual rules); the platform no longer words lines by "
        "their rule codes",
        "kinerja_plugin_enabled(region_slug, plugin_name) no longer passes the enabled plugin's config to every "
        "plugin; the enabled plugin receives its own settings in kinerja_enabled_for_region(region_slug, config)",
    ),
}
CHANGELOG = "CHANGELOG.md of kinerja-plugin-api (plugins/kinerja-plugin-api/CHANGELOG.md in the platform)"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def kinerja_pay_config_schema():
    """Declare the settings the plugin's pay formula takes.

    Called once per plugin when HR opens the plugin's settings and every time a configuration is saved
    or used, to validate it. Every default must itself be valid.

    Returns:
        a `kinerja_plugin_api.config_schema.ConfigSchema` (a tuple of typed `ConfigField`s: int, decimal,
        percent, bool, choice, text, table, mapping-by-class; and optionally `check`, a function given the
        typed settings once each is valid, returning {setting key: [messages]} for rules across
        settings), or None when the plugin has no settings.
    """


@hookspec
def kinerja_pay_inputs():
    """Say which parts of the PayInput the pay formula reads.

    The pay engine uses it to tell HR which data must be complete before a pay run (for instance that
    attendance must be imported when the plugin reads it).

    Returns:
        a list of names among "position_class", "employee_type", "rank", "attendance", "appraisal",
        "sanctions" and "region_config".
    """


@hookspec
def kinerja_compute_pay(employee, month, config):
    """Compute one employee's TPP for one month.

    The platform calls only the plugin the region has enabled for pay. A plugin that raises, or returns
    lines that break the contract, fails for that employee alone: the pay run records a PluginFailure
    naming the plugin and the error, and goes on.

    Arguments:
        employee: a `kinerja_plugin_api.types.PayInput` (position class, employee type, rank, attendance,
            appraisal result, sanctions, region facts; since 2.1 also the month's leave per kind, the
            employment status, rewards in force and public-service targets).
        month: a `datetime.date`, the first day of the month being paid.
        config: the region's settings for this plugin, validated against `kinerja_pay_config_schema`
            and typed (Decimal for decimal and percent settings, {class: rupiah} for mappings by class).

    Returns:
        a list of `kinerja_plugin_api.types.PayLine` (rule code, Indonesian label, amount in whole rupiah
        as int, kind earning/deduction/contribution, the figures used as inputs, and the `Explanation`
        the payslip shows: sentences in Indonesian and, optionally, English). The platform shows each
        line's explanation as given, and a neutral sentence listing the inputs for a line without one.
        `kinerja_plugin_api.tpp` and `kinerja_plugin_api.explanations` make the usual lines.
    """


@hookspec
def kinerja_recruitment_stages(opening_kind):
    """Supply the stages of a recruitment flow.

    Arguments:
        opening_kind: the kind of opening: "cpns", "pppk" or a region's own kind (e.g. "kontrak").
            Return None for kinds the plugin does not handle.

    Called when HR creates an opening of that kind; the stages of every enabled recruitment plugin are
    merged by order into the opening's pipeline, which HR may adjust before publishing it.

    Returns:
        a list of `kinerja_plugin_api.types.RecruitmentStage`, or None. Each stage has a name, order, who
        scores it, score components (`ScoreComponent`: name, weight in percent, maximum, passing grade)
        with weights adding up to 100, whether it is announced, its objection window in days, whether it
        is optional and which posts it applies to. The platform applies only the typed rules:
        min_stage_score (lowest passing stage score on 100), advance_per_post (candidates per post who go
        on; None = all who pass), tie_breakers (component or stage names, higher value first), ranking
        (`RankingPart`s: weighted mix of this and earlier stages' scores, each on 100 or as points) and
        ranked. pass_rule and ranking_rule are the same rules in words for applicants, shown as written.
        Stage names in tie_breakers and ranking must be stages this plugin returns with a lower order.
    """


@hookspec
def kinerja_training_catalog():
    """Supply training courses the region can offer its employees.

    Returns:
        a list of `kinerja_plugin_api.types.TrainingCourse` (code, title, method, JP hours, cost in rupiah,
        provider, competencies).
    """


@hookspec
def kinerja_indicator_templates(agency_type):
    """Supply ready-made appraisal indicators for a kind of agency.

    Arguments:
        agency_type: the kind of agency: "health", "education", "public_service", "finance",
            "infrastructure" or "general". Return None or [] for kinds the plugin has nothing for.

    Returns:
        a list of `kinerja_plugin_api.types.IndicatorTemplate`.
    """


@hookspec
def kinerja_region_created(region_slug):
    """React to a new region being onboarded (e.g. prepare data the plugin needs).

    Called for every installed plugin once the region's schema exists. Errors are logged and never
    undo the onboarding.

    Arguments:
        region_slug: the new region's slug, which is also its schema name and subdomain.
    """


@hookspec
def kinerja_plugin_enabled(region_slug, plugin_name):
    """React to a region enabling a plugin, any plugin (e.g. to offer something that works with it).

    Called for every installed plugin, the enabled one included. Only the name is passed: a plugin's
    settings are its own and reach no other plugin (the enabled plugin receives them in
    `kinerja_enabled_for_region`). Errors are logged and do not undo the enabling.

    Arguments:
        region_slug: the region that enabled the plugin.
        plugin_name: the enabled plugin's name, as in its PLUGIN_META.
    """


@hookspec
def kinerja_enabled_for_region(region_slug, config):
    """React to a region enabling this plugin (e.g. prepare what the plugin needs for the region).

    Called on the enabled plugin alone, after `kinerja_plugin_enabled` has told every plugin. Errors are
    logged and do not undo the enabling.

    Arguments:
        region_slug: the region that enabled the plugin.
        config: the plugin's own settings in force for that region, validated against its schema and
            typed as `kinerja_compute_pay` receives them.
    """


@hookspec
def kinerja_bank_file_formats():
    """Offer bank transfer file formats (added in hook API 2.1).

    Called on every installed plugin when HR chooses the region's transfer file format and when a run's
    transfer file is written. The platform always offers the generic CSV
    (`kinerja_plugin_api.banking.GENERIC_CSV`) itself; codes must be unique across plugins (a format
    whose code is already taken is ignored and reported as a failure of the plugin offering it).

    Returns:
        a list of `kinerja_plugin_api.banking.BankFileFormat` (code, Indonesian name and description,
        file extension and content type, a default column layout of `LayoutColumn`s that the region may
        replace with its bank's, whether the file is fixed-width, where the layout comes from, and a
        `writer(batch, layout)` returning the file's bytes for a `TransferBatch`), or None.
    """
