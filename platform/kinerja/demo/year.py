"""A full appraisal year for every employee of a demo region, made through the appraisal services the way
HR, employees and appraisers make it: HR gives everyone a login in one bulk action, each employee starts
their SKP with a result that supports their supervisor's and submits it, each appraiser approves it, then
rates and delivers the periods that have ended, and at the end of the year the annual result. (The bulk
appraisal services run the same per-plan services inside a savepoint each, with an extra audit entry: for
the demo they would only add work, so each person acts on their own plans.)

Who gets which predicate is decided first (`standings`), per agency, the way real regions report them:
mostly Baik, some Sangat Baik, a few Butuh Perbaikan and below, within the distribution curve of the
agency's organisation rating, except in two agencies whose appraisers rated too generously: HR
calibrates one of them back into the curve, the other is left for the calibration page to show.

Dated actions carry the day they would have happened on (`now=`) where the services accept one, so the
objection windows and the pay month read the year as it was lived."""
from __future__ import annotations

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone

from kinerja.appraisal import services as appraisal
from kinerja.appraisal.models import (
    BEHAVIOUR_VALUE_CODES,
    AppraisalPeriod,
    AppraisalYear,
    IkiAspect,
    Level,
    OrganisationRating,
    Predicate,
    Rating,
    RhkKind,
    SkpPlan,
)
from kinerja.logins import services as logins
from kinerja.people.models import Employee, EmployeeStatus, Unit
from kinerja.region.facts import time_zone

SB, B, BP, K, SK = (Predicate.SANGAT_BAIK, Predicate.BAIK, Predicate.BUTUH_PERBAIKAN, Predicate.KURANG,
                    Predicate.SANGAT_KURANG)
# (work result, behaviour) that give each predicate in the matrix of the regulation.
LEVELS = {SB: (Level.ABOVE, Level.ABOVE), B: (Level.AS_EXPECTED, Level.AS_EXPECTED),
          BP: (Level.BELOW, Level.AS_EXPECTED), K: (Level.AS_EXPECTED, Level.BELOW), SK: (Level.BELOW, Level.BELOW)}
# The agencies whose appraisers were too generous (Baik for nearly everyone): the first is calibrated.
GENEROUS_AGENCIES = ("DISDUKCAPIL", "DISKOMINFO")
OUTSTANDING_AGENCY = "DINKES"  # rated Istimewa by the region

PLAN_TEXTS = {
    "office": ("Terselenggaranya administrasi umum, keuangan dan aset yang tertib",
               "Dokumen administrasi dan keuangan yang diselesaikan tepat waktu", 48, "dokumen"),
    "legal": ("Tersusunnya produk hukum daerah yang berkualitas",
              "Rancangan produk hukum daerah yang diselesaikan", 12, "rancangan"),
    "audit": ("Meningkatnya kualitas pengawasan internal perangkat daerah",
              "Laporan hasil pengawasan yang diselesaikan", 10, "laporan"),
    "hr": ("Terkelolanya layanan kepegawaian yang cepat dan akurat",
           "Usulan layanan kepegawaian yang diproses", 120, "usulan"),
    "education_office": ("Meningkatnya mutu pengelolaan satuan pendidikan",
                         "Satuan pendidikan yang disupervisi", 24, "sekolah"),
    "school": ("Meningkatnya mutu hasil belajar peserta didik",
               "Rata-rata nilai ujian peserta didik yang diampu", 80, "nilai"),
    "health_office": ("Meningkatnya derajat kesehatan masyarakat melalui program kesehatan yang efektif",
                      "Program kesehatan yang mencapai target", 12, "program"),
    "health_centre": ("Meningkatnya cakupan layanan kesehatan dasar di wilayah puskesmas",
                      "Jumlah layanan kesehatan yang diberikan", 1200, "layanan"),
    "civil_registry": ("Terlayaninya dokumen kependudukan secara cepat dan tepat",
                       "Dokumen kependudukan yang diterbitkan", 2400, "dokumen"),
    "informatics": ("Meningkatnya layanan informasi dan aplikasi pemerintahan",
                    "Layanan aplikasi yang berjalan sesuai standar", 20, "layanan"),
    "district": ("Terselenggaranya pelayanan administrasi kewilayahan kepada warga",
                 "Permohonan layanan warga yang diselesaikan", 600, "permohonan"),
}
REASONS = {
    SB: "Target tercapai lebih awal dengan kualitas di atas standar; perilaku kerja menjadi teladan rekan satu unit.",
    B: "Target periode tercapai sesuai rencana dan hasil kerja diserahkan tepat waktu; perilaku kerja sesuai "
       "nilai BerAKHLAK.",
    BP: "Sebagian target tidak tercapai dan beberapa laporan terlambat; perlu pendampingan atasan pada periode "
        "berikutnya.",
    K: "Target tercapai, tetapi terdapat catatan perilaku kerja (kedisiplinan dan kerja sama) yang harus diperbaiki.",
    SK: "Target utama tidak tercapai dan terdapat catatan perilaku kerja yang serius; dibuat rencana perbaikan "
        "kinerja.",
}
ANNUAL_DAY = datetime.date(2026, 12, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment of a local day in the region's time zone, never later than the real clock."""
    moment = datetime.datetime.combine(day, datetime.time(hour), tzinfo=time_zone())
    return min(moment, timezone.now())


@dataclass
class YearOutcome:
    appraisal_year: AppraisalYear
    plans: int = 0
    ratings: int = 0
    standings: dict[int, str] = field(default_factory=dict)  # employee id -> annual predicate
    calibrated: list[int] = field(default_factory=list)  # rating ids
    plans_by_employee: dict[int, SkpPlan] = field(default_factory=dict)


# --- who stands where (pure, deterministic) ---------------------------------------------------------
def agency_of(unit: Unit, units: dict[int, Unit]) -> Unit:
    while unit.parent_id:
        unit = units[unit.parent_id]
    return unit


def standings(employees: list[Employee], heads: set[int], units: dict[int, Unit], rng: random.Random) -> dict[int, str]:
    """The annual predicate of every employee, agency by agency: about 15% Sangat Baik, at most 70% Baik and
    some Butuh Perbaikan or Kurang (the curve of an agency rated Baik), a rare Sangat Kurang; the generous
    agencies give Baik to nearly all. Unit heads of agencies get Baik (their work result follows the
    agency's rating, Sangat Baik in the outstanding agency)."""
    by_agency: dict[str, list[Employee]] = defaultdict(list)
    for employee in employees:
        by_agency[agency_of(units[employee.unit_id], units).code].append(employee)
    result = {}
    for code, members in sorted(by_agency.items()):
        staff = [e for e in members if e.pk not in heads]
        for head in (e for e in members if e.pk in heads):
            result[head.pk] = SB if code == OUTSTANDING_AGENCY else B
        rng.shuffle(staff)
        n = len(members)
        if code in GENEROUS_AGENCIES:
            top = max(1, round(n * 0.12))
            low: list[str] = []
        else:
            top = round(n * (0.25 if code == OUTSTANDING_AGENCY else 0.15))
            weak = max(1, round(n * 0.1))
            low = [K if i == 1 else SK if i == 3 else BP for i in range(weak)]
            baik = n - top - len(low)
            if baik > n * 0.7:  # keep within the curve: the extra go to Sangat Baik
                top += baik - int(n * 0.7)
        grades = [SB] * top + low
        for index, employee in enumerate(staff):
            result[employee.pk] = grades[index] if index < len(grades) else B
    return result


def period_predicate(standing: str, number: int, last: int, rng: random.Random) -> str:
    """A period's predicate: the employee's standing, with an occasional better or weaker period before
    the last one (people have good and bad quarters)."""
    if number == last or rng.random() > 0.12:
        return standing
    if standing == B:
        return SB if rng.random() < 0.6 else BP
    return B


def behaviour_values(work: str, behaviour: str, rng: random.Random) -> dict[str, str]:
    values = {code: behaviour for code in BEHAVIOUR_VALUE_CODES}
    if behaviour == Level.AS_EXPECTED and work == Level.ABOVE:
        values[rng.choice(BEHAVIOUR_VALUE_CODES)] = Level.ABOVE
    return values


# --- writing -----------------------------------------------------------------------------------------
def _logins_for_everyone(hr, site_url: str) -> None:
    """HR gives every employee a login (NIP as username) in one bulk action, so each takes part in person."""
    logins.create_logins(actor=hr, employees=Employee.objects.filter(user__isnull=True), site_url=site_url)


def open_year(*, hr, appraisal_year: AppraisalYear, profiles: dict[str, str], site_url: str,
              rng: random.Random, extra_indicators: dict[str, tuple[tuple[str, int], ...]] | None = None,
              ) -> YearOutcome:
    """Every employee with an approved SKP whose main result supports the supervisor's.
    `extra_indicators`: unit profile -> (indicator template code, target) that the staff of such units add
    to their main result (the region's own measures: immunisation, training hours, request times)."""
    extra_indicators = extra_indicators or {}
    outcome = YearOutcome(appraisal_year)
    _logins_for_everyone(hr, site_url)
    employees = list(Employee.objects.filter(status__in=(EmployeeStatus.ACTIVE, EmployeeStatus.ON_LEAVE))
                     .select_related("user", "unit", "supervisor__user").order_by("pk"))
    top = next(e for e in employees if e.supervisor_id is None)  # the Sekda, appraised by the head of region
    stand_in = next(e for e in employees if e.unit.code == "BKPSDM" and e.supervisor_id == top.pk)
    plans = {}
    first_rhk = {}
    for employee in employees:  # supervisors come before their staff
        owner = employee.user
        if employee.pk == top.pk:
            # The head of region appraises the Sekda; the demo has no login for them, so HR names the head
            # of BKPSDM to record that appraisal.
            plan = appraisal.create_plan(actor=hr, employee=employee, appraisal_year=appraisal_year,
                                         appraiser=stand_in)
        else:
            plan = appraisal.create_plan(actor=owner, employee=employee, appraisal_year=appraisal_year)
        plans[employee.pk] = plan
        rhk_text, iki_text, target, unit = PLAN_TEXTS.get(profiles.get(employee.unit.code, ""), PLAN_TEXTS["office"])
        parent = first_rhk.get(plan.appraiser_id) if plan.appraiser_id == employee.supervisor_id else None
        rhk = appraisal.add_rhk(actor=owner, plan=plan, kind=RhkKind.UTAMA, text=rhk_text, parent=parent)
        first_rhk[employee.pk] = rhk
        appraisal.add_iki(actor=owner, rhk=rhk, text=iki_text, aspect=IkiAspect.QUANTITY, target_value=target,
                          target_unit=unit)
        appraisal.add_iki(actor=owner, rhk=rhk, text="Kualitas hasil kerja sesuai standar tanpa revisi mayor",
                          aspect=IkiAspect.QUALITY, target_value=95, target_unit="persen")
        for template_code, extra_target in extra_indicators.get(profiles.get(employee.unit.code, ""), ()):
            appraisal.add_iki(actor=owner, rhk=rhk, template_code=template_code, target_value=extra_target)
        appraisal.submit_plan(actor=owner, plan=plan)
    users = {e.pk: e.user for e in employees}
    for plan in plans.values():
        appraisal.approve_plan(actor=users[plan.appraiser_id], plan=plan)
    outcome.plans = len(plans)
    outcome.plans_by_employee = {plan.employee_id: plan for plan in SkpPlan.objects.filter(
        appraisal_year=appraisal_year).select_related("employee__user", "employee__unit", "appraiser__user",
                                                      "appraiser__supervisor__user", "unit", "appraisal_year")}
    heads = {e.pk for e in employees if e.unit.parent_id is None
             and (e.supervisor_id is None or e.supervisor.unit_id != e.unit_id)}
    units = Unit.objects.in_bulk()
    outcome.standings = standings(employees, heads, units, rng)
    return outcome


def rate_periods(outcome: YearOutcome, *, first_period: int = 1, last_period: int, rng: random.Random,
                 overrides: dict[tuple[int, int], str] | None = None,
                 before_period: dict[int, Callable[[AppraisalPeriod], None]] | None = None,
                 ) -> dict[tuple[int, int], Rating]:
    """Every plan rated and delivered for periods first..last, each a few days after its end.
    `overrides`: (employee id, period number) -> predicate; `before_period`: period number -> what happens
    before that period is rated (peer input). Returns the ratings by (employee, period)."""
    overrides, before_period = overrides or {}, before_period or {}
    periods = list(outcome.appraisal_year.periods.filter(number__gte=first_period, number__lte=last_period)
                   .order_by("number"))
    made = {}
    for period in periods:
        rated_on = at(period.ends_on + datetime.timedelta(days=5))
        if period.number in before_period:
            before_period[period.number](period)
        for employee_id, plan in outcome.plans_by_employee.items():
            standing = outcome.standings[employee_id]
            predicate = overrides.get((employee_id, period.number)) or period_predicate(
                standing, period.number, last_period, rng)
            made[(employee_id, period.number)] = rate_one(plan, period, predicate, rated_on, rng)
            outcome.ratings += 1
    return made


def rate_one(plan: SkpPlan, period, predicate: str, when: datetime.datetime, rng: random.Random) -> Rating:
    work, behaviour = LEVELS[predicate]
    actor = plan.appraiser.user
    rating = appraisal.rate(actor=actor, plan=plan, period=period, work_result=work, behaviour=behaviour,
                            behaviour_values=behaviour_values(work, behaviour, rng), reason=REASONS[predicate],
                            now=when)
    return appraisal.deliver_rating(actor=actor, rating=rating, now=when)


def close_year(outcome: YearOutcome, *, hr, rng: random.Random) -> None:
    """The year's end: HR sets each agency's organisation rating, appraisers give the annual results, HR
    calibrates the first generous agency back into its curve, and the results are delivered."""
    year = outcome.appraisal_year
    agencies = Unit.objects.filter(parent__isnull=True).order_by("code")
    for agency in agencies:
        rating = OrganisationRating.ISTIMEWA if agency.code == OUTSTANDING_AGENCY else OrganisationRating.BAIK
        appraisal.set_unit_rating(actor=hr, unit=agency, appraisal_year=year, rating=rating,
                                  reason="Hasil evaluasi kinerja perangkat daerah tahun 2026 (SAKIP).")
    when = at(ANNUAL_DAY)
    annual = {}
    for employee_id, plan in outcome.plans_by_employee.items():
        predicate = outcome.standings[employee_id]
        work, behaviour = LEVELS[predicate]
        annual[employee_id] = appraisal.rate(
            actor=plan.appraiser.user, plan=plan, period=None, work_result=work, behaviour=behaviour,
            behaviour_values=behaviour_values(work, behaviour, rng), reason=REASONS[predicate], now=when)
        outcome.ratings += 1
    calibrated = agencies.filter(code=GENEROUS_AGENCIES[0]).first()
    if calibrated is not None:
        outcome.calibrated = calibrate_into_curve(hr, calibrated, year, annual)
    for rating in annual.values():
        appraisal.deliver_rating(actor=rating.plan.appraiser.user, rating=rating, now=when)


def calibrate_into_curve(hr, agency: Unit, year: AppraisalYear, annual: dict[int, Rating]) -> list[int]:
    """Move the fewest Baik results of the agency to Butuh Perbaikan (those whose realisation fell short)
    until its distribution keeps the curve of an agency rated Baik."""
    from kinerja.appraisal import selectors

    members = sorted((r for r in annual.values() if r.plan.unit.path.startswith(agency.path)
                      and r.predicate == B and r.plan.employee_id != getattr(selectors.unit_head(agency), "pk", None)),
                     key=lambda r: r.plan.employee_id)
    changed = []
    check = selectors.unit_curve_check(selectors.unit_rating_of(agency.pk, year.pk))
    while not check.ok and members:
        rating = members.pop()
        appraisal.calibrate(actor=hr, rating=rating, predicate=BP,
                            reason="Kalibrasi: realisasi target triwulan III dan IV di bawah rencana; "
                                   "distribusi predikat unit disesuaikan dengan kurva.")
        changed.append(rating.pk)
        check = selectors.unit_curve_check(selectors.unit_rating_of(agency.pk, year.pk))
    return changed
