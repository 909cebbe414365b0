"""The demo city's position plans and staff counts (illustrative figures, seeded, idempotent).

Called by ``load_demo`` after the registry and the ledger demos. Each active public institution gets a plan sized
to its approved quotas (the ledger's stored balances; the registry's staff figure when the ledger demo is not
loaded) and a staff count, drawn from ``random.Random(seed)`` so the same seed always gives the same city. Most units
have a few vacant quotas; about one in ten is exactly at quota and one in ten over quota; about one in eight has
staff over its posts in one category; a few have no plan, an old plan (stale) or a plan whose total no longer
matches their quotas, and a few have no staff count yet. Plans are checked against their level's default rule set
(findings stored as the services would). Bulk inserts with their history rows; nothing is written when plans
exist already.
"""
from __future__ import annotations

import datetime
import random
import time
from collections import defaultdict
from typing import TextIO

from django.db import transaction
from django.db.models import Sum

from positions import rules

DEFAULT_SEED = 2026
PLAN_DAY = datetime.date(2025, 1, 2)
OLD_PLAN_DAY = datetime.date(2022, 3, 1)
STAFF_DAY = datetime.date(2026, 6, 30)
FILING = ("哈人社发", 2025, 101, "关于市直及各区县（市）事业单位岗位设置方案备案的通知（示意）")
HR_ISSUER = "哈尔滨市人力资源和社会保障局"
SUPPORT_WORDS = ("服务中心", "后勤", "车队", "接待", "机关事务")
CHANGE_REASON = "演示数据（示意）/ illustrative demo data"


def _split(total: int, shares: list[float]) -> list[int]:
    """``total`` in whole parts by ``shares`` (largest remainders), summing exactly to ``total``."""
    ideal = [total * share / sum(shares) for share in shares]
    parts = [int(value) for value in ideal]
    order = sorted(range(len(shares)), key=lambda index: ideal[index] - parts[index], reverse=True)
    for index in order[: total - sum(parts)]:
        parts[index] += 1
    return parts


def _spread(count: int, levels: int, rng: random.Random, weights: list[float] | None = None) -> list[int]:
    weights = weights or [1.0] * levels
    out = [0] * levels
    for _each in range(count):
        out[rng.choices(range(levels), weights=weights)[0]] += 1
    return out


def _main_post_type(unit: dict, rng: random.Random) -> str:
    if unit["category"] == "administrative":
        return rules.ADMINISTRATIVE
    if any(word in unit["name"] for word in SUPPORT_WORDS) or rng.random() < 0.03:
        return rules.SUPPORT
    return rules.PROFESSIONAL_SERVICE


def _categories(total: int, main_post_type: str, rng: random.Random) -> tuple[int, int, int]:
    """(management, professional, worker) for a plan of ``total`` posts of a unit of ``main_post_type``."""
    if main_post_type == rules.ADMINISTRATIVE:
        shares = [rng.uniform(0.55, 0.7), rng.uniform(0.2, 0.35), rng.uniform(0.0, 0.1)]
    elif main_post_type == rules.SUPPORT:
        shares = [rng.uniform(0.15, 0.25), rng.uniform(0.05, 0.2), rng.uniform(0.55, 0.7)]
    else:
        shares = [rng.uniform(0.1, 0.2), rng.uniform(0.74, 0.85), rng.uniform(0.0, 0.08)]
    management, professional, worker = _split(total, shares)
    return management, professional, worker


def _professional_levels(count: int, rule_set: rules.RuleSet, top_level: int, rng: random.Random) -> list[int]:
    """13 level counts: bands by the rule set's ratio, no level above ``top_level`` when it can be helped."""
    senior, intermediate, junior = _split(count, [float(part) for part in rule_set.ratio])
    levels = [0] * 13
    senior_levels = [level for level in range(1, 8) if level >= top_level] or []
    if not senior_levels:  # township units: no senior posts allowed; they become intermediate
        intermediate, senior = intermediate + senior, 0
    for level, number in zip(senior_levels, _spread(senior, len(senior_levels), rng), strict=True):
        levels[level - 1] += number
    for offset, number in enumerate(_spread(intermediate, 3, rng, [2, 3, 3])):
        levels[7 + offset] += number
    for offset, number in enumerate(_spread(junior, 3, rng, [4, 4, 1])):
        levels[10 + offset] += number
    return levels


def _staff(plan_counts: tuple[int, int, int], staff_total: int, rng: random.Random, over_position: bool):
    """Staff by category: the posts' proportions, filled to ``staff_total``; optionally a category over its posts."""
    management, professional, worker = _split(staff_total, [max(n, 0.01) for n in plan_counts])
    if over_position and professional >= 2:
        moved = rng.randint(1, 2)
        professional -= moved
        management += moved
    return management, professional, worker


def load(*, by=None, stdout: TextIO | None = None, seed: int = DEFAULT_SEED) -> None:
    """Write the demo plans and staff counts, unless plans exist already (then write nothing)."""
    from simple_history.utils import bulk_create_with_history

    from institutions.models import ApprovalDocument, Institution, InternalDivision
    from positions.models import PositionPlan, PositionRuleSet, StaffCount
    from positions.models.plans import MANAGEMENT_LEVEL_FIELDS, PROFESSIONAL_LEVEL_FIELDS, WORKER_LEVEL_FIELDS
    from positions.services import unit_level
    from quotas.choices import HolderKind, QuotaTypeCode
    from quotas.models import QuotaAccount

    def say(text: str) -> None:
        if stdout is not None:
            stdout.write(text + "\n")

    if PositionPlan.objects.exists():
        say("岗位设置演示数据已存在 / position demo already loaded: nothing written")
        return
    started = time.perf_counter()
    rng = random.Random(seed)
    units = list(
        Institution.objects.filter(kind="public_institution", status="active").select_related("region")
        .order_by("credit_code", "name")
    )
    balances = dict(
        QuotaAccount.objects.filter(holder_kind=HolderKind.INSTITUTION, quota_type__code=QuotaTypeCode.INSTITUTIONAL)
        .values_list("institution_id", "balance")
    )
    from_ledger = bool(balances)
    divisions = defaultdict(int)
    for row in InternalDivision.objects.values("institution_id").annotate(
        posts=Sum("leadership_principal") + Sum("leadership_deputy")
    ):
        divisions[row["institution_id"]] = row["posts"]
    rule_sets = {
        rule_set.level: rule_set
        for rule_set in PositionRuleSet.objects.filter(is_default=True).prefetch_related("rules")
    }
    pure_sets = {level: rule_set.as_rule_set() for level, rule_set in rule_sets.items()}
    top_levels = {
        level: next((int(rule.threshold) for rule in rule_set.rules if rule.code == rules.TOP_GRADE), 2)
        for level, rule_set in pure_sets.items()
    }
    office, year, serial, title = FILING
    document, _created = ApprovalDocument.objects.get_or_create(
        office_code=office, year=year, serial=serial,
        defaults={"issuer": HR_ISSUER, "title": title, "kind": "notice", "date_issued": PLAN_DAY,
                  "date_effective": PLAN_DAY},
    )

    plans, counts = [], []
    for unit in units:
        size = balances.get(unit.pk, 0) if from_ledger else unit.staff_in_quota
        if size <= 0:
            continue
        level = unit_level(unit)
        rule_set = rule_sets.get(level)
        draw = rng.random()
        if draw > 0.04:  # 4% have no plan
            main_post_type = _main_post_type({"category": unit.category, "name": unit.name}, rng)
            effective = OLD_PLAN_DAY if rng.random() < 0.06 else PLAN_DAY
            total = size if rng.random() > 0.05 else max(size - rng.randint(1, 3), 1)
            management, professional, worker = _categories(total, main_post_type, rng)
            leadership_posts = unit.leadership_principal + unit.leadership_deputy + divisions[unit.pk]
            leadership = min(leadership_posts, management, rng.randint(1, 4))
            management_levels = _spread(management, 8, rng, [0.2, 0.5, 1, 2, 3, 4, 3, 1])
            allow_top = unit.reserved_class in ("school", "public_hospital")
            professional_levels = _professional_levels(
                professional, pure_sets[level], 2 if allow_top else top_levels.get(level, 2), rng
            )
            worker_levels = _spread(worker, 6, rng, [0.2, 0.5, 1, 2, 2, 3])
            values = dict(zip(MANAGEMENT_LEVEL_FIELDS, management_levels, strict=True))
            values.update(zip(PROFESSIONAL_LEVEL_FIELDS, professional_levels, strict=True))
            values.update(zip(WORKER_LEVEL_FIELDS, worker_levels[:5], strict=True))
            plan = PositionPlan(
                institution=unit, version=1, effective_date=effective, document=document,
                main_post_type=main_post_type, rule_set=rule_set, total=total, management=management,
                management_leadership=leadership, professional=professional, worker=worker,
                worker_ordinary=worker_levels[5], entered_by=by, **values,
            )
            figures = plan.figures(approved_quotas=size, leadership_posts=leadership_posts)
            plan.findings = [finding.as_dict() for finding in rules.check_plan(figures, pure_sets[level])]
            plans.append(plan)
            posts = (management, professional, worker)
        else:
            posts = _categories(size, rules.PROFESSIONAL_SERVICE, rng)
        if rng.random() < 0.03:  # 3% have no staff count yet
            continue
        fate = rng.random()
        if fate < 0.10:
            staff_total = size + rng.randint(1, 3)  # over quota
        elif fate < 0.22:
            staff_total = size  # exactly at quota
        else:
            staff_total = max(size - rng.randint(1, max(1, size // 8)), 0)
        management, professional, worker = _staff(posts, staff_total, rng, over_position=rng.random() < 0.12)
        senior_full, senior_deputy, intermediate, junior = _split(
            professional, [0.03, 0.12, 0.35, 0.5]
        )
        counts.append(StaffCount(
            institution=unit, as_of=STAFF_DAY, management=management, professional=professional,
            senior_full=senior_full, senior_deputy=senior_deputy, intermediate=intermediate, junior=junior,
            worker=worker, total=management + professional + worker, entered_by=by,
        ))
    with transaction.atomic():
        bulk_create_with_history(plans, PositionPlan, batch_size=1000, default_user=by,
                                 default_change_reason=CHANGE_REASON)
        bulk_create_with_history(counts, StaffCount, batch_size=1000, default_user=by,
                                 default_change_reason=CHANGE_REASON)
    source = "ledger balances" if from_ledger else "registry staff figures (ledger demo not loaded)"
    say(
        f"岗位设置方案 / position plans: {len(plans)}; 实有人员 / staff counts: {len(counts)} "
        f"(sized by {source}; {time.perf_counter() - started:.1f} s)"
    )
