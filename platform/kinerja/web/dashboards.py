"""What each role's dashboard shows. The figures come from the apps' selectors."""
from __future__ import annotations

from kinerja.accounts.models import Role


def dashboard_context(request) -> tuple[str, dict]:
    user = request.user
    tenant = getattr(request, "tenant", None)
    if tenant is None or tenant.schema_name == "public":
        from tenants.selectors import platform_overview

        return f"web/dashboard_{user.role}.html" if user.role in {Role.OPERATOR, Role.BKN_ANALYST, Role.PLUGIN_VENDOR} \
            else "web/dashboard_operator.html", {"overview": platform_overview()}
    from kinerja.people.selectors import region_overview, employee_for_user

    employee = employee_for_user(user)
    context = {"overview": region_overview(), "employee": employee,
               "subordinates": list(employee.subordinates.select_related("position")) if employee else []}
    if user.role == Role.EMPLOYEE:
        template = "web/dashboard_supervisor.html" if context["subordinates"] else "web/dashboard_employee.html"
    else:
        template = f"web/dashboard_{user.role}.html"
    return template, context
