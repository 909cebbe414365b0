"""Quota-use direction (用编方向) of one unit from its quota position: pure, no Django.

The order of the decision (docs/domain.md, "Quota-use direction"):

1. Staff in quota above the quotas the unit holds: the unit is frozen, leavers only (只出不进), until it is back
   within quota (an over-quota unit takes no new entrants).
2. No approved quotas and no staff: nothing to direct.
3. Staff exactly at the approved quotas: one in per one out (出一进一).
4. Vacant quotas with a plan and staff counted by category: the vacancies go to posts that lack staff and that no
   open quota-use notice has promised yet, first the professional-technical posts, then management, then
   worker-skill. Vacancies left over have no post to go to: they wait for a revised plan.
5. Vacant quotas without a plan, or without staff counted by category: held until the missing figures come in.

Whatever the case, a category whose staff exceed its posts (超岗) takes no appointments until back within posts,
and a stale or missing plan is named so that it gets revised.
"""
from __future__ import annotations

from dataclasses import dataclass

from positions.rules import CATEGORIES
from workflow.quota_position import QuotaPosition

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
class Direction:
    code: str
    vacant: int
    over_quota: int
    allocation: tuple[tuple[str, int], ...] = ()  # (category, vacant quotas to use there), in priority order
    unmatched: int = 0  # vacant quotas no post lacking staff can take
    over_position: tuple[tuple[str, int], ...] = ()  # (category, staff above its posts)
    notes: tuple[str, ...] = ()
    reserved: int = 0  # not vacant: held for notices already issued
    reserved_by_category: tuple[tuple[str, int], ...] = ()  # (category, reserved), the categories holding any
    borrowed: int = 0

    @property
    def allocated(self) -> int:
        return sum(count for _category, count in self.allocation)


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


def decide(unit: QuotaPosition, *, stale_age: bool = False, stale_total: bool = False) -> Direction:
    """The direction of one unit from its quota position (see the module docstring for the order of the decision);
    ``stale_age`` / ``stale_total``: its plan is old, or its total differs from the own quotas."""
    # The usable vacancy: quotas reserved by notices already issued are not free to direct again, neither in total
    # nor in their category's posts (``QuotaPosition.open_posts``).
    vacant, over_quota = unit.vacant, unit.over_quota
    reserved_by_category = tuple((category, count) for category, count in unit.reserved_by_category.items() if count)
    over_position: tuple[tuple[str, int], ...] = ()
    if unit.has_breakdown:
        over_position = tuple(
            (category, unit.staff[category] - unit.posts[category])
            for category in CATEGORIES if unit.staff[category] > unit.posts[category]
        )
    notes = []
    if unit.posts is None:
        notes.append(NOTE_NO_PLAN)
    else:
        if stale_age:
            notes.append(NOTE_STALE_AGE)
        if stale_total:
            notes.append(NOTE_STALE_TOTAL)
    if unit.staff is None:
        notes.append(NOTE_NO_STAFF_COUNT)
    if unit.reserved and not over_quota:
        notes.append(NOTE_RESERVED)

    def direction(code: str, allocation=(), unmatched: int = 0, drop: tuple[str, ...] = ()) -> Direction:
        return Direction(code, vacant, over_quota, tuple(allocation), unmatched, over_position,
                         tuple(note for note in notes if note not in drop), unit.reserved, reserved_by_category,
                         unit.borrowed)

    if over_quota > 0:
        return direction(FROZEN)
    if unit.held == 0 and unit.staff_total == 0:
        return direction(NO_QUOTA)
    if vacant == 0:
        return direction(ONE_FOR_ONE)
    if unit.posts is None:
        return direction(HOLD_NO_PLAN, unmatched=vacant, drop=(NOTE_NO_PLAN,))
    if unit.staff is None:
        return direction(HOLD_NO_STAFF_COUNT, unmatched=vacant, drop=(NOTE_NO_STAFF_COUNT,))
    allocation, left = allocate(vacant, unit.open_posts)
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
        reserved_by_category=tuple((category, count) for category, count in data.get("reserved_by_category", [])),
        borrowed=figures.get("borrowed", 0),
    )
