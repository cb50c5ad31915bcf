from django import forms
from django.utils.translation import gettext_lazy as _

from kinerja.accounts.models import Role
from tenants.models import RegionKind, RegionTimeZone

PLATFORM_LOGIN_ROLES = (Role.OPERATOR, Role.BKN_ANALYST, Role.PLUGIN_VENDOR)

REGION_KINDS = [(k, label) for k, label in RegionKind.choices if k != RegionKind.PLATFORM]


class OnboardingForm(forms.Form):
    name = forms.CharField(label=_("Region name"), max_length=120)
    slug = forms.CharField(label=_("Subdomain"), max_length=30, help_text=_("e.g. bukittinggi"))
    kind = forms.ChoiceField(label=_("Kind"), choices=REGION_KINDS)
    region_code = forms.CharField(label=_("Official region code"), max_length=10, help_text=_("e.g. 13.75"))
    province = forms.CharField(label=_("Province"), max_length=80)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=RegionTimeZone.choices)
    admin_name = forms.CharField(label=_("First HR admin: name"), max_length=200)
    admin_email = forms.EmailField(label=_("First HR admin: e-mail"))
    admin_username = forms.CharField(label=_("First HR admin: username"), max_length=150, initial="admin",
                                     required=False,
                                     help_text=_("They sign in with it (or with the e-mail address)."))

    def clean_admin_username(self):
        return self.cleaned_data.get("admin_username", "").strip() or "admin"  # left blank: the usual "admin"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class PlatformLoginForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = forms.EmailField(label=_("E-mail"), required=False,
                             help_text=_("The set-password link is sent here; without it, the link is shown to you."))
    role = forms.ChoiceField(label=_("Role"), choices=[(r.value, r.label) for r in PLATFORM_LOGIN_ROLES])
    vendor = forms.CharField(label=_("Vendor"), max_length=200, required=False,
                             help_text=_('Plugin vendors only: exactly as their plugins declare it in PLUGIN_META["vendor"].'))
