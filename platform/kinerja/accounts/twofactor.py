"""Two-factor sign-in (TOTP, django-otp) for HR admins and platform users.

Whether a sign-in still needs its second step is decided once, when the password was accepted, and kept
in the session: a login with a confirmed device must enter a code ("verify"); an HR admin of a region
whose sign-in policy makes two-factor mandatory, with no device yet, must set one up ("enroll"). Until
then the middleware lets such a session reach only the two-factor pages and sign-out. Deciding at sign-in
keeps every other request free of the extra queries."""
from __future__ import annotations

from django_otp import devices_for_user
from django_otp import login as otp_login

from kinerja.accounts.capabilities import on_public_site, roles_of
from kinerja.accounts.models import PLATFORM_ROLES, Role, SignInPolicy

SESSION_KEY = "kinerja_two_factor"
VERIFY, ENROLL = "verify", "enroll"


def may_use_two_factor(user) -> bool:
    """HR admins (on a region's site) and platform users may set up a device."""
    roles = roles_of(user)
    return Role.HR_ADMIN in roles or bool(roles & PLATFORM_ROLES)


def sign_in_policy() -> SignInPolicy:
    return SignInPolicy.objects.first() or SignInPolicy()


def confirmed_device(user):
    return next(iter(devices_for_user(user, confirmed=True)), None)


def mandatory_for(user) -> bool:
    return (not on_public_site() and Role.HR_ADMIN in roles_of(user)
            and sign_in_policy().require_two_factor_for_hr)


def step_needed(user) -> str | None:
    if confirmed_device(user) is not None:
        return VERIFY
    if mandatory_for(user):
        return ENROLL
    return None


def on_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in: note in the new session what second step it still owes."""
    if request is None or not hasattr(request, "session"):
        return
    step = step_needed(user) if may_use_two_factor(user) else None
    if step:
        request.session[SESSION_KEY] = step
    else:
        request.session.pop(SESSION_KEY, None)


def pending_step(request) -> str | None:
    session = getattr(request, "session", None)
    return session.get(SESSION_KEY) if session is not None else None


def complete(request, device) -> None:
    """The code was right: the session is verified (django-otp remembers the device in it)."""
    otp_login(request, device)
    request.session.pop(SESSION_KEY, None)
