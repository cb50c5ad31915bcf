"""Restore a region backup as a NEW region: `manage.py restore_region padang.tar.gz padang2`.
Refuses when the region or schema exists, or when the backup's migrations differ from the code's."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.backup import restore_region


class Command(BaseCommand):
    help = "Create a new region from a backup_region file (schema cloned from the template, then the rows and files)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="a file written by backup_region")
        parser.add_argument("slug", help="the NEW region's subdomain and schema name")
        parser.add_argument("--name", default="", help="the new region's name (default: the backed-up region's)")
        parser.add_argument("--region-code", default=None,
                            help="official code (default: the backup's when no region holds it, else none)")

    def handle(self, *args, **options):
        try:
            result = restore_region(options["path"], options["slug"], name=options["name"],
                                    region_code=options["region_code"])
        except FileNotFoundError:
            raise CommandError(f"No file {options['path']}.") from None
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.message_dict.items())
            else:
                problems = " ".join(error.messages)
            raise CommandError(f"Nothing restored. {problems}") from None
        self.stdout.write(self.style.SUCCESS(
            f"{result.region.name} restored as '{result.region.schema_name}': {result.tables} tables, "
            f"{result.rows} rows, {result.files} files (schema {result.schema_created_by}d)."))
