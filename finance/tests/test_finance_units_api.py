"""The finance view of each unit (``/api/v1/finance-units/``): figures from the one quota position, the date, the
filters, scoping and a fixed number of queries per page."""
from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from accounts.roles import Role
from finance.tests.conftest import LENT_ON, STAFF_DAY
from institutions.choices import Category
from institutions.tests.factories import InstitutionFactory
from positions.tests.factories import StaffCountFactory
from quotas.choices import QuotaTypeCode
from workflow.vacancy import quota_position

URL = "/api/v1/finance-units/"
INSTITUTIONAL, ADMINISTRATIVE = QuotaTypeCode.INSTITUTIONAL, QuotaTypeCode.ADMINISTRATIVE


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [row["name"] for row in response.json()["results"]]


def test_a_unit_with_borrowed_quotas_worked_by_hand(payroll_city, api_client, as_role):
    as_role(Role.FINANCE_SYSTEM)
    library = payroll_city["library"]
    response = api_client.get(f"{URL}{library.pk}/")
    assert response.status_code == 200, response.json()
    row = response.json()
    institutional = row["quotas"][INSTITUTIONAL]
    # 10 own + 2 borrowed = 12 held; 12 − 9 staff − 0 reserved = 3 usable.
    assert institutional == {"own": 10, "borrowed": 2, "held": 12, "reserved": 0, "usable_vacancy": 3,
                             "over_quota": 0}
    # Staff are counted against every type the unit holds (none of this one): 0 − 9.
    assert row["quotas"][ADMINISTRATIVE] == {"own": 0, "borrowed": 0, "held": 0, "reserved": 0,
                                             "usable_vacancy": -9, "over_quota": 9}
    assert set(row["quotas"]) == set(QuotaTypeCode.values)
    assert row["quota_totals"] == {"own": 10, "borrowed": 2, "held": 12}
    assert row["staff_in_quota"] == {"total": 9, "professional": 6, "management": 2, "worker": 1,
                                     "as_of": STAFF_DAY.isoformat()}
    assert row["credit_code"] == library.credit_code and row["region"]["code"] == "230102"
    assert (row["funding_form"], row["status"], row["category"]) == ("full", "active", "public_welfare_1")
    assert row["is_quota_frozen"] is False
    assert row["date"] == timezone.localdate().isoformat()
    position = quota_position(library)  # the one definition of usable vacancy says the same
    assert (institutional["own"], institutional["borrowed"], institutional["usable_vacancy"]) == (
        position.own, position.borrowed, position.usable)


def test_a_unit_without_a_staff_count_reads_the_registry_figure(payroll_city, api_client, as_role):
    as_role(Role.AUDITOR)
    row = api_client.get(f"{URL}{payroll_city['hall'].pk}/").json()
    assert row["staff_in_quota"] == {"total": 6, "professional": None, "management": None, "worker": None,
                                     "as_of": None}
    assert row["quotas"][INSTITUTIONAL] == {"own": 5, "borrowed": 0, "held": 5, "reserved": 0,
                                            "usable_vacancy": -1, "over_quota": 1}


def test_the_date_gives_the_figures_at_the_end_of_that_day(payroll_city, api_client, as_role):
    as_role(Role.CITY_OFFICE)
    url = f"{URL}{payroll_city['library'].pk}/"
    before_loan = api_client.get(url, {"date": (LENT_ON - datetime.timedelta(days=1)).isoformat()}).json()
    assert before_loan["quotas"][INSTITUTIONAL]["held"] == 10
    assert before_loan["quotas"][INSTITUTIONAL]["borrowed"] == 0
    assert before_loan["staff_in_quota"]["as_of"] is None  # the staff count is of 2025-12-31
    assert before_loan["date"] == "2025-05-31"
    on_staff_day = api_client.get(url, {"date": STAFF_DAY.isoformat()}).json()
    assert on_staff_day["quotas"][INSTITUTIONAL]["usable_vacancy"] == 3
    assert on_staff_day["staff_in_quota"]["total"] == 9
    before_funding = api_client.get(url, {"date": "2024-01-01"}).json()
    assert before_funding["quota_totals"] == {"own": 0, "borrowed": 0, "held": 0}


@pytest.mark.parametrize(("value", "code"), [
    ("2026-13-01", "invalid_date"), ("yesterday", "invalid_date"), ("1900-01-01", "date_out_of_bounds"),
])
def test_a_bad_date_is_a_field_error(payroll_city, api_client, as_role, value, code):
    as_role(Role.FINANCE_SYSTEM)
    for url in (URL, f"{URL}{payroll_city['library'].pk}/"):
        response = api_client.get(url, {"date": value})
        assert response.status_code == 400, response.json()
        body = response.json()
        assert body["code"] == "invalid" and body["codes"] == {"date": [code]} and body["errors"]["date"]


def test_a_date_after_today_is_refused(payroll_city, api_client, as_role):
    as_role(Role.FINANCE_SYSTEM)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = api_client.get(URL, {"date": tomorrow.isoformat()})
    assert response.status_code == 400 and response.json()["codes"] == {"date": ["date_out_of_bounds"]}
    assert api_client.get(URL, {"date": timezone.localdate().isoformat()}).status_code == 200


def test_filters(payroll_city, api_client, as_role):
    as_role(Role.FINANCE_SYSTEM)
    assert names(api_client.get(URL)) == ["道里区图书馆", "道里区文化馆", "南岗区档案馆"]  # region code, then name
    assert names(api_client.get(URL, {"region": payroll_city["nangang"].pk})) == ["南岗区档案馆"]
    assert names(api_client.get(URL, {"region_code": "230102"})) == ["道里区图书馆", "道里区文化馆"]
    assert names(api_client.get(URL, {"funding_form": "self_funded"})) == ["南岗区档案馆"]
    assert names(api_client.get(URL, {"status": "abolished"})) == []
    assert names(api_client.get(URL, {"credit_code": payroll_city["hall"].credit_code})) == ["道里区文化馆"]
    response = api_client.get(URL, {"funding_form": "gratis"})
    assert response.status_code == 400 and "funding_form" in response.json()["errors"]


def test_a_commercial_unit_is_frozen(payroll_city, api_client, as_role):
    as_role(Role.FINANCE_SYSTEM)
    unit = InstitutionFactory(region=payroll_city["daoli"], name="道里区宾馆", category=Category.COMMERCIAL)
    assert api_client.get(f"{URL}{unit.pk}/").json()["is_quota_frozen"] is True


def test_a_district_office_sees_its_own_region(payroll_city, api_client, as_role):
    as_role(Role.DISTRICT_OFFICE, region=payroll_city["daoli"])
    assert names(api_client.get(URL)) == ["道里区图书馆", "道里区文化馆"]
    assert api_client.get(f"{URL}{payroll_city['library'].pk}/").status_code == 200
    response = api_client.get(f"{URL}{payroll_city['archive'].pk}/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    # Another region is not a valid choice of the filter either.
    assert api_client.get(URL, {"region": payroll_city["nangang"].pk}).status_code == 400


def test_every_role_reads_and_nobody_writes(payroll_city, api_client, make_user):
    for role in Role.values:
        api_client.force_authenticate(make_user(role, region=payroll_city["daoli"]))
        assert api_client.get(URL).status_code == 200, role
        assert api_client.post(URL, {}, format="json").status_code == 405, role
    api_client.force_authenticate(None)
    assert api_client.get(URL).status_code == 401


def test_a_page_costs_a_fixed_number_of_queries(payroll_city, api_client, as_role, django_assert_num_queries):
    for n in range(6):
        unit = InstitutionFactory(region=payroll_city["daoli"], name=f"道里区测试单位{n}")
        StaffCountFactory(institution=unit, as_of=STAFF_DAY)
    as_role(Role.FINANCE_SYSTEM)
    api_client.get(URL)  # the user's roles are cached on the user object after the first request
    # The count, the page, and one query per quota type (4): 6, whatever the page's size.
    with django_assert_num_queries(6):
        assert len(api_client.get(URL, {"page_size": 2}).json()["results"]) == 2
    with django_assert_num_queries(6):
        assert len(api_client.get(URL, {"page_size": 9}).json()["results"]) == 9
