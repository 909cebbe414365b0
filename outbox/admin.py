"""The change log in the admin: read only (events are written by the services that make the changes)."""
from django.contrib import admin

from accounts.admin_scoping import ScopedAdminMixin
from outbox.models import ChangeEvent


@admin.register(ChangeEvent)
class ChangeEventAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("position", "kind", "institution", "region", "occurred_at")
    list_filter = ("kind",)
    search_fields = ("institution__name", "institution__credit_code")
    list_select_related = ("institution", "region")
    readonly_fields = ("position", "kind", "institution", "region", "occurred_at", "data")
    show_full_result_count = False

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
