"""Zero-based allocation: split a province-approved quota total among areas by weighted indicators (pure)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from allocation.apportionment import LARGEST_REMAINDER, METHODS, Bound, apportion_detailed

DISPLAY_PLACES = 6

# Chinese names used by `explain`; an indicator without one is shown by its key.
INDICATOR_LABELS: dict[str, str] = {
    "population": "人口",
    "area": "面积",
    "gdp": "地区生产总值",
    "fiscal_revenue": "财政收入",
}
METHOD_LABELS: dict[str, str] = {
    "largest_remainder": "最大余额法",
    "dhondt": "洪德法",
    "sainte_lague": "圣拉古法",
    "huntington_hill": "亨廷顿-希尔法",
}


class PlanError(ValueError):
    """The inputs of a zero-based plan cannot give a result; the message says why."""


@dataclass(frozen=True)
class ControlledUse:
    """How many of a county's quotas are held under controlled use: a share of its result or a fixed number.

    A share is a fraction (Decimal("0.05") for 5 %) of the area's result, rounded half up to a whole quota
    (四舍五入). Either way the controlled part may not exceed the result: the plan is refused rather than
    quietly holding back less than the rule says.
    """

    share: Decimal | None = None
    count: int | None = None

    def __post_init__(self) -> None:
        if (self.share is None) == (self.count is None):
            raise PlanError("a controlled-use rule is either a share or a count, exactly one of them")
        if self.share is not None:
            if not isinstance(self.share, Decimal | int) or isinstance(self.share, bool):
                raise PlanError(f"a controlled-use share must be a Decimal (got {self.share!r})")
            if not Decimal(self.share).is_finite() or not 0 <= self.share <= 1:
                raise PlanError(f"a controlled-use share must be between 0 and 1 (got {self.share})")
        if self.count is not None and (not _is_whole(self.count) or self.count < 0):
            raise PlanError(f"a controlled-use count must be a whole number ≥ 0 (got {self.count!r})")

    def amount(self, result: int) -> int:
        """The controlled part of an area whose result is `result`."""
        if self.count is not None:
            return self.count
        exact = result * Fraction(self.share)  # type: ignore[arg-type]
        return math.floor(exact + Fraction(1, 2))


@dataclass(frozen=True)
class AreaInput:
    """One area of the plan.

    `indicators` maps each weighted indicator to this area's value (Decimal or int, not float). The population
    indicator is resident plus temporary population, summed by the caller. `floor` and `cap` bound the part
    allocated from the remainder, not the result (the fixed reserve comes on top). `controlled_rule` overrides
    the plan's rule for counties and may only be given for a county.
    """

    key: str
    name: str
    is_county: bool
    fixed_reserve: int
    indicators: Mapping[str, Decimal]
    current: int
    floor: int | None = None
    cap: int | None = None
    controlled_rule: ControlledUse | None = None


@dataclass(frozen=True)
class AreaResult:
    """Every figure of one area, with what is needed to explain it.

    `shares` (each indicator's share of the scope, a fraction), `score` and `ideal` are rounded half up to six
    decimal places for display; the allocation itself used their exact values.
    """

    key: str
    fixed_reserve: int
    shares: dict[str, Decimal]
    score: Decimal
    ideal: Decimal
    allocated: int
    result: int
    bound: Bound
    controlled: int
    usable: int
    difference: int
    name: str = ""
    is_county: bool = False
    current: int = 0
    floor: int | None = None
    cap: int | None = None
    method: str = LARGEST_REMAINDER


@dataclass(frozen=True)
class PlanResult:
    """The plan: areas in input order, what was left after the fixed reserves, the total and the method."""

    areas: list[AreaResult]
    remainder: int
    total: int
    method: str


def zero_based_plan(
    areas: Sequence[AreaInput],
    *,
    total: int,
    weights: Mapping[str, Decimal],
    method: str = LARGEST_REMAINDER,
    county_rule: ControlledUse | None = None,
) -> PlanResult:
    """Allocate `total` among `areas` as docs/domain.md, "Zero-based allocation", says.

    remainder = total − Σ fixed reserves; share of an area in an indicator = its value / the sum of all areas'
    values; score = Σ weight × share, with `weights` in percent (Decimal) summing to exactly 100, so the
    scores sum to 1; ideal = remainder × score; allocated = `apportion(scores, remainder, method, floors,
    caps)`, where floors and caps bound the allocated part; result = fixed reserve + allocated. A county's
    controlled part comes from its own rule or else `county_rule`; usable = result − controlled; difference =
    result − current holding. Exact fractions throughout, rounded only for display. Raises PlanError.
    """
    if method not in METHODS:
        raise PlanError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    if not _is_whole(total) or total < 0:
        raise PlanError(f"the total must be a whole number ≥ 0 (got {total!r})")
    if not areas:
        raise PlanError("there are no areas to allocate among")
    repeated = sorted(key for key, times in Counter(area.key for area in areas).items() if times > 1)
    if repeated:
        raise PlanError(f"area keys repeat: {repeated}")
    percents = _weights(weights)
    for area in areas:
        _check_area(area, percents)
    fixed_sum = sum(area.fixed_reserve for area in areas)
    if fixed_sum > total:
        raise PlanError(f"the fixed reserves add up to {fixed_sum}, more than the total {total}")
    remainder = total - fixed_sum

    shares: list[dict[str, Fraction]] = [{} for _ in areas]
    for indicator, percent in percents.items():
        values = [Fraction(area.indicators[indicator]) for area in areas]
        scope_sum = sum(values)
        if scope_sum == 0 and percent:
            raise PlanError(f"indicator {indicator!r} is zero for every area, so it cannot be shared out")
        for area_shares, value in zip(shares, values, strict=True):
            area_shares[indicator] = value / scope_sum if scope_sum else Fraction(0)
    scores = [sum(percents[i] / 100 * share for i, share in area_shares.items()) for area_shares in shares]

    try:
        allocation = apportion_detailed(
            scores, remainder, method, [area.floor for area in areas], [area.cap for area in areas]
        )
    except ValueError as error:
        raise PlanError(f"the remainder of {remainder} cannot be allocated: {error}") from error

    results = []
    for area, area_shares, score, allocated, bound in zip(
        areas, shares, scores, allocation.seats, allocation.bounds, strict=True
    ):
        result = area.fixed_reserve + allocated
        rule = area.controlled_rule or (county_rule if area.is_county else None)
        controlled = rule.amount(result) if rule else 0
        if controlled > result:
            raise PlanError(f"{area.name}: controlled use of {controlled} exceeds its result of {result}")
        results.append(
            AreaResult(
                key=area.key,
                fixed_reserve=area.fixed_reserve,
                shares={indicator: _display(share) for indicator, share in area_shares.items()},
                score=_display(score),
                ideal=_display(remainder * score),
                allocated=allocated,
                result=result,
                bound=bound,
                controlled=controlled,
                usable=result - controlled,
                difference=result - area.current,
                name=area.name,
                is_county=area.is_county,
                current=area.current,
                floor=area.floor,
                cap=area.cap,
                method=method,
            )
        )
    return PlanResult(areas=results, remainder=remainder, total=total, method=method)


def explain(area: AreaResult) -> str:
    """One paragraph, in Chinese, saying how the area's figure came about."""
    shares = "、".join(
        f"{INDICATOR_LABELS.get(indicator, indicator)}占比 {_plain(share * 100)}%"
        for indicator, share in area.shares.items()
    )
    bound = {"floor": f"（触及下限 {area.floor} 名）", "cap": f"（触及上限 {area.cap} 名）"}.get(area.bound, "")
    method = METHOD_LABELS.get(area.method, area.method)
    if area.is_county:
        total = f"核定总量 {area.result} 名，其中控制使用 {area.controlled} 名、可使用 {area.usable} 名"
    else:
        total = f"核定总量 {area.result} 名"
    if area.difference > 0:
        change = f"较现有 {area.current} 名增加 {area.difference} 名"
    elif area.difference < 0:
        change = f"较现有 {area.current} 名减少 {-area.difference} 名"
    else:
        change = f"与现有 {area.current} 名持平"
    return (
        f"{area.name}：固定保障编制 {area.fixed_reserve} 名；{shares}；综合得分 {_plain(area.score)}；"
        f"理论分配 {_plain(area.ideal)} 名，按{method}取整为 {area.allocated} 名{bound}；{total}；{change}。"
    )


def _is_whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _exact(value: object, what: str) -> Fraction:
    """An indicator value or weight as an exact fraction; floats are refused (their binary value surprises)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | Fraction):
        raise PlanError(f"{what} must be a Decimal or an integer (got {value!r})")
    if isinstance(value, Decimal) and not value.is_finite():
        raise PlanError(f"{what} must be finite (got {value})")
    if value < 0:
        raise PlanError(f"{what} must not be negative (got {value})")
    return Fraction(value)


def _weights(weights: Mapping[str, Decimal]) -> dict[str, Fraction]:
    if not weights:
        raise PlanError("no indicator has a weight")
    percents = {indicator: _exact(weight, f"the weight of {indicator!r}") for indicator, weight in weights.items()}
    weight_sum = sum(percents.values())
    if weight_sum != 100:
        raise PlanError(f"the weights must add up to 100 (%), not {_plain(_display(weight_sum))}")
    return percents


def _check_area(area: AreaInput, percents: Mapping[str, Fraction]) -> None:
    missing = sorted(set(percents) - set(area.indicators))
    unweighted = sorted(set(area.indicators) - set(percents))
    if missing:
        raise PlanError(f"{area.name}: no value for {', '.join(missing)}")
    if unweighted:
        raise PlanError(f"{area.name}: {', '.join(unweighted)} has no weight")
    for indicator, value in area.indicators.items():
        _exact(value, f"{area.name}: {indicator}")
    for label, value in (("fixed reserve", area.fixed_reserve), ("current holding", area.current)):
        if not _is_whole(value) or value < 0:
            raise PlanError(f"{area.name}: the {label} must be a whole number ≥ 0 (got {value!r})")
    if area.controlled_rule is not None and not area.is_county:
        raise PlanError(f"{area.name}: controlled use applies to counties only")


def _display(value: Fraction) -> Decimal:
    """`value` rounded half up to DISPLAY_PLACES decimals, computed exactly (no context rounding)."""
    scale = 10**DISPLAY_PLACES
    units = math.floor(value * scale + Fraction(1, 2))
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), scale)
    return Decimal(f"{sign}{whole}.{fraction:0{DISPLAY_PLACES}d}")


def _plain(value: Decimal) -> str:
    """A Decimal as plain digits without trailing zeros: 456.780000 → 456.78, 100.000000 → 100."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
