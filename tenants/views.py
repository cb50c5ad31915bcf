"""Operator pages on the public site: the regions, onboarding, suspension, archiving, and where regions live
on a Citus cluster, and the platform's own logins."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tenants import cluster_services, services
from tenants.forms import OnboardingForm, PlatformLoginForm, ReasonForm
from tenants.models import Region
from tenants.permissions import require
from tenants.selectors import cluster_overview, regions
from kinerja.audit.selectors import entries_about
from kinerja.logins import platform_logins
from kinerja.logins.selectors import platform_logins as platform_login_list
from kinerja.service_errors import add_to_form


@login_required
def region_list(request):
    require(request.user, "regions.manage")
    listed = list(regions())
    for region in listed:
        region.archive_link = services.archive_link(region) if region.archive_status == "ready" else ""
    return render(request, "tenants/region_list.html", {"regions": listed, "reason_form": ReasonForm()})


@login_required
def region_onboard(request):
    require(request.user, "regions.manage")
    form = OnboardingForm(request.POST or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            port = request.get_port()
            address = services.region_host(form.cleaned_data["slug"]) + ("" if port in ("80", "443") else f":{port}")
            result = services.onboard_region(services.OnboardingRequest(**form.cleaned_data), actor=request.user,
                                             site_url=f"{request.scheme}://{address}/")
            form = OnboardingForm()  # ready for the next region, not a resubmission of this one
        except ValidationError as error:
            add_to_form(form, error)
    return render(request, "tenants/onboard.html", {"form": form, "result": result})


def _lifecycle_action(request, pk, action):
    require(request.user, "regions.manage")
    region = get_object_or_404(Region.objects.exclude(schema_name="public"), pk=pk)
    form = ReasonForm(request.POST)
    form.is_valid()
    try:
        action(region, actor=request.user, reason=form.cleaned_data.get("reason", ""))
        messages.success(request, _("%(region)s is now %(status)s.") % {"region": region.name, "status": region.get_status_display()})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("operator:region-list")


@login_required
@require_POST
def region_suspend(request, pk):
    return _lifecycle_action(request, pk, services.suspend_region)


@login_required
@require_POST
def region_reactivate(request, pk):
    return _lifecycle_action(request, pk, services.reactivate_region)


@login_required
@require_POST
def region_archive(request, pk):
    return _lifecycle_action(request, pk, services.archive_region)


@login_required
@require_POST
def region_export(request, pk):
    """Queue the region's archive again (once, however often it is clicked)."""
    require(request.user, "regions.manage")
    region = get_object_or_404(Region.objects.exclude(schema_name="public"), pk=pk)
    if services.request_export(region, actor=request.user):
        messages.success(request, _("The archive of %(region)s is being built.") % {"region": region.name})
    else:
        messages.info(request, _("The archive of %(region)s is already being built.") % {"region": region.name})
    return redirect("operator:region-list")


@login_required
def region_archive_download(request, pk, token):
    """The operator's signed, expiring link to a region's archive."""
    require(request.user, "regions.manage")
    region = get_object_or_404(Region.objects.exclude(schema_name="public"), pk=pk)
    path = services.archive_for_link(region, token)
    return FileResponse(path.open("rb"), as_attachment=True, filename=path.name)


@login_required
def cluster_page(request):
    """Each worker with its regions and size, each region's node, and the latest operations with their
    progress. On one PostgreSQL server it says the database is not a cluster."""
    require(request.user, "regions.manage")
    errors, status = {}, 200
    if request.method == "POST":
        try:
            operation = cluster_services.request_operation(
                request.POST.get("action", ""), actor=request.user,
                schema_name=request.POST.get("schema_name", "").strip(), node=request.POST.get("node", "").strip())
        except ValidationError as error:
            errors, status = error.message_dict, 400
        else:
            messages.success(request, _("%(operation)s is queued; this page shows its progress.") % {
                "operation": operation.get_action_display()})
            return redirect("operator:cluster")
    return render(request, "tenants/cluster.html", {**cluster_overview(), "errors": errors}, status=status)


# --- the platform's own logins ---------------------------------------------------------------------

def _platform_site_url() -> str:
    # The configured public address, never the request's Host: the link is handed to another person.
    return settings.KINERJA_SITE_URL


@login_required
def platform_login_list_page(request):
    require(request.user, platform_logins.MANAGE)
    form = PlatformLoginForm(request.POST or None)
    delivery = None
    if request.method == "POST" and form.is_valid():
        try:
            delivery = platform_logins.create_platform_login(actor=request.user, site_url=_platform_site_url(),
                                                             **form.cleaned_data)
            form = PlatformLoginForm()
        except ValidationError as error:
            add_to_form(form, error)
    return render(request, "tenants/platform_logins.html",
                  {"logins": platform_login_list(), "form": form, "delivery": delivery})


@login_required
def platform_login_detail(request, pk):
    require(request.user, platform_logins.MANAGE)
    login = get_object_or_404(platform_login_list(), pk=pk)
    return render(request, "tenants/platform_login_detail.html",
                  {"login": login, "reason_form": ReasonForm(), "history": entries_about(login)[:50],
                   "delivery": None})


@login_required
@require_POST
def platform_login_action(request, pk, action):
    require(request.user, platform_logins.MANAGE)
    login = get_object_or_404(platform_login_list(), pk=pk)
    reason = request.POST.get("reason", "")
    delivery = None
    try:
        if action == "close":
            platform_logins.close_platform_login(actor=request.user, user=login, reason=reason)
            messages.success(request, _("%s can no longer sign in.") % login.display_name)
        elif action == "reopen":
            platform_logins.reopen_platform_login(actor=request.user, user=login, reason=reason)
            messages.success(request, _("%s can sign in again.") % login.display_name)
        else:
            delivery = platform_logins.resend_platform_link(actor=request.user, user=login,
                                                            site_url=_platform_site_url())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if delivery is None:
        return redirect("operator:login-detail", pk=login.pk)
    login.refresh_from_db()
    return render(request, "tenants/platform_login_detail.html",
                  {"login": login, "reason_form": ReasonForm(), "history": entries_about(login)[:50],
                   "delivery": delivery})
