"""The demo city's quotas, entered through the ledger services like real ones (illustrative figures).

Before the reform (2019): province grants to every region's pool and allocations to every active institution of
its planned size (``demo.institutions``) plus a seeded surplus (more for non-reserved units). The reform (2021):
vacant quotas of every non-reserved unit reclaimed into its region's pool; most of that cancelled back to the
province in the city and the districts, partly held under controlled use in the counties; a city talent turnover
pool. Then indicators and two computed zero-based scenarios. Each step under its own approval document, so every
demo institution has a balance and a statement, and ``/reforms/effect/`` shows the reform by level. Loading twice
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
from institutions.models import ApprovalDocument, Institution, Region
from quotas import services
from quotas.choices import HolderKind, PoolSector, QuotaTypeCode
from quotas.models import QuotaAccount, QuotaTransfer

GRANT_DAY = datetime.date(2019, 1, 1)  # the state before the reform
REFORM_DAY = datetime.date(2021, 6, 30)  # vacant quotas reclaimed at every level
AFTER_DAY = datetime.date(2021, 7, 1)  # the surplus cancelled, or held under controlled use in the counties
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
# standard (the planned size), to which the reform re-verifies them.
SURPLUS = {"none": (0.30, 0.70), "reserved": (0.10, 0.35)}
KEEP_IN_POOL = 0.05  # of what was reclaimed, the share each pool keeps for later allocation
COUNTY_CONTROLLED = 0.45  # of what a county's pool gives up, the share held under controlled use, not cancelled
TURNOVER_POOL_SIZE = 200


def _before_reform(unit, seed: int) -> int:
    """The quotas a demo unit held before the reform: its planned size plus a seeded surplus."""
    low, high = SURPLUS["none" if unit.reserved_class == "none" else "reserved"]
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


def is_loaded() -> bool:
    office, year, serial, *_rest = DOCUMENTS["grant"]
    return QuotaTransfer.objects.filter(
        document__office_code=office, document__year=year, document__serial=serial
    ).exists()


@transaction.atomic
def load(*, city: DemoCity, by=None, stdout: TextIO | None = None) -> None:
    """The ledger before the reform (2019) and the reform itself (2021): reclamation, then cancellation or control."""
    if is_loaded():
        if stdout:
            stdout.write("编制台账演示数据已存在 / demo ledger already loaded\n")
        return
    documents = {key: _document(key) for key in DOCUMENTS}
    regions = {region.code: region for region in Region.objects.all()}
    by_credit_code = dict(Institution.objects.filter(credit_code__isnull=False).values_list("credit_code", "pk"))
    institutions = Institution.objects.in_bulk(list(by_credit_code.values()))
    held: dict[tuple[str, str], list[tuple[Institution, int]]] = defaultdict(list)
    for unit in city.institutions:
        pk = by_credit_code.get(unit.credit_code)
        if pk is None or unit.planned_quota <= 0:
            continue
        held[(unit.region_code, unit.quota_type)].append((institutions[pk], _before_reform(unit, city.seed)))

    transfers = 0
    for (region_code, type_code), units in sorted(held.items()):
        region = regions[region_code]
        quota_type = services.quota_type_get(type_code)
        needed = sum(amount for _unit, amount in units)
        pool = services.account_for_region(region=region, quota_type=quota_type)
        services.quota_grant(target=pool, amount=needed + round(needed * UNALLOCATED_SHARE),
                             document=documents["grant"], effective_date=GRANT_DAY, by=by, note="示意数据")
        for institution, amount in units:
            services.quota_allocate(
                source=pool, target=services.account_for_institution(institution=institution, quota_type=quota_type),
                amount=amount, document=documents["allocate"], effective_date=GRANT_DAY, by=by,
            )
        transfers += 1 + len(units)

    # The reform: vacant quotas of every non-reserved unit back to its pool, then each pool gives up most of
    # what came back: cancelled (核减) in the city and the districts, partly held under controlled use in counties.
    institutional = services.quota_type_get(QuotaTypeCode.INSTITUTIONAL)
    from workflow.reclamation import vacancy_reclaim_apply, vacancy_reclaim_default_institutions

    reclaimed = vacancy_reclaim_apply(
        institutions=vacancy_reclaim_default_institutions(), quota_type=institutional,
        document=documents["reclaim"], effective_date=REFORM_DAY, by=by,
    )
    # Reserved units (schools, hospitals, disease control, townships, …) re-verified against their industry
    # standard, here the planned size: what they hold above it goes back to the pool too.
    standard = {by_credit_code[unit.credit_code]: unit.planned_quota for unit in city.institutions
                if unit.reserved_class != "none" and unit.planned_quota > 0 and unit.credit_code in by_credit_code}
    for account in QuotaAccount.objects.filter(institution_id__in=standard, quota_type=institutional,
                                               holder_kind=HolderKind.INSTITUTION).select_related("region"):
        surplus = account.balance - standard[account.institution_id]
        if surplus > 0:
            reclaimed.append(services.quota_reclaim(
                source=account, target=services.account_for_region(region=account.region, quota_type=institutional),
                amount=surplus, document=documents["standard"], effective_date=REFORM_DAY, by=by,
                note="按行业标准重新核定（示意）"))
    back_by_region: dict[int, int] = defaultdict(int)
    for transfer in reclaimed:
        back_by_region[transfer.target.region_id] += transfer.amount
    for region_id, back in sorted(back_by_region.items()):
        region = next(r for r in regions.values() if r.pk == region_id)
        give_up = back - round(back * KEEP_IN_POOL)
        controlled = round(give_up * COUNTY_CONTROLLED) if region.level == "county" else 0
        pool = services.account_for_region(region=region, quota_type=institutional)
        if controlled:
            services.quota_control(region=region, quota_type=institutional, amount=controlled,
                                   document=documents["control"], effective_date=AFTER_DAY, by=by)
        services.quota_cancel(source=pool, amount=give_up - controlled, document=documents["cancel"],
                              effective_date=AFTER_DAY, by=by, note="改革核减（示意）")
        transfers += 2 if controlled else 1

    city_region = next(region for region in regions.values() if region.level == "city")
    talent_pool = services.account_for_turnover_pool(region=city_region, quota_type=institutional,
                                                     sector=PoolSector.TALENT)
    services.quota_grant(target=talent_pool, amount=TURNOVER_POOL_SIZE, document=documents["turnover"],
                         effective_date=TALENT_POOL_DAY, by=by, note="示意数据")
    transfers += 1 + len(reclaimed)
    scenarios = _load_allocation(city=city, city_region=city_region, by=by)
    if stdout:
        stdout.write(
            f"编制台账演示数据 / demo ledger: {transfers} transfers; the reform of {REFORM_DAY} reclaimed "
            f"{sum(t.amount for t in reclaimed)} vacant quotas (示意 / illustrative)\n"
            f"零基测算演示方案 / demo allocation scenarios: {', '.join(scenarios)} (示意 / illustrative)\n"
        )


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
