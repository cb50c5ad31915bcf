from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.dateparse import parse_date

from kinerja.audit.describe import ACTIONS
from kinerja.audit.models import AuditEntry
from kinerja.audit.selectors import audit_entries_for


@login_required
def audit_list(request):
    params = request.GET
    entries = audit_entries_for(
        request.user, action=params.get("action", ""), target_type=params.get("target_type", ""),
        actor=params.get("actor", ""), date_from=parse_date(params.get("from", "") or ""),
        date_to=parse_date(params.get("to", "") or ""),
    )
    page = Paginator(entries, 50).get_page(params.get("page"))
    target_types = AuditEntry.objects.order_by().values_list("target_type", flat=True).distinct()
    actions = sorted(((code, str(phrase)) for code, phrase in ACTIONS.items()), key=lambda item: item[1])
    return render(request, "audit/list.html", {"page": page, "params": params, "target_types": target_types,
                                               "actions": actions})
