"""Backing up one region into one file and restoring such a file as a new region.

Unlike the operator's region archive (`services.export_region_data`, which hands data out and leaves out
password hashes, sessions and tokens), a backup is for restoring and so holds every row of every table of
the region's schema, byte for byte, and every uploaded file of the region.

The file is a gzipped tar: `manifest.json` (format, source region, the schema's applied migrations,
the tables with their columns and row counts), `tables/<table>.copy` (PostgreSQL COPY text format) and
`files/...` (the region's folder under MEDIA_ROOT). Rows are read and written with COPY through the
platform's own database connection (psycopg), not with pg_dump/psql: pg_dump qualifies every name with the
source schema (a restore under a new name would have to rewrite its output) and refuses a server newer than
itself, whereas the connection works the same against the machine's server and the embedded one.

A restore never overwrites: it creates a new region (schema cloned from the template by
`schemas.create_region_schema`, as onboarding does), empties the template's seed rows, loads the rows in
one transaction (Django's foreign keys are deferred to the commit), moves every sequence past its
table's highest id and copies the files. It refuses when the slug is taken or invalid, and when the
backup's migration state differs from the code's (migrate first, or restore with the code the backup was
made with)."""
from __future__ import annotations

import contextlib
import datetime
import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, schema_exists
from kinerja import jobs
from kinerja.audit.services import record_change, snapshot

from tenants.models import Domain, Region, RegionStatus
from tenants.schemas import create_region_schema, tenant_migration_targets
from tenants.services import (
    REFILL_SPARES_TASK,
    RESERVED_SLUGS,
    SLUG_PATTERN,
    region_host,
)

FORMAT = "kinerja-region-backup/1"
# Rows the clone brings along and the backup must not replace: the schema's own migration record (the
# restore checks it instead).
NOT_LOADED = {"django_migrations"}
REGION_FIELDS = ["name", "kind", "region_code", "province", "time_zone", "status", "status_reason"]


@dataclass(frozen=True)
class RestoreResult:
    region: Region
    tables: int
    rows: int
    files: int
    schema_created_by: str


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def region_tables(schema_name: str) -> dict[str, list[str]]:
    """Every ordinary table of the schema with its stored columns (generated ones are computed again)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.relname, a.attname FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
            WHERE n.nspname = %s AND c.relkind IN ('r', 'p')
            ORDER BY c.relname, a.attnum""", [schema_name])
        tables: dict[str, list[str]] = {}
        for table, column in cursor.fetchall():
            tables.setdefault(table, []).append(column)
    return tables


def _applied_migrations(schema_name: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {_quote(schema_name)}.django_migrations ORDER BY app, name")
        return [list(row) for row in cursor.fetchall()]


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(content))


@contextlib.contextmanager
def _one_snapshot():
    """A repeatable-read transaction (every table read as of one moment), or the caller's transaction."""
    if connection.in_atomic_block:
        with transaction.atomic():
            yield
        return
    connection.ensure_connection()
    raw = connection.connection
    previous = raw.isolation_level
    raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    try:
        with transaction.atomic():
            yield
    finally:
        raw.isolation_level = previous


def backup_region(region: Region, path: str | Path) -> dict:
    """Write the region's schema (every row) and its uploaded files to `path` (created, never overwritten);
    returns the manifest. Read in one repeatable-read snapshot so the tables agree with each other."""
    path = Path(path)
    schema = region.schema_name
    if region.is_platform or not schema_exists(schema):
        raise ValidationError(_("'%s' is not a region with a schema of its own.") % schema)
    uploads = Path(settings.MEDIA_ROOT) / schema
    with open(path, "xb") as handle, tarfile.open(fileobj=handle, mode="w:gz") as archive, \
            _one_snapshot(), connection.cursor() as cursor:
        tables = region_tables(schema)
        manifest = {
            "format": FORMAT, "made_at": timezone.now().isoformat(), "schema": schema,
            "region": {name: getattr(region, name) for name in REGION_FIELDS},
            "migrations": _applied_migrations(schema), "tables": {}, "files": [],
        }
        for table, columns in tables.items():
            buffer = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
            rows = 0
            column_list = ", ".join(_quote(c) for c in columns)
            with cursor.cursor.copy(f"COPY {_quote(schema)}.{_quote(table)} ({column_list}) TO STDOUT") as copy:
                for block in copy:
                    buffer.write(block)
                    rows += bytes(block).count(b"\n")
            size = buffer.tell()
            buffer.seek(0)
            info = tarfile.TarInfo(f"tables/{table}.copy")
            info.size = size
            info.mtime = int(timezone.now().timestamp())
            archive.addfile(info, buffer)
            buffer.close()
            manifest["tables"][table] = {"columns": columns, "rows": rows}
        if uploads.is_dir():
            for file in sorted(uploads.rglob("*")):
                if file.is_file():
                    relative = file.relative_to(uploads).as_posix()
                    archive.add(file, f"files/{relative}", recursive=False)
                    manifest["files"].append(relative)
        _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
    return manifest


def read_manifest(path: str | Path) -> dict:
    try:
        with tarfile.open(path, mode="r:gz") as archive:
            manifest = json.loads(archive.extractfile(archive.getmember("manifest.json")).read())
    except (tarfile.TarError, KeyError, ValueError):
        raise ValidationError(_("%s is not a region backup (no readable manifest).") % path) from None
    if manifest.get("format") != FORMAT:
        raise ValidationError(_("%(path)s is not a region backup (format %(format)s).")
                              % {"path": path, "format": manifest.get("format")})
    return manifest


def check_restorable(manifest: dict, slug: str) -> None:
    """Raise ValidationError naming every reason the backup cannot be restored as `slug`."""
    errors: dict[str, list[str]] = {}
    if not SLUG_PATTERN.match(slug or "") or slug in RESERVED_SLUGS:
        errors.setdefault("slug", []).append(
            _("Use 2-30 lowercase letters and digits, starting with a letter, not a reserved name."))
    elif Region.objects.filter(schema_name=slug).exists() or schema_exists(slug):
        errors.setdefault("slug", []).append(
            _("A region or schema named '%s' already exists; a backup is only restored as a new region.") % slug)
    code_state = set(tenant_migration_targets())
    # a region schema also records the shared apps' migrations; only the region apps' shape its tables
    region_apps = {app for app, _name in code_state}
    backup_state = {tuple(key) for key in manifest["migrations"] if key[0] in region_apps}
    if backup_state != code_state:
        missing, extra = sorted(code_state - backup_state), sorted(backup_state - code_state)
        errors.setdefault("migrations", []).append(
            _("The backup's migrations differ from the code's (not in the backup: %(missing)s; not in the "
              "code: %(extra)s). Restore it with the code it was made with, or migrate that region first.")
            % {"missing": ", ".join(f"{a}.{n}" for a, n in missing) or "-",
               "extra": ", ".join(f"{a}.{n}" for a, n in extra) or "-"})
    if errors:
        raise ValidationError(errors)


def _reset_sequences(schema: str) -> None:
    """Every sequence owned by a column of the schema (serial or identity) continues after the column's
    highest value."""
    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT s.relname, t.relname, a.attname FROM pg_class s
            JOIN pg_namespace n ON n.oid = s.relnamespace
            JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
            JOIN pg_class t ON t.oid = d.refobjid
            JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid
            WHERE s.relkind = 'S' AND n.nspname = %s""", [schema])
        for sequence, table, column in cursor.fetchall():
            cursor.execute(
                f"SELECT setval('{_quote(schema)}.{_quote(sequence)}', "
                f"coalesce((SELECT max({_quote(column)}) FROM {_quote(schema)}.{_quote(table)}), 1), "
                f"(SELECT max({_quote(column)}) IS NOT NULL FROM {_quote(schema)}.{_quote(table)}))")


def restore_region(path: str | Path, slug: str, *, name: str = "", region_code: str | None = None,
                   actor=None) -> RestoreResult:
    """Create region `slug` from the backup at `path`. Nothing is left behind when anything fails: the
    region row, its schema and its rows are made in one transaction; the files are copied last."""
    with schema_context("public"):
        return _restore(path, slug, name=name, region_code=region_code, actor=actor)


def _restore(path, slug: str, *, name: str, region_code: str | None, actor) -> RestoreResult:
    manifest = read_manifest(path)
    check_restorable(manifest, slug)
    source = manifest["region"]
    if region_code is None:  # the backup's code when no region holds it any more
        code = source.get("region_code")
        region_code = code if code and not Region.objects.filter(region_code=code).exists() else None
    elif Region.objects.filter(region_code=region_code).exists():
        raise ValidationError({"region_code": [_("The region code %s is already registered.") % region_code]})
    uploads = Path(settings.MEDIA_ROOT) / slug
    if uploads.exists():
        raise ValidationError({"slug": [_("The folder %s already exists; it is never overwritten.") % uploads]})
    rows = 0
    with tarfile.open(path, mode="r:gz") as archive, transaction.atomic():
        region = Region(schema_name=slug, name=(name or source["name"]).strip(), kind=source["kind"],
                        region_code=region_code or None, province=source["province"],
                        time_zone=source["time_zone"], status=RegionStatus.ONBOARDING)
        region.auto_create_schema = False
        region.save()
        Domain.objects.create(domain=region_host(slug), tenant=region, is_primary=True)
        created_by = create_region_schema(slug, use_template=True)
        connection.set_schema_to_public()
        target_tables = region_tables(slug)
        loaded = {t: spec for t, spec in manifest["tables"].items() if t not in NOT_LOADED}
        unknown = sorted(set(loaded) - set(target_tables))
        if unknown:
            raise ValidationError(_("The backup holds tables the code does not have: %s.") % ", ".join(unknown))
        with connection.cursor() as cursor:
            emptied = ", ".join(f"{_quote(slug)}.{_quote(t)}" for t in target_tables if t not in NOT_LOADED)
            cursor.execute(f"TRUNCATE {emptied}")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, spec in loaded.items():
                columns = ", ".join(_quote(c) for c in spec["columns"])
                source_file = archive.extractfile(f"tables/{table}.copy")
                with cursor.cursor.copy(f"COPY {_quote(slug)}.{_quote(table)} ({columns}) FROM STDIN") as copy:
                    while block := source_file.read(1024 * 1024):
                        copy.write(block)
                rows += spec["rows"]
        _reset_sequences(slug)
        region.status = source["status"] if source["status"] in {s.value for s in RegionStatus} else RegionStatus.ACTIVE
        region.status_reason = source.get("status_reason", "")
        region.status_changed_at = timezone.now()
        region.save(update_fields=["status", "status_reason", "status_changed_at"])
        record_change(actor=actor, action="region.restored", target=region,
                      after={**snapshot(region), "backup_of": manifest["schema"], "backup_made_at": manifest["made_at"]})
        files = _copy_files(archive, manifest["files"], uploads)
        if created_by == "spare":
            transaction.on_commit(lambda: jobs.enqueue(REFILL_SPARES_TASK))
    return RestoreResult(region, len(loaded), rows, files, created_by)


def _copy_files(archive: tarfile.TarFile, names: list[str], uploads: Path) -> int:
    """The region's uploads into its own new folder; a name that would leave the folder is refused. A
    failure removes the folder again (the surrounding transaction undoes the rows)."""
    root = uploads.resolve()
    try:
        for relative in names:
            target = (uploads / relative).resolve()
            if root not in target.parents:
                raise ValidationError(_("The backup names a file outside the region's folder: %s.") % relative)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.extractfile(f"files/{relative}") as source, open(target, "xb") as copy:
                shutil.copyfileobj(source, copy)
    except BaseException:
        shutil.rmtree(uploads, ignore_errors=True)
        raise
    return len(names)


def default_backup_name(region: Region) -> str:
    return f"{region.schema_name}-{datetime.datetime.now(datetime.timezone.utc):%Y%m%dT%H%M%SZ}.kinerja-backup.tar.gz"


def schema_row_counts(schema: str) -> dict[str, int]:
    """Every table's row count (used to check a restore against its backup)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in region_tables(schema):
            cursor.execute(f"SELECT count(*) FROM {_quote(schema)}.{_quote(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts
