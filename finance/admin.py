"""Payroll checks in the admin: read-only records (they are made through the API or its xlsx upload), each with its
units' stored answers; a district office sees its own region's units of a check."""
from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_queryset
from finance.models import PayrollCheck, PayrollUnit
from finance.selectors import paid_by_category
from positions.choices import PostCategory
from workflow.admin import ReadOnlyAdmin


class PayrollUnitInline(admin.TabularInline):
    model = PayrollUnit
    extra = 0
    can_delete = False
    fields = ("institution", "paid", "paid_total", "staff_total", "staff_count_as_of", "quotas_own",
              "quotas_borrowed", "quotas_held", "is_over_quota", "is_over_staff")
    readonly_fields = fields
    ordering = ("-is_over_quota", "-is_over_staff", "institution__region__code", "institution__name")

    def get_queryset(self, request):
        units = super().get_queryset(request).select_related("institution").prefetch_related("lines")
        return scope_queryset(units, request.user)

    @admin.display(description=_("paid by category"))
    def paid(self, unit: PayrollUnit) -> str:
        return " · ".join(f"{PostCategory(category).label} {count}"
                          for category, count in paid_by_category(unit).items())

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PayrollCheck)
class PayrollCheckAdmin(ReadOnlyAdmin):
    list_display = ("month_label", "version", "as_of", "source", "created_by", "created_at")
    list_filter = ("source",)
    list_select_related = ("created_by",)
    date_hierarchy = "month"
    fields = ("month", "version", "as_of", "source", "created_by", "created_at")
    readonly_fields = fields
    inlines = (PayrollUnitInline,)

    @admin.display(description=_("month"), ordering="month")
    def month_label(self, check: PayrollCheck) -> str:
        return check.month.strftime("%Y-%m")
