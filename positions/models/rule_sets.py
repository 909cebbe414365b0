"""Position rule sets (岗位结构比例): the ratios and limits a position plan is checked against, editable."""
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldCheckConstraint, FieldUniqueConstraint
from positions import rules
from positions.choices import MainPostType, RuleCode, RuleLevel


class PositionRuleSet(models.Model):
    """A named set of rules for one level of government, with the senior : intermediate : junior ratio."""

    region_path = None  # reference data: every role reads it

    name = models.CharField(_("name"), max_length=100, unique=True,
                            error_messages={"unique": _("A rule set with this name already exists.")})
    level = models.CharField(_("level"), max_length=20, choices=RuleLevel.choices)
    source = models.TextField(
        _("source"), help_text=_("The documents the rules come from, e.g. 国人部发〔2006〕70号 and 〔2006〕87号."),
        max_length=TEXT_LIMIT,
    )
    ratio_senior = models.DecimalField(_("ratio: senior"), max_digits=5, decimal_places=2,
                                       validators=[MinValueValidator(Decimal(0))])
    ratio_intermediate = models.DecimalField(_("ratio: intermediate"), max_digits=5, decimal_places=2,
                                             validators=[MinValueValidator(Decimal(0))])
    ratio_junior = models.DecimalField(_("ratio: junior"), max_digits=5, decimal_places=2,
                                       validators=[MinValueValidator(Decimal(0))])
    ratio_tolerance = models.DecimalField(
        _("ratio tolerance"), max_digits=5, decimal_places=4, default=Decimal(0),
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Added to the senior and intermediate shares of the ratio (0.02 = two percentage points)."),
    )
    is_default = models.BooleanField(
        _("default for its level"), default=False,
        help_text=_("Plans of units at this level are checked against this set unless another is chosen."),
    )
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position rule set")
        verbose_name_plural = _("position rule sets")
        ordering = ("level", "name")
        constraints = [
            FieldUniqueConstraint(
                fields=["level"], condition=Q(is_default=True), name="one_default_rule_set_per_level",
                error_field="is_default",
                violation_error_message=_("Another rule set is already the default for this level."),
            ),
            FieldCheckConstraint(
                condition=Q(ratio_senior__gte=0, ratio_intermediate__gte=0, ratio_junior__gte=0),
                name="rule_set_ratio_not_negative", error_field="ratio_senior",
                violation_error_message=_("The parts of the ratio cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def ratio_text(self) -> str:
        return ":".join(f"{part.normalize():f}" for part in (self.ratio_senior, self.ratio_intermediate,
                                                             self.ratio_junior))

    def clean(self) -> None:
        parts = (self.ratio_senior, self.ratio_intermediate, self.ratio_junior)
        if all(part is not None for part in parts) and sum(parts) <= 0:
            raise ValidationError({"ratio_junior": _("The ratio needs at least one part above zero.")})

    def as_rule_set(self) -> rules.RuleSet:
        """The pure ``rules.RuleSet`` (reads ``self.rules``; prefetch it when checking many plans)."""
        return rules.RuleSet(
            name=self.name,
            ratio=(self.ratio_senior, self.ratio_intermediate, self.ratio_junior),
            tolerance=self.ratio_tolerance,
            rules=tuple(rule.as_rule() for rule in self.rules.all()),
        )


class PositionRule(models.Model):
    """One rule of a set: what it checks (its code), its threshold, and whether breaking it refuses the plan."""

    region_path = None

    rule_set = models.ForeignKey(PositionRuleSet, on_delete=models.CASCADE, related_name="rules",
                                 verbose_name=_("rule set"))
    code = models.CharField(_("rule"), max_length=40, choices=RuleCode.choices)
    applies_to = models.CharField(
        _("applies to"), max_length=30, choices=MainPostType.choices, blank=True,
        help_text=_("Only plans of this main post type; empty: every plan."),
    )
    threshold = models.DecimalField(
        _("threshold"), max_digits=8, decimal_places=4, null=True, blank=True,
        help_text=_(
            "Shares as fractions (0.70 = 70%); for the position total and leadership posts, a multiple of the "
            "quotas or posts (1.00); for the highest level, the level number (4 = levels 1–3 not allowed). "
            "The ratio rules take their limit from the rule set's ratio and leave this empty."
        ),
    )
    is_binding = models.BooleanField(
        _("binding"), default=False,
        help_text=_("A plan that breaks a binding rule is refused; otherwise it is saved with a warning."),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("position rule")
        verbose_name_plural = _("position rules")
        ordering = ("rule_set", "code", "applies_to")
        constraints = [
            FieldUniqueConstraint(
                fields=["rule_set", "code", "applies_to"], name="rule_code_unique_in_set", error_field="code",
                violation_error_message=_("This rule set already has this rule for these units."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_code_display())

    def clean(self) -> None:
        if not self.code:
            return
        if self.code in rules.RATIO_RULES:
            if self.threshold is not None:
                raise ValidationError({"threshold": _("The ratio rules take their limit from the rule set's ratio; "
                                                      "leave the threshold empty.")})
            return
        if self.threshold is None:
            raise ValidationError({"threshold": _("This rule needs a threshold.")})
        kind = rules.FIGURE_KIND[self.code]
        if kind == rules.SHARE and not Decimal(0) <= self.threshold <= Decimal(1):
            raise ValidationError({"threshold": _("A share is a fraction between 0 and 1 (0.70 = 70%).")})
        if kind == rules.LEVEL and (self.threshold != self.threshold.to_integral_value()
                                    or not 1 <= self.threshold <= 13):
            raise ValidationError({"threshold": _("The highest level is a whole number from 1 to 13.")})
        if kind == rules.COUNT and self.threshold <= 0:
            raise ValidationError({"threshold": _("The multiple must be above zero.")})

    def as_rule(self) -> rules.Rule:
        return rules.Rule(code=self.code, threshold=self.threshold, is_binding=self.is_binding,
                          applies_to=self.applies_to)
