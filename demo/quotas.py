"""The demo city's quotas, entered through the ledger services like real ones (illustrative figures).

Before the reform (2019, ``load_before_reform``): province grants to every region's pool and allocations to every
institution of its planned size (``demo.institutions``) plus a seeded surplus (more for non-reserved units, and more
in the counties). The reform (2021) is carried out by ``demo.reform``: its plans move quotas through the reform
operations, then ``reform_ledger`` posts what no operation covers: vacant quotas of every non-reserved unit
reclaimed into its region's pool, reserved units re-verified to their industry standard, and each level's pools
giving up what brings its quotas to the article's reduction, cancelled (核减) in the city level and the districts,
partly held under controlled use in the counties. After it (``load_after_reform``): a city talent turnover pool,
indicators and two computed zero-based scenarios. Each step under its own approval document, so every demo
institution has a balance and a statement, and ``/reforms/effect/`` shows the reform by level. Loading twice
changes nothing.
"""
from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import TextIO

from django.db import transaction

from allocation import services as allocation
from allocation.models import AllocationScenario, Indicator, RegionIndicator
from demo.institutions import DemoCity
from demo.positions import _split
from institutions.models import ApprovalDocument, Institution, Region
from quotas import services
from quotas.choices import HolderKind, PoolSector, QuotaTypeCode
from quotas.models import QuotaAccount, QuotaTransfer
from quotas.selectors import totals_by_region

GRANT_DAY = datetime.date(2019, 1, 1)  # the state before the reform
REFORM_DAY = datetime.date(2021, 6, 30)  # vacant quotas reclaimed at every level, after the reform's plans
AFTER_DAY = datetime.date(2021, 7, 1)  # the pools give up their surplus: cancelled, or controlled in the counties
TALENT_POOL_DAY = datetime.date(2021, 9, 1)

# (office code, year, serial, title, date) — serials from 100 up, as the registry demo leaves them free.
DOCUMENTS = {
    "grant": ("黑编发", 2019, 101, "关于核定哈尔滨市机构编制总量的批复（示意）", GRANT_DAY),
    "allocate": ("哈编发", 2019, 102, "关于核定市直和区县事业单位人员编制的通知（示意）", GRANT_DAY),
    "reclaim": ("哈编发", 2021, 103, "关于收回事业单位空余编制的通知（示意）", REFORM_DAY),
    "standard": ("哈编发", 2021, 107, "关于按行业编制标准重新核定基本公共服务单位编制的通知（示意）", REFORM_DAY),
    "cancel": ("黑编发", 2021, 104, "关于核减哈尔滨市事业编制的批复（示意）", AFTER_DAY),
    "control": ("哈编发", 2021, 105, "关于县（市）事业编制控制使用的通知（示意）", AFTER_DAY),
    "turnover": ("哈编发", 2021, 106, "关于设立市级人才编制周转池的通知（示意）", TALENT_POOL_DAY),
}
ISSUERS = {"黑编发": "黑龙江省机构编制委员会", "哈编发": "哈尔滨市机构编制委员会"}
UNALLOCATED_SHARE = 0.03  # each pool keeps about 3% of its grant unallocated
# Before the reform units held more quotas than they needed: non-reserved units a third to two thirds more (their
# vacant quotas are reclaimed), reserved ones (hospitals, schools, …) a tenth to a third more than their industry
# standard (the planned size), to which the reform re-verifies them. The counties held the most.
SURPLUS = {
    "city": {"none": (0.40, 0.80), "reserved": (0.15, 0.45)},
    "district": {"none": (0.40, 0.80), "reserved": (0.15, 0.45)},
    "county": {"none": (0.60, 1.00), "reserved": (0.35, 0.65)},
}
KEEP_IN_POOL = 0.05  # of what a pool holds after the reclamation, the share it keeps for later allocation
COUNTY_CONTROLLED = 0.45  # of what a county's pool gives up, the share held under controlled use, not cancelled
TURNOVER_POOL_SIZE = 200


def _before_reform(unit, level: str, seed: int) -> int:
    """The quotas a demo unit held before the reform: its planned size plus a seeded surplus."""
    low, high = SURPLUS[level]["none" if unit.reserved_class == "none" else "reserved"]
    rng = random.Random(f"{seed}:{unit.credit_code}")
    return unit.planned_quota + round(unit.planned_quota * rng.uniform(low, high))


def _document(key: str) -> ApprovalDocument:
    office, year, serial, title, day = DOCUMENTS[key]
    document, _created = ApprovalDocument.objects.get_or_create(
        office_code=office, year=year, serial=serial,
        defaults={"issuer": ISSUERS[office], "title": title, "kind": "notice" if key != "grant" else "reply",
                  "date_issued": day, "date_effective": day},
    )
    return document


def _posted_under(key: str) -> bool:
    office, year, serial, *_rest = DOCUMENTS[key]
    return QuotaTransfer.objects.filter(
        document__office_code=office, document__year=year, document__serial=serial
    ).exists()


def is_loaded() -> bool:
    return _posted_under("grant")


def reform_posted() -> bool:
    """Whether the reform's vacant quotas were reclaimed already (by this demo, or by an earlier one that posted the
    reform as bare ledger moves)."""
    return _posted_under("reclaim")


@transaction.atomic
def load_before_reform(*, city: DemoCity, by=None, stdout: TextIO | None = None) -> None:
    """The ledger before the reform (2019): grants to the pools, allocations to the units."""
    if is_loaded():
        if stdout:
            stdout.write("编制台账演示数据已存在 / demo ledger already loaded\n")
        return
    documents = {key: _document(key) for key in ("grant", "allocate")}
    regions = {region.code: region for region in Region.objects.all()}
    by_credit_code = dict(Institution.objects.filter(credit_code__isnull=False).values_list("credit_code", "pk"))
    institutions = Institution.objects.in_bulk(list(by_credit_code.values()))
    held: dict[tuple[str, str], list[tuple[Institution, int]]] = defaultdict(list)
    for unit in city.institutions:
        pk = by_credit_code.get(unit.credit_code)
        if pk is None or unit.planned_quota <= 0:
            continue
        level = city.region(unit.region_code).level
        held[(unit.region_code, unit.quota_type)].append((institutions[pk], _before_reform(unit, level, city.seed)))

    transfers = 0
    for (region_code, type_code), units in sorted(held.items()):
        region = regions[region_code]
        quota_type = services.quota_type_get(type_code)
        needed = sum(amount for _unit, amount in units)
        pool = services.account_for_region(region=region, quota_type=quota_type)
        services.quota_grant(target=pool, amount=needed + round(needed * UNALLOCATED_SHARE),
                             document=documents["grant"], effective_date=GRANT_DAY, by=by, note="示意数据")
        accounts = services.accounts_for_institutions(institutions=[unit for unit, _amount in units],
                                                      quota_type=quota_type)
        for institution, amount in units:
            services.quota_allocate(source=pool, target=accounts[institution.pk], amount=amount,
                                    document=documents["allocate"], effective_date=GRANT_DAY, by=by)
        transfers += 1 + len(units)
    if stdout:
        stdout.write(f"编制台账演示数据 / demo ledger before the reform: {transfers} transfers (示意 / illustrative)\n")


def reform_ledger(*, city: DemoCity, touched: set[str], devolved: set[str], by, before: datetime.date,
                  targets: dict[str, Decimal]) -> list[str]:
    """The reform's postings that no reform operation covers, after its plans (called by ``demo.reform``).

    Vacant quotas of every non-reserved unit back to its pool (the devolved units excepted: they went down whole,
    with their quotas); reserved units the plans did not touch re-verified to their industry standard (the planned
    size); then each level's pools give up, in proportion to what they hold (keeping ``KEEP_IN_POOL``), what brings
    the level's quotas ``targets[level]`` percent below what it held on ``before``, the day before the reform (the
    counties: reduced or put under controlled use, ``COUNTY_CONTROLLED`` of it under control). Returns the lines
    to report."""
    from workflow.reclamation import vacancy_reclaim_apply, vacancy_reclaim_default_institutions

    documents = {key: _document(key) for key in ("reclaim", "standard", "cancel", "control")}
    institutional = services.quota_type_get(QuotaTypeCode.INSTITUTIONAL)
    reclaimed = vacancy_reclaim_apply(
        institutions=vacancy_reclaim_default_institutions().exclude(credit_code__in=devolved),
        quota_type=institutional, document=documents["reclaim"], effective_date=REFORM_DAY, by=by,
    )
    by_credit_code = dict(Institution.objects.filter(credit_code__in=[
        unit.credit_code for unit in city.institutions if unit.reserved_class != "none"
        and unit.credit_code not in touched]).values_list("credit_code", "pk"))
    standard = {by_credit_code[unit.credit_code]: unit.planned_quota for unit in city.institutions
                if unit.credit_code in by_credit_code}
    pools: dict[int, QuotaAccount] = {}
    for account in QuotaAccount.objects.filter(institution_id__in=standard, quota_type=institutional, is_active=True,
                                               institution__status="active",
                                               holder_kind=HolderKind.INSTITUTION).select_related("region"):
        surplus = account.balance - standard[account.institution_id]
        if surplus > 0:
            if account.region_id not in pools:
                pools[account.region_id] = services.account_for_region(region=account.region, quota_type=institutional)
            reclaimed.append(services.quota_reclaim(
                source=account, target=pools[account.region_id], amount=surplus, document=documents["standard"],
                effective_date=REFORM_DAY, by=by, note="按行业标准重新核定（示意）"))
    given = {level: _give_up(level, share, before=before, by=by, documents=documents)
             for level, share in targets.items()}
    return [
        f"改革收回空编 / vacant quotas reclaimed on {REFORM_DAY}: {sum(t.amount for t in reclaimed)}; "
        + "; ".join(f"{level} gave up {amount} of {wanted}" for level, (amount, wanted) in given.items())
        + " (示意 / illustrative)"]


def _give_up(level: str, share: Decimal, *, before: datetime.date, by, documents: dict) -> tuple[int, int]:
    """The level's pools give up what brings its quotas ``share`` percent below ``before``; returns what they gave
    up and what that called for (less when the pools held too little)."""
    institutional = services.quota_type_get(QuotaTypeCode.INSTITUTIONAL)
    start = {row.region_id: row for row in totals_by_region(before, quota_type=institutional) if row.level == level}
    now = [row for row in totals_by_region(AFTER_DAY, quota_type=institutional) if row.level == level]
    base = sum(row.total - row.turnover_pool for row in start.values())
    done = sum(start[row.region_id].total - start[row.region_id].turnover_pool - row.total + row.turnover_pool
               for row in now)
    if level == "county":
        done += sum(row.controlled - start[row.region_id].controlled for row in now)
    wanted = round(base * share / 100) - done
    pools = list(QuotaAccount.objects.filter(holder_kind=HolderKind.REGION_POOL, quota_type=institutional,
                                             region_id__in=start).select_related("region").order_by("region__code"))
    spare = [pool.balance - round(pool.balance * KEEP_IN_POOL) for pool in pools]
    if wanted <= 0 or sum(spare) <= 0:
        return 0, wanted
    amounts = _split(min(wanted, sum(spare)), [max(amount, 0) for amount in spare])
    for pool, amount, most in zip(pools, amounts, spare, strict=True):
        amount = min(amount, most)
        if amount <= 0:
            continue
        controlled = round(amount * COUNTY_CONTROLLED) if level == "county" else 0
        if controlled:
            services.quota_control(region=pool.region, quota_type=institutional, amount=controlled,
                                   document=documents["control"], effective_date=AFTER_DAY, by=by)
        services.quota_cancel(source=pool, amount=amount - controlled, document=documents["cancel"],
                              effective_date=AFTER_DAY, by=by, note="改革核减（示意）")
    return min(wanted, sum(spare)), wanted


@transaction.atomic
def load_after_reform(*, city: DemoCity, by=None, stdout: TextIO | None = None) -> None:
    """After the reform: the city's talent turnover pool (2021-09) and the zero-based allocation scenarios."""
    if _posted_under("turnover"):
        return
    city_region = Region.objects.get(code=city.regions[0].code)
    institutional = services.quota_type_get(QuotaTypeCode.INSTITUTIONAL)
    talent_pool = services.account_for_turnover_pool(region=city_region, quota_type=institutional,
                                                     sector=PoolSector.TALENT)
    services.quota_grant(target=talent_pool, amount=TURNOVER_POOL_SIZE, document=_document("turnover"),
                         effective_date=TALENT_POOL_DAY, by=by, note="示意数据")
    scenarios = _load_allocation(city=city, city_region=city_region, by=by)
    if stdout:
        stdout.write(f"零基测算演示方案 / demo allocation scenarios: {', '.join(scenarios)} (示意 / illustrative)\n")


INDICATOR_SOURCE = "示意数据：常住人口取 2010 年普查数，面积为约数，其余为虚构 / illustrative"
REDUCTION = Decimal("0.97")  # a province-approved total a little below what the areas hold after the reform


def _load_allocation(*, city: DemoCity, city_region: Region, by) -> list[str]:
    """Indicators for 2018 and 2019 and two computed scenarios in the article's setting (illustrative)."""
    regions = {region.code: region for region in Region.objects.filter(parent=city_region)}
    rows = []
    for demo_region in city.regions:
        region = regions.get(demo_region.code)
        if region is None:
            continue
        for year in (2018, 2019):
            values = {
                Indicator.RESIDENT_POPULATION: demo_region.resident_population,
                Indicator.TEMPORARY_POPULATION: demo_region.temporary_population,
                Indicator.AREA: demo_region.area_km2,
                Indicator.GDP: demo_region.gdp,
                Indicator.FISCAL_REVENUE: demo_region.fiscal_revenue_2018 if year == 2018
                else demo_region.fiscal_revenue_2019,
            }
            rows += [RegionIndicator(region=region, year=year, indicator=indicator, value=Decimal(value),
                                     source_note=INDICATOR_SOURCE) for indicator, value in values.items()]
    RegionIndicator.objects.bulk_create(rows)
    institutional = services.quota_type_get(QuotaTypeCode.INSTITUTIONAL)
    regions_ids = [region.pk for region in regions.values()]
    holdings = allocation.current_holdings(
        AllocationScenario(quota_type=institutional), regions_ids)
    current = sum(holdings.values())
    reserves = sum(allocation.fixed_reserves(AllocationScenario(quota_type=institutional), regions_ids).values())
    total = max(int(current * REDUCTION), reserves + len(regions_ids))
    common = {
        "scope_region": city_region, "quota_type": institutional, "province_total": total, "indicator_year": 2019,
        "fiscal_years": [2018, 2019], "weight_population": Decimal(40), "weight_area": Decimal(20),
        "weight_gdp": Decimal(20), "weight_fiscal": Decimal(20), "county_controlled_share": Decimal("0.10"),
    }
    names = []
    for name, method in (("区县事业编制零基测算（示意）·最大余额法", "largest_remainder"),
                         ("区县事业编制零基测算（示意）·洪德法", "dhondt")):
        scenario = allocation.scenario_create(by=by, name=name, method=method, **common)
        allocation.scenario_compute(scenario_id=scenario.pk)
        names.append(name)
    return names
