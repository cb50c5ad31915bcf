"""Region schemas: the template new regions are cloned from, what each schema still has to apply, and
migrating the whole fleet.

Onboarding clones `settings.TENANT_BASE_SCHEMA` (kept migrated by `migrate`) instead of replaying every
migration: a clone takes well under a second however many migrations there are. The clone copies the
template's django_migrations rows, so the new schema is known to be current without a faked migrate.
When the template is missing or behind, onboarding falls back to creating the schema and migrating it.
"""
from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name, schema_exists

from tenants import clone as fast_clone
from tenants import cluster


def template_schema_name() -> str:
    return settings.TENANT_BASE_SCHEMA


@functools.lru_cache(maxsize=1)
def tenant_migration_targets() -> frozenset[tuple[str, str]]:
    """Every (app, migration) a region schema must have applied, read from the migration files."""
    from django.apps import apps

    labels = {apps.get_app_config(name.rsplit(".", 1)[-1]).label if "." not in name else
              next(c.label for c in apps.get_app_configs() if c.name == name)
              for name in settings.TENANT_APPS}
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(key for key in loader.disk_migrations if key[0] in labels)


def applied_migrations_by_schema(schemas: list[str]) -> dict[str, set[tuple[str, str]]]:
    """Applied migrations of many schemas in one round trip."""
    if not schemas:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_schema FROM information_schema.tables WHERE table_name = 'django_migrations' "
            "AND table_schema = ANY(%s)",
            [schemas],
        )
        with_table = [row[0] for row in cursor.fetchall()]
        applied: dict[str, set[tuple[str, str]]] = {name: set() for name in schemas}
        if with_table:
            union = " UNION ALL ".join(
                f"SELECT %s, app, name FROM {connection.ops.quote_name(s)}.django_migrations" for s in with_table
            )
            cursor.execute(union, with_table)
            for schema, app, name in cursor.fetchall():
                applied[schema].add((app, name))
    return applied


def pending_migrations(schemas: list[str]) -> dict[str, set[tuple[str, str]]]:
    targets = tenant_migration_targets()
    return {schema: targets - done for schema, done in applied_migrations_by_schema(schemas).items()}


def create_schema(schema_name: str) -> None:
    """An empty schema. On Citus every new schema becomes a distributed schema placed on a worker, except
    the template, which stays an ordinary schema on the coordinator (it is small and only read by clones)."""
    local = schema_name == template_schema_name() and cluster.is_citus()
    with connection.cursor() as cursor:
        if local:
            cursor.execute("SET citus.enable_schema_based_sharding = off")
        try:
            cursor.execute(f"CREATE SCHEMA {connection.ops.quote_name(schema_name)}")
        finally:
            if local:
                cursor.execute("RESET citus.enable_schema_based_sharding")


def migrate_schema(schema_name: str, verbosity: int = 0) -> None:
    if not schema_exists(schema_name):
        create_schema(schema_name)
    call_command("migrate_schemas", tenant=True, schema_name=schema_name, interactive=False, verbosity=verbosity)
    connection.set_schema_to_public()


def ensure_template(verbosity: int = 0) -> bool:
    """Create or bring the template schema up to date; returns whether anything was applied."""
    name = template_schema_name()
    if schema_exists(name) and not pending_migrations([name])[name]:
        return False
    migrate_schema(name, verbosity)
    return True


def template_is_current() -> bool:
    name = template_schema_name()
    return schema_exists(name) and not pending_migrations([name])[name]


SPARE_PREFIX = "spare_"


def clone_template(schema_name: str, *, place: bool = True) -> None:
    """Copy the template (tables, seed rows, migration records) into a new schema (tenants.clone).

    On Citus the copy is made as an ordinary schema on the coordinator (in well under a second) and, with
    `place`, distributed whole in the same transaction (`citus_schema_distribute`: its tables become one
    colocated group on a worker, seed rows included; seconds). Onboarding passes `place=False` and has
    the copy placed by a background task (`cluster.place_schema`), so a new region is ready at once and
    moves to its worker a few seconds later. Cloning straight into a distributed schema would place
    every table on its own, one round trip to a worker per statement."""
    template = template_schema_name()
    state = frozenset(applied_migrations_by_schema([template])[template])
    on_citus = cluster.is_citus()
    with transaction.atomic(), connection.cursor() as cursor:
        if on_citus:
            cursor.execute("SET LOCAL citus.enable_schema_based_sharding = off")
        fast_clone.clone_schema(template, schema_name, state)  # local DDL: one string is fine on Citus too
        if on_citus:
            cursor.execute("SET LOCAL citus.enable_schema_based_sharding = on")
            if place:
                cursor.execute("SELECT citus_schema_distribute(%s::regnamespace)",
                               [connection.ops.quote_name(schema_name)])
    connection.set_schema_to_public()


def spare_schemas() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s ORDER BY nspname",
                       [SPARE_PREFIX.replace("_", r"\_") + "%"])
        return [row[0] for row in cursor.fetchall()]


def fill_spare_pool(size: int | None = None) -> int:
    """Clone the template into spare schemas until `size` are ready; returns how many were made.

    Cloning a schema of many tables takes seconds; renaming a ready spare takes milliseconds. Onboarding
    takes a spare when one is there, and this refills the pool in the background."""
    size = settings.KINERJA_SPARE_SCHEMAS if size is None else size
    if size <= 0 or not template_is_current():
        return 0
    made = 0
    while len(spare_schemas()) < size:
        clone_template(f"{SPARE_PREFIX}{uuid.uuid4().hex[:12]}")
        made += 1
    return made


def drop_stale_spares() -> int:
    """Spares cloned before the last migration are dropped, never handed out."""
    stale = [name for name, pending in pending_migrations(spare_schemas()).items() if pending]
    with connection.cursor() as cursor:
        for name in stale:
            cursor.execute(f"DROP SCHEMA {connection.ops.quote_name(name)} CASCADE")
    return len(stale)


def _take_spare(schema_name: str) -> bool:
    """Rename a current spare to `schema_name`. Two onboardings never get the same spare: the rename of
    a spare another transaction already took fails, and the next one is tried."""
    spares = spare_schemas()
    current = [name for name, pending in pending_migrations(spares).items() if not pending]
    for spare in current:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '2s'")
                cursor.execute(f"ALTER SCHEMA {connection.ops.quote_name(spare)} "
                               f"RENAME TO {connection.ops.quote_name(schema_name)}")
            return True
        except DatabaseError:
            continue
    return False


def create_region_schema(schema_name: str, *, use_template: bool = True) -> str:
    """Create a region's schema; returns how: "spare" (a clone made ahead), "clone" or "migrate". On
    Citus a clone is left on the coordinator for the caller to have placed (`cluster.place_schema`)."""
    if use_template and settings.TENANT_CREATION_FAKES_MIGRATIONS and template_is_current():
        if _take_spare(schema_name):
            return "spare"
        clone_template(schema_name, place=False)
        return "clone"
    migrate_schema(schema_name)
    return "migrate"


def _migrate_defaults() -> dict:
    """Every option Django's migrate command expects, at its default, for calling it in worker processes."""
    from django.core.management.commands.migrate import Command as MigrateCommand

    return vars(MigrateCommand().create_parser("manage.py", "migrate").parse_args([]))


@dataclass
class FleetMigration:
    migrated: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    template_changed: bool = False


def migrate_fleet(*, parallel: int = 2, verbosity: int = 0) -> FleetMigration:
    """Migrate the template and every region that has something to apply, `parallel` at a time."""
    from django_tenants.migration_executors.multiproc import MultiprocessingExecutor

    from tenants.models import Region

    result = FleetMigration(template_changed=ensure_template(verbosity))
    drop_stale_spares()
    schemas = list(Region.objects.exclude(schema_name=get_public_schema_name())
                   .values_list("schema_name", flat=True))
    for schema, pending in pending_migrations(schemas).items():
        (result.migrated if pending else result.skipped).append(schema)
    if result.migrated:
        options = _migrate_defaults() | {"verbosity": verbosity, "interactive": False, "skip_checks": True}
        settings.TENANT_MULTIPROCESSING_MAX_PROCESSES = max(1, parallel)
        if parallel > 1 and len(result.migrated) > 1:
            MultiprocessingExecutor([], options).run_migrations(tenants=list(result.migrated))
        else:
            for schema in result.migrated:
                migrate_schema(schema, verbosity)
        connection.set_schema_to_public()
    fill_spare_pool()
    return result
