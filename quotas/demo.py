"""The demo city's quotas, entered through the ledger services like real ones (illustrative figures).

Province grants to every region's pool (what its units are planned to hold plus a little unallocated), allocations
to every active institution of its planned size (``institutions.demo``), controlled-use holds in the counties, a
city turnover pool, and one reclamation of vacant quotas at city level: each under its own approval document, so
every demo institution has a balance and a statement. Loading twice changes nothing.
"""
from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import TextIO

from django.db import transaction

from institutions.demo import DemoCity
from institutions.models import ApprovalDocument, Institution, Region
from quotas import allocation, services
from quotas.allocation_models import AllocationScenario, Indicator, RegionIndicator
from quotas.choices import PoolSector, QuotaTypeCode
from quotas.models import QuotaTransfer

GRANT_DAY = datetime.date(2020, 1, 1)
CONTROL_DAY = datetime.date(2020, 3, 1)
RECLAIM_DAY = datetime.date(2021, 6, 30)

# (office code, year, serial, title, date) — serials from 100 up, as the registry demo leaves them free.
DOCUMENTS = {
    "grant": ("黑编发", 2020, 101, "关于核定哈尔滨市机构编制总量的批复（示意）", GRANT_DAY),
    "allocate": ("哈编发", 2020, 102, "关于核定市直和区县事业单位人员编制的通知（示意）", GRANT_DAY),
    "control": ("哈编发", 2020, 103, "关于县（市）事业编制控制使用的通知（示意）", CONTROL_DAY),
    "turnover": ("哈编发", 2020, 104, "关于设立市级人才编制周转池的通知（示意）", CONTROL_DAY),
    "reclaim": ("哈编发", 2021, 105, "关于收回市直事业单位空余编制的通知（示意）", RECLAIM_DAY),
}
ISSUERS = {"黑编发": "黑龙江省机构编制委员会", "哈编发": "哈尔滨市机构编制委员会"}
UNALLOCATED_SHARE = 0.04  # each pool keeps about 4% of its grant unallocated
COUNTY_CONTROLLED_SHARE = 0.06  # counties hold about 6% more under controlled use
TURNOVER_POOL_SIZE = 200


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
    if is_loaded():
        if stdout:
            stdout.write("编制台账演示数据已存在 / demo ledger already loaded\n")
        return
    documents = {key: _document(key) for key in DOCUMENTS}
    regions = {region.code: region for region in Region.objects.all()}
    by_credit_code = dict(Institution.objects.filter(credit_code__isnull=False).values_list("credit_code", "pk"))
    institutions = Institution.objects.in_bulk(list(by_credit_code.values()))
    planned: dict[tuple[str, str], list[tuple[Institution, int]]] = defaultdict(list)
    for unit in city.institutions:
        pk = by_credit_code.get(unit.credit_code)
        if pk is None or unit.planned_quota <= 0:
            continue
        planned[(unit.region_code, unit.quota_type)].append((institutions[pk], unit.planned_quota))

    transfers = 0
    for (region_code, type_code), units in sorted(planned.items()):
        region = regions[region_code]
        quota_type = services.quota_type_get(type_code)
        needed = sum(amount for _unit, amount in units)
        is_county_institutional = region.level == "county" and type_code == QuotaTypeCode.INSTITUTIONAL
        controlled = round(needed * COUNTY_CONTROLLED_SHARE) if is_county_institutional else 0
        spare = round(needed * UNALLOCATED_SHARE)
        pool = services.account_for_region(region=region, quota_type=quota_type)
        services.quota_grant(target=pool, amount=needed + spare + controlled, document=documents["grant"],
                             effective_date=GRANT_DAY, by=by, note="示意数据")
        for institution, amount in units:
            services.quota_allocate(
                source=pool, target=services.account_for_institution(institution=institution, quota_type=quota_type),
                amount=amount, document=documents["allocate"], effective_date=GRANT_DAY, by=by,
            )
        transfers += 1 + len(units)
        if controlled:
            services.quota_control(region=region, quota_type=quota_type, amount=controlled,
                                   document=documents["control"], effective_date=CONTROL_DAY, by=by)
            transfers += 1

    city_region = next(region for region in regions.values() if region.level == "city")
    institutional = services.quota_type_get(QuotaTypeCode.INSTITUTIONAL)
    talent_pool = services.account_for_turnover_pool(region=city_region, quota_type=institutional,
                                                     sector=PoolSector.TALENT)
    services.quota_grant(target=talent_pool, amount=TURNOVER_POOL_SIZE, document=documents["turnover"],
                         effective_date=CONTROL_DAY, by=by, note="示意数据")
    city_units = services.vacancy_reclaim_default_institutions().filter(region=city_region)
    reclaimed = services.vacancy_reclaim_apply(institutions=city_units, quota_type=institutional,
                                               document=documents["reclaim"], effective_date=RECLAIM_DAY, by=by)
    transfers += 1 + len(reclaimed)
    scenarios = _load_allocation(city=city, city_region=city_region, by=by)
    if stdout:
        stdout.write(
            f"零基测算演示方案 / demo allocation scenarios: {', '.join(scenarios)} (示意 / illustrative)\n"
            f"编制台账演示数据 / demo ledger: {transfers} transfers, "
            f"{sum(t.amount for t in reclaimed)} vacant quotas reclaimed at city level (示意 / illustrative)\n"
        )


INDICATOR_SOURCE = "示意数据：常住人口取 2010 年普查数，面积为约数，其余为虚构 / illustrative"
REDUCTION = Decimal("0.78")  # the article's districts and counties lost roughly a fifth to a third of their quotas


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
