"""Admin forms of the mandates app. Each writes through its service (``mandates.services``) while the form is
validated, so that a service's ``ValidationError`` shows beside its field and nothing is written."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope_queryset
from institutions.models import ApprovalDocument, InternalDivision
from mandates import services
from mandates.models import Charter, Mandate, PartyKind, PartyOrganisation
from mandates.models.party import DIVISION_FIELDS


def show_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's refusal on the form: each message beside its field (the others above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item)
    else:
        form.add_error(None, error)


class LinesField(forms.CharField):
    """A list of texts, one a line (main duties, affiliated units)."""

    widget = forms.Textarea(attrs={"rows": 5})

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("One a line."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return "\n".join(value) if isinstance(value, list) else value

    def to_python(self, value) -> list[str]:
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ServiceModelForm(forms.ModelForm):
    """A model form whose saving is its service, run once the fields are valid; ``saved`` is the service's row.

    ``user`` is set by the admin (``get_form``); ``write(data)`` calls the service.
    """

    user = None
    saved = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "document" in self.fields and self.user is not None:
            self.fields["document"].queryset = scope_queryset(ApprovalDocument.objects.all(), self.user)

    def _post_clean(self) -> None:
        if self.errors:
            return
        try:
            self.saved = self.write(self.cleaned_data)
        except ValidationError as error:
            show_errors(self, error)

    def write(self, data: dict):
        raise NotImplementedError


class MandateAdminForm(ServiceModelForm):
    duties = LinesField(label=_("main duties"))
    affiliated_units = LinesField(label=_("affiliated units"))

    class Meta:
        model = Mandate
        fields = ("institution", *services.MANDATE_FIELDS)

    def write(self, data: dict) -> Mandate:
        values = {name: data[name] for name in services.MANDATE_FIELDS if name in data}
        if values.get("divisions") is None and "divisions" in values:
            values["divisions"] = []
        if self.instance.pk:
            return services.mandate_update(mandate=self.instance, by=self.user, **values)
        return services.mandate_create(by=self.user, institution=data["institution"], **values)


class CharterAdminForm(ServiceModelForm):
    class Meta:
        model = Charter
        fields = ("institution", *services.CHARTER_FIELDS)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not self.instance.pk:  # a new draft: the registered particulars not given are the registry's
            for name in services.CHARTER_FROM_REGISTRY:
                if name in self.fields:
                    self.fields[name].required = False
                    self.fields[name].help_text = _("Empty: as the registry has it.")

    def write(self, data: dict) -> Charter:
        values = {name: data[name] for name in services.CHARTER_FIELDS if name in data}
        if self.instance.pk:
            return services.charter_update(charter=self.instance, by=self.user, **values)
        for name in services.CHARTER_FROM_REGISTRY:
            if values.get(name) in (None, ""):
                values.pop(name, None)
        return services.charter_create(by=self.user, institution=data["institution"], **values)


class EventFields(forms.Form):
    """What every event of a party organisation needs: its document and date (and an optional note)."""

    document = forms.ModelChoiceField(ApprovalDocument.objects.none(), required=False, label=_("approval document"))
    date = forms.DateField(label=_("date"), help_text=_("YYYY-MM-DD"))
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("detail"))


class PartyEstablishForm(ServiceModelForm):
    """Setting up a party organisation (its first event) on its document and date."""

    document = forms.ModelChoiceField(ApprovalDocument.objects.all(), required=False, label=_("approval document"))
    date = forms.DateField(label=_("date of establishment"), help_text=_("YYYY-MM-DD"))
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label=_("detail"))

    class Meta:
        model = PartyOrganisation
        fields = ("institution", "kind", "name", "secretary_posts", "deputy_posts", *DIVISION_FIELDS)

    def write(self, data: dict) -> PartyOrganisation:
        return services.party_organisation_establish(
            by=self.user, institution=data["institution"], kind=data["kind"], name=data["name"],
            secretary_posts=data["secretary_posts"], deputy_posts=data["deputy_posts"],
            party_affairs_division=data.get("party_affairs_division"),
            discipline_division=data.get("discipline_division"), document=data["document"], date=data["date"],
            detail=data.get("detail", ""))


class PartyRenameForm(EventFields):
    name = forms.CharField(max_length=200, label=_("new name"))
    field_order = ("name", "document", "date", "detail")


class PartyAdjustForm(EventFields):
    kind = forms.ChoiceField(choices=PartyKind.choices, label=_("kind"))
    secretary_posts = forms.IntegerField(min_value=0, max_value=20, label=_("secretary posts"))
    deputy_posts = forms.IntegerField(min_value=0, max_value=20, label=_("deputy secretary posts"))
    party_affairs_division = forms.ModelChoiceField(InternalDivision.objects.none(), required=False,
                                                    label=_("party-affairs division"))
    discipline_division = forms.ModelChoiceField(InternalDivision.objects.none(), required=False,
                                                 label=_("discipline-inspection division"))
    field_order = ("kind", "secretary_posts", "deputy_posts", *DIVISION_FIELDS, "document", "date", "detail")


class ApproveForm(forms.Form):
    """The approval of a draft: its document and (empty: the document's) effective date."""

    document = forms.ModelChoiceField(ApprovalDocument.objects.none(), required=False, label=_("approval document"))
    effective_date = forms.DateField(required=False, label=_("effective date"),
                                     help_text=_("Empty: the document's effective date."))
