"""The failure log and vendor accounts in Django's admin, on the platform's site only: a region's admin
must never show the platform's log. Failures are read-only there (the platform writes them); the operator
may delete rows once the bug is fixed."""
from django.contrib import admin

from kinerja.plugins.failures.models import PluginFailureRecord, VendorAccount
from kinerja.region.facts import on_public_schema


class PublicSiteOnly:
    def has_module_permission(self, request):
        return on_public_schema() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return on_public_schema() and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return on_public_schema() and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return on_public_schema() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return on_public_schema() and super().has_delete_permission(request, obj)


@admin.register(PluginFailureRecord)
class PluginFailureRecordAdmin(PublicSiteOnly, admin.ModelAdmin):
    list_display = ("plugin_name", "plugin_version", "region_slug", "hook", "error_type", "count", "first_seen",
                    "last_seen")
    list_filter = ("plugin_name", "hook", "region_slug", "vendor")
    search_fields = ("plugin_name", "error_type", "message")
    readonly_fields = [field.name for field in PluginFailureRecord._meta.fields]
    date_hierarchy = "last_seen"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(VendorAccount)
class VendorAccountAdmin(PublicSiteOnly, admin.ModelAdmin):
    list_display = ("user", "vendor")
    search_fields = ("user__username", "vendor")
    raw_id_fields = ("user",)
