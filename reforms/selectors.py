"""The reform's effect (改革成效): institutions and quotas per level and region on two dates, the executed operations,
the levels' consistency and, with an earlier date, the second round measured against the first.

``reform_effect`` is the one place the effect page, its API and its workbook read. Quotas are counted as the ledger
holds them (``quotas.selectors.totals_by_region``): each region's institutions, pool and controlled-use hold; the
turnover pools lend to every level and are counted apart, in the citywide total only. Institutions are those that
existed on each date, in the region they sat in then (``institutions.selectors.institution_counts_by_region``,
which follows devolutions). Counties also show "reduced or put under controlled use": the reduction plus the
growth of their controlled-use holds, the figure the reform reports for them.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from institutions.models import ApprovalDocument
from institutions.selectors import institution_counts_by_region
from quotas.models import QuotaType
from quotas.selectors import RegionTotal, totals_by_region
from reforms.models import OperationKind, ReformOperation
from workflow import states as workflow

LEVELS = ("city", "district", "county")
LEVEL_LABELS = {"city": gettext_lazy("City level"), "district": gettext_lazy("Districts"),
                "county": gettext_lazy("Counties")}
TENTH = Decimal("0.1")
DEFAULT_TOLERANCE = 5  # percentage points; settings.REFORM_CONSISTENCY_TOLERANCE overrides it
DEMO_TITLE_MARK = "（示意）"  # every document of the demo city ends its title so (demo/*.py)


def percent_of(part: int, base: int) -> Decimal | None:
    """``part`` as a percentage of ``base``, to one decimal rounded half up (四舍五入, as published figures are);
    None when the base is 0."""
    if not base:
        return None
    return (Decimal(part) * 100 / base).quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Change:
    """A figure on two dates: the change and its percentage of the first (negative: fewer)."""

    before: int
    after: int
    change: int
    percent: Decimal | None

    @classmethod
    def of(cls, before: int, after: int) -> Change:
        return cls(before, after, after - before, percent_of(after - before, before))

    @property
    def reduction_percent(self) -> Decimal | None:
        """The percentage by which the figure fell (positive: fewer; negative: it grew)."""
        return None if self.percent is None else -self.percent


@dataclass(frozen=True)
class LevelEffect:
    """The city level, the districts or the counties: what their regions had on both dates."""

    level: str
    institutions: Change
    quotas: Change  # held in institutions, pools and controlled-use holds; turnover pools apart
    controlled: Change  # of which in controlled-use holds
    reduced_or_controlled: int | None = None  # counties only
    reduced_or_controlled_percent: Decimal | None = None


@dataclass(frozen=True)
class RegionEffect:
    region_id: int
    code: str
    name: str
    level: str
    institutions: Change
    quotas: Change
    controlled: Change
    turnover_pool: Change  # the region's turnover pools, not in ``quotas``
    reduced_or_controlled: int | None = None  # counties only
    reduced_or_controlled_percent: Decimal | None = None


@dataclass(frozen=True)
class Consistency:
    """Whether the levels cut their quotas by about as much: the spread (max − min) of the levels' quota change
    percentages, against a tolerance in percentage points. Levels without quotas on the first date are left out;
    with fewer than two levels to compare, there is no spread and no verdict."""

    percents: dict[str, Decimal | None]  # level → quota change percentage
    spread: Decimal | None
    tolerance: Decimal
    is_consistent: bool | None


@dataclass(frozen=True)
class Round:
    """The reform between ``start`` and ``end``; operations are those of plans effective in (start, end]."""

    start: datetime.date
    end: datetime.date
    levels: tuple[LevelEffect, ...]
    regions: tuple[RegionEffect, ...]
    turnover_pools: Change
    citywide_institutions: Change
    citywide_quotas: Change  # the levels and the turnover pools
    operations: dict[str, int]  # operation kind → executed operations, every kind in OperationKind's order
    consistency: Consistency

    @property
    def operations_total(self) -> int:
        return sum(self.operations.values())

    def level(self, name: str) -> LevelEffect:
        return next(level for level in self.levels if level.level == name)


@dataclass(frozen=True)
class Comparison:
    """One row (a level, a region, or "citywide") in both rounds: the second round measured against the figures
    the first left (its own first date), each round with its own percentages."""

    key: str  # a level, a region's division code, or "citywide"
    name: str  # the region's name; empty for levels and the citywide total
    first_institutions: Change
    first_quotas: Change
    second_institutions: Change
    second_quotas: Change

    @property
    def is_further_reduction(self) -> bool:
        """Both rounds cut both figures (the sentence "a further x % fewer ... on top of ..." then holds)."""
        changes = (self.first_institutions, self.first_quotas, self.second_institutions, self.second_quotas)
        return all(change.percent is not None and change.percent < 0 for change in changes)


@dataclass(frozen=True)
class ReformEffect:
    before: datetime.date
    after: datetime.date
    previous: datetime.date | None
    quota_type: QuotaType | None
    round: Round  # before → after
    first_round: Round | None  # previous → before
    level_comparisons: tuple[Comparison, ...]  # with ``previous``: each level, then the citywide total
    region_comparisons: tuple[Comparison, ...]


def consistency_tolerance() -> Decimal:
    """Percentage points the levels' quota reductions may differ by and still count as broadly consistent."""
    return Decimal(str(getattr(settings, "REFORM_CONSISTENCY_TOLERANCE", DEFAULT_TOLERANCE)))


def reform_effect(before: datetime.date, after: datetime.date, *, quota_type: QuotaType | None = None,
                  regions: QuerySet | None = None, previous: datetime.date | None = None) -> ReformEffect:
    """The reform's effect between ``before`` and ``after`` (and, with ``previous``, its first round from
    ``previous`` to ``before``), for ``regions`` (a Region queryset; None: every region) and ``quota_type`` (None:
    every type).

    The dates must come in order (previous < before < after): a round runs forward, and operations are counted in
    (start, end]. Raises ``ValidationError`` naming the date out of order.
    """
    if after <= before:
        raise ValidationError({"after": ValidationError(
            _("The date after the reform must be later than the date before it."), code="dates_out_of_order")})
    if previous is not None and previous >= before:
        raise ValidationError({"previous": ValidationError(
            _("The first round's start must be earlier than the date before the reform."),
            code="dates_out_of_order")})
    reader = _Reader(quota_type, regions)
    second = reader.round(before, after)
    first = reader.round(previous, before) if previous is not None else None
    return ReformEffect(
        before=before, after=after, previous=previous, quota_type=quota_type, round=second, first_round=first,
        level_comparisons=_level_comparisons(first, second) if first else (),
        region_comparisons=_region_comparisons(first, second) if first else (),
    )


def demo_city_loaded() -> bool:
    """Whether the illustrative demo city is in the database: its documents mark their titles "（示意）"."""
    return ApprovalDocument.objects.filter(title__endswith=DEMO_TITLE_MARK).exists()


class _Reader:
    """Reads each date once (two grouped ledger queries and one registry query), however many rounds use it."""

    def __init__(self, quota_type: QuotaType | None, regions: QuerySet | None) -> None:
        self.quota_type, self.regions = quota_type, regions
        self.dates: dict[datetime.date, tuple[list[RegionTotal], dict[int, int]]] = {}
        self.region_ids: list[int] | None = None if regions is None else list(regions.values_list("pk", flat=True))

    def on(self, day: datetime.date) -> tuple[list[RegionTotal], dict[int, int]]:
        if day not in self.dates:
            self.dates[day] = (totals_by_region(day, quota_type=self.quota_type, regions=self.regions),
                               institution_counts_by_region(day))
        return self.dates[day]

    def operations(self, start: datetime.date, end: datetime.date) -> dict[str, int]:
        executed = ReformOperation.objects.filter(
            plan__status=workflow.EXECUTED, plan__effective_date__gt=start, plan__effective_date__lte=end)
        if self.region_ids is not None:
            executed = executed.filter(plan__region_id__in=self.region_ids)
        counts = dict(executed.order_by().values("kind").annotate(count=Count("pk")).values_list("kind", "count"))
        return {kind: counts.get(kind, 0) for kind in OperationKind.values}

    def round(self, start: datetime.date, end: datetime.date) -> Round:
        totals_start, counts_start = self.on(start)
        totals_end, counts_end = self.on(end)
        by_region = {row.region_id: row for row in totals_start}
        levels = {level: {"institutions": [0, 0], "quotas": [0, 0], "controlled": [0, 0]} for level in LEVELS}
        pools = [0, 0]
        regions = []
        for row in totals_end:
            old = by_region[row.region_id]
            figures = {
                "institutions": (counts_start.get(row.region_id, 0), counts_end.get(row.region_id, 0)),
                "quotas": (old.total - old.turnover_pool, row.total - row.turnover_pool),
                "controlled": (old.controlled, row.controlled),
            }
            for name, (first, last) in figures.items():
                levels[row.level][name][0] += first
                levels[row.level][name][1] += last
            pools[0] += old.turnover_pool
            pools[1] += row.turnover_pool
            changes = {name: Change.of(*pair) for name, pair in figures.items()}
            regions.append(RegionEffect(
                region_id=row.region_id, code=row.code, name=row.name, level=row.level,
                turnover_pool=Change.of(old.turnover_pool, row.turnover_pool),
                **changes, **_reduced_or_controlled(row.level, changes["quotas"], changes["controlled"])))
        level_rows = []
        for level, figures in levels.items():
            changes = {name: Change.of(*pair) for name, pair in figures.items()}
            level_rows.append(LevelEffect(
                level=level, **changes, **_reduced_or_controlled(level, changes["quotas"], changes["controlled"])))
        turnover_pools = Change.of(*pools)
        return Round(
            start=start, end=end, levels=tuple(level_rows), regions=tuple(regions), turnover_pools=turnover_pools,
            citywide_institutions=Change.of(sum(level.institutions.before for level in level_rows),
                                            sum(level.institutions.after for level in level_rows)),
            citywide_quotas=Change.of(sum(level.quotas.before for level in level_rows) + turnover_pools.before,
                                      sum(level.quotas.after for level in level_rows) + turnover_pools.after),
            operations=self.operations(start, end),
            consistency=_consistency(level_rows),
        )


def _reduced_or_controlled(level: str, quotas: Change, controlled: Change) -> dict:
    """For counties: quotas reduced (cut from what they held) plus those newly put under controlled use."""
    if level != "county":
        return {}
    amount = -quotas.change + controlled.change
    return {"reduced_or_controlled": amount, "reduced_or_controlled_percent": percent_of(amount, quotas.before)}


def _consistency(levels: list[LevelEffect]) -> Consistency:
    percents = {level.level: level.quotas.percent for level in levels}
    known = [percent for percent in percents.values() if percent is not None]
    tolerance = consistency_tolerance()
    spread = max(known) - min(known) if len(known) >= 2 else None
    return Consistency(percents=percents, spread=spread, tolerance=tolerance,
                       is_consistent=None if spread is None else spread <= tolerance)


def _level_comparisons(first: Round, second: Round) -> tuple[Comparison, ...]:
    rows = [Comparison(level, "", first.level(level).institutions, first.level(level).quotas,
                       second.level(level).institutions, second.level(level).quotas) for level in LEVELS]
    rows.append(Comparison("citywide", "", first.citywide_institutions, first.citywide_quotas,
                           second.citywide_institutions, second.citywide_quotas))
    return tuple(rows)


def _region_comparisons(first: Round, second: Round) -> tuple[Comparison, ...]:
    earlier = {region.region_id: region for region in first.regions}
    return tuple(
        Comparison(region.code, region.name, earlier[region.region_id].institutions, earlier[region.region_id].quotas,
                   region.institutions, region.quotas)
        for region in second.regions)
