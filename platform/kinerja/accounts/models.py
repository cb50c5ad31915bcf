"""Users. The same table exists in the public schema (platform users: operator, BKN analyst, plugin
vendor) and in every region's schema (that region's users), so a login only ever reaches one of them."""
from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    EMPLOYEE = "employee", _("Employee")
    HR_ADMIN = "hr_admin", _("HR admin")
    LEADERSHIP = "leadership", _("Leadership viewer")
    AUDITOR = "auditor", _("Auditor")
    OPERATOR = "operator", _("Platform operator")
    BKN_ANALYST = "bkn_analyst", _("BKN analyst")
    PLUGIN_VENDOR = "plugin_vendor", _("Plugin vendor")


REGION_ROLES = frozenset({Role.EMPLOYEE, Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR})
PLATFORM_ROLES = frozenset({Role.OPERATOR, Role.BKN_ANALYST, Role.PLUGIN_VENDOR})
# Roles HR grants to a region's login on top of the one it was made with (an employee's login keeps
# taking part in appraisal when it also becomes an HR admin).
GRANTABLE_ROLES = (Role.HR_ADMIN, Role.LEADERSHIP, Role.AUDITOR)


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)
    # Roles granted on top of `role`, kept on the row itself so deciding a capability costs no query;
    # RoleGrant keeps who granted and revoked each one, and why.
    granted_roles = ArrayField(models.CharField(max_length=20, choices=Role.choices), default=list, blank=True,
                               verbose_name=_("granted roles"))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def roles(self) -> frozenset[str]:
        return frozenset([self.role, *self.granted_roles])


class RoleGrant(models.Model):
    """One role granted to a login, with the reason; revoking keeps the row (with its own reason)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants",
                             verbose_name=_("login"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    reason = models.CharField(_("reason"), max_length=300)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("granted by"))
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("revoked by"))
    revoke_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["-granted_at", "-id"]
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints = [models.UniqueConstraint(fields=["user", "role"], condition=models.Q(revoked_at__isnull=True),
                                               name="one_open_grant_per_role")]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}"


class ApiToken(models.Model):
    """A personal API token. Only a hash of the secret is kept: the token is shown once, when made.
    `prefix` is the token's public part, so a token is found by it and then compared in constant time."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("owner"))
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("revoked by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class SignInPolicy(models.Model):
    """How a site's people sign in: one row per schema (a region's, or the platform's)."""

    require_two_factor_for_hr = models.BooleanField(
        _("HR admins must use two-factor sign-in"), default=False)
    email_links = models.BooleanField(
        _("send set-password links by e-mail"), default=True,
        help_text=_("Switch off when the region has no e-mail: HR then hands each link over itself."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sign-in policy")
        verbose_name_plural = _("sign-in policies")

    def __str__(self):
        return str(_("sign-in policy"))
