"""The daily work log (laporan harian): entries against the SKP's results, bulk verification by the
appraiser, and the realisation that verified entries feed."""
import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from kinerja.appraisal import selectors, services
from kinerja.appraisal.models import DailyLog, Realisation
from kinerja.audit.models import AuditEntry
from kinerja.plugins.models import PluginActivation

from tests.appraisal.factories import open_year, plan_with_indicators

pytestmark = pytest.mark.django_db
UTC = datetime.timezone.utc


def wib(day: int, hour: int, month: int = 2) -> datetime.datetime:
    """A moment of 2026 in Western Indonesian Time (UTC+7), the test region's zone."""
    return datetime.datetime(2026, month, day, hour - 7, 0, tzinfo=UTC)


@pytest.fixture
def year(org):
    return open_year(org, 2026, "monthly")


def counted_plan(employee, year):
    """An approved SKP whose one indicator is counted from the verified daily log."""
    plan = services.create_plan(actor=employee.user, employee=employee, appraisal_year=year)
    rhk = services.add_rhk(actor=employee.user, plan=plan, kind="utama", text="Patient records kept up to date")
    services.add_iki(actor=employee.user, rhk=rhk, text="Patient records entered", aspect="quantity",
                     target_value="1000", target_unit="records", measured_by="daily_log_sum")
    services.submit_plan(actor=employee.user, plan=plan)
    services.approve_plan(actor=plan.appraiser.user, plan=plan)
    plan.refresh_from_db()
    return plan


def log(employee, plan, day, quantity=None, activity="Entered patient records", *, at=None, iki=True):
    rhk = plan.rhks.get()
    return services.record_daily_log(actor=employee.user, rhk=rhk, iki=rhk.ikis.get() if iki else None,
                                     date=datetime.date(2026, 2, day), activity=activity, quantity=quantity,
                                     now=at or wib(day, 16))


def test_a_week_of_logs_verified_in_bulk_gives_the_months_realisation(org, year):
    """Worked example. Staf Satu logs Monday 2 to Friday 6 February 2026 (4, 6, 5, 3 and 7 records), each
    sent at 16:00 WIB on its day, and a mistaken 100 on Thursday. The chief returns the mistake with a
    comment, verifies Monday to Thursday on Friday morning (not the same day), and Friday's entries of
    both staff at 17:00 that Friday (the same day). February's realisation of Staf Satu's indicator is
    4 + 6 + 5 + 3 + 7 = 25 records; the chief's own indicator "daily logs verified the same day", from the
    Tebingtinggi plugin's template, is 2 of the 6 entries verified (the returned one is not counted):
    33.33 percent."""
    PluginActivation.objects.create(plugin_name="kinerja-tpp-tebingtinggi", enabled=True)
    chief_plan = services.create_plan(actor=org.chief.user, employee=org.chief, appraisal_year=year)
    rhk = services.add_rhk(actor=org.chief.user, plan=chief_plan, kind="utama", text="Pemantauan layanan")
    same_day = services.add_iki(actor=org.chief.user, rhk=rhk, template_code="kinerja-tpp-tebingtinggi:TBT-KES-2",
                                target_value="90")
    assert same_day.measured_by == "daily_logs_verified_same_day"
    services.submit_plan(actor=org.chief.user, plan=chief_plan)
    services.approve_plan(actor=org.head.user, plan=chief_plan)

    plan = counted_plan(org.staff, year)
    other = plan_with_indicators(org.staff2, year)
    week = [log(org.staff, plan, day, quantity) for day, quantity in zip(range(2, 7), ["4", "6", "5", "3", "7"])]
    mistake = log(org.staff, plan, 5, "100", "Typo")
    friday_other = services.record_daily_log(actor=org.staff2.user, rhk=other.rhks.get(), date=datetime.date(2026, 2, 6),
                                             activity="Sorted the archive", now=wib(6, 15))
    february = selectors.period_containing(plan, datetime.date(2026, 2, 1))
    iki = plan.rhks.get().ikis.get()
    assert not Realisation.objects.filter(iki=iki).exists()  # nothing verified yet

    services.return_daily_logs(actor=org.chief.user, log_ids=[mistake.pk], comment="100 records in a day?",
                               now=wib(6, 9))
    services.verify_daily_logs(actor=org.chief.user, log_ids=[e.pk for e in week[:4]], now=wib(6, 10))
    services.verify_daily_logs(actor=org.chief.user, log_ids=[week[4].pk, friday_other.pk], now=wib(6, 17))

    realisation = Realisation.objects.get(iki=iki, period=february)
    assert realisation.value == Decimal("25") and realisation.text == "5 verified daily log entries"
    chief_realisation = Realisation.objects.get(iki=same_day, period=february)
    assert chief_realisation.value == Decimal("33.33")
    assert chief_realisation.text == "2 of 6 daily log entries verified on the day they were sent"
    mistake.refresh_from_db()
    assert (mistake.status, mistake.verifier_comment) == ("returned", "100 records in a day?")
    # each entry decided is in the audit trail, on its own
    assert AuditEntry.objects.filter(action="appraisal.daily_log.verify").count() == 6
    assert AuditEntry.objects.filter(action="appraisal.daily_log.return", target_id=str(mistake.pk)).exists()
    # the employee's own figure cannot be typed over the counted one
    with pytest.raises(ValidationError, match="not entered by hand"):
        services.record_realisation(actor=org.staff.user, iki=iki, period=february, value="999", now=wib(6, 18))
    # correcting the returned entry sends it back; verified, it counts
    services.update_daily_log(actor=org.staff.user, log=mistake, rhk=plan.rhks.get(), iki=iki,
                              date=datetime.date(2026, 2, 5), activity="Entered patient records", quantity="10",
                              now=wib(9, 8))
    services.verify_daily_logs(actor=org.chief.user, log_ids=[mistake.pk], now=wib(9, 9))
    realisation.refresh_from_db()
    assert realisation.value == Decimal("35")
    assert Realisation.objects.get(iki=same_day, period=february).value == Decimal("42.86")  # 3 of 7


def test_bulk_verification_is_all_or_nothing_and_names_each_refused_entry(org, year):
    plan = counted_plan(org.staff, year)
    teacher_plan = counted_plan(org.teacher, year)
    mine = log(org.staff, plan, 2, "1")
    done = log(org.staff, plan, 3, "1")
    services.verify_daily_logs(actor=org.chief.user, log_ids=[done.pk], now=wib(3, 17))
    not_mine = log(org.teacher, teacher_plan, 2, "1")
    with pytest.raises(ValidationError) as error:
        services.verify_daily_logs(actor=org.chief.user, log_ids=[mine.pk, done.pk, not_mine.pk, 99999],
                                   now=wib(4, 9))
    messages = error.value.message_dict["logs"]
    assert len(messages) == 3
    assert f"Entry {done.pk} (Staf Satu, 2026-02-03) is verified." in messages
    assert f"Entry {not_mine.pk} is not among the entries you verify." in messages
    assert "Entry 99999 is not among the entries you verify." in messages
    mine.refresh_from_db()
    assert mine.status == "submitted"  # nothing was half-done
    with pytest.raises(ValidationError, match="Choose at least one"):
        services.verify_daily_logs(actor=org.chief.user, log_ids=[], now=wib(4, 9))
    with pytest.raises(ValidationError) as error:
        services.return_daily_logs(actor=org.chief.user, log_ids=[mine.pk], comment=" ", now=wib(4, 9))
    assert "comment" in error.value.message_dict
    # the unit head is the chief's appraiser, not the staff's: the staff's entries are not theirs to verify
    with pytest.raises(ValidationError, match="not among the entries you verify"):
        services.verify_daily_logs(actor=org.head.user, log_ids=[mine.pk], now=wib(4, 9))


def test_what_an_entry_must_be(org, year, media):
    plan = counted_plan(org.staff, year)
    rhk, iki = plan.rhks.get(), plan.rhks.get().ikis.get()

    def attempt(**overrides):
        values = {"actor": org.staff.user, "rhk": rhk, "iki": iki, "date": datetime.date(2026, 2, 2),
                  "activity": "Entered records", "quantity": "3", "now": wib(2, 16)}
        values.update(overrides)
        with pytest.raises((ValidationError, PermissionDenied)) as error:
            services.record_daily_log(**values)
        return error.value

    assert "date" in attempt(date=datetime.date(2026, 2, 3)).message_dict  # tomorrow
    assert "activity" in attempt(activity="  ").message_dict
    assert "quantity" in attempt(quantity="-1").message_dict
    assert "quantity" in attempt(quantity="many").message_dict
    assert "quantity" in attempt(quantity="").message_dict  # the indicator is counted from quantities
    assert "quantity" in attempt(iki=None).message_dict  # a quantity needs its indicator
    # January closed for realisation on 10 February
    assert "January" in attempt(date=datetime.date(2026, 1, 30), now=wib(11, 9)).message_dict["period"][0]
    assert isinstance(attempt(actor=org.staff2.user), PermissionDenied)
    assert "file" not in attempt(file=SimpleUploadedFile("x.exe", b"MZ")).message_dict
    assert "evidence" in attempt(file=SimpleUploadedFile("x.exe", b"MZ")).message_dict
    draft = plan_with_indicators(org.staff2, year, approve=False)
    assert "plan" in attempt(actor=org.staff2.user, rhk=draft.rhks.get(), iki=None, quantity=None).message_dict
    assert not DailyLog.objects.exists()

    entry = services.record_daily_log(actor=org.staff.user, rhk=rhk, iki=iki, date=datetime.date(2026, 2, 2),
                                      activity="Entered records", quantity="3", now=wib(2, 16),
                                      file=SimpleUploadedFile("foto.jpg", b"\xff\xd8 photo"))
    stored = media / org.region.schema_name / entry.evidence.name
    assert stored.read_bytes() == b"\xff\xd8 photo"
    services.verify_daily_logs(actor=org.chief.user, log_ids=[entry.pk], now=wib(2, 17))
    with pytest.raises(ValidationError, match="verified; it can no longer be changed"):
        services.delete_daily_log(actor=org.staff.user, log=entry, now=wib(2, 18))
    with pytest.raises(ValidationError, match="verified; it can no longer be changed"):
        services.update_daily_log(actor=org.staff.user, log=entry, rhk=rhk, iki=iki, date=entry.date,
                                  activity="Changed", quantity="30", now=wib(2, 18))


def test_a_deleted_waiting_entry_leaves_the_count(org, year):
    plan = counted_plan(org.staff, year)
    first, second = log(org.staff, plan, 2, "4"), log(org.staff, plan, 3, "6")
    services.verify_daily_logs(actor=org.chief.user, log_ids=[first.pk], now=wib(3, 17))
    iki = plan.rhks.get().ikis.get()
    assert Realisation.objects.get(iki=iki).value == Decimal("4")
    services.delete_daily_log(actor=org.staff.user, log=second, now=wib(3, 18))
    assert Realisation.objects.get(iki=iki).value == Decimal("4")
    with pytest.raises(PermissionDenied):
        services.delete_daily_log(actor=org.chief.user, log=first, now=wib(3, 18))
