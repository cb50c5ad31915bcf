"""The one way any module tells people something: `notify(recipients, kind, params=..., link=...)`.

The inbox rows are written in the caller's transaction, so an event that rolls back tells nobody. E-mail
is sent by a Celery task that is only enqueued once that transaction has committed, in batches, from the
region's schema. Each person chooses per kind whether to get the inbox entry, the e-mail, both or neither
(`set_preference`), and the language of their notifications (`set_language`)."""
from __future__ import annotations

import datetime
from functools import partial
from typing import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from kinerja import jobs
from kinerja.accounts.capabilities import roles_with
from kinerja.audit.services import record_change
from kinerja.notifications.kinds import KINDS, kind_named
from kinerja.notifications.models import (
    Language,
    LanguageChoice,
    MailStatus,
    Notification,
    Preference,
)
from kinerja.region import facts, formats

MAIL_TASK = "kinerja.notifications.tasks.send_mail_task"
MAIL_BATCH = 200  # notifications per mail task: a pay run's payslips go out in several


def _written(value) -> str:
    """Parameters are stored as text; dates as ISO so they are rendered in the reader's language later."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    return str(value)


def rupiah(amount: int) -> str:
    """Whole rupiah as notifications write them after "Rp ": 1.250.000 (`kinerja.region.formats`)."""
    return formats.number(int(amount), 0, language="id")


def notify(recipients: Iterable, kind: str, *, params: dict | None = None, link: str = "",
           event_key: str = "") -> list[Notification]:
    """Tell `recipients` (users of this region, or e-mail addresses of people without a login) about an
    event of `kind`. `params` fill the kind's sentence; `link` is the path of the page where the reader
    acts. With `event_key`, a recipient already told about that event of that kind is not told again.
    Returns the notifications written."""
    return notify_each(kind, [(recipient, params or {}, link) for recipient in recipients], event_key=event_key)


def notify_each(kind: str, deliveries: Iterable[tuple], *, event_key: str = "") -> list[Notification]:
    """`notify` for many recipients who each get their own parameters and link (a payslip each):
    `deliveries` holds (recipient, params, link). A handful of queries whatever their number."""
    spec = kind_named(kind)
    users, addresses = {}, {}
    for recipient, params, link in deliveries:
        stored = ({name: _written(value) for name, value in params.items()}, link)
        if recipient is None:
            continue
        if isinstance(recipient, str):
            if recipient:
                addresses.setdefault(recipient, stored)
        elif getattr(recipient, "is_active", False):
            users.setdefault(recipient.pk, (recipient, *stored))
    if event_key:
        already = Notification.objects.filter(kind=kind, event_key=event_key)
        told_users = set(already.filter(recipient__in=list(users)).values_list("recipient_id", flat=True)) if users else set()
        told_addresses = set(already.filter(recipient=None, email__in=list(addresses)).values_list("email", flat=True)) \
            if addresses else set()
        users = {pk: row for pk, row in users.items() if pk not in told_users}
        addresses = {address: row for address, row in addresses.items() if address not in told_addresses}
    rows = []
    if users:
        chosen = {row.user_id: row for row in Preference.objects.filter(user__in=list(users), kind=kind)}
        languages = dict(LanguageChoice.objects.filter(user__in=list(users)).values_list("user_id", "language"))
        for pk, (user, params, link) in users.items():
            preference = chosen.get(pk)
            in_app = preference.in_app if preference else spec.in_app
            by_mail = (preference.email if preference else spec.email) and bool(user.email)
            if not (in_app or by_mail):
                continue
            rows.append(Notification(recipient=user, email=user.email if by_mail else "", kind=kind, params=params,
                                     link=link, event_key=event_key, in_app=in_app,
                                     language=languages.get(pk, Language.INDONESIAN),
                                     mail_status=MailStatus.PENDING if by_mail else MailStatus.NONE))
    for address, (params, link) in addresses.items():
        rows.append(Notification(email=address, kind=kind, params=params, link=link, event_key=event_key,
                                 in_app=False, mail_status=MailStatus.PENDING))
    created = Notification.objects.bulk_create(rows, batch_size=1000)
    pending = [row.pk for row in created if row.mail_status == MailStatus.PENDING]
    if pending:
        transaction.on_commit(partial(_enqueue_mail, connection.schema_name, pending))
    return created


def _enqueue_mail(schema: str, ids: list[int]) -> None:
    # The commit may happen after the caller left the region's schema (tenancy tells a region's HR from
    # the public schema): the task is sent from the schema the notifications were written in.
    with schema_context(schema):
        for start in range(0, len(ids), MAIL_BATCH):
            jobs.enqueue(MAIL_TASK, ids[start:start + MAIL_BATCH])


class _Params(dict):
    def __missing__(self, key):
        return ""


def render(kind: str, params: dict, language: str | None = None) -> tuple[str, str]:
    """The subject and sentence of a notification, in `language` (the active one when None)."""
    spec = KINDS.get(kind)
    if spec is None:
        return kind, ""
    with translation.override(language) if language else _same_language():
        values = _Params()
        for name, value in params.items():
            if name in spec.choices and value in spec.choices[name]:
                value = str(spec.choices[name][value])
            elif _looks_like_date(value):
                # "4 Januari 2027" / "4 January 2027"; a month alone: "Oktober 2026"
                value = formats.date(value) if len(value) == 10 else formats.month(value)
            values[name] = value
        return str(spec.subject) % values, str(spec.message) % values


class _same_language:
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _looks_like_date(value: str) -> bool:
    """"2026-10-31" is a day, "2026-10" a month; nothing else is read as a date."""
    if len(value) not in (7, 10) or value[4] != "-":
        return False
    try:
        datetime.date.fromisoformat(value if len(value) == 10 else value + "-01")
    except ValueError:
        return False
    return True


def page(url_name: str, *args) -> str:
    """The path of a region page for a notification's link. Region pages are reversed with the region
    URL map even when the event happens on the platform's site (the operator suspending a region)."""
    return reverse(url_name, args=args, urlconf=settings.ROOT_URLCONF)


def month_param(month: datetime.date) -> str:
    """A month as notifications store it ("2026-10"), rendered as "Oktober 2026" / "October 2026"."""
    return month.strftime("%Y-%m")


def _message(notification: Notification, base: str) -> EmailMessage:
    subject, sentence = render(notification.kind, notification.params, notification.language)
    with translation.override(notification.language):
        body = sentence
        if notification.link:
            body += "\n\n" + _("Open: %(link)s") % {"link": base + notification.link}
        if notification.recipient_id:
            body += "\n\n" + _("You can choose which notifications reach you by e-mail: %(link)s") % {
                "link": base + "/notifications/preferences/"}
    return EmailMessage(subject=f"[Kinerja] {subject}", body=body, to=[notification.email])


def send_mails(ids: list[int]) -> int:
    """Send the e-mails of these notifications that still wait; a redelivered task finds them sent and
    skips them. A failure is kept on its notification and does not stop the others. Returns how many went."""
    base = facts.site_url()
    sent = 0
    with transaction.atomic():
        waiting = list(Notification.objects.select_for_update(skip_locked=True)
                       .filter(pk__in=ids, mail_status=MailStatus.PENDING))
        if not waiting:
            return 0
        with get_connection() as mail:
            for notification in waiting:
                try:
                    mail.send_messages([_message(notification, base)])
                except Exception as error:  # noqa: BLE001 - any backend failure stays with its notification
                    notification.mail_status, notification.mail_error = MailStatus.FAILED, str(error)[:300]
                else:
                    notification.mail_status, notification.mailed_at = MailStatus.SENT, timezone.now()
                    sent += 1
        Notification.objects.bulk_update(waiting, ["mail_status", "mailed_at", "mail_error"])
    return sent


# --- the reader's side --------------------------------------------------------------------------------

def mark_read(user, notification_ids: Iterable[int]) -> int:
    """Mark some of the user's own notifications read; others' ids are ignored. Returns how many changed."""
    return Notification.objects.filter(recipient=user, in_app=True, read_at=None, pk__in=list(notification_ids)) \
        .update(read_at=timezone.now())


def mark_all_read(user) -> int:
    return Notification.objects.filter(recipient=user, in_app=True, read_at=None).update(read_at=timezone.now())


@transaction.atomic
def set_preference(user, kind: str, *, in_app: bool, email: bool) -> Preference:
    if kind not in KINDS or not KINDS[kind].staff:
        raise ValidationError({"kind": [_("There is no notification kind %(kind)s.") % {"kind": kind}]})
    preference = Preference.objects.filter(user=user, kind=kind).first()
    before = {"in_app": preference.in_app, "email": preference.email} if preference else None
    preference, _created = Preference.objects.update_or_create(user=user, kind=kind,
                                                               defaults={"in_app": in_app, "email": email})
    record_change(actor=user, action="notifications.preference.set", target=preference,
                  target_repr=f"{user} · {kind}", before=before, after={"in_app": in_app, "email": email})
    return preference


@transaction.atomic
def set_language(user, language: str) -> LanguageChoice:
    if language not in Language.values:
        raise ValidationError({"language": [_("Choose Indonesian (id) or English (en).")]})
    before = LanguageChoice.objects.filter(user=user).values_list("language", flat=True).first()
    choice, _created = LanguageChoice.objects.update_or_create(user=user, defaults={"language": language})
    record_change(actor=user, action="notifications.language.set", target=choice, target_repr=str(user),
                  before={"language": before} if before else None, after={"language": language})
    return choice


def users_holding(capability: str):
    """The active users of this region whose roles (their own or granted) hold `capability`
    ("pay.run.approve": its HR admins)."""
    roles = list(roles_with(capability))
    return (get_user_model().objects.filter(Q(role__in=roles) | Q(granted_roles__overlap=roles), is_active=True)
            .order_by("pk"))
