"""The demo loader (``demo/powers.py``) on a small city built with the registry's factories under the demo's codes
and names: the pilots' power lists, the 3,067 law-enforcement items of the six main-urban districts, and loading
twice changing nothing."""
import random
from collections import Counter
from io import StringIO

import pytest

from demo import powers as demo_powers
from demo.institutions import DEFAULT_SEED, generate
from institutions.tests.factories import AgencyFactory, DistrictFactory, InstitutionFactory
from powers import selectors
from powers.models import EnforcementPower, PowerItem

pytestmark = pytest.mark.django_db
MAIN_URBAN = {"230102": ("道里区", "main_urban"), "230103": ("南岗区", "main_urban"),
              "230104": ("道外区", "main_urban"), "230110": ("香坊区", "main_urban"),
              "230108": ("平房区", "integrated"), "230109": ("松北区", "integrated")}
# Worked by hand: 3,067 split by the 2010 census population of the six districts (4,517,549 in all): 627.15,
# 912.36, 615.38, 129.16, 160.80, 622.16 → floors 3,065, the two largest remainders (松北 .80, 道外 .38) one more.
SHARES = {"230102": 627, "230103": 912, "230104": 616, "230108": 129, "230109": 161, "230110": 622}


@pytest.fixture
def small_city(city):
    districts = {code: DistrictFactory(parent=city, code=code, name=name, kind=kind)
                 for code, (name, kind) in MAIN_URBAN.items()}
    DistrictFactory(parent=city, code="230111", name="呼兰区", kind="outer_suburban")  # not a main-urban district
    for name in ("医疗保障服务中心", "社会保险事业中心"):
        InstitutionFactory(region=city, name=f"哈尔滨市{name}", category="administrative")
        InstitutionFactory(region=districts["230102"], name=f"哈尔滨市道里区{name}")
    for name in ("医疗保障局", "人力资源和社会保障局"):
        AgencyFactory(region=city, name=f"哈尔滨市{name}")
    for district in districts.values():
        prefix = f"哈尔滨市{district.name}"
        for name in ("市场监督管理局", "城市管理和行政执法局", "人力资源和社会保障局", "信访局"):
            AgencyFactory(region=district, name=prefix + name)
    hr = AgencyFactory._meta.model.objects.get(name="哈尔滨市道里区人力资源和社会保障局")
    team = InstitutionFactory(region=districts["230102"], name="哈尔滨市道里区劳动保障监察大队", supervisor=hr,
                              reserved_class="law_enforcement")
    return {"districts": districts, "team": team, "hr": hr}


def snapshot():
    return (sorted(PowerItem.objects.values_list("holder_id", "code", "name", "disposition")),
            sorted(EnforcementPower.objects.values_list("district_id", "code", "department_id", "power_type")),
            PowerItem.history.count(), EnforcementPower.history.count())


def test_the_demo_writes_the_pilots_lists_and_3067_enforcement_items_once(small_city, city):
    demo_city = generate(DEFAULT_SEED)
    out = StringIO()
    demo_powers.load(city=demo_city, stdout=out)
    assert "3067" in out.getvalue()
    # The power lists: the city's two centres and two bureaus, 道里区's two centres and its bureau (the small city
    # has no 道里区医疗保障局), 20–40 items each.
    per_holder = Counter(PowerItem.objects.values_list("holder__name", flat=True))
    assert set(per_holder) == {"哈尔滨市医疗保障服务中心", "哈尔滨市社会保险事业中心", "哈尔滨市医疗保障局",
                               "哈尔滨市人力资源和社会保障局", "哈尔滨市道里区医疗保障服务中心",
                               "哈尔滨市道里区社会保险事业中心", "哈尔滨市道里区人力资源和社会保障局"}
    assert all(20 <= count <= 40 for count in per_holder.values()), per_holder
    counts = selectors.power_item_counts()
    assert counts.by_holder_kind["agency"] == sum(count for name, count in per_holder.items() if name.endswith("局"))
    assert all(row["count"] for row in counts.by_disposition)  # kept, cleaned up and devolved all occur
    assert sum(1 for row in counts.by_type if row["count"]) >= 8
    for item in PowerItem.objects.select_related("holder__region", "receiver__region"):
        assert item.remarks == "演示数据，仅为示意" and item.document.number == "哈编发〔2021〕160号"
        item.full_clean()  # every item passes the model's rules (a devolved item's receiver is of a lower level)
        if item.disposition == "devolved":
            assert item.holder.region == city and item.receiver.name.endswith(item.holder.name[4:])
    # The law-enforcement list: exactly 3,067 in the six main-urban districts, split by population.
    enforcement = selectors.enforcement_counts()
    assert enforcement.total == EnforcementPower.objects.count() == 3067
    assert {row["district_code"]: row["count"] for row in enforcement.by_district} == SHARES
    assert sum(row["count"] for row in enforcement.by_department) == 3067
    assert sum(row["count"] for row in enforcement.by_type) == 3067
    by_type = {row["value"]: row["count"] for row in enforcement.by_type}
    assert max(by_type, key=by_type.get) == "penalty" and all(by_type.values())
    assert not EnforcementPower.objects.filter(department__name__endswith="信访局").exists()  # enforces nothing
    assert set(EnforcementPower.objects.filter(department=small_city["hr"]).values_list(
        "executing_body", flat=True)) == {small_city["team"].pk}
    assert not EnforcementPower.objects.exclude(article__endswith="（示意）").exists()
    before = snapshot()
    out = StringIO()
    demo_powers.load(city=demo_city, stdout=out)  # again: nothing changes
    assert snapshot() == before and "nothing written" in out.getvalue()


def test_the_demo_is_deterministic(small_city):
    demo_city = generate(DEFAULT_SEED)

    def drawn():
        rng = random.Random(f"{DEFAULT_SEED}:powers")
        items = demo_powers.power_items(rng, None)
        powers = demo_powers.enforcement_powers(rng, demo_city)
        return ([(item.holder_id, item.code, item.name, item.disposition) for item in items],
                [(power.code, power.department_id, power.power_type, power.name) for power in powers])

    first = drawn()
    assert first == drawn() and len(first[1]) == 3067


def test_largest_remainder_adds_up():
    assert demo_powers.largest_remainder(10, [1, 1, 1]) == [4, 3, 3]
    assert demo_powers.largest_remainder(3067, [30, 18, 6]) == [1704, 1022, 341]
