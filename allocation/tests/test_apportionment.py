"""Tests of allocation.apportionment: hand-worked cases, the 2020 US House, refusals, and properties."""

from __future__ import annotations

import math
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from allocation.apportionment import (
    DIVISOR_METHODS,
    METHODS,
    Apportionment,
    apportion,
    apportion_detailed,
    exact_weights,
)

VOTES = [100_000, 80_000, 30_000, 20_000]


# --- naive references, written from the definitions, seat by seat and with exact fractions ----------------------


def naive_divisor(weights, total, method, floors=None, caps=None):
    """Start at the floors; give each next seat to the highest priority w/d(a) below its cap; first listed wins."""
    count = len(weights)
    w = [Fraction(x) for x in weights]
    floors = [0 if f is None else f for f in (floors or [None] * count)]
    caps = list(caps or [None] * count)
    if sum(floors) > total or (total > 0 and not any(w)):
        raise ValueError("infeasible")
    seats = list(floors)

    def priority(i):  # (tier, value): tier 1 is Huntington–Hill's infinite first seat, ranked by weight
        a = seats[i]
        if method == "dhondt":
            return (0, w[i] / (a + 1))
        if method == "sainte_lague":
            return (0, w[i] / (a + Fraction(1, 2)))
        if a == 0:
            return (1, w[i])
        return (0, w[i] * w[i] / (a * (a + 1)))  # squared: same order as w/sqrt(a(a+1))

    for _ in range(total - sum(seats)):
        best = None
        for i in range(count):
            if w[i] == 0 or (caps[i] is not None and seats[i] >= caps[i]):
                continue
            if best is None or priority(i) > priority(best):  # strict: an equal later area does not win
                best = i
        if best is None:
            raise ValueError("infeasible")
        seats[best] += 1
    return seats


def naive_largest_remainder(weights, total, floors=None, caps=None):
    """Smallest λ with Σ clamp(λw) = total found by evaluating every breakpoint; then Hamilton rounding."""
    count = len(weights)
    w = [Fraction(x) for x in weights]
    floors = [0 if f is None else f for f in (floors or [None] * count)]
    caps = list(caps or [None] * count)
    if sum(floors) > total or (total > 0 and not any(w)):
        raise ValueError("infeasible")

    def clamp(x, i):
        x = max(x, floors[i])
        return x if caps[i] is None else min(x, caps[i])

    def g(lam):
        return sum(clamp(lam * w[i], i) for i in range(count))

    points = sorted(
        {Fraction(0)}
        | {Fraction(b) / w[i] for i in range(count) if w[i] for b in (floors[i], caps[i]) if b is not None}
    )
    lam = None
    previous = points[0]
    if g(previous) >= total:
        lam = previous
    for point in points[1:]:
        if lam is not None:
            break
        if g(point) >= total:  # linear between consecutive breakpoints
            lam = previous + (total - g(previous)) * (point - previous) / (g(point) - g(previous))
        previous = point
    if lam is None:
        slope = sum(w[i] for i in range(count) if w[i] and caps[i] is None)
        if not slope:
            raise ValueError("infeasible")
        lam = previous + (total - g(previous)) / slope
    quotas = [clamp(lam * w[i], i) for i in range(count)]
    seats = [math.floor(q) for q in quotas]
    order = sorted(range(count), key=lambda i: (-(quotas[i] - seats[i]), i))
    for i in order[: total - sum(seats)]:
        seats[i] += 1
    return seats


def naive(weights, total, method, floors=None, caps=None):
    if method == "largest_remainder":
        return naive_largest_remainder(weights, total, floors, caps)
    return naive_divisor(weights, total, method, floors, caps)


# --- hand-worked cases -----------------------------------------------------------------------------------------


def test_alabama_paradox_under_largest_remainder():
    # Populations 6, 6, 2 (sum 14).
    # 10 seats: quotas 60/14 = 4.286, 4.286, 20/14 = 1.429 → whole parts 4, 4, 1 (9); the 10th seat goes to the
    # largest fraction, C's .429 → [4, 4, 2].
    # 11 seats: quotas 66/14 = 4.714, 4.714, 22/14 = 1.571 → 4, 4, 1; two seats left go to A and B (.714 > .571)
    # → [5, 5, 1]: one more seat in the house and C loses one.
    assert apportion([6, 6, 2], 10) == [4, 4, 2]
    assert apportion([6, 6, 2], 11) == [5, 5, 1]


def test_dhondt_textbook_example():
    # Quotients v/1, v/2, …: A 100000 50000 33333 25000 20000; B 80000 40000 26667 20000; C 30000 15000;
    # D 20000. The 8 largest: 100000A 80000B 50000A 40000B 33333A 30000C 26667B 25000A → A4 B3 C1 D0.
    assert apportion(VOTES, 8, "dhondt") == [4, 3, 1, 0]


def test_sainte_lague_textbook_example():
    # Quotients v/1, v/3, v/5: A 100000 33333 20000; B 80000 26667 16000; C 30000 10000; D 20000 6667.
    # The 8 largest: 100000A 80000B 33333A 30000C 26667B 20000A 20000D 16000B → A3 B3 C1 D1.
    assert apportion(VOTES, 8, "sainte_lague") == [3, 3, 1, 1]


def test_tie_for_the_last_seat_goes_to_the_area_listed_first():
    # Sainte-Laguë with 6 seats: after 100000A 80000B 33333A 30000C 26667B, A's third quotient 100000/5 and
    # D's first 20000/1 are both exactly 20000. A is listed first and gets it; listed the other way round, D does.
    assert apportion(VOTES, 6, "sainte_lague") == [3, 2, 1, 0]
    assert apportion(VOTES[::-1], 6, "sainte_lague") == [1, 1, 2, 2]
    # Three equal weights, two seats: every method gives them to the first two areas.
    for method in METHODS:
        assert apportion([1, 1, 1], 2, method) == [1, 1, 0]
    # Largest remainder, [6, 3, 1] with A capped at 4: λ = 1.5 (4 + 3λ + λ = 10), quotas 4, 4.5, 1.5;
    # whole parts 4 + 4 + 1 = 9 and the last seat is a tie of .5 against .5: B, listed first, gets it.
    assert apportion([6, 3, 1], 10, caps=[4, None, None]) == [4, 5, 1]


def test_huntington_hill_differs_from_webster_for_a_small_area():
    # Weights 100 and 58, 4 seats. Huntington–Hill: both first seats (d(0) = 0) → [1, 1]; then A's 100/√2 =
    # 70.7 → [2, 1]; then A's 100/√6 = 40.82 against B's 58/√2 = 41.01 (squared: 10000/6 = 1666.7 < 3364/2 =
    # 1682) → B: [2, 2]. Webster: 200A 116B 66.7A then A's 100/2.5 = 40 beats B's 58/1.5 = 38.7 → [3, 1].
    # D'Hondt: 100 58 50 33.3 → [3, 1]; largest remainder: quotas 2.53, 1.47 → [3, 1].
    assert apportion([100, 58], 4, "huntington_hill") == [2, 2]
    assert apportion([100, 58], 4, "huntington_hill", floors=[1, 1]) == [2, 2]
    assert apportion([100, 58], 4, "sainte_lague") == [3, 1]
    assert apportion([100, 58], 4, "dhondt") == [3, 1]
    assert apportion([100, 58], 4, "largest_remainder") == [3, 1]


def test_huntington_hill_with_fewer_seats_than_areas_favours_the_largest_weights():
    # Every first seat has infinite priority; they go by larger weight, then to the area listed first.
    assert apportion([1, 3, 2], 2, "huntington_hill") == [0, 1, 1]
    assert apportion([5, 7, 7], 1, "huntington_hill") == [0, 1, 0]
    assert apportion([5, 7, 7], 0, "huntington_hill") == [0, 0, 0]


def test_clamped_quota_largest_remainder_differs_from_floors_first():
    # Weights 1, 1, 8; 10 seats; A's floor 3. Clamped quotas: A's 1·λ stays below 3, so 3 + λ + 8λ = 10 →
    # λ = 7/9; quotas 3, 0.778, 6.222 → 3 + 0 + 6 = 9, the last seat to B (.778 > .222) → [3, 1, 6].
    # "Floors first, then split the other 7 by weight" would give quotas 0.7, 0.7, 5.6 → 0, 0, 5 and two seats
    # to A and B → [4, 1, 5]: A would get a seat its weight does not earn.
    result = apportion_detailed([1, 1, 8], 10, floors=[3, 0, 0])
    assert result == Apportionment(seats=(3, 1, 6), bounds=("floor", "", ""))


def test_binding_caps_and_floors_in_divisor_methods():
    # D'Hondt, A capped at 3: A's 4th quotient 25000 is skipped; the 8th seat is the tie at 20000 between B's
    # 4th (80000/4) and D's 1st; B is listed first → [3, 4, 1, 0].
    assert apportion_detailed(VOTES, 8, "dhondt", caps=[3, None, None, None]) == Apportionment(
        seats=(3, 4, 1, 0), bounds=("cap", "", "", "")
    )
    # D'Hondt, D's floor 2: 6 seats above the floors go to 100000A 80000B 50000A 40000B 33333A 30000C; D's
    # next quotient is 20000/3, and its 2nd seat (20000/2 = 10000) ranks after the last one given (30000).
    assert apportion_detailed(VOTES, 8, "dhondt", floors=[0, 0, 0, 2]) == Apportionment(
        seats=(3, 2, 1, 2), bounds=("", "", "", "floor")
    )
    # A floor that the area would reach anyway does not bite: D gets 1 seat with Sainte-Laguë and 8 seats.
    assert apportion_detailed(VOTES, 8, "sainte_lague", floors=[0, 0, 0, 1]).bounds == ("", "", "", "")


def test_zero_weight_area_gets_its_floor_and_nothing_more():
    for method in METHODS:
        assert apportion([0, 5, 5], 10, method, floors=[2, 0, 0]) == [2, 4, 4]
        assert apportion([0, 0, 0], 0, method) == [0, 0, 0]
        assert apportion([], 0, method) == []


def test_total_equal_to_the_floors_gives_the_floors():
    for method in METHODS:
        assert apportion([5, 1, 1], 3, method, floors=[1, 1, 1]) == [1, 1, 1]


def test_exact_decision_where_floats_cannot_tell():
    # 10**17 and 10**17 + 1 are the same float; the single seat must still go to the larger weight.
    for method in METHODS:
        assert apportion([10**17, 10**17 + 1], 1, method) == [0, 1]
    # Weights too far apart for floats at all are still handled exactly.
    tiny = [Fraction(1, 10**400), 1, 2]
    for method in METHODS:
        assert apportion(tiny, 10, method) == naive(tiny, 10, method)
        assert apportion(tiny, 10, method, floors=[1, 0, 0], caps=[2, 3, None]) == naive(
            tiny, 10, method, [1, 0, 0], [2, 3, None]
        )


def test_weights_of_every_numeric_type_are_taken_exactly():
    assert exact_weights([1, 0.5, Decimal("0.1"), Fraction(1, 3)]) == [
        Fraction(1),
        Fraction(1, 2),
        Fraction(1, 10),
        Fraction(1, 3),
    ]
    # Decimal("0.1") is exactly 1/10, so 0.1 : 0.2 : 0.7 with 10 seats has no remainder at all.
    assert apportion([Decimal("0.1"), Decimal("0.2"), Decimal("0.7")], 10) == [1, 2, 7]


# --- the 2020 US House: Huntington–Hill with a floor of 1, exact ----------------------------------------------

# 2020 census apportionment populations (resident plus overseas federal personnel), alphabetical, and the seats
# they gave. Their sum is 331,108,434.
US_2020 = {
    "Alabama": (5_030_053, 7), "Alaska": (736_081, 1), "Arizona": (7_158_923, 9), "Arkansas": (3_013_756, 4),
    "California": (39_576_757, 52), "Colorado": (5_782_171, 8), "Connecticut": (3_608_298, 5),
    "Delaware": (990_837, 1), "Florida": (21_570_527, 28), "Georgia": (10_725_274, 14), "Hawaii": (1_460_137, 2),
    "Idaho": (1_841_377, 2), "Illinois": (12_822_739, 17), "Indiana": (6_790_280, 9), "Iowa": (3_192_406, 4),
    "Kansas": (2_940_865, 4), "Kentucky": (4_509_342, 6), "Louisiana": (4_661_468, 6), "Maine": (1_363_582, 2),
    "Maryland": (6_185_278, 8), "Massachusetts": (7_033_469, 9), "Michigan": (10_084_442, 13),
    "Minnesota": (5_709_752, 8), "Mississippi": (2_963_914, 4), "Missouri": (6_160_281, 8),
    "Montana": (1_085_407, 2), "Nebraska": (1_963_333, 3), "Nevada": (3_108_462, 4),
    "New Hampshire": (1_379_089, 2), "New Jersey": (9_294_493, 12), "New Mexico": (2_120_220, 3),
    "New York": (20_215_751, 26), "North Carolina": (10_453_948, 14), "North Dakota": (779_702, 1),
    "Ohio": (11_808_848, 15), "Oklahoma": (3_963_516, 5), "Oregon": (4_241_500, 6),
    "Pennsylvania": (13_011_844, 17), "Rhode Island": (1_098_163, 2), "South Carolina": (5_124_712, 7),
    "South Dakota": (887_770, 1), "Tennessee": (6_916_897, 9), "Texas": (29_183_290, 38), "Utah": (3_275_252, 4),
    "Vermont": (643_503, 1), "Virginia": (8_654_542, 11), "Washington": (7_715_946, 10),
    "West Virginia": (1_795_045, 2), "Wisconsin": (5_897_473, 8), "Wyoming": (577_719, 1),
}  # fmt: skip
STATES = list(US_2020)
POPULATIONS = [population for population, _ in US_2020.values()]


def test_us_house_2020_apportionment():
    assert sum(POPULATIONS) == 331_108_434
    seats = apportion(POPULATIONS, 435, "huntington_hill", floors=[1] * 50)
    assert seats == [seats for _, seats in US_2020.values()]
    assert apportion(POPULATIONS, 435, "huntington_hill") == seats  # d(0) = 0 gives each state one anyway


def test_us_house_2020_last_seat_was_decided_by_89_people():
    # Minnesota's 8th seat was the 435th; New York's 27th would have been the 436th, and 89 more New Yorkers
    # would have swapped them (88 would not).
    new_york, minnesota = STATES.index("New York"), STATES.index("Minnesota")
    with_436 = apportion(POPULATIONS, 436, "huntington_hill", floors=[1] * 50)
    assert [STATES[i] for i in range(50) if with_436[i] != US_2020[STATES[i]][1]] == ["New York"]
    for extra, expected in ((88, (26, 8)), (89, (27, 7))):
        populations = list(POPULATIONS)
        populations[new_york] += extra
        seats = apportion(populations, 435, "huntington_hill", floors=[1] * 50)
        assert (seats[new_york], seats[minnesota]) == expected


# --- refusals ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"weights": [1, 1], "total": 3, "floors": [2, 2]}, "floors add up to 4, above the total 3"),
        ({"weights": [1, 1], "total": 5, "caps": [2, 2]}, "caps add up to 4, below the total 5"),
        ({"weights": [1, -1], "total": 1}, r"weights\[1\] is negative"),
        ({"weights": [1, float("nan")], "total": 1}, r"weights\[1\] is not finite"),
        ({"weights": [float("inf"), 1], "total": 1}, r"weights\[0\] is not finite"),
        ({"weights": [1, Decimal("NaN")], "total": 1}, r"weights\[1\] is not finite"),
        ({"weights": [1, Decimal("-1")], "total": 1}, r"weights\[1\] is negative"),
        ({"weights": [1, "2"], "total": 1}, r"weights\[1\] is not a number"),
        ({"weights": [True, 1], "total": 1}, r"weights\[0\] is not a number"),
        ({"weights": [0, 0], "total": 1}, "all weights are zero"),
        ({"weights": [1, 1], "total": 2, "floors": [3, 0], "caps": [2, None]}, "floor 3 is above cap 2"),
        ({"weights": [1, 1], "total": 2, "floors": [1]}, "floors has 1 entries but there are 2 weights"),
        ({"weights": [1, 1], "total": 2, "caps": [1, 1, 1]}, "caps has 3 entries but there are 2 weights"),
        ({"weights": [1, 1], "total": 2, "method": "hare"}, "unknown method 'hare'"),
        ({"weights": [1, 1], "total": -1}, "total must not be negative"),
        ({"weights": [1, 1], "total": 2.0}, "total must be an integer"),
        ({"weights": [1, 1], "total": Decimal(2)}, "total must be an integer"),
        ({"weights": [1, 1], "total": True}, "total must be an integer"),
        ({"weights": [1, 1], "total": 2, "floors": [-1, 0]}, r"floors\[0\] must not be negative"),
        ({"weights": [1, 1], "total": 2, "caps": [1.5, None]}, r"caps\[0\] must be an integer"),
        ({"weights": [1, 0], "total": 3, "caps": [2, None]}, "areas can take at most 2 seats"),
    ],
)
@pytest.mark.parametrize("method", METHODS)
def test_impossible_requests_are_refused_with_the_reason(kwargs, message, method):
    kwargs = {"method": method, **kwargs}
    with pytest.raises(ValueError, match=message):
        apportion(**kwargs)


# --- properties ---------------------------------------------------------------------------------------------


@st.composite
def requests(draw, max_areas=7, max_weight=20, max_total=40):
    """Small requests with many ties; floors and caps sometimes, caps never below floors."""
    count = draw(st.integers(1, max_areas))
    weights = draw(st.lists(st.integers(0, max_weight), min_size=count, max_size=count))
    total = draw(st.integers(0, max_total))
    floors = caps = None
    if draw(st.booleans()):
        floors = draw(st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=count, max_size=count))
    if draw(st.booleans()):
        low = [0 if floors is None or floors[i] is None else floors[i] for i in range(count)]
        extra = draw(st.lists(st.one_of(st.none(), st.integers(0, 12)), min_size=count, max_size=count))
        caps = [None if e is None else low[i] + e for i, e in enumerate(extra)]
    return weights, total, floors, caps


methods = st.sampled_from(METHODS)
divisor_methods = st.sampled_from(DIVISOR_METHODS)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def feasible_result(weights, total, method, floors, caps):
    try:
        return apportion(weights, total, method, floors, caps)
    except ValueError:
        return None


@SETTINGS
@given(requests(), methods)
def test_result_equals_the_naive_reference(request, method):
    weights, total, floors, caps = request
    try:
        expected = naive(weights, total, method, floors, caps)
    except ValueError:
        with pytest.raises(ValueError):
            apportion(weights, total, method, floors, caps)
        return
    assert apportion(weights, total, method, floors, caps) == expected


@SETTINGS
@given(requests(max_areas=25, max_weight=10**6, max_total=120), methods)
def test_result_equals_the_naive_reference_with_spread_weights(request, method):
    weights, total, floors, caps = request
    result = feasible_result(weights, total, method, floors, caps)
    assume(result is not None)
    assert result == naive(weights, total, method, floors, caps)


@SETTINGS
@given(st.lists(st.integers(10**16, 10**16 + 3), min_size=2, max_size=8), st.integers(0, 30), methods)
def test_near_ties_beyond_float_precision_match_the_naive_reference(weights, total, method):
    assert apportion(weights, total, method) == naive(weights, total, method)


@SETTINGS
@given(requests(), methods)
def test_sum_floors_caps_and_bounds_are_honoured(request, method):
    weights, total, floors, caps = request
    detailed = None
    try:
        detailed = apportion_detailed(weights, total, method, floors, caps)
    except ValueError:
        pass
    assume(detailed is not None)
    seats = detailed.seats
    assert sum(seats) == total
    for i, count in enumerate(seats):
        floor = 0 if floors is None or floors[i] is None else floors[i]
        cap = None if caps is None else caps[i]
        assert count >= floor
        assert cap is None or count <= cap
        if weights[i] == 0:
            assert count == floor
        assert detailed.bounds[i] in ("", "floor", "cap")
        if detailed.bounds[i] == "floor":
            assert count == floor > 0
        if detailed.bounds[i] == "cap":
            assert count == cap
    if floors is None and caps is None:
        assert detailed.bounds == ("",) * len(seats)


@SETTINGS
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=30), st.integers(0, 500))
def test_largest_remainder_without_bounds_stays_within_quota(weights, total):
    assume(any(weights))
    seats = apportion(weights, total)
    for weight, count in zip(weights, seats, strict=True):
        ideal = Fraction(total * weight, sum(weights))
        assert count in (math.floor(ideal), math.ceil(ideal))


@SETTINGS
@given(requests(), divisor_methods)
def test_divisor_methods_are_house_monotone(request, method):
    weights, total, floors, caps = request
    smaller = feasible_result(weights, total, method, floors, caps)
    larger = feasible_result(weights, total + 1, method, floors, caps)
    assume(smaller is not None and larger is not None)
    assert all(a <= b for a, b in zip(smaller, larger, strict=True))


@SETTINGS
@given(requests(), methods, st.integers(1, 10**9), st.fractions(min_value=Fraction(1, 1000), max_value=1000))
def test_scaling_the_weights_changes_nothing(request, method, factor, ratio):
    weights, total, floors, caps = request
    assume(ratio > 0)
    result = feasible_result(weights, total, method, floors, caps)
    assume(result is not None)
    assert apportion([w * factor for w in weights], total, method, floors, caps) == result
    assert apportion([w * ratio for w in weights], total, method, floors, caps) == result


@SETTINGS
@given(requests(), methods)
def test_deterministic_whatever_the_number_type(request, method):
    weights, total, floors, caps = request
    result = feasible_result(weights, total, method, floors, caps)
    assume(result is not None)
    assert apportion(weights, total, method, floors, caps) == result
    assert apportion([float(w) for w in weights], total, method, floors, caps) == result
    assert apportion([Decimal(w) for w in weights], total, method, floors, caps) == result
    assert apportion(tuple(Fraction(w) for w in weights), total, method, tuple(floors or ()) or None, caps) == result


# --- at scale: a certificate instead of the slow reference -------------------------------------------------


def rank(method, weight, held, index):
    """Rank of an area's next seat (smaller = earlier), written from the definition."""
    weight = Fraction(weight)
    if method == "huntington_hill":
        if held == 0:
            return (0, -weight, index)
        return (1, -(weight * weight) / (held * (held + 1)), index)
    divisor = held + 1 if method == "dhondt" else held + Fraction(1, 2)
    return (1, -weight / divisor, index)


@pytest.mark.parametrize("method", DIVISOR_METHODS)
@pytest.mark.parametrize("bounded", [False, True])
def test_divisor_methods_at_scale_hold_the_divisor_certificate(method, bounded):
    # Seat-by-seat gives the `total` best-ranked seats above the floors. So the result is right exactly when it
    # sums to the total and every seat held above a floor ranks before every seat that could still be given.
    rng = random.Random(f"{method}-{bounded}")
    count, total = 2000, 100_000
    weights = [rng.randint(20_000, 2_000_000) for _ in range(count)]
    weights[::97] = [0] * len(weights[::97])
    floors = [rng.choice([0, 0, 5, 40]) for _ in range(count)] if bounded else None
    caps = [rng.choice([None, None, 45, 60]) for _ in range(count)] if bounded else None
    seats = apportion(weights, total, method, floors, caps)
    assert sum(seats) == total
    low = floors or [0] * count
    high = caps or [None] * count
    held = [rank(method, weights[i], seats[i] - 1, i) for i in range(count) if seats[i] > low[i]]
    waiting = [
        rank(method, weights[i], seats[i], i)
        for i in range(count)
        if weights[i] and (high[i] is None or seats[i] < high[i])
    ]
    assert max(held) < min(waiting)
    assert all(seats[i] == low[i] for i in range(count) if weights[i] == 0)


def test_many_equal_weights_still_split_exactly():
    # 3000 equal weights and a total that is not a multiple: one jump of the count covers every area at once,
    # so the settling must hand out the odd seats by the first-listed rule.
    for method in METHODS:
        seats = apportion([7] * 3000, 10_001, method)
        assert seats == [4] * 1001 + [3] * 1999


def above_divisor(method, weight, held, divisor):
    """Whether an area's seat number held + 1 has priority w/d(held) strictly above the divisor."""
    if method == "dhondt":
        return Fraction(weight, held + 1) > divisor
    if method == "sainte_lague":
        return weight / (held + Fraction(1, 2)) > divisor
    if held == 0:
        return weight > 0  # d(0) = 0
    return Fraction(weight * weight, held * (held + 1)) > divisor * divisor


@SETTINGS
@given(
    st.integers(0, 60), st.integers(1, 40), st.integers(1, 40), st.integers(0, 3), st.integers(0, 3), divisor_methods
)
def test_exact_seat_count_at_a_divisor_matches_its_definition(weight, numerator, denominator, floor, extra, method):
    # The fast path rests on this count being exact, also when a quota falls right on a rounding point (small
    # integers make that frequent): the seats whose priority is strictly above the divisor, then clamped.
    from allocation.apportionment import _exact_counts

    divisor = Fraction(denominator, numerator)
    above = 0
    while above_divisor(method, weight, above, divisor):
        above += 1
    cap = floor + extra
    assert _exact_counts(method, [weight], [floor], [cap], numerator, denominator) == [min(max(above, floor), cap)]
