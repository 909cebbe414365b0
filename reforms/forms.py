"""Forms of the reform plan pages (``reforms.pages``): a plan's heading, an operation with its merged units, staff
placements and the parts of a split.

They collect and parse input; ``reforms.services`` checks every rule (the region, the state, what each kind of
operation needs), and its ``ValidationError`` is put back on the form by the page. Units are searched as the user
types (``core.widgets``); the scoped querysets decide what is a valid choice.
"""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_queryset
from core.constraints import TEXT_LIMIT
from institutions.models import Institution, Region
from positions.choices import ProfessionalBand
from reforms.models import PLACEMENT_FIELDS, SPLIT_PART_FIELDS, ReformOperation, ReformPlan, SplitPart, StaffPlacement
from reforms.services import OPERATION_FIELDS
from workflow.forms import UnitChoiceField, date_field, visible_units


class ReformPlanForm(forms.Form):
    """A plan's heading: a district office drafts for its own region, the city office for any region."""

    title = forms.CharField(label=_("title"), max_length=200)
    region = forms.ModelChoiceField(Region.objects.none(), label=_("region"),
                                    help_text=ReformPlan._meta.get_field("region").help_text)
    effective_date = date_field(_("effective date"))
    description = forms.CharField(label=_("description"), required=False, max_length=TEXT_LIMIT,
                                  widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user=None, editing: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope_queryset(Region.objects.all(), user).order_by("code")
        if editing:  # a plan stays with its region
            self.fields["region"].disabled = True


class ReformOperationForm(forms.ModelForm):
    """One operation of a draft plan; which fields it reads depends on its kind (the preview names what is
    missing)."""

    class Meta:
        model = ReformOperation
        fields = OPERATION_FIELDS
        field_classes = {"institution": UnitChoiceField, "new_supervisor": UnitChoiceField}
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = visible_units(user)
        self.fields["new_supervisor"].queryset = visible_units(user)
        self.fields["new_region"].queryset = Region.objects.order_by("code")  # a devolution's receiver: any region
        self.fields["position"].required = False
        self.fields["position"].help_text = _("Empty: after the plan's last operation.")


class SourceForm(forms.Form):
    """A unit a merger ends; a row left empty is no unit."""

    unit = UnitChoiceField(Institution.objects.none(), label=_("merged unit"), required=False)

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_units(user)


class PlacementForm(forms.ModelForm):
    """Where some of the staff go (分流安置): to a receiving unit, or off the quota."""

    band = forms.ChoiceField(label=_("band"), required=False, choices=[("", "—"), *ProfessionalBand.choices],
                             help_text=_("For professional-technical staff."))

    class Meta:
        model = StaffPlacement
        fields = PLACEMENT_FIELDS
        field_classes = {"from_institution": UnitChoiceField, "to_institution": UnitChoiceField}

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("from_institution", "to_institution"):
            self.fields[name].queryset = visible_units(user)


class SplitPartForm(forms.ModelForm):
    """A unit a split forms: its name, its quotas and the staff who go with it."""

    class Meta:
        model = SplitPart
        fields = SPLIT_PART_FIELDS


SourceFormSet = forms.formset_factory(SourceForm, extra=1, can_delete=True)
PlacementFormSet = forms.formset_factory(PlacementForm, extra=0, can_delete=True)
SplitPartFormSet = forms.formset_factory(SplitPartForm, extra=0, can_delete=True)
