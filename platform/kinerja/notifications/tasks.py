"""Background work of notifications: e-mail, sent after the event's transaction committed."""
from celery import shared_task

from kinerja.notifications import services


@shared_task(acks_late=True)
def send_mail_task(notification_ids: list[int]) -> int:
    return services.send_mails(notification_ids)
