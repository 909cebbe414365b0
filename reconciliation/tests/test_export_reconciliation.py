"""The reconciliation's workbook: every filtered unit, a totals row from the selector's totals, Chinese sheet name,
headers and file name with the date."""
import io
from urllib.parse import quote

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from reconciliation.tests.test_print_reconciliation import units  # noqa: F401

pytestmark = pytest.mark.django_db

URL = "/positions/reconciliation/xlsx/"
HEADER_ROW = 5  # title, quota type, filters, date, then the header


def workbook(response):
    return load_workbook(io.BytesIO(response.content))


def test_the_workbook_holds_the_units_and_the_totals(client, make_user, units):  # noqa: F811
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get(URL)

    assert response.status_code == 200
    sheet = workbook(response).active
    assert sheet.title == "编岗人比对"
    header = [cell.value for cell in sheet[HEADER_ROW]]
    assert header[:6] == ["单位", "统一社会信用代码", "行政区划", "主管部门", "核定编制", "借用"]
    assert "用编方向" in header and "超编" in header and "空编" in header
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert sorted(row[0] for row in rows[:-1]) == ["南岗区少年宫", "道里区图书馆", "道里区档案馆"]
    totals = dict(zip(header, rows[-1], strict=True))
    assert "3" in totals["单位"]
    assert (totals["核定编制"], totals["空编"], totals["超编"], totals["实有在编 合计"]) == (33, 10, 2, 25)
    assert totals["岗位数（岗位设置方案） 合计"] == 20
    # The totals are the sums of the rows above them.
    for name in ("核定编制", "空编", "超编", "实有在编 合计"):
        assert sum(dict(zip(header, row, strict=True))[name] for row in rows[:-1]) == totals[name]


def test_the_workbook_is_named_in_chinese_with_the_date(client, make_user, units):  # noqa: F811
    client.force_login(make_user(Role.CITY_OFFICE))

    today = client.get(URL)
    dated = client.get(URL, {"on": "2026-06-30"})

    name = f"编岗人比对-{timezone.localdate().isoformat()}.xlsx"
    assert today["Content-Disposition"].lower() == f"attachment; filename*=utf-8''{quote(name)}".lower()
    assert quote("编岗人比对-2026-06-30.xlsx") in dated["Content-Disposition"]
    assert workbook(dated).active["B4"].value == "2026-06-30"


def test_the_workbook_follows_the_filters_and_the_scope(client, make_user, units, daoli, nangang):  # noqa: F811
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))

    sheet = workbook(client.get(URL, {"flag": "no_plan"})).active

    names = [row[0].value for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert names[:-1] == ["道里区档案馆"]
    assert sheet["B3"].value.startswith("标记")


def test_every_filtered_unit_beyond_one_page(client, make_user, daoli):
    for number in range(55):
        InstitutionFactory(region=daoli, name=f"道里区单位{number:02d}")
    client.force_login(make_user(Role.HR_BUREAU))

    sheet = workbook(client.get(URL)).active

    assert sheet.max_row == HEADER_ROW + 55 + 1


def test_filters_that_do_not_validate_answer_400_with_the_reason(client, make_user, units):  # noqa: F811
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get(URL, {"on": "not a date", "flag": "nonsense"})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert set(response.context["errors"]) == {"on", "flag"}
    assert 'class="error"' in response.content.decode()
