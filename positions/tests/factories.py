"""factory_boy factories of the positions app (plans, staff counts), built on the registry's factories.

``plan_counts`` and ``staff_counts`` give consistent counts from category figures: grades add up to their category,
categories to the total. The factories write rows directly (no rule check): tests of the rules go through the
services.
"""
from __future__ import annotations

import datetime

import factory
from factory.django import DjangoModelFactory

from institutions.tests.factories import DocumentFactory, InstitutionFactory
from positions.models import PositionPlan, StaffCount
from positions.models.plans import PLAN_COUNT_FIELDS

# Where band counts go in a plan: one level per band (正高 4, 副高 7, 中级 10, 初级 12).
BAND_LEVEL = {"senior_full": 4, "senior_deputy": 7, "intermediate": 10, "junior": 12}


def plan_counts(
    *, management: int = 0, professional: tuple[int, int, int, int] = (0, 0, 0, 0), worker: int = 0,
    leadership: int = 0, special: int = 0,
) -> dict[str, int]:
    """Every count field of a plan: management at level 8, professional bands at one level each, worker-skill
    posts as technicians of level 3; ``professional`` is (senior full, senior deputy, intermediate, junior)."""
    counts = dict.fromkeys(PLAN_COUNT_FIELDS, 0)
    counts["management_8"] = management
    counts["management"] = management
    counts["management_leadership"] = leadership
    for band, count in zip(BAND_LEVEL, professional, strict=True):
        counts[f"professional_{BAND_LEVEL[band]}"] = count
    counts["professional"] = sum(professional)
    counts["worker_3"] = worker
    counts["worker"] = worker
    counts["total"] = management + sum(professional) + worker
    counts["special"] = special
    return counts


def staff_counts(
    *, management: int = 0, professional: tuple[int, int, int, int] = (0, 0, 0, 0), worker: int = 0
) -> dict[str, int]:
    """Every count field of a staff count (``professional`` by band, as in ``plan_counts``)."""
    senior_full, senior_deputy, intermediate, junior = professional
    return {
        "management": management, "professional": sum(professional), "senior_full": senior_full,
        "senior_deputy": senior_deputy, "intermediate": intermediate, "junior": junior, "worker": worker,
    }


class PositionPlanFactory(DjangoModelFactory[PositionPlan]):
    """A plan of 10 posts (2 management, 7 professional-technical, 1 worker-skill) in effect from 2025-01-01."""

    class Meta:
        model = PositionPlan

    institution = factory.SubFactory(InstitutionFactory)
    version = factory.Sequence(lambda n: n + 1)
    effective_date = datetime.date(2025, 1, 1)
    document = factory.SubFactory(DocumentFactory)
    total = 10
    management = 2
    management_8 = 2
    professional = 7
    professional_7 = 1
    professional_10 = 3
    professional_12 = 3
    worker = 1
    worker_3 = 1


class StaffCountFactory(DjangoModelFactory[StaffCount]):
    """Staff of 9 (2 management, 6 professional-technical, 1 worker-skill) as of 2025-12-31."""

    class Meta:
        model = StaffCount

    institution = factory.SubFactory(InstitutionFactory)
    as_of = datetime.date(2025, 12, 31)
    management = 2
    professional = 6
    senior_deputy = 1
    intermediate = 2
    junior = 3
    worker = 1
    total = factory.LazyAttribute(lambda o: o.management + o.professional + o.worker)
