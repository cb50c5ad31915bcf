from urllib.parse import urlsplit

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render

from kinerja.region import facts
from kinerja.web.dashboards import dashboard_context


def home(request):
    return redirect("dashboard" if request.user.is_authenticated else "login")


@login_required
def dashboard(request):
    template, context = dashboard_context(request)
    return render(request, template, context)


# --- password reset ---------------------------------------------------------------------------------
def site_address(region) -> tuple[str, str]:
    """(scheme, host[:port]) of a region's site as configured (see facts.site_url)."""
    address = urlsplit(facts.site_url(region))
    return address.scheme, address.netloc


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, with the link in the mail built from the configured site address (a reset
    requested with a forged Host header still mails a link to the real site)."""

    def form_valid(self, form):
        scheme, host = site_address(getattr(self.request, "tenant", None))
        form.save(domain_override=host, use_https=scheme == "https", token_generator=self.token_generator,
                  from_email=self.from_email, email_template_name=self.email_template_name,
                  subject_template_name=self.subject_template_name, request=self.request,
                  html_email_template_name=self.html_email_template_name,
                  extra_email_context=self.extra_email_context)
        return HttpResponseRedirect(self.get_success_url())
