"""Region pages (HR): installed plugins, enabling, settings and their history. Public pages: the
catalogue of installed plugins and the failure log (operator, vendors). Thin callers of the services and
selectors."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from kinerja_plugin_api.config_schema import ConfigSchema
from kinerja_plugin_api.host import get_host

from kinerja.plugins import selectors, services
from kinerja.plugins.catalogues import translated_schema
from kinerja.plugins.failures import selectors as failure_selectors
from kinerja.plugins.forms import PluginSettingsForm


def _require(check, user) -> None:
    if not check(user):
        raise PermissionDenied


@login_required
def plugin_list(request):
    _require(selectors.can_read_plugin_settings, request.user)
    return render(request, "plugins/region_list.html", {
        "rows": selectors.region_plugins(), "can_manage": selectors.can_manage_plugins(request.user),
        "load_errors": selectors.load_errors_for_region(request.user)})


def _setting_label(key: str, labels: dict[str, str]) -> str:
    """"base_by_class.7" -> "Base TPP per position class, class 7"; "rows.2.rate" -> "..., row 2, rate"."""
    name, *rest = key.split(".")
    label = labels.get(name, name)
    if len(rest) == 1 and rest[0].isdecimal():
        return _("%(setting)s, class %(class)s") % {"setting": label, "class": rest[0]}
    if len(rest) >= 2:
        return _("%(setting)s, row %(row)s, %(column)s") % {"setting": label, "row": rest[0], "column": ".".join(rest[1:])}
    return label


def _with_setting_labels(history: list[dict], schema: ConfigSchema) -> list[dict]:
    labels = {f.name: f.label for f in schema.fields}
    return [{**item, "diff": [(_setting_label(key, labels), before, after) for key, before, after in item["diff"]]}
            for item in history]


@login_required
def plugin_detail(request, name):
    _require(selectors.can_read_plugin_settings, request.user)
    row = selectors.region_plugin(name)
    if row is None:
        raise Http404
    host = get_host()
    schema = host.config_schema(name) if row.installed else ConfigSchema()
    module = row.info.module if row.info else ""
    current = row.current.config if row.current else schema.defaults()
    shown = translated_schema(module, schema)
    form = PluginSettingsForm(shown, current, request.POST or None, module=module)
    if request.method == "POST":
        _require(selectors.can_manage_plugins, request.user)
        if form.is_valid():
            try:
                version = services.save_plugin_config(name, form.raw_config(), actor=request.user,
                                                      reason=form.cleaned_data.get("reason", ""))
            except ValidationError as error:
                form.add_service_errors(error.message_dict)
            else:
                messages.success(request, _("Settings saved as version %s.") % version.number)
                return redirect("plugins:detail", name=name)
    return render(request, "plugins/region_detail.html", {
        "row": row, "form": form, "has_settings": bool(schema.fields),
        "history": _with_setting_labels(selectors.history_with_diffs(name), shown), "can_manage": selectors.can_manage_plugins(request.user)},
        status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def plugin_toggle(request, name):
    _require(selectors.can_manage_plugins, request.user)
    enabled = request.POST.get("enabled") == "1"
    try:
        services.set_plugin_enabled(name, enabled, actor=request.user, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, (_("%s enabled.") if enabled else _("%s disabled.")) % name)
    return redirect("plugins:detail", name=name)


def catalogue_page(request):
    return render(request, "plugins/catalogue.html", {
        "catalogue": selectors.catalogue(request.user), "is_operator": selectors.can_diagnose_catalogue(request.user),
        "can_read_failures": failure_selectors.can_read_failures(request.user)})


def catalogue_json(request):
    return JsonResponse(selectors.catalogue(request.user), json_dumps_params={"ensure_ascii": False, "indent": 2})


@login_required
def failure_list(request):
    _require(failure_selectors.can_read_failures, request.user)
    filters = {key: request.GET.get(key, "").strip() for key in ("plugin", "region", "hook")}
    records = failure_selectors.failures(request.user, **filters)
    return render(request, "plugins/failure_list.html", {
        "failures": Paginator(records, 50).get_page(request.GET.get("page")), "filters": filters,
        "vendor": failure_selectors.vendor_of(request.user),
        "reads_all": failure_selectors.reads_every_failure(request.user)})


@login_required
def failure_detail(request, pk: int):
    _require(failure_selectors.can_read_failures, request.user)
    return render(request, "plugins/failure_detail.html", {
        "failure": get_object_or_404(failure_selectors.visible_failures(request.user), pk=pk)})
