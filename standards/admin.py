"""Standards screens: the city office keeps the caps, the tables, the industry rule sets and the service figures; every
role reads them (a district office its own region's cap and figures)."""
from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scoping import ScopedAdminMixin, ScopedHistoryMixin
from core.admin_conflicts import ConflictSafeAdminMixin
from core.history import HistoryAdmin
from institutions.models import Region
from standards import rules, selectors
from standards.models import (
    FIGURE_SECTOR,
    DivisionBand,
    IndustryRule,
    IndustryRuleSet,
    InstitutionCap,
    LeadershipBand,
    ServiceFigure,
)
from standards.texts import derivation_text


@admin.register(InstitutionCap)
class InstitutionCapAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    list_display = ("region", "method", "cap_now", "institutions_now", "document")
    list_select_related = ("region", "document")
    list_filter = ("method",)
    autocomplete_fields = ("region", "document")
    readonly_fields = ("derivation",)
    fields = ("region", "method", "cap", "document", "coefficient", "city_reduction", "factor", "character",
              "derivation", "note")

    def get_changelist_instance(self, request):
        """The list's caps and counts read for all its rows at once, not twice a row."""
        changelist = super().get_changelist_instance(request)
        rows = list(changelist.result_list)
        if rows:
            figures = selectors.region_caps(regions=Region.objects.filter(pk__in={row.region_id for row in rows}))
            for row in rows:
                row.figure = figures[row.region_id]
        return changelist

    def _figure(self, cap: InstitutionCap):
        figure = getattr(cap, "figure", None)
        if figure is None:
            figure = selectors.region_caps(regions=Region.objects.filter(pk=cap.region_id))[cap.region_id]
        return figure

    @admin.display(description=_("cap"))
    def cap_now(self, cap: InstitutionCap):
        return self._figure(cap).cap

    @admin.display(description=_("public institutions"))
    def institutions_now(self, cap: InstitutionCap):
        return self._figure(cap).institutions

    @admin.display(description=_("derivation"))
    def derivation(self, cap: InstitutionCap) -> str:
        if cap.pk is None:
            return "—"
        figure = self._figure(cap)
        if figure.derivation is None:
            return gettext("Fixed by its document: %(cap)s.") % {"cap": figure.cap}
        return derivation_text(figure.derivation)


@admin.register(DivisionBand)
class DivisionBandAdmin(ConflictSafeAdminMixin, HistoryAdmin):
    list_display = ("__str__", "max_divisions", "min_per_division", "max_per_division")


@admin.register(LeadershipBand)
class LeadershipBandAdmin(ConflictSafeAdminMixin, HistoryAdmin):
    list_display = ("__str__", "applies_to", "posts_low", "posts_high")
    list_filter = ("applies_to",)


class IndustryRuleFormSet(BaseInlineFormSet):
    """The lines of a rule set may not overlap: one figure of one level falls in one line at most."""

    def clean(self) -> None:
        super().clean()
        bands = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or data.get("figure") is None or data.get("low") is None:
                continue
            if self.instance.sector and FIGURE_SECTOR.get(data["figure"]) != self.instance.sector:
                form.add_error("figure", gettext("This figure is not one the rule set's sector reads."))
                continue
            bands.append(rules.Band(f"{data['figure']}/{data.get('level') or ''}", data["low"], data.get("high"),
                                    f"{form.instance.get_figure_display() if data.get('figure') else ''} "
                                    f"{data['low']}–{data.get('high') if data.get('high') is not None else ''}"))
        overlaps = rules.overlapping_bands(bands)
        if overlaps:
            first, second = overlaps[0]
            raise ValidationError(gettext("The lines “%(first)s” and “%(second)s” overlap: a figure would fall in "
                                          "both. Nothing was saved.") % {"first": first.label, "second": second.label})


class IndustryRuleInline(admin.TabularInline):
    model = IndustryRule
    formset = IndustryRuleFormSet
    extra = 0
    fields = ("figure", "level", "low", "high", "basis", "rate_low", "rate_high", "per", "minimum", "minimum_below")


@admin.register(IndustryRuleSet)
class IndustryRuleSetAdmin(ConflictSafeAdminMixin, HistoryAdmin):
    list_display = ("name", "sector", "valid_from")
    list_filter = ("sector",)
    search_fields = ("name", "source")
    inlines = (IndustryRuleInline,)


@admin.register(ServiceFigure)
class ServiceFigureAdmin(ScopedAdminMixin, ScopedHistoryMixin, HistoryAdmin):
    list_display = ("institution", "year", "figure", "value", "source")
    list_filter = ("figure", "year")
    search_fields = ("institution__name", "source")
    autocomplete_fields = ("institution",)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
