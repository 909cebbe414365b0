"""Admin for the registry (scoped to the user's region)."""
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin_scoping import ScopedAdminMixin
from institutions.models import Region


@admin.register(Region)
class RegionAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "parent", "institution_cap")
    list_filter = ("kind",)
    search_fields = ("code", "name")
