"""Reading notifications: each user reads their own inbox and nothing else."""
from __future__ import annotations

from kinerja.notifications.kinds import STAFF_KINDS
from kinerja.notifications.models import (
    Language,
    LanguageChoice,
    Notification,
    Preference,
)


def inbox_for(user, *, unread_only: bool = False):
    rows = Notification.objects.filter(recipient=user, in_app=True)
    return rows.filter(read_at=None) if unread_only else rows


def unread_count(user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, in_app=True, read_at=None).count()


def preferences_for(user) -> list[dict]:
    """Every kind a staff user can receive, with the user's choice or the kind's default."""
    chosen = {row.kind: row for row in Preference.objects.filter(user=user)}
    rows = []
    for kind in STAFF_KINDS:
        row = chosen.get(kind.code)
        rows.append({"kind": kind.code, "label": str(kind.label),
                     "in_app": row.in_app if row else kind.in_app, "email": row.email if row else kind.email})
    return rows


def language_of(user) -> str:
    return LanguageChoice.objects.filter(user=user).values_list("language", flat=True).first() or Language.INDONESIAN
