"""Admin forms of the registry: documents entered by typed number or by parts; inline rows checked like the model."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import UniqueConstraint
from django.forms.models import InlineForeignKeyField
from django.utils.translation import gettext_lazy as _

from institutions.models import ApprovalDocument

NUMBER_PARTS = ("office_code", "year", "serial")


class ApprovalDocumentForm(forms.ModelForm):
    """Type the number (哈编发〔2020〕12号) or fill office code, year and serial; a typed number wins.

    The number is parsed by ``ApprovalDocument.set_number_from``, so the admin refuses what the API refuses,
    and model errors about the parts of a typed number are shown beside the number the user typed.
    """

    number_text = forms.CharField(
        label=_("document number"),
        max_length=60,
        required=False,
        help_text=_("Type the whole number, e.g. 哈编发〔2020〕12号, or fill in office code, year and serial instead."),
    )

    class Meta:
        model = ApprovalDocument
        fields = (
            "number_text", "office_code", "year", "serial", "region", "issuer", "kind", "title", "date_issued",
            "date_effective", "file",
        )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._number_typed = False
        for name in NUMBER_PARTS:
            if name in self.fields:  # a reader's form has no editable fields at all
                self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        text = (cleaned.get("number_text") or "").strip()
        self._number_typed = bool(text)
        if text:
            parsed = ApprovalDocument()
            try:
                parsed.set_number_from(text)
            except ValidationError as exc:
                self.add_error("number_text", exc.message_dict["number"])
                return cleaned
            for name in NUMBER_PARTS:
                cleaned[name] = getattr(parsed, name)
                self.errors.pop(name, None)
        else:
            for name in NUMBER_PARTS:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(name, ValidationError(self.fields[name].error_messages["required"], code="required"))
        return cleaned

    def _update_errors(self, errors: ValidationError) -> None:
        # The model reports a duplicate number or a year that differs from the issue date against office code,
        # year or serial; when the user typed the number, that is the field to correct.
        if self._number_typed and hasattr(errors, "error_dict"):
            moved = [error for name in NUMBER_PARTS for error in errors.error_dict.pop(name, [])]
            if moved:
                errors.error_dict.setdefault("number_text", []).extend(moved)
        super()._update_errors(errors)


class InlineConstraintsForm(forms.ModelForm):
    """An inline row (e.g. a division on its institution's page) checked against the model's unique constraints.

    Django leaves the inline's foreign key out of ``full_clean`` and its form-level uniqueness check ignores
    ``Meta.constraints``, so a constraint such as "one division of each name per institution" would only be met
    by the database, as an IntegrityError. Here it is checked and reported beside the field, like elsewhere.
    """

    def validate_unique(self) -> None:
        super().validate_unique()
        parent_fields = {name for name, field in self.fields.items() if isinstance(field, InlineForeignKeyField)}
        exclude = self._get_validation_exclusions() - parent_fields
        model = type(self.instance)
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and parent_fields & set(constraint.fields):
                try:
                    constraint.validate(model, self.instance, exclude=exclude)
                except ValidationError as exc:
                    self._update_errors(exc)
