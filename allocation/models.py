"""Zero-based allocation data: indicators per region and year, scenarios, per-area settings and results."""
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import FieldCheckConstraint, FieldUniqueConstraint
from core.dates import validate_year

PERCENT = [MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))]


class Indicator(models.TextChoices):
    RESIDENT_POPULATION = "resident_population", _("Resident population")
    TEMPORARY_POPULATION = "temporary_population", _("Temporary population")
    AREA = "area", _("Area (km²)")
    GDP = "gdp", _("GDP (100 million yuan)")
    FISCAL_REVENUE = "fiscal_revenue", _("Fiscal revenue (100 million yuan)")


class Method(models.TextChoices):
    LARGEST_REMAINDER = "largest_remainder", _("Largest remainder (Hamilton)")
    DHONDT = "dhondt", _("D'Hondt (Jefferson)")
    SAINTE_LAGUE = "sainte_lague", _("Sainte-Laguë (Webster)")
    HUNTINGTON_HILL = "huntington_hill", _("Huntington–Hill (equal proportions)")


class ScenarioStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    STALE = "stale", _("Stale (inputs changed)")
    COMPUTING = "computing", _("Computing")
    COMPUTED = "computed", _("Computed")
    FAILED = "failed", _("Failed")
    APPROVED = "approved", _("Approved")
    APPLIED = "applied", _("Applied")


FROZEN_STATUSES = (ScenarioStatus.APPROVED, ScenarioStatus.APPLIED)


class RegionIndicator(models.Model):
    region_path = "region"

    region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="indicators",
                               verbose_name=_("region"))
    year = models.PositiveSmallIntegerField(_("year"), validators=[validate_year])
    indicator = models.CharField(_("indicator"), max_length=30, choices=Indicator.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4,
                                validators=[MinValueValidator(Decimal(0))])
    source_note = models.CharField(_("source"), max_length=300, blank=True)
    history = HistoricalRecords(table_name="quotas_historicalregionindicator")

    class Meta:
        db_table = "quotas_regionindicator"  # kept when the model moved here
        verbose_name = _("region indicator")
        verbose_name_plural = _("region indicators")
        ordering = ("region__code", "year", "indicator")
        constraints = [
            FieldUniqueConstraint(
                fields=["region", "year", "indicator"], name="one_indicator_value_per_region_and_year",
                error_field="indicator",
                violation_error_message=_("This region already has a value for this indicator and year."),
            ),
            FieldCheckConstraint(condition=Q(value__gte=0), name="indicator_value_not_negative", error_field="value",
                                 violation_error_message=_("An indicator value cannot be negative.")),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.year} {self.get_indicator_display()}"


class ReservesFrom(models.TextChoices):
    HOLDINGS = "holdings", _("Current holdings")
    STANDARDS = "standards", _("Industry standards (holdings where a unit has none)")


class AllocationScenario(models.Model):
    """One way of splitting a province-approved total among the districts and counties of a city."""

    region_path = "scope_region"

    name = models.CharField(_("name"), max_length=200)
    scope_region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="scenarios",
                                     verbose_name=_("scope"), help_text=_("The city whose districts and counties "
                                                                          "share the total."))
    quota_type = models.ForeignKey("quotas.QuotaType", on_delete=models.PROTECT, related_name="scenarios",
                                   verbose_name=_("quota type"))
    province_total = models.PositiveIntegerField(_("province-approved total"))
    indicator_year = models.PositiveSmallIntegerField(
        _("indicator year"), validators=[validate_year],
        help_text=_("The year of the population, area and GDP figures."))
    fiscal_years = models.JSONField(
        _("fiscal years"), default=list, help_text=_("The years whose fiscal revenue is averaged, e.g. [2018, 2019]."))
    weight_population = models.DecimalField(_("weight of population (%)"), max_digits=6, decimal_places=2,
                                            validators=PERCENT)
    weight_area = models.DecimalField(_("weight of area (%)"), max_digits=6, decimal_places=2, validators=PERCENT)
    weight_gdp = models.DecimalField(_("weight of GDP (%)"), max_digits=6, decimal_places=2, validators=PERCENT)
    weight_fiscal = models.DecimalField(_("weight of fiscal revenue (%)"), max_digits=6, decimal_places=2,
                                        validators=PERCENT)
    method = models.CharField(_("method"), max_length=30, choices=Method.choices, default=Method.LARGEST_REMAINDER)
    county_controlled_share = models.DecimalField(
        _("counties' controlled-use share"), max_digits=5, decimal_places=4, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("Share of each county's result held under controlled use (0.1 = 10%), unless the county has "
                    "its own rule."),
    )
    reserves_from = models.CharField(
        _("fixed reserves from"), max_length=20, choices=ReservesFrom.choices, default=ReservesFrom.HOLDINGS,
        help_text=_("What a reserved-class unit counts for in its area's fixed reserve: what it holds now, or the "
                    "upper end of its industry standard where it has one."))
    status = models.CharField(_("status"), max_length=20, choices=ScenarioStatus.choices,
                              default=ScenarioStatus.DRAFT, editable=False)
    input_hash = models.CharField(_("input hash"), max_length=64, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True, editable=False)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", editable=False, verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    approved_inputs = models.JSONField(
        _("inputs as approved"), null=True, blank=True, editable=False,
        help_text=_("What the result was computed from when it was approved; applying checks them again."),
    )
    applied_document = models.ForeignKey("institutions.ApprovalDocument", on_delete=models.PROTECT, null=True,
                                         blank=True, related_name="+", editable=False,
                                         verbose_name=_("applied under document"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True, editable=False)
    copied_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, editable=False,
                                    related_name="copies", verbose_name=_("copied from"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", editable=False, verbose_name=_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(table_name="quotas_historicalallocationscenario")

    class Meta:
        db_table = "quotas_allocationscenario"  # kept when the model moved here
        verbose_name = _("allocation scenario")
        verbose_name_plural = _("allocation scenarios")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.name

    @property
    def weights(self) -> dict[str, Decimal]:
        return {"population": self.weight_population, "area": self.weight_area, "gdp": self.weight_gdp,
                "fiscal_revenue": self.weight_fiscal}

    @property
    def is_frozen(self) -> bool:
        return self.status in FROZEN_STATUSES

    def clean(self) -> None:
        errors = {}
        weights = [self.weight_population, self.weight_area, self.weight_gdp, self.weight_fiscal]
        if all(weight is not None for weight in weights) and sum(weights) != 100:
            errors["weight_population"] = _("The weights must add up to 100%% (they add up to %(sum)s%%).") % {
                "sum": sum(weights)}
        years = self.fiscal_years
        if not isinstance(years, list) or not years or not all(isinstance(y, int) and 1949 <= y <= 2999
                                                                for y in years):
            errors["fiscal_years"] = _("Give one or more fiscal years as a list of years, e.g. [2018, 2019].")
        elif len(set(years)) != len(years):
            errors["fiscal_years"] = _("A fiscal year is listed twice.")
        if self.scope_region_id and self.scope_region.parent_id is not None:
            errors["scope_region"] = _("The scope of a zero-based allocation is the city (its districts and "
                                       "counties share the total).")
        if errors:
            raise ValidationError(errors)


class ScenarioArea(models.Model):
    """Per-area settings of a scenario: floor, cap, a fixed-reserve override with its reason, a controlled rule."""

    region_path = "region"

    scenario = models.ForeignKey(AllocationScenario, on_delete=models.CASCADE, related_name="areas",
                                 verbose_name=_("scenario"))
    region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    floor = models.PositiveIntegerField(_("floor"), null=True, blank=True,
                                        help_text=_("At least this many quotas from the remainder."))
    cap = models.PositiveIntegerField(_("cap"), null=True, blank=True,
                                      help_text=_("At most this many quotas from the remainder."))
    reserve_override = models.PositiveIntegerField(_("fixed reserve override"), null=True, blank=True)
    reserve_reason = models.CharField(_("reason for the override"), max_length=300, blank=True)
    controlled_share = models.DecimalField(
        _("controlled-use share"), max_digits=5, decimal_places=4, null=True, blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))])
    controlled_count = models.PositiveIntegerField(_("controlled-use number"), null=True, blank=True)
    history = HistoricalRecords(table_name="quotas_historicalscenarioarea")

    class Meta:
        db_table = "quotas_scenarioarea"  # kept when the model moved here
        verbose_name = _("scenario area")
        verbose_name_plural = _("scenario areas")
        ordering = ("scenario", "region__code")
        constraints = [
            FieldUniqueConstraint(fields=["scenario", "region"], name="one_setting_per_scenario_area",
                                  error_field="region",
                                  violation_error_message=_("This area already has settings in this scenario.")),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} / {self.region}"

    def clean(self) -> None:
        errors = {}
        if self.floor is not None and self.cap is not None and self.floor > self.cap:
            errors["cap"] = _("The cap is below the floor.")
        if self.reserve_override is not None and not self.reserve_reason.strip():
            errors["reserve_reason"] = _("Say why the fixed reserve is overridden.")
        if self.controlled_share is not None and self.controlled_count is not None:
            errors["controlled_count"] = _("Give a controlled-use share or a number, not both.")
        if self.region_id and self.scenario_id and self.region.parent_id != self.scenario.scope_region_id:
            errors["region"] = _("The area must be a district or county of the scenario's city.")
        if (self.controlled_share is not None or self.controlled_count is not None) and self.region_id \
                and self.region.level != "county":
            errors["controlled_share"] = _("Only counties hold quotas under controlled use.")
        if errors:
            raise ValidationError(errors)


class ScenarioResult(models.Model):
    """One area's figures in a computed scenario, with the explanation."""

    region_path = "region"

    scenario = models.ForeignKey(AllocationScenario, on_delete=models.CASCADE, related_name="results",
                                 verbose_name=_("scenario"))
    region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("region"))
    fixed_reserve = models.IntegerField(_("fixed reserve"))
    reserve_overridden = models.BooleanField(_("reserve overridden"), default=False)
    shares = models.JSONField(_("indicator shares"), default=dict)
    score = models.DecimalField(_("score"), max_digits=12, decimal_places=6)
    ideal = models.DecimalField(_("ideal"), max_digits=20, decimal_places=6)
    allocated = models.IntegerField(_("allocated"))
    result = models.IntegerField(_("result"))
    bound = models.CharField(_("bound"), max_length=10, blank=True)
    controlled = models.IntegerField(_("controlled use"))
    usable = models.IntegerField(_("usable"))
    current = models.IntegerField(_("current holding"))
    difference = models.IntegerField(_("difference"))
    explanation = models.TextField(_("explanation"))

    class Meta:
        db_table = "quotas_scenarioresult"  # kept when the model moved here
        verbose_name = _("scenario result")
        verbose_name_plural = _("scenario results")
        ordering = ("scenario", "region__code")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "region"], name="one_result_per_scenario_area"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} / {self.region}: {self.result}"


class LedgerReading(models.Model):
    """How far zero-based allocation has read the ledger's transfer log (the highest transfer id handled)."""

    reader = models.CharField(_("reader"), max_length=50, unique=True)
    last_transfer_id = models.BigIntegerField(_("last transfer read"), default=0)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger reading")
        verbose_name_plural = _("ledger readings")

    def __str__(self) -> str:
        return f"{self.reader} @ {self.last_transfer_id}"
