"""Position-plan rules (岗位设置, 国人部发〔2006〕70号 and 〔2006〕87号): pure checks of one plan against a rule set.

No Django here. A plan's counts come in as ``PlanFigures``, the rules as a ``RuleSet``; ``check_plan`` returns one
``Finding`` per broken rule (rule code, the figure, the limit, whether the rule is binding), and
``structure_problems`` says where counts do not add up. The callers (services, serializers, imports, the demo)
turn codes and figures into translated messages; the database stores the findings as JSON.

What each rule code means (``threshold`` is the editable number of the rule):

``total_within_quota``       position total ≤ approved quotas × threshold (1.00: no more posts than quotas)
``professional_share_min``   professional-technical posts ≥ threshold of the total (0.70, professional-service units)
``management_share_min``     management posts > threshold of the total (0.50, administrative-type units)
``worker_share_min``         worker-skill posts > threshold of the total (0.50, support-type units)
``senior_ratio``             senior (正高 + 副高) share of professional posts ≤ the set's ratio share + tolerance
``intermediate_ratio``       intermediate (中级) share of professional posts ≤ the set's ratio share + tolerance
``top_grade``                no professional-technical post above level ``threshold`` (4: levels 1–3 not allowed)
``leadership_within_posts``  leadership management posts ≤ the unit's leadership posts (领导职数) × threshold

The ratio rules take no threshold: their limit comes from the rule set's senior : intermediate : junior ratio
(national 1:3:6) plus its tolerance. Junior posts have no upper limit: more junior posts never break a ratio.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

# --- codes ----------------------------------------------------------------------------------------------------
TOTAL_WITHIN_QUOTA = "total_within_quota"
PROFESSIONAL_SHARE_MIN = "professional_share_min"
MANAGEMENT_SHARE_MIN = "management_share_min"
WORKER_SHARE_MIN = "worker_share_min"
SENIOR_RATIO = "senior_ratio"
INTERMEDIATE_RATIO = "intermediate_ratio"
TOP_GRADE = "top_grade"
LEADERSHIP_WITHIN_POSTS = "leadership_within_posts"
RULE_CODES = (
    TOTAL_WITHIN_QUOTA, PROFESSIONAL_SHARE_MIN, MANAGEMENT_SHARE_MIN, WORKER_SHARE_MIN, SENIOR_RATIO,
    INTERMEDIATE_RATIO, TOP_GRADE, LEADERSHIP_WITHIN_POSTS,
)
# Rules whose limit comes from the rule set's ratio, not from a threshold of their own.
RATIO_RULES = frozenset({SENIOR_RATIO, INTERMEDIATE_RATIO})

# How each rule compares its figure with its limit; the messages say it the same way.
AT_LEAST, MORE_THAN, AT_MOST = "at_least", "more_than", "at_most"
COMPARISON = {
    TOTAL_WITHIN_QUOTA: AT_MOST, PROFESSIONAL_SHARE_MIN: AT_LEAST, MANAGEMENT_SHARE_MIN: MORE_THAN,
    WORKER_SHARE_MIN: MORE_THAN, SENIOR_RATIO: AT_MOST, INTERMEDIATE_RATIO: AT_MOST, TOP_GRADE: AT_MOST,
    LEADERSHIP_WITHIN_POSTS: AT_MOST,
}
# What the figure of each rule is: a count of posts, a share of posts, or a grade level.
COUNT, SHARE, LEVEL = "count", "share", "level"
FIGURE_KIND = {
    TOTAL_WITHIN_QUOTA: COUNT, PROFESSIONAL_SHARE_MIN: SHARE, MANAGEMENT_SHARE_MIN: SHARE, WORKER_SHARE_MIN: SHARE,
    SENIOR_RATIO: SHARE, INTERMEDIATE_RATIO: SHARE, TOP_GRADE: LEVEL, LEADERSHIP_WITHIN_POSTS: COUNT,
}
# The plan field a finding is reported against (binding findings become that field's error).
RULE_FIELD = {
    TOTAL_WITHIN_QUOTA: "total", PROFESSIONAL_SHARE_MIN: "professional", MANAGEMENT_SHARE_MIN: "management",
    WORKER_SHARE_MIN: "worker", SENIOR_RATIO: "professional", INTERMEDIATE_RATIO: "professional",
    TOP_GRADE: "professional", LEADERSHIP_WITHIN_POSTS: "management_leadership",
}

# Main post type of a unit (主体岗位类型).
PROFESSIONAL_SERVICE = "professional_service"
ADMINISTRATIVE = "administrative"
SUPPORT = "support"
MAIN_POST_TYPES = (PROFESSIONAL_SERVICE, ADMINISTRATIVE, SUPPORT)

# Post categories, in the order vacant quotas go to them (professional-technical first).
PROFESSIONAL, MANAGEMENT, WORKER = "professional", "management", "worker"
CATEGORIES = (PROFESSIONAL, MANAGEMENT, WORKER)

# Grades (docs/domain.md, "Positions"): management levels 3–10 as provinces use them; professional-technical levels
# 1–13 in four bands; worker-skill technician levels 1–5 plus ordinary workers.
MANAGEMENT_LEVELS = tuple(range(3, 11))
PROFESSIONAL_LEVELS = tuple(range(1, 14))
WORKER_LEVELS = tuple(range(1, 6))
SENIOR_FULL, SENIOR_DEPUTY, INTERMEDIATE, JUNIOR = "senior_full", "senior_deputy", "intermediate", "junior"
BANDS = (SENIOR_FULL, SENIOR_DEPUTY, INTERMEDIATE, JUNIOR)
BAND_LEVELS = {
    SENIOR_FULL: tuple(range(1, 5)), SENIOR_DEPUTY: tuple(range(5, 8)),
    INTERMEDIATE: tuple(range(8, 11)), JUNIOR: tuple(range(11, 14)),
}

SHARE_PLACES = Decimal("0.0001")


# --- inputs and outputs ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class PlanFigures:
    """One plan's counts. Level tuples are in level order (management 3…10, professional 1…13, worker 1…5)."""

    total: int
    management: int
    professional: int
    worker: int
    management_levels: tuple[int, ...] = (0,) * len(MANAGEMENT_LEVELS)
    professional_levels: tuple[int, ...] = (0,) * len(PROFESSIONAL_LEVELS)
    worker_levels: tuple[int, ...] = (0,) * len(WORKER_LEVELS)
    worker_ordinary: int = 0
    management_leadership: int = 0
    special: int = 0
    main_post_type: str = PROFESSIONAL_SERVICE
    approved_quotas: int | None = None  # the unit's approved quotas (ledger); None: unknown, not checked
    leadership_posts: int | None = None  # the unit's leadership posts (领导职数); None: unknown, not checked

    def band(self, band: str) -> int:
        return sum(self.professional_levels[level - 1] for level in BAND_LEVELS[band])

    @property
    def senior(self) -> int:
        return self.band(SENIOR_FULL) + self.band(SENIOR_DEPUTY)

    def count(self, category: str) -> int:
        return {MANAGEMENT: self.management, PROFESSIONAL: self.professional, WORKER: self.worker}[category]


@dataclass(frozen=True)
class Rule:
    code: str
    threshold: Decimal | None = None
    is_binding: bool = False
    applies_to: str = ""  # a main post type, or "" for every plan

    def applies(self, main_post_type: str) -> bool:
        return not self.applies_to or self.applies_to == main_post_type


@dataclass(frozen=True)
class RuleSet:
    name: str
    ratio: tuple[Decimal, Decimal, Decimal]  # senior : intermediate : junior
    tolerance: Decimal = Decimal(0)  # added to the ratio shares (0.02 = two percentage points)
    rules: tuple[Rule, ...] = ()

    def ratio_share(self, index: int) -> Decimal:
        total = sum(self.ratio, Decimal(0))
        if total <= 0:
            return Decimal(1)
        return (Decimal(self.ratio[index]) / total).quantize(SHARE_PLACES, ROUND_HALF_UP)


@dataclass(frozen=True)
class Finding:
    """A broken rule: ``figure`` is what the plan has, ``limit`` what the rule allows (same kind of number)."""

    rule: str
    figure: Decimal | int
    limit: Decimal | int
    binding: bool
    applies_to: str = ""

    @property
    def comparison(self) -> str:
        return COMPARISON[self.rule]

    @property
    def kind(self) -> str:
        return FIGURE_KIND[self.rule]

    @property
    def field(self) -> str:
        return RULE_FIELD[self.rule]

    def as_dict(self) -> dict:
        """The JSON stored on the plan (numbers as text, so shares keep their exact decimals)."""
        return {
            "rule": self.rule, "figure": str(self.figure), "limit": str(self.limit), "binding": self.binding,
            "comparison": self.comparison, "kind": self.kind, "field": self.field, "applies_to": self.applies_to,
        }

    @classmethod
    def from_dict(cls, data: dict) -> Finding:
        def number(text: str) -> Decimal | int:
            value = Decimal(str(text))
            return int(value) if FIGURE_KIND.get(data["rule"]) in (COUNT, LEVEL) else value

        return cls(rule=data["rule"], figure=number(data["figure"]), limit=number(data["limit"]),
                   binding=bool(data["binding"]), applies_to=data.get("applies_to", ""))


@dataclass(frozen=True)
class StructureProblem:
    """Counts that do not add up (or make no sense): ``field`` is where to report it, ``params`` its figures."""

    field: str
    code: str
    params: dict = field(default_factory=dict)


# --- checks ---------------------------------------------------------------------------------------------------
def share(part: int, whole: int) -> Decimal:
    """``part / whole`` to four decimals (0 when ``whole`` is 0)."""
    if whole <= 0:
        return Decimal(0)
    return (Decimal(part) / Decimal(whole)).quantize(SHARE_PLACES, ROUND_HALF_UP)


def structure_problems(plan: PlanFigures) -> list[StructureProblem]:
    """Where grade counts do not sum to their category, categories do not sum to the total, or a count is negative.

    These are not rules a plan may break with a warning: such a plan is refused whatever the rule set says.
    """
    problems: list[StructureProblem] = []
    counts = {
        "total": plan.total, "management": plan.management, "professional": plan.professional,
        "worker": plan.worker, "worker_ordinary": plan.worker_ordinary,
        "management_leadership": plan.management_leadership, "special": plan.special,
    }
    counts.update({f"management_{lv}": n for lv, n in zip(MANAGEMENT_LEVELS, plan.management_levels, strict=True)})
    counts.update(
        {f"professional_{lv}": n for lv, n in zip(PROFESSIONAL_LEVELS, plan.professional_levels, strict=True)}
    )
    counts.update({f"worker_{lv}": n for lv, n in zip(WORKER_LEVELS, plan.worker_levels, strict=True)})
    negative = [name for name, value in counts.items() if value < 0]
    problems.extend(StructureProblem(name, "negative", {"value": counts[name]}) for name in negative)
    if negative:
        return problems
    sums = (
        ("management", plan.management, sum(plan.management_levels)),
        ("professional", plan.professional, sum(plan.professional_levels)),
        ("worker", plan.worker, sum(plan.worker_levels) + plan.worker_ordinary),
    )
    for name, declared, added in sums:
        if declared != added:
            problems.append(StructureProblem(name, "grades_sum", {"declared": declared, "sum": added}))
    categories = plan.management + plan.professional + plan.worker
    if plan.total != categories:
        problems.append(StructureProblem("total", "categories_sum", {"declared": plan.total, "sum": categories}))
    if plan.management_leadership > plan.management:
        problems.append(
            StructureProblem("management_leadership", "leadership_over_management",
                             {"declared": plan.management_leadership, "management": plan.management})
        )
    return problems


def _threshold(rule: Rule) -> Decimal:
    if rule.threshold is None:
        raise ValueError(f"rule {rule.code} needs a threshold")
    return Decimal(rule.threshold)


def _check(rule: Rule, plan: PlanFigures, rule_set: RuleSet) -> Finding | None:
    def finding(figure, limit) -> Finding:
        return Finding(rule.code, figure, limit, rule.is_binding, rule.applies_to)

    code = rule.code
    if code == TOTAL_WITHIN_QUOTA:
        if plan.approved_quotas is None:
            return None
        limit = int((Decimal(plan.approved_quotas) * _threshold(rule)).to_integral_value(ROUND_FLOOR))
        return finding(plan.total, limit) if plan.total > limit else None
    if code in (PROFESSIONAL_SHARE_MIN, MANAGEMENT_SHARE_MIN, WORKER_SHARE_MIN):
        if plan.total <= 0:
            return None
        category = {PROFESSIONAL_SHARE_MIN: PROFESSIONAL, MANAGEMENT_SHARE_MIN: MANAGEMENT,
                    WORKER_SHARE_MIN: WORKER}[code]
        figure, limit = share(plan.count(category), plan.total), _threshold(rule)
        broken = figure < limit if COMPARISON[code] == AT_LEAST else figure <= limit
        return finding(figure, limit) if broken else None
    if code in RATIO_RULES:
        if plan.professional <= 0:
            return None
        part = plan.senior if code == SENIOR_RATIO else plan.band(INTERMEDIATE)
        figure = share(part, plan.professional)
        limit = rule_set.ratio_share(0 if code == SENIOR_RATIO else 1) + Decimal(rule_set.tolerance)
        return finding(figure, limit) if figure > limit else None
    if code == TOP_GRADE:
        highest_allowed = int(_threshold(rule))
        used = [level for level, count in zip(PROFESSIONAL_LEVELS, plan.professional_levels, strict=True) if count]
        if used and min(used) < highest_allowed:
            return finding(min(used), highest_allowed)
        return None
    if code == LEADERSHIP_WITHIN_POSTS:
        if plan.leadership_posts is None:
            return None
        limit = int((Decimal(plan.leadership_posts) * _threshold(rule)).to_integral_value(ROUND_FLOOR))
        return finding(plan.management_leadership, limit) if plan.management_leadership > limit else None
    raise ValueError(f"unknown rule code {code!r}")


def check_plan(plan: PlanFigures, rule_set: RuleSet) -> list[Finding]:
    """Every rule of ``rule_set`` that applies to the plan's main post type and that the plan breaks."""
    return [
        found for rule in rule_set.rules if rule.applies(plan.main_post_type)
        if (found := _check(rule, plan, rule_set)) is not None
    ]


def binding(findings: Iterable[Finding]) -> list[Finding]:
    return [finding for finding in findings if finding.binding]
