"""The reform's effect (``reforms.selectors.reform_effect``), its page, API and workbook, on a toy city worked by hand.

The city: 市本级 (city level), 道里区 (a district), 依兰县 (a county). Dates: P = 2023-12-31, B = 2024-12-31,
A = 2025-12-31. On 2023-01-02 the province grants and the city allocates (institutional quotas):
  市本级: c1–c4, 10 each (40); the city's turnover pool holds 5 (counted apart, in the citywide total only).
  道里区: d1–d5, 8 each (40).
  依兰县: y1–y4, 10 each (40), and 20 left in its pool: it holds 60.
First round, 2024-06-01 (executed plans): 市本级 abolishes c4 (10 cancelled); 道里区 merges d4 and d5 (16) into a
new unit approved at 7 (9 cancelled); 依兰县 abolishes y4, its 10 reclaimed to the pool (30), then cancels 14 of
its pool (16) and puts 12 under controlled use (pool 4, controlled 12). On 2024-12-31 (= B) 市本级 renames c1.
Second round, 2025-06-01: 市本级 devolves c3 (10 quotas) to 依兰县 and cuts c1 to 7 (3 cancelled); 道里区
abolishes d3 (8 cancelled); 依兰县 cancels 2 of its pool (2) and controls 2 more (pool 0, controlled 14). A draft
plan (not executed) renames c2 on 2025-06-01.

Institutions existing / quotas held (turnover pool apart):
            P         B         A
  市本级    4 / 40    3 / 30    2 / 17    (c1 7 + c2 10; c3 counts in 依兰县 from its devolution on)
  道里区    5 / 40    4 / 31    3 / 23    (d1 d2 d3 + merged 7 → d1 d2 + merged 7)
  依兰县    4 / 60    3 / 46    4 / 54    (B: 30 + pool 4 + controlled 12; A: 30 + c3 10 + controlled 14)
  citywide 13 / 145  10 / 112   9 / 99    (quotas with the pool's 5)

First round (P → B): 市本级 −1 (−25.0 %) / −10 (−25.0 %); 道里区 −1 (−20.0 %) / −9 (−22.5 %); 依兰县 −1
(−25.0 %) / −14 (−23.3 %), reduced or put under controlled use 14 + 12 = 26 (26 / 60 = 43.3 %); citywide −3
(−23.1 %) / −33 (−22.8 %). Quota percentages −25.0, −22.5, −23.3: spread 2.5, within the default 5 points.
Operations: abolish 2, merge 1, rename 1 (the rename is effective on B itself: (P, B]).
Second round (B → A): 市本级 −1 (−33.3 %) / −13 (−43.3 %); 道里区 −1 (−25.0 %) / −8 (−25.8 %); 依兰县 +1
(+33.3 %) / +8 (+17.4 %), reduced or controlled −8 + 2 = −6 (−13.0 %); citywide −1 (−10.0 %) / −13 (−11.6 %).
Spread 17.4 − (−43.3) = 60.7: not broadly consistent. Operations: devolve 1, adjust quotas 1, abolish 1 (the
draft rename not counted). Citywide: a further 10.0 % fewer institutions and 11.6 % fewer quotas, on top of the
first round's 23.1 % and 22.8 %.
"""
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import translation
from openpyxl import load_workbook

from accounts.models import UserProfile
from accounts.roles import Role
from conftest import rolled_back
from institutions.choices import RegionKind
from institutions.models import Institution, InstitutionEvent, LifeEventKind, Region
from institutions.tests.factories import CityFactory, DistrictFactory, DocumentFactory, InstitutionFactory
from quotas import services as ledger
from reforms import services
from reforms.models import OperationKind, SurplusAction
from reforms.selectors import Change, percent_of, reform_effect

pytestmark = pytest.mark.django_db

P, B, A = datetime.date(2023, 12, 31), datetime.date(2024, 12, 31), datetime.date(2025, 12, 31)
GRANT_DAY, ROUND_ONE, ROUND_TWO = datetime.date(2023, 1, 2), datetime.date(2024, 6, 1), datetime.date(2025, 6, 1)
DATES = {"previous": P.isoformat(), "before": B.isoformat(), "after": A.isoformat()}
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def d(percent: str) -> Decimal:
    return Decimal(percent)


def figures(change: Change) -> tuple:
    return change.before, change.after, change.change, change.percent


def _execute(clerk, region, day, document, *operations):
    plan = services.reform_plan_create(by=clerk, region=region, title=f"{region.name}{day}改革", effective_date=day)
    for fields in operations:
        services.reform_operation_save(plan=plan, by=clerk, **fields)
    services.reform_plan_submit(plan=plan, by=clerk)
    services.reform_plan_approve(plan=plan, by=clerk, document=document)
    return services.reform_plan_execute(plan=plan, by=clerk)


@pytest.fixture(scope="module")
def _toy_city(django_db_setup, django_db_blocker):
    """The toy city, built once for the module (through the ledger and the reform services, a second a test) inside a
    transaction rolled back after the module; each test reads it in its own savepoint. Its primary keys."""
    with rolled_back(django_db_blocker):
        city = CityFactory(code="230100", name="哈尔滨市（市本级）")
        daoli = DistrictFactory(parent=city, code="230102", name="道里区")
        yilan = DistrictFactory(parent=city, code="230123", name="依兰县", kind=RegionKind.COUNTY)
        clerk = get_user_model().objects.create_user(username="toy-clerk", password="pw-12345")
        clerk.groups.add(Group.objects.get(name=Role.CITY_OFFICE))
        UserProfile.objects.create(user=clerk, region=None)
        built = _build(city, daoli, yilan, clerk)
        yield {"city": city.pk, "daoli": daoli.pk, "yilan": yilan.pk, "clerk": clerk.pk,
               **{key: [unit.pk for unit in built[key]] for key in ("c", "d", "y")}}


@pytest.fixture
def city(_toy_city, db):
    return Region.objects.get(pk=_toy_city["city"])


@pytest.fixture
def daoli(_toy_city, db):
    return Region.objects.get(pk=_toy_city["daoli"])


@pytest.fixture
def yilan(_toy_city, db):
    return Region.objects.get(pk=_toy_city["yilan"])


@pytest.fixture
def clerk(_toy_city, db):
    return get_user_model().objects.get(pk=_toy_city["clerk"])


@pytest.fixture
def toy(_toy_city, city, daoli, yilan):
    """The toy city of the module's docstring, read afresh for the test."""
    units = Institution.objects.in_bulk([pk for key in ("c", "d", "y") for pk in _toy_city[key]])
    return {"city": city, "daoli": daoli, "yilan": yilan, "quota_type": ledger.quota_type_get(),
            **{key: [units[pk] for pk in _toy_city[key]] for key in ("c", "d", "y")}}


def _build(city, daoli, yilan, clerk) -> dict:
    """The toy city of the module's docstring, built through the ledger and the reform services."""
    quota_type = ledger.quota_type_get()
    grant = DocumentFactory(year=2022)
    first = DocumentFactory(year=2024, date_issued=datetime.date(2024, 5, 20))
    second = DocumentFactory(year=2025, date_issued=datetime.date(2025, 5, 20))

    def funded(region, name, amount):
        unit = InstitutionFactory(region=region, name=name)
        pool = ledger.account_for_region(region=region, quota_type=quota_type)
        ledger.quota_grant(target=pool, amount=amount, document=grant, effective_date=GRANT_DAY, by=clerk)
        ledger.quota_allocate(source=pool, target=ledger.account_for_institution(institution=unit,
                                                                                 quota_type=quota_type),
                              amount=amount, document=grant, effective_date=GRANT_DAY, by=clerk)
        return unit

    c = [funded(city, f"哈尔滨市第{n}研究中心", 10) for n in range(1, 5)]
    dd = [funded(daoli, f"道里区第{n}服务中心", 8) for n in range(1, 6)]
    y = [funded(yilan, f"依兰县第{n}服务中心", 10) for n in range(1, 5)]
    yilan_pool = ledger.account_for_region(region=yilan, quota_type=quota_type)
    ledger.quota_grant(target=yilan_pool, amount=20, document=grant, effective_date=GRANT_DAY, by=clerk)
    ledger.quota_grant(target=ledger.account_for_turnover_pool(region=city, quota_type=quota_type), amount=5,
                       document=grant, effective_date=GRANT_DAY, by=clerk)

    _execute(clerk, city, ROUND_ONE, first, {"kind": OperationKind.ABOLISH, "institution": c[3]})
    _execute(clerk, daoli, ROUND_ONE, first, {"kind": OperationKind.MERGE, "new_name": "道里区综合服务中心",
                                              "approved_total": 7, "sources": [dd[3], dd[4]]})
    _execute(clerk, yilan, ROUND_ONE, first,
             {"kind": OperationKind.ABOLISH, "institution": y[3], "surplus": SurplusAction.RECLAIM})
    ledger.quota_cancel(source=yilan_pool, amount=14, document=first, effective_date=ROUND_ONE, by=clerk)
    ledger.quota_control(region=yilan, quota_type=quota_type, amount=12, document=first, effective_date=ROUND_ONE,
                         by=clerk)
    _execute(clerk, city, B, first, {"kind": OperationKind.RENAME, "institution": c[0],
                                     "new_name": "哈尔滨市第一研究院"})

    _execute(clerk, city, ROUND_TWO, second, {"kind": OperationKind.DEVOLVE, "institution": c[2], "new_region": yilan},
             {"kind": OperationKind.ADJUST_QUOTAS, "institution": c[0], "approved_total": 7})
    _execute(clerk, daoli, ROUND_TWO, second, {"kind": OperationKind.ABOLISH, "institution": dd[2]})
    yilan_pool.refresh_from_db()
    ledger.quota_cancel(source=yilan_pool, amount=2, document=second, effective_date=ROUND_TWO, by=clerk)
    ledger.quota_control(region=yilan, quota_type=quota_type, amount=2, document=second, effective_date=ROUND_TWO,
                         by=clerk)
    draft = services.reform_plan_create(by=clerk, region=city, title="未执行的方案", effective_date=ROUND_TWO)
    services.reform_operation_save(plan=draft, by=clerk, kind=OperationKind.RENAME, institution=c[1],
                                   new_name="哈尔滨市第二研究院")
    return {"c": c, "d": dd, "y": y}


# --- the selector -------------------------------------------------------------------------------------------------

def test_percentages_have_one_decimal_rounded_half_up_and_none_on_a_zero_base():
    assert percent_of(-13, 30) == d("-43.3")
    assert percent_of(1, 16) == d("6.3")  # 6.25: half up, not half to even
    assert percent_of(5, 0) is None
    assert figures(Change.of(0, 5)) == (0, 5, 5, None)


def test_the_second_round_by_level_as_worked_by_hand(toy):
    effect = reform_effect(B, A, quota_type=toy["quota_type"])

    current = effect.round
    city, district, county = (current.level(level) for level in ("city", "district", "county"))
    assert figures(city.institutions) == (3, 2, -1, d("-33.3"))
    assert figures(city.quotas) == (30, 17, -13, d("-43.3"))
    assert figures(district.institutions) == (4, 3, -1, d("-25.0"))
    assert figures(district.quotas) == (31, 23, -8, d("-25.8"))
    assert figures(county.institutions) == (3, 4, 1, d("33.3"))
    assert figures(county.quotas) == (46, 54, 8, d("17.4"))
    assert (city.reduced_or_controlled, district.reduced_or_controlled) == (None, None)
    assert figures(current.turnover_pools) == (5, 5, 0, d("0.0"))
    assert figures(current.citywide_institutions) == (10, 9, -1, d("-10.0"))
    assert figures(current.citywide_quotas) == (112, 99, -13, d("-11.6"))
    assert effect.first_round is None and effect.level_comparisons == ()


def test_the_county_counts_reduced_or_put_under_controlled_use(toy):
    first = reform_effect(P, B, quota_type=toy["quota_type"]).round.level("county")
    second = reform_effect(B, A, quota_type=toy["quota_type"]).round.level("county")

    assert figures(first.controlled) == (0, 12, 12, None)
    assert (first.reduced_or_controlled, first.reduced_or_controlled_percent) == (26, d("43.3"))
    assert figures(second.controlled) == (12, 14, 2, d("16.7"))
    assert (second.reduced_or_controlled, second.reduced_or_controlled_percent) == (-6, d("-13.0"))


def test_the_devolved_unit_counts_where_it_sat_on_each_date(toy):
    c3 = Institution.objects.get(pk=toy["c"][2].pk)
    assert c3.region == toy["yilan"]
    assert InstitutionEvent.objects.filter(institution=c3, kind=LifeEventKind.DEVOLVED,
                                           from_region=toy["city"]).exists()

    regions = {region.code: region for region in reform_effect(B, A, quota_type=toy["quota_type"]).round.regions}

    assert list(regions) == ["230100", "230102", "230123"]
    assert figures(regions["230100"].institutions)[:2] == (3, 2)
    assert figures(regions["230123"].institutions)[:2] == (3, 4)
    assert figures(regions["230100"].turnover_pool)[:2] == (5, 5)
    assert figures(regions["230100"].quotas)[:2] == (30, 17)  # the pool's 5 apart


def test_executed_operations_are_counted_by_kind_in_each_round(toy):
    effect = reform_effect(B, A, quota_type=toy["quota_type"], previous=P)

    first, second = effect.first_round.operations, effect.round.operations
    assert {kind: count for kind, count in first.items() if count} == {"abolish": 2, "merge": 1, "rename": 1}
    assert {kind: count for kind, count in second.items() if count} == {
        "devolve": 1, "adjust_quotas": 1, "abolish": 1}  # the draft plan's rename is not counted
    assert list(second) == list(OperationKind.values)
    assert (effect.first_round.operations_total, effect.round.operations_total) == (4, 3)


def test_the_levels_consistency_is_flagged_on_and_off(toy):
    first = reform_effect(P, B, quota_type=toy["quota_type"]).round.consistency
    second = reform_effect(B, A, quota_type=toy["quota_type"]).round.consistency

    assert first.percents == {"city": d("-25.0"), "district": d("-22.5"), "county": d("-23.3")}
    assert (first.spread, first.tolerance, first.is_consistent) == (d("2.5"), d("5"), True)
    assert (second.spread, second.is_consistent) == (d("60.7"), False)


def test_the_tolerance_comes_from_the_settings(toy, settings):
    settings.REFORM_CONSISTENCY_TOLERANCE = 2

    consistency = reform_effect(P, B, quota_type=toy["quota_type"]).round.consistency

    assert (consistency.spread, consistency.tolerance, consistency.is_consistent) == (d("2.5"), d("2"), False)
    settings.REFORM_CONSISTENCY_TOLERANCE = "2.5"  # a spread equal to the tolerance is within it
    assert reform_effect(P, B, quota_type=toy["quota_type"]).round.consistency.is_consistent is True


def test_the_second_round_is_measured_against_the_first(toy):
    effect = reform_effect(B, A, quota_type=toy["quota_type"], previous=P)

    citywide = next(row for row in effect.level_comparisons if row.key == "citywide")
    assert figures(citywide.first_institutions) == (13, 10, -3, d("-23.1"))
    assert figures(citywide.first_quotas) == (145, 112, -33, d("-22.8"))
    assert figures(citywide.second_institutions) == (10, 9, -1, d("-10.0"))
    assert figures(citywide.second_quotas) == (112, 99, -13, d("-11.6"))
    assert citywide.is_further_reduction
    county = next(row for row in effect.level_comparisons if row.key == "county")
    assert not county.is_further_reduction  # it grew by the devolution
    assert [row.key for row in effect.region_comparisons] == ["230100", "230102", "230123"]
    assert figures(effect.first_round.level("city").quotas) == (40, 30, -10, d("-25.0"))
    assert figures(effect.first_round.level("district").institutions) == (5, 4, -1, d("-20.0"))
    assert effect.first_round.consistency.is_consistent and not effect.round.consistency.is_consistent
    from reforms.exports import comparison_sentence

    with translation.override("en"):
        assert comparison_sentence(citywide) == (
            "A further 10.0% fewer institutions and 11.6% fewer quotas, on top of the first round's 23.1% and 22.8%.")
        assert comparison_sentence(county) == (
            "Second round: institutions +33.3%, quotas +17.4%; first round: institutions -25.0%, quotas -23.3%.")


def test_the_effect_costs_a_fixed_number_of_queries(toy, django_assert_max_num_queries):
    from institutions.models import Region

    # 3 dates × (the closed period, 2 ledger sums, regions, registry) + 2 rounds + region ids (no month closed here;
    # a closed one adds its closings' sum per date)
    with django_assert_max_num_queries(18):
        reform_effect(B, A, quota_type=toy["quota_type"], previous=P, regions=Region.objects.all())


def test_dates_out_of_order_are_refused(toy):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as after_first:
        reform_effect(A, B)
    with pytest.raises(ValidationError) as previous_late:
        reform_effect(P, A, previous=B)

    assert set(after_first.value.error_dict) == {"after"}
    assert set(previous_late.value.error_dict) == {"previous"}


def test_a_region_set_narrows_rows_and_operations(toy):
    from institutions.models import Region

    effect = reform_effect(B, A, quota_type=toy["quota_type"], regions=Region.objects.filter(pk=toy["daoli"].pk))

    assert [region.code for region in effect.round.regions] == ["230102"]
    assert {kind: count for kind, count in effect.round.operations.items() if count} == {"abolish": 1}
    assert figures(effect.round.level("city").quotas) == (0, 0, 0, None)


# --- the page -----------------------------------------------------------------------------------------------------

def test_the_page_renders_in_chinese_for_the_city_office(client, clerk, toy):
    client.force_login(clerk)

    response = client.get("/reforms/effect/", DATES)

    assert response.status_code == 200
    content = response.content.decode()
    assert "全市合计" in content and "核减或控制使用" in content and "市本级" in content
    current = response.context["round"]
    assert figures(current.level("city").quotas) == (30, 17, -13, d("-43.3"))
    assert response.context["effect"].first_round.operations["merge"] == 1
    assert "-43.3" in content and "60.7" in content
    assert response.context["illustrative"] is False
    assert 'href="/reforms/effect/xlsx/?' in content and "data-print" in content


def test_the_page_says_the_demo_figures_are_illustrative_when_the_demo_is_loaded(client, clerk, city):
    DocumentFactory(title="关于印发《哈尔滨市事业单位改革试点实施方案》的通知（示意）")
    client.force_login(clerk)

    with translation.override("en"):
        response = client.get("/reforms/effect/", EN)

    assert response.context["illustrative"] is True
    assert "其数据仅为示意，并非正式数据" in response.content.decode()


def test_a_district_office_sees_its_own_region_and_no_level_rows(client, make_user, toy):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=toy["daoli"]))

    response = client.get("/reforms/effect/", DATES)

    assert response.status_code == 200
    assert [region.code for _label, region in response.context["regions"]] == ["230102"]
    assert response.context["citywide"] is False
    assert [label for label, _comparison, _sentence in response.context["comparisons"]] == ["230102 道里区"]
    assert "全市合计" not in response.content.decode()


def test_bad_dates_show_the_default_and_dates_out_of_order_show_why(client, clerk, toy):
    client.force_login(clerk)

    bad = client.get("/reforms/effect/", {"before": "nonsense", "after": A.isoformat()})
    backwards = client.get("/reforms/effect/", {"before": A.isoformat(), "after": B.isoformat()})

    assert bad.status_code == 200 and bad.context["errors"]
    assert bad.context["query"].before == datetime.date(2019, 12, 31)
    assert backwards.status_code == 200 and backwards.context["effect"] is None and backwards.context["errors"]


def test_the_page_needs_a_role(client, make_user):
    client.force_login(make_user(None))

    assert client.get("/reforms/effect/").status_code == 403
    assert client.get("/reforms/effect/xlsx/").status_code == 403


def test_the_old_address_redirects_with_its_query_string(client, clerk, toy):
    client.force_login(clerk)

    response = client.get("/quotas/reduction/", {"before": B.isoformat(), "after": A.isoformat()})

    assert response.status_code == 301
    assert response["Location"] == f"/reforms/effect/?before={B.isoformat()}&after={A.isoformat()}"
    followed = client.get(response["Location"])
    assert followed.status_code == 200 and followed.context["round"].start == B


# --- the workbook -------------------------------------------------------------------------------------------------

def _sheets(response) -> dict:
    workbook = load_workbook(io.BytesIO(response.content))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def test_the_workbook_holds_the_figures(client, clerk, toy):
    client.force_login(clerk)

    with translation.override("en"):
        response = client.get("/reforms/effect/xlsx/", {**DATES, "quota_type": "institutional"}, **EN)

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith("reform-effect-2024-12-31-2025-12-31.xlsx")
    sheets = _sheets(response)
    assert {"By level", "By region", "First round By level", "Operations", "Two rounds"} <= set(sheets)
    levels = {row[0]: row for row in sheets["By level"]}
    assert levels["City level"][1:9] == [3, 2, -1, -33.3, 30, 17, -13, -43.3]
    assert levels["Counties"][10:12] == [-6, -13.0]
    assert levels["Citywide total"][1:9] == [10, 9, -1, -10.0, 112, 99, -13, -11.6]
    assert levels["Turnover pools"][5:7] == [5, 5]
    assert any("not broadly consistent" in str(row[0]) for row in sheets["By level"])
    first_levels = {row[0]: row for row in sheets["First round By level"]}
    assert first_levels["Counties"][5:9] == [60, 46, -14, -23.3]
    operations = {row[0]: row[1:] for row in sheets["Operations"]}
    assert operations["Abolish (撤销)"] == [2, 1] and operations["Total"] == [4, 3]
    regions = {row[0]: row for row in sheets["By region"]}
    assert regions["230123"][3:5] == [3, 4]


def test_a_district_offices_workbook_has_no_level_sheet(client, make_user, toy):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=toy["daoli"]))

    with translation.override("en"):
        sheets = _sheets(client.get("/reforms/effect/xlsx/", DATES, **EN))

    assert "By level" not in sheets and "First round By level" not in sheets
    assert [row[0] for row in sheets["By region"][1:]] == ["230102"]


# --- the API ------------------------------------------------------------------------------------------------------

URL = "/api/v1/reform-effect/"


def test_the_api_answers_the_levels_for_the_city_office(api_client, clerk, toy):
    api_client.force_authenticate(clerk)

    body = api_client.get(URL, {**DATES, "by": "level"}).json()

    city = next(level for level in body["levels"] if level["level"] == "city")
    assert city["quotas"] == {"before": 30, "after": 17, "change": -13, "percent": "-43.3"}
    county = next(level for level in body["levels"] if level["level"] == "county")
    assert (county["reduced_or_controlled"], county["reduced_or_controlled_percent"]) == (-6, "-13.0")
    assert body["citywide_quotas"] == {"before": 112, "after": 99, "change": -13, "percent": "-11.6"}
    assert body["consistency"]["spread"] == "60.7" and body["consistency"]["is_consistent"] is False
    assert body["first_round"]["consistency"]["is_consistent"] is True
    assert body["operations"]["devolve"] == 1 and body["operations_total"] == 3
    assert body["quota_type"] == "institutional" and body["previous"] == "2023-12-31"
    citywide = next(row for row in body["comparisons"] if row["key"] == "citywide")
    assert citywide["is_further_reduction"] is True and citywide["first_quotas"]["percent"] == "-22.8"


def test_the_api_refuses_level_rows_to_a_district_office_and_gives_its_region(api_client, make_user, toy):
    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=toy["daoli"]))

    refused = api_client.get(URL, {**DATES, "by": "level"})
    rows = api_client.get(URL, DATES).json()

    assert refused.status_code == 403 and refused.json()["code"] == "citywide_only"
    assert [region["code"] for region in rows["regions"]] == ["230102"]
    assert rows["regions"][0]["institutions"] == {"before": 4, "after": 3, "change": -1, "percent": "-25.0"}
    assert {kind: count for kind, count in rows["operations"].items() if count} == {"abolish": 1}
    assert "levels" not in rows


def test_the_api_refuses_bad_input_with_field_errors(api_client, clerk, toy):
    api_client.force_authenticate(clerk)

    backwards = api_client.get(URL, {"before": A.isoformat(), "after": B.isoformat()})
    bad_date = api_client.get(URL, {"before": "2024-13-01"})
    bad_type = api_client.get(URL, {"quota_type": "nonsense"})
    bad_by = api_client.get(URL, {"by": "type"})

    assert backwards.status_code == 400 and backwards.json()["codes"] == {"after": ["dates_out_of_order"]}
    assert bad_date.status_code == 400 and "before" in bad_date.json()["errors"]
    assert bad_type.status_code == 400 and "quota_type" in bad_type.json()["errors"]
    assert bad_by.status_code == 400 and "by" in bad_by.json()["errors"]
