"""Reads of the city/district workflow, in SQL: own and borrowed quotas, the monthly change list and the inboxes.

The quota figures of a unit (usable vacancy, reserved, own and borrowed) are ``workflow.vacancy``'s.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from core.dates import month_end
from quotas.choices import HolderKind
from quotas.models import QuotaAccount
from workflow import states as workflow
from workflow.models import QuotaUseNotice, StaffMovement, TurnoverLoan
from workflow.models.hiring import EXIT_REASONS, MovementKind
from workflow.vacancy import quota_positions

OPEN_NOTICE = Q(status=workflow.APPROVED)
OUTSTANDING_LOAN = Q(status=workflow.APPROVED)


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


def quota_holdings(institutions: QuerySet, *, borrowers_only: bool = False) -> list[Holding]:
    """Each unit's balance per quota type with its own and borrowed quotas apart (the units' quota positions, one
    query per quota type held)."""
    accounts = QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, institution__in=institutions,
                                           is_active=True)
    if borrowers_only:
        accounts = accounts.filter(institution__turnover_loans__status=workflow.APPROVED).distinct()
    rows = list(
        accounts.order_by("region__code", "institution__name", "quota_type__sort_order")
        .values_list("institution_id", "institution__name", "region__code", "quota_type__code")
    )
    positions = {}
    for code in {row[3] for row in rows}:
        ids = [row[0] for row in rows if row[3] == code]
        positions[code] = quota_positions(institutions.model.objects.filter(pk__in=ids), quota_type=code)
    return [
        Holding(institution_id, name, region_code, code, positions[code][institution_id].held,
                positions[code][institution_id].borrowed)
        for institution_id, name, region_code, code in rows
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
    return first, month_end(first)


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
