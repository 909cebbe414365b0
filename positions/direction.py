"""Quota-use direction (用编方向) of one unit from its reconciled figures: pure, no Django.

The order of the decision (MISSION.md item 6; DOMAIN.md §9):

1. Staff in quota above the approved quotas: the unit is frozen, leavers only (只出不进), until it is back within
   quota [DOMAIN.md §9: 超编 units take no new entrants].
2. No approved quotas and no staff: nothing to direct.
3. Staff exactly at the approved quotas: one in per one out (出一进一).
4. Vacant quotas with a plan and staff counted by category: the vacancies go to posts that lack staff, first the
   professional-technical posts, then management, then worker-skill. Vacancies left over have no post to go to:
   they wait for a revised plan.
5. Vacant quotas without a plan, or without staff counted by category: held until the missing figures come in.

Whatever the case, a category whose staff exceed its posts (超岗) takes no appointments until back within posts,
and a stale or missing plan is named so that it gets revised.
"""
from __future__ import annotations

from dataclasses import dataclass

from positions.rules import CATEGORIES

FROZEN = "frozen"
NO_QUOTA = "no_quota"
ONE_FOR_ONE = "one_for_one"
ALLOCATE = "allocate"
HOLD_NO_POST = "hold_no_post"
HOLD_NO_PLAN = "hold_no_plan"
HOLD_NO_STAFF_COUNT = "hold_no_staff_count"
DIRECTION_CODES = (FROZEN, NO_QUOTA, ONE_FOR_ONE, ALLOCATE, HOLD_NO_POST, HOLD_NO_PLAN, HOLD_NO_STAFF_COUNT)

# Notes added to the sentence.
NOTE_NO_PLAN = "no_plan"
NOTE_STALE_AGE = "stale_age"
NOTE_STALE_TOTAL = "stale_total"
NOTE_NO_STAFF_COUNT = "no_staff_count"
NOTE_RESERVED = "reserved"


@dataclass(frozen=True)
class UnitFigures:
    """What the reconciliation knows of one unit. Category mappings are keyed by ``positions.rules.CATEGORIES``."""

    approved: int
    staff_total: int
    posts: dict[str, int] | None = None  # None: no plan in effect
    staff: dict[str, int] | None = None  # None: no staff count by category (staff_total is the registry's)
    stale_age: bool = False
    stale_total: bool = False
    reserved: int = 0  # quotas reserved by issued quota-use notices not yet taken up (已核准未入编)


@dataclass(frozen=True)
class Direction:
    code: str
    vacant: int
    over_quota: int
    allocation: tuple[tuple[str, int], ...] = ()  # (category, vacant quotas to use there), in priority order
    unmatched: int = 0  # vacant quotas no post lacking staff can take
    over_position: tuple[tuple[str, int], ...] = ()  # (category, staff above its posts)
    notes: tuple[str, ...] = ()
    reserved: int = 0  # not vacant: held for notices already issued

    @property
    def allocated(self) -> int:
        return sum(count for _category, count in self.allocation)


def short_posts(posts: dict[str, int], staff: dict[str, int]) -> dict[str, int]:
    """Posts that lack staff per category (never below zero)."""
    return {category: max(posts[category] - staff[category], 0) for category in CATEGORIES}


def allocate(vacant: int, short: dict[str, int]) -> tuple[tuple[tuple[str, int], ...], int]:
    """Give ``vacant`` quotas to the posts lacking staff in priority order; return (allocation, left over)."""
    allocation = []
    left = vacant
    for category in CATEGORIES:
        take = min(left, short[category])
        if take > 0:
            allocation.append((category, take))
            left -= take
    return tuple(allocation), left


def decide(unit: UnitFigures) -> Direction:
    """The direction of one unit (see the module docstring for the order of the decision)."""
    # The usable vacancy: quotas reserved by notices already issued are not free to direct again.
    vacant = max(unit.approved - unit.staff_total - unit.reserved, 0)
    over_quota = max(unit.staff_total - unit.approved, 0)
    has_breakdown = unit.posts is not None and unit.staff is not None
    over_position: tuple[tuple[str, int], ...] = ()
    if has_breakdown:
        over_position = tuple(
            (category, unit.staff[category] - unit.posts[category])
            for category in CATEGORIES if unit.staff[category] > unit.posts[category]
        )
    notes = []
    if unit.posts is None:
        notes.append(NOTE_NO_PLAN)
    else:
        if unit.stale_age:
            notes.append(NOTE_STALE_AGE)
        if unit.stale_total:
            notes.append(NOTE_STALE_TOTAL)
    if unit.staff is None:
        notes.append(NOTE_NO_STAFF_COUNT)
    if unit.reserved and not over_quota:
        notes.append(NOTE_RESERVED)

    def direction(code: str, allocation=(), unmatched: int = 0, drop: tuple[str, ...] = ()) -> Direction:
        return Direction(code, vacant, over_quota, tuple(allocation), unmatched, over_position,
                         tuple(note for note in notes if note not in drop), unit.reserved)

    if over_quota > 0:
        return direction(FROZEN)
    if unit.approved == 0 and unit.staff_total == 0:
        return direction(NO_QUOTA)
    if vacant == 0:
        return direction(ONE_FOR_ONE)
    if unit.posts is None:
        return direction(HOLD_NO_PLAN, unmatched=vacant, drop=(NOTE_NO_PLAN,))
    if unit.staff is None:
        return direction(HOLD_NO_STAFF_COUNT, unmatched=vacant, drop=(NOTE_NO_STAFF_COUNT,))
    allocation, left = allocate(vacant, short_posts(unit.posts, unit.staff))
    if not allocation:
        return direction(HOLD_NO_POST, unmatched=left)
    return direction(ALLOCATE, allocation, left)


def from_figures(figures: dict) -> Direction:
    """The direction frozen in a notice's figures (``ReconciliationRow.as_figures``)."""
    data = figures["direction"]
    return Direction(
        code=data["code"], vacant=figures["vacant"], over_quota=figures["over_quota"],
        allocation=tuple((category, count) for category, count in data["allocation"]),
        unmatched=data["unmatched"],
        over_position=tuple((category, count) for category, count in data["over_position"]),
        notes=tuple(data["notes"]),
        reserved=data.get("reserved", 0),
    )
