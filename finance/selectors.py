"""Reads of the finance integration: each unit's figures as the finance bureau sees them, and the stored payroll
checks.

Every quota and staff figure comes from the one quota position (``workflow.vacancy.annotate_quota_positions``, its
figures defined by ``workflow.quota_position.QuotaPosition``): one SQL query per quota type for any set of units,
so a page of the finance view costs the same few queries whatever its size. Nothing here recomputes usable vacancy.
"""
from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from finance.models import PayrollCheck, PayrollLine, PayrollUnit
from institutions.models import Institution
from positions.rules import CATEGORIES
from quotas.choices import QuotaTypeCode
from workflow.quota_position import QuotaPosition
from workflow.vacancy import POSITION_VALUE_FIELDS, annotate_quota_positions, position_from_values

QUOTA_TYPE_CODES: tuple[str, ...] = tuple(QuotaTypeCode.values)
CHUNK = 1000  # units per query: well inside every database's limit on bound parameters


@dataclass(frozen=True)
class UnitFigures:
    """One unit's quota position for each quota type on a day, and the date of the staff count it read."""

    institution_id: int
    positions: dict[str, QuotaPosition]  # quota type code → position
    staff_count_as_of: datetime.date | None  # None: no staff count by the day (the registry's staff figure)

    @property
    def _any(self) -> QuotaPosition | None:
        return next(iter(self.positions.values()), None)

    # Staff counts are not split by quota type (docs/domain.md, "Quota types"): every type's position reads the
    # same count, so the unit's staff figures are any type's.
    @property
    def staff_total(self) -> int:
        return self._any.staff_total if self._any else 0

    @property
    def staff_by_category(self) -> dict[str, int] | None:
        staff = self._any.staff if self._any else None
        return None if staff is None else {category: staff[category] for category in CATEGORIES}

    # A person paid in quota takes one quota of whatever type the unit holds: the unit's quotas are its types' sum.
    @property
    def own(self) -> int:
        return sum(position.own for position in self.positions.values())

    @property
    def borrowed(self) -> int:
        return sum(position.borrowed for position in self.positions.values())

    @property
    def held(self) -> int:
        return sum(position.held for position in self.positions.values())


def unit_figures(institution_ids: Iterable[int], *, on: datetime.date | None = None) -> dict[int, UnitFigures]:
    """Institution id → its figures on ``on`` (None: now, as the services decide on it), one query per quota type
    (and per ``CHUNK`` units)."""
    ids = sorted(set(institution_ids))
    positions: dict[int, dict[str, QuotaPosition]] = {pk: {} for pk in ids}
    staff_day: dict[int, datetime.date | None] = dict.fromkeys(ids)
    for start in range(0, len(ids), CHUNK):
        units = Institution.objects.filter(pk__in=ids[start:start + CHUNK]).order_by()
        for code in QUOTA_TYPE_CODES:
            rows = annotate_quota_positions(units, on=on, quota_type=code).values(
                *POSITION_VALUE_FIELDS, "staff__as_of")
            for row in rows:
                positions[row["id"]][code] = position_from_values(row)
                staff_day[row["id"]] = row["staff__as_of"]
    return {pk: UnitFigures(institution_id=pk, positions=positions[pk], staff_count_as_of=staff_day[pk])
            for pk in ids}


@dataclass(frozen=True)
class FinanceUnitRow:
    """A row of the finance view: the registry's unit and its figures on ``day``."""

    institution: Institution
    figures: UnitFigures
    day: datetime.date


def finance_unit_rows(institutions: Iterable[Institution], *, on: datetime.date | None,
                      day: datetime.date) -> list[FinanceUnitRow]:
    """The finance view of ``institutions`` (a page of them), in their order."""
    units = list(institutions)
    figures = unit_figures([unit.pk for unit in units], on=on)
    return [FinanceUnitRow(institution=unit, figures=figures[unit.pk], day=day) for unit in units]


# --- stored payroll checks ------------------------------------------------------------------------------------
def _per_check(units: QuerySet, expression):
    """``expression`` aggregated over ``units`` (scoped by the caller) of the outer check, or 0."""
    rows = units.filter(payroll_check=OuterRef("pk")).order_by().values("payroll_check").annotate(
        total=expression).values("total")
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def payroll_checks(units: QuerySet) -> QuerySet:
    """Every check, newest month and version first, with the figures of ``units`` (the units the reader sees):
    ``unit_count``, ``over_quota_count``, ``over_staff_count``, ``flagged_count``, ``paid_sum``, and
    ``latest_version`` of its month."""
    latest = PayrollCheck.objects.filter(month=OuterRef("month")).order_by().values("month").annotate(
        latest=Max("version")).values("latest")
    return PayrollCheck.objects.select_related("created_by").annotate(
        unit_count=_per_check(units, Count("pk")),
        over_quota_count=_per_check(units, Count("pk", filter=Q(is_over_quota=True))),
        over_staff_count=_per_check(units, Count("pk", filter=Q(is_over_staff=True))),
        flagged_count=_per_check(units, Count("pk", filter=Q(is_over_quota=True) | Q(is_over_staff=True))),
        paid_sum=_per_check(units, Sum("paid_total")),
        latest_version=Subquery(latest, output_field=IntegerField()),
    ).order_by("-month", "-version")


@dataclass
class PayrollTotals:
    """The sums of the stored answers shown (a reader's own region's units for a district office)."""

    units: int = 0
    paid: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CATEGORIES, 0))
    paid_total: int = 0
    staff_total: int = 0
    quotas_own: int = 0
    quotas_borrowed: int = 0
    quotas_held: int = 0
    over_quota: int = 0
    over_staff: int = 0


@dataclass
class PayrollAnswer:
    check: PayrollCheck
    units: list[PayrollUnit]
    totals: PayrollTotals


def payroll_units(check: PayrollCheck, units: QuerySet) -> QuerySet:
    """The check's units among ``units`` (scoped by the caller), flagged first, with their lines (two queries)."""
    return (units.filter(payroll_check=check).select_related("institution__region")
            .prefetch_related(Prefetch("lines", queryset=PayrollLine.objects.order_by("category")))
            .order_by("-is_over_quota", "-is_over_staff", "institution__region__code", "institution__name", "pk"))


def paid_by_category(unit: PayrollUnit) -> dict[str, int]:
    """Paid per category (0 for a category the finance system posted no line for), in ``CATEGORIES`` order."""
    paid = dict.fromkeys(CATEGORIES, 0)
    for line in unit.lines.all():
        paid[line.category] = line.paid
    return paid


def payroll_answer(check: PayrollCheck, units: QuerySet) -> PayrollAnswer:
    """The stored answer of ``check`` for ``units`` and its totals: the sums of the stored figures."""
    rows = list(payroll_units(check, units))
    totals = PayrollTotals(units=len(rows))
    for unit in rows:
        for category, paid in paid_by_category(unit).items():
            totals.paid[category] += paid
        totals.paid_total += unit.paid_total
        totals.staff_total += unit.staff_total
        totals.quotas_own += unit.quotas_own
        totals.quotas_borrowed += unit.quotas_borrowed
        totals.quotas_held += unit.quotas_held
        totals.over_quota += unit.is_over_quota
        totals.over_staff += unit.is_over_staff
    return PayrollAnswer(check=check, units=rows, totals=totals)
