"""The inbox, the header's unread count (fetched by htmx, so no page pays a query for it) and the
preferences page. Thin: the selectors read, the services write."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kinerja.accounts.capabilities import has
from kinerja.notifications import selectors, services
from kinerja.notifications.models import Language

CAPABILITY = "notifications.read"


def _require(request):
    if not has(request.user, CAPABILITY):
        raise PermissionDenied


@login_required
def inbox(request):
    _require(request)
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(selectors.inbox_for(request.user, unread_only=unread_only), 30).get_page(request.GET.get("page"))
    rows = []
    for notification in page:
        subject, sentence = services.render(notification.kind, notification.params)
        rows.append({"notification": notification, "subject": subject, "sentence": sentence})
    return render(request, "notifications/inbox.html", {"page": page, "rows": rows, "unread_only": unread_only,
                                                        "unread": selectors.unread_count(request.user)})


@login_required
def unread_badge(request):
    """The header's count: htmx loads it after the page and polls it."""
    count = selectors.unread_count(request.user) if has(request.user, CAPABILITY) else 0
    return render(request, "notifications/_badge.html", {"count": count})


@login_required
@require_POST
def open_notification(request, pk: int):
    _require(request)
    notification = get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    services.mark_read(request.user, [notification.pk])
    if notification.link and url_has_allowed_host_and_scheme(notification.link, allowed_hosts={request.get_host()}):
        return redirect(notification.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_read(request, pk: int):
    _require(request)
    get_object_or_404(selectors.inbox_for(request.user), pk=pk)
    services.mark_read(request.user, [pk])
    return redirect(request.POST.get("next") or "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    _require(request)
    count = services.mark_all_read(request.user)
    messages.success(request, _("%(count)d notifications marked read.") % {"count": count})
    return redirect("notifications:inbox")


@login_required
def preferences(request):
    _require(request)
    if request.method == "POST":
        try:
            for row in selectors.preferences_for(request.user):
                in_app = f"in_app:{row['kind']}" in request.POST
                email = f"email:{row['kind']}" in request.POST
                if (in_app, email) != (row["in_app"], row["email"]):
                    services.set_preference(request.user, row["kind"], in_app=in_app, email=email)
            language = request.POST.get("language")
            if language and language != selectors.language_of(request.user):
                services.set_language(request.user, language)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your notification choices are saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {
        "rows": selectors.preferences_for(request.user), "language": selectors.language_of(request.user),
        "languages": Language.choices, "has_email": bool(request.user.email),
    })
