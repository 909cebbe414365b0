"""The quota ledger: quota types, accounts and append-only transfers."""
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.constraints import TEXT_LIMIT, FieldCheckConstraint
from core.dates import validate_date
from quotas.choices import HolderKind, PoolSector, QuotaTypeCode, TransferKind


class QuotaType(models.Model):
    region_path = None

    code = models.CharField(_("code"), max_length=20, unique=True, choices=QuotaTypeCode.choices)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("quota type")
        verbose_name_plural = _("quota types")
        ordering = ("sort_order", "code")

    def __str__(self) -> str:
        return str(self.get_code_display())

    @classmethod
    def of(cls, code: str) -> "QuotaType":
        return cls.objects.get(code=code)


class QuotaAccount(models.Model):
    """Where quotas sit: one open account per holder and quota type. ``balance`` is kept by the services; a closed
    account (``is_active`` false, balance 0) takes no more postings and keeps its history."""

    region_path = "region"

    holder_kind = models.CharField(_("holder kind"), max_length=20, choices=HolderKind.choices)
    region = models.ForeignKey(
        "institutions.Region", on_delete=models.PROTECT, null=True, blank=True, related_name="quota_accounts",
        verbose_name=_("region"),
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, null=True, blank=True,
        related_name="quota_accounts", verbose_name=_("institution"),
    )
    sector = models.CharField(_("sector"), max_length=20, choices=PoolSector.choices, blank=True)
    quota_type = models.ForeignKey(
        QuotaType, on_delete=models.PROTECT, related_name="accounts", verbose_name=_("quota type")
    )
    balance = models.IntegerField(_("balance"), default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("quota account")
        verbose_name_plural = _("quota accounts")
        ordering = ("holder_kind", "region__code", "institution__name", "quota_type__sort_order")
        indexes = [
            models.Index(fields=["region", "holder_kind"]),
            # A unit's accounts of a type, open or closed (what it borrowed, what it held on a date): without it
            # SQLite walks every account of the type for each unit of a reconciliation.
            models.Index(fields=["institution", "quota_type"], name="account_unit_type"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0) | Q(holder_kind=HolderKind.PROVINCE), name="account_balance_not_negative",
                violation_error_message=_("Only the province account may have a negative balance."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(holder_kind=HolderKind.PROVINCE, region__isnull=True, institution__isnull=True)
                    | Q(holder_kind__in=[HolderKind.REGION_POOL, HolderKind.REGION_CONTROLLED,
                                         HolderKind.TURNOVER_POOL], region__isnull=False, institution__isnull=True)
                    | Q(holder_kind=HolderKind.INSTITUTION, region__isnull=False, institution__isnull=False)
                ),
                name="account_holder_consistent",
                violation_error_message=_("The holder fields do not fit the holder kind."),
            ),
            FieldCheckConstraint(
                condition=Q(sector="") | Q(holder_kind=HolderKind.TURNOVER_POOL),
                name="account_sector_only_for_pools",
                error_field="sector", violation_error_message=_("Only a turnover pool has a sector."),
            ),
            models.UniqueConstraint(
                fields=["quota_type"], condition=Q(holder_kind=HolderKind.PROVINCE),
                name="one_province_account_per_type",
            ),
            models.UniqueConstraint(
                fields=["holder_kind", "region", "quota_type"],
                condition=Q(holder_kind__in=[HolderKind.REGION_POOL, HolderKind.REGION_CONTROLLED]),
                name="one_region_account_per_kind_and_type",
            ),
            # A devolved unit's account is closed in the region it left and reopened in the receiving one, so
            # that totals by region on any date count the unit where it was: one open account per unit and type.
            models.UniqueConstraint(
                fields=["institution", "quota_type"], condition=Q(holder_kind=HolderKind.INSTITUTION, is_active=True),
                name="one_open_institution_account_per_type",
            ),
            models.UniqueConstraint(
                fields=["region", "quota_type", "sector"], condition=Q(holder_kind=HolderKind.TURNOVER_POOL),
                name="one_turnover_pool_per_type_and_sector",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} · {self.quota_type}"

    @property
    def holder_name(self) -> str:
        if self.holder_kind == HolderKind.PROVINCE:
            return str(_("Province"))
        if self.holder_kind == HolderKind.INSTITUTION:
            return str(self.institution)
        label = {
            HolderKind.REGION_POOL: _("pool"),
            HolderKind.REGION_CONTROLLED: _("controlled-use hold"),
            HolderKind.TURNOVER_POOL: _("turnover pool"),
        }[self.holder_kind]
        sector = f"（{self.get_sector_display()}）" if self.sector else ""
        return f"{self.region} {label}{sector}"


class TransferQuerySet(models.QuerySet):
    """Transfers are append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise ImmutableTransferError(_("Ledger transfers are never edited; post a reversal instead."))

    def delete(self):
        raise ImmutableTransferError(_("Ledger transfers are never deleted; post a reversal instead."))


class ImmutableTransferError(ValidationError):
    pass


class QuotaTransfer(models.Model):
    """One move of quotas between two accounts, on an approval document. Never edited or deleted."""

    region_path = ("source__region", "target__region")

    source = models.ForeignKey(
        QuotaAccount, on_delete=models.PROTECT, related_name="debits", verbose_name=_("from account")
    )
    target = models.ForeignKey(
        QuotaAccount, on_delete=models.PROTECT, related_name="credits", verbose_name=_("to account")
    )
    amount = models.PositiveIntegerField(_("amount"))
    kind = models.CharField(_("kind"), max_length=20, choices=TransferKind.choices)
    document = models.ForeignKey(
        "institutions.ApprovalDocument", on_delete=models.PROTECT, related_name="quota_transfers",
        verbose_name=_("approval document"),
    )
    effective_date = models.DateField(_("effective date"), validators=[validate_date])
    note = models.TextField(_("note"), max_length=TEXT_LIMIT, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reverses = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reversed_by",
        verbose_name=_("reverses"),
    )

    objects = TransferQuerySet.as_manager()

    class Meta:
        verbose_name = _("quota transfer")
        verbose_name_plural = _("quota transfers")
        ordering = ("effective_date", "pk")
        indexes = [
            models.Index(fields=["source", "effective_date", "id"], name="transfer_source_date"),
            models.Index(fields=["target", "effective_date", "id"], name="transfer_target_date"),
            models.Index(fields=["effective_date"], name="transfer_date"),  # closing a month reads that month
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transfer_amount_positive"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="transfer_accounts_differ"),
            models.CheckConstraint(
                condition=Q(reverses__isnull=True) | Q(kind=TransferKind.REVERSAL),
                name="transfer_reverses_iff_reversal",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.amount}: {self.source} → {self.target}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableTransferError(_("Ledger transfers are never edited; post a reversal instead."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableTransferError(_("Ledger transfers are never deleted; post a reversal instead."))


class LedgerPeriod(models.Model):
    """A closed period of the ledger (a calendar month, named by its last day): every account's balance at its end is
    kept in ``AccountClosing``, so a balance on a later date reads that closing plus the transfers after it, however
    long the history. Closing is derived from the transfer log, which stays the only truth: a transfer posted later
    with an earlier effective date moves every later closing in the same transaction (``quotas.services``), and
    ``ledger_check`` sums the log again to prove the closings (docs/architecture.md, "Closing balances")."""

    period_end = models.DateField(_("period end"), unique=True, validators=[validate_date])
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("closed ledger period")
        verbose_name_plural = _("closed ledger periods")
        ordering = ("period_end",)

    def __str__(self) -> str:
        return self.period_end.isoformat()


class AccountClosing(models.Model):
    """An account's balance at the end of a closed period: credits minus debits effective by ``period_end``.
    A missing row is a balance of 0 (only accounts with something at the period's end are written)."""

    account = models.ForeignKey(QuotaAccount, on_delete=models.PROTECT, related_name="closings",
                                verbose_name=_("account"))
    period_end = models.DateField(_("period end"))
    balance = models.IntegerField(_("balance"))

    class Meta:
        verbose_name = _("closing balance")
        verbose_name_plural = _("closing balances")
        constraints = [models.UniqueConstraint(fields=["account", "period_end"], name="closing_account_period")]
        indexes = [models.Index(fields=["period_end", "account"], name="closing_period_account")]

    def __str__(self) -> str:
        return f"{self.account} {self.period_end.isoformat()}: {self.balance}"
