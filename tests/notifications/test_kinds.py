"""Each kind of notification reaches the people concerned and nobody else (not the rest of the unit,
not another unit, not another region), in the inbox and in the mail outbox."""
import datetime

import pytest
from django.utils import timezone
from kinerja.accounts.models import Role
from kinerja.appraisal import services as appraisal
from kinerja.appraisal.models import BEHAVIOUR_VALUE_CODES
from kinerja.notifications.models import Notification
from kinerja.region import facts

from tests.appraisal.factories import open_year, plan_with_indicators
from tests.factories import build_organisation, make_login
from tests.helpers import in_region
from tests.notifications.conftest import with_email

VALUES = {code: "as_expected" for code in BEHAVIOUR_VALUE_CODES}
RATED = datetime.datetime(2026, 12, 20, 9, 0, tzinfo=datetime.timezone.utc)


def told(kind: str) -> set:
    """Who got `kind`: users by username, applicants by address."""
    return {row.recipient.username if row.recipient_id else row.email
            for row in Notification.objects.filter(kind=kind).select_related("recipient")}


@pytest.fixture
def region_b_org(region_b):
    """The same organisation in region B, which must never hear of region A's events."""
    with in_region(region_b):
        organisation = build_organisation(region_b, prefix="B")
    return organisation


def _assert_quiet(region):
    with in_region(region):
        assert not Notification.objects.exists()


def test_plan_submitted_returned_approved(org, mail, region_b_org):
    staff, chief, head = with_email(org.staff.user, org.chief.user, org.head.user)
    plan = plan_with_indicators(org.staff, open_year(org), approve=False)
    with mail.commit():
        appraisal.submit_plan(actor=staff, plan=plan)
    assert told("plan.submitted") == {chief.username}  # the appraiser, not the head nor a colleague
    (message,) = mail.outbox
    assert message.to == [chief.email] and f"/appraisal/skp/{plan.pk}/" in message.body
    with mail.commit():
        appraisal.return_plan(actor=chief, plan=plan, comment="Add a quality indicator")
    assert told("plan.returned") == {staff.username}
    assert "Add a quality indicator" in mail.to(staff.email)[0].body
    appraisal.submit_plan(actor=staff, plan=plan)
    with mail.commit():
        appraisal.approve_plan(actor=chief, plan=plan)
    assert told("plan.approved") == {staff.username}
    assert {m.to[0] for m in mail.outbox} == {chief.email, staff.email}
    _assert_quiet(region_b_org.region)


@pytest.fixture
def delivered(org):
    with_email(org.staff.user, org.chief.user, org.head.user)
    plan = plan_with_indicators(org.staff, open_year(org))
    rating = appraisal.rate(actor=org.chief.user, plan=plan, work_result="as_expected", behaviour="as_expected",
                            behaviour_values=VALUES, reason="On target", now=RATED)
    return rating


def test_rating_delivered_and_objection_filed_and_answered(org, mail, delivered, region_b_org):
    with mail.commit():
        rating = appraisal.deliver_rating(actor=org.chief.user, rating=delivered)
    assert told("rating.delivered") == {org.staff.user.username}
    assert "Baik" in mail.to(org.staff.user.email)[0].body
    with mail.commit():
        objection = appraisal.file_objection(actor=org.staff.user, rating=rating, reasons="Evidence ignored")
    assert told("objection.filed") == {org.head.user.username}  # the appraiser's superior decides
    assert len(mail.to(org.head.user.email)) == 1 and not mail.to(org.staff2.user.email or "-")
    with mail.commit():
        appraisal.decide_objection(actor=org.head.user, objection=objection, upheld=False, decision="Stands")
    assert told("objection.answered") == {org.staff.user.username}
    assert "tidak dikabulkan: Stands" in mail.to(org.staff.user.email)[-1].body  # Indonesian by default
    _assert_quiet(region_b_org.region)


def test_objection_deadline_three_days_before_once(org, mail, delivered):
    delivered_at = datetime.datetime(2026, 12, 21, 9, 0, tzinfo=facts.time_zone())
    rating = appraisal.deliver_rating(actor=org.chief.user, rating=delivered, now=delivered_at)
    # a colleague whose result came a day later, and one who already objected, are not reminded yet / at all
    other = plan_with_indicators(org.staff2, rating.plan.appraisal_year)
    later = appraisal.rate(actor=org.chief.user, plan=other, work_result="as_expected", behaviour="as_expected",
                           behaviour_values=VALUES, reason="x", now=RATED)
    appraisal.deliver_rating(actor=org.chief.user, rating=later, now=delivered_at + datetime.timedelta(days=1))
    Notification.objects.all().delete()
    deadline = appraisal.selectors.objection_deadline(rating)
    assert deadline == datetime.date(2027, 1, 4)
    three_days_before = datetime.datetime(2027, 1, 1, 6, 0, tzinfo=facts.time_zone())
    with mail.commit():
        assert appraisal.remind_objection_deadlines(now=three_days_before) == 1
        assert appraisal.remind_objection_deadlines(now=three_days_before) == 0  # beat ran twice
    assert told("objection.deadline") == {org.staff.user.username}
    (message,) = mail.outbox
    assert "berakhir pada 4 Januari 2027" in message.body
    appraisal.file_objection(actor=org.staff2.user, rating=later, reasons="x",
                             now=delivered_at + datetime.timedelta(days=2))
    assert appraisal.remind_objection_deadlines(now=three_days_before + datetime.timedelta(days=1)) == 0


def test_pay_run_waiting_approved_and_payslips(org, mail, region_b_org):
    from django.contrib.auth import get_user_model
    from kinerja.pay.models import PayResult

    from tests.pay.factories import computed_run, use_pay_plugin

    maker, checker, third = org.hr, make_login(Role.HR_ADMIN, "checker"), make_login(Role.HR_ADMIN, "third")
    other_hr = set(get_user_model().objects.filter(role=Role.HR_ADMIN).exclude(pk=maker.pk)
                   .values_list("username", flat=True))  # the region's first admin too
    assert {checker.username, third.username} <= other_hr
    with_email(maker, checker, third, org.staff.user, org.leadership)
    use_pay_plugin("kinerja-tpp-bukittinggi", maker)
    with mail.commit():
        run = computed_run(datetime.date(2025, 3, 1), maker)
    assert told("payrun.awaiting_approval") == other_hr  # every HR admin but the maker
    assert told("payslip.ready") == set()  # not before approval
    with mail.commit():
        run = appraisal_free_approve(run, checker)
    assert told("payrun.approved") == (other_hr | {maker.username}) - {checker.username}
    paid = set(PayResult.objects.filter(run=run, ok=True, employee__user__isnull=False)
               .values_list("employee__user__username", flat=True))
    assert paid and told("payslip.ready") == paid
    assert org.leadership.username not in told("payslip.ready") | told("payrun.approved")
    staff_result = PayResult.objects.get(run=run, employee=org.staff)
    (slip,) = [m for m in mail.to(org.staff.user.email) if "Slip TPP" in m.subject]
    assert f"/pay/results/{staff_result.pk}/" in slip.body
    _assert_quiet(region_b_org.region)


def appraisal_free_approve(run, checker):
    from kinerja.pay import services as pay

    return pay.approve_run(run, actor=checker)


def test_training_enrolment_and_waitlist_promotion(org, mail):
    from kinerja.training import services as training

    from tests.training.factories import region_course, session_of

    staff, staff2, teacher = with_email(org.staff.user, org.staff2.user, org.teacher.user)
    session = session_of(org.hr, region_course(org.hr), seats=1)
    with mail.commit():
        first = training.enrol(org.staff, session, nominated_by=org.hr)
        training.enrol(org.staff2, session, nominated_by=org.chief.user)
        pending = training.enrol(org.teacher, session, actor=teacher)  # a request: nothing decided yet
    assert told("training.enrolled") == {staff.username, staff2.username}
    assert "Anda masuk daftar tunggu" in mail.to(staff2.email)[0].body
    assert pending.status == "pending" and not mail.to(teacher.email)
    with mail.commit():
        training.withdraw(first, actor=staff, reason="Sick")
    assert told("training.promoted") == {staff2.username}
    assert len(mail.to(staff2.email)) == 2


def test_applicants_hear_their_stage_result_and_the_sanggah_window(region_a, mail, settings, media):
    from kinerja.plugins.services import set_plugin_enabled
    from kinerja.recruitment.services.openings import publish_opening
    from kinerja.recruitment.services.publication import publish_stage
    from kinerja.recruitment.services.ranking import compute_stage
    from kinerja.recruitment.services.selection import (
        close_registration,
        included_stages,
    )

    from tests.recruitment.conftest import NATIONAL, Org
    from tests.recruitment.flow import day, register_and_apply, review_all

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org = Org(region_a, [])
    with in_region(region_a):
        set_plugin_enabled(NATIONAL, True, actor=org.hr)
        opening = org.opening()
        publish_opening(opening, actor=org.hr)
        admin = included_stages(opening)[0]
        applications = register_and_apply(opening, count=3)
        close_registration(opening, actor=org.hr)
        review_all(org, applications, reject={3: ("KTP", "Photo unreadable")})
        compute_stage(admin, actor=org.hr)
        with mail.commit():
            publish_stage(admin, actor=org.hr, now=day(0))
        assert told("recruitment.stage_result") == {f"pelamar{n}@example.id" for n in (1, 2, 3)}
        assert told("recruitment.objection_window") == told("recruitment.stage_result")
        (failed,) = [m for m in mail.to("pelamar3@example.id") if "Results" in m.subject or "Hasil" in m.subject]
        assert "did not pass" in failed.body or "tidak lulus" in failed.body
        assert f"/jobs/{opening.code}/results/{admin.pk}/" in failed.body
        assert not Notification.objects.exclude(recipient=None).exists()  # no staff login was told
    assert len(mail.outbox) == 6


def test_region_suspended_and_invoice_due_reach_that_regions_hr_only(region_a, region_b, mail):
    from tenants.billing import services as billing
    from tenants.billing.models import CollectionMethod, Plan
    from tenants.services import suspend_region

    with in_region(region_a):
        hr_a = with_email(make_login(Role.HR_ADMIN, "suspend-hr"))[0]
        employee_a = make_login(Role.EMPLOYEE, "suspend-emp")
    with in_region(region_b):
        hr_b = make_login(Role.HR_ADMIN, "suspend-hr-b")
    plan = Plan.objects.create(code="std-n", name="Standard", price_per_employee=2_500, trial_days=30, grace_days=7)
    operator = make_login(Role.OPERATOR, "notify-operator")
    account = billing.open_billing_account(region_a, plan=plan, collection_method=CollectionMethod.INVOICE,
                                           contact_name="BKPSDM", contact_email="bkpsdm@example.go.id")
    with mail.commit():
        billing.issue_offline_invoice(account, month=timezone.localdate(), due_on=timezone.localdate(),
                                      actor=operator)
        suspend_region(region_a, actor=operator, reason="Unpaid invoice")
    with in_region(region_a):
        assert told("billing.due") >= {hr_a.username} and employee_a.username not in told("billing.due")
        assert told("region.suspended") >= {hr_a.username} and employee_a.username not in told("region.suspended")
        assert {row.link for row in Notification.objects.filter(kind="region.suspended")} == {"/billing/"}
    with in_region(region_b):
        assert not Notification.objects.filter(recipient=hr_b).exists()
    subjects = [m.subject for m in mail.to(hr_a.email)]
    assert len(subjects) == 2 and any("suspended" in s or "ditangguhkan" in s for s in subjects)
