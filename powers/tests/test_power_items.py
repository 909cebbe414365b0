"""Power-list items: what the services accept and refuse (nothing written on a refusal), and the counts."""
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from powers import selectors, services
from powers.choices import FULL_CHAIN
from powers.models import PowerItem

pytestmark = pytest.mark.django_db


def codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


def make(holder, code="YB-001", **fields):
    return services.power_item_create(holder=holder, code=code, name=fields.pop("name", "医疗保障基金使用监督检查"),
                                      power_type=fields.pop("power_type", "inspection"), **fields)


def test_an_item_takes_its_region_and_level_from_the_holder(units, city, daoli):
    item = make(units["city_medical"])
    assert (item.region, item.level, item.holder_kind) == (city, "city", "public_institution")
    district = make(units["daoli_bureau"], code="DL-001")
    assert (district.region, district.level, district.holder_kind) == (daoli, "district", "agency")
    assert item.responsibility_steps == [] and item.disposition == "kept"


def test_a_penalty_item_gets_the_full_chain_and_a_chain_keeps_its_order(units):
    item = make(units["city_bureau"], power_type="penalty")
    assert item.responsibility_steps == FULL_CHAIN == ["filing", "investigation", "review", "notification",
                                                       "decision", "service", "execution"]
    short = make(units["city_bureau"], code="YB-002", power_type="penalty", responsibility_steps=["filing",
                                                                                                  "decision"])
    assert short.responsibility_steps == ["filing", "decision"]
    for steps, code in ((["decision", "filing"], "step_order"), (["filing", "filing"], "duplicate_step"),
                        (["arrest"], "unknown_step"), ("filing", "invalid_chain")):
        with pytest.raises(ValidationError) as refused:
            make(units["city_bureau"], code="YB-003", responsibility_steps=steps)
        assert codes(refused.value) == {"responsibility_steps": [code]}
    assert PowerItem.objects.count() == 2


def test_a_devolved_item_needs_a_receiver_of_a_lower_level(units):
    holder = units["city_medical"]
    refusals = [
        ({}, "receiver_required"),  # no receiver
        ({"receiver": units["city_social"]}, "receiver_not_below"),  # the same level
    ]
    for extra, code in refusals:
        with pytest.raises(ValidationError) as refused:
            make(holder, disposition="devolved", **extra)
        assert codes(refused.value) == {"receiver": [code]}
    # A district's item has no lower level: the city's unit is higher, the other district's the same.
    for receiver in (units["city_social"], units["nangang_market"]):
        with pytest.raises(ValidationError) as refused:
            make(units["daoli_bureau"], disposition="devolved", receiver=receiver)
        assert codes(refused.value) == {"receiver": ["receiver_not_below"]}
    # A receiver on an item that is not devolved is refused too.
    with pytest.raises(ValidationError) as refused:
        make(holder, receiver=units["daoli_medical"])
    assert codes(refused.value) == {"receiver": ["receiver_not_devolved"]}
    assert PowerItem.objects.count() == 0
    item = make(holder, disposition="devolved", receiver=units["daoli_medical"])
    assert item.receiver == units["daoli_medical"]


def test_a_cleaned_up_item_needs_its_reason(units):
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as refused:
            make(units["city_medical"], disposition="cleaned_up", cleanup_reason=reason)
        assert codes(refused.value) == {"cleanup_reason": ["reason_required"]}
    assert PowerItem.objects.count() == 0
    item = make(units["city_medical"], disposition="cleaned_up", cleanup_reason="法律依据已废止")
    assert item.cleanup_reason == "法律依据已废止"


def test_a_code_is_unique_within_its_holders_list(units):
    make(units["city_medical"], code="YB-001")
    with pytest.raises(ValidationError) as refused:
        make(units["city_medical"], code=" YB-001 ")  # stripped: the same code
    assert codes(refused.value) == {"code": ["duplicate_code"]}
    make(units["city_social"], code="YB-001")  # another holder's list
    other = make(units["city_medical"], code="YB-002")
    with pytest.raises(ValidationError) as refused:
        services.power_item_update(item=other, code="YB-001")
    assert codes(refused.value) == {"code": ["duplicate_code"]}
    other.refresh_from_db()
    assert other.code == "YB-002" and PowerItem.objects.count() == 3


def test_an_update_is_validated_whole_and_writes_nothing_when_refused(units):
    item = make(units["city_medical"])
    with pytest.raises(ValidationError):
        services.power_item_update(item=item, disposition="devolved")
    item.refresh_from_db()
    assert item.disposition == "kept" and item.history.count() == 1
    services.power_item_update(item=item, disposition="devolved", receiver=units["daoli_medical"])
    item.refresh_from_db()
    assert item.disposition == "devolved" and item.history.count() == 2


def test_a_district_office_writes_its_own_regions_items_only(units, make_user, daoli):
    clerk = make_user(Role.DISTRICT_OFFICE, region=daoli)
    make(units["daoli_bureau"], by=clerk)
    with pytest.raises(PermissionDenied):
        make(units["nangang_market"], by=clerk)
    city_item = make(units["city_medical"], code="YB-009")
    with pytest.raises(PermissionDenied):
        services.power_item_update(item=city_item, by=clerk, name="改")
    assert PowerItem.objects.count() == 2


def test_counts_per_holder_region_type_and_disposition(units, city, daoli):
    # Worked by hand: the city's medical centre 3 items (2 inspections kept, 1 penalty devolved), its social centre
    # 1 (a levy cleaned up), 道里区's bureau 2 (licensing, penalty; kept): 6 in all, 4 city and 2 district.
    medical, social, bureau = units["city_medical"], units["city_social"], units["daoli_bureau"]
    make(medical, code="A1")
    make(medical, code="A2")
    make(medical, code="A3", power_type="penalty", disposition="devolved", receiver=units["daoli_medical"])
    make(social, code="B1", power_type="levy", disposition="cleaned_up", cleanup_reason="职能已划转")
    make(bureau, code="C1", power_type="licensing")
    make(bureau, code="C2", power_type="penalty")
    counts = selectors.power_item_counts()
    assert counts.total == 6
    by_type = {row["value"]: row["count"] for row in counts.by_type}
    assert by_type == {"licensing": 1, "penalty": 2, "enforcement_measure": 0, "levy": 1, "benefit": 0,
                       "adjudication": 0, "confirmation": 0, "award": 0, "inspection": 2, "other": 0}
    assert {row["value"]: row["count"] for row in counts.by_disposition} == {"kept": 4, "cleaned_up": 1,
                                                                             "devolved": 1}
    assert counts.by_level == {"city": 4, "district": 2}
    assert counts.by_holder_kind == {"agency": 2, "public_institution": 4}
    assert [(row["region_code"], row["count"]) for row in counts.by_region] == [(city.code, 4), (daoli.code, 2)]
    holders = {row["holder_name"]: row for row in counts.by_holder}
    assert {name: row["count"] for name, row in holders.items()} == {
        "哈尔滨市医疗保障服务中心": 3, "哈尔滨市社会保险事业中心": 1, "道里区医疗保障局": 2}
    assert holders["哈尔滨市医疗保障服务中心"]["by_type"]["inspection"] == 2
    assert holders["哈尔滨市医疗保障服务中心"]["by_disposition"] == {"kept": 2, "cleaned_up": 0, "devolved": 1}
    only_daoli = selectors.power_item_counts(PowerItem.objects.filter(region=daoli))
    assert only_daoli.total == 2 and only_daoli.by_level == {"city": 0, "district": 2}
