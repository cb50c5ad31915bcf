from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from kinerja.web.dashboards import dashboard_context


def home(request):
    return redirect("dashboard" if request.user.is_authenticated else "login")


@login_required
def dashboard(request):
    template, context = dashboard_context(request)
    return render(request, template, context)
