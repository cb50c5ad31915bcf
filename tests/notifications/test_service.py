"""The notify service: who gets what (the person's choices, inactive logins, repeated events), e-mail
only after the commit and in the recipient's language, and the inbox, its count and the choices through
the pages and the API, each person reaching only their own."""
import pytest
from django.db import transaction
from django.utils import translation
from kinerja.accounts.models import Role
from kinerja.audit.models import AuditEntry
from kinerja.notifications import selectors, services
from kinerja.notifications.models import MailStatus, Notification

from tests.factories import make_login
from tests.helpers import client_for, english_client, in_region
from tests.notifications.conftest import with_email

PARAMS = {"employee": "Staf Satu", "year": 2026}
LINK = "/appraisal/skp/1/"


def test_the_inbox_row_is_written_and_the_mail_waits_for_the_commit(org, mail):
    (chief,) = with_email(org.chief.user)
    with mail.commit() as callbacks:
        services.notify([chief], "plan.submitted", params=PARAMS, link=LINK)
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    (row,) = Notification.objects.filter(recipient=chief)
    assert row.in_app and row.read_at is None and row.mail_status == MailStatus.SENT
    (message,) = mail.outbox
    assert message.to == [chief.email]
    # Indonesian unless the person chose English; the link leads to the page on the region's host
    assert message.subject == "[Kinerja] Rencana SKP Staf Satu menunggu persetujuan Anda"
    assert "Staf Satu mengajukan rencana SKP tahun 2026" in message.body
    assert f"https://bukittinggi.localhost{LINK}" in message.body


def test_a_rolled_back_event_tells_nobody(org, mail):
    (chief,) = with_email(org.chief.user)
    with mail.commit():
        try:
            with transaction.atomic():
                services.notify([chief], "plan.submitted", params=PARAMS, link=LINK)
                raise RuntimeError("the event failed")
        except RuntimeError:
            pass
    assert not Notification.objects.filter(recipient=chief).exists() and mail.outbox == []


def test_english_when_the_person_chose_it(org, mail):
    chief, staff = with_email(org.chief.user, org.staff.user)
    services.set_language(chief, "en")
    with translation.override("id"), mail.commit():
        services.notify([chief, staff], "plan.submitted", params=PARAMS, link=LINK)
    assert mail.to(chief.email)[0].subject == "[Kinerja] SKP plan of Staf Satu waits for your approval"
    assert mail.to(staff.email)[0].subject == "[Kinerja] Rencana SKP Staf Satu menunggu persetujuan Anda"


def test_dates_and_words_in_parameters_follow_the_readers_language(org):
    import datetime

    params = {"period": "2026", "outcome": "upheld", "decision": "Nilai diubah"}
    assert services.render("objection.answered", params, "en")[1] == (
        "Your objection against the rating for 2026 was upheld: Nilai diubah")
    assert "dikabulkan" in services.render("objection.answered", params, "id")[1]
    params = {"period": "2026", "deadline": datetime.date(2027, 1, 4).isoformat()}
    assert "4 January 2027" in services.render("objection.deadline", params, "en")[1]
    assert "4 Januari 2027" in services.render("objection.deadline", params, "id")[1]


def test_each_person_chooses_per_kind(org, mail):
    chief, head = with_email(org.chief.user, org.head.user)
    services.set_preference(chief, "plan.submitted", in_app=True, email=False)
    services.set_preference(head, "plan.submitted", in_app=False, email=True)
    services.set_preference(org.staff.user, "plan.submitted", in_app=False, email=False)
    with mail.commit():
        services.notify([chief, head, org.staff.user], "plan.submitted", params=PARAMS, link=LINK)
    assert list(selectors.inbox_for(chief).values_list("kind", flat=True)) == ["plan.submitted"]
    assert not selectors.inbox_for(head).exists() and len(mail.to(head.email)) == 1
    assert mail.to(chief.email) == []
    assert not Notification.objects.filter(recipient=org.staff.user).exists()
    # another kind keeps its defaults
    with mail.commit():
        services.notify([chief], "plan.approved", params={"appraiser": "x", "year": 2026}, link=LINK)
    assert len(mail.to(chief.email)) == 1
    assert AuditEntry.objects.filter(action="notifications.preference.set").count() == 3


def test_no_login_e_mail_means_inbox_only_and_inactive_logins_get_nothing(org, mail):
    inactive = org.staff2.user
    inactive.is_active = False
    inactive.save()
    with mail.commit():
        services.notify([org.staff.user, inactive, None], "plan.approved", params={"appraiser": "x", "year": 1})
    assert mail.outbox == []
    assert list(Notification.objects.values_list("recipient", "mail_status")) == [(org.staff.user.pk, "")]


def test_an_event_told_once_is_not_told_again(org, mail):
    (staff,) = with_email(org.staff.user)
    with mail.commit():
        for _ in range(2):
            services.notify([staff, "pelamar@example.id"], "objection.deadline", event_key="rating:7",
                            params={"period": "2026", "deadline": "2027-01-04"})
    assert Notification.objects.filter(kind="objection.deadline").count() == 2
    assert len(mail.outbox) == 2


def test_a_failing_mail_server_is_recorded_and_the_rest_go(org, mail, monkeypatch):
    chief, head = with_email(org.chief.user, org.head.user)
    from django.core.mail.backends.locmem import EmailBackend

    real = EmailBackend.send_messages

    def refuse_the_head(self, messages):
        if head.email in messages[0].to:
            raise OSError("mailbox unavailable")
        return real(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse_the_head)
    with mail.commit():
        services.notify([chief, head], "plan.submitted", params=PARAMS, link=LINK)
    assert [m.to for m in mail.outbox] == [[chief.email]]
    failed = Notification.objects.get(recipient=head)
    assert failed.mail_status == MailStatus.FAILED and "mailbox unavailable" in failed.mail_error
    assert services.send_mails([failed.pk]) == 0  # a failure is not retried blindly by a redelivered task


def test_an_unknown_kind_is_a_programming_error(org):
    with pytest.raises(LookupError):
        services.notify([org.staff.user], "plan.exploded")


# --- the inbox through pages and API ------------------------------------------------------------------

def _three_for(user):
    for year in (2024, 2025, 2026):
        services.notify([user], "plan.approved", params={"appraiser": "Kepala Seksi", "year": year},
                        link="/appraisal/skp/")


def test_inbox_page_count_mark_read_and_mark_all(org):
    staff = org.staff.user
    _three_for(staff)
    _three_for(org.staff2.user)
    client = english_client(org.region, staff)
    page = client.get("/notifications/").content.decode()
    assert page.count('data-testid="notification"') == 3
    assert "Kepala Seksi approved your SKP plan for 2026." in page
    assert 'data-count="3"' in client.get("/notifications/unread/").content.decode()
    newest = selectors.inbox_for(staff).first()
    opened = client.post(f"/notifications/{newest.pk}/open/")
    assert opened.status_code == 302 and opened["Location"] == "/appraisal/skp/"
    assert selectors.unread_count(staff) == 2
    assert client.post("/notifications/read-all/").status_code == 302
    assert selectors.unread_count(staff) == 0 and selectors.unread_count(org.staff2.user) == 3
    assert 'data-count="0"' in client.get("/notifications/unread/").content.decode()


def test_the_header_fetches_the_count_with_htmx(org):
    page = english_client(org.region, org.staff.user).get("/dashboard/").content.decode()
    assert 'hx-get="/notifications/unread/"' in page and 'hx-trigger="load, every 60s"' in page


def test_nobody_reads_or_marks_anothers_notifications(org):
    _three_for(org.staff2.user)
    theirs = selectors.inbox_for(org.staff2.user).first()
    client = english_client(org.region, org.staff.user)
    assert client.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    assert client.post(f"/notifications/{theirs.pk}/open/").status_code == 404
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    hr = english_client(org.region, org.hr)  # HR reads its own inbox only, too
    assert hr.get("/api/v1/notifications/").json()["results"] == []
    assert selectors.unread_count(org.staff2.user) == 3


def test_a_login_of_one_region_is_unknown_in_another(org, region_b):
    _three_for(org.staff.user)
    with in_region(region_b):
        stranger = make_login(Role.EMPLOYEE, "notify-b")
    outside = client_for(region_b, stranger)
    assert outside.get("/api/v1/notifications/").json()["results"] == []
    assert client_for(region_b).get("/notifications/").status_code == 302  # to sign-in


def test_api_inbox_read_and_count(org):
    _three_for(org.staff.user)
    client = english_client(org.region, org.staff.user)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [row["message"] for row in rows][0] == "Kepala Seksi approved your SKP plan for 2026."
    assert rows[0]["subject"] == "Your SKP plan for 2026 was approved" and rows[0]["read"] is False
    marked = client.post(f"/api/v1/notifications/{rows[0]['id']}/read/")
    assert marked.status_code == 200 and marked.json()["read"] is True
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    assert len(client.get("/api/v1/notifications/?unread=1").json()["results"]) == 2
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}


def test_inbox_page_and_api_queries_do_not_grow_with_rows(org):
    from tests.helpers import capture_queries

    client = english_client(org.region, org.staff.user)
    _three_for(org.staff.user)
    with capture_queries() as few:
        client.get("/notifications/")
    with capture_queries() as few_api:
        client.get("/api/v1/notifications/")
    for _ in range(5):
        _three_for(org.staff.user)
    with capture_queries() as many:
        client.get("/notifications/")
    with capture_queries() as many_api:
        client.get("/api/v1/notifications/")
    assert len(many) == len(few) and len(many_api) == len(few_api)


def test_preferences_page_and_api(org):
    user = org.staff.user
    client = english_client(org.region, user)
    page = client.get("/notifications/preferences/").content.decode()
    assert 'name="email:plan.approved" aria-label="SKP plan approved: By e-mail" checked' in page
    assert "recruitment.stage_result" not in page  # applicants' kinds have no staff choice
    form = {f"in_app:{kind}": "on" for kind in ("plan.approved", "rating.delivered")}
    form["language"] = "en"
    assert client.post("/notifications/preferences/", form).status_code == 302
    rows = {row["kind"]: row for row in selectors.preferences_for(user)}
    assert rows["plan.approved"] == {**rows["plan.approved"], "in_app": True, "email": False}
    assert rows["plan.returned"]["in_app"] is False and selectors.language_of(user) == "en"
    assert AuditEntry.objects.filter(action="notifications.language.set", actor=user).count() == 1
    api = client.put("/api/v1/notifications/preferences/",
                     {"language": "id", "kinds": [{"kind": "plan.returned", "in_app": True, "email": True}]},
                     content_type="application/json")
    assert api.status_code == 200 and api.json()["language"] == "id"
    assert {row["kind"]: row for row in api.json()["kinds"]}["plan.returned"]["email"] is True
    refused = client.put("/api/v1/notifications/preferences/",
                         {"kinds": [{"kind": "recruitment.stage_result", "in_app": True, "email": True}]},
                         content_type="application/json")
    assert refused.status_code == 400 and "recruitment.stage_result" in refused.json()["kind"][0]
    assert client.put("/api/v1/notifications/preferences/", {"language": "fr"},
                      content_type="application/json").status_code == 400


def test_every_kind_reads_in_indonesian_and_english(org):
    from kinerja.notifications.kinds import KINDS

    for code, kind in KINDS.items():
        params = {name: "x" for name in ("employee", "appraiser", "comment", "predicate", "maker", "approver",
                                         "course", "stage", "opening", "number", "region", "reason", "decision",
                                         "regulation")}
        params.update(year="2026", period="2026", deadline="2027-01-04", month="2026-10", net="1.000",
                      starts_on="2026-12-10", status="confirmed", outcome="passed", amount="5.000", due="2026-12-31",
                      date="2026-12-15")
        english, indonesian = services.render(code, params, "en"), services.render(code, params, "id")
        assert english[0] != indonesian[0] and english[1] != indonesian[1], code
        assert "%(" not in english[1] + indonesian[1], code
        with translation.override("id"):
            indonesian_label = str(kind.label)
        with translation.override("en"):
            assert str(kind.label) != indonesian_label, code
