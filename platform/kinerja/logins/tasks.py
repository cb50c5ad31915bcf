"""Mail sent for the logins module (through Django's mail framework: console or file backend by
default, SMTP by settings)."""
from celery import shared_task
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.translation import gettext as _


@shared_task(name="kinerja.logins.tasks.send_set_password_mail_task")
def send_set_password_mail_task(address: str, username: str, full_name: str, link: str, region: str) -> None:
    context = {"username": username, "full_name": full_name, "link": link, "region": region}
    send_mail(_("Your Kinerja login for %s") % region, render_to_string("logins/set_password_email.txt", context),
              None, [address])
