"""`migrate` migrates the public schema, then the region template, then every region with something
to apply (in parallel). On a Citus coordinator it first makes sure of the extension, the workers and the
settings the app needs (tenants.cluster). With --schema it migrates that one schema, as django-tenants does."""
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand

from tenants import cluster
from tenants.schemas import migrate_fleet
from tenants.services import ensure_public_site


class Command(MigrateSchemasCommand):
    def add_arguments(self, parser):
        super().add_arguments(parser)

    def handle(self, *args, **options):
        for step in cluster.prepare_database():  # on Citus: extension, workers, settings (tenants.cluster)
            if options.get("verbosity", 1) >= 1:
                self.stdout.write(f"Citus: {step}")
        if options.get("schema_name") or options.get("tenant") or options.get("shared") or args:
            return super().handle(*args, **options)
        options["tenant"] = False
        options["shared"] = True
        super().handle(*args, **options)
        ensure_public_site()
        parallel = options.get("parallel") or 2
        result = migrate_fleet(parallel=parallel, verbosity=options.get("verbosity", 1))
        if options.get("verbosity", 1) >= 1:
            self.stdout.write(
                f"Regions migrated: {len(result.migrated)}, already current: {len(result.skipped)}; "
                f"template {'updated' if result.template_changed else 'current'}."
            )
