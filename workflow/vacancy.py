"""A unit's quota position (编制使用情况) now or on a date: the one definition of usable vacancy.

Every figure a page, a notice, a check or the API shows about a unit's quotas comes from here, computed in one
place: one SQL query for a set of units (``annotate_quota_positions`` / ``quota_positions``, for the reconciliation
and reports), of which ``quota_position`` reads one unit (inside the services that decide on it, after
``lock_units``).

For one unit and one quota type:

- ``held``: the balance of the unit's ledger account (its stored balance now; the ledger summed up to a past date).
- ``borrowed``: turnover-pool quotas lent to it and not yet returned, read from the ledger's loan and return
  postings (``quotas.selectors.borrowed_quotas``).
- ``own`` = held − borrowed: the unit's approved quotas (核定编制), what its position plan and any standard are
  compared with, and all that reclamation may ever take.
- ``staff_total`` and ``staff`` by category and band: the latest staff count by the date (without one, the
  registry's staff figure, with no breakdown). Staff counts are not split by quota type: a unit holding quotas of
  two types has its staff counted against each.
- ``reserved`` by category: quotas held by issued quota-use notices not yet taken up (已核准未入编). Now: the open
  notices' count − taken up; on a date: notices issued by then, still valid and not closed, less the entries made
  against them by then.
- ``posts`` by category: the position plan in effect on the date.

Derived: usable vacancy = held − staff − reserved (negative when over quota or over-reserved); vacant = usable
when positive; over quota = staff − held when positive; reclaimable = own − staff − reserved when positive (never
borrowed, never reserved quotas); posts lacking staff = posts − staff per category; open posts = posts lacking staff
− reserved per category; usable per category = the least of the vacancy and the category's open posts (what one
notice of that category may take). docs/domain.md, "Usable vacancy", says why.
"""
from __future__ import annotations

import datetime

from django.db.models import (
    Case,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from institutions.choices import Category
from institutions.models import Institution
from positions.models import PositionPlan, StaffCount
from positions.rules import BANDS, CATEGORIES
from quotas.choices import HolderKind, QuotaTypeCode
from quotas.models import QuotaType
from quotas.selectors import borrowed_quotas_expression, held_on_expression
from workflow import states as workflow
from workflow.models import QuotaUseNotice, StaffMovement
from workflow.models.hiring import MovementKind
from workflow.quota_position import QuotaPosition

# A notice reserves while issued and open; afterwards, on a past date, it may have reserved (executed or expired).
RESERVING_ONCE = (workflow.APPROVED, workflow.EXECUTED, workflow.EXPIRED)


def _quota_type_id(quota_type: QuotaType | str | None):
    """The quota type's id, or for a code the subquery that finds it (no query of its own)."""
    if isinstance(quota_type, QuotaType):
        return quota_type.pk
    return Subquery(QuotaType.objects.filter(code=quota_type or QuotaTypeCode.INSTITUTIONAL).values("pk")[:1])


# --- one unit -----------------------------------------------------------------------------------------------------
def quota_position(
    institution: Institution | int, *, quota_type: QuotaType | str | None = None, on: datetime.date | None = None,
    exclude_notice_id: int | None = None,
) -> QuotaPosition:
    """The quota position of one unit (``on`` None: now, from the stored balance and the open notices and loans).

    ``exclude_notice_id``: leave this notice's reservation out (the notice being decided on).
    """
    institution_id = institution if isinstance(institution, int) else institution.pk
    return quota_positions(Institution.objects.filter(pk=institution_id), on=on, quota_type=quota_type,
                           exclude_notice_id=exclude_notice_id)[institution_id]


def _open_on(day: datetime.date, prefix: str = "") -> Q:
    """Notices that reserved quotas at the end of ``day``: issued by then, still valid, not yet closed."""
    return Q(**{
        f"{prefix}status__in": RESERVING_ONCE, f"{prefix}issued_on__lte": day, f"{prefix}valid_until__gte": day,
    }) & (Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gt": day}))


# --- many units in one query -----------------------------------------------------------------------------------
class Integer(ExpressionWrapper):
    """An integer SQL expression, read as the database driver returns it.

    Django passes every computed integer through ``int()`` on the way out; both drivers already return ``int``
    for these sums and cases, and at 40,000 units × 20 columns that conversion is a third of the query's time.
    """

    def __init__(self, expression) -> None:
        super().__init__(expression, output_field=IntegerField())

    @cached_property
    def convert_value(self):
        return self._convert_value_noop


def positive_difference(left, right):
    """``left − right`` when positive, else 0 (portable: SQLite's MAX and PostgreSQL's GREATEST treat NULL
    differently)."""
    return Case(
        When(GreaterThan(left, right), then=ExpressionWrapper(left - right, output_field=IntegerField())),
        default=Value(0), output_field=IntegerField(),
    )


def _sum_subquery(queryset: QuerySet, group: str, expression) -> Coalesce:
    """``Σ expression`` of the rows of ``queryset`` (already correlated to the outer unit), or 0."""
    sums = queryset.order_by().values(group).annotate(total=Sum(expression)).values("total")
    return Coalesce(Subquery(sums, output_field=IntegerField()), 0)


def annotate_quota_positions(
    queryset: QuerySet, *, on: datetime.date | None = None, quota_type: QuotaType | str | None = None,
    exclude_notice_id: int | None = None,
) -> QuerySet:
    """Annotate units with their quota position (one SQL query when evaluated).

    Columns: ``held``, ``borrowed``, ``approved`` (own quotas), ``staff_total``, ``staff_<category|band>`` and
    ``staff_count_id`` (NULL without a staff count), ``plan_id`` and ``posts_<category>`` (NULL without a plan),
    ``reserved_<category>`` and ``reserved``, ``usable``, ``vacant``, ``over_quota``, ``reclaimable``. The joins
    ``plan`` and ``staff`` (the plan in effect, the latest staff count) can be read further by the caller.
    """
    day = on or timezone.localdate()
    type_id = _quota_type_id(quota_type)
    unit = OuterRef("pk")

    # The plan in effect: taken effect by the day, and no later one has (a unit has one plan per date). Said as
    # "no newer row exists" rather than "the id of the newest row", PostgreSQL runs it as one anti-join instead
    # of a subquery per unit (a quarter of the query's time at 40,000 units). Staff counts likewise.
    newer_plan = PositionPlan.objects.filter(
        institution=OuterRef("plan__institution"), effective_date__gt=OuterRef("plan__effective_date"),
        effective_date__lte=day,
    )
    newer_staff = StaffCount.objects.filter(
        institution=OuterRef("staff__institution"), as_of__gt=OuterRef("staff__as_of"), as_of__lte=day,
    )
    queryset = queryset.annotate(
        plan=FilteredRelation(
            "position_plans", condition=Q(position_plans__effective_date__lte=day) & ~Exists(newer_plan)
        ),
        staff=FilteredRelation("staff_counts", condition=Q(staff_counts__as_of__lte=day) & ~Exists(newer_staff)),
    )

    if on is None:
        queryset = queryset.annotate(
            account=FilteredRelation(
                "quota_accounts",
                condition=Q(quota_accounts__holder_kind=HolderKind.INSTITUTION, quota_accounts__quota_type_id=type_id,
                            quota_accounts__is_active=True),
            ),
            held=Integer(Coalesce(F("account__balance"), 0)),
        )
    else:
        queryset = queryset.annotate(held=Integer(held_on_expression(unit, quota_type_id=type_id, on=on)))
    borrowed = borrowed_quotas_expression(unit, quota_type_id=type_id, on=on)
    notices = QuotaUseNotice.objects.filter(institution=unit, quota_type_id=type_id)
    if exclude_notice_id is not None:
        notices = notices.exclude(pk=exclude_notice_id)
    reserved = {}
    for category in CATEGORIES:
        of_category = notices.filter(category=category)
        if on is None:
            reserved[category] = _sum_subquery(of_category.filter(status=workflow.APPROVED), "institution",
                                               F("count") - F("taken_up"))
        else:
            open_then = of_category.filter(_open_on(on))
            entries = StaffMovement.objects.filter(
                _open_on(on, "notice__"), institution=unit, kind=MovementKind.ENTRY, date__lte=on,
                notice__quota_type_id=type_id, notice__category=category)
            if exclude_notice_id is not None:
                entries = entries.exclude(notice_id=exclude_notice_id)
            reserved[category] = _sum_subquery(open_then, "institution", "count") - _sum_subquery(
                entries, "institution", "count")

    queryset = queryset.annotate(
        borrowed=Integer(borrowed),
        staff_count_id=F("staff__id"),
        staff_total=Integer(Coalesce(F("staff__total"), F("staff_in_quota"))),
        **{f"staff_{name}": F(f"staff__{name}") for name in (*CATEGORIES, *BANDS)},
        plan_id=F("plan__id"),
        **{f"posts_{category}": F(f"plan__{category}") for category in CATEGORIES},
        **{f"reserved_{category}": Integer(expression) for category, expression in reserved.items()},
    )
    figures = position_expressions()
    return queryset.annotate(approved=figures["approved"], reserved=figures["reserved"]).annotate(
        **{name: figures[name] for name in ("usable", "vacant", "over_quota", "reclaimable")})


def position_expressions() -> dict:
    """The derived figures of a quota position as SQL expressions of its base columns (``held``, ``borrowed``,
    ``staff_total``, ``reserved_<category>``): ``approved``, ``reserved``, ``usable``, ``vacant``, ``over_quota``,
    ``reclaimable``, as the module's docstring defines them. ``annotate_quota_positions`` annotates them; a totals
    query computes them over a fenced derived table of the base columns instead, where each base column is computed
    once (``reconciliation.selectors.reconciliation_totals``)."""
    held, borrowed, staff_total = F("held"), F("borrowed"), F("staff_total")
    reserved = sum((F(f"reserved_{category}") for category in CATEGORIES[1:]), F(f"reserved_{CATEGORIES[0]}"))
    approved = held - borrowed
    return {
        "approved": Integer(approved),
        "reserved": Integer(reserved),
        "usable": Integer(held - staff_total - reserved),
        "vacant": Integer(positive_difference(held, staff_total + reserved)),
        "over_quota": Integer(positive_difference(staff_total, held)),
        "reclaimable": Integer(positive_difference(approved, staff_total + reserved)),
    }


POSITION_VALUE_FIELDS = (
    "id", "held", "borrowed", "staff_total", "staff_count_id", *(f"staff_{name}" for name in (*CATEGORIES, *BANDS)),
    "plan_id", *(f"posts_{category}" for category in CATEGORIES), *(f"reserved_{category}" for category in CATEGORIES),
)


def position_from_values(row: dict) -> QuotaPosition:
    """A ``QuotaPosition`` from a dictionary holding ``POSITION_VALUE_FIELDS`` of ``annotate_quota_positions``."""
    staff = None
    if row["staff_count_id"] is not None:
        staff = {name: row[f"staff_{name}"] for name in (*CATEGORIES, *BANDS)}
    posts = None if row["plan_id"] is None else {category: row[f"posts_{category}"] for category in CATEGORIES}
    return QuotaPosition(
        institution_id=row["id"], held=row["held"], borrowed=row["borrowed"], staff_total=row["staff_total"],
        staff=staff, posts=posts,
        reserved_by_category={category: row[f"reserved_{category}"] for category in CATEGORIES},
    )


def quota_positions(
    institutions: QuerySet, *, on: datetime.date | None = None, quota_type: QuotaType | str | None = None,
    exclude_notice_id: int | None = None,
) -> dict[int, QuotaPosition]:
    """Institution id → quota position, for every unit of ``institutions``, in one query."""
    rows = annotate_quota_positions(institutions.order_by(), on=on, quota_type=quota_type,
                                    exclude_notice_id=exclude_notice_id).values(*POSITION_VALUE_FIELDS)
    return {row["id"]: position_from_values(row) for row in rows}


def recruiting_refusal(unit: Institution) -> str | None:
    """Why the unit may recruit no one into the quota whatever its vacancy (None: it may, within its vacancy).

    A commercial-category unit (经营类) is on its way to becoming a company: its quotas are under controlled use,
    cancelled as its staff leave (只出不进), never filled or borrowed for (docs/domain.md, "Reform operations").
    """
    if unit.category == Category.COMMERCIAL:
        return _("“%(unit)s” is a commercial-category unit: its quotas are under controlled use and cancelled as its "
                 "staff leave; it recruits no one into the quota.") % {"unit": unit}
    return None
