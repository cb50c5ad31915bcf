"""Writing to the audit trail. Every module records changes to the records that matter through
`record_change`, with the state before and after as plain JSON."""
from __future__ import annotations

import datetime
import decimal
from typing import Any, Iterable

from django.db import models

from kinerja.audit.models import AuditEntry


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The audited state of a model instance: concrete field values, foreign keys as ids."""
    names = fields or [f.attname for f in instance._meta.concrete_fields]
    return {name: _plain(getattr(instance, name)) for name in names}


def _actor_fields(actor) -> dict:
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return {"actor": actor if authenticated else None,
            "actor_name": (getattr(actor, "display_name", None) or str(actor)) if authenticated else "system"}


def record_changes(*, actor, action: str, changes: Iterable[tuple[models.Model, dict | None, dict | None]],
                   reason: str = "", batch_size: int = 1000) -> int:
    """Many entries of one action at once, each exactly as `record_change` writes it: one per
    (target, before, after), in a few INSERTs instead of one each (imports of tens of thousands of rows)."""
    who = _actor_fields(actor)
    entries = [AuditEntry(**who, action=action, target_type=target._meta.label_lower, target_id=str(target.pk),
                          target_repr=str(target)[:300], before=_plain(before) if before is not None else None,
                          after=_plain(after) if after is not None else None, reason=reason)
               for target, before, after in changes]
    AuditEntry.objects.bulk_create(entries, batch_size=batch_size)
    return len(entries)


def record_change(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: str = "",
    target_repr: str = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    if target is not None:
        target_type = target_type or target._meta.label_lower
        target_id = target_id or str(target.pk)
        target_repr = target_repr or str(target)[:300]
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        action=action,
        target_type=target_type,
        target_id=target_id,
        target_repr=target_repr,
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
        reason=reason,
    )
