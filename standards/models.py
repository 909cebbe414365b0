"""The standards every unit is held to (docs/domain.md, "One standard for all"): institution caps per region, the
internal-division table, the leadership-post table, industry staffing rule sets and the service figures they read.

All of it is reference data the city office keeps in the admin (a district office reads its own region's cap); the
figures computed from it live in ``standards.selectors``, the arithmetic in ``standards.rules``.
"""
from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldCheckConstraint, FieldUniqueConstraint
from institutions.choices import ReservedClass
from standards import rules

NOT_NEGATIVE = [MinValueValidator(Decimal(0))]


# --- institution caps (机构限额) ---------------------------------------------------------------------------------
class CapMethod(models.TextChoices):
    FIXED = "fixed", _("Fixed by a document")
    DERIVED = "derived", _("Derived from the formula")


class InstitutionCap(models.Model):
    """A region's cap on its public institutions: a number fixed by a document, or derived from the must-exist count
    and the region's administrative agencies (``standards.rules.CapDerivation``)."""

    region_path = "region"

    region = models.OneToOneField("institutions.Region", on_delete=models.PROTECT, related_name="cap_rule",
                                  verbose_name=_("region"))
    method = models.CharField(_("how the cap is set"), max_length=20, choices=CapMethod.choices,
                              default=CapMethod.FIXED)
    cap = models.PositiveIntegerField(_("cap"), null=True, blank=True,
                                      help_text=_("The number the document fixes (method: fixed)."))
    document = models.ForeignKey("institutions.ApprovalDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("approval document"))
    coefficient = models.DecimalField(
        _("coefficient"), max_digits=6, decimal_places=3, null=True, blank=True, validators=NOT_NEGATIVE,
        help_text=_("Institutions allowed per administrative agency of the region, before the reduction."))
    city_reduction = models.DecimalField(
        _("city level's reduction ratio"), max_digits=5, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal("0.9999"))],
        help_text=_("As a fraction of 1: 0.193 for a city level with 19.3 per cent fewer institutions."))
    factor = models.DecimalField(
        _("district character factor"), max_digits=5, decimal_places=3, default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.001"))],
        help_text=_("1.0 for an ordinary district; below 1 for a government-zone-integrated one."))
    character = models.CharField(_("district character"), max_length=200, blank=True)
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution cap")
        verbose_name_plural = _("institution caps")
        ordering = ("region__code",)
        constraints = [
            FieldCheckConstraint(
                condition=Q(coefficient__isnull=True) | Q(coefficient__gte=0), name="cap_coefficient_not_negative",
                error_field="coefficient", violation_error_message=_("The coefficient cannot be negative.")),
            FieldCheckConstraint(
                condition=Q(city_reduction__isnull=True) | Q(city_reduction__gte=0, city_reduction__lt=1),
                name="cap_city_reduction_a_fraction", error_field="city_reduction",
                violation_error_message=_("The reduction ratio is a fraction from 0 to under 1.")),
            FieldCheckConstraint(
                condition=Q(factor__gt=0), name="cap_factor_positive", error_field="factor",
                violation_error_message=_("The factor must be above zero.")),
        ]

    def __str__(self) -> str:
        return str(self.region)

    def clean(self) -> None:
        if self.method == CapMethod.FIXED and self.cap is None:
            raise ValidationError({"cap": _("A fixed cap needs its number.")})
        if self.method == CapMethod.DERIVED:
            missing = {name: _("The formula needs this input.") for name in ("coefficient", "city_reduction")
                       if getattr(self, name) is None}
            if missing:
                raise ValidationError(missing)


# --- tables keyed by a size -----------------------------------------------------------------------------------
class SizeBand(models.Model):
    """A row of a table keyed by a quota size: from ``low`` to ``high`` quotas, both included (``high`` empty: and
    above). The rows of one table (``band_key``) may not overlap: ``standards.services.bands_check``."""

    low = models.PositiveIntegerField(_("from (quotas)"))
    high = models.PositiveIntegerField(_("to (quotas)"), null=True, blank=True,
                                       help_text=_("Included; empty: no upper end."))

    class Meta:
        abstract = True

    @property
    def band_key(self) -> str:
        return ""

    def as_band(self) -> rules.Band:
        return rules.Band(self.band_key, self.low, self.high, str(self))

    def range_text(self) -> str:
        return f"{self.low}–{self.high}" if self.high is not None else f"≥{self.low}"

    def siblings(self):
        """The other stored rows of the same table."""
        return type(self).objects.exclude(pk=self.pk)

    def clean(self) -> None:
        if self.low is None:
            return
        if self.high is not None and self.high < self.low:
            raise ValidationError({"high": _("The band's upper end is below its lower end.")})
        mine = self.as_band()
        for first, second in rules.overlapping_bands([mine, *(
                row.as_band() for row in self.siblings() if row.band_key == self.band_key)]):
            if mine not in (first, second) or first is second:
                continue
            other = second if first is mine else first
            raise ValidationError({"low": _("This band overlaps the band %(other)s: a size would have two rows.")
                                   % {"other": other.label}})


class DivisionBand(SizeBand):
    """大处(科)制: how many internal divisions a unit of this size may have, and the quotas a division may hold."""

    region_path = None  # reference data: every role reads it

    max_divisions = models.PositiveSmallIntegerField(_("most divisions"))
    min_per_division = models.PositiveSmallIntegerField(_("least quotas per division"), default=8)
    max_per_division = models.PositiveSmallIntegerField(_("most quotas per division"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internal-division band")
        verbose_name_plural = _("internal-division standard")
        ordering = ("low",)
        constraints = [FieldCheckConstraint(
            condition=Q(high__isnull=True) | Q(high__gte=F("low")), name="division_band_ordered",
            error_field="high", violation_error_message=_("The band's upper end is below its lower end."))]

    def __str__(self) -> str:
        return self.range_text()

    def as_limit(self) -> rules.DivisionLimit:
        return rules.DivisionLimit(self.max_divisions, self.min_per_division, self.max_per_division)


class LeadershipScope(models.TextChoices):
    UNIT = "unit", _("Unit")
    DIVISION = "division", _("Internal division")


class LeadershipBand(SizeBand):
    """领导职数: the leadership posts a unit, or an internal division, of this size may have."""

    region_path = None

    applies_to = models.CharField(_("applies to"), max_length=20, choices=LeadershipScope.choices)
    posts_low = models.PositiveSmallIntegerField(_("least posts"))
    posts_high = models.PositiveSmallIntegerField(_("most posts"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("leadership-post band")
        verbose_name_plural = _("leadership-post table")
        ordering = ("applies_to", "low")
        constraints = [
            FieldCheckConstraint(
                condition=Q(high__isnull=True) | Q(high__gte=F("low")), name="leadership_band_ordered",
                error_field="high", violation_error_message=_("The band's upper end is below its lower end.")),
            FieldCheckConstraint(
                condition=Q(posts_high__gte=F("posts_low")), name="leadership_posts_ordered",
                error_field="posts_high", violation_error_message=_("The most posts are below the least.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_applies_to_display()} {self.range_text()}"

    @property
    def band_key(self) -> str:
        return self.applies_to

    def as_range(self) -> rules.PostRange:
        return rules.PostRange(self.posts_low, self.posts_high)


# --- industry staffing standards (定编标准) ---------------------------------------------------------------------
class Sector(models.TextChoices):
    """The kinds of unit an industry standard applies to (by the unit's reserved class)."""

    SCHOOL = "school", _("Schools")
    HOSPITAL = "hospital", _("Public hospitals")
    DISEASE_CONTROL = "disease_control", _("Disease control")


SECTOR_OF_CLASS = {ReservedClass.SCHOOL: Sector.SCHOOL, ReservedClass.PUBLIC_HOSPITAL: Sector.HOSPITAL,
                   ReservedClass.DISEASE_CONTROL: Sector.DISEASE_CONTROL}


class FigureKind(models.TextChoices):
    """A service figure a standard reads, and the sector it belongs to (``FIGURE_SECTOR``)."""

    STUDENTS_PRIMARY = "students_primary", _("Students, primary")
    STUDENTS_JUNIOR = "students_junior", _("Students, junior secondary")
    STUDENTS_SENIOR = "students_senior", _("Students, senior secondary")
    BEDS = "beds", _("Beds")
    RESIDENTS = "residents", _("Resident population served")


FIGURE_SECTOR = {FigureKind.STUDENTS_PRIMARY: Sector.SCHOOL, FigureKind.STUDENTS_JUNIOR: Sector.SCHOOL,
                 FigureKind.STUDENTS_SENIOR: Sector.SCHOOL, FigureKind.BEDS: Sector.HOSPITAL,
                 FigureKind.RESIDENTS: Sector.DISEASE_CONTROL}


class Basis(models.TextChoices):
    STUDENTS_PER_STAFF = rules.STUDENTS_PER_STAFF, _("Students per staff member (1 : rate)")
    STAFF_PER_UNIT = rules.STAFF_PER_UNIT, _("Staff per unit of the figure (rate ÷ per)")


class IndustryRuleSet(models.Model):
    """A dated set of industry rules for one sector: in force from ``valid_from`` until a later set of the sector."""

    region_path = None

    name = models.CharField(_("name"), max_length=100, unique=True,
                            error_messages={"unique": _("A rule set with this name already exists.")})
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    valid_from = models.DateField(_("in force from"))
    source = models.TextField(_("source"), max_length=TEXT_LIMIT,
                              help_text=_("The document the rules come from, e.g. 国办发〔2001〕74号."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("industry rule set")
        verbose_name_plural = _("industry rule sets")
        ordering = ("sector", "-valid_from")
        constraints = [FieldUniqueConstraint(
            fields=["sector", "valid_from"], name="one_industry_rule_set_per_sector_and_date",
            error_field="valid_from",
            violation_error_message=_("Another rule set of this sector comes into force on this date."))]

    def __str__(self) -> str:
        return self.name


class RegionLevel(models.TextChoices):
    CITY = "city", _("City level")
    DISTRICT = "district", _("Districts")
    COUNTY = "county", _("Counties")


class IndustryRule(models.Model):
    """One line of a rule set: the figure it reads, the band of that figure it covers, and the rate."""

    region_path = None

    rule_set = models.ForeignKey(IndustryRuleSet, on_delete=models.CASCADE, related_name="rules",
                                 verbose_name=_("rule set"))
    figure = models.CharField(_("service figure"), max_length=30, choices=FigureKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=RegionLevel.choices, blank=True,
                             help_text=_("Only units of this level; empty: every level."))
    low = models.PositiveIntegerField(_("figure from"), default=0)
    high = models.PositiveIntegerField(_("figure to"), null=True, blank=True,
                                       help_text=_("Included; empty: no upper end."))
    basis = models.CharField(_("basis"), max_length=30, choices=Basis.choices)
    rate_low = models.DecimalField(_("rate"), max_digits=8, decimal_places=3,
                                   validators=[MinValueValidator(Decimal("0.001"))])
    rate_high = models.DecimalField(_("rate, upper end"), max_digits=8, decimal_places=3, null=True, blank=True,
                                    validators=[MinValueValidator(Decimal("0.001"))],
                                    help_text=_("For a range (1.4–1.5 staff a bed); empty: one rate."))
    per = models.PositiveIntegerField(_("per"), default=1, validators=[MinValueValidator(1)],
                                      help_text=_("The rate counts per this many of the figure (10,000 residents)."))
    minimum = models.PositiveIntegerField(_("at least"), null=True, blank=True)
    minimum_below = models.PositiveIntegerField(
        _("the minimum applies below"), null=True, blank=True,
        help_text=_("The minimum applies when the figure is under this (a county under 150,000 residents)."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("industry rule")
        verbose_name_plural = _("industry rules")
        ordering = ("rule_set", "figure", "level", "low")
        constraints = [
            FieldCheckConstraint(
                condition=Q(high__isnull=True) | Q(high__gte=F("low")), name="industry_rule_band_ordered",
                error_field="high", violation_error_message=_("The band's upper end is below its lower end.")),
            FieldCheckConstraint(
                condition=Q(rate_low__gt=0) & (Q(rate_high__isnull=True) | Q(rate_high__gte=F("rate_low"))),
                name="industry_rule_rates_ordered", error_field="rate_high",
                violation_error_message=_("The rates must be above zero, the upper end not below the rate.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_figure_display()} {self.low}–{self.high if self.high is not None else ''}"

    @property
    def band_key(self) -> str:
        return f"{self.figure}/{self.level}"

    def as_band(self) -> rules.Band:
        return rules.Band(self.band_key, self.low, self.high, str(self))

    def as_rule(self) -> rules.IndustryRule:
        return rules.IndustryRule(self.basis, self.rate_low, self.rate_high, self.per, self.minimum,
                                  self.minimum_below)

    def clean(self) -> None:
        errors = {}
        if self.rule_set_id and self.figure and FIGURE_SECTOR.get(self.figure) != self.rule_set.sector:
            errors["figure"] = _("This figure is not one the rule set's sector reads.")
        if self.high is not None and self.low is not None and self.high < self.low:
            errors["high"] = _("The band's upper end is below its lower end.")
        if self.rate_high is not None and self.rate_low is not None and self.rate_high < self.rate_low:
            errors["rate_high"] = _("The upper end of the rate is below the rate.")
        if errors:
            raise ValidationError(errors)


class ServiceFigure(models.Model):
    """What a unit serves in a year (students by school level, beds, residents), with where the number comes
    from: the input of its industry standard."""

    region_path = "institution__region"

    institution = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT,
                                    related_name="service_figures", verbose_name=_("institution"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    figure = models.CharField(_("service figure"), max_length=30, choices=FigureKind.choices)
    value = models.PositiveIntegerField(_("value"))
    source = models.CharField(_("source"), max_length=200,
                              help_text=_("Where the number comes from, e.g. the education bureau's 2025 statistics."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("service figure")
        verbose_name_plural = _("service figures")
        ordering = ("institution", "-year", "figure")
        constraints = [FieldUniqueConstraint(
            fields=["institution", "year", "figure"], name="one_service_figure_per_unit_year_and_kind",
            error_field="figure", violation_error_message=_("This unit already has this figure for this year."))]

    def __str__(self) -> str:
        return f"{self.institution} {self.year} {self.get_figure_display()} {self.value}"

    def clean(self) -> None:
        if not self.institution_id or not self.figure:
            return
        sector = SECTOR_OF_CLASS.get(self.institution.reserved_class)
        if sector != FIGURE_SECTOR[self.figure]:
            raise ValidationError({"figure": _(
                "“%(unit)s” is not a unit this figure is for: %(figure)s is a figure of %(sector)s, and the unit's "
                "reserved class is “%(class)s”.") % {
                "unit": self.institution, "figure": self.get_figure_display(),
                "sector": Sector(FIGURE_SECTOR[self.figure]).label,
                "class": self.institution.get_reserved_class_display()}})
