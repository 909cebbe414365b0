"""Reads of the city/district workflow, in SQL: reserved quotas, usable vacancy, own and borrowed quotas, the
monthly change list and the inboxes.

Usable vacancy (DESIGN.md, the ledger) = approved (the unit's institution account balance for the quota
type) − staff in quota (``quotas.selectors.staff_in_quota``) − quotas reserved by issued notices not yet taken up
(已核准未入编).
Staff counts are not split by quota type: a unit holding quotas of two types has its staff counted against each.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from institutions.models import Institution
from positions import workflow
from positions.models import QuotaUseNotice, StaffMovement, TurnoverLoan
from positions.models.hiring import EXIT_REASONS, MovementKind
from quotas.choices import HolderKind
from quotas.models import QuotaAccount, QuotaType
from quotas.selectors import staff_in_quota

OPEN_NOTICE = Q(status=workflow.APPROVED)
OUTSTANDING_LOAN = Q(status=workflow.APPROVED)


def reserved_by_notices(
    institution_ids, *, quota_type: QuotaType | None = None, category: str | None = None,
    exclude_notice_id: int | None = None,
) -> dict[int, int]:
    """Quotas reserved per unit by issued notices not yet taken up (count − taken up), in one query."""
    queryset = QuotaUseNotice.objects.filter(OPEN_NOTICE, institution_id__in=list(institution_ids))
    if quota_type is not None:
        queryset = queryset.filter(quota_type=quota_type)
    if category is not None:
        queryset = queryset.filter(category=category)
    if exclude_notice_id is not None:
        queryset = queryset.exclude(pk=exclude_notice_id)
    rows = queryset.order_by().values("institution_id").annotate(
        reserved=Sum(F("count") - F("taken_up"), output_field=IntegerField())
    ).values_list("institution_id", "reserved")
    return dict(rows)


@dataclass(frozen=True)
class Vacancy:
    approved: int
    staff: int
    reserved: int

    @property
    def usable(self) -> int:
        """Approved − staff − reserved (negative when over quota or over-reserved)."""
        return self.approved - self.staff - self.reserved

    @property
    def over_quota(self) -> int:
        return max(self.staff - self.approved, 0)


def institution_balance(institution: Institution, quota_type: QuotaType) -> int:
    """The stored balance of the unit's account of ``quota_type`` (0 without one)."""
    balance = QuotaAccount.objects.filter(
        holder_kind=HolderKind.INSTITUTION, institution=institution, quota_type=quota_type
    ).values_list("balance", flat=True).first()
    return balance or 0


def usable_vacancy(institution: Institution, quota_type: QuotaType, *, exclude_notice_id: int | None = None,
                   approved: int | None = None) -> Vacancy:
    """The unit's usable vacancy of ``quota_type`` now (``approved``: a balance read under a lock, if the caller
    holds one)."""
    if approved is None:
        approved = institution_balance(institution, quota_type)
    staff = staff_in_quota([institution.pk]).get(institution.pk, 0)
    reserved = reserved_by_notices([institution.pk], quota_type=quota_type,
                                   exclude_notice_id=exclude_notice_id).get(institution.pk, 0)
    return Vacancy(approved=approved, staff=staff, reserved=reserved)


def posts_lacking_staff(institution: Institution, category: str, *, exclude_notice_id: int | None = None
                        ) -> tuple[int, int, int] | None:
    """(posts, staff, reserved) of ``category`` by the plan in effect and the latest staff count, or None when the
    unit lacks either (then only its quotas are checked)."""
    from positions.selectors import reconciliation_of

    row = reconciliation_of(institution)
    if row is None or row.posts is None or row.staff is None:
        return None
    reserved = reserved_by_notices([institution.pk], category=category,
                                   exclude_notice_id=exclude_notice_id).get(institution.pk, 0)
    return row.posts[category], row.staff[category], reserved


# --- own and borrowed ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Holding:
    institution_id: int
    institution_name: str
    region_code: str
    quota_type: str
    balance: int
    borrowed: int

    @property
    def own(self) -> int:
        """Quotas the unit holds of its own: its balance less what it still owes the pool."""
        return self.balance - self.borrowed


def borrowed_outstanding(institution_ids, *, quota_type: QuotaType | None = None) -> dict[tuple[int, int], int]:
    """(institution id, quota type id) → pool quotas lent and not yet returned, in one query."""
    queryset = TurnoverLoan.objects.filter(OUTSTANDING_LOAN, institution_id__in=list(institution_ids))
    if quota_type is not None:
        queryset = queryset.filter(pool__quota_type=quota_type)
    rows = queryset.order_by().values("institution_id", "pool__quota_type_id").annotate(
        owed=Sum(F("count") - F("returned"), output_field=IntegerField())
    ).values_list("institution_id", "pool__quota_type_id", "owed")
    return {(institution_id, type_id): owed for institution_id, type_id, owed in rows}


def quota_holdings(institutions: QuerySet, *, borrowers_only: bool = False) -> list[Holding]:
    """Each unit's balance per quota type with its own and borrowed quotas apart (two queries)."""
    accounts = QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution__in=institutions)
    if borrowers_only:
        accounts = accounts.filter(institution__turnover_loans__status=workflow.APPROVED).distinct()
    rows = list(
        accounts.order_by("region__code", "institution__name", "quota_type__sort_order")
        .values_list("institution_id", "institution__name", "region__code", "quota_type_id", "quota_type__code",
                     "balance")
    )
    owed = borrowed_outstanding({row[0] for row in rows})
    return [
        Holding(institution_id, name, region_code, type_code, balance, owed.get((institution_id, type_id), 0))
        for institution_id, name, region_code, type_id, type_code, balance in rows
    ]


def expected_leavers_within(return_plan: list[dict], start: datetime.date, end: datetime.date) -> int:
    """Leavers the return plan expects from ``start`` to ``end`` inclusive (entries already validated)."""
    total = 0
    for item in return_plan or []:
        day = datetime.date.fromisoformat(str(item["date"]))
        if start <= day <= end:
            total += int(item["count"])
    return total


# --- monthly change list ------------------------------------------------------------------------------------------
@dataclass
class MonthlyChange:
    institution_id: int
    institution_name: str
    credit_code: str
    region_code: str
    region_name: str
    funding_form: str
    entries: int
    exits: int
    exits_by_reason: dict[str, int]

    @property
    def net(self) -> int:
        return self.entries - self.exits


def month_range(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def monthly_staff_changes(year: int, month: int, institutions: QuerySet) -> list[MonthlyChange]:
    """Entries and exits per unit in the month (people), exits by reason: what the finance bureau's payroll follows.

    One grouped query over the month's movements.
    """
    first, last = month_range(year, month)
    movements = StaffMovement.objects.filter(date__range=(first, last), institution__in=institutions)
    sums = {
        "entries": Coalesce(Sum("count", filter=Q(kind=MovementKind.ENTRY)), 0),
        "exits": Coalesce(Sum("count", filter=Q(kind=MovementKind.EXIT)), 0),
        **{f"exit_{reason}": Coalesce(Sum("count", filter=Q(kind=MovementKind.EXIT, reason=reason)), 0)
           for reason in EXIT_REASONS},
    }
    rows = (
        movements.order_by("institution__region__code", "institution__name", "institution_id")
        .values("institution_id", "institution__name", "institution__credit_code", "institution__region__code",
                "institution__region__name", "institution__funding_form")
        .annotate(**sums)
    )
    return [
        MonthlyChange(
            institution_id=row["institution_id"], institution_name=row["institution__name"],
            credit_code=row["institution__credit_code"] or "", region_code=row["institution__region__code"],
            region_name=row["institution__region__name"], funding_form=row["institution__funding_form"],
            entries=row["entries"], exits=row["exits"],
            exits_by_reason={str(reason): row[f"exit_{reason}"] for reason in EXIT_REASONS},
        )
        for row in rows
    ]


def month_movements(year: int, month: int, institutions: QuerySet) -> QuerySet:
    first, last = month_range(year, month)
    return StaffMovement.objects.filter(date__range=(first, last), institution__in=institutions).select_related(
        "institution__region", "notice"
    ).order_by("institution__region__code", "institution__name", "date", "pk")


# --- inboxes ------------------------------------------------------------------------------------------------------
def requests_in_state(model, visible_institutions: QuerySet, states) -> QuerySet:
    return model.objects.filter(institution__in=visible_institutions, status__in=list(states)).select_related(
        "institution__region"
    )


def loans_due_within(visible_institutions: QuerySet, today: datetime.date, days: int) -> QuerySet:
    """Outstanding loans due by ``today + days`` (overdue ones included), soonest first."""
    return TurnoverLoan.objects.filter(
        OUTSTANDING_LOAN, institution__in=visible_institutions, due_date__lte=today + datetime.timedelta(days=days)
    ).select_related("institution__region", "pool__region", "case").order_by("due_date", "pk")


def overdue_loans(visible_institutions: QuerySet) -> QuerySet:
    return TurnoverLoan.objects.filter(OUTSTANDING_LOAN, is_overdue=True,
                                       institution__in=visible_institutions).select_related(
        "institution__region", "pool__region").order_by("due_date", "pk")


def notices_expiring_within(visible_institutions: QuerySet, today: datetime.date, days: int) -> QuerySet:
    return QuotaUseNotice.objects.filter(
        OPEN_NOTICE, institution__in=visible_institutions, valid_until__lte=today + datetime.timedelta(days=days)
    ).select_related("institution__region", "quota_type").order_by("valid_until", "pk")


def state_counts(model, visible_institutions: QuerySet) -> dict[str, int]:
    return dict(
        model.objects.filter(institution__in=visible_institutions).order_by().values("status")
        .annotate(n=Count("pk")).values_list("status", "n")
    )
