"""Training counts in the SKP: an indicator measured by training hours (the built-in template "Teacher
training hours completed") takes, for each appraisal period, the JP its employee completed in it, from
sessions and verified external courses; nobody enters it by hand."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from kinerja.appraisal import selectors as appraisal_selectors
from kinerja.appraisal import services as appraisal
from kinerja.appraisal.models import Realisation
from kinerja.training import services
from tests.appraisal.factories import open_year, plan_with_indicators
from tests.training.factories import held_session, region_course

pytestmark = pytest.mark.django_db


def teacher_plan(org, year):
    """The teacher's approved SKP: one result with a quantity indicator and the training-hours one."""
    teacher = org.teacher
    plan = appraisal.create_plan(actor=teacher.user, employee=teacher, appraisal_year=year)
    rhk = appraisal.add_rhk(actor=teacher.user, plan=plan, kind="utama", text="Mutu pembelajaran meningkat")
    appraisal.add_iki(actor=teacher.user, rhk=rhk, text="Students passing", aspect="quality", target_value="85",
                      target_unit="percent")
    training = appraisal.add_iki(actor=teacher.user, rhk=rhk, template_code="education-training", target_value="24")
    appraisal.submit_plan(actor=teacher.user, plan=plan)
    appraisal.approve_plan(actor=plan.appraiser.user, plan=plan)
    return plan, training


def realisation(iki, period) -> Realisation | None:
    return Realisation.objects.filter(iki=iki, period=period).first()


def test_completed_sessions_and_verified_external_courses_fill_each_period(org):
    """Worked example, quarterly 2026. Q2: a 16-JP workshop on 12 May. Q3: an 8-JP session on 10 August
    the teacher attended, a 24-JP one on 17 August they missed, and a 6-JP external course they recorded
    themselves on 20 August, which counts once HR verifies it. Q2 = 16 JP, Q3 = 8 then 14 JP."""
    year = open_year(org, 2026, "quarterly")
    plan, iki = teacher_plan(org, year)
    assert iki.measured_by == "training_jp"
    q2 = appraisal_selectors.period_containing(plan, datetime.date(2026, 5, 12))
    q3 = appraisal_selectors.period_containing(plan, datetime.date(2026, 8, 10))

    workshop = region_course(org.hr, code="GURU-1", jp=16, title="Kurikulum Merdeka")
    held_session(org.hr, workshop, [org.teacher], on=datetime.date(2026, 5, 12))
    assessment = region_course(org.hr, code="GURU-2", jp=8, title="Asesmen kelas")
    held_session(org.hr, assessment, [org.teacher, org.staff], on=datetime.date(2026, 8, 10))
    long_course = region_course(org.hr, code="GURU-3", jp=24, title="Pembelajaran berdiferensiasi")
    held_session(org.hr, long_course, [org.teacher], on=datetime.date(2026, 8, 17), attended=[])

    assert realisation(iki, q2).value == Decimal(16)
    assert realisation(iki, q3).value == Decimal(8)
    assert "8 JP" in realisation(iki, q3).text

    external = services.record_external_course(
        actor=org.teacher.user, employee=org.teacher, title="Webinar literasi", organiser="Kemendikdasmen",
        jp_hours=6, started_on=datetime.date(2026, 8, 20), ended_on=datetime.date(2026, 8, 20))
    assert realisation(iki, q3).value == Decimal(8), "an unverified record does not count yet"
    services.verify_external_course(actor=org.hr, external=external)
    assert realisation(iki, q3).value == Decimal(14)
    assert realisation(iki, q2).value == Decimal(16), "other periods keep their own JP"


def test_the_teacher_cannot_enter_training_hours_by_hand_and_other_indicators_are_untouched(org):
    year = open_year(org, 2026, "quarterly")
    plan, iki = teacher_plan(org, year)
    staff_plan = plan_with_indicators(org.staff, year)
    course = region_course(org.hr, code="GURU-1", jp=16)
    held_session(org.hr, course, [org.teacher, org.staff], on=datetime.date(2026, 8, 10))
    q3 = appraisal_selectors.period_containing(plan, datetime.date(2026, 8, 10))

    with pytest.raises(ValidationError, match="not entered by hand"):
        appraisal.record_realisation(actor=org.teacher.user, iki=iki, period=q3, value="40",
                                     now=datetime.datetime(2026, 10, 2, 3, tzinfo=datetime.timezone.utc))
    assert realisation(iki, q3).value == Decimal(16)
    entered = staff_plan.rhks.get().ikis.get()
    assert not Realisation.objects.filter(iki=entered).exists(), "an indicator the employee enters stays theirs"
    other = plan.rhks.get().ikis.exclude(pk=iki.pk).get()
    assert realisation(other, q3) is None


def test_a_plan_not_yet_approved_is_not_written_to(org):
    year = open_year(org, 2026, "quarterly")
    teacher = org.teacher
    plan = appraisal.create_plan(actor=teacher.user, employee=teacher, appraisal_year=year)
    rhk = appraisal.add_rhk(actor=teacher.user, plan=plan, kind="utama", text="Mutu pembelajaran")
    iki = appraisal.add_iki(actor=teacher.user, rhk=rhk, template_code="education-training", target_value="24")
    held_session(org.hr, region_course(org.hr, code="GURU-1", jp=16), [teacher], on=datetime.date(2026, 8, 10))
    assert not Realisation.objects.filter(iki=iki).exists()


def test_only_a_counted_indicator_takes_a_counted_realisation(org):
    year = open_year(org, 2026, "quarterly")
    plan = plan_with_indicators(org.staff, year)
    entered = plan.rhks.get().ikis.get()
    period = appraisal_selectors.period_containing(plan, datetime.date(2026, 8, 10))
    with pytest.raises(ValidationError, match="not counted from another module"):
        appraisal.write_counted_realisation(iki=entered, period=period, value=Decimal(5), text="", actor=org.hr)
