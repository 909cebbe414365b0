"""Admin of reform plans: drafts and their operations edited through the services, the preview of what a plan would
do on its page, and the plan moved on its decision page (submit, withdraw, approve with a document, reject with a
reason, execute), each step through ``reforms.services`` like the workflow's requests."""
from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin
from accounts.roles import Role, has_role
from accounts.scoping import scope_queryset
from core.forms import put_errors
from institutions.models import ApprovalDocument
from positions.choices import ProfessionalBand
from reforms import services
from reforms.actions import PLAN_ACTIONS
from reforms.display import PREVIEWED_STATES, preview_context
from reforms.models import (
    PLACEMENT_FIELDS,
    SPLIT_PART_FIELDS,
    ReformOperation,
    ReformPlan,
    SplitPart,
    StaffPlacement,
)
from workflow import states as workflow
from workflow.admin import EventInline
from workflow.models.requests import RequestAction, RequestState
from workflow.transitions import may_propose

STATE_FIELDS = ("status", "created_by", "created_at", "submitted_at", "decided_by", "decided_at", "decision_note",
                "document", "executed_at")


def _is_draft(plan: ReformPlan | None) -> bool:
    """Only a draft's content changes (a plan not yet saved is one)."""
    return plan is None or plan.status == workflow.DRAFT


def _may_edit_operations(request, plan: ReformPlan | None) -> bool:
    """Operations and their placements are the draft's content: whoever may change operations may add, change and
    remove them while the plan is a draft (the district office has no delete grant; removing one is an edit)."""
    return _is_draft(plan) and request.user.has_perm("reforms.change_reformoperation")


class ScopedChoicesMixin(ScopedAdminMixin):
    """Scoped rows and choices, a merger's units (many-to-many) included."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope_queryset(field.queryset, request.user)
        return field


# --- the plan -----------------------------------------------------------------------------------------------------
class ReformOperationInline(ScopedChoicesMixin, admin.StackedInline):
    """The plan's operations; a merger's staff placements are edited on the operation's own page."""

    model = ReformOperation
    extra = 0
    show_change_link = True
    fields = (("position", "kind"), "institution", "sources", ("quota_type", "approved_total", "surplus"),
              "market_path", ("new_name", "new_region"), ("new_supervisor", "new_category", "new_funding_form"),
              "must_exist_reason", ("keep_names_as_plaques", "plaque_name"), "reason", "placements_summary")
    readonly_fields = ("placements_summary",)
    autocomplete_fields = ("institution", "sources", "new_supervisor")

    def has_add_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _may_edit_operations(request, obj)

    @admin.display(description=_("staff placements"))
    def placements_summary(self, operation: ReformOperation):
        if operation is None or operation.pk is None:
            return "—"
        placements = list(operation.placements.select_related("to_institution"))
        if not placements:
            return "—"
        return format_html_join(", ", "{} {} → {}", (
            (placement.count, placement.get_category_display(),
             placement.to_institution or gettext("leave the quota")) for placement in placements))


class DecisionForm(forms.Form):
    """A step of a plan: the action, the approval document (approve), the reason (reject) or the review."""

    action = forms.ChoiceField(label=_("action"))
    document = forms.ModelChoiceField(ApprovalDocument.objects.none(), required=False, label=_("approval document"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("reason or review"))

    def __init__(self, *args, actions: list[tuple[str, str]], documents, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions
        self.fields["document"].queryset = documents


@admin.register(ReformPlan)
class ReformPlanAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """A draft is edited here or through the API; its state moves only on the decision page."""

    list_display = ("title", "region", "effective_date", "status", "decided_by", "executed_at")
    list_filter = ("status", ("region", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("region", "decided_by")
    search_fields = ("title",)
    date_hierarchy = "effective_date"
    inlines = (ReformOperationInline, EventInline)
    fieldsets = (
        (None, {"fields": ("title", "region", "effective_date", "description")}),
        (_("State"), {"fields": (*STATE_FIELDS, "decide_link")}),
        (_("Preview"), {"fields": ("preview",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        fields = [*STATE_FIELDS, "decide_link", "preview"]
        return [*fields, "region"] if obj is not None else fields

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a plan is withdrawn, not deleted: its history stays

    def save_model(self, request, obj, form, change):
        values = {name: form.cleaned_data[name] for name in ("title", "effective_date", "description")}
        if change:
            saved = services.reform_plan_update(plan=obj, by=request.user, **values)
        else:
            saved = services.reform_plan_create(by=request.user, region=form.cleaned_data["region"], **values)
        obj.pk = saved.pk
        obj.refresh_from_db()

    def save_formset(self, request, form, formset, change):
        if formset.model is not ReformOperation:
            return super().save_formset(request, form, formset, change)
        # Through the service, operation by operation; the admin's change message reads these lists.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if inline_form in formset.deleted_forms or not inline_form.has_changed():
                continue
            existing = inline_form.instance if inline_form.instance.pk else None
            values = {name: inline_form.cleaned_data[name] for name in services.OPERATION_FIELDS
                      if name in inline_form.cleaned_data}
            if existing is None and "position" not in inline_form.changed_data:
                values.pop("position", None)  # numbered after the plan's last operation
            operation = services.reform_operation_save(plan=form.instance, by=request.user, operation=existing,
                                                       sources=inline_form.cleaned_data.get("sources"), **values)
            if existing is None:
                formset.new_objects.append(operation)
            else:
                formset.changed_objects.append((operation, inline_form.changed_data))
        for inline_form in formset.deleted_forms:
            if inline_form.instance.pk:
                formset.deleted_objects.append(inline_form.instance)
                services.reform_operation_remove(operation=inline_form.instance, by=request.user)
        return None

    @admin.display(description=_("decide"))
    def decide_link(self, obj):
        if obj is None or obj.pk is None or not obj.actions:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:reforms_reformplan_decide", args=[obj.pk]), gettext("Act on this plan"))

    @admin.display(description=_("preview"))
    def preview(self, obj):
        """What the plan would do on its date (problems, units, regions); nothing is written."""
        if obj is None or obj.pk is None:
            return "—"
        if obj.status not in PREVIEWED_STATES:
            return gettext("The plan is “%(state)s”: the registry and the ledger show what it did.") % {
                "state": RequestState(obj.status).label}
        return render_to_string("reforms/preview.html", preview_context(obj))

    def get_urls(self):
        return [
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name="reforms_reformplan_decide"),
            *super().get_urls(),
        ]

    def allowed_actions(self, request, plan: ReformPlan) -> list[str]:
        """The plan's next steps this user may take: proposers submit and withdraw, the city office decides."""
        deciding = has_role(request.user, Role.CITY_OFFICE)
        proposing = may_propose(request.user, region_id=plan.region_id)
        return [action for action in plan.actions
                if (workflow.ACTION_ACTOR[action] == workflow.DECIDER and deciding)
                or (workflow.ACTION_ACTOR[action] == workflow.PROPOSER and proposing)]

    def decide_view(self, request, pk: int):
        plan = get_object_or_404(self.get_queryset(request), pk=pk)
        actions = self.allowed_actions(request, plan)
        if not actions:
            raise PermissionDenied
        form = DecisionForm(request.POST or None, actions=[(a, RequestAction(a).label) for a in actions],
                            documents=scope_queryset(ApprovalDocument.objects.all(), request.user))
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                PLAN_ACTIONS[data["action"]](plan, by=request.user, document=data["document"],
                                             reason=data["reason"], day=None)
            except ValidationError as error:
                put_errors(form, error)
            else:
                messages.success(request, gettext("Done: %(action)s.") % {
                    "action": RequestAction(data["action"]).label})
                return redirect("admin:reforms_reformplan_change", pk)
        context = {**self.admin_site.each_context(request), "title": gettext("Act on %(plan)s") % {"plan": plan},
                   "form": form, "opts": self.model._meta, "original": plan}
        return TemplateResponse(request, "admin/reforms/decide.html", context)


# --- the operation ------------------------------------------------------------------------------------------------
class StaffPlacementInline(ScopedChoicesMixin, admin.TabularInline):
    """Where the staff of the unit the operation ends or forms go; saved with the operation, through its service."""

    model = StaffPlacement
    extra = 0
    fields = PLACEMENT_FIELDS
    readonly_fields = ("band_label",)
    autocomplete_fields = ("from_institution", "to_institution")

    def get_fields(self, request, obj=None):
        # The band is stored by its code: a choice by its label where it is edited, its label where it is read.
        if self.has_change_permission(request, obj):
            return PLACEMENT_FIELDS
        return tuple("band_label" if name == "band" else name for name in PLACEMENT_FIELDS)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "band":
            return forms.ChoiceField(label=db_field.verbose_name, required=False,
                                     choices=[("", "—"), *ProfessionalBand.choices],
                                     help_text=_("For professional-technical staff."))
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description=_("band"))
    def band_label(self, placement: StaffPlacement) -> str:
        if placement.band in ProfessionalBand.values:
            return ProfessionalBand(placement.band).label
        return placement.band or "—"

    def has_add_permission(self, request, obj=None) -> bool:
        return _may_edit_operations(request, obj.plan if obj else None)

    def has_change_permission(self, request, obj=None) -> bool:
        return _may_edit_operations(request, obj.plan if obj else None)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _may_edit_operations(request, obj.plan if obj else None)


class SplitPartInline(admin.TabularInline):
    """The units a split forms; saved with the operation, through its service."""

    model = SplitPart
    extra = 0
    fields = SPLIT_PART_FIELDS

    def has_add_permission(self, request, obj=None) -> bool:
        return _may_edit_operations(request, obj.plan if obj else None)

    def has_change_permission(self, request, obj=None) -> bool:
        return _may_edit_operations(request, obj.plan if obj else None)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _may_edit_operations(request, obj.plan if obj else None)


@admin.register(ReformOperation)
class ReformOperationAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """One operation with its merged units and placements, saved together by ``reform_operation_save``."""

    list_display = ("__str__", "plan", "kind", "institution", "approved_total")
    list_filter = ("kind", "plan__status")
    list_select_related = ("plan", "institution")
    search_fields = ("plan__title", "new_name", "institution__name")
    inlines = (StaffPlacementInline, SplitPartInline)
    autocomplete_fields = ("institution", "sources", "new_supervisor")
    fields = ("plan", "position", "kind", "institution", "sources", "quota_type", "approved_total", "surplus",
              "market_path", "new_name", "new_region", "new_supervisor", "new_category", "new_funding_form",
              "must_exist_reason", "keep_names_as_plaques", "plaque_name", "reason", "created_unit", "result")

    def get_readonly_fields(self, request, obj=None):
        return ("plan", "created_unit", "result") if obj is not None else ("created_unit", "result")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "plan" and field is not None:
            field.queryset = field.queryset.filter(status=workflow.DRAFT)  # operations are added to drafts only
        return field

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, through the service, drafts only
        return actions

    def has_change_permission(self, request, obj=None) -> bool:
        return _is_draft(obj.plan if obj else None) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return _may_edit_operations(request, obj.plan if obj else None)

    def delete_model(self, request, obj):
        services.reform_operation_remove(operation=obj, by=request.user)

    def save_model(self, request, obj, form, change):
        """Saved in ``save_related``: the operation, its merged units and its placements in one service call."""

    def save_related(self, request, form, formsets, change):
        operation = form.instance
        placements = parts = None
        for formset in formsets:
            if formset.model is StaffPlacement:
                placements = self._placements(formset, PLACEMENT_FIELDS)
            if formset.model is SplitPart:
                parts = self._placements(formset, SPLIT_PART_FIELDS)
        values = {name: form.cleaned_data[name] for name in services.OPERATION_FIELDS if name in form.cleaned_data}
        if not change and "position" not in form.changed_data:
            values.pop("position", None)  # numbered after the plan's last operation
        saved = services.reform_operation_save(
            plan=operation.plan, by=request.user, operation=operation if change else None,
            sources=form.cleaned_data.get("sources"), placements=placements, parts=parts, **values)
        operation.pk = saved.pk
        operation.refresh_from_db()  # the admin's message and redirect name the saved operation

    @staticmethod
    def _placements(formset, fields) -> list[dict[str, Any]]:
        """Every placement (or part) the operation keeps (the service replaces them all); fills the change
        message's lists."""
        kept = [inline_form for inline_form in formset.forms if inline_form not in formset.deleted_forms
                and inline_form.cleaned_data and (inline_form.instance.pk or inline_form.has_changed())]
        formset.new_objects = [inline_form.instance for inline_form in kept if not inline_form.instance.pk]
        formset.changed_objects = [(inline_form.instance, inline_form.changed_data) for inline_form in kept
                                   if inline_form.instance.pk and inline_form.has_changed()]
        formset.deleted_objects = [inline_form.instance for inline_form in formset.deleted_forms
                                   if inline_form.instance.pk]
        return [{name: inline_form.cleaned_data.get(name) for name in fields} for inline_form in kept]
