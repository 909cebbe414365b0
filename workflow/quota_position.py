"""A unit's quota position as plain figures, and every figure derived from them: pure, no Django.

``workflow.vacancy`` reads the figures (one unit, or many in one SQL query); this class is where usable vacancy,
over quota, reclaimable and open posts are defined (docs/domain.md, "Usable vacancy"). The quota-use direction
(``reconciliation.direction``) decides on it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from positions.rules import CATEGORIES


@dataclass(frozen=True)
class QuotaPosition:
    """One unit's quota position (see the module docstring for each figure)."""

    institution_id: int
    held: int
    borrowed: int
    staff_total: int
    staff: dict[str, int] | None  # the three categories and the four professional bands; None: no staff count
    posts: dict[str, int] | None  # the three categories; None: no position plan in effect
    reserved_by_category: dict[str, int] = field(default_factory=dict)

    @property
    def own(self) -> int:
        return self.held - self.borrowed

    @property
    def reserved(self) -> int:
        return sum(self.reserved_by_category.values())

    @property
    def usable(self) -> int:
        return self.held - self.staff_total - self.reserved

    @property
    def vacant(self) -> int:
        return max(self.usable, 0)

    @property
    def over_quota(self) -> int:
        return max(self.staff_total - self.held, 0)

    @property
    def reclaimable(self) -> int:
        return max(self.own - self.staff_total - self.reserved, 0)

    @property
    def has_breakdown(self) -> bool:
        return self.posts is not None and self.staff is not None

    @property
    def short(self) -> dict[str, int] | None:
        """Posts lacking staff per category (None without a plan and a staff count)."""
        if not self.has_breakdown:
            return None
        return {category: max(self.posts[category] - self.staff[category], 0) for category in CATEGORIES}

    @property
    def open_posts(self) -> dict[str, int] | None:
        """Posts lacking staff and not yet promised by a notice, per category."""
        short = self.short
        if short is None:
            return None
        return {category: max(short[category] - self.reserved_by_category.get(category, 0), 0)
                for category in CATEGORIES}

    @property
    def usable_by_category(self) -> dict[str, int] | None:
        open_posts = self.open_posts
        if open_posts is None:
            return None
        return {category: min(self.vacant, open_posts[category]) for category in CATEGORIES}

    def usable_for(self, category: str, *, check_posts: bool = True) -> int:
        """What one notice of ``category`` may take: the vacancy, and, with a plan and a staff count, the category's
        open posts."""
        by_category = self.usable_by_category if check_posts else None
        return self.vacant if by_category is None else by_category[category]
