"""Admin screens of the city/district workflow: requests (read-only, moved on a decision page through the services),
staff movements and return offers (read-only), the allowed loan cases and the workflow policy (editable)."""
from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin
from accounts.roles import Role, has_role
from core.admin_conflicts import ConflictSafeAdminMixin
from institutions.models import ApprovalDocument
from workflow import loans
from workflow import states as workflow
from workflow.actions import request_act
from workflow.models import (
    HiringPlan,
    HiringPlanLine,
    LoanCase,
    LoanReturn,
    LoanReturnOffer,
    QuotaUseNotice,
    RequestEvent,
    StaffMovement,
    TurnoverLoan,
    WorkflowPolicy,
)
from workflow.models.loans import OfferState
from workflow.models.requests import RequestAction
from workflow.transitions import may_propose


class DecisionForm(forms.Form):
    """What a step of a request needs: the action, the approval document, the reason or review, the date."""

    action = forms.ChoiceField(label=_("action"))
    document = forms.ModelChoiceField(ApprovalDocument.objects.all(), required=False, label=_("approval document"))
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False,
                             label=_("reason or review"))
    date = forms.DateField(required=False, label=_("date"), help_text=_("Empty: today."))

    def __init__(self, *args, actions: list[tuple[str, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = actions


class EventInline(GenericTabularInline):
    """The request's history: every step, who, when, why and on which document."""

    model = RequestEvent
    extra = 0
    can_delete = False
    fields = ("at", "action", "from_state", "to_state", "by", "reason", "document")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class WorkflowRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """A request is filed through the API (or the district's own system) and moved here on its decision page; its
    fields are never edited in the admin, so every rule runs in the services."""

    inlines = (EventInline,)
    list_filter = ("status",)
    search_fields = ("institution__name", "institution__credit_code")
    list_select_related = ("institution__region",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["decide_link"]

    @admin.display(description=_("decide"))
    def decide_link(self, obj):
        if not obj or not obj.actions:
            return "—"
        info = self.model._meta.app_label, self.model._meta.model_name
        return format_html('<a class="button" href="{}">{}</a>', reverse(f"admin:{info[0]}_{info[1]}_decide",
                                                                         args=[obj.pk]), gettext("Act on this request"))

    def get_urls(self):
        info = self.model._meta.app_label, self.model._meta.model_name
        return [
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view), name=f"{info[0]}_{info[1]}_decide"),
            *super().get_urls(),
        ]

    def allowed_actions(self, request, obj) -> list[str]:
        deciding = has_role(request.user, Role.CITY_OFFICE)
        proposing = may_propose(request.user, obj.institution)
        return [
            action for action in obj.actions
            if (workflow.ACTION_ACTOR[action] == workflow.DECIDER and deciding)
            or (workflow.ACTION_ACTOR[action] == workflow.PROPOSER and proposing)
        ]

    def decide_view(self, request, pk: int):
        obj = get_object_or_404(self.get_queryset(request), pk=pk)
        actions = self.allowed_actions(request, obj)
        if not actions:
            raise PermissionDenied
        form = DecisionForm(request.POST or None, actions=[(a, RequestAction(a).label) for a in actions])
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                request_act(obj, data["action"], by=request.user, document=data["document"], reason=data["reason"],
                         day=data["date"])
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    for text in texts:
                        form.add_error(field if field in form.fields else None, text)
            else:
                messages.success(request, gettext("Done: %(action)s.") % {
                    "action": RequestAction(data["action"]).label})
                info = self.model._meta.app_label, self.model._meta.model_name
                return redirect(f"admin:{info[0]}_{info[1]}_change", pk)
        context = {**self.admin_site.each_context(request), "title": gettext("Act on %(request)s") % {"request": obj},
                   "form": form, "opts": self.model._meta, "original": obj}
        return TemplateResponse(request, "workflow/admin_decide.html", context)


class HiringPlanLineInline(admin.TabularInline):
    model = HiringPlanLine
    extra = 0
    can_delete = False
    fields = ("quota_type", "category", "count")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(HiringPlan)
class HiringPlanAdmin(WorkflowRequestAdmin):
    list_display = ("institution", "year", "status", "expected_leavers", "decided_by", "decided_at")
    list_filter = ("status", "year")
    inlines = (HiringPlanLineInline, EventInline)



@admin.register(QuotaUseNotice)
class QuotaUseNoticeAdmin(WorkflowRequestAdmin):
    list_display = ("number", "institution", "quota_type", "category", "count", "taken_up", "status", "issued_on",
                    "valid_until")
    list_select_related = ("institution__region", "quota_type")
    list_filter = ("status", "category", "quota_type")
    search_fields = ("number", "institution__name", "institution__credit_code")



class LoanReturnInline(admin.TabularInline):
    model = LoanReturn
    extra = 0
    can_delete = False
    fields = ("date", "kind", "count", "transfer", "by")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TurnoverLoan)
class TurnoverLoanAdmin(WorkflowRequestAdmin):
    list_display = ("institution", "pool", "count", "returned", "status", "start_date", "due_date", "is_overdue")
    list_filter = ("status", "is_overdue", "talent_category", "case")
    list_select_related = ("institution__region", "pool__region", "pool__quota_type")
    inlines = (LoanReturnInline, EventInline)
    exclude = ("return_plan",)  # shown as return_plan_table

    def get_readonly_fields(self, request, obj=None):
        # The return plan is shown as a table of dates and leavers, not as its stored JSON.
        return [("return_plan_table" if name == "return_plan" else name)
                for name in super().get_readonly_fields(request, obj)]

    @admin.display(description=_("return plan"))
    def return_plan_table(self, loan: TurnoverLoan):
        if not loan.return_plan:
            return "—"
        rows = format_html_join("", "<tr><td>{}</td><td>{}</td></tr>",
                                ((item.get("date", "—"), item.get("count", "—")) for item in loan.return_plan))
        return format_html("<table><thead><tr><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>",
                           gettext("expected leaving date"), gettext("expected leavers"), rows)



class ReadOnlyAdmin(ScopedAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(StaffMovement)
class StaffMovementAdmin(ReadOnlyAdmin):
    list_display = ("date", "institution", "kind", "reason", "category", "count", "notice", "person_name")
    list_filter = ("kind", "reason", "category")
    list_select_related = ("institution", "notice")
    search_fields = ("institution__name", "person_name", "notice__number")
    date_hierarchy = "date"


@admin.register(LoanReturnOffer)
class LoanReturnOfferAdmin(ReadOnlyAdmin):
    """人走编收 offers; the city office accepts (posting the return) or declines on the offer's page."""

    list_display = ("loan", "count", "state", "created_at", "decided_by")
    list_filter = ("state",)
    list_select_related = ("loan__institution", "decided_by")
    readonly_fields = ("loan", "movement", "count", "state", "decided_by", "decided_at", "reason", "loan_return",
                       "decide_link")

    @admin.display(description=_("decide"))
    def decide_link(self, obj):
        if obj.state != OfferState.PENDING:
            return "—"
        return format_html('<a class="button" href="{}">{}</a>',
                           reverse("admin:workflow_loanreturnoffer_decide", args=[obj.pk]), gettext("Decide"))

    def get_urls(self):
        return [
            path("<int:pk>/decide/", self.admin_site.admin_view(self.decide_view),
                 name="workflow_loanreturnoffer_decide"),
            *super().get_urls(),
        ]

    def decide_view(self, request, pk: int):
        offer = get_object_or_404(self.get_queryset(request), pk=pk)
        if not has_role(request.user, Role.CITY_OFFICE) or offer.state != OfferState.PENDING:
            raise PermissionDenied
        form = DecisionForm(request.POST or None, actions=[("accept", _("Accept")), ("decline", _("Decline"))])
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "accept":
                    if data["document"] is None:
                        raise ValidationError({"document": gettext("Every move of quotas needs its approval "
                                                                   "document.")})
                    loans.loan_return_offer_accept(offer=offer, by=request.user, document=data["document"],
                                                   on=data["date"])
                else:
                    loans.loan_return_offer_decline(offer=offer, by=request.user, reason=data["reason"])
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    for text in texts:
                        form.add_error(field if field in form.fields else None, text)
            else:
                return redirect("admin:workflow_loanreturnoffer_change", pk)
        context = {**self.admin_site.each_context(request), "title": gettext("Act on %(request)s") % {
            "request": offer}, "form": form, "opts": self.model._meta, "original": offer}
        return TemplateResponse(request, "workflow/admin_decide.html", context)


@admin.register(LoanCase)
class LoanCaseAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ("name", "is_active", "sort_order")  # the code is the API's; readers see the name
    list_editable = ("is_active", "sort_order")
    search_fields = ("name", "code")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # switch a case off instead: loans refer to it

    def get_exclude(self, request, obj=None):
        # The code is what the API and the districts' systems send; a reader who cannot change it sees the name.
        return () if self.has_change_permission(request, obj) else ("code",)


@admin.register(WorkflowPolicy)
class WorkflowPolicyAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    """The one policy row: add it once, then edit it."""

    list_display = ("__str__", "notice_office_code", "notice_validity_days", "loan_max_term_months",
                    "loan_refused_with_vacancy", "loan_within_expected_leavers")

    def has_add_permission(self, request) -> bool:
        return not WorkflowPolicy.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
