"""Serializers of the standards API: a region's cap with its figures, a finding, a service figure, the findings'
query, one unit's standing."""
from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from institutions.models import Region
from standards import rules, selectors, texts
from standards.models import InstitutionCap, ServiceFigure
from standards.texts import RULE_CHOICES, cap_text, plain, rule_label

# A decimal written as a string ("1.2", "6.7"), as DRF writes its decimal fields: exact, and so described.
DECIMAL_STRING = {"type": "string", "format": "decimal", "pattern": r"^-?\d+(\.\d+)?$"}
MAX_ID = 2**63 - 1  # the database's largest key: a bigger number is no row (and no overflow)


@extend_schema_field(DECIMAL_STRING)
class PlainDecimalField(serializers.Field):
    """A decimal as a string written by hand (``"1.2"``, ``"0.193"``, ``"38.736"``): exact, without padding."""

    def __init__(self, **kwargs) -> None:
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value) -> str:
        return plain(value)


class DerivationSerializer(serializers.Serializer):
    """cap = must_exist + ⌊coefficient × agencies × (1 − city_reduction) × factor⌋, with today's registry counts."""

    must_exist = serializers.IntegerField(help_text=_("The region's public institutions with a must-exist reason."))
    coefficient = PlainDecimalField()
    agencies = serializers.IntegerField(help_text=_("The region's administrative agencies."))
    city_reduction = PlainDecimalField()
    factor = PlainDecimalField()
    derived_part = PlainDecimalField(help_text=_("coefficient × agencies × (1 − city_reduction) × factor, "
                                                 "before rounding down."))
    cap = serializers.IntegerField()


class InstitutionCapSerializer(serializers.ModelSerializer):
    """A region's cap (``standards.selectors.CapFigure``): fixed or derived, against its public institutions now."""

    region_code = serializers.CharField(source="region.code", read_only=True)
    region_name = serializers.CharField(source="region.name", read_only=True)
    method_display = serializers.CharField(source="get_method_display", read_only=True)
    cap = serializers.IntegerField(source="figure.cap", read_only=True, allow_null=True,
                                   help_text=_("The cap in force: the fixed number, or the derivation's result."))
    derivation = DerivationSerializer(source="figure.derivation", read_only=True, allow_null=True)
    derivation_text = serializers.SerializerMethodField()
    document_number = serializers.CharField(source="document.number", read_only=True, allow_null=True)
    institutions = serializers.IntegerField(source="figure.institutions", read_only=True,
                                            help_text=_("The region's public institutions existing today."))
    over_by = serializers.IntegerField(source="figure.over_by", read_only=True)

    class Meta:
        model = InstitutionCap
        fields = ("id", "region", "region_code", "region_name", "method", "method_display", "cap", "derivation",
                  "derivation_text", "document", "document_number", "institutions", "over_by", "character", "note")
        read_only_fields = fields

    def get_derivation_text(self, cap: InstitutionCap) -> str:
        """How the cap comes about, as a sentence in the user's language."""
        return cap_text(cap.figure)


class StandardFindingSerializer(serializers.Serializer):
    """A rule broken now (``standards.selectors.Finding``): what broke it, the figure and the limit."""

    rule = serializers.ChoiceField(choices=RULE_CHOICES)
    rule_label = serializers.SerializerMethodField()
    region_id = serializers.IntegerField(source="region.pk")
    region_code = serializers.CharField(source="region.code")
    region_name = serializers.CharField(source="region.name")
    institution_id = serializers.IntegerField(source="institution.pk", allow_null=True, default=None)
    institution_name = serializers.CharField(source="institution.name", allow_null=True, default=None)
    division_id = serializers.IntegerField(source="division.pk", allow_null=True, default=None)
    division_name = serializers.CharField(source="division.name", allow_null=True, default=None)
    figure = serializers.SerializerMethodField()
    limit = serializers.CharField(help_text=_("The limit as shown: \"74\", \"≥ 8\", \"2–3\", \"588–630\"."))
    detail = serializers.DictField(help_text=_("The figures behind the finding (quotas, divisions, over_by …)."))

    def get_rule_label(self, finding: selectors.Finding) -> str:
        return rule_label(finding.rule)

    @extend_schema_field(DECIMAL_STRING)
    def get_figure(self, finding: selectors.Finding) -> str:
        """The unit's or region's figure: a count, or (quotas per division) an average to one decimal."""
        return plain(finding.figure) if isinstance(finding.figure, Decimal) else str(finding.figure)


class StandardFindingQuerySerializer(serializers.Serializer):
    """The findings' filters: ``region`` (an id or a division code, among the regions the user sees) and ``rule``."""

    region = serializers.CharField(required=False, max_length=20,
                                   help_text=_("A region's id or its division code."))
    rule = serializers.ChoiceField(choices=RULE_CHOICES, required=False)

    def __init__(self, *args, regions=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.regions = regions if regions is not None else Region.objects.none()

    def validate_region(self, value: str) -> Region:
        """A six-digit value is a division code first; any other number an id. Another region's is unknown."""
        value = value.strip()
        region = self.regions.filter(code=value).first() if value else None
        if region is None and value.isascii() and value.isdigit() and int(value) <= MAX_ID:
            region = self.regions.filter(pk=int(value)).first()
        if region is None:
            raise serializers.ValidationError(_("Unknown region: give the id or the division code of a region you "
                                                "see."), code="does_not_exist")
        return region


class ServiceFigureSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)
    region_id = serializers.IntegerField(source="institution.region_id", read_only=True)
    region_code = serializers.CharField(source="institution.region.code", read_only=True)
    region_name = serializers.CharField(source="institution.region.name", read_only=True)
    figure_display = serializers.CharField(source="get_figure_display", read_only=True)

    class Meta:
        model = ServiceFigure
        fields = ("id", "institution", "institution_name", "region_id", "region_code", "region_name", "year",
                  "figure", "figure_display", "value", "source")
        read_only_fields = fields


# --- one unit's standing (``standards.selectors.UnitStanding``) ---------------------------------------------------
class DivisionLimitSerializer(serializers.Serializer):
    """The internal-division table's band for the unit's size."""

    max_divisions = serializers.IntegerField()
    min_per_division = serializers.IntegerField()
    max_per_division = serializers.IntegerField(allow_null=True)


class UnitDivisionsSerializer(serializers.Serializer):
    """The unit's internal divisions against the standard (大处(科)制)."""

    count = serializers.IntegerField(source="divisions.divisions")
    average = PlainDecimalField(allow_null=True, help_text=_("Quotas per division to one decimal (compared "
                                                             "unrounded); null without divisions."))
    minimum_average = serializers.SerializerMethodField()
    average_too_low = serializers.BooleanField(source="divisions.average_too_low")
    limit = DivisionLimitSerializer(source="divisions.limit", allow_null=True,
                                    help_text=_("The table's band for the unit's size; null when none covers it."))
    too_many = serializers.BooleanField(source="divisions.too_many")
    reform_ceiling = serializers.IntegerField(source="division_ceiling", allow_null=True, help_text=_(
        "The internal divisions the unit had before its last reform plan: it may not have more."))
    more_than_before = serializers.BooleanField(source="divisions.more_than_before")
    average_text = serializers.SerializerMethodField()
    count_text = serializers.SerializerMethodField()
    ceiling_text = serializers.SerializerMethodField()

    @extend_schema_field(DECIMAL_STRING)
    def get_minimum_average(self, standing: selectors.UnitStanding) -> str:
        return plain(rules.MIN_AVERAGE_PER_DIVISION)

    def get_average_text(self, standing: selectors.UnitStanding) -> str:
        return texts.division_average_text(standing)

    def get_count_text(self, standing: selectors.UnitStanding) -> str:
        return texts.division_count_text(standing)

    def get_ceiling_text(self, standing: selectors.UnitStanding) -> str:
        return texts.division_ceiling_text(standing)


class PostRangeSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    high = serializers.IntegerField()


class UnitLeadershipSerializer(serializers.Serializer):
    """The unit's leadership posts (principal + deputy) against the table's range for its size."""

    quotas = serializers.IntegerField(source="leadership.quotas")
    principal = serializers.IntegerField(source="institution.leadership_principal")
    deputy = serializers.IntegerField(source="institution.leadership_deputy")
    posts = serializers.IntegerField(source="leadership.posts")
    allowed = PostRangeSerializer(source="leadership.allowed", allow_null=True)
    over = serializers.BooleanField(source="leadership.over")
    text = serializers.SerializerMethodField()

    def get_text(self, standing: selectors.UnitStanding) -> str:
        return texts.leadership_text(standing)


class DivisionLeadershipSerializer(serializers.Serializer):
    """An internal division's leadership posts against the table's range for the division's quotas."""

    division_id = serializers.IntegerField(source="division.pk")
    division_name = serializers.CharField(source="division.name")
    quotas = serializers.IntegerField(source="leadership.quotas")
    principal = serializers.IntegerField(source="division.leadership_principal")
    deputy = serializers.IntegerField(source="division.leadership_deputy")
    posts = serializers.IntegerField(source="leadership.posts")
    allowed = PostRangeSerializer(source="leadership.allowed", allow_null=True)
    over = serializers.BooleanField(source="leadership.over")
    text = serializers.SerializerMethodField()

    def get_text(self, row: selectors.DivisionStanding) -> str:
        return texts.division_leadership_text(row)


class IndustryRuleLineSerializer(serializers.Serializer):
    """The rule line that read the figure."""

    id = serializers.IntegerField(source="pk")
    figure_from = serializers.IntegerField(source="low")
    figure_to = serializers.IntegerField(source="high", allow_null=True)
    level = serializers.CharField()
    basis = serializers.CharField()
    basis_display = serializers.CharField(source="get_basis_display")
    rate_low = PlainDecimalField()
    rate_high = PlainDecimalField(allow_null=True)
    per = serializers.IntegerField()
    minimum = serializers.IntegerField(allow_null=True)
    minimum_below = serializers.IntegerField(allow_null=True)
    rate_text = serializers.SerializerMethodField()

    def get_rate_text(self, rule) -> str:
        return texts.rate_text(rule.as_rule())


class StandardPartSerializer(serializers.Serializer):
    """One figure's share of the standard (``standards.selectors.StandardPart``)."""

    figure = serializers.CharField()
    figure_display = serializers.CharField(source="rule.get_figure_display")
    year = serializers.IntegerField()
    value = serializers.IntegerField()
    source = serializers.CharField()
    rule_set = serializers.CharField(help_text=_("The name of the rule set in force at the end of the year."))
    rule = IndustryRuleLineSerializer()
    computed_low = PlainDecimalField(source="result.computed_low")
    computed_high = PlainDecimalField(source="result.computed_high")
    low = serializers.IntegerField(source="result.low")
    high = serializers.IntegerField(source="result.high")
    minimum_applied = serializers.BooleanField(source="result.minimum_applied")
    text = serializers.SerializerMethodField()

    def get_text(self, part: selectors.StandardPart) -> str:
        return texts.standard_part_text(part)


class UnitStandardSerializer(serializers.Serializer):
    """The unit's industry standard: the sum of its parts, ``low``–``high`` quotas."""

    low = serializers.IntegerField()
    high = serializers.IntegerField()
    parts = StandardPartSerializer(many=True)
    missing = serializers.ListField(child=serializers.CharField(), help_text=_(
        "Figures of the unit no rule line in force covers."))


class InstitutionStandingSerializer(serializers.Serializer):
    """One unit against every standard (``standards.selectors.unit_standing``), by the same checks as the
    findings: ``rules_broken`` and ``findings`` are what ``/standard-findings/`` lists for the unit."""

    institution_id = serializers.IntegerField(source="institution.pk")
    institution_name = serializers.CharField(source="institution.name")
    region_id = serializers.IntegerField(source="institution.region_id")
    region_code = serializers.CharField(source="institution.region.code")
    region_name = serializers.CharField(source="institution.region.name")
    day = serializers.DateField()
    measured = serializers.BooleanField(help_text=_(
        "An active public institution: the findings measure it (otherwise it breaks no rule)."))
    quotas = serializers.IntegerField(help_text=_("Its own approved quotas now."))
    divisions = UnitDivisionsSerializer(source="*")
    leadership = UnitLeadershipSerializer(source="*")
    division_leadership = DivisionLeadershipSerializer(many=True)
    industry_standard = UnitStandardSerializer(source="standard", allow_null=True)
    industry_text = serializers.SerializerMethodField()
    rules_broken = serializers.ListField(source="broken", child=serializers.CharField(), help_text=_(
        "The codes of the rules it breaks (a finding's ``rule``), in the order of the rules."))
    findings = StandardFindingSerializer(many=True)

    def get_industry_text(self, standing: selectors.UnitStanding) -> str:
        return texts.industry_text(standing)
