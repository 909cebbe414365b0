"""Reclamation of vacant quotas (空编收回): each unit gives back what it holds beyond its staff and its promises.

The reform's rule for auxiliary and service units: their vacant quotas are reclaimed at once and they then run
"full" (满编运行). What may be reclaimed is the unit's reclaimable figure (``workflow.vacancy``): its own approved
quotas less its staff in quota and less the quotas its open quota-use notices reserve. Quotas borrowed from the
turnover pool are never taken (they go back to the pool, as their holders leave), and a hire that a notice allowed
can still enter after the reclamation. The quotas move through the ledger (``quotas.services.quota_reclaim``).

A preview over more units than a page computes while it waits (``settings.RECLAMATION_SYNC_UNITS``) is read by a
worker, chunk by chunk, into a ``ReclamationPreview`` whose page shows its progress.
"""
from __future__ import annotations

import datetime
import logging
from dataclasses import asdict, dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import scope_queryset
from core.background import start_task
from core.dates import check_date
from institutions.choices import InstitutionKind, InstitutionStatus, ReservedClass
from institutions.locks import lock_units
from institutions.models import Institution
from quotas import services as ledger
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaTransfer, QuotaType
from workflow.models.reclamation import PreviewState, ReclamationPreview
from workflow.vacancy import quota_positions

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReclaimLine:
    """One unit's figures in the preview: what it holds, why it keeps what it keeps, what goes back."""

    institution_id: int
    institution_name: str
    region_name: str
    approved: int  # own approved quotas
    borrowed: int
    staff: int
    reserved: int
    reclaimable: int

    @property
    def held(self) -> int:
        return self.approved + self.borrowed


def vacancy_reclaim_default_institutions() -> QuerySet:
    """Every active public institution not in a reserved basic-public-service class."""
    return Institution.objects.filter(
        kind=InstitutionKind.PUBLIC_INSTITUTION, status=InstitutionStatus.ACTIVE, reserved_class=ReservedClass.NONE
    )


def vacancy_reclaim_preview(*, institutions: QuerySet | None = None, quota_type: QuotaType | None = None
                            ) -> list[ReclaimLine]:
    """Per unit (by region, then name): own approved, borrowed, staff in quota, reserved, reclaimable (one query)."""
    quota_type = quota_type or ledger.quota_type_get()
    institutions = vacancy_reclaim_default_institutions() if institutions is None else institutions
    units = list(institutions.order_by("region__code", "name").values_list("pk", "name", "region__name"))
    positions = quota_positions(institutions, quota_type=quota_type)
    lines = []
    for pk, name, region_name in units:
        position = positions[pk]
        lines.append(ReclaimLine(pk, name, region_name, position.own, position.borrowed, position.staff_total,
                                 position.reserved, position.reclaimable))
    return lines


def vacancy_reclaim_apply(*, institutions: QuerySet | None = None, quota_type: QuotaType | None = None, document,
                          effective_date: datetime.date, by) -> list[QuotaTransfer]:
    """Reclaim every unit's reclaimable quotas into its region pool under one document, in one transaction.

    The units are locked first and their positions read after the lock, so a notice issued or a person entered
    at the same moment is either seen here or waits. Applying twice changes nothing: after the first run no unit
    has anything reclaimable left.
    """
    if document is None:
        raise ValidationError({"document": _("Every move of quotas needs its approval document.")})
    check_date(effective_date, field="effective_date")
    quota_type = quota_type or ledger.quota_type_get()
    institutions = vacancy_reclaim_default_institutions() if institutions is None else institutions
    transfers = []
    with transaction.atomic():
        lock_units(institutions.values_list("pk", flat=True))
        lines = [line for line in vacancy_reclaim_preview(institutions=institutions, quota_type=quota_type)
                 if line.reclaimable > 0]
        accounts = {
            account.institution_id: account
            for account in QuotaAccount.objects.select_related("region").filter(
                holder_kind=HolderKind.INSTITUTION, quota_type=quota_type, is_active=True,
                institution_id__in=[line.institution_id for line in lines])
        }
        pools: dict[int, QuotaAccount] = {}
        for line in lines:
            source = accounts[line.institution_id]
            if source.region_id not in pools:
                pools[source.region_id] = ledger.account_for_region(region=source.region, quota_type=quota_type)
            transfers.append(ledger.quota_reclaim(
                source=source, target=pools[source.region_id], amount=line.reclaimable, document=document,
                effective_date=effective_date, by=by,
                note=_("Vacant quotas reclaimed (staff in quota %(staff)d, reserved by notices %(reserved)d, "
                       "borrowed %(borrowed)d kept)")
                % {"staff": line.staff, "reserved": line.reserved, "borrowed": line.borrowed},
            ))
    return transfers


# --- previews over many units, by a worker ------------------------------------------------------------------------
PREVIEW_CHUNK = 250  # units read per step of a background preview: its progress moves this often


def reclamation_preview_queue(*, user, region=None, quota_type: QuotaType | None = None) -> ReclamationPreview:
    """Queue a preview of the units ``user`` sees (in ``region``, if given) for a worker, after commit."""
    preview = ReclamationPreview.objects.create(requested_by=user, region=region,
                                                quota_type=quota_type or ledger.quota_type_get())
    transaction.on_commit(lambda: start_task("workflow.run_reclamation_preview", preview.pk))
    return preview


def reclamation_preview_units(preview: ReclamationPreview) -> QuerySet:
    """The units a preview covers: the default ones its requester sees, in its region if it names one."""
    units = scope_queryset(vacancy_reclaim_default_institutions(), preview.requested_by)
    return units.filter(region_id=preview.region_id) if preview.region_id else units


def reclamation_preview_run(preview_id: int) -> str:
    """Run a queued preview once (one already started or finished is left alone), chunk by chunk, each chunk's
    count recorded as it is read; returns its state. A failure is recorded as such and logged; nothing else is
    written either way."""
    with transaction.atomic():
        preview = ReclamationPreview.objects.select_for_update().select_related(
            "requested_by", "quota_type").get(pk=preview_id)
        if preview.state != PreviewState.QUEUED:
            return preview.state
        preview.state = PreviewState.RUNNING
        preview.save(update_fields=["state"])
    try:
        pks = list(reclamation_preview_units(preview).order_by("region__code", "name").values_list("pk", flat=True))
        ReclamationPreview.objects.filter(pk=preview.pk).update(units_total=len(pks))
        lines: list[ReclaimLine] = []
        for start in range(0, len(pks), PREVIEW_CHUNK):
            chunk = Institution.objects.filter(pk__in=pks[start:start + PREVIEW_CHUNK])
            lines += vacancy_reclaim_preview(institutions=chunk, quota_type=preview.quota_type)
            ReclamationPreview.objects.filter(pk=preview.pk).update(units_done=len(lines))
        state = PreviewState.DONE
        rows = [asdict(line) for line in lines]
    except Exception:
        logger.exception("Reclamation preview %s failed", preview.pk)
        state, rows = PreviewState.FAILED, []
    ReclamationPreview.objects.filter(pk=preview.pk).update(state=state, lines=rows, finished_at=timezone.now())
    return state


def preview_lines(preview: ReclamationPreview) -> list[ReclaimLine]:
    """A finished preview's lines, as the page's own preview gives them."""
    return [ReclaimLine(**row) for row in preview.lines]


def reclaim_totals(lines: list[ReclaimLine]) -> dict[str, int]:
    """The preview's totals, which the page and the decision show."""
    return {name: sum(getattr(line, name) for line in lines)
            for name in ("approved", "borrowed", "staff", "reserved", "reclaimable")}
