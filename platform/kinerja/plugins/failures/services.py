"""Writing the failure log. The host hands every plugin failure to `record` (attached by `attach` to the
process's host when the app starts); the region is the schema the failing call ran in.

Failures are counted, not listed: inside `batched()` (a pay run's chunk) they are added up in memory and
written as one upsert per distinct failure when the block ends, so 20,000 failing employees cost one
statement per chunk, not 20,000."""
from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
from dataclasses import dataclass

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name
from kinerja_plugin_api.host import HookFailure, PluginHost

from kinerja.plugins.failures.models import PluginFailureRecord

logger = logging.getLogger(__name__)


@dataclass
class _Count:
    failure: HookFailure
    region_slug: str
    first_seen: datetime.datetime
    last_seen: datetime.datetime
    count: int = 1


_pending: contextvars.ContextVar[dict[tuple[str, str], _Count] | None] = contextvars.ContextVar(
    "plugin_failures_pending", default=None)


def attach(host: PluginHost) -> None:
    """Make `record` the host's failure listener (idempotent: run again whenever a host is installed)."""
    host.failure_listener = record


def record(failure: HookFailure) -> None:
    """Count one failure in the region the call ran in: in the open batch, or written at once."""
    region_slug = connection.schema_name or get_public_schema_name()
    now = timezone.now()
    pending = _pending.get()
    if pending is None:
        write([_Count(failure, region_slug, now, now)])
        return
    counted = pending.get((region_slug, failure.signature))
    if counted is None:
        pending[(region_slug, failure.signature)] = _Count(failure, region_slug, now, now)
    else:
        # The latest message is kept: for one bug it differs only in the values it names.
        counted.failure, counted.last_seen, counted.count = failure, now, counted.count + 1


@contextlib.contextmanager
def batched():
    """Count failures of the block in memory and write them when it ends, one upsert per distinct failure.
    A block that raises drops its counts with it: its work (a pay run's chunk) is rolled back and will be
    done again, and counted then. Inside another batch it adds to that one."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set({})
    try:
        yield
        counts = list(_pending.get().values())
    finally:
        _pending.reset(token)
    if counts:
        write(counts)


COLUMNS = ("plugin_name", "plugin_version", "vendor", "region_slug", "hook", "error_type", "message", "traceback",
           "signature", "first_seen", "last_seen", "count")


def write(counts: list[_Count]) -> None:
    """Add the counts to the log in one statement. A failure to write is logged and never breaks the work
    that found the plugin failure (it runs in a savepoint of the caller's transaction)."""
    quote = connection.ops.quote_name
    table = f"{quote(get_public_schema_name())}.{quote(PluginFailureRecord._meta.db_table)}"
    rows, params = [], []
    for c in counts:
        f = c.failure
        rows.append("(" + ", ".join(["%s"] * len(COLUMNS)) + ")")
        params += [f.plugin, f.plugin_version, f.vendor, c.region_slug, f.hook, f.error_type, f.message, f.traceback,
                   f.signature, c.first_seen, c.last_seen, c.count]
    sql = (f"INSERT INTO {table} AS log ({', '.join(COLUMNS)}) VALUES {', '.join(rows)} "
           "ON CONFLICT (region_slug, signature) DO UPDATE SET count = log.count + EXCLUDED.count, "
           "last_seen = GREATEST(log.last_seen, EXCLUDED.last_seen), message = EXCLUDED.message, "
           "traceback = EXCLUDED.traceback")
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
    except DatabaseError:
        logger.exception("Could not write %d plugin failure(s) to the failure log", len(counts))
        return
    for c in counts:
        logger.warning("Plugin %s %s failed %d time(s) in %s (%s): %s: %s", c.failure.plugin,
                       c.failure.plugin_version, c.count, c.failure.hook, c.region_slug, c.failure.error_type,
                       c.failure.message)
