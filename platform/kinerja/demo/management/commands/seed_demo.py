"""Load the four demo regions of the seed articles and one login per role: `manage.py seed_demo`.
Regions that already exist are left as they are, so the command can run on every start."""
import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from kinerja.demo.builder import (
    DEFAULT_EMPLOYEES,
    DEFAULT_PASSWORD,
    DEFAULT_SEED,
    DemoDataError,
    seed_demo,
)
from kinerja.demo.regions import DEMO_REGIONS


class Command(BaseCommand):
    help = _("Create the demo regions (Bukittinggi, Kotalama, Tebing Tinggi, Batanghari) with their "
             "organisation, employees and demo logins. Existing regions are left untouched.")

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=DEFAULT_EMPLOYEES,
                            help=_("employees per region, unit heads included (default %(default)s)"))
        parser.add_argument("--seed", default=DEFAULT_SEED,
                            help=_("seed of the random generator: the same seed gives the same people"))
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help=_("password of every demo login"))
        parser.add_argument("--region", action="append", choices=[spec.slug for spec in DEMO_REGIONS],
                            help=_("only this demo region (may be repeated); all four when not given"))
        parser.add_argument("--port", type=int, default=8000, help=_("port shown in the printed addresses"))

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            chosen = options["region"]
            regions = tuple(spec for spec in DEMO_REGIONS if not chosen or spec.slug in chosen)
            report = seed_demo(employees=options["employees"], seed=options["seed"], password=options["password"],
                               regions=regions)
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:  # the password
            raise CommandError(_("Nothing was created: %s") % " ".join(error.messages)) from None
        created = sum(outcome.status == "created" for outcome in report.regions)
        self.stdout.write(_("Seeded %(count)d regions in %(seconds).1f s.") % {
            "count": created, "seconds": time.monotonic() - started})
        port = options["port"]
        rows = []
        for outcome in report.regions:
            name = outcome.spec.name
            if outcome.status == "created":
                self.stdout.write(self.style.SUCCESS(
                    _("%(name)s: created, %(units)d units, %(employees)d employees.")
                    % {"name": name, "units": outcome.units, "employees": outcome.employees}))
                if outcome.activity is not None:
                    self.stdout.write("  " + outcome.activity.summary() + ".")
            elif outcome.status == "demo":
                self.stdout.write(_("%(name)s: already there (%(units)d units, %(employees)d employees); unchanged.")
                                  % {"name": name, "units": outcome.units, "employees": outcome.employees})
            else:
                self.stdout.write(self.style.WARNING(
                    _("%s: a region with this subdomain exists and holds no demo data; left untouched.") % name))
            url = f"http://{outcome.host}:{port}/"
            rows += [(name, url, login.username, str(login.label)) for login in outcome.logins]
        url = f"http://{report.platform_host}:{port}/"
        rows += [(_("Platform (public site)"), url, login.username, str(login.label))
                 for login in report.platform_logins]

        self.stdout.write("")
        self.stdout.write(_("Demo logins, password: %s") % report.password)
        header = (_("Site"), _("Address"), _("Username"), _("Role"))
        widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
        for row in [header, tuple("-" * w for w in widths), *rows]:
            self.stdout.write("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip())
        if any(outcome.status != "created" for outcome in report.regions) or report.platform_logins_created < len(
                report.platform_logins):
            self.stdout.write(_("Logins that existed before keep the password they had."))
