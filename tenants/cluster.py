"""Citus: regions spread over several database nodes by schema-based sharding.

Every region schema is a Citus *distributed schema* placed whole on one worker node; the public schema and
the region template stay on the coordinator as ordinary tables. The app talks to the coordinator only.
Nothing here runs on a plain PostgreSQL server: `is_citus()` is false there and every caller falls through.

What Citus needs from the database, `prepare_database()` sets (`migrate` calls it first) and
`settings_problems()` checks (the start-up check says so):
- the `citus` extension in the database, the coordinator registered and the workers added (a new
  database, such as a test database, gets the workers of the server's maintenance database, or those in
  KINERJA_CITUS_WORKERS="host:port,host:port");
- `citus.enable_schema_based_sharding = on`, so every new region schema becomes a distributed schema;
- `citus.enable_unsafe_triggers = on`, so the audit trail's append-only trigger lives on each region's
  table on its worker (see kinerja/audit/migrations/0002_append_only.py).
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from django.db import connection

DATABASE_SETTINGS = {
    "citus.enable_schema_based_sharding": "on",
    "citus.enable_unsafe_triggers": "on",
}


def server_preloads_citus() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SHOW shared_preload_libraries")
        return "citus" in cursor.fetchone()[0]


def is_citus() -> bool:
    """Whether this database runs Citus (the extension is created in it)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'")
        return cursor.fetchone() is not None


def _node_list(text: str) -> list[tuple[str, int]]:
    nodes = []
    for item in filter(None, (part.strip() for part in text.split(","))):
        host, _, port = item.rpartition(":")
        nodes.append((host, int(port)))
    return nodes


def _maintenance_nodes() -> tuple[tuple[str, int] | None, list[tuple[str, int]]]:
    """The coordinator and workers the server's `postgres` database knows (cluster.sh registers them there)."""
    import psycopg

    params = connection.get_connection_params()
    params = {key: value for key, value in params.items() if key in {"host", "port", "user", "password"}}
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
        has = conn.execute("SELECT 1 FROM pg_extension WHERE extname = 'citus'").fetchone()
        if not has:
            return None, []
        rows = conn.execute("SELECT groupid, nodename, nodeport FROM pg_dist_node WHERE noderole = 'primary' "
                            "ORDER BY groupid").fetchall()
    coordinator = next(((host, port) for group, host, port in rows if group == 0), None)
    return coordinator, [(host, port) for group, host, port in rows if group != 0]


def _prepare_worker_database(host: str, port: int, name: str) -> None:
    """The database on a worker, with the extension. A test database left from an earlier run is dropped
    (its regions belonged to a coordinator database that no longer exists); any other is refused."""
    import psycopg

    params = connection.get_connection_params()
    auth = {key: params[key] for key in ("user", "password") if params.get(key)}
    with psycopg.connect(host=host, port=port, dbname="postgres", autocommit=True, **auth) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and name.startswith("test_"):
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if exists:
            with psycopg.connect(host=host, port=port, dbname=name, autocommit=True, **auth) as worker:
                tables = worker.execute("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN "
                                        "('pg_catalog', 'information_schema', 'citus', 'columnar')").fetchone()[0]
            if tables:
                raise RuntimeError(f"Citus worker {host}:{port} already has a database {name!r} with tables; "
                                   "add it by hand (citus_add_node) or give the coordinator's database another name")
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(host=host, port=port, dbname=name, autocommit=True, **auth) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS citus")


def prepare_database() -> list[str]:
    """Make this database a Citus coordinator with its workers and the settings the app needs.

    Returns what was done (empty on a plain PostgreSQL server or when all was in place already)."""
    if not server_preloads_citus():
        return []
    done = []
    name = connection.settings_dict["NAME"]
    with connection.cursor() as cursor:
        if not is_citus():
            cursor.execute("CREATE EXTENSION citus")
            done.append("created the citus extension")
        cursor.execute("SELECT count(*) FROM pg_dist_node WHERE groupid <> 0")
        if cursor.fetchone()[0] == 0:
            coordinator, workers = _maintenance_nodes()
            if os.environ.get("KINERJA_CITUS_WORKERS"):
                workers = _node_list(os.environ["KINERJA_CITUS_WORKERS"])
            if coordinator is None:
                params = connection.get_connection_params()
                coordinator = (params.get("host") or "localhost", int(params.get("port") or 5432))
            cursor.execute("SELECT citus_set_coordinator_host(%s, %s)", list(coordinator))
            for host, port in workers:
                _prepare_worker_database(host, port, name)
                cursor.execute("SELECT citus_add_node(%s, %s)", [host, port])
                done.append(f"added worker {host}:{port}")
        for setting, value in DATABASE_SETTINGS.items():
            cursor.execute("SELECT current_setting(%s, true)", [setting])
            if cursor.fetchone()[0] != value:
                cursor.execute(f'ALTER DATABASE "{name}" SET {setting} = {value}')
                cursor.execute(f"SET {setting} = {value}")
                done.append(f"set {setting} = {value} for database {name}")
    return done


def settings_problems() -> list[str]:
    """What is missing for the app to run on this Citus database (empty when all is well or not Citus)."""
    if not is_citus():
        return []
    problems = []
    with connection.cursor() as cursor:
        for setting, value in DATABASE_SETTINGS.items():
            cursor.execute("SELECT current_setting(%s, true)", [setting])
            if cursor.fetchone()[0] != value:
                problems.append(f"{setting} is not {value} (run `manage.py migrate`, which sets it for the database)")
        cursor.execute("SELECT count(*) FROM pg_dist_node WHERE groupid <> 0 AND isactive")
        if cursor.fetchone()[0] == 0:
            problems.append("no Citus worker node is registered: regions would all stay on the coordinator")
    return problems


@dataclass(frozen=True)
class Node:
    host: str
    port: int
    regions: int = 0
    bytes: int = 0
    should_have_regions: bool = True

    @property
    def name(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class Placement:
    schema: str
    node: str
    bytes: int


def placements() -> list[Placement]:
    """Where each distributed schema (region) lives and how big it is."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.schema_name::text, coalesce(min(sh.nodename || ':' || sh.nodeport), ''), "
            "coalesce(sum(sh.shard_size), 0) "
            "FROM citus_schemas s LEFT JOIN citus_shards sh ON sh.colocation_id = s.colocation_id "
            "GROUP BY s.schema_name ORDER BY s.schema_name"
        )
        return [Placement(schema, node, int(size)) for schema, node, size in cursor.fetchall()]


def nodes() -> list[Node]:
    """Worker nodes with the number and size of the regions each holds."""
    counts: dict[str, tuple[int, int]] = {}
    for placement in placements():
        regions, size = counts.get(placement.node, (0, 0))
        counts[placement.node] = (regions + 1, size + placement.bytes)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nodename, nodeport, shouldhaveshards FROM pg_dist_node "
                       "WHERE groupid <> 0 AND noderole = 'primary' ORDER BY nodename, nodeport")
        rows = cursor.fetchall()
    return [Node(host, port, *counts.get(f"{host}:{port}", (0, 0)), should_have_regions=flag)
            for host, port, flag in rows]


def _node(name: str) -> tuple[str, int]:
    host, _, port = name.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError(f"node {name!r} is not host:port")
    known = {node.name for node in nodes()}
    if name not in known:
        raise ValueError(f"node {name!r} is not a worker of this cluster ({', '.join(sorted(known)) or 'none'})")
    return host, int(port)


def region_node(schema: str) -> str | None:
    return next((p.node for p in placements() if p.schema == schema), None)


def transfer_mode() -> str:
    """How Citus copies a region: by logical replication when the servers allow it (wal_level=logical;
    writes wait only for the switch-over), otherwise with writes blocked for the copy. Reads keep
    working either way."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW wal_level")
        return "force_logical" if cursor.fetchone()[0] == "logical" else "block_writes"


@dataclass(frozen=True)
class Move:
    schema: str
    source: str
    target: str


def planned_moves(*, drain_only: bool = False) -> list[Move]:
    """The region moves Citus's rebalancer plans (each region whole, in the order to run them): to even
    out the workers, or with `drain_only` to empty the workers that no longer take regions."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT n.nspname::text, p.sourcename || ':' || p.sourceport, p.targetname || ':' || p.targetport "
            "FROM get_rebalance_table_shards_plan(drain_only => %s) WITH ORDINALITY AS p "
            "JOIN pg_class c ON c.oid = p.table_name JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.oid IN (SELECT schema_name FROM citus_schemas) ORDER BY p.ordinality", [drain_only])
        moves, seen = [], set()
        for schema, source, target in cursor.fetchall():
            if schema not in seen:  # the plan names one table of the region; its colocated tables go along
                seen.add(schema)
                moves.append(Move(schema, source, target))
        return moves


PLACING = "placing"  # Region.moving_to of a new region on its way from the coordinator to a worker


def unplaced_schemas(schemas: list[str]) -> list[str]:
    """Of `schemas` (existing schemas), those still ordinary schemas on the coordinator, not yet placed."""
    if not schemas:
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT n.nspname::text FROM pg_namespace n WHERE n.nspname = ANY(%s) AND NOT EXISTS "
                       "(SELECT 1 FROM citus_schemas s WHERE s.schema_name = n.oid::regnamespace) ORDER BY 1",
                       [list(schemas)])
        return [row[0] for row in cursor.fetchall()]


def place_schema(schema: str) -> bool:
    """Distribute a region copied on the coordinator (onboarding beyond the spare pool) whole to a worker;
    Citus picks the emptiest. The region stays readable and answers writes with the maintenance notice
    for the few seconds of the copy. Returns False, doing nothing, when the schema is placed already or
    another process is placing it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext('kinerja.place:' || %s))", [schema])
        if not cursor.fetchone()[0]:
            return False
        try:
            if not unplaced_schemas([schema]):
                return False
            with _marked_moving(schema, PLACING):
                cursor.execute("SELECT citus_schema_distribute(%s::regnamespace)", [connection.ops.quote_name(schema)])
            return True
        finally:
            cursor.execute("SELECT pg_advisory_unlock(hashtext('kinerja.place:' || %s))", [schema])


def unplaced_regions() -> list[str]:
    """Regions still on the coordinator: onboarded beyond the spare pool, their placement not yet run."""
    from tenants.models import Region

    return unplaced_schemas(list(Region.objects.exclude(schema_name="public").values_list("schema_name", flat=True)))


def place_unplaced_regions() -> list[str]:
    """Place every region still on the coordinator (the sweep after a placement task was lost), and lift
    the maintenance notice of a region whose placement committed but whose worker died before lifting it."""
    from tenants.models import Region

    waiting = unplaced_regions()
    Region.objects.filter(moving_to=PLACING).exclude(schema_name__in=waiting).update(moving_to="")
    return [schema for schema in waiting if place_schema(schema)]


@contextmanager
def _marked_moving(schema: str, target: str):
    """The region says it is being moved (its writes get a maintenance notice) for as long as the copy runs."""
    from tenants.models import Region

    regions = Region.objects.filter(schema_name=schema)
    regions.update(moving_to=target)
    try:
        yield
    finally:
        regions.update(moving_to="")


def move_schema(schema: str, target: str) -> bool:
    """Move one region to another worker; it stays readable throughout, writes wait for the copy.
    Returns False, moving nothing, when the region is on `target` already."""
    host, port = _node(target)
    if region_node(schema) == target:
        return False
    with _marked_moving(schema, target), connection.cursor() as cursor:
        cursor.execute("SELECT citus_schema_move(%s::regnamespace, %s, %s, shard_transfer_mode => %s::citus.shard_transfer_mode)",
                       [connection.ops.quote_name(schema), host, port, transfer_mode()])
    return True


def run_moves(moves: list[Move], on_move: Callable[[int, int, Move], None] | None = None) -> int:
    """Make `moves` one region at a time (`on_move(moves done so far, moves planned, move)` before each)."""
    for done, move in enumerate(moves):
        if on_move:
            on_move(done, len(moves), move)
        move_schema(move.schema, move.target)
    return len(moves)


def rebalance(on_move: Callable[[int, int, Move], None] | None = None) -> int:
    """Move regions until every worker holds about as many; returns how many were moved."""
    return run_moves(planned_moves(), on_move)


def drain_node(name: str, on_move: Callable[[int, int, Move], None] | None = None) -> int:
    """Move every region off a worker and stop placing new ones there, so it can be removed."""
    host, port = _node(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT citus_set_node_property(%s, %s, 'shouldhaveshards', false)", [host, port])
    return run_moves([move for move in planned_moves(drain_only=True) if move.source == name], on_move)


def undrain_node(name: str) -> None:
    host, port = _node(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT citus_set_node_property(%s, %s, 'shouldhaveshards', true)", [host, port])
