"""Personal API tokens: how one is made, and how a presented one is found. Only a SHA-256 hash of the
token is stored; the prefix (its public part) finds the row and the hash is compared in constant time.

A token reads `knj_<prefix>_<secret>`: 256 bits of randomness in the secret make a plain hash enough
(no slow password hash is needed for a value nobody chose)."""
from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.utils import timezone

from kinerja.accounts.models import ApiToken

TOKEN_PREFIX = "knj"
# A token's last use is written at most this often, so a busy client does not write on every call.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token_value() -> tuple[str, str]:
    """(prefix, whole token)."""
    prefix = secrets.token_hex(6)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def prefix_of(raw: str) -> str | None:
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1]:
        return None
    return parts[1]


def find_token(raw: str) -> ApiToken | None:
    """The live token (not revoked, not expired, owner active) a presented value names, or None."""
    prefix = prefix_of(raw)
    if prefix is None:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, digest_of(raw)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.expires_at <= now or not token.user.is_active:
        return None
    return token


def mark_used(token: ApiToken) -> None:
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
