"""The first platform operator of a new deployment: `manage.py create_operator budi --full-name "Budi
Santoso" --email budi@example.go.id`. Every later platform login (operators, BKN analysts, plugin
vendors) is made by an operator on the platform's page (/operator/logins/) or through the API."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kinerja.accounts.models import Role
from kinerja.logins.platform_logins import create_platform_login


class Command(BaseCommand):
    help = "Create a platform operator login and print its one-time set-password link."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--full-name", required=True)
        parser.add_argument("--email", default="", help="the link is also e-mailed here")
        parser.add_argument("--site-url", default=settings.KINERJA_SITE_URL,
                            help="the platform's public address (default KINERJA_SITE_URL)")

    def handle(self, *args, **options):
        try:
            delivery = create_platform_login(actor=None, username=options["username"], full_name=options["full_name"],
                                             email=options["email"], role=Role.OPERATOR, site_url=options["site_url"])
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            raise CommandError(f"Operator not created. {problems}") from None
        self.stdout.write(self.style.SUCCESS(f"Operator '{delivery.user.username}' created."))
        if delivery.emailed_to:
            self.stdout.write(f"The set-password link was e-mailed to {delivery.emailed_to}.")
        self.stdout.write(f"Set a password here (one use): {delivery.link}")
