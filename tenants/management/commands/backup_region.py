"""Back up one region into one file: `manage.py backup_region padang [--output /backups/padang.tar.gz]`.
The file holds every row of the region's schema and its uploaded files (see tenants.backup)."""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.backup import backup_region, default_backup_name
from tenants.models import Region


class Command(BaseCommand):
    help = "Write one region's schema (every row) and uploaded files to one file, for restore_region."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the region's subdomain and schema name")
        parser.add_argument("--output", help="file to write (never overwritten); default <slug>-<time>.kinerja-backup.tar.gz")

    def handle(self, *args, **options):
        region = Region.objects.filter(schema_name=options["slug"]).first()
        if region is None:
            raise CommandError(f"No region '{options['slug']}'.")
        path = options["output"] or default_backup_name(region)
        try:
            manifest = backup_region(region, path)
        except FileExistsError:
            raise CommandError(f"{path} already exists; a backup never overwrites a file.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        rows = sum(table["rows"] for table in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"{region.name}: {len(manifest['tables'])} tables, {rows} rows, {len(manifest['files'])} files -> {path}"))
