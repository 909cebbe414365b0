"""Admin for zero-based allocation: indicators (with xlsx import/export), scenarios edited through the services."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin, ScopedHistoryMixin
from accounts.roles import Role, has_role
from allocation import services as allocation
from allocation.models import AllocationScenario, RegionIndicator, ScenarioArea, ScenarioResult
from allocation.resources import RegionIndicatorResource
from core.history import HistoryAdmin
from institutions.admin import RegistryImportExportMixin
from quotas.forms import DocumentDateForm


@admin.register(RegionIndicator)
class RegionIndicatorAdmin(ScopedAdminMixin, ScopedHistoryMixin, RegistryImportExportMixin, HistoryAdmin):
    """Indicator values, with the registry's xlsx import and export (``allocation.resources``)."""

    resource_classes = [RegionIndicatorResource]
    list_display = ("region", "year", "indicator", "value", "source_note")
    list_filter = ("indicator", "year", "region")
    search_fields = ("region__name", "region__code")

    def save_model(self, request, obj, form, change):
        allocation.region_indicator_save(indicator=obj, by=request.user)


class ScenarioAreaInline(ScopedAdminMixin, admin.TabularInline):
    model = ScenarioArea
    extra = 0
    fields = ("region", "floor", "cap", "reserve_override", "reserve_reason", "controlled_share", "controlled_count")


class ScenarioResultInline(ScopedAdminMixin, admin.TabularInline):
    model = ScenarioResult
    extra = 0
    can_delete = False
    fields = ("region", "fixed_reserve", "score", "ideal", "allocated", "bound", "result", "controlled", "usable",
              "current", "difference", "explanation")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AllocationScenario)
class AllocationScenarioAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    list_display = ("name", "scope_region", "quota_type", "province_total", "method", "status", "computed_at")
    list_filter = ("status", "method")
    search_fields = ("name",)
    readonly_fields = ("status", "last_error", "computed_at", "approved_by", "approved_at", "applied_document",
                       "applied_at", "copied_from")
    inlines = (ScenarioAreaInline, ScenarioResultInline)
    actions = ["compute", "approve", "copy", "apply"]

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.is_frozen:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in allocation.SCENARIO_FIELDS if name in form.cleaned_data}
        if change:
            saved = allocation.scenario_update(scenario=obj, by=request.user, **values)
        else:
            saved = allocation.scenario_create(by=request.user, **values)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is not ScenarioArea:
            return super().save_formset(request, form, formset, change)
        # What the admin's change message reads; filled as the service saves each area.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or inline_form in formset.deleted_forms:
                continue
            data = {k: v for k, v in inline_form.cleaned_data.items() if k not in ("id", "scenario", "DELETE")}
            region = data.pop("region")
            area = allocation.scenario_area_save(scenario=form.instance, region=region, by=request.user, **data)
            if inline_form.instance.pk:
                formset.changed_objects.append((area, inline_form.changed_data))
            else:
                formset.new_objects.append(area)
        deleted = [inline_form.instance for inline_form in formset.deleted_forms if inline_form.instance.pk]
        for area in deleted:
            area.delete()
        formset.deleted_objects = deleted
        if deleted:
            allocation.scenarios_mark_stale(AllocationScenario.objects.filter(pk=form.instance.pk))
        return None

    def _city_office_only(self, request) -> bool:
        if not has_role(request.user, Role.CITY_OFFICE):
            self.message_user(request, _("Only the city office runs allocations."), messages.ERROR)
            return False
        return True

    @admin.action(description=_("Recompute the selected scenarios"))
    def compute(self, request, queryset):
        if self._city_office_only(request):
            ids = [s.pk for s in queryset if not s.is_frozen]
            allocation.enqueue(ids)
            self.message_user(request, _("%(count)d recomputations queued.") % {"count": len(ids)})

    @admin.action(description=_("Approve the selected scenarios"))
    def approve(self, request, queryset):
        if not self._city_office_only(request):
            return
        for scenario in queryset:
            try:
                allocation.scenario_approve(scenario=scenario, by=request.user)
            except ValidationError as error:
                self.message_user(request, f"{scenario}: {'; '.join(error.messages)}", messages.ERROR)
            else:
                self.message_user(request, _("%(name)s approved.") % {"name": scenario}, messages.SUCCESS)

    @admin.action(description=_("Copy the selected scenarios to new drafts"))
    def copy(self, request, queryset):
        if self._city_office_only(request):
            for scenario in queryset:
                allocation.scenario_copy(scenario=scenario, by=request.user)

    @admin.action(description=_("Apply the selected approved scenario to the ledger"))
    def apply(self, request, queryset):
        if not self._city_office_only(request):
            return None
        if queryset.count() != 1:
            self.message_user(request, _("Apply one scenario at a time."), messages.ERROR)
            return None
        scenario = queryset.get()
        form = DocumentDateForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            try:
                transfers = allocation.scenario_apply(scenario=scenario, by=request.user,
                                                      document=form.cleaned_data["document"],
                                                      effective_date=form.cleaned_data["effective_date"])
            except ValidationError as error:
                self.message_user(request, "; ".join(error.messages), messages.ERROR)
            else:
                self.message_user(request, _("%(count)d transfers posted.") % {"count": len(transfers)},
                                  messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Apply to the ledger"),
            "form": form, "queryset": queryset, "action": "apply",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "media": self.media + form.media,
            "results": scenario.results.select_related("region").order_by("region__code"),
        }
        return TemplateResponse(request, "admin/allocation/apply_scenario.html", context)
