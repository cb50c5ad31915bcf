"""Users. The same table exists in the public schema (platform users: operator, BKN analyst, plugin
vendor) and in every region's schema (that region's users), so a login only ever reaches one of them."""
from django.contrib.auth.models import AbstractUser
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


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.EMPLOYEE)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username
