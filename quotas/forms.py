"""Forms of the ledger screens; they only collect input, the services decide."""
import datetime

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import IsoDateInput
from institutions.models import ApprovalDocument
from quotas.choices import TransferKind
from quotas.models import QuotaAccount, QuotaTransfer


def _autocomplete(field_name: str, model=QuotaTransfer):
    return AutocompleteSelect(model._meta.get_field(field_name), admin.site)


class StatementForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=IsoDateInput())
    end = forms.DateField(label=_("To"), widget=IsoDateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise forms.ValidationError({"end": _("The end date is before the start date.")})
        return data


class DocumentDateForm(forms.Form):
    """What every ledger action asks for: the approval document and the effective date."""

    document = forms.ModelChoiceField(
        label=_("Approval document"), queryset=ApprovalDocument.objects.all(), widget=_autocomplete("document")
    )
    effective_date = forms.DateField(
        label=_("Effective date"), initial=timezone.localdate, widget=IsoDateInput()
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TransferPostForm(DocumentDateForm):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=[c for c in TransferKind.choices if c[0] != TransferKind.REVERSAL]
    )
    source = forms.ModelChoiceField(
        label=_("From account"), queryset=QuotaAccount.objects.all(), required=False, widget=_autocomplete("source"),
        help_text=_("Leave empty for a grant (from the province)."),
    )
    target = forms.ModelChoiceField(
        label=_("To account"), queryset=QuotaAccount.objects.all(), required=False, widget=_autocomplete("target"),
        help_text=_("Leave empty for a cancellation (to the province)."),
    )
    amount = forms.IntegerField(label=_("Amount"), min_value=1)
    field_order = ["kind", "source", "target", "amount", "document", "effective_date", "note"]

    def __init__(self, *args, accounts=None, **kwargs):
        super().__init__(*args, **kwargs)
        if accounts is not None:
            self.fields["source"].queryset = accounts
            self.fields["target"].queryset = accounts


DEFAULT_STATEMENT_START = datetime.date(2000, 1, 1)
