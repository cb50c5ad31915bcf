"""The values that cross the plugin boundary. The pay engine, the recruitment and training modules and
every plugin share these plain, frozen dataclasses; none of them touches the database, so a plugin can
be written and tested without Django.

Money is whole rupiah (`int`). A plugin computes each pay line with exact `Decimal` arithmetic and turns
it into rupiah once, with `round_rupiah` (half up), when it makes the line: that is the only rounding.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Mapping

PREDIKATS = ("Sangat Baik", "Baik", "Butuh Perbaikan", "Kurang", "Sangat Kurang")
RATINGS = ("Di Atas Ekspektasi", "Sesuai Ekspektasi", "Di Bawah Ekspektasi")
EMPLOYEE_TYPES = ("PNS", "PPPK")
SANCTION_SEVERITIES = ("ringan", "sedang", "berat")


def round_rupiah(amount: Decimal | int) -> int:
    """The platform's one rounding of money: exact decimal rupiah to whole rupiah, half up."""
    return int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class AttendanceSummary:
    """One employee's attendance in one month, as the attendance module summarises it.

    working_days: working days in the month for this employee.
    days_present: days the employee was present (checked in).
    absent_without_reason: days absent without a valid reason (tanpa keterangan).
    late: counts of late arrivals in brackets TL1..TL4 (1-30, 31-60, 61-90, more than 90 minutes).
    early_leave: counts of early departures in brackets PSW1..PSW4 (same minute brackets).
    leave_days: days of approved leave (cuti).
    sick_days: days of sick leave with a certificate.
    official_duty_days: days on official duty elsewhere (dinas luar, tugas belajar), counted as present.
    missed_assemblies: morning assemblies (apel) missed.
    """

    working_days: int
    days_present: int
    absent_without_reason: int = 0
    late: tuple[int, int, int, int] = (0, 0, 0, 0)
    early_leave: tuple[int, int, int, int] = (0, 0, 0, 0)
    leave_days: int = 0
    sick_days: int = 0
    official_duty_days: int = 0
    missed_assemblies: int = 0


@dataclass(frozen=True)
class AppraisalResult:
    """The appraisal result the month's pay is based on (the latest periodic or annual result).

    predikat: one of PREDIKATS.
    work_result: Hasil Kerja rating, one of RATINGS.
    behaviour: Perilaku Kerja rating, one of RATINGS.
    service_targets: public-service targets (e.g. citizens' requests to finish) set for the month.
    service_targets_met_on_time: how many of those were met within their time limit.
    """

    predikat: str
    work_result: str
    behaviour: str
    service_targets: int = 0
    service_targets_met_on_time: int = 0


@dataclass(frozen=True)
class Sanction:
    """A disciplinary sanction in force during the month.

    kind: the sanction as written in the decision (e.g. "teguran lisan", "penundaan kenaikan gaji").
    severity: one of SANCTION_SEVERITIES (ringan, sedang, berat).
    percent: the TPP reduction the decision sets, in percent (e.g. Decimal("20")).
    months: how many months the reduction lasts in total.
    """

    kind: str
    severity: str
    percent: Decimal
    months: int


@dataclass(frozen=True)
class Reward:
    """(hook API 2.1) A reward recorded in the appraisal and in force during the month (an incentive, a
    certificate with money attached).

    kind: the reward as recorded (e.g. "incentive", "certificate").
    percent: the share of the base TPP the decision attaches to it, in percent (0 for an honour only).
    months: how many months it is in force in total.
    """

    kind: str
    percent: Decimal
    months: int


@dataclass(frozen=True)
class PayInput:
    """Everything a pay plugin may read about one employee for one month.

    employee_id: the employee's NIP (or another stable id), used to name the employee in errors.
    position_class: kelas jabatan, 1..17.
    employee_type: "PNS" or "PPPK".
    rank: golongan/ruang for PNS (e.g. "III/a"), grade for PPPK (e.g. "IX").
    attendance: the month's AttendanceSummary.
    appraisal: the AppraisalResult in force, or None when the employee has none yet.
    sanctions: sanctions in force this month.
    region_config: region-wide facts the pay run passes on (slug, name, time zone); a plugin's own
        settings come in the separate `config` argument.
    leave: (hook API 2.1) the month's approved leave, as working days per kind of leave (LEAVE_KINDS:
        "annual", "long_service", "sick", "maternity", "important_reasons", "unpaid"); "unpaid" is leave
        outside the state's account (CLTN). Empty when none. Those days are already counted as leave or
        sick days, not absences, in `attendance`; whether a kind is paid is the region's rule.
    employment_status: (hook API 2.1) the employee's status: "active", "on_leave", "retired",
        "terminated" (or "candidate").
    rewards: (hook API 2.1) rewards in force this month (`Reward`); whether they are paid is the region's
        rule.
    service_targets, service_targets_met_on_time: (hook API 2.1) the month's public-service targets and
        how many were met on time, whether or not an appraisal result exists (the same figures also
        travel in `appraisal` when there is one, as in 2.0).
    """

    employee_id: str
    position_class: int
    employee_type: str
    rank: str
    attendance: AttendanceSummary
    appraisal: AppraisalResult | None = None
    sanctions: tuple[Sanction, ...] = ()
    region_config: Mapping[str, Any] = field(default_factory=dict)
    leave: Mapping[str, int] = field(default_factory=dict)
    employment_status: str = "active"
    rewards: tuple[Reward, ...] = ()
    service_targets: int = 0
    service_targets_met_on_time: int = 0


LEAVE_KINDS = ("annual", "long_service", "sick", "maternity", "important_reasons", "unpaid")
EARNING = "earning"
DEDUCTION = "deduction"
CONTRIBUTION = "contribution"
PAY_LINE_KINDS = (EARNING, DEDUCTION, CONTRIBUTION)


def _sentences(value: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    if type(value) is tuple:  # the common case, and what __add__ passes: nothing to convert
        return value
    return (value,) if isinstance(value, str) else tuple(value)


@dataclass(frozen=True)
class Explanation:
    """What a payslip says about one pay line, in the employee's words (hook API 2.0).

    indonesian: the sentences in Indonesian, the payslip's first language (a string, or a tuple of
        strings for several sentences); required.
    english: the same sentences in English; empty when the plugin gives none, and the payslip then
        shows the Indonesian ones in English as well.

    The figures the sentences cite belong in the line's `inputs`. Explanations add up: `a + b` keeps a's
    sentences and then b's, so a line's explanation is built from the phrases of
    `kinerja_plugin_api.explanations` and the plugin's own. The sum has English only when both parts
    have it, so a payslip never mixes the two languages in one line.
    """

    indonesian: tuple[str, ...]
    english: tuple[str, ...] = ()

    def __post_init__(self):
        if type(self.indonesian) is not tuple:
            object.__setattr__(self, "indonesian", _sentences(self.indonesian))
        if type(self.english) is not tuple:
            object.__setattr__(self, "english", _sentences(self.english))

    def __add__(self, other: "Explanation") -> "Explanation":
        if not isinstance(other, Explanation):
            return NotImplemented
        both_english = bool(self.english) and bool(other.english)
        return Explanation(self.indonesian + other.indonesian,
                           self.english + other.english if both_english else ())

    def sentences(self, language: str) -> tuple[str, ...]:
        """The sentences for a language code ("id", "en", "en-us"): English when asked for and given,
        Indonesian otherwise."""
        if language and language.lower().startswith("en") and self.english:
            return self.english
        return self.indonesian


@dataclass(frozen=True)
class PayLine:
    """One line of a TPP slip.

    code: the rule's short code, stable across versions (e.g. "TPP_KINERJA").
    label: the line's label as printed on the slip, in Indonesian.
    amount: whole rupiah, never negative; `kind` says which way it counts.
    kind: "earning" (paid), "deduction" (withheld from the employee) or "contribution" (paid by the
        region on the employee's behalf; shown, not part of take-home pay).
    inputs: the figures the line was computed from and its explanation cites, by name (plain values:
        int, str, bool, None, lists and dicts of them; Decimals are stored as text). An input named
        `base` (the month's base TPP in rupiah) also opens the payslip ("The base TPP for position
        class 9 is Rp 3.400.000 a month").
    explanation: the `Explanation` the payslip shows for the line (hook API 2.0); None shows a neutral
        sentence listing the inputs.
    """

    code: str
    label: str
    amount: int
    kind: str
    inputs: Mapping[str, Any] = field(default_factory=dict)
    explanation: Explanation | None = None


@dataclass(frozen=True)
class ScoreComponent:
    """A scored part of a recruitment stage: name, weight in percent of the stage score, maximum
    points and the passing grade (None when the part has no threshold of its own)."""

    name: str
    weight: Decimal
    max_score: Decimal
    passing_grade: Decimal | None = None


@dataclass(frozen=True)
class RankingPart:
    """One part of a stage's ranking mix (hook API 1.1).

    stage: the stage whose score the part reads: the stage's own name, or the name of a stage the same
        plugin supplies for the same opening kind with a lower order.
    weight: its share of the ranking score, in percent; the parts of a mix add up to 100.
    scale_to_100: True (the default) reads the stage's score on 100 (score / maximum x weight summed
        over its components, e.g. SKD 410 of 550 -> 74.545); False reads the plain sum of its
        components' points (e.g. SKD 410). A stage computed from others has only its score.
    """

    stage: str
    weight: Decimal
    scale_to_100: bool = True


@dataclass(frozen=True)
class RecruitmentStage:
    """One stage of a recruitment flow.

    name: the stage's name (e.g. "SKD").
    order: position in the flow, 1 first.
    scored_by: who scores it: "system" (CAT computer test), "panel", "committee", "psychologist" or
        "none" (a stage with no score, such as an announcement).
    components: the scored parts with their weights.
    pass_rule: how a candidate passes, in words an applicant can read. Shown as written; the platform
        applies the typed fields below, never this text.
    ranking_rule: how candidates are ranked, including tie-breaks, in words an applicant can read (shown
        as written, like pass_rule).
    announced: whether results are published.
    objection_window_days: days a candidate has to file a sanggah after the result (0 = none).
    optional: whether the region may skip the stage (e.g. only for some posts).
    applies_to: which posts the stage applies to ("all", "managerial", ...).

    The rules the platform applies (hook API 1.1; the defaults keep a 1.0 stage valid: no minimum,
    every candidate who passes goes on, ranked by the stage's score, ties to who registered first):

    min_stage_score: the lowest stage score on 100 that passes, on top of each component's own
        passing_grade (e.g. Decimal(70)); None = no minimum.
    advance_per_post: how many candidates per post go on from this stage, best ranked first (3 for SKD:
        at most 3 x the posts; 1: as many as there are posts); None = everyone who passes.
    tie_breakers: what decides between equal ranking scores, in order, the higher value first: names of
        this stage's components (e.g. ("TKP", "TIU", "TWK")), this stage's own name (its score on 100)
        or earlier stages' names (their score on 100). The registration number (who registered first)
        decides last.
    ranking: the ranking score as a weighted mix of `RankingPart`s, each this stage's score or an
        earlier stage's (e.g. (RankingPart("Tes Tertulis", Decimal(60)), RankingPart("Wawancara",
        Decimal(40)))); empty = rank by this stage's score. A stage with no components whose ranking
        names only earlier stages is computed from them (e.g. the CPNS integration of SKD and SKB): its
        score is the mix, and it needs no input.
    ranked: whether the stage ranks its candidates; False for a stage that only checks a grade (e.g. a
        psychological test). A stage with neither components nor ranking never ranks.
    """

    name: str
    order: int
    scored_by: str
    components: tuple[ScoreComponent, ...] = ()
    pass_rule: str = ""
    ranking_rule: str = ""
    announced: bool = False
    objection_window_days: int = 0
    optional: bool = False
    applies_to: str = "all"
    min_stage_score: Decimal | None = None
    advance_per_post: int | None = None
    tie_breakers: tuple[str, ...] = ()
    ranking: tuple[RankingPart, ...] = ()
    ranked: bool = True

    @property
    def has_score(self) -> bool:
        """Whether the stage gives each candidate a score: it has components or a ranking mix."""
        return bool(self.components) or bool(self.ranking)


@dataclass(frozen=True)
class TrainingCourse:
    """An entry of a training catalog.

    code: the course's code, unique in its catalog.
    title: the course's title.
    method: "klasikal" (classroom), "e-learning", "blended", "workshop", "coaching" or "seminar".
    jp_hours: length in JP (jam pelajaran, 45 minutes).
    cost: cost per participant in whole rupiah.
    provider: who runs it.
    competencies: competencies it develops.
    """

    code: str
    title: str
    method: str
    jp_hours: int
    cost: int
    provider: str
    competencies: tuple[str, ...] = ()


@dataclass(frozen=True)
class IndicatorTemplate:
    """A ready-made appraisal indicator (IKI) HR can offer when employees write their SKP.

    code: unique code.
    agency_type: the kind of agency it suits ("health", "education", "public_service", ...).
    perspective: the indicator's perspective (e.g. "Penerima Layanan", "Proses Bisnis").
    rhk: the planned result (RHK) it measures.
    indicator: the indicator's wording.
    target_kind: "quantity", "quality", "time" or "cost".
    unit: unit of the target (e.g. "anak", "%", "hari").
    measured_by: (hook API 2.1) where the indicator's realisation comes from: "" (entered by the
        employee, the default), "daily_log_sum" (the sum of the quantities in the employee's verified
        daily work log entries against it, per period) or "daily_logs_verified_same_day" (the percent of
        the daily log entries the employee verifies for their staff that were verified on the day they
        were sent, per period). Platforms before 2.1 ignore it.
    """

    code: str
    agency_type: str
    perspective: str
    rhk: str
    indicator: str
    target_kind: str
    unit: str
    measured_by: str = ""


@dataclass(frozen=True)
class PayResult:
    """A plugin's successful computation for one employee, with the plugin and configuration used."""

    plugin_name: str
    plugin_version: str
    config_version_id: int | None
    employee_id: str
    lines: tuple[PayLine, ...]

    ok = True

    def total(self, kind: str) -> int:
        return sum(line.amount for line in self.lines if line.kind == kind)

    @property
    def net(self) -> int:
        """Take-home TPP: earnings less deductions; contributions are not part of it."""
        return self.total(EARNING) - self.total(DEDUCTION)


@dataclass(frozen=True)
class PluginFailure:
    """What a pay computation yields for one employee when the plugin raised or returned lines that
    break the contract. The pay run records it and goes on with the next employee."""

    plugin_name: str
    plugin_version: str
    config_version_id: int | None
    employee_id: str
    error: str

    ok = False


__all__ = [
    "CONTRIBUTION", "DEDUCTION", "EARNING", "EMPLOYEE_TYPES", "LEAVE_KINDS", "PAY_LINE_KINDS", "PREDIKATS", "RATINGS",
    "SANCTION_SEVERITIES",
    "AppraisalResult", "AttendanceSummary", "Explanation", "IndicatorTemplate", "PayInput", "PayLine", "PayResult",
    "PluginFailure", "RankingPart", "RecruitmentStage", "Reward", "Sanction", "ScoreComponent", "TrainingCourse",
    "round_rupiah",
]
