"""Forms of the positions screens: plan and staff-count entry (admin), notice issuing, reconciliation filters."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import validate_date
from core.scoping import scope_queryset
from institutions.choices import Category, InstitutionKind
from institutions.models import ApprovalDocument, Institution, Region
from positions import services
from positions.choices import ReconciliationFlag
from positions.models import PositionPlan, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.models.staff import STAFF_COUNT_FIELDS
from quotas.models import QuotaType


class PositionPlanAdminForm(forms.ModelForm):
    """The admin's plan form: the model's checks, then the plan's binding rules, each beside its field."""

    class Meta:
        model = PositionPlan
        fields = ("institution", "effective_date", "document", "main_post_type", "rule_set", "note",
                  *PLAN_COUNT_FIELDS)

    def _post_clean(self) -> None:
        super()._post_clean()  # builds the instance and runs the model's full_clean()
        if self.errors or not self.instance.institution_id:
            return
        refusal = services.binding_refusal(services.position_plan_check(plan=self.instance))
        if refusal is not None:
            for field, messages in refusal.message_dict.items():
                for message in messages:
                    self.add_error(field if field in self.fields else None, message)


class StaffCountAdminForm(forms.ModelForm):
    class Meta:
        model = StaffCount
        fields = ("institution", "as_of", *STAFF_COUNT_FIELDS, "note")


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
    supervisor = forms.ModelChoiceField(Institution.objects.none(), required=False,
                                        label=_("supervising department"))
    category = forms.ChoiceField(choices=[("", "---------"), *Category.choices], required=False,
                                 label=_("institution category"))
    flag = forms.ChoiceField(choices=[("", "---------"), *ReconciliationFlag.choices], required=False,
                             label=_("flag"))
    name = forms.CharField(required=False, label=_("name contains"))
    on = forms.DateField(required=False, label=_("figures as of"), help_text=_("Empty: today."),
                         widget=forms.DateInput(attrs={"type": "date"}), validators=[validate_date])

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope_queryset(Region.objects.all(), user)
        self.fields["supervisor"].queryset = scope_queryset(
            Institution.objects.filter(kind=InstitutionKind.AGENCY), user
        ).select_related("region").order_by("region__code", "name")

    def apply(self, queryset):
        """Narrow an annotated reconciliation queryset by the cleaned filters (all but ``on``)."""
        from positions.selectors import filter_flag

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


class ReclamationFilterForm(forms.Form):
    """Which units the reclamation preview covers (GET): a region of the user's, the quota type."""

    region = forms.ModelChoiceField(Region.objects.none(), required=False, label=_("region"),
                                    help_text=_("Empty: every region you see."))
    quota_type = forms.ModelChoiceField(QuotaType.objects.all(), required=False, label=_("quota type"),
                                        help_text=_("Empty: institutional quotas."))

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope_queryset(Region.objects.all(), user)


class ReclamationApplyForm(forms.Form):
    """The decision: its approval document and effective date."""

    document = forms.ModelChoiceField(ApprovalDocument.objects.all(), label=_("approval document"))
    effective_date = forms.DateField(label=_("effective date"), widget=forms.DateInput(attrs={"type": "date"}),
                                     validators=[validate_date])
