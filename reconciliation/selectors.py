"""Reads of the positions app, in SQL: the quota/position/staff reconciliation (编岗人比对).

``reconciliation`` is one query over the public institutions of a region (or the whole city): each unit's quota
position (``workflow.vacancy``: quotas held, own and borrowed, staff, reserved, usable vacancy, the plan in effect
and the latest staff count) with the over-position and short posts per category and the stale-plan flags as SQL
expressions over those columns, so filtering by a flag happens in the database. ``reconciliation_rows`` turns a page
of that queryset into rows with the direction (``reconciliation.direction``) and its sentence, in Python.

"Stale" plan (configurable, ``settings.POSITIONS_RECONCILIATION``): a plan is stale when it took effect more than
``stale_after_months`` months (default 36) before the date, or, with ``stale_when_total_differs`` (default on), when
its position total differs from the unit's own approved quotas, as happens after a ledger change (quotas added,
reclaimed or moved) that the plan has not followed.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import BooleanField, Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone

from core.dates import months_before
from institutions.choices import InstitutionKind, InstitutionStatus
from institutions.models import Institution
from positions.models.plans import BAND_FIELDS, sum_of
from positions.rules import BANDS, CATEGORIES
from positions.texts import CachedTranslations
from quotas.choices import QuotaTypeCode
from reconciliation import direction as d
from reconciliation.choices import ReconciliationFlag
from reconciliation.texts import direction_sentence
from workflow.vacancy import (
    Integer,
    annotate_quota_positions,
    position_expressions,
    position_from_values,
    positive_difference,
)


@dataclass(frozen=True)
class ReconciliationOptions:
    stale_after_months: int = 36
    stale_when_total_differs: bool = True
    quota_type: str = QuotaTypeCode.INSTITUTIONAL


def reconciliation_options(**overrides) -> ReconciliationOptions:
    """The options from ``settings.POSITIONS_RECONCILIATION`` (a dict of the fields), then ``overrides``."""
    values = dict(getattr(settings, "POSITIONS_RECONCILIATION", {}) or {})
    values.update(overrides)
    return ReconciliationOptions(**values)




def units_on(on: datetime.date, institutions: QuerySet | None = None) -> QuerySet:
    """Public institutions that exist on ``on`` (established by then and not yet ended)."""
    queryset = Institution.objects.all() if institutions is None else institutions
    return queryset.filter(kind=InstitutionKind.PUBLIC_INSTITUTION).filter(
        Q(established_on__isnull=True) | Q(established_on__lte=on)
    ).filter(Q(status=InstitutionStatus.ACTIVE) | Q(ended_on__gt=on))


def reconciliation(
    *, on: datetime.date | None = None, institutions: QuerySet | None = None,
    options: ReconciliationOptions | None = None,
) -> QuerySet:
    """Public institutions annotated with quotas, posts and staff, side by side (one SQL query when evaluated).

    The quota figures are the units' quota positions (``workflow.vacancy.annotate_quota_positions``): ``on`` None
    is now (stored balances, open notices and loans), a date reads the ledger, the notices and the loans as they
    stood at its end. ``institutions``: the units to look at (already scoped to the user; filtered by region,
    supervisor, …).
    """
    options = options or reconciliation_options()
    day = on or timezone.localdate()
    queryset = annotate_quota_positions(units_on(day, institutions), on=on, quota_type=options.quota_type)
    posts = {category: F(f"plan__{category}") for category in CATEGORIES}
    staff = {category: F(f"staff__{category}") for category in CATEGORIES}
    has_both = Q(plan__id__isnull=False, staff__id__isnull=False)
    queryset = queryset.annotate(
        plan_version=F("plan__version"),
        plan_effective_date=F("plan__effective_date"),
        posts_total=F("plan__total"),
        posts_special=F("plan__special"),
        **{f"posts_{band}": Integer(sum_of(*(f"plan__{name}" for name in BAND_FIELDS[band]))) for band in BANDS},
        staff_as_of=F("staff__as_of"),
    )
    flags = {
        **{
            f"over_position_{category}": Integer(Case(
                When(has_both, then=positive_difference(staff[category], posts[category])), default=Value(0),
                output_field=IntegerField(),
            ))
            for category in CATEGORIES
        },
        **{
            f"short_{category}": Integer(Case(
                When(has_both, then=positive_difference(posts[category], staff[category])), default=Value(0),
                output_field=IntegerField(),
            ))
            for category in CATEGORIES
        },
        "stale_age": Case(
            When(plan__effective_date__lt=months_before(day, options.stale_after_months), then=Value(True)),
            default=Value(False), output_field=BooleanField(),
        ),
        "stale_total": stale_total_expression(F("approved"), options),
    }
    return queryset.annotate(**flags)


def stale_total_expression(approved, options: ReconciliationOptions):
    """Whether the plan in effect is stale by its total: the plan follows the unit's own quotas (``approved``; the
    borrowed pool quotas are not posts of its plan)."""
    return Case(
        When(Q(plan_id__isnull=False) & ~Q(posts_total=approved), then=Value(options.stale_when_total_differs)),
        default=Value(False), output_field=BooleanField(),
    )


def filter_flag(queryset: QuerySet, flag: str) -> QuerySet:
    """Narrow an annotated ``reconciliation`` queryset to the units carrying ``flag`` (a ``ReconciliationFlag``)."""
    over_any = Q(over_position_professional__gt=0) | Q(over_position_management__gt=0) | Q(over_position_worker__gt=0)
    conditions = {
        ReconciliationFlag.VACANT: Q(vacant__gt=0),
        ReconciliationFlag.AT_QUOTA: Q(vacant=0, over_quota=0),
        ReconciliationFlag.OVER_QUOTA: Q(over_quota__gt=0),
        ReconciliationFlag.OVER_POSITION: over_any,
        ReconciliationFlag.OVER_POSITION_PROFESSIONAL: Q(over_position_professional__gt=0),
        ReconciliationFlag.OVER_POSITION_MANAGEMENT: Q(over_position_management__gt=0),
        ReconciliationFlag.OVER_POSITION_WORKER: Q(over_position_worker__gt=0),
        ReconciliationFlag.NO_PLAN: Q(plan_id__isnull=True),
        ReconciliationFlag.STALE_PLAN: Q(stale_age=True) | Q(stale_total=True),
        ReconciliationFlag.NO_STAFF_COUNT: Q(staff_count_id__isnull=True),
    }
    return queryset.filter(conditions[ReconciliationFlag(flag)])


# The totals read the annotated units as a derived table, fenced by a LIMIT no city reaches so that SQLite and
# PostgreSQL do not merge it into the outer query, and compute every derived figure (vacant, over quota, approved, …)
# in the outer query from the base columns (held, borrowed, reserved, staff, posts). Each correlated subquery then
# runs once per unit: merged, or read through the derived columns, which repeat them, each of the thirty sums and
# counts ran them again (1.3 s → 0.5 s for the province's 30,000 units on PostgreSQL).
TOTALS_FENCE = 10**9


def reconciliation_totals(queryset: QuerySet, extra: Callable[[dict], dict] | None = None,
                          options: ReconciliationOptions | None = None) -> dict:
    """Sums and counts over the units of an annotated ``reconciliation`` queryset, in one query: what the page's
    summary, its printout's totals row and its workbook's totals row all show.

    Sums of every figure a row shows (``approved_sum``, ``borrowed_sum``, ``reserved_sum``, ``staff_sum``,
    ``vacant_sum``, ``over_quota_sum``, posts and staff per category, over position per category; 0 when no unit)
    and counts of units (``units``, ``vacant_units``, ``over_quota_units``, ``over_position_units``,
    ``no_plan_units``, ``stale_units``). Posts and staff by category are summed over the units that have a plan,
    and a staff count, as the rows show them. ``extra(figures)``: further aggregates over the same units, read in
    the same query (the home page's counts by band), given the derived figures as expressions
    (``workflow.vacancy.position_expressions``).
    """
    figures = position_expressions()  # over the derived table's base columns: see TOTALS_FENCE
    over_position = Q(over_position_professional__gt=0) | Q(over_position_management__gt=0) | Q(
        over_position_worker__gt=0
    )
    stale_total = stale_total_expression(figures["approved"], options or reconciliation_options())
    # Keys must differ from the annotations' names, or the filters below would read the sums.
    sums = {
        "approved_sum": Sum(figures["approved"]), "borrowed_sum": Sum("borrowed"),
        "reserved_sum": Sum(figures["reserved"]), "staff_sum": Sum("staff_total"),
        "vacant_sum": Sum(figures["vacant"]), "over_quota_sum": Sum(figures["over_quota"]),
        "posts_sum": Sum("posts_total"),
        **{f"posts_{category}_sum": Sum(f"posts_{category}") for category in CATEGORIES},
        **{f"staff_{category}_sum": Sum(f"staff_{category}") for category in CATEGORIES},
        **{f"over_position_{category}_sum": Sum(f"over_position_{category}") for category in CATEGORIES},
    }
    totals = queryset[:TOTALS_FENCE].aggregate(
        units=Count("pk"), **sums,
        vacant_units=Count("pk", filter=GreaterThan(figures["vacant"], 0)),
        over_quota_units=Count("pk", filter=GreaterThan(figures["over_quota"], 0)),
        over_position_units=Count("pk", filter=over_position),
        no_plan_units=Count("pk", filter=Q(plan_id__isnull=True)),
        stale_units=Count("pk", filter=Q(stale_age=True) | Q(Exact(stale_total, True))),
        **(extra(figures) if extra else {}),
    )
    return {key: value or 0 for key, value in totals.items()}


# --- rows ---------------------------------------------------------------------------------------------------------
@dataclass
class ReconciliationRow:
    """One unit side by side: quotas, posts and staff, what is vacant or over, its direction and why."""

    institution_id: int
    name: str
    credit_code: str
    region_id: int
    region_code: str
    region_name: str
    supervisor_id: int | None
    supervisor_name: str
    approved: int  # own approved quotas
    borrowed: int  # turnover-pool quotas held besides them
    reserved: dict[str, int]  # by open quota-use notices, per category
    plan_id: int | None
    plan_version: int | None
    plan_effective_date: datetime.date | None
    posts: dict[str, int] | None  # total, special, the three categories and the four bands
    staff_count_id: int | None
    staff_as_of: datetime.date | None
    staff_total: int
    staff: dict[str, int] | None  # the three categories and the four bands
    vacant: int
    over_quota: int
    over_position: dict[str, int]
    short: dict[str, int]
    stale_age: bool
    stale_total: bool
    direction: d.Direction
    sentence: str
    flags: list[str] = field(default_factory=list)
    stale_months: int = 36

    @property
    def held(self) -> int:
        return self.approved + self.borrowed

    @property
    def reserved_total(self) -> int:
        return sum(self.reserved.values())

    def as_figures(self) -> dict:
        """The figures as JSON-ready values (frozen into notices)."""
        return {
            "institution_id": self.institution_id, "name": self.name, "credit_code": self.credit_code,
            "region_code": self.region_code, "region_name": self.region_name,
            "supervisor_id": self.supervisor_id, "supervisor_name": self.supervisor_name,
            "approved": self.approved, "borrowed": self.borrowed, "reserved": self.reserved_total,
            "reserved_by_category": self.reserved, "plan_id": self.plan_id, "plan_version": self.plan_version,
            "plan_effective_date": self.plan_effective_date.isoformat() if self.plan_effective_date else None,
            "posts": self.posts, "staff_count_id": self.staff_count_id,
            "staff_as_of": self.staff_as_of.isoformat() if self.staff_as_of else None,
            "staff_total": self.staff_total, "staff": self.staff, "vacant": self.vacant,
            "over_quota": self.over_quota, "over_position": self.over_position, "short": self.short,
            "stale_age": self.stale_age, "stale_total": self.stale_total, "stale_months": self.stale_months,
            "flags": self.flags,
            "direction": {
                "code": self.direction.code, "allocation": [list(pair) for pair in self.direction.allocation],
                "unmatched": self.direction.unmatched,
                "over_position": [list(pair) for pair in self.direction.over_position],
                "notes": list(self.direction.notes),
                "reserved": self.direction.reserved,
                "reserved_by_category": [list(pair) for pair in self.direction.reserved_by_category],
            },
            "sentence": self.sentence,
        }


# Plain strings: read 40,000 times per city, an enum member's ``.value`` costs.
FLAG_VACANT, FLAG_AT_QUOTA, FLAG_OVER_QUOTA = (
    ReconciliationFlag.VACANT.value, ReconciliationFlag.AT_QUOTA.value, ReconciliationFlag.OVER_QUOTA.value,
)
FLAG_NO_PLAN, FLAG_STALE_PLAN, FLAG_NO_STAFF_COUNT = (
    ReconciliationFlag.NO_PLAN.value, ReconciliationFlag.STALE_PLAN.value, ReconciliationFlag.NO_STAFF_COUNT.value,
)

# The columns a row is built from: the unit, its region and supervisor, and every annotation of ``reconciliation``.
ROW_VALUE_FIELDS = (
    "id", "name", "credit_code", "region_id", "region__code", "region__name", "supervisor_id", "supervisor__name",
    "held", "approved", "borrowed", *(f"reserved_{category}" for category in CATEGORIES), "plan_id", "plan_version",
    "plan_effective_date", "posts_total", "posts_special",
    *(f"posts_{name}" for name in (*CATEGORIES, *BANDS)), "staff_count_id", "staff_as_of", "staff_total",
    *(f"staff_{name}" for name in (*CATEGORIES, *BANDS)), "vacant", "over_quota",
    *(f"over_position_{category}" for category in CATEGORIES), *(f"short_{category}" for category in CATEGORIES),
    "stale_age", "stale_total",
)


def reconciliation_values(queryset: QuerySet) -> QuerySet:
    """The annotated queryset as dictionaries of ``ROW_VALUE_FIELDS`` (no model instances: fast at scale)."""
    return queryset.values(*ROW_VALUE_FIELDS)


def row_from_values(
    unit: dict, *, options: ReconciliationOptions | None = None, translations: CachedTranslations | None = None,
) -> ReconciliationRow:
    """A ``ReconciliationRow`` from one dictionary of ``reconciliation_values``."""
    options = options or reconciliation_options()
    has_plan = unit["plan_id"] is not None
    has_staff = unit["staff_count_id"] is not None
    posts = None
    if has_plan:
        posts = {"total": unit["posts_total"], "special": unit["posts_special"]}
        posts.update({name: unit[f"posts_{name}"] for name in (*CATEGORIES, *BANDS)})
    staff = None
    if has_staff:
        staff = {name: unit[f"staff_{name}"] for name in (*CATEGORIES, *BANDS)}
    over_position = {category: unit[f"over_position_{category}"] for category in CATEGORIES}
    short = {category: unit[f"short_{category}"] for category in CATEGORIES}
    approved, staff_total, borrowed = unit["approved"], unit["staff_total"], unit["borrowed"]
    stale_age, stale_total = bool(unit["stale_age"]), bool(unit["stale_total"])
    position = position_from_values(unit)
    reserved = position.reserved_by_category
    result = d.decide(position, stale_age=stale_age, stale_total=stale_total)
    flags = []
    if unit["vacant"]:
        flags.append(FLAG_VACANT)
    elif not unit["over_quota"]:
        flags.append(FLAG_AT_QUOTA)
    if unit["over_quota"]:
        flags.append(FLAG_OVER_QUOTA)
    flags.extend(f"over_position_{category}" for category in CATEGORIES if over_position[category])
    if not has_plan:
        flags.append(FLAG_NO_PLAN)
    elif stale_age or stale_total:
        flags.append(FLAG_STALE_PLAN)
    if not has_staff:
        flags.append(FLAG_NO_STAFF_COUNT)
    return ReconciliationRow(
        institution_id=unit["id"], name=unit["name"], credit_code=unit["credit_code"] or "",
        region_id=unit["region_id"], region_code=unit["region__code"], region_name=unit["region__name"],
        supervisor_id=unit["supervisor_id"], supervisor_name=unit["supervisor__name"] or "",
        approved=approved, borrowed=borrowed, reserved=reserved, plan_id=unit["plan_id"],
        plan_version=unit["plan_version"],
        plan_effective_date=unit["plan_effective_date"], posts=posts, staff_count_id=unit["staff_count_id"],
        staff_as_of=unit["staff_as_of"], staff_total=staff_total, staff=staff, vacant=unit["vacant"],
        over_quota=unit["over_quota"], over_position=over_position, short=short, stale_age=stale_age,
        stale_total=stale_total, direction=result,
        sentence=direction_sentence(
            result, approved=approved, staff_total=staff_total, plan_total=unit["posts_total"],
            plan_date=unit["plan_effective_date"], stale_months=options.stale_after_months,
            translations=translations,
        ),
        flags=flags, stale_months=options.stale_after_months,
    )


def reconciliation_rows(units, *, options: ReconciliationOptions | None = None) -> list[ReconciliationRow]:
    """Rows for an annotated ``reconciliation`` queryset, or for dictionaries of ``reconciliation_values`` (a page
    of them): one query whatever the number of rows."""
    options = options or reconciliation_options()
    translations = CachedTranslations()
    if isinstance(units, QuerySet):
        units = reconciliation_values(units)
    return [row_from_values(unit, options=options, translations=translations) for unit in units]


def reconciliation_of(institution: Institution, *, on: datetime.date | None = None,
                      options: ReconciliationOptions | None = None) -> ReconciliationRow | None:
    """The row of one unit (None when it is not a public institution existing on the date)."""
    rows = reconciliation_rows(
        reconciliation(on=on, institutions=Institution.objects.filter(pk=institution.pk), options=options),
        options=options,
    )
    return rows[0] if rows else None
