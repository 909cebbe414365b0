"""The allocation tests' fixtures: the ledger's, and a city with three areas, their indicators and reserved units."""
from decimal import Decimal

import pytest

from allocation import services as allocation
from allocation.models import RegionIndicator
from config.celery import app as celery_app
from institutions.models import Institution, Region
from quotas import services
from quotas.tests.conftest import *  # noqa: F403
from quotas.tests.conftest import DAY

# Worked by hand. Shares: population (resident + temporary) A .6 B .3 C .1; area .1 .1 .8; GDP .5 .3 .2;
# fiscal mean of 2018 and 2019 (A (10+14)/2=12, B 6, C 2) .6 .3 .1. Weights 40/20/20/20:
#   score A = .4·.6 + .2·.1 + .2·.5 + .2·.6 = .48;  B = .12+.02+.06+.06 = .26;  C = .04+.16+.04+.02 = .26.
# Fixed reserves: A's hospital 30, C's township institution 20 → 50. Total 151 → remainder 101.
# Ideals 48.48, 26.26, 26.26 → whole parts 48+26+26 = 100, the last quota to the largest fraction (A): 49, 26, 26.
# Results: A 30+49 = 79, B 26, C 20+26 = 46; C's controlled use 10% of 46 = 4.6 → 5 (half up), usable 41.
# Current holdings: A 40 (hospital 30 + archive 10), B 0, C 20 → differences +39, +26, +26.
INDICATORS = {
    # code: (resident, temporary, area, gdp, fiscal 2018, fiscal 2019)
    "230102": (550, 50, 100, 50, 10, 14),
    "230103": (300, 0, 100, 30, 6, 6),
    "230123": (100, 0, 800, 20, 4, 0),
}


@pytest.fixture
def eager_celery():
    """Run enqueued tasks in-process (the broker run uses a real worker instead)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def setting(db, document, django_user_model):
    city = Region.objects.create(code="230100", name="哈尔滨市（市本级）", kind="city")
    a = Region.objects.create(code="230102", name="道里区", kind="main_urban", parent=city)
    b = Region.objects.create(code="230103", name="南岗区", kind="main_urban", parent=city)
    c = Region.objects.create(code="230123", name="依兰县", kind="county", parent=city)
    for region in (a, b, c):
        resident, temporary, area, gdp, fiscal_2018, fiscal_2019 = INDICATORS[region.code]
        for indicator, year, value in [
            ("resident_population", 2019, resident), ("temporary_population", 2019, temporary),
            ("area", 2019, area), ("gdp", 2019, gdp), ("fiscal_revenue", 2018, fiscal_2018),
            ("fiscal_revenue", 2019, fiscal_2019),
        ]:
            RegionIndicator.objects.create(region=region, year=year, indicator=indicator, value=Decimal(value))
    clerk = django_user_model.objects.create_user("planner", password="pw")
    quota_type = services.quota_type_get()
    hospital = Institution.objects.create(name="道里区人民医院", region=a, reserved_class="public_hospital")
    archive = Institution.objects.create(name="道里区档案馆", region=a)
    township = Institution.objects.create(name="依兰县达连河镇综合服务中心", region=c, reserved_class="township")
    common = {"document": document, "effective_date": DAY, "by": clerk}
    for region, units in ((a, [(hospital, 30), (archive, 10)]), (c, [(township, 20)])):
        pool = services.account_for_region(region=region, quota_type=quota_type)
        services.quota_grant(target=pool, amount=sum(n for _u, n in units), **common)
        for unit, amount in units:
            services.quota_allocate(source=pool, target=services.account_for_institution(
                institution=unit, quota_type=quota_type), amount=amount, **common)
    return {"city": city, "a": a, "b": b, "c": c, "clerk": clerk, "quota_type": quota_type, "hospital": hospital,
            "archive": archive, "document": document}


def make_scenario(setting, **extra):
    fields = {
        "name": "2020 年零基测算", "scope_region": setting["city"], "quota_type": setting["quota_type"],
        "province_total": 151, "indicator_year": 2019, "fiscal_years": [2018, 2019],
        "weight_population": Decimal(40), "weight_area": Decimal(20), "weight_gdp": Decimal(20),
        "weight_fiscal": Decimal(20), "method": "largest_remainder", "county_controlled_share": Decimal("0.1"),
    }
    fields.update(extra)
    return allocation.scenario_create(by=setting["clerk"], **fields)
