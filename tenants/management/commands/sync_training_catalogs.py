"""Sync every region's training catalog with its enabled catalog plugins, e.g. after plugins were
upgraded. Each region's sync is recorded with the plugin versions it used.

    python manage.py sync_training_catalogs [--region SLUG ...]
"""
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context
from kinerja.training import services

from tenants.models import Region


class Command(BaseCommand):
    help = "Sync the training catalogs of all open regions (or those named) from their enabled plugins."

    def add_arguments(self, parser):
        parser.add_argument("--region", action="append", default=[], help="a region's slug (repeatable)")

    def handle(self, *args, **options):
        regions = [r for r in Region.objects.exclude(schema_name="public").order_by("schema_name") if r.is_open]
        if options["region"]:
            known = {r.schema_name for r in regions}
            missing = sorted(set(options["region"]) - known)
            if missing:
                raise CommandError(f"No open region has slug {', '.join(missing)}.")
            regions = [r for r in regions if r.schema_name in options["region"]]
        for region in regions:
            with schema_context(region.schema_name):
                syncs = services.sync_catalog(actor=None)
            for sync in syncs:
                outcome = (f"{sync.created} new, {sync.changed} changed, {sync.unchanged} unchanged, "
                           f"{sync.withdrawn} withdrawn, {len(sync.skipped)} skipped") if sync.status == "ok" \
                    else f"FAILED: {sync.error}"
                self.stdout.write(f"{region.schema_name}: {sync.plugin_name} {sync.plugin_version}: {outcome}")
            if not syncs:
                self.stdout.write(f"{region.schema_name}: no catalog plugin enabled")
