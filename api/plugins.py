"""Plugin endpoints of the region API: installed plugins with the region's activation and settings.

GET  /api/v1/plugins/                     installed plugins, enabled or not, settings version in force
GET  /api/v1/plugins/<name>/              one plugin, with its settings schema and settings in force
PUT  /api/v1/plugins/<name>/activation/   {"enabled": true|false, "reason": "..."}
GET  /api/v1/plugins/<name>/config/       settings in force and the history of versions
PUT  /api/v1/plugins/<name>/config/       {"config": {...}, "reason": "..."}; 400 with field errors

On the platform's public API, the plugin failure log (operator: every row; vendor: their plugins' rows):

GET  /api/v1/plugin-failures/?plugin=&region=&hook=   distinct failures with counts, latest first (paginated)
GET  /api/v1/plugin-failures/<id>/                    one failure with its traceback
"""
from django.http import Http404
from kinerja.plugins import selectors, services
from kinerja.plugins.failures import selectors as failure_selectors
from kinerja.plugins.failures.models import PluginFailureRecord
from kinerja_plugin_api.host import get_host
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.permissions import capability_permission

PluginSettingsAccess = capability_permission("plugins.read", write="plugins.manage")


class ActivationSerializer(serializers.Serializer):
    enabled = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ConfigSerializer(serializers.Serializer):
    config = serializers.JSONField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _version(version) -> dict | None:
    if version is None:
        return None
    return {"id": version.pk, "number": version.number, "plugin_version": version.plugin_version,
            "config": version.config, "created_by": version.created_by.display_name if version.created_by else None,
            "created_at": version.created_at, "reason": version.reason}


def _row(row, *, detail: bool = False) -> dict:
    data = {"name": row.name, "installed": row.installed, "enabled": row.enabled,
            "version": row.info.version if row.info else None,
            "vendor": row.info.vendor if row.info else None,
            "description": row.info.description if row.info else None,
            "hooks": list(row.info.hooks) if row.info else [],
            "config_version": _version(row.current)}
    if detail and row.installed:
        data["config_schema"] = get_host().config_schema(row.name).describe()
    return data


class PluginViewSet(viewsets.ViewSet):
    permission_classes = [PluginSettingsAccess]
    lookup_field = "name"
    lookup_value_regex = r"[a-z][a-z0-9-]*"

    def _row(self, name):
        row = selectors.region_plugin(name)
        if row is None:
            raise Http404
        return row

    def list(self, request):
        return Response([_row(row) for row in selectors.region_plugins()])

    def retrieve(self, request, name=None):
        return Response(_row(self._row(name), detail=True))

    @extend_schema(request=ActivationSerializer)
    @action(detail=True, methods=["put"])
    def activation(self, request, name=None):
        self._row(name)
        serializer = ActivationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.set_plugin_enabled(name, serializer.validated_data["enabled"], actor=request.user,
                                    reason=serializer.validated_data["reason"])
        return Response(_row(self._row(name)))

    @extend_schema(methods=["PUT"], request=ConfigSerializer)
    @action(detail=True, methods=["get", "put"])
    def config(self, request, name=None):
        row = self._row(name)
        if request.method == "PUT":
            serializer = ConfigSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            services.save_plugin_config(name, serializer.validated_data["config"], actor=request.user,
                                        reason=serializer.validated_data["reason"])
            row = self._row(name)
        return Response({"current": _version(row.current),
                         "history": [_version(v) for v in selectors.config_history(name)]})


class PluginFailureSerializer(serializers.ModelSerializer):
    class Meta:
        model = PluginFailureRecord
        fields = ["id", "plugin_name", "plugin_version", "vendor", "region_slug", "hook", "error_type", "message",
                  "traceback", "count", "first_seen", "last_seen"]
        read_only_fields = fields


class PluginFailureViewSet(viewsets.ReadOnlyModelViewSet):
    """The failure log, read through the same selector as the pages: who reads which rows is decided there."""
    permission_classes = [capability_permission("plugins.failures.read")]
    serializer_class = PluginFailureSerializer

    def get_queryset(self):
        params = self.request.query_params
        return failure_selectors.failures(self.request.user, plugin=params.get("plugin", ""),
                                          region=params.get("region", ""), hook=params.get("hook", ""))


def register(router) -> None:
    """Register this module's viewsets on the region router."""
    router.register("plugins", PluginViewSet, basename="plugin")


def register_public(router) -> None:
    """Register this module's viewsets on the public site's router."""
    router.register("plugin-failures", PluginFailureViewSet, basename="plugin-failure")
