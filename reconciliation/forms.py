"""Forms of the reconciliation screens: its filters and notice issuing."""
from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_queryset
from core.dates import validate_date
from core.forms import IsoDateInput
from core.widgets import UNITS_JSON_URL, UnitAutocompleteWidget
from institutions.choices import Category, InstitutionKind
from institutions.models import ApprovalDocument, Institution, Region
from reconciliation.choices import ReconciliationFlag


class NoticeIssueForm(forms.Form):
    """Issue a direction notice to one unit, or to a supervising department and each of its units."""

    institution = forms.ModelChoiceField(Institution.objects.none(), required=False, label=_("institution"))
    supervisor = forms.ModelChoiceField(Institution.objects.none(), required=False,
                                        label=_("supervising department"))
    document = forms.ModelChoiceField(ApprovalDocument.objects.all(), label=_("basis document"))
    issued_on = forms.DateField(required=False, label=_("issued on"), help_text=_("Empty: today."),
                                validators=[validate_date])

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        visible = scope_queryset(Institution.objects.all(), user)
        self.fields["institution"].queryset = visible.filter(kind=InstitutionKind.PUBLIC_INSTITUTION)
        self.fields["supervisor"].queryset = visible.filter(kind=InstitutionKind.AGENCY)
        self.visible_institutions = visible

    def clean(self):
        data = super().clean()
        if bool(data.get("institution")) == bool(data.get("supervisor")):
            raise forms.ValidationError(_("Name either a unit or a supervising department."))
        return data


class ReconciliationFilterForm(forms.Form):
    """The reconciliation page's filters (GET parameters); choices are the user's regions and departments."""

    region = forms.ModelChoiceField(Region.objects.none(), required=False, label=_("region"))
    supervisor = forms.ModelChoiceField(
        Institution.objects.none(), required=False, label=_("supervising department"),
        widget=UnitAutocompleteWidget(url=format_lazy("{}?kind={}", UNITS_JSON_URL, InstitutionKind.AGENCY),
                                      region_field="region"))  # a province has thousands: searched as typed
    category = forms.ChoiceField(choices=[("", "---------"), *Category.choices], required=False,
                                 label=_("institution category"))
    flag = forms.ChoiceField(choices=[("", "---------"), *ReconciliationFlag.choices], required=False,
                             label=_("flag"))
    name = forms.CharField(required=False, label=_("name contains"))
    on = forms.DateField(required=False, label=_("figures as of"), help_text=_("Empty: today."),
                         widget=IsoDateInput(), validators=[validate_date])

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope_queryset(Region.objects.all(), user)
        self.fields["supervisor"].queryset = scope_queryset(
            Institution.objects.filter(kind=InstitutionKind.AGENCY), user
        ).select_related("region").order_by("region__code", "name")

    def apply(self, queryset):
        """Narrow an annotated reconciliation queryset by the cleaned filters (all but ``on``)."""
        from reconciliation.selectors import filter_flag

        data = self.cleaned_data
        if data.get("region"):
            queryset = queryset.filter(region=data["region"])
        if data.get("supervisor"):
            queryset = queryset.filter(supervisor=data["supervisor"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("name"):
            queryset = queryset.filter(name__icontains=data["name"])
        if data.get("flag"):
            queryset = filter_flag(queryset, data["flag"])
        return queryset
