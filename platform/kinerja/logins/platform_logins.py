"""Logins of the platform itself (operators, BKN analysts, plugin vendors), kept by its operators.

They live in the public schema and reach no region. The first operator is made by `manage.py
create_operator` when a deployment is installed (there is nobody yet to make it through a page); every
later platform login is made, closed and reopened here, from the operator's pages or the API, audited,
with a one-time set-password link instead of a password anyone else has seen."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils.translation import gettext as _
from django_tenants.utils import get_public_schema_name

from kinerja.accounts import access
from kinerja.accounts.capabilities import has
from kinerja.accounts.models import PLATFORM_ROLES, Role
from kinerja.audit.services import record_change
from kinerja.logins.services import USERNAME_PATTERN, LinkDelivery, deliver_set_password_link
from kinerja.plugins.failures.models import VendorAccount

MANAGE = "platform_logins.manage"


def _require(actor) -> None:
    if connection.schema_name != get_public_schema_name():
        raise PermissionDenied(_("Platform logins are kept on the platform's own site."))
    if actor is not None and not has(actor, MANAGE):
        raise PermissionDenied(_("Only a platform operator manages platform logins."))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason.")]})
    return reason


def _clean(*, username: str, full_name: str, email: str, role: str, vendor: str) -> dict:
    errors: dict[str, list[str]] = {}
    username, full_name, email, vendor = (username or "").strip(), (full_name or "").strip(), \
        (email or "").strip(), (vendor or "").strip()
    if not USERNAME_PATTERN.match(username):
        errors["username"] = [_("a username has 2-150 letters, digits and @ . + - _ only")]
    elif get_user_model().objects.filter(username__iexact=username).exists():
        errors["username"] = [_("the username %s is already taken by another login") % username]
    if not full_name:
        errors["full_name"] = [_("Give the person's full name.")]
    elif len(full_name) > 200:
        errors["full_name"] = [_("A full name has at most 200 characters.")]
    if len(email) > 254:
        errors["email"] = [_("An e-mail address has at most 254 characters.")]
    elif email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = [_("%s is not an e-mail address.") % email]
    if role not in PLATFORM_ROLES:
        errors["role"] = [_("A platform login is an operator, a BKN analyst or a plugin vendor.")]
    if role == Role.PLUGIN_VENDOR and not vendor:
        errors["vendor"] = [_('Give the vendor exactly as its plugins declare it in PLUGIN_META["vendor"].')]
    elif role != Role.PLUGIN_VENDOR and vendor:
        errors["vendor"] = [_("Only a plugin vendor's login speaks for a vendor.")]
    elif len(vendor) > 200:
        errors["vendor"] = [_("A vendor name has at most 200 characters.")]
    if errors:
        raise ValidationError(errors)
    return {"username": username, "full_name": full_name, "email": email, "role": role, "vendor": vendor}


@transaction.atomic
def create_platform_login(*, actor, username: str, full_name: str, role: str, site_url: str, email: str = "",
                          vendor: str = "") -> LinkDelivery:
    """A platform login without a password: its person sets one through the link (e-mailed when an address
    is given, otherwise shown once to the operator). `actor` is None only for the first operator, made
    from the command line."""
    _require(actor)
    data = _clean(username=username, full_name=full_name, email=email, role=role, vendor=vendor)
    user = get_user_model()(username=data["username"], full_name=data["full_name"], email=data["email"],
                            role=data["role"], is_staff=data["role"] == Role.OPERATOR)
    user.set_unusable_password()
    user.save()
    if data["vendor"]:
        VendorAccount.objects.create(user=user, vendor=data["vendor"])
    record_change(actor=actor, action="accounts.login.create", target=user,
                  after={"username": user.username, "role": user.role, "email": user.email or None,
                         "vendor": data["vendor"] or None})
    return deliver_set_password_link(user, site_url=site_url, email=data["email"])


def _active_operators(*, excluding) -> int:
    return get_user_model().objects.filter(role=Role.OPERATOR, is_active=True).exclude(pk=excluding.pk).count()


def _platform_user(user):
    if user.role not in PLATFORM_ROLES:
        raise ValidationError({"user": [_("%s is not a platform login.") % user.get_username()]})
    return user


@transaction.atomic
def close_platform_login(*, actor, user, reason: str) -> dict:
    """Ends a platform login at once: its sessions and API tokens go with it; its history stays."""
    _require(actor)
    user, reason = _platform_user(user), _reason(reason)
    if user.pk == actor.pk:
        raise ValidationError({"user": [_("You cannot deactivate your own login.")]})
    if user.role == Role.OPERATOR and _active_operators(excluding=user) == 0:
        raise ValidationError({"user": [_("%s is the platform's last operator.") % user.display_name]})
    ended = access.close_login(user, by=actor)
    record_change(actor=actor, action="accounts.login.closed", target=user,
                  before={"is_active": ended["was_active"]},
                  after={"is_active": False, "sessions_ended": ended["sessions"], "tokens_revoked": ended["tokens"]},
                  reason=reason)
    return ended


@transaction.atomic
def reopen_platform_login(*, actor, user, reason: str) -> None:
    _require(actor)
    user, reason = _platform_user(user), _reason(reason)
    get_user_model().objects.filter(pk=user.pk).update(is_active=True)
    record_change(actor=actor, action="accounts.login.reopened", target=user, before={"is_active": False},
                  after={"is_active": True}, reason=reason)


@transaction.atomic
def resend_platform_link(*, actor, user, site_url: str) -> LinkDelivery:
    _require(actor)
    user = _platform_user(user)
    if not user.is_active:
        raise ValidationError({"user": [_("%s is deactivated; a set-password link would not open it.")
                                        % user.get_username()]})
    delivery = deliver_set_password_link(user, site_url=site_url)
    record_change(actor=actor, action="accounts.login.link", target=user,
                  after={"emailed_to": delivery.emailed_to or None})
    return delivery
