"""Excel import and export of the regions' indicators (population, area, GDP, fiscal revenue by year).

Built on the registry's import base (``institutions.resources.RegistryResource``): Chinese headers (the fields'
names in the reader's language), the sheet named after the resource, every row checked before the rows that change
are written in one short transaction, nothing written when any row is bad, unchanged rows skipped. A row names its
region by division code, its year and its indicator (by value, e.g. ``gdp``, or by name in either language); a row
for a value already stored updates it. Files written before the headers were translated ("区划代码 region code",
"年度 year", …) still import.

Indicator values are inputs of the allocation scenarios: after a real import the scenarios of the regions it
touched go stale (``allocation.services.indicator_regions_changed``).
"""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from import_export import widgets
from import_export.fields import Field

from allocation import services
from allocation.models import Indicator, RegionIndicator
from institutions.resources import (
    ChoiceWidget,
    RegionCodeWidget,
    RegistryResource,
    TextWidget,
    WholeNumberWidget,
    _normalise_header,
)

# The headers of the files exported before the headers followed the reader's language, by field.
OLD_HEADERS = {
    "region": "区划代码 region code",
    "year": "年度 year",
    "indicator": "指标 indicator",
    "value": "数值 value",
    "source_note": "来源 source",
}


class IndicatorValueWidget(widgets.DecimalWidget):
    """A value as written, without the trailing zeros of its stored four decimals (890.8500 reads 890.85), so a
    preview compares a cell with what the file says and an exported file reads as typed."""

    def render(self, value, obj=None, **kwargs):
        if isinstance(value, Decimal) and value.is_finite():
            value = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
        return super().render(value, obj, **kwargs)


class RegionIndicatorResource(RegistryResource):
    """Indicators by division code, year and indicator; an existing value is updated. Each row names a stored
    region only, so no row depends on another (``rows_stand_alone``)."""

    rows_stand_alone = True
    region = Field(attribute="region", column_name=_("division code"), widget=RegionCodeWidget())
    year = Field(attribute="year", widget=WholeNumberWidget())
    indicator = Field(attribute="indicator", widget=ChoiceWidget(Indicator))
    value = Field(attribute="value", widget=IndicatorValueWidget())
    source_note = Field(attribute="source_note", widget=TextWidget())

    class Meta:
        model = RegionIndicator
        name = RegionIndicator._meta.verbose_name_plural  # the sheet, named as the file
        fields = ("region", "year", "indicator", "value", "source_note")
        import_order = export_order = fields
        import_id_fields = ("region", "year", "indicator")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def __init__(self, user=None, **kwargs) -> None:
        super().__init__(user=user, **kwargs)
        for name, header in OLD_HEADERS.items():
            self._header_aliases[_normalise_header(header)] = self.column(name)

    def get_instance(self, instance_loader, row):
        """The stored value the row updates, if any; a cell that cannot be read (an unknown division code, a
        year that is not a number) makes a new row, refused against its column when the row's cells are read."""
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ArithmeticError):
            return None

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("region")

    def before_import(self, dataset, **kwargs) -> None:
        self.touched_regions: set[int] = set()
        super().before_import(dataset, **kwargs)

    def after_save_instance(self, instance, row, **kwargs) -> None:
        self.touched_regions.add(instance.region_id)
        super().after_save_instance(instance, row, **kwargs)

    def after_import(self, dataset, result, **kwargs) -> None:
        super().after_import(dataset, result, **kwargs)
        # The values are scenario inputs: their scenarios go stale and recompute. Not after the first pass (it
        # writes nothing), on a dry run, nor when a row failed (then nothing is written).
        if self._stage == "check" or kwargs.get("dry_run") or result.has_errors() or result.has_validation_errors():
            return
        services.indicator_regions_changed(sorted(self.touched_regions))
