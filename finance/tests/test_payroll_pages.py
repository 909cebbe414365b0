"""The staffing office's payroll pages (``/finance/payroll/``): months, one check's units flagged first with totals,
its workbook, the login, scoping; and the read-only admin."""
from __future__ import annotations

from io import BytesIO

from openpyxl import load_workbook

from accounts.roles import Role
from finance import services
from finance.tests.test_payroll_api import MONTH, lines_of


def _check(city, user):
    return services.payroll_check_submit(month=MONTH, lines=lines_of(city), by=user)


def test_the_pages_need_a_login(payroll_city, client, finance_user):
    check = _check(payroll_city, finance_user)
    for url in ("/finance/payroll/", f"/finance/payroll/{check.pk}/", f"/finance/payroll/{check.pk}/xlsx/"):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"], url


def test_the_list_and_a_check_flagged_first_with_totals(payroll_city, client, make_user, finance_user):
    check = _check(payroll_city, finance_user)
    client.force_login(make_user(Role.CITY_OFFICE))
    listing = client.get("/finance/payroll/")
    assert listing.status_code == 200 and [c.pk for c in listing.context["checks"]] == [check.pk]
    assert f'href="/finance/payroll/{check.pk}/"'.encode() in listing.content
    page = client.get(f"/finance/payroll/{check.pk}/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(unit.institution.name, paid) for unit, paid in rows] == [
        ("道里区文化馆", [0, 6, 0]), ("道里区图书馆", [7, 3, 1]), ("南岗区档案馆", [8, 0, 0])]
    assert page.context["total_paid"] == [15, 9, 1] and page.context["totals"].paid_total == 25
    text = page.content.decode()
    assert text.index("道里区文化馆") < text.index("道里区图书馆") < text.index("南岗区档案馆")
    assert 'lang="zh-hans"' in text


def test_the_workbook(payroll_city, client, make_user, finance_user):
    check = _check(payroll_city, finance_user)
    client.force_login(make_user(Role.AUDITOR))
    response = client.get(f"/finance/payroll/{check.pk}/xlsx/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert (rows[0][1], rows[0][3], rows[0][5]) == (MONTH, 1, "2026-11-30")
    units = rows[3:6]
    assert [row[1] for row in units] == ["道里区文化馆", "道里区图书馆", "南岗区档案馆"]
    assert units[1][4:11] == (7, 3, 1, 11, 9, "2025-12-31", 10)
    assert rows[6][4:8] == (15, 9, 1, 25)


def test_a_district_office_sees_its_own_units_and_no_missing_check(payroll_city, client, make_user,
                                                                   finance_user):
    check = _check(payroll_city, finance_user)
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=payroll_city["daoli"]))
    page = client.get(f"/finance/payroll/{check.pk}/")
    assert [unit.institution.name for unit, _paid in page.context["rows"]] == ["道里区文化馆", "道里区图书馆"]
    assert "南岗区档案馆" not in page.content.decode()
    assert client.get("/finance/payroll/987654321/").status_code == 404


def test_the_admin_shows_a_check_read_only(payroll_city, client, make_user, finance_user):
    check = _check(payroll_city, finance_user)
    user = make_user(Role.CITY_OFFICE, is_staff=True)
    client.force_login(user)
    assert client.get("/admin/finance/payrollcheck/").status_code == 200
    page = client.get(f"/admin/finance/payrollcheck/{check.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert "道里区图书馆" in page.content.decode()
    assert client.get("/admin/finance/payrollcheck/add/").status_code == 403
