"""Choices of the quota ledger."""
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class QuotaTypeCode(models.TextChoices):
    INSTITUTIONAL = "institutional", _("Institutional quota (事业编制)")
    ADMINISTRATIVE = "administrative", _("Administrative quota (行政编制)")
    POLITICAL_LEGAL = "political_legal", _("Political-legal quota (政法专项编制)")
    WORKER = "worker", _("Worker quota (工勤编制)")


class HolderKind(models.TextChoices):
    PROVINCE = "province", _("Province (outside the city)")
    REGION_POOL = "region_pool", _("Region pool (unallocated)")
    REGION_CONTROLLED = "region_controlled", _("Region controlled-use hold")
    INSTITUTION = "institution", _("Institution")
    TURNOVER_POOL = "turnover_pool", _("Turnover pool")


class PoolSector(models.TextChoices):
    GENERAL = "general", _("General")
    EDUCATION = "education", _("Education")
    HEALTH = "health", _("Health")
    TALENT = "talent", _("Talent")


class TransferKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    ALLOCATE = "allocate", _("Allocate")
    RECLAIM = "reclaim", _("Reclaim")
    CANCEL = "cancel", pgettext_lazy("quota transfer kind", "Cancel")  # 核销; a button's "Cancel" is 取消
    TRANSFER = "transfer", _("Transfer")
    CONTROL = "control", _("Put under controlled use")
    RELEASE = "release", _("Release from controlled use")
    LOAN = "loan", _("Loan")
    RETURN = "return", _("Return")
    REVERSAL = "reversal", _("Reversal")


# Which holder kinds each kind of transfer moves quotas between (source kinds, target kinds).
P, POOL, HOLD, INST, TURN = (
    HolderKind.PROVINCE,
    HolderKind.REGION_POOL,
    HolderKind.REGION_CONTROLLED,
    HolderKind.INSTITUTION,
    HolderKind.TURNOVER_POOL,
)
TRANSFER_ROUTES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    TransferKind.GRANT: (frozenset({P}), frozenset({POOL, TURN})),
    TransferKind.ALLOCATE: (frozenset({POOL}), frozenset({INST})),
    TransferKind.RECLAIM: (frozenset({INST}), frozenset({POOL, TURN})),
    TransferKind.CANCEL: (frozenset({POOL, HOLD, INST, TURN}), frozenset({P})),
    TransferKind.TRANSFER: (frozenset({INST, POOL}), frozenset({INST, POOL})),
    TransferKind.CONTROL: (frozenset({POOL}), frozenset({HOLD})),
    TransferKind.RELEASE: (frozenset({HOLD}), frozenset({POOL})),
    TransferKind.LOAN: (frozenset({TURN}), frozenset({INST})),
    TransferKind.RETURN: (frozenset({INST}), frozenset({TURN})),
}
