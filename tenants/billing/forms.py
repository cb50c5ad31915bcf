from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.billing.models import CollectionMethod, Plan
from tenants.forms import REGION_KINDS
from tenants.models import RegionTimeZone


class SignupForm(forms.Form):
    """Only shapes the input; every rule (codes, duplicates) is checked by the sign-up service."""

    region_name = forms.CharField(label=_("Region name"), max_length=120, required=False,
                                  help_text=_("e.g. Kota Bukittinggi"))
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "---------"), *REGION_KINDS], required=False)
    region_code = forms.CharField(label=_("Official region code (Kemendagri)"), max_length=10, required=False,
                                  help_text=_("e.g. 13.75"))
    province = forms.CharField(label=_("Province"), max_length=80, required=False)
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=RegionTimeZone.choices)
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_email = forms.CharField(label=_("Contact e-mail"), max_length=254, required=False)
    estimated_employees = forms.CharField(label=_("Estimated number of employees"), max_length=10, required=False)
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.none(), required=False)

    def __init__(self, *args, plans=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plans is not None:
            self.fields["plan"].queryset = plans
        self.fields["plan"].label_from_instance = lambda plan: _(
            "%(name)s: Rp%(price)s per active employee per month, %(days)s days' trial") % {
                "name": plan.name, "price": f"{plan.price_per_employee:,}".replace(",", "."), "days": plan.trial_days}


class ApprovalForm(forms.Form):
    slug = forms.CharField(label=_("Subdomain"), max_length=30)
    admin_username = forms.CharField(label=_("First HR admin's username"), max_length=150, initial="admin")


class RejectionForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class PlanForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=120)
    price_per_employee = forms.IntegerField(label=_("Price per active employee per month (rupiah)"), min_value=1)
    trial_days = forms.IntegerField(label=_("Trial period (days)"), min_value=0, max_value=365, initial=30)
    grace_days = forms.IntegerField(label=_("Grace period for overdue payment (days)"), min_value=0,
                                    max_value=120, initial=14)
    is_offered = forms.BooleanField(label=_("Offered on the sign-up page"), required=False, initial=True)


class TermsForm(forms.Form):
    plan = forms.ModelChoiceField(label=_("Plan"), queryset=Plan.objects.all())
    collection_method = forms.ChoiceField(label=_("Collection"), choices=CollectionMethod.choices)


class OpenAccountForm(TermsForm):
    contact_name = forms.CharField(label=_("Billing contact"), max_length=200, required=False)
    contact_email = forms.EmailField(label=_("Billing e-mail"), required=False)


class InvoiceForm(forms.Form):
    month = forms.DateField(label=_("Month billed (any day in it)"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}))


class PaymentForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (rupiah)"), min_value=1)
    paid_on = forms.DateField(label=_("Paid on"), initial=timezone.localdate,
                              widget=forms.DateInput(attrs={"type": "date"}))
    reference = forms.CharField(label=_("Bank reference"), max_length=120, required=False)
