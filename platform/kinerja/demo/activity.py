"""The demo region at work: each module's own services fill it the way HR, supervisors and employees
would, so every page has something to show. Runs in the region's schema, inside the transaction that
created the region, right after its people were written.

Order matters: plugins first (pay, recruitment and the training catalog need them), then SKP plans and
ratings (pay reads delivered ratings), attendance and the pay run, training, and a job opening."""
from __future__ import annotations

import datetime
import io
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from kinerja_plugin_api.host import get_host

from kinerja.accounts.models import Role
from kinerja.appraisal import services as appraisal
from kinerja.appraisal.models import Cadence, IkiAspect
from kinerja.demo import stories, year
from kinerja.logins import services as logins
from kinerja.pay import attendance
from kinerja.pay import services as pay
from kinerja.pay.models import PayResult
from kinerja.people import leave
from kinerja.people.models import Employee, EmployeeStatus, Position
from kinerja.plugins.services import set_plugin_enabled
from kinerja.recruitment.services import openings as recruitment_openings
from kinerja.region.facts import time_zone, work_calendar
from kinerja.spreadsheets import CsvWriter
from kinerja.training import services as training
from kinerja.training.models import Course

APPRAISAL_YEAR = 2026
PAY_MONTH = datetime.date(2026, 10, 1)
MONTHLY_REGIONS = {"kotalama"}  # the article on Kotalama describes monthly appraisal
SECOND_HR_LOGIN = "hr2"
REASON = "Demo data"
OPENING_POSITIONS = ("PERAWAT-AP", "BIDAN-AP", "DOKTER-AP", "APOTEKER-AP", "PRAKOM-AP", "ANALIS-SDMA-AP")


@dataclass
class Activity:
    plugins: int = 0
    courses: int = 0
    plans: int = 0
    ratings: int = 0
    attendance_rows: int = 0
    paid: int = 0
    pay_net: int = 0
    sessions: int = 0
    jp_completed: int = 0
    openings: int = 0
    daily_logs: int = 0
    leave_requests: int = 0
    objections: int = 0
    peer_inputs: int = 0
    service_targets: int = 0
    sanctions: int = 0
    rewards: int = 0
    self_reports: int = 0
    realisations: int = 0
    career_events: int = 0
    hires: int = 0

    def summary(self) -> str:
        return _("%(plugins)d plugins, %(courses)d courses, %(plans)d SKP plans approved, %(ratings)d ratings "
                 "delivered, %(rows)d attendance days, TPP %(month)s locked for %(paid)d employees "
                 "(Rp %(net)s, approved by hr2), %(sessions)d training sessions (%(jp)d JP earned), "
                 "%(openings)d job opening") % {
            "plugins": self.plugins, "courses": self.courses, "plans": self.plans, "ratings": self.ratings,
            "rows": self.attendance_rows, "month": PAY_MONTH.strftime("%m/%Y"), "paid": self.paid,
            "net": f"{self.pay_net:,}".replace(",", "."), "sessions": self.sessions, "jp": self.jp_completed,
            "openings": self.openings} + _(", %(logs)d daily log entries, %(leave)d leave requests") % {
            "logs": self.daily_logs, "leave": self.leave_requests} + _(
            ", %(objections)d objections decided, %(career)d career events") % {
            "objections": self.objections, "career": self.career_events} + "".join(
            text % number for text, number in (
                (_(", %d peer inputs"), self.peer_inputs), (_(", %d public-service targets"), self.service_targets),
                (_(", %d sanctions"), self.sanctions), (_(", %d rewards"), self.rewards),
                (_(", %d self-reports"), self.self_reports), (_(", %d realisations reported"), self.realisations),
                (_(", %d hires trained"), self.hires)) if number)


# --- 1. plugins ---------------------------------------------------------------------------------
def region_plugins(slug: str, host=None) -> list[str]:
    """The region's first-party plugins: its own TPP rules, the national recruitment and training
    catalogs, and the region's own recruitment stages and training catalog where they exist."""
    host = host or get_host()
    names = [f"kinerja-tpp-{slug}", "kinerja-recruitment-national", f"kinerja-recruitment-{slug}",
             "kinerja-training-national", f"kinerja-training-{slug}"]
    return [name for name in names if name in host]


def enable_plugins(slug: str, hr, activity: Activity) -> None:
    host = get_host()
    for name in region_plugins(slug, host):
        set_plugin_enabled(name, True, actor=hr, reason=REASON, host=host)
        activity.plugins += 1
    training.sync_catalog(actor=hr, host=host)
    activity.courses = Course.objects.filter(active=True).count()


# --- 2. appraisal -------------------------------------------------------------------------------
def region_host() -> str:
    return f"{connection.schema_name}.{settings.KINERJA_BASE_DOMAIN}"


def rated_periods(cadence: str) -> tuple[int, int]:
    """The periods rated: up to the last one over by the end of the paid month, whose delivered rating
    feeds the TPP. A monthly region rates the four months from July (it moved to the monthly cycle at
    mid-year, so the demo's year is as heavy to build in every region)."""
    if cadence == Cadence.MONTHLY:
        return PAY_MONTH.month - 3, PAY_MONTH.month
    return 1, (PAY_MONTH.month - 1) // 3


def run_appraisal(slug: str, hr, profiles: dict[str, str], rng: random.Random, activity: Activity):
    """The whole region's year (kinerja.demo.year), with the region's own story woven in."""
    cadence = Cadence.MONTHLY if slug in MONTHLY_REGIONS else Cadence.QUARTERLY
    appraisal_year = appraisal.create_appraisal_year(actor=hr, year=APPRAISAL_YEAR, cadence=cadence)
    story = stories.story_for(slug)
    outcome = year.open_year(hr=hr, appraisal_year=appraisal_year, profiles=profiles,
                             site_url=f"http://{region_host()}/", rng=rng, extra_indicators=story.extra_indicators)
    first, last = rated_periods(cadence)
    story.before_ratings(outcome, hr=hr, last_period=last, rng=rng, activity=activity)
    ratings = year.rate_periods(outcome, first_period=first, last_period=last, rng=rng,
                                overrides=story.overrides(outcome, last),
                                before_period=story.before_period(outcome, hr=hr, rng=rng, activity=activity))
    story.after_ratings(outcome, ratings, hr=hr, last_period=last, rng=rng, activity=activity)
    year.close_year(outcome, hr=hr, rng=rng)
    activity.plans, activity.ratings = outcome.plans, outcome.ratings
    return outcome, story


# --- 2b. the daily work log and leave -------------------------------------------------------------
LOG_WEEK = [datetime.date(2026, 10, day) for day in (19, 20, 21, 22, 23)]
LOG_ACTIVITIES = ["Menyusun laporan kunjungan posyandu", "Merekap data imunisasi dasar lengkap",
                  "Memverifikasi laporan bulanan puskesmas", "Menginput capaian SPM ke aplikasi",
                  "Menyiapkan bahan rapat evaluasi program"]


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    """A moment of a local day in the region's time zone (the demo's clock for dated actions)."""
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=time_zone())


def run_daily_work(supervisor: Employee, employee: Employee, activity: Activity) -> None:
    """`pegawai` logs a week of October against the SKP's RHK; `atasan` verifies four of them in bulk on
    Friday and leaves the last waiting. `pegawai` has annual leave in November (after the paid month) and
    asks for more in December, awaiting `atasan`."""
    plan = employee.skp_plans.get(appraisal_year__year=APPRAISAL_YEAR)
    rhk = plan.rhks.order_by("position", "id").first()
    iki = rhk.ikis.filter(aspect=IkiAspect.QUANTITY).first()
    logs = [appraisal.record_daily_log(actor=employee.user, rhk=rhk, iki=iki, date=day, activity=text,
                                       quantity=1 if index % 2 == 0 else None, now=_at(day, 16))
            for index, (day, text) in enumerate(zip(LOG_WEEK, LOG_ACTIVITIES))]
    appraisal.verify_daily_logs(actor=supervisor.user, log_ids=[log.pk for log in logs[:4]], now=_at(LOG_WEEK[-1], 17))
    activity.daily_logs += len(logs)
    if (leave.years_of_service(employee, datetime.date(2026, 11, 16)) or 0) < 1:
        return
    granted = leave.request_leave(actor=employee.user, employee=employee, kind="annual",
                                  starts_on=datetime.date(2026, 11, 16), ends_on=datetime.date(2026, 11, 18),
                                  reason="Keperluan keluarga")
    leave.decide_leave(actor=supervisor.user, leave=granted, approve=True, now=_at(LOG_WEEK[-1], 17))
    leave.request_leave(actor=employee.user, employee=employee, kind="annual", starts_on=datetime.date(2026, 12, 28),
                        ends_on=datetime.date(2026, 12, 30), reason="Libur akhir tahun")
    activity.leave_requests += 2


# --- 3. attendance and pay ----------------------------------------------------------------------
def _clock(start: datetime.time, minutes: int) -> str:
    moment = datetime.datetime.combine(PAY_MONTH, start) + datetime.timedelta(minutes=minutes)
    return moment.strftime("%H:%M")


def attendance_file(rng: random.Random, month: datetime.date = PAY_MONTH) -> bytes:
    """A month of the attendance machine's export: most people on time, a few late or leaving early by
    realistic margins, some days of leave, sickness, official travel, and the rare unexplained absence."""
    cal = work_calendar(month)
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.writerow(["NIP", "TANGGAL", "JAM_MASUK", "JAM_PULANG", "STATUS", "APEL"])
    people = Employee.objects.order_by("pk").values_list("nip", "status")
    for nip, status in people:
        punctual = rng.random()  # some people are late far more often than others
        for day in cal.working_dates:
            start, end = cal.hours[day.weekday()]
            if status == EmployeeStatus.ON_LEAVE:
                writer.writerow([nip, day.isoformat(), "", "", "CUTI", ""])
                continue
            draw = rng.random()
            if draw < 0.015:
                writer.writerow([nip, day.isoformat(), "", "", "SAKIT", ""])
            elif draw < 0.025:
                writer.writerow([nip, day.isoformat(), "", "", "CUTI", ""])
            elif draw < 0.045:
                writer.writerow([nip, day.isoformat(), "", "", "DL", ""])
            elif draw < 0.048:
                writer.writerow([nip, day.isoformat(), "", "", "ALPA", ""])
            else:
                late = rng.random() < 0.04 + 0.2 * (1 - punctual) ** 3
                arrive = rng.choice([5, 10, 20, 35, 45, 70, 95]) if late else -rng.randint(0, 30)
                leave = -rng.choice([10, 25, 40, 75]) if rng.random() < 0.03 else rng.randint(0, 45)
                writer.writerow([nip, day.isoformat(), _clock(start, arrive), _clock(end, leave), "HADIR",
                                 "T" if late and arrive > 15 else "Y"])
    return out.getvalue().encode()


def run_pay(hr, hr2, rng: random.Random, activity: Activity, history: tuple[datetime.date, ...] = ()) -> None:
    """The paid month's attendance (and the months of `history` before it) imported, then the run computed,
    approved by the second HR login and locked."""
    for month in (*history, PAY_MONTH):
        batch = attendance.preview_import(content=attendance_file(rng, month), filename=f"absensi-{month:%Y-%m}.csv",
                                          actor=hr)
        activity.attendance_rows += attendance.apply_import(batch, actor=hr)
    run = pay.create_run(month=PAY_MONTH, actor=hr)
    run = pay.start_run(run, actor=hr, enqueue=False, reason="Demo data: attendance and bank accounts are samples.")
    run = pay.compute_run(run.pk)
    run = pay.approve_run(run, actor=hr2)  # maker-checker: the one who computed may not approve
    run = pay.lock_run(run, actor=hr2)
    activity.paid = PayResult.objects.filter(run=run, ok=True).count()
    activity.pay_net = run.total_net


# --- 4. training --------------------------------------------------------------------------------
def run_training(hr, supervisor: Employee, employee: Employee, today: datetime.date, activity: Activity) -> None:
    course = Course.objects.filter(code="TEK-SKP", active=True).first() or Course.objects.filter(active=True).first()
    # Enrolment closes when a session starts and completion waits for its end, so the session held is a
    # one-day e-learning class taking place today.
    held = training.create_session(actor=hr, course=course, starts_on=today, ends_on=today, seats=25,
                                   place="Aula BKPSDM (e-learning terpandu)", trainer="Widyaiswara BKPSDM")
    people = [employee, supervisor] + list(supervisor.subordinates.filter(status=EmployeeStatus.ACTIVE)
                                           .exclude(pk=employee.pk).order_by("pk")[:8])
    enrolments = [training.enrol(person, held, nominated_by=hr, reason=REASON) for person in people]
    present = [e.pk for e in enrolments[:-1]]  # one participant missed it
    training.record_attendance(held, actor=hr, present=present)
    training.complete_session(held, actor=hr)
    activity.jp_completed = held.jp_hours * len(present)

    upcoming_course = Course.objects.filter(code="TEK-PELAYANAN", active=True).first() or course
    upcoming = training.create_session(actor=hr, course=upcoming_course, starts_on=today + datetime.timedelta(days=21),
                                       ends_on=today + datetime.timedelta(days=23), seats=20,
                                       place="Ruang Rapat Dinas Kesehatan")
    for person in people[2:6]:
        training.enrol(person, upcoming, nominated_by=supervisor.user, reason=REASON)
    # `pegawai` asked for a place; the request waits for the supervisor's decision.
    training.enrol(employee, upcoming, actor=employee.user, reason="Meningkatkan kualitas pelayanan pasien")
    activity.sessions = 2


# --- 5. recruitment -----------------------------------------------------------------------------
def run_recruitment(slug: str, hr, supervisor: Employee, ranks: dict[str, str], today: datetime.date,
                    activity: Activity) -> None:
    position = (Position.objects.filter(code__in=OPENING_POSITIONS).order_by("code").first()
                or supervisor.subordinates.first().position)
    catalog = recruitment_openings.training_catalog()
    opening = recruitment_openings.create_opening(
        actor=hr, code=f"CPNS-{APPRAISAL_YEAR}-{slug.upper()[:4]}-01", title=f"CPNS {APPRAISAL_YEAR}: {position.title}",
        kind="cpns", position=position, unit=supervisor.unit, posts=3, rank=ranks.get(position.code, "III/a"),
        requirements="Warga Negara Indonesia, usia 18-35 tahun, pendidikan sesuai jabatan dengan IPK minimal 3,00, "
                     "sehat jasmani dan rohani, tidak pernah diberhentikan sebagai ASN.",
        documents_required=["KTP", "Ijazah", "Transkrip nilai", "Pas foto", "Surat lamaran"],
        registration_opens=today, registration_closes=today + datetime.timedelta(days=21),
        onboarding_courses=[code for code in ("LATSAR-CPNS-III",) if code in catalog])
    recruitment_openings.publish_opening(opening, actor=hr)
    activity.openings = 1


# --- the whole region ---------------------------------------------------------------------------
def fill_region(slug: str, seed: str, password_hash: str, ranks: dict[str, str],
                profiles: dict[str, str] | None = None, story: str = "") -> Activity:
    """Everything after the people, for one region; raises (and the region is rolled back) on any refusal.
    `profiles`: the kind of work of each unit (by code), which chooses the SKP texts; `story`: whose
    article the region tells (its slug by default)."""
    User = get_user_model()
    hr = User.objects.get(username="hr")
    hr2 = logins.create_staff_login(actor=hr, username=SECOND_HR_LOGIN, full_name=f"Verifikator BKPSDM {slug.title()}",
                                    role=Role.HR_ADMIN, reason="Demo: the pay run's checker (maker-checker)",
                                    site_url=f"http://{region_host()}/").user
    User.objects.filter(pk=hr2.pk).update(password=password_hash)
    supervisor = Employee.objects.select_related("supervisor", "unit", "user").get(user__username="atasan")
    employee = Employee.objects.select_related("user").get(user__username="pegawai")
    rng = random.Random(f"{seed}:{slug}:activity")
    today = timezone.localdate()
    activity = Activity()
    article = story or slug
    enable_plugins(article, hr, activity)
    outcome, story = run_appraisal(article, hr, profiles or {}, rng, activity)
    run_daily_work(supervisor, Employee.objects.select_related("user").get(pk=employee.pk), activity)
    story.before_pay(outcome, hr=hr, rng=rng, activity=activity)
    run_pay(hr, hr2, rng, activity, story.attendance_history)
    run_training(hr, supervisor, employee, today, activity)
    run_recruitment(slug, hr, supervisor, ranks, today, activity)
    story.after_pay(outcome, hr=hr, rng=rng, activity=activity)
    return activity
