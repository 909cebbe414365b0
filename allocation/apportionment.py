"""Whole-number apportionment of a total among areas by weight, with floors and caps, decided exactly."""

from __future__ import annotations

import heapq
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import cache, partial
from numbers import Rational
from typing import Literal

LARGEST_REMAINDER = "largest_remainder"
DHONDT = "dhondt"
SAINTE_LAGUE = "sainte_lague"
HUNTINGTON_HILL = "huntington_hill"
METHODS: tuple[str, ...] = (LARGEST_REMAINDER, DHONDT, SAINTE_LAGUE, HUNTINGTON_HILL)
DIVISOR_METHODS: tuple[str, ...] = (DHONDT, SAINTE_LAGUE, HUNTINGTON_HILL)

Bound = Literal["floor", "cap", ""]
Weight = int | float | Decimal | Rational
RankKey = tuple[int, int | Fraction]

# Float estimates only choose where to look; every decision is then taken exactly. A float priority is within
# a few ulps (~1e-15 relative) of the exact one, so this margin never leaves a contender out.
_FLOAT_MARGIN = 1e-9
_SMALLEST_SAFE_FLOAT = 1e-290
_NEWTON_ROUNDS = 12


@dataclass(frozen=True)
class Apportionment:
    """Seats per area, and for each area whether its floor or its cap decided its count ("" if neither)."""

    seats: tuple[int, ...]
    bounds: tuple[Bound, ...]


def apportion(
    weights: Sequence[Weight],
    total: int,
    method: str = LARGEST_REMAINDER,
    floors: Sequence[int | None] | None = None,
    caps: Sequence[int | None] | None = None,
) -> list[int]:
    """Split `total` whole seats among areas in proportion to `weights`, honouring floors and caps.

    Methods (`METHODS`): "largest_remainder" (Hamilton), "dhondt" (Jefferson), "sainte_lague" (Webster),
    "huntington_hill" (equal proportions, as the US House). The result sums exactly to `total`, is at least
    `floors[i]` and at most `caps[i]` for every area (a `None` list or entry means 0 / no cap), and is
    deterministic. Weights may be int, float, Decimal or Fraction; each is taken at its exact value.

    Divisor methods with bounds are the min/max-restricted divisor method: there is a common divisor D with
    a_i = clamp(round(w_i / D), floor_i, cap_i) and sum(a_i) = total. Equivalently: start every area at its
    floor, then give each next seat to the highest priority w_i / d(a_i) among the areas below their cap, where
    d(a) is a + 1 (D'Hondt), a + 1/2 (Sainte-Laguë) or sqrt(a(a + 1)) (Huntington–Hill). With floors of 1 and
    Huntington–Hill this is exactly the rule of the US House. The divisor is found from a float estimate and
    the last few seats settled in exact priority order, never by handing out every seat one at a time.

    Largest remainder with bounds uses clamped quotas: find λ with sum(clamp(λ·w_i, floor_i, cap_i)) = total,
    give each area the whole part of its clamped quota and the seats left over to the largest fractional parts.
    This differs from "hand out the floors, then split the rest by weight" whenever a floor binds.

    Ties: a tie for the last seat goes to the area listed first. Huntington–Hill's d(0) = 0 makes the first
    seat of every area infinitely urgent: with fewer seats than such areas, they go to the largest weights
    (then to the area listed first).

    Areas of weight 0 get their floor and never more: a request whose other areas cannot take the rest under
    their caps is refused rather than handing seats to areas that have no claim to them.

    Decisions are exact (weights become exact rationals; priorities are compared by integer
    cross-multiplication, Huntington–Hill's squared), so a race decided by a handful of people in millions is
    decided right. Raises ValueError, saying why, for an impossible or malformed request.
    """
    return _apportion(weights, total, method, floors, caps, with_bounds=False)[0]


def apportion_detailed(
    weights: Sequence[Weight],
    total: int,
    method: str = LARGEST_REMAINDER,
    floors: Sequence[int | None] | None = None,
    caps: Sequence[int | None] | None = None,
) -> Apportionment:
    """`apportion`, plus which bound bit for each area.

    A floor (cap) "bit" when the area got its floor (cap) and the unrestricted rule at the same cut would give
    it less (more). For largest remainder the cut is λ (the smallest that works): the floor bit when
    λ·w < floor, the cap when λ·w > cap. For divisor methods the cut is the last seat handed out above the
    floors (or, if none was, the next seat that would be): the floor bit when the area's floor-th seat ranks
    after the cut, the cap when its (cap+1)-th seat ranks before it.
    """
    seats, bounds = _apportion(weights, total, method, floors, caps, with_bounds=True)
    return Apportionment(tuple(seats), tuple(bounds))


def _apportion(
    weights: Sequence[Weight],
    total: int,
    method: str,
    floors: Sequence[int | None] | None,
    caps: Sequence[int | None] | None,
    *,
    with_bounds: bool,
) -> tuple[list[int], list[Bound]]:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    total = _whole(total, "total")
    if total < 0:
        raise ValueError(f"total must not be negative (got {total})")
    count = len(weights)
    scaled = _scaled_weights(weights)
    floor_list = _bounds(floors, count, "floors")
    cap_list = _bounds(caps, count, "caps")
    for index, (floor, cap) in enumerate(zip(floor_list, cap_list, strict=True)):
        if cap is not None and floor > cap:
            raise ValueError(f"floor {floor} is above cap {cap} for area #{index}")
    floor_sum = sum(floor_list)
    if floor_sum > total:
        raise ValueError(f"the floors add up to {floor_sum}, above the total {total}")
    if total > 0 and not any(scaled):
        raise ValueError(f"all weights are zero, so there is nothing to apportion {total} seats by")
    if all(cap is not None for cap in cap_list) and sum(cap_list) < total:  # type: ignore[arg-type]
        raise ValueError(f"the caps add up to {sum(cap_list)}, below the total {total}")  # type: ignore[arg-type]
    # Beyond its floor an area can take at most its cap, and nothing if its weight is zero.
    effective_caps = [
        floor if weight == 0 else (total if cap is None else min(cap, total))
        for weight, floor, cap in zip(scaled, floor_list, cap_list, strict=True)
    ]
    capacity = sum(effective_caps)
    if capacity < total:
        raise ValueError(
            f"the areas can take at most {capacity} seats under their caps (areas of weight 0 take only their "
            f"floor), below the total {total}"
        )
    if method == LARGEST_REMAINDER:
        return _largest_remainder(scaled, floor_list, effective_caps, total)
    seats = _divisor_seats(method, scaled, floor_list, effective_caps, total)
    if not with_bounds:
        return seats, []
    return seats, _divisor_bounds(method, scaled, floor_list, cap_list, effective_caps, seats)


def exact_weights(weights: Sequence[Weight]) -> list[Fraction]:
    """The weights as exact fractions (a float is taken at its binary value), after the same checks."""
    return [Fraction(*_ratio(value, index)) for index, value in enumerate(weights)]


# --- input checks -------------------------------------------------------------------------------------------


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer (got {value!r})")
    try:
        return operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{name} must be an integer (got {value!r})") from None


def _ratio(value: object, index: int) -> tuple[int, int]:
    """(numerator, denominator) of one weight, exactly."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | Rational):
        raise ValueError(f"weights[{index}] is not a number: {value!r}")
    if isinstance(value, int):
        numerator, denominator = value, 1
    elif isinstance(value, float | Decimal):
        finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
        if not finite:
            raise ValueError(f"weights[{index}] is not finite: {value!r}")
        numerator, denominator = value.as_integer_ratio()
    else:
        numerator, denominator = value.numerator, value.denominator
    if numerator < 0:
        raise ValueError(f"weights[{index}] is negative: {value!r}")
    return numerator, denominator


def _scaled_weights(weights: Sequence[Weight]) -> list[int]:
    """The weights times one common positive factor, as integers (every method is scale-invariant)."""
    if all(type(value) is int for value in weights):
        scaled = list(weights)
        for index, value in enumerate(scaled):
            if value < 0:
                raise ValueError(f"weights[{index}] is negative: {value!r}")
    else:
        ratios = [_ratio(value, index) for index, value in enumerate(weights)]
        common = math.lcm(*(denominator for _, denominator in ratios))
        scaled = [numerator * (common // denominator) for numerator, denominator in ratios]
    divisor = math.gcd(*scaled)
    if divisor > 1:
        scaled = [value // divisor for value in scaled]
    return scaled  # type: ignore[return-value]


def _bounds(values: Sequence[int | None] | None, count: int, name: str) -> list:
    """Floors or caps as a list of ints, None (no floor: 0; no cap: None) filled in."""
    absent = 0 if name == "floors" else None
    if values is None:
        return [absent] * count
    if len(values) != count:
        raise ValueError(f"{name} has {len(values)} entries but there are {count} weights")
    result = [absent if value is None else _whole(value, f"{name}[{index}]") for index, value in enumerate(values)]
    for index, number in enumerate(result):
        if number is not None and number < 0:
            raise ValueError(f"{name}[{index}] must not be negative (got {number})")
    return result


# --- largest remainder --------------------------------------------------------------------------------------


def _largest_remainder(
    weights: list[int], floors: list[int], caps: list[int], total: int
) -> tuple[list[int], list[Bound]]:
    numerator, denominator = _clamped_quota_factor(weights, floors, caps, total)
    seats: list[int] = []
    remainders: list[int] = []
    bounds: list[Bound] = []
    # Clamped quota of area i is clamp(w_i·numerator/denominator, floor_i, cap_i): all over one denominator,
    # so fractional parts compare as integers.
    for weight, floor, cap in zip(weights, floors, caps, strict=True):
        scaled = weight * numerator
        if scaled <= floor * denominator:
            seats.append(floor)
            remainders.append(0)
            bounds.append("floor" if scaled < floor * denominator else "")
        elif scaled >= cap * denominator:
            seats.append(cap)
            remainders.append(0)
            bounds.append("cap" if scaled > cap * denominator else "")
        else:
            whole, remainder = divmod(scaled, denominator)
            seats.append(whole)
            remainders.append(remainder)
            bounds.append("")
    left = total - sum(seats)
    # nlargest is stable: equal remainders go to the area listed first.
    for index in heapq.nlargest(left, range(len(seats)), key=remainders.__getitem__):
        seats[index] += 1
    return seats, bounds


def _is_smallest_factor(
    weights: list[int], floors: list[int], caps: list[int], total: int, numerator: int, denominator: int
) -> bool:
    """Whether λ = numerator/denominator is the smallest λ with sum(clamp(λ·w_i)) = total: the sum matches and
    some area is strictly between its bounds (so any smaller λ falls short)."""
    clamped, inside = 0, False
    for weight, floor, cap in zip(weights, floors, caps, strict=True):
        scaled, low, high = weight * numerator, floor * denominator, cap * denominator
        if scaled <= low:
            clamped += low
        elif scaled >= high:
            clamped += high
        else:
            clamped, inside = clamped + scaled, True
    return inside and clamped == total * denominator


def _clamped_quota_factor(weights: list[int], floors: list[int], caps: list[int], total: int) -> tuple[int, int]:
    """λ = numerator/denominator with sum(clamp(λ·w_i, floor_i, cap_i)) = total, the smallest such λ."""
    if sum(floors) == total:
        return 0, 1
    free = [w > 0 and c > f for w, f, c in zip(weights, floors, caps, strict=True)]
    fixed = sum(f for f, is_free in zip(floors, free, strict=True) if not is_free)
    numerator, denominator = total - fixed, sum(w for w, is_free in zip(weights, free, strict=True) if is_free)
    if _is_smallest_factor(weights, floors, caps, total, numerator, denominator):
        return numerator, denominator  # no bound binds: plain quotas
    largest = max(weights)
    scaled = [w / largest for w in weights]
    if min(x for x, w in zip(scaled, weights, strict=True) if w) >= _SMALLEST_SAFE_FLOAT:
        lam = _sweep(scaled, floors, caps, total, free, float)
        if lam is not None:
            # Read which areas sit at a bound off the float λ, then solve exactly for the free ones.
            bound_sum, free_weight = 0, 0
            for weight, x, floor, cap, is_free in zip(weights, scaled, floors, caps, free, strict=True):
                if not is_free or lam * x <= floor:
                    bound_sum += floor
                elif lam * x >= cap:
                    bound_sum += cap
                else:
                    free_weight += weight
            if free_weight and _is_smallest_factor(weights, floors, caps, total, total - bound_sum, free_weight):
                return total - bound_sum, free_weight
    exact = _sweep(weights, floors, caps, total, free, Fraction)  # too close to call in floats, or a flat sum
    assert exact is not None  # capacity was checked, so the sum reaches the total
    return exact.numerator, exact.denominator


def _sweep(
    weights: Sequence[int] | Sequence[float],
    floors: list[int],
    caps: list[int],
    total: int,
    free: list[bool],
    number: type[float] | type[Fraction],
) -> float | Fraction | None:
    """Walk λ up through the points where areas leave their floor or reach their cap, until the sum of
    clamped quotas reaches the total; return that λ (as `number`), or None if it never does."""
    events = []
    for weight, floor, cap, is_free in zip(weights, floors, caps, free, strict=True):
        if is_free:
            events.append((number(floor) / weight, weight))
            events.append((number(cap) / weight, -weight))
    events.sort(key=lambda event: event[0])
    reached, slope, lam = number(sum(floors)), number(0), number(0)
    for point, change in events:
        at_point = reached + slope * (point - lam)
        if at_point >= total:  # then slope > 0, as the sum was below the total at lam
            return lam + (total - reached) / slope
        reached, lam, slope = at_point, point, slope + change
    return None


# --- divisor methods ----------------------------------------------------------------------------------------


def _rank_key(method: str, weight: int, held: int) -> RankKey:
    """Where the next seat of an area holding `held` ranks: a smaller key gets its seat earlier.

    The priority is weight / d(held); Huntington–Hill's is compared squared, and its d(0) = 0 puts every first
    seat in a tier above all others, ordered by larger weight.
    """
    if method == HUNTINGTON_HILL:
        if held == 0:
            return (0, -weight) if weight else (1, 0)
        return (1, -Fraction(weight * weight, held * (held + 1)))
    if method == DHONDT:
        return (1, -Fraction(weight, held + 1))
    return (1, -Fraction(2 * weight, 2 * held + 1))


def _cached_rank_key(method: str) -> Callable[[int, int], RankKey]:
    """`_rank_key` for one call: areas of equal weight then share key objects, which compare by identity."""
    return cache(partial(_rank_key, method))


def _float_priorities(method: str, weights: list[float], held: list[int]) -> list[float]:
    """Estimated priorities w/d(a) of the seats areas holding `held` would get next (held ≥ 1 for H–H)."""
    if method == DHONDT:
        return [w / (a + 1.0) for w, a in zip(weights, held, strict=True)]
    if method == SAINTE_LAGUE:
        return [w / (a + 0.5) for w, a in zip(weights, held, strict=True)]
    sqrt = math.sqrt
    return [w / sqrt(a * (a + 1.0)) for w, a in zip(weights, held, strict=True)]


def _clamp(counts: list[int], floors: list[int], caps: list[int]) -> list[int]:
    return [f if n < f else (c if n > c else n) for n, f, c in zip(counts, floors, caps, strict=True)]


def _float_counts(method: str, weights: list[float], scale: float) -> list[int]:
    """Seats per area at divisor 1/scale, estimated in floats and not yet clamped."""
    ceil = math.ceil
    if method == DHONDT:
        return [ceil(w * scale) - 1 for w in weights]
    if method == SAINTE_LAGUE:
        return [ceil(w * scale - 0.5) for w in weights]
    hypot = math.hypot  # a(a+1) < q² ⟺ a < hypot(q, 1/2) - 1/2, without overflow
    return [ceil(hypot(w * scale, 0.5) - 0.5) for w in weights]


def _estimate_scale(method: str, weights: list[float], floors: list[int], caps: list[int], total: int) -> float:
    """A float 1/D whose clamped counts come close to the total (Newton's method, guarded by bisection).

    Close is enough: within about one seat per hundred areas, the exact settling is cheaper than another pass.
    """
    low, high = 0.0, math.inf
    offset = len(weights) / 2 if method == DHONDT else 0.0  # D'Hondt rounds down: half a seat per area
    scale = (total + offset) / sum(weights)
    close_enough = max(2, len(weights) // 100)
    for _ in range(_NEWTON_ROUNDS):
        counts = _clamp(_float_counts(method, weights, scale), floors, caps)
        missing = total - sum(counts)
        if abs(missing) <= close_enough:
            break
        if missing > 0:
            low = scale
        else:
            high = scale
        slope = sum([w for w, a, f, c in zip(weights, counts, floors, caps, strict=True) if f < a < c])
        step = scale + missing / slope if slope > 0 else math.nan
        if not low < step < high:
            step = (low + high) / 2 if high < math.inf else scale * 2
        if step == scale or not 0 < step < 1e300:
            break
        scale = step
    return scale


def _exact_counts(
    method: str, weights: list[int], floors: list[int], caps: list[int], numerator: int, denominator: int
) -> list[int]:
    """clamp(n_i, floor_i, cap_i), n_i being the number of seats whose priority w_i/d(a) exceeds the divisor
    denominator/numerator, in integer arithmetic (the quota w_i/D is w_i·numerator/denominator)."""
    v = denominator
    if method == DHONDT:  # #{a : a + 1 < q}
        counts = [(w * numerator - 1) // v for w in weights]
    elif method == SAINTE_LAGUE:  # #{a : 2a + 1 < 2q}
        counts = [((2 * w * numerator - 1) // v + 1) // 2 for w in weights]
    else:  # #{a : a(a+1) < q²}, the largest such a being (isqrt(4m + 1) - 1) // 2 for m = ceil(q²) - 1
        isqrt, v2 = math.isqrt, v * v
        counts = [(isqrt(4 * ((w * w * numerator * numerator - 1) // v2) + 1) + 1) // 2 if w else 0 for w in weights]
    return _clamp(counts, floors, caps)


def _divisor_seats(method: str, weights: list[int], floors: list[int], caps: list[int], total: int) -> list[int]:
    seats = list(floors)
    if method == HUNTINGTON_HILL:
        # First seats are infinitely urgent: settle them before any divisor is sought.
        first = [i for i, (held, cap) in enumerate(zip(seats, caps, strict=True)) if held == 0 and cap > 0]
        wanted = total - sum(seats)
        if wanted <= len(first):
            for index in sorted(first, key=lambda i: (-weights[i], i))[:wanted]:
                seats[index] = 1
            return seats
        for index in first:
            seats[index] = 1
    lows = list(seats)
    if sum(lows) == total:
        return seats
    largest = max(weights)
    scaled = [w / largest for w in weights]
    reliable = min(x for x, w in zip(scaled, weights, strict=True) if w) >= _SMALLEST_SAFE_FLOAT
    if reliable:
        scale = _estimate_scale(method, scaled, lows, caps, total)
        numerator, denominator = Fraction(scale).as_integer_ratio()
        seats = _exact_counts(method, weights, lows, caps, numerator, denominator * largest)
    # Every seat held above the floors now outranks every seat not held, so what is left is to hand out (or
    # take back) the few seats nearest the cut, in exact rank order.
    missing = total - sum(seats)
    if missing > 0:
        _hand_out(method, weights, seats, caps, missing, scaled if reliable else None)
    elif missing < 0:
        _take_back(method, weights, seats, lows, -missing, scaled if reliable else None)
    return seats


def _float_priority(method: str, weight: float, held: int) -> float:
    return _float_priorities(method, [weight], [held])[0]


def _hand_out(
    method: str, weights: list[int], seats: list[int], caps: list[int], count: int, scaled: list[float] | None
) -> None:
    """Give `count` more seats: the best-ranked ones not yet held."""
    rank_key = _cached_rank_key(method)
    contenders = [i for i in range(len(seats)) if seats[i] < caps[i]]
    if scaled is not None and count < len(contenders):
        # The count-th best seat is no worse than the count-th best next seat, so only seats at least that good
        # (in floats, with a margin) can be among them. Rank just those exactly, in one sort.
        priorities = _float_priorities(method, [scaled[i] for i in contenders], [seats[i] for i in contenders])
        cut = heapq.nlargest(count, priorities)[-1] * (1 - _FLOAT_MARGIN)
        entries = []
        for index, priority in zip(contenders, priorities, strict=True):
            held = seats[index]
            while priority >= cut and held < caps[index]:
                entries.append((*rank_key(weights[index], held), index))
                held += 1
                priority = _float_priority(method, scaled[index], held)
        entries.sort()
        for entry in entries[:count]:
            seats[entry[-1]] += 1
        return
    heap = [(*rank_key(weights[i], seats[i]), i) for i in contenders]
    heapq.heapify(heap)
    for _ in range(count):
        index = heapq.heappop(heap)[-1]
        seats[index] += 1
        if seats[index] < caps[index]:
            heapq.heappush(heap, (*rank_key(weights[index], seats[index]), index))


def _take_back(
    method: str, weights: list[int], seats: list[int], floors: list[int], count: int, scaled: list[float] | None
) -> None:
    """Take back `count` seats above the floors: the worst-ranked ones held."""
    rank_key = _cached_rank_key(method)
    holders = [i for i in range(len(seats)) if seats[i] > floors[i]]
    if scaled is not None and count < len(holders):
        priorities = _float_priorities(method, [scaled[i] for i in holders], [seats[i] - 1 for i in holders])
        cut = heapq.nsmallest(count, priorities)[-1] * (1 + _FLOAT_MARGIN)
        entries = []
        for index, priority in zip(holders, priorities, strict=True):
            held = seats[index]
            while priority <= cut and held > floors[index]:
                entries.append((*rank_key(weights[index], held - 1), index))
                held -= 1
                if held > floors[index]:
                    priority = _float_priority(method, scaled[index], held - 1)
        entries.sort()
        for entry in entries[len(entries) - count :]:
            seats[entry[-1]] -= 1
        return

    def last_seat(index: int) -> tuple[int, int | Fraction, int]:
        tier, value = rank_key(weights[index], seats[index] - 1)
        return (-tier, -value, -index)  # the latest-ranked seat first; ties go to the area listed first

    heap = [last_seat(i) for i in holders]
    heapq.heapify(heap)
    for _ in range(count):
        index = -heapq.heappop(heap)[-1]
        seats[index] -= 1
        if seats[index] > floors[index]:
            heapq.heappush(heap, last_seat(index))


def _divisor_bounds(
    method: str,
    weights: list[int],
    floors: list[int],
    caps: list[int | None],
    effective_caps: list[int],
    seats: list[int],
) -> list[Bound]:
    if not any(floors) and all(cap is None for cap in caps):
        return [""] * len(seats)
    held = [(*_rank_key(method, weights[i], seats[i] - 1), i) for i in range(len(seats)) if seats[i] > floors[i]]
    if held:
        cut = max(held)
    else:
        waiting = [
            (*_rank_key(method, weights[i], seats[i]), i) for i in range(len(seats)) if seats[i] < effective_caps[i]
        ]
        if not waiting:
            return [""] * len(seats)
        cut = min(waiting)
    bounds: list[Bound] = []
    for index, (weight, floor, cap, count) in enumerate(zip(weights, floors, caps, seats, strict=True)):
        if floor and count == floor and (*_rank_key(method, weight, floor - 1), index) > cut:
            bounds.append("floor")
        elif cap is not None and count == cap and (*_rank_key(method, weight, cap), index) < cut:
            bounds.append("cap")
        else:
            bounds.append("")
    return bounds
