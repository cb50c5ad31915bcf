"""Logins of a region, kept by its HR admins: a login for one employee or many at once (the NIP is the
username), the set-password link (e-mailed by a task, or handed to HR when the region sends no e-mail
or the employee has no address), roles granted and revoked with a reason, personal API tokens, two-factor
devices and the region's sign-in policy. Every change is audited; the pages, the API, onboarding and
the demo all come through here.

Ending the login of someone who left is the people module's (kinerja.people.services, when the status
changes), because it must happen in the same transaction as the status change."""
from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kinerja import jobs
from kinerja.accounts import access, tokens
from kinerja.accounts.capabilities import has, roles_of
from kinerja.accounts.models import (
    GRANTABLE_ROLES,
    ApiToken,
    Role,
    RoleGrant,
    SignInPolicy,
)
from kinerja.accounts.twofactor import may_use_two_factor
from kinerja.audit.services import record_change
from kinerja.people.models import DEPARTED_STATUSES, Employee
from kinerja.people.services import link_user, normalise_nip
from kinerja.region import facts

SET_PASSWORD_MAIL_TASK = "kinerja.logins.tasks.send_set_password_mail_task"
MAX_SPREADSHEET_ROWS = 20_000


def _require(actor, capability: str) -> None:
    if not has(actor, capability):
        raise PermissionDenied(_("Your role may not manage logins."))


# --- set-password links ----------------------------------------------------------------------------

def set_password_url(user, site_url: str) -> str:
    """A one-time link: the token stops working once a password is set (it hashes the password)."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return f"{site_url.rstrip('/')}/accounts/reset/{uid}/{default_token_generator.make_token(user)}/"


def sign_in_policy() -> SignInPolicy:
    return SignInPolicy.objects.first() or SignInPolicy.objects.create()


@dataclass
class LinkDelivery:
    """How a set-password link reaches its person: by e-mail (`emailed_to`), or through HR (`link`)."""

    user: object
    link: str
    emailed_to: str = ""

    @property
    def shown_to_hr(self) -> bool:
        return not self.emailed_to


def deliver_set_password_link(user, *, site_url: str, email: str = "") -> LinkDelivery:
    """E-mail the link when the region sends e-mail and the person has an address; otherwise HR hands it on."""
    link = set_password_url(user, site_url)
    address = (email or user.email or "").strip()
    if address and sign_in_policy().email_links:
        region = getattr(facts.current_region(), "name", "Kinerja")
        transaction.on_commit(lambda: jobs.enqueue(SET_PASSWORD_MAIL_TASK, address, user.get_username(),
                                                   user.display_name, link, region))
        return LinkDelivery(user, link, address)
    return LinkDelivery(user, link)


@transaction.atomic
def resend_set_password_link(*, actor, user, site_url: str) -> LinkDelivery:
    _require(actor, "accounts.manage")
    if not user.is_active:
        raise ValidationError({"user": [_("%s is deactivated; a set-password link would not open it.")
                                        % user.get_username()]})
    delivery = deliver_set_password_link(user, site_url=site_url)
    record_change(actor=actor, action="accounts.login.link", target=user,
                  after={"emailed_to": delivery.emailed_to or None})
    return delivery


# --- logins for employees --------------------------------------------------------------------------

USERNAME_PATTERN = re.compile(r"^[\w.@+-]{2,150}$")


def login_problem(employee: Employee, username: str = "") -> str | None:
    """Why an employee cannot get a login, or None."""
    username = username or employee.nip
    if employee.user_id is not None:
        return _("already has login %s") % employee.user.get_username()
    if employee.status in DEPARTED_STATUSES:
        return _("has left the region's service (%s)") % employee.get_status_display()
    if not USERNAME_PATTERN.match(username):
        return _("a username has 2-150 letters, digits and @ . + - _ only")
    if get_user_model().objects.filter(username=username).exists():
        return _("the username %s is already taken by another login") % username
    return None


def _create_login(employee: Employee, *, actor, site_url: str, username: str = "") -> LinkDelivery:
    User = get_user_model()
    user = User(username=username or employee.nip, full_name=employee.full_name, email=employee.email,
                role=Role.EMPLOYEE)
    user.set_unusable_password()
    user.save()
    link_user(employee, user, actor=actor)
    record_change(actor=actor, action="accounts.login.create", target=user,
                  after={"username": user.username, "employee": employee.nip, "role": user.role})
    return deliver_set_password_link(user, site_url=site_url, email=employee.email)


@transaction.atomic
def create_login(*, actor, employee: Employee, site_url: str, username: str = "") -> LinkDelivery:
    """A login for one employee, their NIP as username (unless another is given)."""
    _require(actor, "accounts.manage")
    employee = Employee.objects.select_for_update(of=("self",)).select_related("user").get(pk=employee.pk)
    if problem := login_problem(employee, username):
        raise ValidationError({"employee": [f"{employee.full_name} ({employee.nip}): {problem}"]})
    return _create_login(employee, actor=actor, site_url=site_url, username=username)


@transaction.atomic
def create_staff_login(*, actor, username: str, full_name: str, role: str, reason: str, site_url: str,
                       email: str = "") -> LinkDelivery:
    """A login of no employee holding one role (an auditor from the inspectorate, a leadership viewer,
    an HR admin from outside the payroll)."""
    _require(actor, "accounts.manage")
    _check_role(role)
    reason = _reason(reason)
    username, full_name, email = (username or "").strip(), (full_name or "").strip(), (email or "").strip()
    errors: dict[str, list[str]] = {}
    if not USERNAME_PATTERN.match(username):
        errors["username"] = [_("A username has 2-150 letters, digits and @ . + - _ only.")]
    elif get_user_model().objects.filter(username=username).exists():
        errors["username"] = [_("The username %s is already taken.") % username]
    if not full_name:
        errors["full_name"] = [_("A name is needed.")]
    if errors:
        raise ValidationError(errors)
    user = get_user_model()(username=username, full_name=full_name, email=email, role=role)
    user.set_unusable_password()
    user.save()
    RoleGrant.objects.create(user=user, role=role, reason=reason, granted_by=actor)
    record_change(actor=actor, action="accounts.login.create", target=user,
                  after={"username": username, "role": role}, reason=reason)
    return deliver_set_password_link(user, site_url=site_url, email=email)


@dataclass
class BulkResult:
    created: list[LinkDelivery] = field(default_factory=list)
    skipped: list[tuple[Employee, str]] = field(default_factory=list)

    @property
    def emailed(self) -> int:
        return sum(1 for delivery in self.created if delivery.emailed_to)

    @property
    def links_for_hr(self) -> list[LinkDelivery]:
        return [delivery for delivery in self.created if delivery.shown_to_hr]


@transaction.atomic
def create_logins(*, actor, employees: QuerySet[Employee], site_url: str) -> BulkResult:
    """Logins for every employee of a set (a unit, a filter) that has none; those who cannot get one
    (already have one, have left, username taken) are listed with the reason, not failed."""
    _require(actor, "accounts.manage")
    result = BulkResult()
    for employee in employees.select_related("user").select_for_update(of=("self",)).order_by("full_name", "pk"):
        problem = login_problem(employee)
        if problem:
            result.skipped.append((employee, problem))
        else:
            result.created.append(_create_login(employee, actor=actor, site_url=site_url))
    return result


def nips_from_spreadsheet(uploaded_file) -> tuple[list[tuple[int, str]], list[str]]:
    """(row number, NIP) pairs from an .xlsx or CSV file (the column headed NIP, or the first column),
    and a message for each row that holds no NIP."""
    name = (getattr(uploaded_file, "name", "") or "").lower()
    content = uploaded_file.read()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).active
        except Exception:  # openpyxl raises many kinds for a file that is not a workbook
            raise ValidationError({"file": [_("This file is not an .xlsx workbook.")]}) from None
        rows = [[("" if cell is None else str(cell)) for cell in row] for row in sheet.iter_rows(values_only=True)]
    elif name.endswith((".csv", ".txt")):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": [_("Save the CSV file as UTF-8.")]}) from None
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if text.count(";") > text.count(",") else ","))
    else:
        raise ValidationError({"file": [_("Upload an .xlsx workbook or a CSV file.")]})
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        raise ValidationError({"file": [_("The file holds no rows.")]})
    header = [str(cell).strip().upper() for cell in rows[0]]
    column, first = (header.index("NIP"), 1) if "NIP" in header else (0, 0)
    if len(rows) - first > MAX_SPREADSHEET_ROWS:
        raise ValidationError({"file": [_("At most %d rows at once.") % MAX_SPREADSHEET_ROWS]})
    found, errors = [], []
    for number, row in enumerate(rows[first:], start=first + 1):
        value = normalise_nip(str(row[column]).split(".")[0] if len(row) > column else "")
        if re.fullmatch(r"\d{18}", value):
            found.append((number, value))
        else:
            errors.append(_("row %(row)d: %(value)r is not an 18-digit NIP") % {
                "row": number, "value": row[column] if len(row) > column else ""})
    return found, errors


@transaction.atomic
def create_logins_from_spreadsheet(*, actor, uploaded_file, site_url: str) -> BulkResult:
    """Logins for the employees a spreadsheet of NIPs names. A NIP no employee has refuses the whole file
    (every such row is named); nothing is created then."""
    _require(actor, "accounts.manage")
    rows, errors = nips_from_spreadsheet(uploaded_file)
    known = set(Employee.objects.filter(nip__in=[nip for _row, nip in rows]).values_list("nip", flat=True))
    errors += [_("row %(row)d: no employee has NIP %(nip)s") % {"row": row, "nip": nip}
               for row, nip in rows if nip not in known]
    if errors:
        raise ValidationError({"file": sorted(errors, key=lambda message: int(re.search(r"\d+", message)[0]))})
    return create_logins(actor=actor, employees=Employee.objects.filter(nip__in=known), site_url=site_url)


# --- roles -----------------------------------------------------------------------------------------

def _check_role(role: str) -> None:
    if role not in GRANTABLE_ROLES:
        allowed = ", ".join(str(choice) for choice in GRANTABLE_ROLES)
        raise ValidationError({"role": [_("must be one of %(allowed)s, got %(role)r") % {
            "allowed": allowed, "role": role}]})


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why; the reason is kept in the audit trail.")]})
    return reason


@transaction.atomic
def grant_role(*, actor, user, role: str, reason: str) -> RoleGrant:
    _require(actor, "accounts.manage")
    _check_role(role)
    reason = _reason(reason)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise ValidationError({"user": [_("%s is deactivated.") % user.get_username()]})
    if role in user.roles:
        raise ValidationError({"role": [_("%(user)s already holds %(role)s.") % {
            "user": user.display_name, "role": Role(role).label}]})
    user.granted_roles = sorted({*user.granted_roles, role})
    user.save(update_fields=["granted_roles"])
    grant = RoleGrant.objects.create(user=user, role=role, reason=reason, granted_by=actor)
    record_change(actor=actor, action="accounts.role.grant", target=user, before={"roles": []},
                  after={"roles": [role]}, reason=reason)
    return grant


def _active_hr_admins(excluding) -> int:
    return get_user_model().objects.filter(Q(role=Role.HR_ADMIN) | Q(granted_roles__contains=[Role.HR_ADMIN]),
                               is_active=True).exclude(pk=excluding.pk).count()


@transaction.atomic
def revoke_role(*, actor, user, role: str, reason: str) -> None:
    _require(actor, "accounts.manage")
    _check_role(role)
    reason = _reason(reason)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if role not in user.roles:
        raise ValidationError({"role": [_("%(user)s does not hold %(role)s.") % {
            "user": user.display_name, "role": Role(role).label}]})
    if role == Role.HR_ADMIN and _active_hr_admins(excluding=user) == 0:
        raise ValidationError({"role": [_("%s is the region's last HR admin; grant the role to someone else "
                                          "first.") % user.display_name]})
    if role in user.granted_roles:
        user.granted_roles = [held for held in user.granted_roles if held != role]
    else:
        user.role = Role.EMPLOYEE  # the login was made with this role (the first HR admin)
    user.save(update_fields=["granted_roles", "role"])
    RoleGrant.objects.filter(user=user, role=role, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor, revoke_reason=reason)
    record_change(actor=actor, action="accounts.role.revoke", target=user, before={"roles": [role]},
                  after={"roles": []}, reason=reason)


@transaction.atomic
def deactivate_login(*, actor, user, reason: str) -> dict:
    """HR ends a login by hand (the employee record, if any, keeps its status)."""
    _require(actor, "accounts.manage")
    reason = _reason(reason)
    if user.pk == actor.pk:
        raise ValidationError({"user": [_("You cannot deactivate your own login.")]})
    if Role.HR_ADMIN in user.roles and _active_hr_admins(excluding=user) == 0:
        raise ValidationError({"user": [_("%s is the region's last HR admin.") % user.display_name]})
    ended = access.close_login(user, by=actor)
    record_change(actor=actor, action="accounts.login.closed", target=user, before={"is_active": ended["was_active"]},
                  after={"is_active": False, "sessions_ended": ended["sessions"], "tokens_revoked": ended["tokens"]},
                  reason=reason)
    return ended


@transaction.atomic
def reactivate_login(*, actor, user, reason: str) -> None:
    _require(actor, "accounts.manage")
    reason = _reason(reason)
    employee = Employee.objects.filter(user=user).first()
    if employee is not None and employee.status in DEPARTED_STATUSES:
        raise ValidationError({"user": [_("%(name)s has left the region's service (%(status)s).") % {
            "name": employee.full_name, "status": employee.get_status_display()}]})
    get_user_model().objects.filter(pk=user.pk).update(is_active=True)
    record_change(actor=actor, action="accounts.login.reopened", target=user, before={"is_active": False},
                  after={"is_active": True}, reason=reason)


# --- personal API tokens ---------------------------------------------------------------------------

@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    value: str  # shown once, never stored


@transaction.atomic
def create_token(*, actor, name: str, expires_on: datetime.date) -> NewToken:
    """A token of the actor's own, valid until the end of `expires_on` (region time)."""
    if not has(actor, "accounts.self"):
        raise PermissionDenied(_("Your role may not hold API tokens."))
    name = (name or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Name the token after what will use it.")]
    elif len(name) > 100:
        errors["name"] = [_("A token's name has at most 100 characters.")]
    today = facts.today()
    longest = today + datetime.timedelta(days=settings.KINERJA_API_TOKEN_MAX_DAYS)
    if not isinstance(expires_on, datetime.date):
        errors["expires_on"] = [_("Give the last day the token works.")]
    elif expires_on < today:
        errors["expires_on"] = [_("%s is in the past.") % expires_on.isoformat()]
    elif expires_on > longest:
        errors["expires_on"] = [_("A token lasts at most %(days)d days (until %(date)s).") % {
            "days": settings.KINERJA_API_TOKEN_MAX_DAYS, "date": longest.isoformat()}]
    if errors:
        raise ValidationError(errors)
    prefix, value = tokens.new_token_value()
    token = ApiToken.objects.create(user=actor, name=name, prefix=prefix, digest=tokens.digest_of(value),
                                    expires_at=facts.end_of_day(expires_on))
    record_change(actor=actor, action="accounts.token.create", target=token,
                  after={"name": name, "prefix": prefix, "expires_at": token.expires_at})
    return NewToken(token, value)


@transaction.atomic
def revoke_token(*, actor, token: ApiToken) -> ApiToken:
    """The owner revokes their own token; HR revokes anyone's in the region."""
    if token.user_id != actor.pk:
        _require(actor, "accounts.manage")
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise ValidationError({"token": [_("This token was already revoked.")]})
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record_change(actor=actor, action="accounts.token.revoke", target=token, before={"revoked_at": None},
                  after={"revoked_at": token.revoked_at, "owner": token.user_id})
    return token


# --- two-factor (TOTP) -----------------------------------------------------------------------------

def start_two_factor(*, actor) -> TOTPDevice:
    """An unconfirmed device for the actor (replacing an earlier unconfirmed one), to be confirmed
    with a code from the authenticator app."""
    if not may_use_two_factor(actor):
        raise PermissionDenied(_("Two-factor sign-in is for HR admins and platform users."))
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="authenticator", confirmed=False)


@transaction.atomic
def confirm_two_factor(*, actor, device: TOTPDevice, code: str) -> TOTPDevice:
    if device.user_id != actor.pk:
        raise PermissionDenied
    if not device.verify_token((code or "").strip().replace(" ", "")):
        raise ValidationError({"code": [_("That code is not the one the app shows now; try the next one.")]})
    TOTPDevice.objects.filter(user=actor, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    record_change(actor=actor, action="accounts.two_factor.enable", target=actor, after={"two_factor": True})
    return device


@transaction.atomic
def remove_two_factor(*, actor, user, reason: str = "") -> None:
    """The user removes their own device; HR removes another login's (a lost phone), with a reason."""
    if user.pk != actor.pk:
        _require(actor, "accounts.manage")
        reason = _reason(reason)
    elif Role.HR_ADMIN in roles_of(actor) and sign_in_policy().require_two_factor_for_hr:
        raise ValidationError({"two_factor": [_("The region makes two-factor sign-in mandatory for HR admins.")]})
    deleted, _detail = TOTPDevice.objects.filter(user=user).delete()
    if deleted:
        record_change(actor=actor, action="accounts.two_factor.remove", target=user, before={"two_factor": True},
                      after={"two_factor": False}, reason=reason)


@transaction.atomic
def update_sign_in_policy(*, actor, require_two_factor_for_hr: bool, email_links: bool) -> SignInPolicy:
    _require(actor, "accounts.manage")
    policy = SignInPolicy.objects.select_for_update().first() or SignInPolicy.objects.create()
    before = {"require_two_factor_for_hr": policy.require_two_factor_for_hr, "email_links": policy.email_links}
    policy.require_two_factor_for_hr, policy.email_links = bool(require_two_factor_for_hr), bool(email_links)
    policy.save()
    after = {"require_two_factor_for_hr": policy.require_two_factor_for_hr, "email_links": policy.email_links}
    if after != before:
        record_change(actor=actor, action="accounts.policy.update", target=policy, before=before, after=after)
    if policy.require_two_factor_for_hr and not before["require_two_factor_for_hr"]:
        # Other HR admins without a device set one up at their next sign-in, which starts now.
        for user in get_user_model().objects.filter(Q(role=Role.HR_ADMIN) | Q(granted_roles__contains=[Role.HR_ADMIN]),
                                        is_active=True).exclude(pk=actor.pk):
            if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                access.end_sessions(user)
    return policy


# --- the first HR admin of a new region --------------------------------------------------------------

@transaction.atomic
def create_first_hr_admin(*, username: str, email: str, full_name: str, site_url: str,
                          send_email: bool = True) -> LinkDelivery:
    """The login onboarding makes in a new region's schema (by the system, not by a user): an HR admin
    of no employee, whose set-password link is e-mailed with the username and shown to the operator."""
    User = get_user_model()
    admin = User(username=username, email=email, full_name=full_name, role=Role.HR_ADMIN, is_staff=True)
    admin.set_unusable_password()
    admin.save()
    record_change(actor=None, action="accounts.login.create", target=admin,
                  after={"username": admin.username, "role": admin.role})
    if not send_email:
        return LinkDelivery(admin, set_password_url(admin, site_url))
    return deliver_set_password_link(admin, site_url=site_url, email=email)
