"""The standards as arithmetic (docs/domain.md, "One standard for all"): pure functions, no Django.

Each function returns its figure with the inputs it used, so that a page, the API and the reform preview explain a
limit the same way. The callers turn codes into translated messages.

Rounding, chosen once here:
- an institution cap rounds its derived part down (a cap is a most: rounding must never allow one unit more);
- a standard quota rounds half up to a whole quota (1,350 students at 1 : 13.5 is 100; 1,357 would be 101);
- an average of quotas per division is compared unrounded (20 quotas over 3 divisions is 6.67, under 8) and shown
  to one decimal.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

# --- institution caps (机构限额) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapDerivation:
    """cap = must_exist + ⌊coefficient × agencies × (1 − city_reduction) × factor⌋"""

    must_exist: int
    coefficient: Decimal
    agencies: int
    city_reduction: Decimal
    factor: Decimal

    @property
    def derived_part(self) -> Decimal:
        return self.coefficient * self.agencies * (1 - self.city_reduction) * self.factor

    @property
    def cap(self) -> int:
        return self.must_exist + int(self.derived_part.to_integral_value(rounding=ROUND_FLOOR))


# --- bands: a table keyed by a quota size, a bed count ... ----------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """Rows whose ``low``–``high`` ranges (both inclusive; ``high`` None: no upper end) share a key must not
    overlap."""

    key: str
    low: int
    high: int | None
    label: str = ""


def overlapping_bands(bands: Iterable[Band]) -> list[tuple[Band, Band]]:
    """Each pair of bands of the same key whose ranges share a value, the lower-starting first (tables are a few
    rows: every pair is compared)."""
    rows = sorted(bands, key=lambda band: (band.key, band.low))
    pairs = []
    for index, earlier in enumerate(rows):
        for later in rows[index + 1:]:
            if later.key == earlier.key and (earlier.high is None or later.low <= earlier.high):
                pairs.append((earlier, later))
    return pairs


def band_for(value: int, bands: Sequence[tuple[int, int | None, object]]):
    """The payload of the band (low, high, payload) holding ``value``, or None."""
    for low, high, payload in bands:
        if value >= low and (high is None or value <= high):
            return payload
    return None


# --- the internal-division standard (大处(科)制) -----------------------------------------------------------------
MIN_AVERAGE_PER_DIVISION = Decimal(8)


@dataclass(frozen=True)
class DivisionLimit:
    max_divisions: int
    min_per_division: int
    max_per_division: int | None


@dataclass(frozen=True)
class DivisionCheck:
    quotas: int
    divisions: int
    average: Decimal | None  # quotas per division; None without divisions
    limit: DivisionLimit | None
    baseline_divisions: int | None = None  # the count before a reform plan

    @property
    def average_too_low(self) -> bool:
        return self.average is not None and self.average < MIN_AVERAGE_PER_DIVISION

    @property
    def too_many(self) -> bool:
        return self.limit is not None and self.divisions > self.limit.max_divisions

    @property
    def more_than_before(self) -> bool:
        return self.baseline_divisions is not None and self.divisions > self.baseline_divisions

    @property
    def broken(self) -> bool:
        return self.average_too_low or self.too_many or self.more_than_before


def division_check(quotas: int, divisions: int, limit: DivisionLimit | None,
                   baseline_divisions: int | None = None) -> DivisionCheck:
    average = Decimal(quotas) / divisions if divisions else None
    return DivisionCheck(quotas, divisions, average, limit, baseline_divisions)


# --- leadership posts (领导职数) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class PostRange:
    low: int
    high: int


@dataclass(frozen=True)
class LeadershipCheck:
    quotas: int
    posts: int
    allowed: PostRange | None

    @property
    def over(self) -> bool:
        return self.allowed is not None and self.posts > self.allowed.high


# --- industry staffing standards (定编标准) -------------------------------------------------------------------
STUDENTS_PER_STAFF = "students_per_staff"  # a school: staff = students ÷ rate (1 : 13.5)
STAFF_PER_UNIT = "staff_per_unit"  # beds or residents: staff = figure × rate ÷ per (1.4 a bed; 1.75 per 10,000)


@dataclass(frozen=True)
class IndustryRule:
    basis: str
    rate_low: Decimal
    rate_high: Decimal | None = None  # a range (a hospital's 1.4–1.5 a bed); None: one figure
    per: int = 1
    minimum: int | None = None  # at least this many (a county's disease-control centre: 20)
    minimum_below: int | None = None  # ... when the figure is under this (a county under 150,000 residents)


@dataclass(frozen=True)
class StandardQuota:
    """A unit's standard: ``low``–``high`` quotas (equal for a one-figure rule), from ``figure`` by ``rule``."""

    figure: int
    low: int
    high: int
    computed_low: Decimal
    computed_high: Decimal
    minimum_applied: bool


def _whole(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_HALF_UP))


def standard_quota(figure: int, rule: IndustryRule) -> StandardQuota:
    """The staffing standard of a unit whose service figure is ``figure``."""
    high_rate = rule.rate_high if rule.rate_high is not None else rule.rate_low
    if rule.basis == STUDENTS_PER_STAFF:
        # More students per staff member gives fewer staff: the range's high rate gives its low end.
        computed_low, computed_high = Decimal(figure) / high_rate, Decimal(figure) / rule.rate_low
    else:
        computed_low = Decimal(figure) * rule.rate_low / rule.per
        computed_high = Decimal(figure) * high_rate / rule.per
    low, high = _whole(computed_low), _whole(computed_high)
    applies = rule.minimum is not None and (rule.minimum_below is None or figure < rule.minimum_below)
    minimum_applied = applies and low < rule.minimum
    if applies:
        low, high = max(low, rule.minimum), max(high, rule.minimum)
    return StandardQuota(figure, low, high, computed_low, computed_high, minimum_applied)
