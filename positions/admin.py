"""Positions screens: rule sets, plans and staff counts (entered by HR, through the services), direction notices."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin_scoping import ScopedAdminMixin
from core.roles import Role, has_role
from institutions.admin import RegistryImportExportMixin, ScopedHistoryMixin
from positions import services
from positions.forms import NoticeIssueForm, PositionPlanAdminForm, StaffCountAdminForm
from positions.models import PositionDirectionNotice, PositionPlan, PositionRule, PositionRuleSet, StaffCount
from positions.models.plans import MANAGEMENT_LEVEL_FIELDS, PROFESSIONAL_LEVEL_FIELDS, WORKER_LEVEL_FIELDS
from positions.resources import PositionPlanResource, StaffCountResource
from positions.texts import finding_message


class PositionRuleInline(admin.TabularInline):
    model = PositionRule
    extra = 0
    fields = ("code", "applies_to", "threshold", "is_binding", "note")


@admin.register(PositionRuleSet)
class PositionRuleSetAdmin(SimpleHistoryAdmin):
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


class PositionsAdmin(ScopedAdminMixin, ScopedHistoryMixin, RegistryImportExportMixin, SimpleHistoryAdmin):
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


@admin.register(PositionDirectionNotice)
class PositionDirectionNoticeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Notices are issued through the issue page (city office) and never edited."""

    list_display = ("number", "kind", "addressee_name", "issued_on", "document", "printable")
    list_filter = ("kind", "issued_on")
    list_select_related = ("institution", "supervisor", "document")
    search_fields = ("number", "institution__name", "supervisor__name")
    readonly_fields = ("number", "kind", "institution", "supervisor", "batch", "issued_on", "reconciled_on",
                       "document", "figures", "issued_by")
    fields = readonly_fields

    @admin.display(description=_("addressee"))
    def addressee_name(self, notice: PositionDirectionNotice) -> str:
        return str(notice.addressee)

    @admin.display(description=_("print"))
    def printable(self, notice: PositionDirectionNotice):
        return format_html(
            '<a href="{}">HTML</a> · <a href="{}">DOCX</a>',
            reverse("positions:notice", args=[notice.pk]), reverse("positions:notice-docx", args=[notice.pk]),
        )

    def has_add_permission(self, request) -> bool:
        # "Add" leads to the issue page, for the city office only.
        return has_role(request.user, Role.CITY_OFFICE) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        return redirect("admin:positions_positiondirectionnotice_issue")

    def get_urls(self):
        return [
            path("issue/", self.admin_site.admin_view(self.issue_view), name="positions_positiondirectionnotice_issue"),
            *super().get_urls(),
        ]

    def issue_view(self, request):
        """Issue a unit's notice, or a department's batch and its units' notices (city office only)."""
        if not has_role(request.user, Role.CITY_OFFICE):
            raise PermissionDenied
        form = NoticeIssueForm(request.POST or None, initial=request.GET.dict(), user=request.user)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            common = {"by": request.user, "document": data["document"], "issued_on": data.get("issued_on")}
            try:
                if data.get("institution"):
                    notice = services.position_notice_issue(institution=data["institution"], **common)
                else:
                    notice = services.position_notices_issue_for_department(
                        supervisor=data["supervisor"], institutions=form.visible_institutions, **common
                    )
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    for text in texts:
                        form.add_error(field if field in form.fields else None, text)
            else:
                messages.success(request, gettext("Notice %(number)s issued.") % {"number": notice.number})
                return redirect("positions:notice", pk=notice.pk)
        context = {**self.admin_site.each_context(request), "title": _("Issue a quota-use direction notice"),
                   "form": form, "opts": self.model._meta}
        return TemplateResponse(request, "positions/admin_issue_notice.html", context)

from positions import workflow_admin  # noqa: E402,F401  (hiring plans, quota-use notices, loans: registered there)
