"""Excel import and export of position plans and staff counts (the HR bureau's bulk entry path).

Built on the registry's import base (``institutions.resources.RegistryResource``): every row is checked first
without a transaction, then the rows that change are written in one transaction, and nothing is written when any
row is bad; each bad row is reported with its row number, column and reason, each row with its unit. The unit of a
row is named by its credit code, or by its division code and name. Rows are validated by the model
(``full_clean``) and by the plan's binding rules, and saved through ``positions.services``, so an import refuses
what the admin and the API refuse, with the same messages; a row for a unit and date already entered corrects that
plan or count.
"""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export.fields import Field

from accounts.scoping import scope_queryset
from institutions.models import Institution
from institutions.resources import (
    ChoiceWidget,
    DayWidget,
    DocumentNumberWidget,
    KeyLookupWidget,
    RegistryResource,
    TextWidget,
    WholeNumberWidget,
    cell_text,
    find_institution,
)
from positions import services
from positions.choices import MainPostType
from positions.models import PositionPlan, PositionRuleSet, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS
from positions.models.staff import STAFF_COUNT_FIELDS


class RuleSetNameWidget(KeyLookupWidget):
    missing = _("No rule set named “%(value)s”.")

    def __init__(self, **kwargs) -> None:
        super().__init__(PositionRuleSet, "name", **kwargs)


def _count_fields(names) -> dict[str, Field]:
    return {name: Field(attribute=name, widget=WholeNumberWidget(), default=0) for name in names}


class UnitRowResource(RegistryResource):
    """A resource whose rows belong to a unit named by credit code, or by division code and name. The unit must be
    in the registry already, so a row never depends on another row of the file (``rows_stand_alone``)."""

    rows_stand_alone = True
    institution_credit_code = Field(column_name=_("credit code of the institution"), widget=TextWidget())
    region_code = Field(column_name=_("division code"), widget=TextWidget())
    institution_name = Field(column_name=_("institution"), widget=TextWidget())
    date_field = ""

    def before_import(self, dataset, **kwargs) -> None:
        """Read the units the file names by credit code, and their stored rows, in two queries (not two a row).

        Read again at each pass: a row's stored instance takes the row's values as it is read, so a later row of
        the file for the same unit and date is compared with them, as if the earlier row had been written."""
        # Empty when the base refuses the whole file (its rows are still read, each then refused on its own).
        self._units_by_code, self._preloaded, self._stored = {}, set(), {}
        super().before_import(dataset, **kwargs)
        header = self.column("institution_credit_code")
        codes = sorted({cell_text(value) for value in dataset[header]} - {""}) if header in dataset.headers else []
        self._units_by_code = {unit.credit_code: unit for unit in self._visible_units().filter(
            credit_code__in=codes).select_related("region")}
        self._preloaded = {unit.pk for unit in self._units_by_code.values()}
        for stored in self._meta.model.objects.filter(institution__in=list(self._units_by_code.values())) \
                .select_related("institution__region").order_by("pk"):
            self._stored.setdefault((stored.institution_id, getattr(stored, self.date_field)), stored)

    def _visible_units(self):
        return Institution.objects.all() if self.user is None else scope_queryset(Institution.objects.all(), self.user)

    def _institution_of(self, row) -> Institution:
        """The row's unit, or ``ValidationError`` against the column that failed to name one."""
        credit_code = cell_text(row.get(self.column("institution_credit_code")))
        if credit_code in self._units_by_code:
            return self._units_by_code[credit_code]
        visible = self._visible_units()
        region_code = cell_text(row.get(self.column("region_code")))
        name = cell_text(row.get(self.column("institution_name")))
        if not credit_code and not (region_code and name):
            raise ValidationError(
                {"institution_name": gettext("Give the institution's credit code, or its division code and name.")}
            )
        try:
            return find_institution(visible, credit_code=credit_code, name=name, region_code=region_code)
        except ValueError as exc:
            column = "institution_credit_code" if credit_code else "institution_name"
            raise ValidationError({column: str(exc)}) from None

    def before_import_row(self, row, **kwargs) -> None:
        try:
            self._row_institution, self._row_institution_error = self._institution_of(row), None
        except ValidationError as exc:
            self._row_institution, self._row_institution_error = None, exc

    def get_instance(self, instance_loader, row):
        if self._row_institution is None:
            return None
        try:
            day = self.fields[self.date_field].clean(row)
        except ValueError:  # reported against its column when the row's fields are read
            return None
        if day is None:
            return None
        key = (self._row_institution.pk, day)
        if key in self._stored or (self._stage == "check" and self._row_institution.pk in self._preloaded):
            return self._stored.get(key)
        # A unit named otherwise, or a row an earlier row of the file has just written (the second pass).
        return self._meta.model.objects.filter(institution=self._row_institution, **{self.date_field: day}).first()

    def import_instance(self, instance, row, **kwargs) -> None:
        if self._row_institution is not None:
            instance.institution = self._row_institution
        super().import_instance(instance, row, **kwargs)

    def row_label(self, instance) -> str:
        return self._row_institution.name if self._row_institution is not None else ""

    def checked_already(self, import_validation_errors) -> bool:
        """True in the second pass for a row without an error so far: the first pass checked it, and the service
        checks it again as it saves it (``saved``), so the write transaction runs each row's checks once."""
        return self._stage == "write" and not import_validation_errors and self._row_institution_error is None

    def saved(self, save, **kwargs) -> None:
        """Call the service ``save``; its refusal is reported against the file's columns."""
        try:
            save(**kwargs, by=self.user)
        except ValidationError as exc:
            raise ValidationError(self._errors_by_column(exc)) from exc

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        if self.checked_already(import_validation_errors):
            return
        errors = dict(import_validation_errors or {})
        if self._row_institution_error is not None:
            errors = self._row_institution_error.update_error_dict(errors)
            errors.setdefault("institution", [])  # known already: keeps "institution cannot be null" out
        try:
            super().validate_instance(instance, errors, validate_unique)
        except ValidationError as exc:
            raise ValidationError({key: value for key, value in exc.error_dict.items() if value}) from exc

    def dehydrate_institution_credit_code(self, instance) -> str:
        return instance.institution.credit_code or ""

    def dehydrate_region_code(self, instance) -> str:
        return instance.institution.region.code

    def dehydrate_institution_name(self, instance) -> str:
        return instance.institution.name

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("institution__region")


class PositionPlanResource(UnitRowResource):
    effective_date = Field(attribute="effective_date", widget=DayWidget())
    document = Field(attribute="document", column_name=_("filing document"), widget=DocumentNumberWidget())
    main_post_type = Field(
        attribute="main_post_type", widget=ChoiceWidget(MainPostType), default=MainPostType.PROFESSIONAL_SERVICE
    )
    rule_set = Field(attribute="rule_set", widget=RuleSetNameWidget())
    note = Field(attribute="note", widget=TextWidget())
    locals().update(_count_fields(PLAN_COUNT_FIELDS))
    date_field = "effective_date"

    class Meta:
        model = PositionPlan
        name = _("Position plans")
        fields = (
            "institution_credit_code", "region_code", "institution_name", "effective_date", "document",
            "main_post_type", "rule_set", *PLAN_COUNT_FIELDS, "note",
        )
        import_order = export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        if self.checked_already(import_validation_errors):
            return
        super().validate_instance(instance, import_validation_errors, validate_unique)
        # The rules need the unit; with the row valid so far, a broken binding rule refuses it like the API does.
        refusal = services.binding_refusal(services.position_plan_check(plan=instance))
        if refusal is not None:
            raise ValidationError(self._errors_by_column(refusal))

    def do_instance_save(self, instance, is_create) -> None:
        self.saved(services.position_plan_save, plan=instance)

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("institution__region", "document", "rule_set")


class StaffCountResource(UnitRowResource):
    as_of = Field(attribute="as_of", widget=DayWidget())
    note = Field(attribute="note", widget=TextWidget())
    locals().update(_count_fields(STAFF_COUNT_FIELDS))
    date_field = "as_of"

    class Meta:
        model = StaffCount
        name = _("Staff counts")
        fields = ("institution_credit_code", "region_code", "institution_name", "as_of", *STAFF_COUNT_FIELDS, "note")
        import_order = export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def do_instance_save(self, instance, is_create) -> None:
        self.saved(services.staff_count_save, staff_count=instance)
