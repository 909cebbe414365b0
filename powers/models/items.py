"""A power-list item (权责清单事项): a power an agency or a public institution holding administrative functions
exercises, its legal basis, its responsibility chain and what the list's review did with it (docs/domain.md,
"Power lists")."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import TEXT_LIMIT, FieldCheckConstraint, FieldUniqueConstraint
from institutions.choices import InstitutionStatus
from powers.choices import FULL_CHAIN, STEP_ORDER, Disposition, PowerType

CODE_LENGTH = 50


def chain_errors(steps) -> list[ValidationError]:
    """What is wrong with a responsibility chain: a list of step codes, each known, none twice, in the order
    立案 → 调查 → 审理 → 告知 → 决定 → 送达 → 执行 (steps may be left out)."""
    if not isinstance(steps, list) or not all(isinstance(step, str) for step in steps):
        return [ValidationError(_("The responsibility chain is a list of step codes."), code="invalid_chain")]
    unknown = [step for step in steps if step not in STEP_ORDER]
    if unknown:
        return [ValidationError(_("Unknown responsibility steps: %(steps)s.") % {"steps": ", ".join(unknown)},
                                code="unknown_step")]
    if len(set(steps)) != len(steps):
        return [ValidationError(_("A responsibility step appears twice."), code="duplicate_step")]
    if steps != sorted(steps, key=STEP_ORDER.index):
        return [ValidationError(_("The responsibility steps are out of order: filing, investigation, review, "
                                  "notification, decision, service, execution."), code="step_order")]
    return []


class PowerItem(models.Model):
    region_path = "region"

    name = models.CharField(_("power name"), max_length=200)
    power_type = models.CharField(_("power type"), max_length=30, choices=PowerType.choices)
    code = models.CharField(_("power code"), max_length=CODE_LENGTH,
                            help_text=_("Unique within the holder's list."))
    holder = models.ForeignKey("institutions.Institution", on_delete=models.PROTECT, related_name="power_items",
                               verbose_name=_("implementing body"),
                               help_text=_("The agency or public institution that exercises the power."))
    region = models.ForeignKey("institutions.Region", on_delete=models.PROTECT, related_name="power_items",
                               editable=False, verbose_name=_("region"),
                               help_text=_("The holder's region (set from the holder)."))
    legal_basis = models.TextField(_("legal basis"), max_length=TEXT_LIMIT, blank=True)
    article = models.TextField(_("article"), max_length=TEXT_LIMIT, blank=True,
                               help_text=_("The specific articles of the legal basis."))
    responsibility_steps = models.JSONField(
        _("responsibility chain"), default=list, blank=True,
        help_text=_("Step codes in order: filing, investigation, review, notification, decision, service, "
                    "execution. A penalty item without steps gets the full chain."))
    accountability = models.TextField(_("accountability"), max_length=TEXT_LIMIT, blank=True,
                                      help_text=_("The cases in which those responsible are held to account."))
    remarks = models.TextField(_("remarks"), max_length=TEXT_LIMIT, blank=True)
    disposition = models.CharField(_("disposition"), max_length=20, choices=Disposition.choices,
                                   default=Disposition.KEPT)
    receiver = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True,
        related_name="received_power_items", verbose_name=_("receiving unit"),
        help_text=_("A devolved item: the unit of a lower level that takes it over."))
    cleanup_reason = models.TextField(_("reason for the clean-up"), max_length=TEXT_LIMIT, blank=True)
    document = models.ForeignKey("institutions.ApprovalDocument", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("approval document"),
                                 help_text=_("The document approving the list."))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("power-list item")
        verbose_name_plural = _("power-list items")
        ordering = ("region__code", "holder__name", "code", "pk")
        indexes = [models.Index(fields=["region", "power_type"]), models.Index(fields=["disposition"])]
        constraints = [
            FieldUniqueConstraint(
                fields=["holder", "code"], name="power_item_code_unique_per_holder", error_field="code",
                violation_error_code="duplicate_code",
                violation_error_message=_("The holder's list already has an item with this code."),
            ),
            FieldCheckConstraint(
                condition=~Q(disposition=Disposition.DEVOLVED) | Q(receiver__isnull=False),
                name="power_item_devolved_has_receiver", error_field="receiver",
                violation_error_code="receiver_required",
                violation_error_message=_("A devolved item names the unit that receives it."),
            ),
            FieldCheckConstraint(
                condition=Q(disposition=Disposition.DEVOLVED) | Q(receiver__isnull=True),
                name="power_item_receiver_only_if_devolved", error_field="receiver",
                violation_error_code="receiver_not_devolved",
                violation_error_message=_("Only a devolved item has a receiving unit."),
            ),
            FieldCheckConstraint(
                condition=~Q(disposition=Disposition.CLEANED_UP) | ~Q(cleanup_reason=""),
                name="power_item_cleaned_up_has_reason", error_field="cleanup_reason",
                violation_error_code="reason_required",
                violation_error_message=_("A cleaned-up item states why it was cleaned up."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def level(self) -> str:
        """"city" or "district" (a county's list counts with the districts'): from the holder's region."""
        return "city" if self.region_id and self.region.parent_id is None else "district"

    @property
    def holder_kind(self) -> str:
        """The holder's kind in the registry: ``agency`` or ``public_institution``."""
        return self.holder.kind

    def apply_defaults(self) -> None:
        """The region from the holder; a penalty item without steps gets the full chain; codes stripped."""
        if self.holder_id:
            self.region_id = self.holder.region_id
        if self.power_type == PowerType.PENALTY and not self.responsibility_steps:
            self.responsibility_steps = list(FULL_CHAIN)
        if isinstance(self.code, str):
            self.code = self.code.strip()

    def clean(self) -> None:
        self.apply_defaults()
        errors: dict[str, list] = {}
        if self.holder_id and (self.pk is None or self._holder_changed()) \
                and self.holder.status != InstitutionStatus.ACTIVE:
            errors.setdefault("holder", []).append(ValidationError(
                _("“%(name)s” is no longer active and holds no new powers.") % {"name": self.holder},
                code="holder_inactive"))
        steps = chain_errors(self.responsibility_steps)
        if steps:
            errors["responsibility_steps"] = steps
        if self.disposition == Disposition.DEVOLVED:
            if not self.receiver_id:
                errors.setdefault("receiver", []).append(ValidationError(
                    _("A devolved item names the unit that receives it."), code="receiver_required"))
            elif self.holder_id and self.receiver.region.parent_id != self.holder.region_id:
                errors.setdefault("receiver", []).append(ValidationError(
                    _("“%(receiver)s” is not of a level below the holder's: a devolved item goes to a unit of a "
                      "district or county under %(region)s.") % {"receiver": self.receiver,
                                                                  "region": self.holder.region},
                    code="receiver_not_below"))
        elif self.receiver_id:
            errors.setdefault("receiver", []).append(ValidationError(
                _("Only a devolved item has a receiving unit."), code="receiver_not_devolved"))
        if self.disposition == Disposition.CLEANED_UP and not (self.cleanup_reason or "").strip():
            errors.setdefault("cleanup_reason", []).append(ValidationError(
                _("A cleaned-up item states why it was cleaned up."), code="reason_required"))
        if errors:
            raise ValidationError(errors)

    def _holder_changed(self) -> bool:
        return not PowerItem.objects.filter(pk=self.pk, holder_id=self.holder_id).exists()

    def save(self, *args, **kwargs) -> None:
        self.apply_defaults()
        super().save(*args, **kwargs)
