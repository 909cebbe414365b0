"""Admin of the follow-up: tasks, milestones, unit checklists and annual reports, scoped by region like every
other page (a district office sees and writes its own region's rows). Saves go through ``tracking.services``, so the
admin refuses what the API refuses; no role deletes (a task or a checklist is corrected, not removed); annual
reports are opened by the yearly sweep, never added here."""
from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin, ScopedHistoryMixin
from core.history import HistoryAdmin
from tracking import services
from tracking.models import AnnualReport, Milestone, ReformTask, UnitChecklist
from tracking.models.checklists import HANDLE_FIELDS, IN_PLACE_FIELDS


def _values(form) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in form.cleaned_data}


@admin.register(ReformTask)
class ReformTaskAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    list_display = ("title", "department", "district", "region", "start_date", "due_date")
    list_select_related = ("department", "district", "region")
    list_filter = ("region",)
    search_fields = ("title", "department__name", "district__name")
    autocomplete_fields = ("department", "district", "plan")
    readonly_fields = ("region", "milestone_list")
    fields = ("title", "department", "district", "region", "plan", "start_date", "due_date", "description",
              "milestone_list")

    @admin.display(description=_("milestones"))
    def milestone_list(self, task: ReformTask):
        if task.pk is None:
            return "—"
        return format_html_join(
            "", "<div>{} · {} · {}</div>",
            ((row.due_date.isoformat(), row.title, row.done_on.isoformat() if row.done_on else "—")
             for row in task.milestones.order_by("due_date", "pk"))) or "—"

    def save_model(self, request, obj, form, change):
        saved = services.reform_task_save(by=request.user, task=obj if change else None,
                                          **(_values(form) if change else {
                                              name: form.cleaned_data[name] for name in services.TASK_FIELDS
                                              if name in form.cleaned_data}))
        obj.pk, obj.region_id = saved.pk, saved.region_id


@admin.register(Milestone)
class MilestoneAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    list_display = ("title", "task", "due_date", "done_on", "overdue")
    list_filter = ("overdue",)
    search_fields = ("title", "task__title")
    autocomplete_fields = ("task",)
    readonly_fields = ("overdue",)
    fields = ("task", "title", "due_date", "done_on", "overdue")

    def save_model(self, request, obj, form, change):
        values = _values(form) if change else {name: form.cleaned_data[name] for name in services.MILESTONE_FIELDS
                                               if name in form.cleaned_data}
        saved = services.milestone_save(by=request.user, milestone=obj if change else None, **values)
        obj.pk, obj.overdue = saved.pk, saved.overdue


@admin.register(UnitChecklist)
class UnitChecklistAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    list_display = ("institution", "region", "plan", "task", "registration_kind", "registration_due",
                    "registration_done_on", "overdue")
    list_select_related = ("institution", "region", "plan", "task")
    list_filter = ("registration_kind", "overdue", "handles_apply")
    search_fields = ("institution__name", "institution__credit_code")
    autocomplete_fields = ("institution", "plan", "task")
    readonly_fields = ("region", "registration_due", "overdue")
    fieldsets = (
        (None, {"fields": ("institution", "region", "plan", "task", "handles_apply", "note")}),
        (_("The three handles"), {"fields": HANDLE_FIELDS}),
        (_("The four in place"), {"fields": IN_PLACE_FIELDS}),
        (_("Legal-person registration"), {"fields": ("registration_kind", "registration_basis", "registration_due",
                                                     "registration_done_on", "overdue")}),
    )

    def save_model(self, request, obj, form, change):
        values = _values(form) if change else {name: form.cleaned_data[name] for name in services.CHECKLIST_FIELDS
                                               if name in form.cleaned_data}
        saved = services.checklist_save(by=request.user, checklist=obj if change else None, **values)
        obj.pk = saved.pk


@admin.register(AnnualReport)
class AnnualReportAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    list_display = ("institution", "region", "year", "due_date", "submitted_on", "overdue")
    list_filter = ("year", "overdue")
    search_fields = ("institution__name", "institution__credit_code")
    readonly_fields = ("institution", "region", "year", "due_date", "overdue")
    fields = ("institution", "region", "year", "due_date", "submitted_on", "overdue", "note")

    def has_add_permission(self, request) -> bool:
        return False  # opened by the yearly sweep (services.annual_reports_open)

    def save_model(self, request, obj, form, change):
        saved = services.annual_report_save(by=request.user, report=obj, **{
            name: form.cleaned_data[name] for name in services.ANNUAL_REPORT_FIELDS if name in form.cleaned_data})
        obj.overdue = saved.overdue
