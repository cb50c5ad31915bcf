"""Pay published by name: off by default and then nothing names anyone; HR alone turns it on, only with
the regulation's number and a first day far enough ahead for every employee to be told; from that day the
public page shows name, position class and TPP only; another region stays as it was."""
import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.notifications.models import Notification
from kinerja.pay import named_pay, services
from kinerja.pay.models import PaySettings, TransparencyMode
from kinerja.region import facts
from tests.factories import make_employee, make_login
from tests.helpers import client_for, in_region
from tests.pay.factories import computed_run, use_pay_plugin

MARCH = datetime.date(2025, 3, 1)
REGULATION = "Peraturan Wali Kota Nomor 17 Tahun 2026 tentang Keterbukaan TPP"


@pytest.fixture
def paid(in_a, hr, checker, unit):
    use_pay_plugin("kinerja-tpp-bukittinggi", hr)
    people = [make_employee(unit, f"Pegawai Terbuka {n}", position_class=7) for n in range(6)]
    run = computed_run(MARCH, hr, approve_with=checker, lock=True)
    services.update_pay_settings(actor=hr, publish_transparency=True)
    return people, run


def _ahead(days: int) -> datetime.date:
    return facts.today() + datetime.timedelta(days=days)


def test_nothing_is_named_while_the_mode_is_off(paid, in_a):
    people, run = paid
    page = client_for(in_a).get("/pay/transparency/").content.decode()
    assert 'data-testid="transparency"' in page and 'data-testid="named-pay"' not in page
    for person in people:
        assert person.full_name not in page and person.nip not in page
    with in_region(in_a):
        assert PaySettings.objects.get().transparency_mode == TransparencyMode.CLASSES


def test_turning_on_needs_the_regulation_and_notice_and_tells_every_employee(paid, hr, in_a):
    people, run = paid
    with pytest.raises(ValidationError) as error:
        named_pay.turn_on(actor=hr, regulation="  ", publish_from=_ahead(30))
    assert "regulation" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        named_pay.turn_on(actor=hr, regulation=REGULATION, publish_from=_ahead(named_pay.NOTICE_DAYS - 1))
    assert "publish_from" in error.value.message_dict
    assert PaySettings.objects.get().transparency_mode == TransparencyMode.CLASSES, "nothing half-saved"
    assert not Notification.objects.filter(kind="pay.named_publication").exists()

    named_pay.turn_on(actor=hr, regulation=REGULATION, publish_from=_ahead(named_pay.NOTICE_DAYS))
    told = Notification.objects.filter(kind="pay.named_publication")
    assert set(told.values_list("recipient_id", flat=True)) == {p.user_id for p in people}
    assert told.first().params["regulation"] == REGULATION
    entry = AuditEntry.objects.get(action="pay.transparency.named_on")
    assert entry.reason == REGULATION and entry.after["named_pay_regulation"] == REGULATION
    # announced, but the first day has not come: still nobody named
    page = client_for(in_a).get("/pay/transparency/").content.decode()
    assert all(p.full_name not in page for p in people)


def test_from_the_first_day_the_page_shows_name_class_and_amount_only(paid, hr, in_a):
    people, run = paid
    announced = datetime.datetime(2025, 4, 1, 9, tzinfo=facts.time_zone())
    named_pay.turn_on(actor=hr, regulation=REGULATION, publish_from=datetime.date(2025, 4, 15), now=announced)
    with in_region(in_a):
        result = run.results.get(employee=people[0])
    page = client_for(in_a).get("/pay/transparency/").content.decode()
    assert 'data-testid="named-pay"' in page and REGULATION in page
    assert people[0].full_name in page and f"{result.net:,}".replace(",", ".") in page
    for person in people:
        assert person.nip not in page and person.unit.name not in page
    with in_region(in_a):
        named_pay.turn_off(actor=hr, reason="Peraturan dicabut")
        assert AuditEntry.objects.filter(action="pay.transparency.named_off").exists()
    page = client_for(in_a).get("/pay/transparency/").content.decode()
    assert all(p.full_name not in page for p in people)


@pytest.mark.parametrize("role", [Role.EMPLOYEE, Role.AUDITOR, Role.LEADERSHIP])
def test_only_hr_switches_it(paid, role, in_a):
    other = make_login(role, f"not-hr-{role}")
    with pytest.raises(PermissionDenied):
        named_pay.turn_on(actor=other, regulation=REGULATION, publish_from=_ahead(30))
    response = client_for(in_a, other).post(
        "/pay/settings/named-pay/", {"action": "on", "regulation": REGULATION, "publish_from": _ahead(30).isoformat()})
    assert response.status_code in (403, 404)
    with in_region(in_a):
        assert PaySettings.objects.get().transparency_mode == TransparencyMode.CLASSES


def test_hr_switches_it_on_the_settings_page_and_another_region_keeps_the_default(paid, hr, in_a, region_b):
    response = client_for(in_a, hr).post(
        "/pay/settings/named-pay/", {"action": "on", "regulation": REGULATION, "publish_from": _ahead(20).isoformat()})
    assert response.status_code == 302
    with in_region(in_a):
        assert PaySettings.objects.get().transparency_mode == TransparencyMode.NAMED
    with in_region(region_b):
        settings = PaySettings.objects.filter(pk=1).first()
        assert settings is None or settings.transparency_mode == TransparencyMode.CLASSES
        assert not Notification.objects.filter(kind="pay.named_publication").exists()
