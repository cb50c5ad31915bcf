"""Onboard a region from the command line: `manage.py onboard_region padang "Kota Padang" kota 13.71
"Sumatera Barat" --admin-email bkpsdm@padang.go.id --admin-name "Admin BKPSDM"`."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.models import RegionTimeZone
from tenants.services import OnboardingRequest, onboard_region


class Command(BaseCommand):
    help = "Create a region: its schema (cloned from the template), domain, first HR admin and defaults."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="subdomain and schema name, e.g. padang")
        parser.add_argument("name", help='e.g. "Kota Padang"')
        parser.add_argument("kind", choices=["kabupaten", "kota", "provinsi"])
        parser.add_argument("region_code", help="official code, e.g. 13.71")
        parser.add_argument("province")
        parser.add_argument("--time-zone", default=RegionTimeZone.WIB, choices=RegionTimeZone.values)
        parser.add_argument("--admin-email", required=True)
        parser.add_argument("--admin-name", required=True)
        parser.add_argument("--no-template", action="store_true", help="run every migration instead of cloning")

    def handle(self, *args, **options):
        request = OnboardingRequest(
            name=options["name"], slug=options["slug"], kind=options["kind"], region_code=options["region_code"],
            province=options["province"], time_zone=options["time_zone"], admin_email=options["admin_email"],
            admin_name=options["admin_name"],
        )
        try:
            result = onboard_region(request, use_template=not options["no_template"])
        except ValidationError as error:
            problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            raise CommandError(f"Region not created. {problems}") from None
        how = {"spare": "a spare schema made ahead", "clone": "cloned from the template",
               "migrate": "created by migrations"}[result.schema_created_by]
        placing = " It is placed on a database worker in the background." if result.placed_later else ""
        self.stdout.write(self.style.SUCCESS(f"{result.region.name} is ready at http://{result.domain}/ "
                                             f"(schema: {how}).{placing}"))
        self.stdout.write(f"HR admin '{result.admin_username}' sets a password here (one use): {result.set_password_url}")
