"""Signing in with a NIP, a username or an e-mail address.

A region's login is found by its username, by the NIP of the employee it belongs to, or by an e-mail
address (the login's own or its employee's) when exactly one login has it. The public schema has no
employees, so there only usernames and e-mail addresses are looked up. django-axes (first in
AUTHENTICATION_BACKENDS) counts failures under the account a typed identifier names, so typing the NIP
instead of the username does not open a second counter."""
from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from kinerja.accounts.capabilities import on_public_site

_NIP = re.compile(r"^[\d\s.\-]{18,26}$")


def find_login(identifier: str):
    """The one login a typed identifier names, or None (none, or more than one)."""
    identifier = (identifier or "").strip()
    if not identifier:
        return None
    User = get_user_model()
    by_username = User.objects.filter(username=identifier).first()
    if by_username is not None:
        return by_username
    condition = Q(email__iexact=identifier) if "@" in identifier else Q(pk__in=[])
    if not on_public_site():
        if _NIP.match(identifier):
            condition |= Q(employee__nip=re.sub(r"[\s.\-]", "", identifier))
        if "@" in identifier:
            condition |= Q(employee__email__iexact=identifier)
    matches = list(User.objects.filter(condition).distinct()[:2])
    return matches[0] if len(matches) == 1 else None


# Accounts the sign-in guard counts for what is not a staff login (kinerja.accounts.signin_guard); a
# username cannot hold a colon, so these never name a login and need no look-up on each API request.
GUARD_ACCOUNTS = ("token:", "applicant:")


def lockout_username(request, credentials) -> str | None:
    """The account name django-axes counts a sign-in attempt under (AXES_USERNAME_CALLABLE)."""
    typed = (credentials or {}).get("username")
    if typed is None:
        return None
    if str(typed).startswith(GUARD_ACCOUNTS):  # counted under the guard's own name, never a login's
        return str(typed)
    login = find_login(typed)
    return login.get_username() if login is not None else str(typed).strip().lower()[:150]


class SignInBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_login(username)
        if user is None:
            get_user_model()().set_password(password)  # same work as a real check: timing tells nothing
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
