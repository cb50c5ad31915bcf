"""Logins' roles and API tokens in Django's admin, to look up (who granted what, which token was used
last). Changes go through the Logins pages, whose services audit them, so the admin only reads; a
token's digest is never shown."""
from django.contrib import admin

from kinerja.accounts.models import ApiToken, RoleGrant


class ReadOnly:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RoleGrant)
class RoleGrantAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("user", "role", "reason", "granted_by", "granted_at", "revoked_at", "revoked_by")
    list_filter = ("role",)
    search_fields = ("user__username", "user__full_name", "reason")


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "expires_at", "last_used_at", "revoked_at")
    search_fields = ("name", "prefix", "user__username")
    exclude = ("digest",)
