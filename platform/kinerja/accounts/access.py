"""Ending a login's access at once: no new sign-in, no open session, no API token. The history
(audit entries, appraisal, pay) keeps pointing at the row, which is never deleted. Callers audit."""
from __future__ import annotations

from django.contrib.sessions.models import Session
from django.utils import timezone

from kinerja.accounts.models import ApiToken


def end_sessions(user) -> int:
    """Delete the user's open sessions in the current schema; returns how many."""
    ended = [session.pk for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
             if str(session.get_decoded().get("_auth_user_id")) == str(user.pk)]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def revoke_tokens(user, *, by=None) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by)


def close_login(user, *, by=None) -> dict:
    """Deactivate the login, end its sessions and revoke its tokens; returns what was ended."""
    was_active = user.is_active
    if user.is_active:
        type(user).objects.filter(pk=user.pk).update(is_active=False)
        user.is_active = False
    return {"was_active": was_active, "sessions": end_sessions(user), "tokens": revoke_tokens(user, by=by)}
