"""Institutions (agencies and public institutions), their internal divisions and extra plaques."""
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.constraints import FieldCheckConstraint, FieldUniqueConstraint
from core.dates import validate_date
from institutions.choices import (
    Category,
    FundingForm,
    InstitutionKind,
    InstitutionStatus,
    LegalPersonState,
    MustExistReason,
    Rank,
    ReservedClass,
)
from institutions.validators import validate_credit_code

# A chain of supervisors longer than this is certainly a data error (and stops a runaway walk).
MAX_SUPERVISOR_DEPTH = 20


class Institution(models.Model):
    region_path = "region"

    kind = models.CharField(
        _("kind"), max_length=20, choices=InstitutionKind.choices, default=InstitutionKind.PUBLIC_INSTITUTION
    )
    name = models.CharField(_("full name"), max_length=200)
    short_name = models.CharField(_("standard short name"), max_length=100, blank=True)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, null=True, blank=True, unique=True,
        validators=[validate_credit_code],
        error_messages={"unique": _("Another institution already has this credit code.")},
    )
    region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, related_name="institutions", verbose_name=_("region")
    )
    # Only agencies supervise; clean() says so by name. No limit_choices_to: the field's own check would
    # report the same rule a second time as "instance with id N is not a valid choice".
    supervisor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supervised",
        verbose_name=_("supervising agency"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.UNCLASSIFIED)
    funding_form = models.CharField(
        _("funding form"), max_length=20, choices=FundingForm.choices, default=FundingForm.FULL
    )
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices, default=Rank.UNRANKED)
    reserved_class = models.CharField(
        _("reserved class"), max_length=30, choices=ReservedClass.choices, default=ReservedClass.NONE,
        help_text=_("Quotas of reserved classes are fixed first in zero-based allocation."),
    )
    must_exist_reason = models.CharField(
        _("must-exist reason"), max_length=30, choices=MustExistReason.choices, default=MustExistReason.NONE
    )
    status = models.CharField(
        _("status"), max_length=20, choices=InstitutionStatus.choices, default=InstitutionStatus.ACTIVE
    )
    established_on = models.DateField(_("established on"), null=True, blank=True, validators=[validate_date])
    established_document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("establishing document"),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_date])
    ended_document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("ending document"),
    )
    successor = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="predecessors", editable=False,
        verbose_name=_("successor"), help_text=_("The unit it was merged into (set by the reform operation)."),
    )
    legal_person_state = models.CharField(
        _("legal-person registration"), max_length=20, choices=LegalPersonState.choices,
        default=LegalPersonState.REGISTERED,
    )
    # The registered particulars a charter must repeat (docs/domain.md, legal-person registration); empty where the
    # registry does not hold them yet.
    address = models.CharField(_("address (住所)"), max_length=300, blank=True)
    opening_funds = models.DecimalField(
        _("opening funds (10,000 yuan)"), max_digits=12, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(0)], help_text=_("开办资金, in 10,000 yuan, as registered."))
    leadership_principal = models.PositiveSmallIntegerField(_("leadership posts (principal)"), default=1)
    leadership_deputy = models.PositiveSmallIntegerField(_("leadership posts (deputy)"), default=0)
    reform_division_ceiling = models.PositiveSmallIntegerField(
        _("internal divisions allowed after the reform"), null=True, blank=True, editable=False,
        help_text=_("The internal divisions the unit had before its last reform plan (set by the plan): it may not "
                    "have more (大处(科)制)."))
    # Interim: staff in quota, until position-side staff counts take over (read via quotas.selectors).
    staff_in_quota = models.PositiveIntegerField(_("staff in quota"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ("region__code", "name")
        indexes = [models.Index(fields=["region", "status"]), models.Index(fields=["name"])]
        constraints = [
            FieldUniqueConstraint(
                fields=["region", "name"], condition=Q(status="active"), name="institution_active_name_unique",
                error_field="name",
                violation_error_message=_("An active institution with this name already exists in this region."),
            ),
            FieldCheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(established_on__isnull=True)
                | Q(ended_on__gte=F("established_on")),
                name="institution_ended_after_established", error_field="ended_on",
                violation_error_message=_("An institution cannot end before it was established."),
            ),
            FieldCheckConstraint(
                condition=~Q(supervisor=F("pk")), name="institution_not_own_supervisor", error_field="supervisor",
                violation_error_message=_("An institution cannot supervise itself."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == InstitutionStatus.ACTIVE

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.credit_code == "":
            self.credit_code = None
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.supervisor_id:
            supervisor = self.supervisor
            if supervisor.kind != InstitutionKind.AGENCY:
                errors.setdefault("supervisor", []).append(
                    _("The supervising body must be an administrative agency, not “%(name)s”.") % {"name": supervisor}
                )
            elif self.pk and self._supervisor_chain_reaches_self(supervisor):
                errors.setdefault("supervisor", []).append(
                    _("“%(name)s” is already supervised, directly or not, by this institution: that would be a cycle.")
                    % {"name": supervisor}
                )
        if self.status != InstitutionStatus.ACTIVE and not self.ended_on:
            errors.setdefault("ended_on", []).append(_("An institution that is no longer active needs its end date."))
        if self.status == InstitutionStatus.ACTIVE and self.ended_on:
            errors.setdefault("ended_on", []).append(_("An active institution has no end date."))
        if errors:
            raise ValidationError(errors)

    def _supervisor_chain_reaches_self(self, supervisor: "Institution") -> bool:
        seen: set[int] = set()
        current = supervisor
        for _step in range(MAX_SUPERVISOR_DEPTH):
            if current is None:
                return False
            if current.pk == self.pk:
                return True
            if current.pk in seen:
                return True
            seen.add(current.pk)
            current = current.supervisor
        return True


class InternalDivision(models.Model):
    region_path = "institution__region"

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="divisions", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=100)
    rank = models.CharField(_("rank"), max_length=20, choices=Rank.choices, default=Rank.UNRANKED)
    quota_count = models.PositiveIntegerField(_("quota count"), default=0)
    leadership_principal = models.PositiveSmallIntegerField(_("leadership posts (principal)"), default=1)
    leadership_deputy = models.PositiveSmallIntegerField(_("leadership posts (deputy)"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("internal division")
        verbose_name_plural = _("internal divisions")
        ordering = ("institution", "name")
        constraints = [
            FieldUniqueConstraint(
                fields=["institution", "name"], name="division_name_unique_in_institution", error_field="name",
                violation_error_message=_("This institution already has a division with this name."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.institution} / {self.name}"

    def clean(self) -> None:
        institution = self.institution if self.institution_id else None
        ceiling = institution.reform_division_ceiling if institution is not None else None
        if ceiling is not None and self.pk is None and institution.divisions.count() >= ceiling:
            raise ValidationError({"institution": _(
                "“%(unit)s” had %(ceiling)d internal divisions before its reform and may not have more after it "
                "(大处(科)制): merge or close a division first.") % {"unit": institution, "ceiling": ceiling}})


class Plaque(models.Model):
    """An extra name an institution carries (加挂牌子); it carries no quota of its own."""

    region_path = "institution__region"

    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="plaques", verbose_name=_("institution")
    )
    name = models.CharField(_("name"), max_length=200)
    started_on = models.DateField(_("started on"), null=True, blank=True, validators=[validate_date])
    ended_on = models.DateField(_("ended on"), null=True, blank=True, validators=[validate_date])
    document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("approval document"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("plaque")
        verbose_name_plural = _("plaques")
        ordering = ("institution", "name")
        constraints = [
            FieldCheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(started_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="plaque_ended_after_started", error_field="ended_on",
                violation_error_message=_("A plaque cannot be removed before it was put up."),
            ),
        ]

    def __str__(self) -> str:
        return self.name
