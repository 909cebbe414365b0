"""Ledger screens: accounts with balances and statements; transfers read-only; posting through the services."""
from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin
from accounts.roles import Role, has_role
from accounts.scoping import scope_queryset
from core.admin_conflicts import ConflictSafeAdminMixin
from quotas import services
from quotas.forms import DEFAULT_STATEMENT_START, DocumentDateForm, StatementForm, TransferPostForm
from quotas.models import QuotaAccount, QuotaTransfer, QuotaType
from quotas.selectors import account_statement


def _require_city_office(request) -> None:
    if not has_role(request.user, Role.CITY_OFFICE):
        raise PermissionDenied


def _field_label(name: str) -> str:
    """A transfer field's name as the reader knows it (``reverses`` → its verbose name)."""
    try:
        return str(QuotaTransfer._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _errors_to_messages(request, error: ValidationError) -> None:
    for field, texts in error.message_dict.items():
        for text in texts:
            messages.error(request, text if field == "__all__" else gettext("%(field)s: %(error)s") % {
                "field": _field_label(field), "error": text})


@admin.register(QuotaType)
class QuotaTypeAdmin(ConflictSafeAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "code")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QuotaAccount)
class QuotaAccountAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("holder", "holder_kind", "region", "quota_type", "balance", "statement_link")
    list_filter = ("holder_kind", "quota_type", "region")
    search_fields = ("institution__name", "institution__credit_code", "region__name", "region__code")
    list_select_related = ("region", "institution", "quota_type")
    readonly_fields = ("holder_kind", "region", "institution", "sector", "quota_type", "balance", "is_active")
    fields = readonly_fields

    @admin.display(description=_("holder"), ordering="institution__name")
    def holder(self, account: QuotaAccount) -> str:
        return account.holder_name

    @admin.display(description=_("statement"))
    def statement_link(self, account: QuotaAccount) -> str:
        return format_html('<a href="{}">{}</a>', reverse("admin:quotas_quotaaccount_statement", args=[account.pk]),
                           _("statement"))

    def has_add_permission(self, request) -> bool:
        return False  # accounts open themselves when the services first move quotas to a holder

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path("<int:pk>/statement/", self.admin_site.admin_view(self.statement_view),
                 name="quotas_quotaaccount_statement"),
            *super().get_urls(),
        ]

    def statement_view(self, request, pk: int):
        account = get_object_or_404(self.get_queryset(request), pk=pk)
        form = StatementForm(request.GET or {"start": DEFAULT_STATEMENT_START, "end": timezone.localdate()})
        statement = account_statement(account, form.cleaned_data["start"], form.cleaned_data["end"]) \
            if form.is_valid() else None
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Statement"),
            "account": account, "form": form, "statement": statement,
        }
        return TemplateResponse(request, "admin/quotas/statement.html", context)


@admin.register(QuotaTransfer)
class QuotaTransferAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("id", "effective_date", "kind", "source", "target", "amount", "document", "created_by")
    list_filter = ("kind", "effective_date", "source__quota_type")
    search_fields = ("document__number", "note", "source__institution__name", "target__institution__name")
    list_select_related = ("source__region", "source__institution", "source__quota_type", "target__region",
                           "target__institution", "target__quota_type", "document", "created_by")
    date_hierarchy = "effective_date"
    actions = ["reverse_transfers"]
    change_list_template = "admin/quotas/quotatransfer/change_list.html"

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # new transfers go through the "post a transfer" page (the services)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [path("post/", self.admin_site.admin_view(self.post_view), name="quotas_quotatransfer_post"),
                *super().get_urls()]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_post": has_role(request.user, Role.CITY_OFFICE)}
        return super().changelist_view(request, extra_context)

    def post_view(self, request):
        _require_city_office(request)
        accounts = scope_queryset(QuotaAccount.objects.all(), request.user)
        form = TransferPostForm(request.POST or None, accounts=accounts)
        if request.method == "POST" and form.is_valid():
            try:
                transfer = services.quota_move(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                for field, texts in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, texts)
            else:
                self.message_user(request, _("Transfer #%(id)d posted.") % {"id": transfer.pk}, messages.SUCCESS)
                return redirect("admin:quotas_quotatransfer_changelist")
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Post a transfer"),
            "form": form, "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/quotas/post_transfer.html", context)

    @admin.action(description=_("Reverse the selected transfers"))
    def reverse_transfers(self, request, queryset):
        _require_city_office(request)
        form = DocumentDateForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            try:
                with transaction.atomic():  # all or none
                    for transfer in queryset.order_by("pk"):
                        services.quota_transfer_reverse(transfer=transfer, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _errors_to_messages(request, error)
                return None
            self.message_user(request, _("Reversals posted."), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "title": _("Reverse transfers"),
            "form": form, "queryset": queryset, "action": "reverse_transfers",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME, "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/quotas/reverse_confirm.html", context)
