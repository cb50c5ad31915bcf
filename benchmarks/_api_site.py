"""The region site with one more address, for benchmarks/api.py: a bare Django view answering the same rows
as the API's employee list, with no REST framework in the way. The URL map of the benchmark's gunicorn
(_api_settings.py names it)."""
from django.http import JsonResponse
from django.urls import path
from kinerja.people.models import Employee
from kinerja.urls_tenant import urlpatterns as region_urlpatterns

FIELDS = ["id", "nip", "employee_type", "full_name", "gender", "birth_date", "rank", "status", "unit",
          "position", "supervisor", "email", "user"]


def bare_employees(request):
    rows = Employee.objects.select_related("unit", "position", "supervisor").order_by("full_name", "id")
    page = [{**{name: getattr(employee, f"{name}_id" if name in ("unit", "position", "supervisor", "user")
                               else name) for name in FIELDS},
             "unit_code": employee.unit.code, "position_code": employee.position.code,
             "supervisor_nip": employee.supervisor.nip if employee.supervisor else None}
            for employee in rows[:50]]
    return JsonResponse({"count": rows.count(), "next": None, "previous": None, "results": page})


urlpatterns = [path("bare/employees/", bare_employees), *region_urlpatterns]
