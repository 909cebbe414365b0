"""The ledger and allocation pages: reduction between two dates, scenarios, comparison, stress test."""
import datetime

import pytest

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_reduction_report_reads_the_ledger_at_two_dates(client, make_user, ledger, make_document):
    from quotas import services

    services.quota_cancel(source=ledger["pool"], amount=20, document=make_document(),
                          effective_date=datetime.date(2024, 6, 1), by=None)
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get("/quotas/reduction/", {"before": "2024-01-01", "after": "2024-12-31"})

    assert response.status_code == 200
    row = next(r for r in response.context["rows"] if r["region"].code == "230102")
    assert (row["before"], row["after"], row["change"], str(row["percent"])) == (100, 80, -20, "-20.0")
    district = next(level for level in response.context["levels"] if level["level"] == "district")
    assert (district["before"], district["after"]) == (100, 80)
    assert client.get("/quotas/reduction/", {"before": "nonsense"}).context["errors"]


def test_reduction_report_counts_pools_apart_and_counties_reduced_or_controlled(client, make_user, ledger,
                                                                               make_document):
    # 依兰县 (a county) gets 60 on 2024-01-01; by the end of 2024 it cancels 10 and holds 20 under controlled use:
    # held 60 → 50 (−10, −16.7%), reduced or put under controlled use 10 + 20 = 30 (50.0%). The city's turnover
    # pool holds 5 the whole time: its own row, not the city level's, and in the citywide total.
    from quotas import services

    quota_type, yilan = ledger["quota_type"], ledger["yilan"]
    early, later = datetime.date(2024, 1, 2), datetime.date(2024, 6, 1)
    county_pool = services.account_for_region(region=yilan, quota_type=quota_type)
    services.quota_grant(target=county_pool, amount=60, document=make_document(), effective_date=early, by=None)
    pool = services.account_for_turnover_pool(region=ledger["city"], quota_type=quota_type)
    services.quota_grant(target=pool, amount=5, document=make_document(), effective_date=early, by=None)
    services.quota_cancel(source=county_pool, amount=10, document=make_document(), effective_date=later, by=None)
    services.quota_control(region=yilan, quota_type=quota_type, amount=20, document=make_document(),
                           effective_date=later, by=None)
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get("/quotas/reduction/", {"before": "2024-01-31", "after": "2024-12-31"})

    levels = {level["level"]: level for level in response.context["levels"]}
    county = levels["county"]
    assert (county["before"], county["after"], county["change"], str(county["percent"])) == (60, 50, -10, "-16.7")
    assert (county["reduced_or_controlled"], str(county["reduced_or_controlled_percent"])) == (30, "50.0")
    assert (levels["city"]["before"], levels["city"]["after"]) == (0, 0)
    assert (response.context["turnover_pools"]["before"], response.context["turnover_pools"]["after"]) == (5, 5)
    citywide = response.context["citywide"]
    assert (citywide["before"], citywide["after"]) == (100 + 60 + 5, 100 + 50 + 5)
    assert "全市合计" in response.content.decode() and "核减或控制使用" in response.content.decode()


def test_district_user_sees_only_its_region_in_the_report(client, make_user, ledger):
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=ledger["yilan"]))

    response = client.get("/quotas/reduction/")

    assert [row["region"].code for row in response.context["rows"]] == ["230123"]




def test_pages_need_a_role(client, make_user):
    client.force_login(make_user(None))

    assert client.get("/quotas/reduction/").status_code == 403
