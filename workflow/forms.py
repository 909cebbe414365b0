"""Forms of the vacancy-reclamation page."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_queryset
from core.dates import validate_date
from institutions.models import ApprovalDocument, Region
from quotas.models import QuotaType


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
