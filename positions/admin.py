"""Positions screens: rule sets, plans and staff counts (entered by HR, through the services)."""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin, ScopedHistoryMixin
from core.admin_conflicts import ConflictSafeAdminMixin
from core.history import HistoryAdmin
from institutions.admin import RegistryImportExportMixin
from positions import services
from positions.forms import PositionPlanAdminForm, StaffCountAdminForm
from positions.models import PositionPlan, PositionRule, PositionRuleSet, StaffCount
from positions.models.plans import MANAGEMENT_LEVEL_FIELDS, PROFESSIONAL_LEVEL_FIELDS, WORKER_LEVEL_FIELDS
from positions.resources import PositionPlanResource, StaffCountResource
from positions.texts import finding_message


class PositionRuleInline(admin.TabularInline):
    model = PositionRule
    extra = 0
    fields = ("code", "applies_to", "threshold", "is_binding", "note")


@admin.register(PositionRuleSet)
class PositionRuleSetAdmin(ConflictSafeAdminMixin, HistoryAdmin):
    list_display = ("name", "level", "ratio_text", "ratio_tolerance", "is_default")
    list_filter = ("level", "is_default")
    search_fields = ("name", "source")
    inlines = (PositionRuleInline,)
    actions = ["recheck_plans"]

    @admin.display(description=_("senior : intermediate : junior"))
    def ratio_text(self, rule_set: PositionRuleSet) -> str:
        return rule_set.ratio_text

    @admin.action(description=_("Check the plans of these rule sets again"))
    def recheck_plans(self, request, queryset):
        changed = services.position_plan_recheck(plans=PositionPlan.objects.filter(rule_set__in=queryset))
        messages.success(request, gettext("Findings changed on %(count)d plans.") % {"count": changed})


def _findings_html(plan: PositionPlan):
    if not plan.findings:
        return gettext("No rule broken.")
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>",
                                                       ((finding_message(item),) for item in plan.findings)))


class PositionsAdmin(ScopedAdminMixin, ScopedHistoryMixin, RegistryImportExportMixin, HistoryAdmin):
    """Scoped rows and choices, xlsx import and export, history; deleting is not offered (enter a correction)."""

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(PositionPlan)
class PositionPlanAdmin(PositionsAdmin):
    form = PositionPlanAdminForm
    resource_classes = [PositionPlanResource]
    list_display = ("institution", "institution_region", "version", "effective_date", "total", "management",
                    "professional", "worker", "special", "warning_count", "entered_by")
    list_filter = (("institution__region", admin.RelatedOnlyFieldListFilter), "main_post_type", "rule_set")
    list_select_related = ("institution__region", "entered_by")
    search_fields = ("institution__name", "institution__credit_code", "document__number")
    autocomplete_fields = ("institution", "document")
    readonly_fields = ("version", "findings_list", "entered_by")
    date_hierarchy = "effective_date"
    fieldsets = (
        (None, {"fields": ("institution", "effective_date", "document", "main_post_type", "rule_set", "note",
                           "version", "entered_by")}),
        (_("Posts by category"), {"fields": ("total", "management", "management_leadership", "professional",
                                             "worker", "special")}),
        (_("Management posts by level"), {"fields": MANAGEMENT_LEVEL_FIELDS, "classes": ("collapse",)}),
        (_("Professional-technical posts by level"), {
            "fields": PROFESSIONAL_LEVEL_FIELDS,
            "description": _("正高 levels 1–4, 副高 5–7, 中级 8–10, 初级 11–13."),
        }),
        (_("Worker-skill posts by level"), {"fields": (*WORKER_LEVEL_FIELDS, "worker_ordinary"),
                                            "classes": ("collapse",)}),
        (_("Rule findings"), {"fields": ("findings_list",)}),
    )

    @admin.display(description=_("region"), ordering="institution__region__code")
    def institution_region(self, plan: PositionPlan):
        return plan.institution.region

    @admin.display(description=_("warnings"))
    def warning_count(self, plan: PositionPlan) -> int:
        return len(plan.findings or [])

    @admin.display(description=_("rule findings"))
    def findings_list(self, plan: PositionPlan):
        return _findings_html(plan)

    def save_model(self, request, obj, form, change) -> None:
        services.position_plan_save(plan=obj, by=request.user)
        for item in obj.findings:
            messages.warning(request, finding_message(item))


@admin.register(StaffCount)
class StaffCountAdmin(PositionsAdmin):
    form = StaffCountAdminForm
    resource_classes = [StaffCountResource]
    list_display = ("institution", "as_of", "total", "management", "professional", "worker", "entered_by")
    list_filter = (("institution__region", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("institution__region", "entered_by")
    search_fields = ("institution__name", "institution__credit_code")
    autocomplete_fields = ("institution",)
    readonly_fields = ("total", "entered_by")
    date_hierarchy = "as_of"
    fieldsets = (
        (None, {"fields": ("institution", "as_of", "note", "entered_by")}),
        (_("Staff in quota"), {"fields": ("total", "management", "professional", "senior_full", "senior_deputy",
                                          "intermediate", "junior", "worker")}),
    )

    def save_model(self, request, obj, form, change) -> None:
        services.staff_count_save(staff_count=obj, by=request.user)



