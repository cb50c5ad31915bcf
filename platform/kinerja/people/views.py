from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from kinerja.people.selectors import can_read_organisation, units_with_headcount, visible_employees


@login_required
def unit_list(request):
    if not can_read_organisation(request.user):
        raise PermissionDenied
    return render(request, "people/unit_list.html", {"units": units_with_headcount()})


@login_required
def employee_list(request):
    employees = visible_employees(request.user)
    query = request.GET.get("q", "").strip()
    if query:
        employees = employees.filter(full_name__icontains=query) | employees.filter(nip__startswith=query)
    page = Paginator(employees.order_by("full_name"), 50).get_page(request.GET.get("page"))
    return render(request, "people/employee_list.html", {"page": page, "q": query})


@login_required
def import_page(request):
    from kinerja.accounts.models import Role

    if request.user.role != Role.HR_ADMIN:
        raise PermissionDenied
    return render(request, "people/import.html", {})
