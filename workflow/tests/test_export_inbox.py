"""The inboxes as workbooks: every row of every list (not only the page's first ``LIMIT``), a sheet per list with
Chinese names and headers and a totals row, scoped, named 市编办待办-<date>.xlsx; the page links to it and to each
issued notice's printout."""
import io
from urllib.parse import quote

import pytest
from django.urls import include, path
from django.utils import timezone
from openpyxl import load_workbook

import config.urls
from accounts.roles import Role
from institutions.tests.factories import InstitutionFactory
from quotas import services as ledger
from workflow import hiring, inbox, print_urls
from workflow import urls as workflow_urls
from workflow.tests.test_inbox import work  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]

# The workflow's routes with its printouts (as the lead wires them), before the site's.
urlpatterns = [
    path("positions/", include(([*workflow_urls.urlpatterns, *print_urls.urlpatterns], "workflow"))),
    *config.urls.urlpatterns,
]
URL = "/positions/inbox/xlsx/"


def rows_of(sheet) -> list[list]:
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_the_city_offices_workbook(client, make_user, work):  # noqa: F811
    client.force_login(make_user(Role.CITY_OFFICE))

    response = client.get(URL)

    assert response.status_code == 200
    name = f"市编办待办-{timezone.localdate().isoformat()}.xlsx"
    assert response["Content-Disposition"].lower() == f"attachment; filename*=utf-8''{quote(name)}".lower()
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:3] == ["用编计划", "核准使用编制通知单", "周转池借用"]
    assert workbook.sheetnames[5] == "人走编收归还提示"
    plans = rows_of(workbook["用编计划"])
    assert plans[0][:4] == ["单位", "行政区划", "年度", "计划进人数"]
    assert [row[0] for row in plans[1:-1]] == ["道里区图书馆"]
    assert plans[-1][3] == 1  # the totals row: one planned entrant
    expiring = rows_of(workbook[workbook.sheetnames[4]])
    assert expiring[0][0] == "通知单编号" and expiring[1][0] == work["notice"].number
    assert expiring[-1][3] == 1  # not yet taken up


def test_the_workbook_holds_every_row_beyond_the_pages_limit(client, make_user, work, daoli, staffed, clerk,  # noqa: F811
                                                             monkeypatch):
    for number in range(3):
        unit = staffed(InstitutionFactory(region=daoli, name=f"道里区学校{number}"), 5, management=1)
        plan = hiring.hiring_plan_create(institution=unit, year=2026, by=clerk, lines=[
            {"quota_type": ledger.quota_type_get(), "category": "management", "count": 2}])
        hiring.hiring_plan_submit(plan=plan, by=clerk)
    monkeypatch.setattr(inbox, "LIMIT", 2)
    client.force_login(make_user(Role.CITY_OFFICE))

    page = client.get("/positions/inbox/")
    plans = rows_of(load_workbook(io.BytesIO(client.get(URL).content))["用编计划"])

    assert len(page.context["waiting"]["plans"]) == 2
    assert len(plans) == 1 + 4 + 1  # the header, four plans, the totals
    assert plans[-1][3] == 1 + 3 * 2
    assert 'id="inbox-links"' in page.content.decode() and f'href="{URL}"' in page.content.decode()


def test_a_district_offices_workbook_holds_its_own_region(client, make_user, work, daoli):  # noqa: F811
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))

    response = client.get(URL)

    assert quote("区县编办待办-") in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    notices = rows_of(workbook["核准使用编制通知单"])
    assert [row[0] for row in notices[1:-1]] == ["道里区图书馆"]  # not 南岗's
    holdings = rows_of(workbook["自有编制和借用编制"])
    assert holdings[0] == ["单位", "持有编制", "自有", "借用"]
    assert holdings[1] == ["道里区人民医院", 5, 4, 1] and holdings[-1][1:] == [5, 4, 1]


def test_the_inbox_links_each_issued_notice_to_its_printout(client, make_user, work, daoli):  # noqa: F811
    client.force_login(make_user(Role.DISTRICT_OFFICE, region=daoli))

    html = client.get("/positions/inbox/").content.decode()

    assert f'href="/positions/quota-use-notices/{work["notice"].pk}/print/"' in html


@pytest.mark.parametrize("role", [Role.HR_BUREAU, Role.AUDITOR, None])
def test_other_roles_have_no_inbox_workbook(client, make_user, role):
    client.force_login(make_user(role))

    assert client.get(URL).status_code == 403
