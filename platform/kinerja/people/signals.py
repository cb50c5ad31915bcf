"""What the people module tells the layers above it, which it must not import (billing counts the
active employees of each region)."""
from __future__ import annotations

from django.db import connection, transaction
from django.dispatch import Signal

# Sent once the transaction commits, at most once per transaction and region, when an employee became or
# stopped being active (created, imported, retired, dismissed, moved away). Arguments: schema_name.
workforce_changed = Signal()


def announce_workforce_change() -> None:
    """Queue `workforce_changed` for the end of the current transaction. An import of 20,000 rows asks
    20,000 times and sends once; a rolled-back transaction sends nothing (Django drops its callbacks)."""
    schema = connection.schema_name
    if any(getattr(callback, "workforce_schema", None) == schema and callback.waiting
           for _ids, callback, _robust in connection.run_on_commit):
        return

    def send() -> None:
        send.waiting = False
        workforce_changed.send(sender=announce_workforce_change, schema_name=schema)

    send.workforce_schema, send.waiting = schema, True
    transaction.on_commit(send, robust=True)
