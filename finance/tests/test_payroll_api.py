"""The payroll check (``/api/v1/payroll-checks/``): a month worked by hand, the stored answer, re-submission,
refused input writing nothing, the xlsx upload, roles and scoping."""
from __future__ import annotations

import datetime
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import Workbook

from accounts.roles import Role
from finance.models import PayrollCheck
from finance.tests.conftest import counts
from positions.tests.factories import StaffCountFactory

URL = "/api/v1/payroll-checks/"
MONTH = "2026-11"


def lines_of(city) -> list[dict]:
    library, hall, archive = city["library"], city["hall"], city["archive"]
    return [
        {"credit_code": library.credit_code, "category": "professional", "paid": 7},
        {"credit_code": library.credit_code, "category": "management", "paid": 3},
        {"credit_code": library.credit_code, "category": "worker", "paid": 1},
        {"credit_code": hall.credit_code, "category": "management", "paid": 6},
        {"credit_code": archive.credit_code, "category": "professional", "paid": 8},
    ]


def submit(api_client, city, month=MONTH, lines=None):
    return api_client.post(URL, {"month": month, "lines": lines_of(city) if lines is None else lines},
                           format="json")


def units_by_name(body) -> dict[str, dict]:
    return {unit["institution"]["name"]: unit for unit in body["units"]}


def test_a_month_worked_by_hand(payroll_city, api_client, finance_user):
    api_client.force_authenticate(finance_user)
    response = submit(api_client, payroll_city)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["month"], body["version"], body["is_latest"], body["as_of"]) == (MONTH, 1, True, "2026-11-30")
    assert body["created_by"] == finance_user.username and body["source"] == "api"
    # Flagged first: over the quotas, then over the staff, then the rest.
    assert [unit["institution"]["name"] for unit in body["units"]] == ["道里区文化馆", "道里区图书馆", "南岗区档案馆"]
    units = units_by_name(body)
    # 道里区图书馆: 10 own + 2 borrowed = 12 held, 9 staff in quota; paid 7 + 3 + 1 = 11: over the staff by 2 only.
    library = units["道里区图书馆"]
    assert library["paid"] == {"professional": 7, "management": 3, "worker": 1} and library["paid_total"] == 11
    assert library["staff_in_quota"] == {"total": 9, "professional": 6, "management": 2, "worker": 1,
                                         "as_of": "2025-12-31"}
    assert library["quotas"] == {"own": 10, "borrowed": 2, "held": 12}
    assert (library["is_over_quota"], library["is_over_staff"]) == (False, True)
    assert (library["over_quota_by"], library["over_staff_by"]) == (0, 2)
    # 道里区文化馆: 5 held, 6 staff (the registry's figure, no count); paid 6: over the quotas by 1 only.
    hall = units["道里区文化馆"]
    assert hall["staff_in_quota"] == {"total": 6, "professional": None, "management": None, "worker": None,
                                      "as_of": None}
    assert hall["paid"] == {"professional": 0, "management": 6, "worker": 0}
    assert (hall["is_over_quota"], hall["is_over_staff"], hall["over_quota_by"]) == (True, False, 1)
    archive = units["南岗区档案馆"]
    assert (archive["paid_total"], archive["staff_in_quota"]["total"], archive["quotas"]["held"]) == (8, 8, 8)
    assert (archive["is_over_quota"], archive["is_over_staff"]) == (False, False)
    assert body["totals"] == {"units": 3, "paid": {"professional": 15, "management": 9, "worker": 1},
                              "paid_total": 25, "staff_total": 23, "quotas_own": 23, "quotas_borrowed": 2,
                              "quotas_held": 25, "over_quota": 1, "over_staff": 1}
    assert (body["unit_count"], body["flagged_count"], body["over_quota_count"], body["over_staff_count"],
            body["paid_total"]) == (3, 2, 1, 1, 25)
    assert counts() == (1, 3, 5)


def test_the_stored_answer_does_not_follow_later_changes(payroll_city, api_client, finance_user, fund):
    api_client.force_authenticate(finance_user)
    check_id = submit(api_client, payroll_city).json()["id"]
    fund(payroll_city["hall"], 3, on=datetime.date(2026, 11, 15))  # the hall would now hold 8 on 2026-11-30
    StaffCountFactory(institution=payroll_city["library"], as_of=datetime.date(2026, 11, 20))  # 9 → 9 (2 + 6 + 1)
    StaffCountFactory(institution=payroll_city["archive"], as_of=datetime.date(2026, 11, 20), management=0,
                      professional=3, senior_deputy=0, intermediate=3, junior=0, worker=0)
    units = units_by_name(api_client.get(f"{URL}{check_id}/").json())
    assert units["道里区文化馆"]["quotas"]["held"] == 5 and units["道里区文化馆"]["is_over_quota"] is True
    assert units["南岗区档案馆"]["staff_in_quota"]["total"] == 8
    # A new check of the same month reads the new figures, as the next version.
    again = submit(api_client, payroll_city).json()
    assert again["version"] == 2
    units = units_by_name(again)
    assert units["道里区文化馆"]["quotas"]["held"] == 8 and units["道里区文化馆"]["is_over_quota"] is False
    assert units["南岗区档案馆"]["staff_in_quota"] == {"total": 3, "professional": 3, "management": 0, "worker": 0,
                                                    "as_of": "2026-11-20"}
    assert units["南岗区档案馆"]["is_over_staff"] is True
    listed = api_client.get(URL).json()["results"]
    assert [(row["version"], row["is_latest"]) for row in listed] == [(2, True), (1, False)]
    assert [row["version"] for row in api_client.get(URL, {"latest": "true"}).json()["results"]] == [2]
    assert api_client.get(URL, {"month": "2026-10"}).json()["count"] == 0
    assert api_client.get(URL, {"month": MONTH}).json()["count"] == 2


def test_the_current_month_is_answered_with_todays_figures(payroll_city, api_client, finance_user):
    api_client.force_authenticate(finance_user)
    today = timezone.localdate()
    response = submit(api_client, payroll_city, month=today.strftime("%Y-%m"))
    assert response.status_code == 201, response.json()
    assert response.json()["as_of"] == today.isoformat()


def _next_month() -> str:
    first = timezone.localdate().replace(day=1)
    return (first + datetime.timedelta(days=32)).strftime("%Y-%m")


def bad_cases(city):
    code = city["library"].credit_code
    return [
        ("unknown unit", MONTH, [{"credit_code": "12230102MB0000000X", "category": "worker", "paid": 1}],
         {"lines[0].credit_code": ["unknown_unit"]}),
        ("unknown category", MONTH, [{"credit_code": code, "category": "managers", "paid": 1}],
         {"lines[0].category": ["unknown_category"]}),
        ("negative", MONTH, [{"credit_code": code, "category": "worker", "paid": -1}],
         {"lines[0].paid": ["negative_count"]}),
        ("not whole", MONTH, [{"credit_code": code, "category": "worker", "paid": 1.5}],
         {"lines[0].paid": ["non_integer"]}),
        ("text", MONTH, [{"credit_code": code, "category": "worker", "paid": "3"}],
         {"lines[0].paid": ["non_integer"]}),
        ("future month", _next_month(), [{"credit_code": code, "category": "worker", "paid": 1}],
         {"month": ["month_in_future"]}),
        ("bad month", "2026/11", [{"credit_code": code, "category": "worker", "paid": 1}],
         {"month": ["invalid_month"]}),
        ("no lines", MONTH, [], {"lines": ["no_lines"]}),
        ("duplicate", MONTH, [{"credit_code": code, "category": "worker", "paid": 1},
                              {"credit_code": code, "category": "management", "paid": 2},
                              {"credit_code": code, "category": "worker", "paid": 1}],
         {"lines[2].category": ["duplicate_line"]}),
        ("one good line, one bad", MONTH, [{"credit_code": code, "category": "worker", "paid": 1},
                                           {"credit_code": code, "category": "professional", "paid": -3}],
         {"lines[1].paid": ["negative_count"]}),
        ("every problem at once", _next_month(), [{"category": "cook", "paid": True}, "x"],
         {"month": ["month_in_future"], "lines[0].credit_code": ["required"],
          "lines[0].category": ["unknown_category"], "lines[0].paid": ["non_integer"],
          "lines[1].non_field_errors": ["invalid_line"]}),
    ]


def test_bad_input_is_refused_line_by_line_and_writes_nothing(payroll_city, api_client, finance_user):
    api_client.force_authenticate(finance_user)
    assert submit(api_client, payroll_city).status_code == 201  # a check already there stays as it is
    before = counts()
    for name, month, lines, codes in bad_cases(payroll_city):
        response = submit(api_client, payroll_city, month=month, lines=lines)
        assert response.status_code == 400, name
        body = response.json()
        assert body["code"] == "invalid" and body["codes"] == codes, (name, body)
        assert set(body["errors"]) == set(codes) and all(body["errors"].values()), name
        assert counts() == before, name
    response = api_client.post(URL, [1, 2], format="json")  # not an object at all
    assert response.status_code == 400 and counts() == before


def test_roles(payroll_city, api_client, make_user):
    for role in (Role.AUDITOR, Role.HR_BUREAU, Role.ORGANISATION_DEPARTMENT, Role.DISTRICT_OFFICE):
        api_client.force_authenticate(make_user(role, region=payroll_city["daoli"]))
        response = submit(api_client, payroll_city)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied", role
        assert counts() == (0, 0, 0)
    api_client.force_authenticate(make_user(Role.CITY_OFFICE))
    assert submit(api_client, payroll_city).status_code == 201
    api_client.force_authenticate(None)
    assert submit(api_client, payroll_city).status_code == 401
    assert api_client.get(URL).status_code == 401


def test_a_district_office_reads_its_own_regions_units_of_a_check(payroll_city, api_client, finance_user,
                                                                 make_user):
    api_client.force_authenticate(finance_user)
    check_id = submit(api_client, payroll_city).json()["id"]
    api_client.force_authenticate(make_user(Role.DISTRICT_OFFICE, region=payroll_city["nangang"]))
    body = api_client.get(f"{URL}{check_id}/").json()
    assert [unit["institution"]["name"] for unit in body["units"]] == ["南岗区档案馆"]
    assert body["totals"]["paid_total"] == 8 and body["totals"]["units"] == 1
    row = api_client.get(URL).json()["results"][0]
    assert (row["unit_count"], row["flagged_count"], row["paid_total"]) == (1, 0, 8)
    assert api_client.get(f"{URL}987654321/").status_code == 404


def xlsx(rows, header=("credit_code", "category", "paid")) -> BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "payroll.xlsx"
    return buffer


def upload(api_client, content, month=MONTH):
    return api_client.post(f"{URL}import/", {"file": content, "month": month}, format="multipart")


def test_an_xlsx_upload_gives_the_same_answer(payroll_city, api_client, finance_user):
    api_client.force_authenticate(finance_user)
    rows = [(line["credit_code"], line["category"], line["paid"]) for line in lines_of(payroll_city)]
    rows[1] = (rows[1][0], "管理", 3.0)  # a category by its Chinese label, a number as a spreadsheet holds it
    response = upload(api_client, xlsx(rows, header=("统一社会信用代码", "岗位类别", "统发人数")))
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["source"] == "xlsx" and body["totals"]["paid_total"] == 25
    assert units_by_name(body)["道里区图书馆"]["paid"] == {"professional": 7, "management": 3, "worker": 1}


def test_a_bad_xlsx_names_the_rows_and_writes_nothing(payroll_city, api_client, finance_user):
    api_client.force_authenticate(finance_user)
    code = payroll_city["library"].credit_code
    content = xlsx([(code, "worker", 1), ("nobody", "worker", 1), (code, "worker", 2), (code, "management", -1)])
    response = upload(api_client, content)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_refused"
    assert [(row["row"], row["column"], row["code"]) for row in body["rows"]] == [
        (3, "credit_code", "unknown_unit"), (4, "category", "duplicate_line"), (5, "paid", "negative_count")]
    assert len(body["codes"]) == 3 and all(len(messages) == 1 for messages in body["errors"].values())
    assert counts() == (0, 0, 0)
    for content, file_code in ((BytesIO(b"not a workbook"), "not_xlsx"),
                               (xlsx([(code, 1)], header=("credit_code", "paid")), "missing_columns")):
        content.name = "payroll.xlsx"
        response = upload(api_client, content)
        assert response.status_code == 400 and response.json()["codes"] == {"file": [file_code]}
    response = upload(api_client, xlsx([(code, "worker", 1)]), month=_next_month())
    assert response.status_code == 400 and response.json()["codes"] == {"month": ["month_in_future"]}
    assert counts() == (0, 0, 0)


def test_the_auditor_may_not_upload(payroll_city, api_client, make_user):
    api_client.force_authenticate(make_user(Role.AUDITOR))
    code = payroll_city["library"].credit_code
    response = upload(api_client, xlsx([(code, "worker", 1)]))
    assert response.status_code == 403 and counts() == (0, 0, 0)


def test_two_checks_of_a_month_cannot_take_the_same_version(payroll_city, finance_user):
    from django.db import IntegrityError, transaction

    from finance import services

    check = services.payroll_check_submit(month=MONTH, lines=lines_of(payroll_city), by=finance_user)
    with pytest.raises(IntegrityError), transaction.atomic():
        PayrollCheck.objects.create(month=check.month, version=1, as_of=check.as_of, created_by=finance_user)
