"""What each demo region does differently, from its seed article, woven into the demo's year through the
same services HR, employees and appraisers use (see /docs and the domain notes for the articles):

- every region: objections to the last rated period, one upheld and one not, decided by the appraiser's
  superior; some leave across the year; a transfer and a promotion.
- Bukittinggi: daily work logs with supervisor feedback in the health and education agencies, the bonus
  for Sangat Baik, a clarification (objection) that raised a rating to Sangat Baik in time for the pay,
  teachers' workshops whose JP fill the training-hours indicator of their SKP.
- Kotalama: colleagues' input before the behaviour rating of the last month, public-service targets of
  the service units (some met on time, which pays the bonus), the transparency page with its criteria.
- Tebingtinggi: sanctions in force and deducted, a certificate of appreciation, the city's immunisation
  indicator reported month by month, attendance of August to October, a managerial CPNS post to a hire
  who is trained.
- Batanghari: self-reports (achievements, obstacles, plans), the share of citizens' requests finished
  within the service standard time, incentives paid, coaching for a light sanction and a medium
  administrative sanction deducted, an IT programme for administrative staff."""
from __future__ import annotations

import datetime
import random

from django.db.models import F as models_F

from kinerja.appraisal import services as appraisal
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES, AppraisalPeriod, IkiMeasure, Level, Rating
from kinerja.demo.year import BP, SB, B, YearOutcome, at
from kinerja.pay import named_pay, service_targets
from kinerja.pay import services as pay
from kinerja.people import career, leave
from kinerja.people import services as people_services
from kinerja.people.models import CareerEventKind, Employee, EmployeeStatus, Position, PositionKind

OBJECTION_REASON = ("Saya mohon klarifikasi: realisasi target saya pada periode ini melampaui rencana dan bukti dukung "
                    "sudah diunggah, tetapi belum tercermin dalam penilaian.")


def _staff(outcome: YearOutcome, *, predicate: str | None = None, unit_codes: tuple[str, ...] = (),
           with_decider: bool = False) -> list[int]:
    """Employee ids of plans matching, in a stable order."""
    found = []
    for employee_id, plan in sorted(outcome.plans_by_employee.items()):
        if predicate and outcome.standings[employee_id] != predicate:
            continue
        if unit_codes and not plan.unit.code.startswith(unit_codes):
            continue
        if with_decider:
            decider = plan.appraiser.supervisor
            if decider is None or decider.user_id is None or decider.pk == employee_id:
                continue
        if plan.employee.user.username in ("pegawai", "atasan"):
            continue
        found.append(employee_id)
    return found


class Story:
    """The part every region shares; regions add theirs by overriding the steps."""

    slug = ""
    upheld_to = B  # what the upheld objection changes the result to
    objection_from = BP
    # unit profile -> (indicator template, target) its staff add to their main result
    extra_indicators: dict[str, tuple[tuple[str, int], ...]] = {}
    attendance_history: tuple[datetime.date, ...] = ()  # months imported before the paid one

    def before_ratings(self, outcome: YearOutcome, **kwargs) -> None:
        pass

    def overrides(self, outcome: YearOutcome, last: int) -> dict[tuple[int, int], str]:
        self.objectors = (_staff(outcome, predicate=self.objection_from, with_decider=True)[:1]
                          + _staff(outcome, predicate=B, with_decider=True)[3:4])
        return {}

    def before_period(self, outcome: YearOutcome, **kwargs) -> dict:
        return {}

    def after_ratings(self, outcome: YearOutcome, ratings: dict[tuple[int, int], Rating], *, last_period: int,
                      activity, **kwargs) -> None:
        """Objections to the last period: the first upheld, the second not."""
        for index, employee_id in enumerate(self.objectors):
            rating = ratings[(employee_id, last_period)]
            delivered = rating.delivered_at
            plan = outcome.plans_by_employee[employee_id]
            objection = appraisal.file_objection(actor=plan.employee.user, rating=rating, reasons=OBJECTION_REASON,
                                                 now=delivered + datetime.timedelta(days=3))
            appraisal.respond_to_objection(actor=plan.appraiser.user, objection=objection,
                                           response="Penilaian didasarkan pada realisasi yang tercatat pada akhir "
                                                    "periode; bukti tambahan belum diverifikasi.")
            decider = plan.appraiser.supervisor.user
            if index == 0:
                work, behaviour = {SB: (Level.ABOVE, Level.ABOVE), B: (Level.AS_EXPECTED, Level.AS_EXPECTED)}[
                    self.upheld_to]
                appraisal.decide_objection(
                    actor=decider, objection=objection, upheld=True, work_result=work, behaviour=behaviour,
                    decision="Setelah mendengar kedua pihak dan memeriksa bukti dukung, realisasi terbukti "
                             "melampaui target: hasil penilaian diubah.", now=delivered + datetime.timedelta(days=8))
            else:
                appraisal.decide_objection(
                    actor=decider, objection=objection, upheld=False,
                    decision="Bukti dukung tidak menunjukkan realisasi di atas target; penilaian tetap.",
                    now=delivered + datetime.timedelta(days=8))
            activity.objections += 1

    def before_pay(self, outcome: YearOutcome, *, hr, rng: random.Random, activity) -> None:
        self.leave_and_careers(outcome, hr=hr, rng=rng, activity=activity)

    def after_pay(self, outcome: YearOutcome, *, hr, rng: random.Random, activity) -> None:
        pass

    # --- shared: leave and career events across the year ---------------------------------------------
    def leave_and_careers(self, outcome: YearOutcome, *, hr, rng: random.Random, activity) -> None:
        """Annual leave for about one in twenty, spread over the year and approved by the supervisor; one
        transfer and one promotion by decree."""
        people = sorted(outcome.plans_by_employee)
        chosen = rng.sample(people, max(2, len(people) // 20))
        for employee_id in chosen:
            employee = Employee.objects.select_related("supervisor__user", "user").get(pk=employee_id)
            if (employee.status != EmployeeStatus.ACTIVE or employee.supervisor is None
                    or employee.user.username in ("pegawai", "atasan")):  # theirs is told in activity
                continue
            if (leave.years_of_service(employee, datetime.date(2026, 1, 1)) or 0) < 1:
                continue
            month = rng.choice([2, 3, 5, 6, 7, 8, 9])
            starts = datetime.date(2026, month, rng.choice([3, 10, 17]))
            while starts.weekday() >= 5:
                starts += datetime.timedelta(days=1)
            ends = starts + datetime.timedelta(days=2 if starts.weekday() <= 2 else 0)
            request = leave.request_leave(actor=employee.user, employee=employee, kind="annual", starts_on=starts,
                                          ends_on=ends, reason="Keperluan keluarga")
            leave.decide_leave(actor=employee.supervisor.user, leave=request, approve=True,
                               now=at(starts - datetime.timedelta(days=3)))
            activity.leave_requests += 1
        staff = [outcome.plans_by_employee[pk].employee for pk in people]
        unit_of = {e.pk: e.unit_id for e in staff}
        movers = [e for e in staff if e.supervisor_id and e.unit.parent_id and unit_of.get(e.supervisor_id) == e.unit_id
                  and e.user.username not in ("pegawai", "atasan")]  # staff, not heads of units
        if len(movers) >= 2:
            mover, promoted = movers[len(movers) // 3], movers[2 * len(movers) // 3]
            sibling = next((e.unit for e in movers if e.unit.parent_id == mover.unit.parent_id
                            and e.unit_id != mover.unit_id), None)
            if sibling is not None:
                career.record_career_event(actor=hr, employee=mover, kind=CareerEventKind.TRANSFER,
                                           effective_on=datetime.date(2026, 7, 1), unit=sibling,
                                           sk_number=f"800/{mover.pk}/BKPSDM/2026", sk_date=datetime.date(2026, 6, 20),
                                           note="Mutasi dalam perangkat daerah")
                new_head = (Employee.objects.filter(unit=sibling).exclude(pk=mover.pk)
                            .exclude(supervisor__unit=sibling).first())
                if new_head is not None:  # the head of the unit moved to becomes the direct supervisor
                    people_services.update_employee(Employee.objects.get(pk=mover.pk), actor=hr,
                                                    reason="Mutasi: atasan langsung di unit baru",
                                                    supervisor=new_head)
                activity.career_events += 1
            higher = (Position.objects.filter(kind=promoted.position.kind,
                                              position_class__gt=promoted.position.position_class)
                      .order_by("position_class", "code").first())
            if higher is not None:
                career.record_career_event(actor=hr, employee=promoted, kind=CareerEventKind.PROMOTION,
                                           effective_on=datetime.date(2026, 4, 1), position=higher,
                                           sk_number=f"821.2/{promoted.pk}/BKPSDM/2026",
                                           sk_date=datetime.date(2026, 3, 25), note="Kenaikan jenjang jabatan")
                activity.career_events += 1


class Bukittinggi(Story):
    slug = "bukittinggi"
    upheld_to = SB  # the clarification raised a Baik to Sangat Baik: the bonus follows in the same month
    objection_from = B

    extra_indicators = {"school": (("education-training", 24),)}

    def overrides(self, outcome, last):
        super().overrides(outcome, last)
        self.objectors = _staff(outcome, predicate=B, with_decider=True)[5:7]
        return {}

    def before_ratings(self, outcome, *, hr, activity, **kwargs):
        self.teacher_training(outcome, hr=hr, activity=activity)

    @staticmethod
    def teacher_training(outcome: YearOutcome, *, hr, activity) -> None:
        """The city's workshops for teachers, in May and August; the JP each teacher completed fills the
        training-hours indicator of their SKP for that quarter, which their principal then rates."""
        from kinerja.training import services as training
        from kinerja.training.models import Course, TrainingSession

        teachers = list(Employee.objects.filter(pk__in=_counted_staff(outcome, IkiMeasure.TRAINING_JP))
                        .order_by("pk")[:16])
        for code, starts, days in (("BKT-GURU-03", datetime.date(2026, 5, 18), 2),
                                   ("BKT-GURU-02", datetime.date(2026, 8, 10), 3)):
            course = Course.objects.filter(code=code, active=True).first()
            if course is None or not teachers:
                continue
            enrolments = [training.enrol(teacher, code, nominated_by=hr, reason="Program peningkatan kompetensi guru")
                          for teacher in teachers]
            session = training.create_session(actor=hr, course=course, starts_on=starts,
                                              ends_on=starts + datetime.timedelta(days=days - 1),
                                              seats=len(teachers), place="SMA Negeri 2 Bukittinggi",
                                              trainer="Fasilitator Dinas Pendidikan Kota Bukittinggi")
            absent = len(enrolments) // 5 if code == "BKT-GURU-02" else 0  # some were teaching that week
            training.record_attendance(session, actor=hr, present=[e.pk for e in enrolments[absent:]])
            training.complete_session(TrainingSession.objects.get(pk=session.pk), actor=hr)
            activity.sessions += 1

    def before_pay(self, outcome, *, hr, rng, activity):
        super().before_pay(outcome, hr=hr, rng=rng, activity=activity)
        self.daily_logs(outcome, activity=activity)

    def daily_logs(self, outcome: YearOutcome, *, activity) -> None:
        """A week of October logged by staff of the health and education agencies; each supervisor verifies
        most the same day, returns one with a comment and answers in the SKP's feedback thread."""
        days = [datetime.date(2026, 10, day) for day in (12, 13, 14, 15, 16)]
        texts = {"DINKES": ["Pelayanan pasien rawat jalan di puskesmas", "Kunjungan rumah ibu hamil risiko tinggi",
                            "Penyuluhan gizi di posyandu", "Pencatatan layanan ke aplikasi puskesmas",
                            "Rapat evaluasi program imunisasi"],
                 "DISDIK": ["Mengajar dan menilai tugas kelas", "Menyusun soal penilaian harian",
                            "Remedial untuk peserta didik", "Mengikuti MGMP", "Menginput nilai ke rapor digital"]}
        for agency, activities in texts.items():
            for employee_id in _staff(outcome, unit_codes=(agency,))[:6]:
                plan = outcome.plans_by_employee[employee_id]
                rhk = plan.rhks.order_by("position", "id").first()
                iki = rhk.ikis.order_by("position").first()
                user = plan.employee.user
                logs = [appraisal.record_daily_log(actor=user, rhk=rhk, iki=iki, date=day, activity=text, quantity=1,
                                                   now=at(day, 15)) for day, text in zip(days, activities)]
                supervisor = plan.appraiser.user
                appraisal.verify_daily_logs(actor=supervisor, log_ids=[log.pk for log in logs[:4]], now=at(days[3], 16))
                appraisal.return_daily_logs(actor=supervisor, log_ids=[logs[4].pk], now=at(days[4], 16),
                                            comment="Lampirkan daftar hadir kegiatan sebagai bukti dukung.")
                appraisal.post_feedback(actor=supervisor, rhk=rhk,
                                        body="Capaian minggu ini baik; pertahankan pencatatan harian tepat waktu.")
                activity.daily_logs += len(logs)


class Kotalama(Story):
    slug = "kotalama"
    SERVICE_UNITS = ("DISDUKCAPIL", "KEC")

    def before_period(self, outcome, *, hr, rng, activity):
        last = max(p.number for p in outcome.appraisal_year.periods.all() if p.ends_on.month <= 10)
        return {last: lambda period: self.peer_input(outcome, period, activity=activity)}

    def peer_input(self, outcome: YearOutcome, period: AppraisalPeriod, *, activity) -> None:
        """Colleagues in the civil-registry agency give their input on each other's behaviour before the
        month is rated (three each, the minimum before anything is shown)."""
        members = _staff(outcome, unit_codes=("DISDUKCAPIL",))
        for index, employee_id in enumerate(members):
            plan = outcome.plans_by_employee[employee_id]
            peers = [outcome.plans_by_employee[pk].employee for pk in members
                     if pk != employee_id and outcome.plans_by_employee[pk].employee.unit_id == plan.employee.unit_id
                     and pk != plan.appraiser_id][:3]
            for peer in peers:
                values = {code: Level.AS_EXPECTED for code in BEHAVIOUR_VALUE_CODES}
                if (index + peer.pk) % 4 == 0:
                    values["kolaboratif"] = Level.ABOVE
                appraisal.give_peer_input(actor=peer.user, plan=plan, period=period, behaviour_values=values,
                                          comment="Sigap membantu warga di loket dan mudah diajak bekerja sama.")
                activity.peer_inputs += 1

    def before_pay(self, outcome, *, hr, rng, activity):
        super().before_pay(outcome, hr=hr, rng=rng, activity=activity)
        month = datetime.date(2026, 10, 1)
        for number, employee_id in enumerate(_staff(outcome, unit_codes=self.SERVICE_UNITS)):
            targets = 40 + (employee_id % 5) * 10
            met = targets if number % 3 != 2 else targets - 1 - number % 4
            service_targets.set_service_target(actor=hr, employee=outcome.plans_by_employee[employee_id].employee,
                                               month=month, targets=targets, met_on_time=met,
                                               reason="Rekap layanan loket Oktober 2026")
            activity.service_targets += 1
        pay.update_pay_settings(actor=hr, publish_transparency=True, criteria=KOTALAMA_CRITERIA)
        # The article: Kotalama publishes every employee's pay. The demo's regulation is as made up as the
        # city; employees were told in September, names are shown from October's pay.
        named_pay.turn_on(actor=hr, regulation=KOTALAMA_REGULATION, publish_from=datetime.date(2026, 10, 1),
                          now=at(datetime.date(2026, 9, 14)))


KOTALAMA_REGULATION = ("Peraturan Wali Kota Kotalama Nomor 17 Tahun 2026 tentang Keterbukaan Informasi Tambahan "
                       "Penghasilan Pegawai")
KOTALAMA_CRITERIA = {
    "criteria_formula": "TPP = 70% bagian prestasi kerja (hasil kerja 60% dan perilaku kerja 40%, dinilai atasan "
                        "langsung dengan masukan rekan kerja) + 30% bagian disiplin kerja, menurut kelas jabatan.",
    "criteria_deductions": "Tanpa keterangan 4% per hari; terlambat dan pulang cepat 0,5% sampai 2% per kejadian "
                           "menurut lamanya; hukuman disiplin menurut keputusannya.",
    "criteria_predicate": "Bonus 5% dari TPP dasar bagi pegawai unit layanan yang menyelesaikan seluruh target "
                          "layanan publik bulan itu tepat waktu.",
}


class Tebingtinggi(Story):
    slug = "tebingtinggi"
    IMMUNISATION = "kinerja-tpp-tebingtinggi:TBT-KES-1"  # the city's own indicator, from its plugin
    extra_indicators = {"health_centre": ((IMMUNISATION, 480),)}
    attendance_history = (datetime.date(2026, 8, 1), datetime.date(2026, 9, 1))  # TL/PSW across months

    def before_ratings(self, outcome, *, rng, activity, **kwargs):
        self.immunisation(outcome, rng=rng, activity=activity)

    @staticmethod
    def immunisation(outcome: YearOutcome, *, rng: random.Random, activity) -> None:
        """Health-centre staff report the children fully immunised each quarter, month by month (a busier
        quarter around the immunisation month of August); each quarter's figure is the three months'."""
        from kinerja.appraisal.models import Iki

        ikis = (Iki.objects.filter(template_code=Tebingtinggi.IMMUNISATION, rhk__plan__in=list(
            outcome.plans_by_employee.values())).select_related("rhk__plan__employee__user").order_by("pk"))
        periods = list(outcome.appraisal_year.periods.filter(ends_on__lte=datetime.date(2026, 9, 30))
                       .order_by("number"))
        for iki in ikis:
            base = rng.randint(30, 42)
            for period in periods:
                months = [period.starts_on.month + n for n in range(3)]
                figures = [base + rng.randint(-6, 6) + (12 if month == 8 else 0) for month in months]
                text = ", ".join(f"{MONTHS_ID[month - 1]} {figure}" for month, figure in zip(months, figures))
                appraisal.record_realisation(actor=iki.rhk.plan.employee.user, iki=iki, period=period,
                                             value=sum(figures), text=f"Anak diimunisasi lengkap: {text}.",
                                             now=at(period.ends_on, 15))
                activity.realisations += 1

    def before_pay(self, outcome, *, hr, rng, activity):
        super().before_pay(outcome, hr=hr, rng=rng, activity=activity)
        # before the demo's upcoming sessions exist, so the hire's onboarding waits for September's
        self.recruit_and_train(hr=hr, activity=activity)
        weak = _staff(outcome, predicate=BP) + _staff(outcome, predicate="kurang")
        for employee_id, (category, severity, months) in zip(weak, [
                ("verbal_warning", "light", 1), ("written_warning", "medium", 3),
                ("statement_of_dissatisfaction", "medium", 6)]):
            appraisal.record_reward_sanction(
                actor=hr, employee=outcome.plans_by_employee[employee_id].employee, kind="sanction",
                category=category, severity=severity, starts_on=datetime.date(2026, 10, 1), duration_months=months,
                percent=10 if severity == "light" else 25,
                description="Hukuman disiplin atas ketidakhadiran tanpa keterangan berulang.")
            activity.sanctions += 1
        for employee_id in _staff(outcome, predicate=SB)[:3]:
            appraisal.record_reward_sanction(
                actor=hr, employee=outcome.plans_by_employee[employee_id].employee, kind="reward",
                category="certificate", starts_on=datetime.date(2026, 10, 1), duration_months=1, percent=0,
                description="Piagam penghargaan Wali Kota atas capaian imunisasi dan pelayanan.")
            activity.rewards += 1



    def recruit_and_train(self, *, hr, activity) -> None:
        """A managerial CPNS post filled in July and August: administration, SKD, SKB, psychological test,
        a panel of three, integration, public results and a clarification session; the hire starts on
        1 September and completes the service-ethics and administration courses of their onboarding."""
        from django.core.files.uploadedfile import SimpleUploadedFile

        from kinerja.recruitment.models import ApplicationDocument, StageResult
        from kinerja.recruitment.services import applicants, applications, hiring, openings, publication, ranking
        from kinerja.recruitment.services import scoring, selection
        from kinerja.training import services as training
        from kinerja.training.models import Course, Enrolment, TrainingSession

        opens, closes = datetime.date(2026, 7, 1), datetime.date(2026, 7, 14)

        def day(offset: int) -> datetime.datetime:
            return at(closes + datetime.timedelta(days=1 + offset))

        holder = (Employee.objects.filter(position__kind=PositionKind.STRUCTURAL, unit__parent__isnull=False)
                  .select_related("position", "unit").order_by("position__position_class", "position__code").first())
        position, unit = holder.position, holder.unit
        opening = openings.create_opening(
            actor=hr, code="CPNS-2026-TBT-MGR", title=f"CPNS 2026: {position.title}", kind="cpns",
            position=position, unit=unit, posts=1, rank="III/a", managerial=True,
            requirements="S1 Administrasi Publik atau Manajemen, IPK minimal 3,00, usia 18-35 tahun.",
            documents_required=["KTP", "Ijazah"], registration_opens=opens, registration_closes=closes,
            schedule="Juli 2026: pendaftaran; Agustus 2026: seleksi", onboarding_courses=["TEK-PELAYANAN", "TEK-ARSIP"])
        openings.publish_opening(opening, actor=hr, now=at(opens))
        people = {}
        for n in range(1, 6):
            applicant = applicants.register_applicant(
                email=f"pelamar{n}@contoh.tebingtinggikota.go.id", password="kinerja-demo-pelamar",
                full_name=RECRUITS[n - 1], birth_date=datetime.date(1996, n, 10 + n), gender="M" if n % 2 else "F")
            application = applications.apply(applicant=applicant, opening=opening, now=at(opens + datetime.timedelta(days=n)))
            for name in opening.documents_required:
                applications.upload_document(applicant=applicant, application=application, name=name,
                                             now=at(opens + datetime.timedelta(days=n)),
                                             uploaded_file=SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 demo"))
            people[application.pk] = n
        admin, skd, skb, psych, panel, integration, final, clarification = selection.included_stages(opening)
        selection.close_registration(opening, actor=hr)
        for document in ApplicationDocument.objects.filter(application__opening=opening):
            applications.review_document(document, actor=hr, accepted=True)

        def results(stage):
            return StageResult.objects.filter(stage=stage).select_related("application")

        def step(stage, publish_day: int, advance_day: int) -> None:
            ranking.compute_stage(stage, actor=hr)
            publication.publish_stage(stage, actor=hr, now=day(publish_day))
            selection.advance(opening, actor=hr, now=day(advance_day))

        step(admin, 0, 4)
        for result in results(skd):
            n = people[result.application_id]
            scoring.enter_scores(skd, result.application, actor=hr,
                                 scores={"TWK": 100 - 3 * n, "TIU": 120 - 4 * n, "TKP": 200 - 2 * n})
        step(skd, 5, 5)
        for result in results(skb):
            n = people[result.application_id]
            scoring.enter_scores(skb, result.application, actor=hr,
                                 scores={"CAT SKB": str(90 - 3 * n), "Tes tambahan (praktik kerja/wawancara)": str(85 - n)})
        step(skb, 6, 6)
        heads = list(Employee.objects.filter(unit__parent__isnull=True, user__isnull=False)
                     .exclude(supervisor__unit=models_F("unit")).select_related("user").order_by("pk")[:4])
        scoring.assign_assessor(psych, heads[0].user, actor=hr)
        for result in results(psych):
            scoring.save_score_sheet(psych, result.application, assessor=heads[0].user, submit=True,
                                     scores={"Asesmen psikologi": 70 + people[result.application_id]})
        step(psych, 7, 7)
        for assessor in heads[1:4]:
            scoring.assign_assessor(panel, assessor.user, actor=hr)
        for result in results(panel):
            n = people[result.application_id]
            for offset, assessor in enumerate(heads[1:4]):
                scoring.save_score_sheet(panel, result.application, assessor=assessor.user, submit=True, scores={
                    "Visi dan rencana kerja": 80 - n + offset, "Kepemimpinan": 78 - n, "Integritas": 85 - n})
        step(panel, 8, 8)
        step(integration, 9, 9)
        step(final, 10, 14)
        step(clarification, 15, 21)
        training.sync_catalog(actor=hr)
        hires = hiring.hire(opening, actor=hr, start=datetime.date(2026, 9, 1))
        activity.hires += len(hires)
        hire_ids = [h.employee_id for h in hires]
        for code, starts in (("TEK-PELAYANAN", datetime.date(2026, 9, 7)), ("TEK-ARSIP", datetime.date(2026, 9, 21))):
            course = Course.objects.get(code=code)
            session = training.create_session(actor=hr, course=course, starts_on=starts,
                                              ends_on=starts + datetime.timedelta(days=2), seats=20,
                                              place="Aula BKPSDM Kota Tebing Tinggi", trainer="Widyaiswara BKPSDM")
            seated = Enrolment.objects.filter(session=session, employee_id__in=hire_ids)
            training.record_attendance(session, actor=hr, present=list(seated.values_list("pk", flat=True)))
            training.complete_session(TrainingSession.objects.get(pk=session.pk), actor=hr)
            activity.sessions += 1


RECRUITS = ("Rahmat Hidayat Siregar", "Dewi Sartika Lubis", "Andi Pratama Nasution", "Sri Wahyuni Damanik",
            "Fajar Ramadhan Harahap")


class Batanghari(Story):
    slug = "batanghari"
    REQUESTS_ON_TIME = "public-requests-on-time"
    extra_indicators = {"civil_registry": ((REQUESTS_ON_TIME, 90),), "district": ((REQUESTS_ON_TIME, 90),)}

    def before_ratings(self, outcome, *, rng, activity, **kwargs):
        self.request_times(outcome, rng=rng, activity=activity)

    @staticmethod
    def request_times(outcome: YearOutcome, *, rng: random.Random, activity) -> None:
        """Service staff report each quarter the share of citizens' requests finished within the service
        standard time; who stands higher in the year finished more of theirs on time."""
        from kinerja.appraisal.models import Iki

        share = {SB: (95, 99), B: (88, 95), BP: (76, 86)}
        ikis = (Iki.objects.filter(template_code=Batanghari.REQUESTS_ON_TIME, rhk__plan__in=list(
            outcome.plans_by_employee.values())).select_related("rhk__plan__employee__user").order_by("pk"))
        periods = list(outcome.appraisal_year.periods.filter(ends_on__lte=datetime.date(2026, 9, 30))
                       .order_by("number"))
        for iki in ikis:
            low, high = share.get(outcome.standings[iki.rhk.plan.employee_id], (70, 82))
            for period in periods:
                requests = rng.randint(90, 240)
                on_time = round(requests * rng.randint(low, high) / 100)
                days = rng.choice(["1,5", "1,8", "2", "2,3", "2,6"])
                appraisal.record_realisation(
                    actor=iki.rhk.plan.employee.user, iki=iki, period=period,
                    value=round(100 * on_time / requests, 2),
                    text=f"{on_time} dari {requests} permohonan selesai dalam standar waktu layanan "
                         f"(rata-rata {days} hari kerja).", now=at(period.ends_on, 15))
                activity.realisations += 1

    def after_ratings(self, outcome, ratings, *, last_period, activity, **kwargs):
        super().after_ratings(outcome, ratings, last_period=last_period, activity=activity, **kwargs)
        period = outcome.appraisal_year.periods.get(number=last_period)
        for employee_id in _staff(outcome, unit_codes=("DISDUKCAPIL", "BKPSDM", "KEC"))[:30]:
            plan = outcome.plans_by_employee[employee_id]
            appraisal.save_self_report(
                actor=plan.employee.user, plan=plan, period=period,
                achievements="Seluruh permohonan layanan triwulan ini selesai; rata-rata waktu penyelesaian 2 hari.",
                obstacles="Jaringan internet kantor kecamatan sering terputus; formulir manual menumpuk.",
                improvement_plan="Mengikuti pelatihan TI untuk tenaga administrasi dan memakai antrean daring.",
                now=at(period.ends_on - datetime.timedelta(days=2)))
            activity.self_reports += 1

    def before_pay(self, outcome, *, hr, rng, activity):
        super().before_pay(outcome, hr=hr, rng=rng, activity=activity)
        for employee_id in _staff(outcome, predicate=SB)[:4]:
            appraisal.record_reward_sanction(
                actor=hr, employee=outcome.plans_by_employee[employee_id].employee, kind="reward",
                category="incentive", starts_on=datetime.date(2026, 10, 1), duration_months=1, percent=10,
                description="Insentif atas penyelesaian permohonan warga di bawah target waktu.")
            activity.rewards += 1
        weak = _staff(outcome, predicate=BP)
        for employee_id, (category, severity, percent) in zip(weak, [
                ("coaching", "light", 0), ("written_warning", "medium", 15)]):
            appraisal.record_reward_sanction(
                actor=hr, employee=outcome.plans_by_employee[employee_id].employee, kind="sanction",
                category=category, severity=severity, starts_on=datetime.date(2026, 10, 1), duration_months=2,
                percent=percent, description="Pembinaan oleh atasan langsung atas keterlambatan layanan."
                if severity == "light" else "Hukuman disiplin administratif atas laporan yang tidak disampaikan.")
            activity.sanctions += 1
        self.it_programme(outcome, hr=hr, activity=activity)

    @staticmethod
    def it_programme(outcome, *, hr, activity) -> None:
        """The article's IT training for administrative staff: two of the region's own IT courses held in
        August and September for executive (pelaksana) staff of the service units; those who attended get
        their certificate and JP."""
        from kinerja.training import services as training
        from kinerja.training.models import Course, TrainingSession

        staff = list(Employee.objects.filter(pk__in=_staff(outcome, unit_codes=("DISDUKCAPIL", "BKPSDM", "KEC")),
                                             position__kind=PositionKind.EXECUTIVE).order_by("pk")[:12])
        for code, starts, days in (("BTH-TI-01", datetime.date(2026, 8, 3), 2), ("BTH-TI-02", datetime.date(2026, 9, 14), 1)):
            course = Course.objects.filter(code=code, active=True).first()
            if course is None or not staff:
                continue
            # nominated before the class was scheduled (a session closes for enrolment when it starts):
            # scheduling it seats them
            enrolments = [training.enrol(person, code, nominated_by=hr,
                                         reason="Program pelatihan TI untuk tenaga administrasi") for person in staff]
            session = training.create_session(actor=hr, course=course, starts_on=starts,
                                              ends_on=starts + datetime.timedelta(days=days), seats=len(staff),
                                              place="Laboratorium Komputer Diskominfo Batanghari",
                                              trainer="Tim TI Diskominfo Batanghari")
            training.record_attendance(session, actor=hr, present=[e.pk for e in enrolments[1:]])  # one was ill
            training.complete_session(TrainingSession.objects.get(pk=session.pk), actor=hr)
            activity.sessions += 1


MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")


def _counted_staff(outcome: YearOutcome, measure: str) -> list[int]:
    """Employee ids whose SKP has an indicator counted by `measure`."""
    from kinerja.appraisal.models import Iki

    return sorted(set(Iki.objects.filter(measured_by=measure, rhk__plan__in=list(outcome.plans_by_employee.values()))
                      .values_list("rhk__plan__employee_id", flat=True)))


STORIES = {story.slug: story for story in (Bukittinggi, Kotalama, Tebingtinggi, Batanghari)}


def story_for(slug: str) -> Story:
    return STORIES.get(slug, Story)()
