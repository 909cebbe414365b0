"""Excel import and export of the registry: regions, institutions and internal divisions.

An import writes nothing when any row is bad. Every bad row is reported with its row number, its column (by header)
and the reason; the reasons are the model's (``full_clean`` runs on each row), so an import refuses what the admin
and the API refuse. Headers are the fields' verbose names in the active language; a file whose headers are in the
other language, or are the field names, imports the same. A row whose values equal what is stored is unchanged
(skipped), and each changed row says which columns change.

An import runs in two passes (``RegistryResource.import_data``), so that a long file does not hold the database's
write lock while it is read (on SQLite every other writer, a login included, waits for that lock and gives up after
its timeout): the first reads and checks every row outside any transaction and writes nothing; the second imports
only the rows that change, in one transaction, all or nothing.

A row that updates an existing institution may not change its existence fields (``EXISTENCE_FIELDS``): those
change only through a reform operation, which records the life event that says when and under which document.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import (
    NON_FIELD_ERRORS,
    FieldDoesNotExist,
    MultipleObjectsReturned,
    ObjectDoesNotExist,
    ValidationError,
)
from django.db import models, transaction
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import resources, widgets
from import_export.fields import Field
from import_export.results import Result, RowResult
from tablib import Dataset

from accounts.scoping import scope_queryset
from core.dates import read_day
from core.xlsx import safe_cell
from institutions.choices import (
    Category,
    FundingForm,
    InstitutionKind,
    InstitutionStatus,
    LegalPersonState,
    MustExistReason,
    Rank,
    RegionKind,
    ReservedClass,
)
from institutions.document_numbers import format_document_number, parse_document_number
from institutions.existence import existence_of, reform_only_errors
from institutions.models import ApprovalDocument, Institution, InternalDivision, Region

# --- cell values --------------------------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as stripped text; whole numbers (Excel stores codes typed as numbers as floats) without ".0"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _normalise_header(header) -> str:
    return " ".join(cell_text(header).casefold().split())


def _in_every_language(label) -> set[str]:
    """``label`` (lazy) as it reads in each language of the site."""
    texts = {str(label)}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            texts.add(str(label))
    return texts


def _scoped(queryset: models.QuerySet, user) -> models.QuerySet:
    """Rows ``user`` may see; without a user (a shell or a command run by an operator) every row."""
    return queryset if user is None else scope_queryset(queryset, user)


# --- widgets ------------------------------------------------------------------------------------------------


class TextWidget(widgets.CharWidget):
    """Stripped text; an empty cell is an empty string."""

    def clean(self, value, row=None, **kwargs):
        return cell_text(value)


class WholeNumberWidget(widgets.IntegerWidget):
    """A whole number; "2.5", "abc" and the like are refused instead of being rounded or crashing the row."""

    def clean(self, value, row=None, **kwargs):
        if self.is_empty(value):
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = cell_text(value).replace(",", "")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value() or abs(number) > 10**12:
            raise ValueError(gettext("“%(value)s” is not a whole number.") % {"value": text})
        return int(number)


class DayWidget(widgets.DateWidget):
    """A date cell (a spreadsheet's date cell is a datetime at midnight: its day), or text such as 2020-03-01,
    2020/03/01 or 2020年3月1日 (``core.dates.read_day``). Always a ``date``, so an unchanged row compares equal."""

    def clean(self, value, row=None, **kwargs):
        try:
            return read_day(value)
        except (ValueError, TypeError):
            raise ValueError(
                gettext("“%(value)s” is not a date (write it as 2020-03-01, 2020/03/01 or 2020年3月1日).")
                % {"value": cell_text(value)}
            ) from None


class ChoiceWidget(widgets.Widget):
    """A choice given by its value or by its label in any language; exported as its label."""

    def __init__(self, choices: type[models.TextChoices], **kwargs) -> None:
        super().__init__(**kwargs)
        self.choices = choices
        self._lookup: dict[str, str] | None = None

    def _values_by_text(self) -> dict[str, str]:
        if self._lookup is None:
            lookup = {}
            for choice in self.choices:
                lookup[choice.value.casefold()] = choice.value
                for text in _in_every_language(choice.label):
                    lookup[text.casefold()] = choice.value
            self._lookup = lookup
        return self._lookup

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        try:
            return self._values_by_text()[text.casefold()]
        except KeyError:
            allowed = "、".join(str(label) for label in self.choices.labels)
            raise ValueError(
                gettext("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed}
            ) from None

    def render(self, value, obj=None, **kwargs):
        if value in (None, ""):
            return ""
        try:
            return str(self.choices(value).label)
        except ValueError:
            return value


class KeyLookupWidget(widgets.ForeignKeyWidget):
    """A row of ``model`` by one key column: a blank cell is nothing, an unknown key a ValueError saying so."""

    missing = ""  # the message for an unknown key, with %(value)s

    def key(self, text: str) -> str:
        """The key as stored, from the cell's text (a ValueError for a malformed one)."""
        return text

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        key = self.key(text)
        try:
            return self.get_queryset(key, row).get(**{self.field: key})
        except self.model.DoesNotExist:
            raise ValueError(self.missing % {"value": key}) from None


class ScopedLookupWidget(KeyLookupWidget):
    """Looks up related rows within the importing user's regions (``user`` is set by the resource)."""

    user = None

    def get_queryset(self, value, row, *args, **kwargs):
        return _scoped(self.model.objects.all(), self.user)


class RegionCodeWidget(ScopedLookupWidget):
    """A region by its 6-digit division code."""

    missing = _("No region with division code %(value)s.")

    def __init__(self, **kwargs) -> None:
        super().__init__(Region, "code", **kwargs)


def find_institution(visible: models.QuerySet, *, credit_code: str = "", name: str = "", region_code: str = "",
                     region_decides: bool = True) -> Institution:
    """The institution an import row names, among ``visible``: by its credit code, or else by name among the
    active units, in the region ``region_code``. With ``region_decides`` false, the region only tells apart units
    of the same name. A ValueError says what was not found, or asks for the credit code when a name is not enough.
    """
    if credit_code:
        found = visible.filter(credit_code=credit_code).first()
        if found is None:
            raise ValueError(gettext(
                "Rule “the unit must be in the registry”: no institution with the credit code %(code)s."
            ) % {"code": credit_code})
        return found
    named = visible.filter(name=name, status=InstitutionStatus.ACTIVE)
    if region_code and (region_decides or named.filter(region__code=region_code).exists()):
        named = named.filter(region__code=region_code)
    found = list(named[:2])
    if len(found) == 1:
        return found[0]
    if found:
        raise ValueError(gettext("Several institutions are named “%(value)s”: give the credit code instead.")
                         % {"value": name})
    if region_code and region_decides:
        raise ValueError(gettext(
            "Rule “the unit must be in the registry”: no active institution named “%(name)s” in the region "
            "%(code)s."
        ) % {"name": name, "code": region_code})
    raise ValueError(gettext("No institution with the credit code or name “%(value)s”.") % {"value": name})


class InstitutionReferenceWidget(ScopedLookupWidget):
    """An institution by its credit code or else by its name (in the row's region first, when names repeat)."""

    region_column: str | None = None

    def __init__(self, **kwargs) -> None:
        super().__init__(Institution, "credit_code", **kwargs)

    def clean(self, value, row=None, **kwargs):
        text = cell_text(value)
        if not text:
            return None
        visible = self.get_queryset(text, row)
        by_code = visible.filter(credit_code=text).first()
        if by_code is not None:
            return by_code
        region_code = cell_text(row.get(self.region_column)) if row is not None and self.region_column else ""
        return find_institution(visible, name=text, region_code=region_code, region_decides=False)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value.credit_code or value.name


class DocumentNumberWidget(KeyLookupWidget):
    """An approval document by its number, e.g. 哈编发〔2020〕12号 (brackets typed as [] or () are accepted)."""

    missing = _("No approval document numbered %(value)s.")

    def __init__(self, **kwargs) -> None:
        super().__init__(ApprovalDocument, "number", **kwargs)

    def key(self, text: str) -> str:
        try:
            return format_document_number(*parse_document_number(text))
        except ValueError as exc:
            raise ValueError(gettext("Malformed document number: %(reason)s") % {"reason": exc}) from None


class RowDiff(resources.Diff):
    """The admin preview's cells as the export writes them, so that a row's unit shows in its columns (read by the
    resource's ``dehydrate_`` methods; empty while the row names no unit)."""

    def __init__(self, resource, instance, new) -> None:
        super().__init__(resource, instance, new)
        self.left = self._cells(resource, instance)

    def compare_with(self, resource, instance) -> None:
        self.right = self._cells(resource, instance)

    @staticmethod
    def _cells(resource, instance) -> list:
        def cell(field):
            try:
                return resource.export_field(field, instance)
            except ObjectDoesNotExist:
                return ""

        return [cell(field) if instance is not None else "" for field in resource.get_import_fields()]


class RegistryResource(resources.ModelResource):
    """What every registry import shares: headers, scoping, history, error reports, all-or-nothing writes, the
    changed columns of each row and the two passes (see the module's docstring).

    ``progress``, when given, is called as ``progress(stage, done, total)`` after each row: ``stage`` is
    ``"check"`` in the first pass and ``"write"`` in the second. ``rows_stand_alone``: no row's validity depends on
    an earlier row of the file being written (true of rows that name stored units only); a file with bad rows is
    then refused by the first pass alone, without a transaction. Otherwise (a region naming its parent, a unit its
    supervisor, in the same file) the second pass checks the bad rows again after the earlier rows are written.
    """

    rows_stand_alone = False

    def get_diff_class(self):
        return RowDiff

    def export_field(self, field, instance, **kwargs):
        # An exported cell never becomes a live formula (core.xlsx.safe_cell).
        return safe_cell(super().export_field(field, instance, **kwargs))

    def export(self, queryset=None, **kwargs) -> Dataset:
        """The rows as a dataset titled with the resource's name (an xlsx sheet's name, not "Tablib Dataset")."""
        dataset = super().export(queryset, **kwargs)
        dataset.title = str(self._meta.name)
        return dataset

    def __init__(self, user=None, progress=None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.user = user
        self.progress = progress
        self._stage = "write"
        model = self._meta.model
        self._header_aliases: dict[str, str] = {}
        self._column_by_key: dict[str, str] = {}
        for name, field in self.fields.items():
            label = field.column_name
            if label is None or label == name:
                try:
                    label = model._meta.get_field(name).verbose_name
                except FieldDoesNotExist:
                    label = name
            field.column_name = capfirst(str(label))
            for alias in {name, field.column_name, *_in_every_language(label)}:
                self._header_aliases[_normalise_header(alias)] = field.column_name
            self._column_by_key[name] = field.column_name
            if field.attribute:
                self._column_by_key[field.attribute] = field.column_name
            if isinstance(field.widget, ScopedLookupWidget):
                field.widget.user = user

    def column(self, field_name: str) -> str:
        """The header of ``field_name`` in this resource's files."""
        return self.fields[field_name].column_name

    def import_data(self, dataset, dry_run=False, raise_errors=False, use_transactions=None, **kwargs):
        """Check every row without a transaction, then import the rows that change in one transaction, rolled back
        when any row is invalid (or on a dry run): a bad file writes nothing, an unchanged file takes no lock."""
        kwargs["rollback_on_validation_errors"] = True
        self._stage = "check"
        try:
            checked = super().import_data(dataset, dry_run=False, raise_errors=raise_errors, use_transactions=False,
                                          **kwargs)
        finally:
            self._stage = "write"
        if checked.has_errors() or (self.rows_stand_alone and checked.has_validation_errors()):
            return checked
        numbers = [number for number, row_result in enumerate(checked.rows, 1)
                   if row_result.import_type != RowResult.IMPORT_TYPE_SKIP]
        if not numbers:
            return checked
        subset = Dataset(*(dataset[number - 1] for number in numbers), headers=dataset.headers)
        with transaction.atomic():  # the one write transaction; import-export's own rolls back a dry run
            written = super().import_data(subset, dry_run=dry_run, raise_errors=raise_errors, use_transactions=True,
                                          **kwargs)
        return self._merged(checked, written, numbers)

    def _merged(self, checked: Result, written: Result, numbers: list[int]) -> Result:
        """The first pass's result with the rows of the second in their places, numbered as in the file."""
        merged = self.get_result_class()()
        merged.diff_headers, merged.total_rows = checked.diff_headers, checked.total_rows
        merged.base_errors = [*checked.base_errors, *written.base_errors]
        again = dict(zip(numbers, written.rows, strict=True))
        for number, row_result in enumerate(checked.rows, 1):
            row_result = again.get(number, row_result)
            merged.increment_row_result_total(row_result)
            merged.append_row_result(row_result)
        for row in (*written.invalid_rows, *written.error_rows):
            row.number = numbers[row.number - 1]
            for error in getattr(row, "errors", ()):
                error.number = row.number
        merged.invalid_rows = sorted([*(row for row in checked.invalid_rows if row.number not in again),
                                      *written.invalid_rows], key=lambda row: row.number)
        merged.error_rows = sorted([*(row for row in checked.error_rows if row.number not in again),
                                    *written.error_rows], key=lambda row: row.number)
        return merged

    def before_import(self, dataset, **kwargs) -> None:
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            raise ValueError(gettext("The file has %(rows)d rows; import at most %(limit)d at a time (split the file).")
                             % {"rows": len(dataset), "limit": settings.IMPORT_MAX_ROWS})
        headers = list(dataset.headers or [])
        renamed = [self._header_aliases.get(_normalise_header(header), header) for header in headers]
        known = [header for header in renamed if header in self._column_by_key.values()]
        duplicates = sorted({header for header in known if known.count(header) > 1})
        dataset.headers = renamed
        if duplicates:
            # A whole-file error (not a row's): import-export reports it above the rows and writes nothing.
            raise ValueError(
                gettext("These columns appear more than once: %(columns)s.") % {"columns": "、".join(duplicates)}
            )

    def get_queryset(self):
        return _scoped(super().get_queryset(), self.user)

    def import_row(self, row, instance_loader, **kwargs):
        """The row's result, with ``label`` (what the row is about, e.g. its unit) and ``changes`` (the columns it
        changes: ``(column, stored, new)``; a new row's filled columns, stored empty)."""
        self._row_label, self._row_changes = "", []
        if all(cell_text(value) == "" for value in row.values()):
            row_result = self.get_row_result_class()()
            row_result.import_type = RowResult.IMPORT_TYPE_SKIP
            row_result.diff = []
        else:
            row_result = super().import_row(row, instance_loader, **kwargs)
        row_result.label, row_result.changes = self._row_label, self._row_changes
        if self.progress is not None:
            self.progress(self._stage, kwargs.get("row_number", 0), kwargs.get("total_rows", 0))
        return row_result

    def import_data_inner(self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs):
        return super().import_data_inner(dataset, dry_run, raise_errors, using_transactions, collect_failed_rows,
                                         total_rows=len(dataset), **kwargs)

    def row_label(self, instance) -> str:
        """What a row is about, as the preview names it ("" while the row names nothing it can be told by)."""
        try:
            return str(instance)
        except ObjectDoesNotExist:  # a required relation the row failed to name
            return ""

    def skip_row(self, instance, original, row, import_validation_errors=None) -> bool:
        """Unchanged when every imported value equals the stored one (the widgets give stored types: dates, whole
        numbers, choice values, related rows), and the row had no error; records the columns that change."""
        self._row_label = self.row_label(instance)
        new = original is None or original.pk is None
        self._row_changes = [
            (field.column_name, "" if new else cell_text(field.export(original)), cell_text(field.export(instance)))
            for field in self.get_import_fields()
            if field.attribute and (field.get_value(instance) not in (None, "") if new
                                    else field.get_value(instance) != field.get_value(original))
        ]
        return super().skip_row(instance, original, row, import_validation_errors)

    def save_instance(self, instance, is_create, row, **kwargs) -> None:
        if self._stage == "check":  # the first pass writes nothing
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def after_import(self, dataset, result, **kwargs) -> None:
        if self._stage == "check":  # nothing was written: no sequence to reset
            return
        super().after_import(dataset, result, **kwargs)

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        try:
            super().import_field(field, instance, row, is_m2m, **kwargs)
        except ValueError:
            raise
        except (ArithmeticError, TypeError, ObjectDoesNotExist, MultipleObjectsReturned) as exc:
            value = cell_text(row.get(field.column_name))
            raise ValueError(gettext("Cannot read “%(value)s”.") % {"value": value}) from exc

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        try:
            super().validate_instance(instance, import_validation_errors, validate_unique)
        except ValidationError as exc:
            raise ValidationError(self._errors_by_column(exc)) from exc

    def _errors_by_column(self, error: ValidationError) -> dict:
        if not hasattr(error, "error_dict"):
            return {NON_FIELD_ERRORS: error.error_list}
        by_column: dict[str, list] = {}
        for key, errors in error.error_dict.items():
            if key == NON_FIELD_ERRORS:
                column = key
            elif key in self._column_by_key:
                column = self._column_by_key[key]
            else:
                try:
                    column = capfirst(str(self._meta.model._meta.get_field(key).verbose_name))
                except FieldDoesNotExist:
                    column = key
            by_column.setdefault(column, []).extend(errors)
        return by_column

    def before_save_instance(self, instance, row, **kwargs) -> None:
        # The history records who imported, also when no request is around (the import_registry command).
        user = kwargs.get("user") or self.user
        if user is not None and getattr(user, "is_authenticated", False):
            instance._history_user = user


class RegionResource(RegistryResource):
    code = Field(attribute="code", widget=TextWidget())
    name = Field(attribute="name", widget=TextWidget())
    kind = Field(attribute="kind", widget=ChoiceWidget(RegionKind))
    parent = Field(attribute="parent", column_name=_("parent (division code)"), widget=RegionCodeWidget())

    class Meta:
        model = Region
        name = _("Regions")
        fields = ("code", "name", "kind", "parent")
        import_order = export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        code = cell_text(row.get(self.column("code")))
        if not code:
            return None
        return _scoped(Region.objects.all(), self.user).filter(code=code).first()

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("parent")


class InstitutionResource(RegistryResource):
    credit_code = Field(attribute="credit_code", widget=TextWidget())
    name = Field(attribute="name", widget=TextWidget())
    short_name = Field(attribute="short_name", widget=TextWidget())
    kind = Field(attribute="kind", widget=ChoiceWidget(InstitutionKind), default=InstitutionKind.PUBLIC_INSTITUTION)
    region = Field(attribute="region", column_name=_("division code"), widget=RegionCodeWidget())
    supervisor = Field(attribute="supervisor", widget=InstitutionReferenceWidget())
    category = Field(attribute="category", widget=ChoiceWidget(Category), default=Category.UNCLASSIFIED)
    funding_form = Field(attribute="funding_form", widget=ChoiceWidget(FundingForm), default=FundingForm.FULL)
    rank = Field(attribute="rank", widget=ChoiceWidget(Rank), default=Rank.UNRANKED)
    reserved_class = Field(
        attribute="reserved_class", widget=ChoiceWidget(ReservedClass), default=ReservedClass.NONE
    )
    must_exist_reason = Field(
        attribute="must_exist_reason", widget=ChoiceWidget(MustExistReason), default=MustExistReason.NONE
    )
    status = Field(attribute="status", widget=ChoiceWidget(InstitutionStatus), default=InstitutionStatus.ACTIVE)
    established_on = Field(attribute="established_on", widget=DayWidget())
    established_document = Field(attribute="established_document", widget=DocumentNumberWidget())
    ended_on = Field(attribute="ended_on", widget=DayWidget())
    ended_document = Field(attribute="ended_document", widget=DocumentNumberWidget())
    legal_person_state = Field(
        attribute="legal_person_state", widget=ChoiceWidget(LegalPersonState), default=LegalPersonState.REGISTERED
    )
    leadership_principal = Field(attribute="leadership_principal", widget=WholeNumberWidget(), default=1)
    leadership_deputy = Field(attribute="leadership_deputy", widget=WholeNumberWidget(), default=0)
    staff_in_quota = Field(attribute="staff_in_quota", widget=WholeNumberWidget(), default=0)

    class Meta:
        model = Institution
        name = _("Institutions")
        fields = (
            "credit_code", "name", "short_name", "kind", "region", "supervisor", "category", "funding_form",
            "rank", "reserved_class", "must_exist_reason", "status", "established_on", "established_document",
            "ended_on", "ended_document", "legal_person_state", "address", "opening_funds", "leadership_principal",
            "leadership_deputy", "staff_in_quota",
        )
        import_order = export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    # The existence fields of the unit a row updates, as stored before the row's cells were set (None: a new unit).
    _row_existence: dict[str, Any] | None = None

    def __init__(self, user=None, **kwargs) -> None:
        super().__init__(user=user, **kwargs)
        self.fields["supervisor"].widget.region_column = self.column("region")

    def import_instance(self, instance, row, **kwargs) -> None:
        self._row_existence = existence_of(instance) if instance.pk else None
        super().import_instance(instance, row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        """A row that would change an existing unit's existence fields is refused on each such column.

        New rows bring them in as before (units are first entered by the registry load). The model's own checks
        are not run on a refused row: they would judge a change the import may not make.
        """
        if self._row_existence is not None:
            refused = reform_only_errors(self._row_existence, existence_of(instance))
            if refused:
                errors = {**(import_validation_errors or {}), **{name: [error] for name, error in refused.items()}}
                raise ValidationError(self._errors_by_column(ValidationError(errors)))
        super().validate_instance(instance, import_validation_errors, validate_unique)

    def get_instance(self, instance_loader, row):
        """The institution a row updates: by credit code first, else by region code and name among active ones.

        A name match that already has another credit code is not the same institution: the row then makes a new
        one, and the model refuses it if the active name is taken.
        """
        visible = _scoped(Institution.objects.all(), self.user)
        credit_code = cell_text(row.get(self.column("credit_code")))
        if credit_code:
            found = visible.filter(credit_code=credit_code).first()
            if found is not None:
                return found
        region_code = cell_text(row.get(self.column("region")))
        name = cell_text(row.get(self.column("name")))
        if not (region_code and name):
            return None
        found = visible.filter(region__code=region_code, name=name, status=InstitutionStatus.ACTIVE).first()
        if found is not None and credit_code and found.credit_code and found.credit_code != credit_code:
            return None
        return found

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("region", "supervisor", "established_document", "ended_document")


class DivisionResource(RegistryResource):
    """Internal divisions; the institution is named by its credit code, or by its region code and name."""

    institution_credit_code = Field(column_name=_("credit code of the institution"), widget=TextWidget())
    region_code = Field(column_name=_("division code"), widget=TextWidget())
    institution_name = Field(column_name=_("institution"), widget=TextWidget())
    name = Field(attribute="name", column_name=_("internal division"), widget=TextWidget())
    rank = Field(attribute="rank", widget=ChoiceWidget(Rank), default=Rank.UNRANKED)
    quota_count = Field(attribute="quota_count", widget=WholeNumberWidget(), default=0)
    leadership_principal = Field(attribute="leadership_principal", widget=WholeNumberWidget(), default=1)
    leadership_deputy = Field(attribute="leadership_deputy", widget=WholeNumberWidget(), default=0)

    class Meta:
        model = InternalDivision
        name = _("Internal divisions")
        fields = (
            "institution_credit_code", "region_code", "institution_name", "name", "rank", "quota_count",
            "leadership_principal", "leadership_deputy",
        )
        import_order = export_order = fields
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def _institution_of(self, row) -> Institution:
        """The row's institution, or ``ValidationError`` against the column that failed to name one."""
        visible = _scoped(Institution.objects.all(), self.user)
        credit_code = cell_text(row.get(self.column("institution_credit_code")))
        if credit_code:
            found = visible.filter(credit_code=credit_code).first()
            if found is None:
                raise ValidationError(
                    {"institution_credit_code": gettext("No institution with the credit code %(code)s.")
                     % {"code": credit_code}}
                )
            return found
        region_code = cell_text(row.get(self.column("region_code")))
        name = cell_text(row.get(self.column("institution_name")))
        if not (region_code and name):
            raise ValidationError(
                {"institution_name": gettext("Give the institution's credit code, or its division code and name.")}
            )
        found = visible.filter(region__code=region_code, name=name, status=InstitutionStatus.ACTIVE).first()
        if found is None:
            raise ValidationError(
                {"institution_name": gettext("No active institution named “%(name)s” in the region %(code)s.")
                 % {"name": name, "code": region_code}}
            )
        return found

    def before_import_row(self, row, **kwargs) -> None:
        try:
            self._row_institution, self._row_institution_error = self._institution_of(row), None
        except ValidationError as exc:
            self._row_institution, self._row_institution_error = None, exc

    def get_instance(self, instance_loader, row):
        name = cell_text(row.get(self.column("name")))
        if self._row_institution is None or not name:
            return None
        return InternalDivision.objects.filter(institution=self._row_institution, name=name).first()

    def import_instance(self, instance, row, **kwargs) -> None:
        if self._row_institution is not None:
            instance.institution = self._row_institution
        super().import_instance(instance, row, **kwargs)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True) -> None:
        errors = dict(import_validation_errors or {})
        if self._row_institution_error is not None:
            errors = self._row_institution_error.update_error_dict(errors)
            # Known already: an empty entry keeps the model from adding "institution cannot be null" as well.
            errors.setdefault("institution", [])
        try:
            super().validate_instance(instance, errors, validate_unique)
        except ValidationError as exc:
            raise ValidationError({key: value for key, value in exc.error_dict.items() if value}) from exc

    def dehydrate_institution_credit_code(self, division: InternalDivision) -> str:
        return division.institution.credit_code or ""

    def dehydrate_region_code(self, division: InternalDivision) -> str:
        return division.institution.region.code

    def dehydrate_institution_name(self, division: InternalDivision) -> str:
        return division.institution.name

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("institution__region")
