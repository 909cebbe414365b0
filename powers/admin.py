"""Screens of the power lists: power-list items and law-enforcement items. The city office writes every region's;
a district office reads and writes its own region's (its choices of units are its region's)."""
from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin, ScopedHistoryMixin
from core.history import HistoryAdmin
from powers.choices import STEP_ORDER, ResponsibilityStep
from powers.models import EnforcementPower, PowerItem


class PowerItemForm(forms.ModelForm):
    responsibility_steps = forms.MultipleChoiceField(
        label=_("responsibility chain"), choices=ResponsibilityStep.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A penalty item without steps gets the full chain."))

    class Meta:
        model = PowerItem
        fields = ("name", "power_type", "code", "holder", "legal_basis", "article", "responsibility_steps",
                  "accountability", "remarks", "disposition", "receiver", "cleanup_reason", "document")

    def clean_responsibility_steps(self) -> list[str]:
        return sorted(self.cleaned_data.get("responsibility_steps") or [], key=STEP_ORDER.index)


@admin.register(PowerItem)
class PowerItemAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    form = PowerItemForm
    list_display = ("code", "name", "power_type", "holder", "region", "disposition", "receiver")
    list_filter = ("power_type", "disposition", ("region", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("holder", "region", "receiver")
    search_fields = ("code", "name", "holder__name", "legal_basis")
    autocomplete_fields = ("holder", "receiver", "document")
    readonly_fields = ("region",)
    fieldsets = (
        (None, {"fields": ("name", "power_type", "code", "holder", "region")}),
        (_("Legal basis and responsibility"), {"fields": ("legal_basis", "article", "responsibility_steps",
                                                           "accountability", "remarks")}),
        (_("Disposition"), {"fields": ("disposition", "receiver", "cleanup_reason", "document")}),
    )


@admin.register(EnforcementPower)
class EnforcementPowerAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    list_display = ("code", "name", "power_type", "district", "department", "executing_body")
    list_filter = ("power_type", ("district", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("district", "department", "executing_body")
    search_fields = ("code", "name", "department__name", "executing_body__name", "legal_basis")
    autocomplete_fields = ("district", "department", "executing_body")
    fields = ("name", "power_type", "code", "district", "department", "executing_body", "legal_basis", "article")
