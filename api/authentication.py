"""Personal API tokens (`Authorization: Token knj_...`, or `Bearer knj_...`).

A token is found by its prefix and its hash (kinerja.accounts.tokens); revoked and expired tokens, and
those of a deactivated login, are refused at once. Failures count in django-axes under the token's
prefix and the client's address, with the same limits as a password sign-in, so guessing tokens from
one address is locked out like guessing passwords."""
from __future__ import annotations

from django.utils.translation import gettext as _
from kinerja.accounts import signin_guard, tokens
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

KEYWORDS = (b"token", b"bearer")


class PersonalTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Token, with no spaces in it."))
        try:
            raw = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token holds characters a token never has.")) from None
        django_request = request._request
        prefix = tokens.prefix_of(raw)
        account = f"token:{prefix}" if prefix else None
        if signin_guard.is_locked_out(django_request, account):
            raise exceptions.Throttled(detail=_(
                "Too many failed sign-ins from here or with this token: try again in %d minutes.")
                % signin_guard.cool_off_minutes(django_request))
        token = tokens.find_token(raw)
        if token is None:
            signin_guard.record_failure(django_request, account)
            raise exceptions.AuthenticationFailed(_("This token is unknown, expired or revoked."))
        tokens.mark_used(token)
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword
